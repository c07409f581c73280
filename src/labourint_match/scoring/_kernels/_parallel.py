"""Threads for the kernels: a range of work items cut into parts, run on a pool of Python threads.

The kernels are compiled serial (no ``parallel=True``, no ``prange``) and release the GIL
(``nogil``), so Python threads calling them run side by side. Numba's parallel compilation
(parfor passes, and each ``prange`` body compiled again as a gufunc) roughly doubled the first
call's compile time; a pool of Python threads splits the items at a fraction of that. The thread
count is numba's (:func:`numba.get_num_threads`, which :meth:`~..engine.Scorer.threads_held`
sets), so ``threads=`` keeps its meaning. Results never depend on it, nor on how the items are
cut or which thread runs which part: each item is computed on its own.

With ``per_thread=1`` (the default) each thread runs one contiguous part, as numba's static
schedule of a ``prange`` did. With more, the items are cut into ``per_thread`` parts per thread,
handed out in order from a shared counter to whichever thread is free: a part that takes longer
(harder rows, or a thread the system put aside for a while) no longer holds the whole call back,
as it did with one fixed part per thread (measured on the ranking kernel: see
:func:`~.by_candidate.rank_by_candidate`). The pool lives for the process (created on first use,
again after a fork), so a call does not start threads of its own.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numba

__all__ = ["PARTS_PER_THREAD", "parts", "split_run"]

#: Parts per thread for work handed out as threads come free (``split_run(per_thread=)``).
PARTS_PER_THREAD = 8

_POOL: ThreadPoolExecutor | None = None
_POOL_PID = -1
_POOL_LOCK = threading.Lock()


def parts(n_items: int, n_parts: int) -> list[int]:
    """The bounds of `n_parts` contiguous parts of ``range(n_items)``, sizes differing by ≤ 1.

    Examples
    --------
    >>> parts(10, 3)
    [0, 3, 6, 10]
    """
    return [n_items * p // n_parts for p in range(n_parts + 1)]


def _pool() -> ThreadPoolExecutor:
    """The process's pool of kernel threads (a new one in a child process after a fork).

    As many workers as numba allows threads, less the calling thread; they start when first
    needed and stay, idle, between calls.
    """
    global _POOL, _POOL_PID
    with _POOL_LOCK:
        if _POOL is None or os.getpid() != _POOL_PID:
            limit = int(numba.config.NUMBA_NUM_THREADS)  # type: ignore[attr-defined]
            _POOL = ThreadPoolExecutor(max(1, limit - 1), thread_name_prefix="lm-kernel")
            _POOL_PID = os.getpid()
        return _POOL


def split_run(body: Callable[[int, int], object], n_items: int, per_thread: int = 1) -> None:
    """Call ``body(lo, hi)`` on contiguous parts of ``range(n_items)`` on numba's thread count.

    As many threads as numba's thread count allows (at most `n_items`): the calling thread and
    workers of the process's pool. ``per_thread=1``: one part per thread, the first on the
    calling thread. More: ``per_thread`` parts per thread (at most `n_items` in all), each taken
    by the next thread free, in order. An exception raised by a part is raised here once every
    part started has finished; the parts not yet handed out then are not run.

    Examples
    --------
    >>> seen = []
    >>> split_run(lambda lo, hi: seen.extend(range(lo, hi)), 5)
    >>> sorted(seen)
    [0, 1, 2, 3, 4]
    >>> seen.clear()
    >>> split_run(lambda lo, hi: seen.extend(range(lo, hi)), 9, per_thread=4)
    >>> sorted(seen) == list(range(9))
    True
    """
    n_threads = max(1, min(n_items, numba.get_num_threads()))
    if n_threads == 1:
        body(0, n_items)
        return
    n_parts = min(n_items, n_threads * max(1, per_thread))
    bounds = parts(n_items, n_parts)
    if n_parts == n_threads:  # one part per thread, each thread's part fixed
        pool = _pool()
        others = [pool.submit(body, bounds[p], bounds[p + 1]) for p in range(1, n_parts)]
        try:
            body(bounds[0], bounds[1])
        finally:
            for done in others:
                done.exception()  # wait for every part, whatever the first raised
        for done in others:
            done.result()
        return
    lock = threading.Lock()
    state = [0, False]  # the next part to hand out; whether a part raised

    def deal() -> None:
        while True:
            with lock:
                p = state[0]
                if p >= n_parts or state[1]:
                    return
                state[0] = p + 1
            try:
                body(bounds[p], bounds[p + 1])
            except BaseException:
                state[1] = True
                raise

    pool = _pool()
    helpers: list[Future[None]] = [pool.submit(deal) for _ in range(n_threads - 1)]
    try:
        deal()
    finally:
        # Every part is handed out (or one raised): a helper the pool has not started yet has
        # nothing left to do, so it is cancelled rather than waited for.
        for helper in helpers:
            if not helper.cancel():
                helper.exception()
    for helper in helpers:
        if not helper.cancelled():
            helper.result()
