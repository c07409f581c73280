"""How the command line writes its outputs: to regular files only, never over an input, whole.

* :func:`output_target` checks an ``-o`` (or ``--log``) path before anything is computed: a symbolic
  link is followed to the file it names (the link stays), and the file must be a regular file or
  not exist yet — a directory, a FIFO, a socket or a device is refused, and so is a file that is
  also one of the run's inputs (compared by device and inode, so hard links and links count).
* :func:`staged` writes beside the file and moves the result into place once it is complete. An
  existing file keeps its mode (and, where allowed, its owner and group); a file with more than
  one hard link is instead rewritten in place once the result is complete, so that every link
  sees it. The temporary file is removed on any error, on Ctrl-C and on SIGTERM.
* :func:`signals_raise` turns SIGINT into KeyboardInterrupt and SIGTERM into :class:`Terminated`,
  so that the clean-up above runs; a signal that arrives while a numba kernel runs is held until
  the kernel returns (raised inside numba's machinery, it would crash the process).
* :func:`csv_safe` neutralises spreadsheet formulas in CSV cells (OWASP's CSV injection advice).
"""

from __future__ import annotations

import _thread
import contextlib
import os
import re
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from .errors import ConfigError

__all__ = [
    "Terminated",
    "csv_safe",
    "file_kind",
    "in_compiled_code",
    "output_target",
    "same_file",
    "signals_raise",
    "staged",
]

