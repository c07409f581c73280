r"""On-disk cache of compiled taxonomies, keyed by the content hash of their source.

An entry is one uncompressed ``.npz`` file (no pickles) holding the arrays of a
:class:`~labourint_match.taxonomy._compiled.Compiled`, its strings as NUL-joined UTF-8 blobs, and a
JSON header with the format version and the key. An entry whose header does not match, whose
members fail their CRC-32 check or whose arrays are inconsistent is treated as absent and rebuilt.
Writes go to a temporary file that is renamed into place, so a crash never leaves a half-written
entry; a cache directory that cannot be written only costs speed.

The directory is ``$LABOURINT_MATCH_CACHE_DIR`` when set, else the platform's user cache directory
(``$XDG_CACHE_HOME/labourint-match``, ``~/.cache/labourint-match``, ``~/Library/Caches/…`` on
macOS, ``%LOCALAPPDATA%\labourint-match`` on Windows).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from pathlib import Path

from .._cachefile import load_dataclass, save_dataclass
from .._version import __version__
from ._compiled import Compiled

__all__ = ["FORMAT_VERSION", "cache_dir", "cache_key", "load", "store"]

logger = logging.getLogger("labourint_match")

#: Bump whenever the compiled layout or a loader's interpretation of its source changes.
FORMAT_VERSION = 1
ENV_VAR = "LABOURINT_MATCH_CACHE_DIR"


def cache_dir() -> Path:
    """Return the directory where compiled taxonomies are cached.

    Examples
    --------
    >>> cache_dir().name in ("labourint-match",) or "LABOURINT_MATCH_CACHE_DIR" in os.environ
    True
    """
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "labourint-match"


def cache_key(loader: str, content_digest: str, options: str = "") -> str:
    """Key of a compiled taxonomy: the loader, the source's content hash, options, versions."""
    text = f"{loader}\n{content_digest}\n{options}\n{FORMAT_VERSION}\n{__version__}"
    return hashlib.sha256(text.encode()).hexdigest()


def _path(key: str) -> Path:
    return cache_dir() / f"taxonomy-{key[:40]}.npz"


def store(key: str, compiled: Compiled) -> bool:
    """Write `compiled` under `key`; return whether it was written (failures are only logged)."""
    return save_dataclass(_path(key), key, FORMAT_VERSION, compiled)


def load(key: str) -> Compiled | None:
    """Return the entry under `key`, or ``None`` when absent, stale or corrupt."""
    return load_dataclass(_path(key), key, FORMAT_VERSION, Compiled)
