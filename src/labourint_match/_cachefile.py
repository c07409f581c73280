"""One format for the library's on-disk caches: a dataclass of arrays and strings as an ``.npz``.

Used by the compiled-taxonomy cache and the skill resolver's index cache. An entry is an
uncompressed ``.npz`` (no pickles): numpy array fields as they are, ``tuple[str, ...]`` fields as
NUL-joined UTF-8 blobs, and a JSON header with the format version, the key and the string counts.
Writes go to a temporary file renamed into place, so a crash never leaves a half-written entry; a
directory that cannot be written only costs speed. On reading, an entry whose header does not
match, whose members fail zipfile's CRC-32 checks, or whose object fails its own ``check()`` is
ignored (and logged), so that the caller rebuilds it: never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np

__all__ = ["content_digest", "encode_fields", "load_dataclass", "save_dataclass"]

logger = logging.getLogger("labourint_match")


class _Checked(Protocol):
    def check(self) -> None: ...


T = TypeVar("T", bound=_Checked)


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


def save_dataclass(path: Path, key: str, format_version: int, obj: Any) -> bool:
    """Write `obj` (a dataclass of arrays and string tuples) under `key`; False when not written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays, counts = encode_fields(obj)
        header = {"format": format_version, "key": key, "counts": counts}
        arrays["__header__"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **arrays)  # type: ignore[arg-type]
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        logger.debug("cache entry not written (%s): %s", path.parent, exc)
        return False
    return True


def load_dataclass(path: Path, key: str, format_version: int, cls: type[T]) -> T | None:
    """Read the entry under `key` as a `cls`, or None when absent, stale or corrupt."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(bytes(data["__header__"]).decode())
            if header.get("format") != format_version or header.get("key") != key:
                raise ValueError("stale entry")
            values: dict[str, Any] = {}
            for f in fields(cls):  # type: ignore[arg-type]
                a = data[f.name]  # zipfile checks each member's CRC-32 as it reads
                if f.name in header["counts"]:
                    n = header["counts"][f.name]
                    strings = tuple(a.tobytes().decode("utf-8").split("\x00")) if n else ()
                    if len(strings) != n:
                        raise ValueError(f"{f.name}: expected {n} strings")
                    values[f.name] = strings
                else:
                    values[f.name] = a
        obj = cls(**values)
        obj.check()
        return obj
    except Exception as exc:  # a corrupt entry of any kind is rebuilt, never trusted
        logger.warning("cache entry %s ignored and rebuilt: %s", path.name, exc)
        return None