#: A cell starting with one of these is read as a formula by Excel, LibreOffice Calc or Google
#: Sheets (OWASP, "CSV Injection"; ASVS 5.0 1.2.10 adds NUL).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
#: A plain decimal number ("-3", "+0.25", "-1e-05"): a spreadsheet reads it as that number.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def csv_safe(text: str) -> str:
    r"""`text` as a CSV cell that no spreadsheet evaluates as a formula.

    A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or NUL gets a
    single quote in front (spreadsheets show the rest as text), unless the whole cell is a plain
    number such as ``-3`` or ``+0.5``, which stays a number.

    Examples
    --------
    >>> csv_safe('=HYPERLINK("http://x.example","click")')
    '\'=HYPERLINK("http://x.example","click")'
    >>> csv_safe("-0.25"), csv_safe("-1+2"), csv_safe("c-17")
    ('-0.25', "'-1+2", 'c-17')
    """
    if text.startswith(_FORMULA_START) and _NUMBER.fullmatch(text) is None:
        return "'" + text
    return text


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words (from its ``st_mode``).

    Examples
    --------
    >>> import stat
    >>> file_kind(stat.S_IFIFO | 0o600)
    'a FIFO (named pipe)'
    """
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def same_file(a: os.stat_result, b: os.stat_result) -> bool:
    """Whether two stats are of one file (one device and inode)."""
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _stat(path: Path | str, shown: str, what: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"{what} {shown}: cannot be checked ({exc.strerror})") from None


def output_target(
    output: str, inputs: Sequence[tuple[str, os.stat_result]], *, what: str = "-o"
) -> Path:
    """The regular file to write for `output` (symbolic links followed), or a ConfigError.

    Parameters
    ----------
    output
        The path as given on the command line.
    inputs
        The files the output must not be (the run's inputs), each as (how to name it in a message,
        its ``os.stat``).
    what
        The option, for messages (``-o``, ``--log``).
    """
    shown = f"{what} {output}"
    path = Path(output)
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        link = None
    except OSError as exc:
        raise ConfigError(f"cannot write {shown}: {exc.strerror}") from None
    if link is not None and stat.S_ISLNK(link.st_mode):
        getuid = getattr(os, "getuid", None)
        # The case fs.protected_symlinks guards in /tmp: a link someone else planted, which
        # os.path.realpath would follow where open() would not.
        if getuid is not None and link.st_uid not in (0, getuid()):
            raise ConfigError(
                f"cannot write {shown}: it is a symbolic link owned by another user; name the "
                "file it points to"
            )
    target = Path(os.path.realpath(path))
    # The name as given, links followed by the system: /dev/stdout and /proc/self/fd/N lead to a
    # pipe or a terminal that realpath cannot name ("…/pipe:[123]" does not exist).
    st = _stat(path, shown, "cannot write")
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise ConfigError(f"cannot write {shown}: it is a directory; name a file")
        if not stat.S_ISREG(st.st_mode):
            hint = "; -o - writes to standard output" if what == "-o" else ""
            raise ConfigError(
                f"cannot write {shown}: it is {file_kind(st.st_mode)}; outputs are written to "
                f"regular files only{hint}"
            )
        for name, input_stat in inputs:
            if same_file(st, input_stat):
                raise ConfigError(f"cannot write {shown}: it is also {name}; name another file")
    if not target.parent.is_dir():
        raise ConfigError(f"cannot write {shown}: the directory {target.parent} does not exist")
    return target


def _keep_owner_and_mode(tmp: str, st: os.stat_result) -> None:
    os.chmod(tmp, stat.S_IMODE(st.st_mode))
    chown = getattr(os, "chown", None)
    if chown is not None:
        try:
            chown(tmp, st.st_uid, st.st_gid)
        except OSError:  # not root: keep at least the group where we are in it
            with contextlib.suppress(OSError):
                chown(tmp, -1, st.st_gid)
        # chown may clear set-id bits: set the mode again.
        os.chmod(tmp, stat.S_IMODE(st.st_mode))


def _rewrite_in_place(tmp: str, target: Path, st: os.stat_result, shown: str) -> None:
    """Copy the finished `tmp` into the existing file `target` (the same inode, every link)."""
    flags = os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(target, flags)
    with os.fdopen(fd, "wb") as dst:
        now = os.fstat(dst.fileno())
        if not (stat.S_ISREG(now.st_mode) and same_file(now, st)):
            raise ConfigError(f"cannot write {shown}: the file changed while this run wrote it")
        dst.truncate(0)
        with open(tmp, "rb") as src:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
    os.unlink(tmp)


def _finish(tmp: str, target: Path, shown: str) -> None:
    st = _stat(target, shown, "cannot write")
    if st is None:
        os.replace(tmp, target)  # a new file: created with mode 0600, readable by its owner only
        return
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError(f"cannot write {shown}: it became {file_kind(st.st_mode)} during the run")
    if st.st_nlink > 1:
        _rewrite_in_place(tmp, target, st, shown)
        return
    _keep_owner_and_mode(tmp, st)
    os.replace(tmp, target)


@contextmanager
def staged(target: Path, shown: str) -> Iterator[TextIO]:
    """A text file that becomes `target` once the ``with`` block ends without an error.

    The text is written to a hidden ``.NAME.*.tmp`` beside `target`, which is removed on any
    error, on KeyboardInterrupt and on :class:`Terminated`. A write error (a full disk) becomes
    a ConfigError naming `shown`.
    """
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ConfigError(f"cannot write {shown}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
            yield file
        _finish(tmp, target, shown)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        # Errors of writing (no file name: a full disk) or of moving the file into place; an
        # OSError about some other file (none is read here) goes on as it is.
        if isinstance(exc, OSError) and (
            exc.filename is None or str(exc.filename) in (tmp, str(target))
        ):
            raise ConfigError(f"cannot write {shown}: {exc.strerror or exc}") from None
        raise


class Terminated(BaseException):
    """SIGTERM arrived: unwind (removing temporary files) and exit with status 143."""


#: Modules whose Python code may run while a compiled kernel is on the stack: numba runs its own
#: Python helpers from inside compiled code (``numba.core.serialize._numba_unpickle`` as a kernel
#: returns its results), and compiles and loads kernels through llvmlite. An exception raised
#: there (a KeyboardInterrupt from a Ctrl-C) leaves a half-built result that crashes the process.
_COMPILED_CODE_MODULES = ("numba", "llvmlite")
#: How often a held signal checks whether the kernel has returned, in seconds.
_HELD_SIGNAL_POLL = 0.02


def in_compiled_code(frame: FrameType | None) -> bool:
    """Whether `frame` or one of its callers is numba's or llvmlite's Python code.

    Examples
    --------
    >>> import sys
    >>> in_compiled_code(sys._getframe())
    False
    """
    while frame is not None:
        name = frame.f_globals.get("__name__")
        if isinstance(name, str) and name.split(".", 1)[0] in _COMPILED_CODE_MODULES:
            return True
        frame = frame.f_back
    return False


def _stop(signum: int) -> BaseException:
    if signum == signal.SIGINT:
        return KeyboardInterrupt()
    return Terminated(signum)


@contextmanager
def signals_raise() -> Iterator[None]:
    """Within the block, SIGINT raises KeyboardInterrupt and SIGTERM :class:`Terminated`, once.

    A signal that arrives while a numba kernel runs (or numba compiles or loads one) is held
    until the kernel has returned, and raised then: numba cannot stop a running kernel, and an
    exception raised inside its machinery crashes the process (SIGSEGV) instead of stopping it.
    Only the first signal is raised; later ones are ignored, so that they cannot interrupt the
    clean-up of the first. Outside the main thread, or where the signals cannot be caught,
    nothing changes.

    Examples
    --------
    >>> import signal
    >>> with signals_raise():
    ...     try:
    ...         signal.raise_signal(signal.SIGTERM)
    ...     except Terminated:
    ...         print("stopped")
    stopped
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []  # the signal waiting for the kernel to return
    raised = closing = False
    done = threading.Event()
    lock = threading.Lock()

    def poll() -> None:
        # Wakes the main thread's handler until it has raised the held signal.
        while not done.wait(_HELD_SIGNAL_POLL):
            with lock:
                if done.is_set() or raised:
                    return
                _thread.interrupt_main(signal.Signals(held[0]))

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal raised
        if raised:
            return
        if closing or in_compiled_code(frame):
            if not held:
                held.append(signum)
                if not closing:
                    name = "labourint-match-held-signal"
                    threading.Thread(target=poll, name=name, daemon=True).start()
            return
        raised = True
        raise _stop(held[0] if held else signum)

    previous: dict[signal.Signals, Any] = {}
    try:
        for caught in (signal.SIGINT, signal.SIGTERM):
            previous[caught] = signal.signal(caught, handler)
    except (ValueError, OSError, AttributeError):  # pragma: no cover - platform dependent
        pass
    try:
        yield
    finally:
        closing = True  # a signal from here on is held, and raised below on a normal exit
        with lock:
            done.set()
        for caught, before in previous.items():
            signal.signal(caught, before)  # runs the handler of a pending signal first
    if held and not raised:
        raise _stop(held[0])
