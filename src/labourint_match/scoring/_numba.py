"""Numba settings in one place, and a `jit` that works when the numba cache cannot be written.

Kernels are compiled lazily on first call (never at import). On-disk caching of compiled kernels
is on unless ``LABOURINT_MATCH_NUMBA_CACHE=0``; numba refuses to cache when it finds no writable
location for its cache (a read-only install with no writable home), in which case the kernels are
simply compiled in each process. ``fastmath`` stays off: the kernels must give the same bits as the
pure-Python reference's order of operations.
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
def jit(*, parallel: bool = False) -> Callable[[F], F]: ...


def jit(fn: Any = None, *, parallel: bool = False) -> Any:
    """``numba.njit`` with the project's flags (cache when possible, no fastmath)."""

    def wrap(f: F) -> F:
        if CACHE:
            try:
                return cast(F, numba.njit(cache=True, parallel=parallel, fastmath=False)(f))
            except RuntimeError:  # "cannot cache function …: no locator available"
                pass
        return cast(F, numba.njit(cache=False, parallel=parallel, fastmath=False)(f))

    return wrap(fn) if fn is not None else wrap
