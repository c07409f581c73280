"""Threads for the kernels: a range of work items cut into one contiguous part per thread.

The kernels are compiled serial (no ``parallel=True``, no ``prange``) and release the GIL
(``nogil``), so Python threads calling them run side by side. Numba's parallel compilation
(parfor passes, and each ``prange`` body compiled again as a gufunc) roughly doubled the first
call's compile time, and its thread pool cost more per call than the demo's whole ranking; a pool
of Python threads gives the same static split of the items (one contiguous part per thread, as
numba's ``workqueue`` layer splits a ``prange``) at a fraction of both. The thread count is
numba's (:func:`numba.get_num_threads`, which :meth:`~..engine.Scorer.threads_held` sets), so
``threads=`` keeps its meaning. Results never depend on it: each item is computed on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numba

__all__ = ["parts", "split_run"]


def parts(n_items: int, n_parts: int) -> list[int]:
    """The bounds of `n_parts` contiguous parts of ``range(n_items)``, sizes differing by ≤ 1.

    Examples
    --------
    >>> parts(10, 3)
    [0, 3, 6, 10]
    """
    return [n_items * p // n_parts for p in range(n_parts + 1)]


def split_run(body: Callable[[int, int], object], n_items: int) -> None:
    """Call ``body(lo, hi)`` on contiguous parts of ``range(n_items)``, one part per thread.

    As many parts as numba's thread count allows (at most `n_items`); the first part runs on the
    calling thread, the others on threads of a pool that lives for this call. An exception raised
    by any part is raised here once every part has finished.

    Examples
    --------
    >>> seen = []
    >>> split_run(lambda lo, hi: seen.extend(range(lo, hi)), 5)
    >>> sorted(seen)
    [0, 1, 2, 3, 4]
    """
    n_parts = max(1, min(n_items, numba.get_num_threads()))
    bounds = parts(n_items, n_parts)
    if n_parts == 1:
        body(0, n_items)
        return
    with ThreadPoolExecutor(max_workers=n_parts - 1, thread_name_prefix="lm-kernel") as pool:
        others = [pool.submit(body, bounds[p], bounds[p + 1]) for p in range(1, n_parts)]
        body(bounds[0], bounds[1])
        for done in others:
            done.result()
