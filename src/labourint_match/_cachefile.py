"""One format for the library's on-disk caches: a dataclass of arrays and strings as an ``.npz``.

Used by the compiled-taxonomy cache and the skill resolver's index cache. An entry is an
uncompressed ``.npz`` (no pickles): numpy array fields as they are, ``tuple[str, ...]`` fields as
NUL-joined UTF-8 blobs, and a JSON header with the format version, the key, the string counts and
a BLAKE2b checksum of the content (the key, the format, the string counts and every member's
name, dtype, shape and bytes). Writes go to a temporary file renamed into place; temporary files
that a killed writer left behind are removed by later writes once they are
:data:`ORPHAN_AGE_SECONDS` old. A directory that cannot be written only costs speed.

On reading, an entry is never trusted. It is used only when

- the cache directory is private (:func:`directory_problem`);
- the file is at most :data:`MAX_ENTRY_BYTES` long, holds exactly the members of the format, all
  stored uncompressed, and each member's ``.npy`` header announces the declared dtype and exactly
  as many bytes as the member holds — checked before anything is allocated, so nothing inflates;
- the header matches (format, key, string counts) and the content matches the checksum (which
  stands in for zipfile's CRC-32: members are read straight into their arrays);
- the object passes its own ``check()`` (the invariants its source loaders enforce) and the
  caller's `extra_check`.

Anything else is a :class:`~labourint_match.errors.TaxonomyWarning` naming the file and the reason,
and the caller rebuilds the entry. The checksum detects damage and entries rewritten by another
writer that kept the header; it is no signature: whoever can write the cache directory can write a
matching checksum too (and could as well edit the installed code).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import os
import re
import stat
import struct
import sys
import tempfile
import time
import typing
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar

import numpy as np
from numpy.lib import format as npy_format

from .errors import TaxonomyWarning

__all__ = [
    "MAX_ENTRY_BYTES",
    "ORPHAN_AGE_SECONDS",
    "content_digest",
    "directory_problem",
    "encode_fields",
    "load_dataclass",
    "save_dataclass",
]

logger = logging.getLogger("labourint_match")

#: Largest cache entry read (full ESCO with every language compiles to well under a tenth of it).
MAX_ENTRY_BYTES = 1 << 30
#: A temporary file not modified for this long belongs to a writer that died; writes remove it.
ORPHAN_AGE_SECONDS = 600.0
_MAX_HEADER_BYTES = 1 << 20
_BYTES = np.dtype(np.uint8)
# A zip local file header: signature and fixed fields, then the name and extra field lengths.
_LOCAL_HEADER = struct.Struct("<26sHH")
_HEADER = "__header__"
_HASH = "blake2b-256"
_TEMP_NAME = re.compile(r"^\.[a-z][a-z-]*-[0-9a-f]{40}-[A-Za-z0-9_]+\.tmp$")


class _Checked(Protocol):
    def check(self) -> None: ...


T = TypeVar("T", bound=_Checked)


class _RefusedError(Exception):
    """Why a cache entry is not used (the message goes into the warning)."""


def encode_fields(obj: Any) -> tuple[dict[str, np.ndarray[Any, Any]], dict[str, int]]:
    """The fields of a dataclass as arrays, and the number of strings per string field.

    Arrays stay as they are; ``tuple[str, ...]`` fields become NUL-joined UTF-8 blobs.
    """
    arrays: dict[str, np.ndarray[Any, Any]] = {}
    counts: dict[str, int] = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, np.ndarray):
            arrays[f.name] = value
        else:
            counts[f.name] = len(value)
            arrays[f.name] = np.frombuffer("\x00".join(value).encode("utf-8"), dtype=np.uint8)
    return arrays, counts


def content_digest(obj: Any, *, exclude: tuple[str, ...] = ()) -> str:
    """SHA-256 over the encoded fields of a dataclass (name, dtype, shape and bytes of each)."""
    arrays, _ = encode_fields(obj)
    h = hashlib.sha256()
    for name in sorted(arrays):
        if name in exclude:
            continue
        a = arrays[name]
        h.update(f"{name}:{a.dtype.str}:{a.shape}".encode())
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


# -- layout and checksum ------------------------------------------------------------------------


@functools.cache
def _layout(cls: type) -> dict[str, np.dtype[Any] | None]:
    """Each field of `cls` and its dtype as declared (``None``: a ``tuple[str, ...]`` field)."""
    hints = typing.get_type_hints(cls)
    layout: dict[str, np.dtype[Any] | None] = {}
    for f in fields(cls):
        hint = hints[f.name]
        if typing.get_origin(hint) is np.ndarray:
            layout[f.name] = np.dtype(typing.get_args(typing.get_args(hint)[1])[0])
        elif typing.get_origin(hint) is tuple:
            layout[f.name] = None
        else:  # pragma: no cover - a programming error in a cached class
            raise TypeError(f"{cls.__name__}.{f.name}: only arrays and string tuples are cached")
    return layout


def _new_hash(key: str, format_version: int, counts: dict[str, int]) -> Any:
    head = f"{format_version}\x00{key}\x00{json.dumps(counts, sort_keys=True)}\x00"
    return hashlib.blake2b(head.encode(), digest_size=32)


def _member_prefix(name: str, dtype: np.dtype[Any], shape: tuple[int, ...]) -> bytes:
    return f"{name}\x00{dtype.str}\x00{shape!r}\x00".encode()


# -- the directory ------------------------------------------------------------------------------


def directory_problem(directory: Path) -> str | None:
    """Why `directory` must not hold cache entries, or ``None`` when it may (or does not exist).

    A cache directory must belong to the current user (or to root) and be writable by no one
    else: no write permission for others, and none for its group unless that is the user's own
    primary group (the per-user group most Linux systems create). Otherwise anyone who can write
    there could plant an entry that this process would load. Always ``None`` off POSIX.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     os.chmod(d, 0o700)
    ...     ok = directory_problem(Path(d))
    ...     os.chmod(d, 0o777)
    ...     shared = directory_problem(Path(d))
    >>> ok is None, shared if os.name == "posix" else "every user may write to it"
    (True, 'every user may write to it')
    """
    if os.name != "posix":
        return None
    try:
        st = os.stat(directory)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode):
        return None
    if st.st_uid not in (os.geteuid(), 0):
        return f"it belongs to another user (uid {st.st_uid})"
    if st.st_mode & stat.S_IWOTH:
        return "every user may write to it"
    if st.st_mode & stat.S_IWGRP and st.st_gid != os.getegid():
        return f"its group (gid {st.st_gid}) may write to it"
    return None


def _refuse_directory(directory: Path, problem: str) -> None:
    _warn(
        f"cache directory {directory} not used: {problem}, so an entry there could have been "
        f"planted; make it private (chmod go-w '{directory}') or point "
        "LABOURINT_MATCH_CACHE_DIR at a directory of your own"
    )


def _remove_orphans(directory: Path) -> None:
    """Remove temporary files of killed writers (not modified for `ORPHAN_AGE_SECONDS`)."""
    cutoff = time.time() - ORPHAN_AGE_SECONDS
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if not _TEMP_NAME.match(name):
            continue
        candidate = directory / name
        try:
            st = os.lstat(candidate)
            if stat.S_ISREG(st.st_mode) and st.st_mtime < cutoff:
                candidate.unlink()
                logger.debug("removed %s, left behind by a cache writer that died", candidate)
        except OSError:
            continue


def _warn(message: str) -> None:
    """Warn, attributed to the first caller outside this package."""
    frame = sys._getframe(1)
    level = 2
    while frame.f_back is not None and frame.f_globals.get("__name__", "").startswith(
        "labourint_match"
    ):
        frame = frame.f_back
        level += 1
    warnings.warn(message, TaxonomyWarning, stacklevel=level)


# -- writing ------------------------------------------------------------------------------------


def save_dataclass(path: Path, key: str, format_version: int, obj: Any) -> bool:
    """Write `obj` (a dataclass of arrays and string tuples) under `key`; False when not written.

    The directory is created private (mode 0700); an existing directory that others may write is
    not written to (see :func:`directory_problem`). Temporary files of writers that died are
    removed on the way.
    """
    directory = path.parent
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        problem = directory_problem(directory)
        if problem is not None:
            logger.debug("cache entry not written (%s): %s", directory, problem)
            return False
        arrays, counts = encode_fields(obj)
        arrays = {name: np.ascontiguousarray(a) for name, a in arrays.items()}
        h = _new_hash(key, format_version, counts)
        _hash_members(h, arrays)
        header = {
            "format": format_version,
            "key": key,
            "counts": counts,
            "hash": _HASH,
            "digest": h.hexdigest(),
        }
        arrays[_HEADER] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **arrays)  # type: ignore[arg-type]
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        logger.debug("cache entry not written (%s): %s", directory, exc)
        return False
    _remove_orphans(directory)
    return True


# -- reading ------------------------------------------------------------------------------------


def load_dataclass(
    path: Path,
    key: str,
    format_version: int,
    cls: type[T],
    *,
    extra_check: Callable[[T], None] | None = None,
) -> T | None:
    """Read the entry under `key` as a `cls`, or None when absent or not to be trusted.

    An entry that is present but not used (see the module docstring for every check) is a
    :class:`~labourint_match.errors.TaxonomyWarning`; so is a cache directory others may write.
    `extra_check` raises ``ValueError`` when the object does not fit what the caller holds.
    """
    directory = path.parent
    problem = directory_problem(directory)
    if problem is not None:
        _refuse_directory(directory, problem)
        return None
    try:
        # Non-blocking, so that a FIFO in an entry's place cannot hang the load (no effect on a
        # regular file); what is not a regular file is refused below.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        fh = os.fdopen(fd, "rb")
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    except OSError as exc:
        _warn(f"cache entry {path} ignored and rebuilt: it cannot be read ({exc.strerror})")
        return None
    try:
        with fh:
            obj = _read(fh, key, format_version, cls)
        obj.check()
        if extra_check is not None:
            extra_check(obj)
    except Exception as exc:  # a corrupt entry of any kind is rebuilt, never trusted
        reason = (
            str(exc)
            if isinstance(exc, (_RefusedError, ValueError))
            else f"{type(exc).__name__}: {exc}"
        )
        _warn(f"cache entry {path} ignored and rebuilt: {reason}")
        return None
    return obj


def _read(fh: IO[bytes], key: str, format_version: int, cls: type[T]) -> T:
    st = os.fstat(fh.fileno())
    if not stat.S_ISREG(st.st_mode):
        raise _RefusedError("it is not a regular file")
    if st.st_size > MAX_ENTRY_BYTES:
        raise _RefusedError(
            f"it is {st.st_size} bytes long, more than the {MAX_ENTRY_BYTES} bytes a cache entry "
            "may have (MAX_ENTRY_BYTES)"
        )
    layout = _layout(cls)
    with zipfile.ZipFile(fh) as zf:  # reads the central directory only
        listed = zf.infolist()
    infos = {info.filename: info for info in listed}
    expected = {f"{name}.npy" for name in (*layout, _HEADER)}
    if len(listed) != len(expected) or set(infos) != expected:
        raise _RefusedError(f"its members are not those of a {cls.__name__} entry")
    for info in listed:
        if info.compress_type != zipfile.ZIP_STORED or info.compress_size != info.file_size:
            raise _RefusedError(
                f"member {info.filename} is compressed (entries are written uncompressed, "
                "and a compressed member could inflate without bound)"
            )
    if sum(info.file_size for info in listed) > st.st_size:
        raise _RefusedError("its members announce more bytes than the file holds")
    if infos[f"{_HEADER}.npy"].file_size > _MAX_HEADER_BYTES:
        raise _RefusedError(f"its header is longer than {_MAX_HEADER_BYTES} bytes")
    raw = _read_member(fh, st.st_size, infos[f"{_HEADER}.npy"], _BYTES)
    header = json.loads(str(raw.data, "utf-8"))
    if not isinstance(header, dict):
        raise _RefusedError("its header is not a JSON object")
    if header.get("format") != format_version or header.get("key") != key:
        raise _RefusedError("its header names another format version or key")
    counts = header.get("counts")
    string_fields = {name for name, dtype in layout.items() if dtype is None}
    if (
        not isinstance(counts, dict)
        or set(counts) != string_fields
        or not all(type(n) is int and n >= 0 for n in counts.values())
    ):
        raise _RefusedError("its header's string counts do not fit the format")
    if header.get("hash") != _HASH or not isinstance(header.get("digest"), str):
        raise _RefusedError("its header carries no content checksum")
    arrays = {
        name: _read_member(fh, st.st_size, infos[f"{name}.npy"], dtype or _BYTES)
        for name, dtype in layout.items()
    }
    h = _new_hash(key, format_version, counts)
    _hash_members(h, arrays)
    if h.hexdigest() != header["digest"]:
        raise _RefusedError(
            "its content does not match its checksum (it was damaged or rewritten after it was "
            "written)"
        )
    values: dict[str, Any] = dict(arrays)
    for name in string_fields:
        values[name] = _strings(name, arrays[name], counts[name])
    return cls(**values)


def _hash_members(h: Any, arrays: dict[str, np.ndarray[Any, Any]]) -> None:
    for name, a in arrays.items():
        h.update(_member_prefix(name, a.dtype, a.shape))
        h.update(a.data)


def _strings(name: str, blob: np.ndarray[Any, Any], n: int) -> tuple[str, ...]:
    strings = tuple(str(blob.data, "utf-8").split("\x00")) if n else ()
    if len(strings) != n or (not n and len(blob)):
        raise _RefusedError(f"{name}: expected {n} strings")
    return strings


def _read_member(
    fh: IO[bytes], size: int, info: zipfile.ZipInfo, dtype: np.dtype[Any]
) -> np.ndarray[Any, Any]:
    """Read one stored ``.npy`` member, checking its header against its size before allocating.

    The bytes are read straight from the file into the array (the content checksum, not zipfile's
    CRC-32, says whether they are intact).
    """
    fh.seek(info.header_offset)
    local = fh.read(_LOCAL_HEADER.size)
    if len(local) != _LOCAL_HEADER.size or not local.startswith(b"PK\x03\x04"):
        raise _RefusedError(f"member {info.filename} has no local header")
    name_length, extra_length = _LOCAL_HEADER.unpack(local)[1:]
    if fh.read(name_length) != info.filename.encode("ascii", "replace"):
        raise _RefusedError(f"member {info.filename} is named otherwise in its local header")
    start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
    if start + info.file_size > size:
        raise _RefusedError(f"member {info.filename} runs past the end of the file")
    fh.seek(start)
    version = npy_format.read_magic(fh)
    if version == (1, 0):
        shape, fortran, found = npy_format.read_array_header_1_0(fh)
    elif version == (2, 0):
        shape, fortran, found = npy_format.read_array_header_2_0(fh)
    else:
        raise _RefusedError(f"member {info.filename} has .npy version {version}")
    if found != dtype or fortran:
        raise _RefusedError(f"member {info.filename} is {found} where {dtype} is expected")
    if any(d < 0 for d in shape):
        raise _RefusedError(f"member {info.filename} has a negative dimension")
    nbytes = math.prod(shape) * dtype.itemsize
    held = info.file_size - (fh.tell() - start)
    if nbytes != held:
        raise _RefusedError(
            f"member {info.filename} announces {nbytes} bytes of data but holds {held}"
        )
    array = np.empty(shape, dtype=dtype)
    if nbytes and fh.readinto(memoryview(array.data).cast("B")) != nbytes:  # type: ignore[attr-defined]
        raise _RefusedError(f"member {info.filename} is truncated")
    return array
