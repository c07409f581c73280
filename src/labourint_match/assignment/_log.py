"""The decision log: one JSON line per candidate and per adviser override of a run, appended.

A high-risk AI system under the EU AI Act (Annex III, 4(a): recruitment and selection) must keep
records that let each decision be traced. The log holds what identifies a decision — pseudonymous
ids, the score, the method and the solver that ran, the configuration's digest, the taxonomy's
hash, the library version, the time — and never any profile content (no skills, titles,
languages, places or audit attributes). An adviser's override of a pair (fixed or forbidden) is
logged with the adviser's pseudonymous id and their reason, the one free text the log holds (EU
AI Act Art. 12 and 14). See docs/placement.md for the format.

A run's lines are written with a single ``write`` to a file opened for appending, under an
exclusive lock where the platform has ``fcntl``, then flushed to disk: concurrent runs never
interleave their lines, and a run is logged whole or not at all — a write that fails part-way (a
full disk) is cut back off, and so is a torn last line left by a process killed while writing.
:func:`appending` holds the lock while its caller delivers the results (the command line moves
its output into place) and takes the run's lines back out if that fails. Only regular files are
written: a FIFO, a device or a socket is refused, never waited on.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Final, Literal

from .._output import file_kind
from .._version import __version__
from ..errors import AssignmentError, ConfigError, LabourintMatchWarning
from .overrides import FIXED_REASON, Override
from .result import Assignment, Placement, Unplaced

__all__ = [
    "LOG_KEYS",
    "OVERRIDE_EVENT_KEYS",
    "OVERRIDE_LOG_KEYS",
    "appending",
    "check_log_path",
    "decision_lines",
    "log_override",
    "logging_override",
    "override_event_line",
    "write_decision_log",
]

#: Bytes read at a time while looking back for the end of the last whole line of a log.
_TAIL_BLOCK = 64 * 1024

LOG_KEYS: Final = (
    "time",
    "candidate_id",
    "vacancy_id",
    "score",
    "decision",
    "reason",
    "method",
    "solver",
    "min_score",
    "config",
    "taxonomy",
    "library_version",
    "run_id",
)
"""The keys of every candidate's decision-log line, in order."""

OVERRIDE_LOG_KEYS: Final = (*LOG_KEYS[:6], "adviser", *LOG_KEYS[6:])
"""The keys of an adviser override's line (``decision`` ``"fixed"`` or ``"forbidden"``), in order:
those of a candidate's line and ``adviser`` after ``reason``."""

OVERRIDE_EVENT_KEYS: Final = (
    "time",
    "candidate_id",
    "vacancy_id",
    "decision",
    "event",
    "reason",
    "adviser",
    "by",
    "library_version",
)
"""The keys of an override event's line (:func:`log_override`: an override recorded or
withdrawn, apart from any run), in order."""

OverrideEvent = Literal["recorded", "withdrawn"]
OverrideDecision = Literal["fixed", "forbidden"]


def check_log_path(log: object) -> Path:
    """The log's path, checked before any work is done.

    Raises
    ------
    ConfigError
        `log` is not a path, names a directory or another file that is not a regular file (a
        FIFO, a device, a socket), its directory does not exist, or it cannot be written.
    """
    if isinstance(log, bool) or not isinstance(log, (str, os.PathLike)):
        raise ConfigError(f"log must be a path (str or os.PathLike), not {type(log).__name__}")
    path = Path(os.fspath(log))
    if str(path) in ("", "."):
        raise ConfigError("log must name a file, not an empty path")
    if path.is_dir():
        raise ConfigError(f"log {str(path)!r} is a directory; name a file inside it")
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        raise ConfigError(
            f"log {str(path)!r} is {file_kind(mode)}; the decision log is written to regular files "
            "only: name one"
        )
    if not path.parent.is_dir():
        raise ConfigError(f"the directory of log {str(path)!r} does not exist; create it first")
    target = path if path.exists() else path.parent
    if not os.access(target, os.W_OK):
        raise ConfigError(f"log {str(path)!r} is not writable; fix its permissions first")
    return path


def _override_line(
    o: Override, decision: str, score: float | None, stamp: str, common: dict[str, Any]
) -> dict[str, Any]:
    return {
        "time": stamp,
        "candidate_id": o.candidate_id,
        "vacancy_id": o.vacancy_id,
        "score": score,
        "decision": decision,
        "reason": o.reason,
        "adviser": o.adviser,
        **common,
    }


