"""Running the command line: :func:`main`, its exit codes and how errors are reported."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from typing import BinaryIO, TextIO

from .._output import Terminated, signals_raise
from ..errors import LabourintMatchError
from ._commands import _parser, _usage_problem
from ._io import PROG, _check_outputs, _Progress, _stdin

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
EXIT_BROKEN_PIPE = 141


# -- running --------------------------------------------------------------------------------------


def _message(exc: BaseException) -> str:
    """The error as one line."""
    if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
        text = f"{exc.filename}: {exc.strerror}"
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    text = " ".join(str(message).split())
    print(f"{PROG}: warning: {text}", file=sys.stderr)


def _silence_stdout() -> None:
    # After a broken pipe (`labourint-match rank … | head`), later flushes must not fail again.
    with contextlib.suppress(OSError, ValueError, AttributeError):  # platform dependent
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


Handler = Callable[[argparse.Namespace, TextIO, _Progress, BinaryIO], None]


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command line; return the exit code.

    Parameters
    ----------
    argv
        The arguments (default: ``sys.argv[1:]``).
    out
        Where results go (default: standard output). Errors, warnings and progress go to
        standard error.

    Returns
    -------
    int
        0 success, 1 bad input, 2 bad usage, 3 internal error, 130 interrupted (Ctrl-C), 143
        terminated (SIGTERM), 141 when standard output is closed early, as by ``| head``.

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> main(["taxonomy", "info"], out=buf)
    0
    >>> "occupation" in buf.getvalue()
    True
    """
    stdout = out if out is not None else sys.stdout
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        problem = _usage_problem(args)
        if problem is not None:
            args.subparser.error(problem)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    progress = _Progress(sys.stderr)
    handler: Handler = args.handler
    stdin = _stdin()
    try:
        with signals_raise(), warnings.catch_warnings():
            warnings.showwarning = _show_warning
            _check_outputs(args, stdin, stdout)
            handler(args, stdout, progress, stdin)
    except BrokenPipeError:
        if out is not None:
            raise
        progress.clear()
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except (LabourintMatchError, OSError) as exc:
        progress.clear()
        if args.debug:
            traceback.print_exc()
        print(f"{PROG}: error: {_message(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        progress.clear()
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        progress.clear()
        print(f"{PROG}: terminated", file=sys.stderr)
        return EXIT_TERMINATED
    except Exception as exc:
        progress.clear()
        if args.debug:
            traceback.print_exc()
        print(
            f"{PROG}: internal error: {type(exc).__name__}: {_message(exc)} (this is a bug; "
            "rerun with --debug and report the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    finally:
        progress.clear()
    return EXIT_OK
