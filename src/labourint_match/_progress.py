"""Progress reporting for the long calls: one small helper every module uses the same way.

``progress=`` options across the library take ``None``, ``True`` or ``False``:

- ``None`` (the default): on in a Jupyter notebook (an IPython kernel is running), off in plain
  library calls (a script, a service, a test) — so a library call never writes to a terminal it
  was not asked to;
- ``True``: on (the command line passes it when its standard error is a terminal);
- ``False``: off.

When on, the bar is ``tqdm.auto.tqdm`` when tqdm is installed (a widget in a notebook, a bar on a
terminal), else a plain line on standard error every few seconds and at the end. Output goes to
standard error only, never to standard output; the description names the step and counts
records ("candidates", "texts"), never their ids or contents.

Examples
--------
>>> from labourint_match._progress import progress_bar
>>> with progress_bar(3, "explaining", False, unit="pairs") as bar:
...     for _ in range(3):
...         bar.update()
>>> bar.n
3

A call made of a few named steps reports each as it starts (:func:`progress_stages`):

>>> with progress_stages(("validating", "encoding"), "ranking", False) as steps:
...     steps.start("validating")
...     steps.start("encoding")
>>> steps.done
2
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from .errors import ConfigError

__all__ = [
    "Progress",
    "Stages",
    "check_progress",
    "progress_bar",
    "progress_enabled",
    "progress_stages",
]

#: Seconds between two lines of the plain (tqdm-less) reporter.
PLAIN_INTERVAL = 5.0


class Progress(Protocol):
    """What a caller of :func:`progress_bar` may use: ``update(n)`` and the count so far."""

    n: int

    def update(self, n: int = 1) -> Any: ...


def check_progress(progress: object) -> bool | None:
    """`progress` itself, or a ConfigError unless it is True, False or None."""
    if progress is not None and not isinstance(progress, bool):
        raise ConfigError(f"progress must be True, False or None, not {type(progress).__name__}")
    return progress


def _in_notebook() -> bool:
    """Whether the code runs in a Jupyter kernel (IPython with a kernel attached)."""
    ipython = sys.modules.get("IPython")
    if ipython is None or "ipykernel" not in sys.modules:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:  # pragma: no cover - an IPython too broken to ask
        return False
    return shell is not None and hasattr(shell, "kernel")


def progress_enabled(progress: bool | None) -> bool:
    """Whether a call given ``progress=`` reports: True/False as given, None in notebooks only."""
    check_progress(progress)
    return _in_notebook() if progress is None else progress


class _Silent:
    """Counts and says nothing (progress off)."""

    def __init__(self) -> None:
        self.n = 0

    def update(self, n: int = 1) -> None:
        self.n += n

    def close(self) -> None:
        return None


class _Plain:
    """A line on standard error every `PLAIN_INTERVAL` seconds and at the end (no tqdm)."""

    def __init__(self, total: int | None, desc: str, unit: str) -> None:
        self.n = 0
        self.total = total
        self.desc = desc
        self.unit = unit
        self._start = self._last = time.monotonic()

    def _line(self) -> None:
        of = f"/{self.total:,}" if self.total is not None else ""
        spent = time.monotonic() - self._start
        print(f"{self.desc}: {self.n:,}{of} {self.unit} ({spent:.1f} s)", file=sys.stderr)

    def update(self, n: int = 1) -> None:
        self.n += n
        now = time.monotonic()
        if now - self._last >= PLAIN_INTERVAL:
            self._last = now
            self._line()

    def close(self) -> None:
        self._line()

    def set_postfix_str(self, text: str) -> None:
        """Name the part of the step now running: a line of its own (stages are few)."""
        of = f"/{self.total:,}" if self.total is not None else ""
        spent = time.monotonic() - self._start
        print(f"{self.desc}: {text} ({self.n:,}{of} {self.unit} done, {spent:.1f} s)",
              file=sys.stderr)  # fmt: skip
        self._last = time.monotonic()


def _tqdm(total: int | None, desc: str, unit: str) -> Any | None:
    try:
        tqdm = importlib.import_module("tqdm.auto").tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc=desc, unit=f" {unit}", file=sys.stderr, leave=False)


@contextmanager
def progress_bar(
    total: int | None, desc: str, enabled: bool | None = None, *, unit: str = "it"
) -> Iterator[Progress]:
    """A progress reporter for one long step: ``with progress_bar(...) as bar: bar.update(n)``.

    Parameters
    ----------
    total
        How many units the step has (``None``: unknown).
    desc
        What the step does, in a few words ("training needs"); never personal data.
    enabled
        The caller's ``progress=`` option (see the module docstring): None, True or False.
    unit
        What is counted ("candidates", "texts").

    Raises
    ------
    ConfigError
        `enabled` is not True, False or None.
    """
    bar: Any = None
    if progress_enabled(enabled):
        # `is None`, not `or`: a tqdm bar's truthiness is its total (falsy at 0, a TypeError
        # when unknown), not whether there is one.
        bar = _tqdm(total, desc, unit)
        if bar is None:
            bar = _Plain(total, desc, unit)
    else:
        bar = _Silent()
    try:
        yield bar
    finally:
        bar.close()


class Stages:
    """The reporter of :func:`progress_stages`: ``start(name)`` as each stage begins."""

    def __init__(self, bar: Any, names: tuple[str, ...]) -> None:
        self._bar = bar
        self._names = names
        self._running = False
        #: Stages finished so far.
        self.done = 0

    def start(self, name: str) -> None:
        """The previous stage (if any) is finished and `name`, one of the stages, begins."""
        if name not in self._names:  # pragma: no cover - a programming error
            raise ValueError(f"unknown stage {name!r}")
        if self._running:
            self._finish()
        self._running = True
        show = getattr(self._bar, "set_postfix_str", None)
        if show is not None:
            show(name)

    def _finish(self) -> None:
        self._running = False
        self.done += 1
        self._bar.update(1)


@contextmanager
def progress_stages(names: Sequence[str], desc: str, enabled: bool | None = None) -> Iterator[
    Stages
]:  # fmt: skip
    """A progress reporter for a call made of a few named stages, run one after another.

    ``with progress_stages(("validating", "encoding"), "ranking", progress) as s:`` then
    ``s.start("validating")`` … as each stage begins: a bar counting stages, the running one
    named beside it (tqdm), or a line on standard error as each begins (without tqdm). The last
    stage started is counted finished when the ``with`` block ends without an error.

    Parameters
    ----------
    names
        The stages, in order ("validating", "encoding"); never personal data.
    desc
        What the call does, in a few words ("ranking").
    enabled
        The caller's ``progress=`` option (see the module docstring): None, True or False.

    Raises
    ------
    ConfigError
        `enabled` is not True, False or None.
    """
    stages = tuple(names)
    with progress_bar(len(stages), desc, enabled, unit="stages") as bar:
        steps = Stages(bar, stages)
        yield steps
        if steps._running:
            steps._finish()
