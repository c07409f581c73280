"""Numba settings for every kernel of the library, in one place.

Kernels (``scoring/_kernels/``, ``assignment/_kernels.py``) are compiled lazily on first call,
never at import. On-disk caching of compiled kernels is on unless
``LABOURINT_MATCH_NUMBA_CACHE=0``; numba refuses to cache when it finds no writable location (a
read-only install with no writable home), and then the kernels are simply compiled in each
process. ``fastmath`` stays off: the scoring kernels must give the same bits as the pure-Python
reference's order of operations, and the solvers compare scores for equality to break ties.
``nogil`` is on, so kernels called from several Python threads run side by side: that is how the
scoring kernels use several cores (``scoring/_kernels/_parallel.py``), since ``parallel=True``
(numba's parfor passes, each ``prange`` body compiled again) doubled their first compile. With
``NUMBA_DISABLE_JIT=1`` the kernels run as plain Python (slowly), which is how coverage is measured.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar, cast, overload

import numba

__all__ = ["CACHE", "jit"]

F = TypeVar("F", bound=Callable[..., Any])

CACHE = os.environ.get("LABOURINT_MATCH_NUMBA_CACHE", "1") != "0"


@overload
def jit(fn: F) -> F: ...
@overload
def jit(*, parallel: bool = False, inline: bool = False) -> Callable[[F], F]: ...


def jit(fn: Any = None, *, parallel: bool = False, inline: bool = False) -> Any:
    """``numba.njit`` with the project's flags (cache when possible, no fastmath, nogil).

    ``inline=True`` inlines the function into its callers in numba's own IR (``inline="always"``):
    for small helpers taking several arrays, whose calls would otherwise cost a reference count
    per array on every call.
    """

    def wrap(f: F) -> F:
        flags = {"parallel": parallel, "fastmath": False, "nogil": True,
                 "inline": "always" if inline else "never"}  # fmt: skip
        uncached = numba.njit(cache=False, **flags)  # type: ignore[call-overload]
        if not CACHE:
            return cast(F, uncached(f))
        try:
            return cast(F, numba.njit(cache=True, **flags)(f))  # type: ignore[call-overload]
        except RuntimeError:  # "cannot cache function …: no locator available"
            return cast(F, uncached(f))

    return wrap(fn) if fn is not None else wrap