def decision_lines(result: Assignment, time: datetime) -> list[str]:
    """The run's JSON lines (each with its newline).

    First one line per adviser override (fixed pairs, then forbidden ones, by candidate id and
    vacancy id; keys :data:`OVERRIDE_LOG_KEYS`), then one per candidate, by candidate id (keys
    :data:`LOG_KEYS`); the ``placed`` line of a fixed pair has the reason ``"fixed_by_adviser"``.
    """
    stamp = time.astimezone(timezone.utc).isoformat(timespec="microseconds")
    common: dict[str, Any] = {
        "method": result.method,
        "solver": result.solver,
        "min_score": result.min_score,
        "config": result.config_digest,
        "taxonomy": result.taxonomy_hash,
        "library_version": __version__,
        "run_id": result.run_id,
    }
    records: list[dict[str, Any]] = []
    fixed = {(o.candidate_id, o.vacancy_id) for o in result.fixed}
    placed_score = {(p.candidate_id, p.vacancy_id): p.score for p in result.pairs}
    for o in result.fixed:
        score = placed_score.get((o.candidate_id, o.vacancy_id))
        records.append(_override_line(o, "fixed", score, stamp, common))
    for o in result.forbidden:
        records.append(_override_line(o, "forbidden", None, stamp, common))
    entries: list[Placement | Unplaced] = [*result.pairs, *result.unassigned]
    entries.sort(key=lambda e: e.candidate_id)
    for e in entries:
        if isinstance(e, Placement):
            reason = FIXED_REASON if (e.candidate_id, e.vacancy_id) in fixed else None
            vacancy_id, score, decision = e.vacancy_id, e.score, "placed"
        else:
            reason, vacancy_id, score, decision = e.reason, None, None, "not_placed"
        records.append({
            "time": stamp,
            "candidate_id": e.candidate_id,
            "vacancy_id": vacancy_id,
            "score": score,
            "decision": decision,
            "reason": reason,
            **common,
        })  # fmt: skip
    return [
        json.dumps(r, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
        for r in records
    ]


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: rely on the single O_APPEND write
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def _open(path: Path) -> tuple[int, bool]:
    """The log opened for appending (created 0600), and whether it can be read (to repair it).

    ``O_NONBLOCK`` makes a FIFO that appeared since :func:`check_log_path` fail at once instead of
    waiting for a reader; anything but a regular file is then refused.
    """
    base = os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd, readable = os.open(path, base | os.O_RDWR, 0o600), True
    except PermissionError:  # a write-only log: appended to, but not repaired
        fd, readable = os.open(path, base | os.O_WRONLY, 0o600), False
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise ConfigError(
            f"log {str(path)!r} is {file_kind(mode)}; the decision log is written to regular files "
            "only: name one"
        )
    return fd, readable


def _whole_lines_end(fd: int, size: int) -> int:
    """Where the last whole line of the file ends (just after its newline; 0 if none)."""
    end = size
    while end > 0:
        start = max(0, end - _TAIL_BLOCK)
        block = os.pread(fd, end - start, start)
        cut = block.rfind(b"\n")
        if cut >= 0:
            return start + cut + 1
        end = start
    return 0


def _repair(fd: int, path: Path) -> int:
    """Cut off a torn last line (one without its newline); return the file's size after."""
    size = os.fstat(fd).st_size
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return size
    end = _whole_lines_end(fd, size)
    os.ftruncate(fd, end)
    os.fsync(fd)
    warnings.warn(
        f"the decision log {str(path)!r} ended in an incomplete line ({size - end:,} bytes, left "
        "by a run that was stopped while writing and so returned nothing); it was removed before "
        "this run's lines were appended",
        LabourintMatchWarning,
        stacklevel=2,
    )
    return end


def _take_back(fd: int, size: int, path: Path) -> None:
    """Cut the log back to `size` bytes (this run's lines out), warning if that fails."""
    try:
        os.ftruncate(fd, size)
    except OSError as exc:
        warnings.warn(
            f"the decision log {str(path)!r}: this run's lines could not be taken back out "
            f"({exc.strerror or exc}); the lines of its run_id record decisions it did not deliver",
            LabourintMatchWarning,
            stacklevel=2,
        )
        return
    with contextlib.suppress(OSError):  # cut already; flushing it to disk is best effort
        os.fsync(fd)


def _failed(path: Path, exc: OSError) -> AssignmentError:
    return AssignmentError(
        f"the decision log {str(path)!r} could not be written ({exc.strerror or exc}); "
        "the placement is not returned without its record: fix the path or permissions "
        "and run again"
    )


@contextmanager
def appending(path: Path, result: Assignment, time: datetime | None = None) -> Iterator[int]:
    """Append `result`'s decisions to the log at `path`; take them back out if the block raises.

    The lines are appended whole (one ``write``, flushed to disk) under an exclusive lock that
    is held until the ``with`` block ends, so a caller can deliver the results inside the block
    (move its output file into place) with the log already holding them, and have them taken
    back out if the delivery fails. A write that fails part-way is cut back off; a torn last
    line found in the log (left by a process killed while writing) is cut off first, with a
    :class:`~labourint_match.errors.LabourintMatchWarning`.

    Parameters
    ----------
    path
        The log (see :func:`check_log_path`).
    result
        The placement whose decisions are logged.
    time
        The time stamped on the lines (default: now, UTC).

    Yields
    ------
    int
        The number of lines appended.

    Raises
    ------
    AssignmentError
        The log cannot be opened or written (nothing of this run is left in it).
    ConfigError
        `path` names something other than a regular file.

    Examples
    --------
    >>> import tempfile
    >>> from datetime import date
    >>> from pathlib import Path
    >>> from labourint_match.assignment.result import Assignment, Placement
    >>> run = Assignment(method="optimal", pairs=(Placement("c1", "v1", 0.5),), unassigned=(),
    ...     total_score=0.5, min_score=0.0, pruning=None, solver="dense", config_digest="-",
    ...     taxonomy_hash="-", as_of=date(2026, 1, 1), n_candidates=1, n_vacancies=1,
    ...     n_openings=1, run_id="-")
    >>> log = Path(tempfile.mkdtemp()) / "decisions.jsonl"
    >>> with appending(log, run) as n:
    ...     print(n, len(log.read_text().splitlines()))
    1 1
    >>> try:
    ...     with appending(log, run):
    ...         raise OSError("the output could not be moved into place")
    ... except OSError:
    ...     pass
    >>> len(log.read_text().splitlines())  # the failed delivery's line was taken back out
    1
    """
    when = time if time is not None else datetime.now(timezone.utc)
    lines = decision_lines(result, when)
    with _appended(path, lines):
        yield len(lines)


@contextmanager
def _appended(path: Path, lines: list[str]) -> Iterator[None]:
    """Append `lines` whole under the log's lock; take them back out if the block raises."""
    data = "".join(lines).encode("utf-8")
    try:
        fd, readable = _open(path)
    except OSError as exc:
        raise _failed(path, exc) from exc
    try:
        _lock(fd)  # released when the file is closed
        try:
            start = _repair(fd, path) if readable else os.fstat(fd).st_size
        except OSError as exc:
            raise _failed(path, exc) from exc
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        except BaseException as exc:
            _take_back(fd, start, path)
            if isinstance(exc, OSError):
                raise _failed(path, exc) from exc
            raise
        try:
            yield
        except BaseException:
            _take_back(fd, start, path)
            raise
    finally:
        os.close(fd)


def write_decision_log(path: Path, result: Assignment, time: datetime | None = None) -> int:
    """Append `result`'s decisions to the log at `path`; return the number of lines written.

    Raises
    ------
    AssignmentError
        The file cannot be written (the placement was computed, but is not returned unlogged).
    ConfigError
        `path` names something other than a regular file.
    """
    with appending(path, result, time) as n:
        return n


def override_event_line(
    override: Override,
    decision: OverrideDecision,
    event: OverrideEvent,
    *,
    by: str,
    time: datetime | None = None,
) -> str:
    """The JSON line (with its newline) of an override recorded or withdrawn.

    Keys :data:`OVERRIDE_EVENT_KEYS`: the pair, ``decision`` (``"fixed"`` or ``"forbidden"``),
    ``event`` (``"recorded"`` or ``"withdrawn"``), the override's reason and adviser, ``by`` (the
    adviser who recorded or withdrew it) and the library version. Ids and the reason only: never
    profile content.

    Raises
    ------
    ConfigError
        `override` is not an :class:`Override`, `decision` or `event` is not one of the values
        above, or `by` is not a valid adviser id.
    """
    if not isinstance(override, Override):
        raise ConfigError(f"override must be an Override, not {type(override).__name__}")
    if decision not in ("fixed", "forbidden"):
        raise ConfigError(f"decision must be 'fixed' or 'forbidden', not {str(decision)[:20]!r}")
    if event not in ("recorded", "withdrawn"):
        raise ConfigError(f"event must be 'recorded' or 'withdrawn', not {str(event)[:20]!r}")
    if not isinstance(by, str):
        raise ConfigError(f"by must be a string (an adviser id), not {type(by).__name__}")
    # `by` follows the rules of an adviser id: checked as an Override's adviser field is.
    try:
        Override(candidate_id=override.candidate_id, vacancy_id=override.vacancy_id,
                 reason=override.reason, adviser=by)  # fmt: skip
    except ValueError:
        raise ConfigError(
            "by must be an adviser id (non-empty, at most MAX_ID_LENGTH characters, no "
            "surrounding whitespace, no control or invisible characters)"
        ) from None
    when = time if time is not None else datetime.now(timezone.utc)
    record = {
        "time": when.astimezone(timezone.utc).isoformat(timespec="microseconds"),
        "candidate_id": override.candidate_id,
        "vacancy_id": override.vacancy_id,
        "decision": decision,
        "event": event,
        "reason": override.reason,
        "adviser": override.adviser,
        "by": by,
        "library_version": __version__,
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


@contextmanager
def logging_override(
    path: Path,
    override: Override,
    decision: OverrideDecision,
    event: OverrideEvent,
    *,
    by: str,
    time: datetime | None = None,
) -> Iterator[None]:
    """Append an override event's line (:func:`log_override`); take it back out if the block raises.

    The log stays locked until the block ends, so a caller can store the override inside the
    block: the line and the stored override then exist together or not at all.

    Raises
    ------
    AssignmentError
        The log cannot be opened or written (nothing is left in it).
    ConfigError
        `path` names something other than a regular file; an argument is invalid (see
        :func:`override_event_line`).
    """
    line = override_event_line(override, decision, event, by=by, time=time)
    with _appended(Path(os.fspath(path)), [line]):
        yield


def log_override(
    path: str | os.PathLike[str],
    override: Override,
    decision: OverrideDecision,
    event: OverrideEvent,
    *,
    by: str,
    time: datetime | None = None,
) -> None:
    """Append one line to the decision log: an adviser override recorded or withdrawn.

    A run logs the overrides it honours (:func:`write_decision_log`); this logs the overrides
    themselves when they are made and when they are taken back, so one that is withdrawn before
    any run is on record too (EU AI Act, Art. 12 and 14). The line is appended through the
    same locked, whole-or-nothing machinery as a run's lines. Its keys are
    :data:`OVERRIDE_EVENT_KEYS` (see docs/placement.md, "The decision log"); it holds ids and
    the reason, never profile content.

    Parameters
    ----------
    path
        The decision log (a regular file in an existing directory; created if missing).
    override
        The override: the pair, the reason and the adviser who made it.
    decision
        ``"fixed"`` or ``"forbidden"``: what the override does to the pair.
    event
        ``"recorded"`` (put in force) or ``"withdrawn"`` (taken out of force).
    by
        The pseudonymous id of the adviser who recorded or withdrew it (for a withdrawal, often
        not the one who made it).
    time
        The time stamped on the line (default: now, UTC).

    Raises
    ------
    AssignmentError
        The log cannot be opened or written (nothing is left in it).
    ConfigError
        `path` is not a writable regular file in an existing directory, or an argument is not
        one of the values above.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> log = Path(tempfile.mkdtemp()) / "decisions.jsonl"
    >>> o = Override(candidate_id="c-17", vacancy_id="v-3", reason="declined this employer",
    ...              adviser="adv-2")
    >>> log_override(log, o, "forbidden", "recorded", by="adv-2")
    >>> log_override(log, o, "forbidden", "withdrawn", by="adv-5")
    >>> [(x["event"], x["decision"], x["adviser"], x["by"])
    ...  for x in map(json.loads, log.read_text().splitlines())]
    [('recorded', 'forbidden', 'adv-2', 'adv-2'), ('withdrawn', 'forbidden', 'adv-2', 'adv-5')]
    """
    checked = check_log_path(path)
    with logging_override(checked, override, decision, event, by=by, time=time):
        pass
