"""The decision log: one JSON line per candidate and placement run, appended to a file.

A high-risk AI system under the EU AI Act (Annex III, 4(a): recruitment and selection) must keep
records that let each decision be traced. The log holds what identifies a decision — pseudonymous
ids, the score, the method, the configuration's digest, the taxonomy's hash, the library version,
the time — and never any profile content (no skills, titles, languages, places or audit
attributes). See docs/placement.md for the format.

A run's lines are written with a single ``write`` to a file opened for appending, under an
exclusive lock where the platform has ``fcntl``, then flushed to disk: concurrent runs never
interleave their lines, and a run is logged whole or not at all (short of a full disk).
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Final

from .._version import __version__
from ..errors import AssignmentError, ConfigError
from .result import Assignment, Placement, Unplaced

__all__ = ["LOG_KEYS", "check_log_path", "decision_lines", "write_decision_log"]

LOG_KEYS: Final = (
    "time",
    "candidate_id",
    "vacancy_id",
    "score",
    "decision",
    "reason",
    "method",
    "min_score",
    "config",
    "taxonomy",
    "library_version",
    "run_id",
)
"""The keys of every decision-log line, in order."""


def check_log_path(log: object) -> Path:
    """The log's path, checked before any work is done.

    Raises
    ------
    ConfigError
        `log` is not a path, names a directory, its directory does not exist, or it cannot be
        written.
    """
    if isinstance(log, bool) or not isinstance(log, (str, os.PathLike)):
        raise ConfigError(f"log must be a path (str or os.PathLike), not {type(log).__name__}")
    path = Path(os.fspath(log))
    if str(path) in ("", "."):
        raise ConfigError("log must name a file, not an empty path")
    if path.is_dir():
        raise ConfigError(f"log {str(path)!r} is a directory; name a file inside it")
    if not path.parent.is_dir():
        raise ConfigError(f"the directory of log {str(path)!r} does not exist; create it first")
    target = path if path.exists() else path.parent
    if not os.access(target, os.W_OK):
        raise ConfigError(f"log {str(path)!r} is not writable; fix its permissions first")
    return path


def decision_lines(result: Assignment, time: datetime) -> list[str]:
    """One JSON line (with its newline) per candidate of `result`, by candidate id."""
    stamp = time.astimezone(timezone.utc).isoformat(timespec="microseconds")
    common: dict[str, Any] = {
        "method": result.method,
        "min_score": result.min_score,
        "config": result.config_digest,
        "taxonomy": result.taxonomy_hash,
        "library_version": __version__,
        "run_id": result.run_id,
    }
    entries: list[Placement | Unplaced] = [*result.pairs, *result.unassigned]
    entries.sort(key=lambda e: e.candidate_id)
    lines = []
    for e in entries:
        placed = isinstance(e, Placement)
        record: dict[str, Any] = {
            "time": stamp,
            "candidate_id": e.candidate_id,
            "vacancy_id": e.vacancy_id if isinstance(e, Placement) else None,
            "score": e.score if isinstance(e, Placement) else None,
            "decision": "placed" if placed else "not_placed",
            "reason": None if isinstance(e, Placement) else e.reason,
            **common,
        }
        lines.append(
            json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
        )
    return lines


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: rely on the single O_APPEND write
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def write_decision_log(path: Path, result: Assignment, time: datetime | None = None) -> int:
    """Append `result`'s decisions to the log at `path`; return the number of lines written.

    Raises
    ------
    AssignmentError
        The file cannot be written (the placement was computed, but is not returned unlogged).
    """
    when = time if time is not None else datetime.now(timezone.utc)
    lines = decision_lines(result, when)
    data = "".join(lines).encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            _lock(fd)  # released when the file is closed
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise AssignmentError(
            f"the decision log {str(path)!r} could not be written ({exc.strerror or exc}); "
            "the placement is not returned without its record: fix the path or permissions "
            "and run again"
        ) from exc
    return len(lines)
