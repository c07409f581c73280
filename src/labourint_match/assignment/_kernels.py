"""Numba kernels of the assignment solvers: numpy arrays and scalars in, arrays out, nothing else.

Every kernel here has a typed public twin (in ``stable.py`` or ``optimal.py``) that validates the
input, fixes dtypes and contiguity, calls the kernel and wraps the result. The kernels never see
Python objects and never validate; they are compiled lazily, on first call, with the flags of
``labourint_match/_numba.py``.

Edge arrays are indexed by a canonical edge id ``e``: ``cand[e]``, ``vac[e]``, ``score[e]``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .._numba import jit as njit

__all__ = ["deferred_acceptance", "fill_free_capacity"]


@njit
def _worse(a: int, b: int, cand: NDArray[np.int32], score: NDArray[np.float64]) -> bool:
    """Whether a vacancy likes edge `a`'s candidate less than edge `b`'s (lower score, then id)."""
    if score[a] != score[b]:
        return bool(score[a] < score[b])
    return bool(cand[a] > cand[b])


@njit
def _sift_down(heap: NDArray[np.int64], lo: int, size: int, i: int,
               cand: NDArray[np.int32], score: NDArray[np.float64]) -> None:  # fmt: skip
    """Restore the worst-at-root heap ``heap[lo:lo + size]`` below position `i`."""
    while True:
        left = 2 * i + 1
        if left >= size:
            return
        child = left
        right = left + 1
        if right < size and _worse(heap[lo + right], heap[lo + left], cand, score):
            child = right
        if _worse(heap[lo + child], heap[lo + i], cand, score):
            tmp = heap[lo + i]
            heap[lo + i] = heap[lo + child]
            heap[lo + child] = tmp
            i = child
        else:
            return


@njit
def _sift_up(heap: NDArray[np.int64], lo: int, i: int,
             cand: NDArray[np.int32], score: NDArray[np.float64]) -> None:  # fmt: skip
    """Restore the worst-at-root heap starting at ``heap[lo]`` above position `i`."""
    while i > 0:
        parent = (i - 1) // 2
        if _worse(heap[lo + i], heap[lo + parent], cand, score):
            tmp = heap[lo + i]
            heap[lo + i] = heap[lo + parent]
            heap[lo + parent] = tmp
            i = parent
        else:
            return


@njit
def deferred_acceptance(
    pref_ptr: NDArray[np.int64],
    pref_edge: NDArray[np.int64],
    cand: NDArray[np.int32],
    vac: NDArray[np.int32],
    score: NDArray[np.float64],
    heap_ptr: NDArray[np.int64],
) -> NDArray[np.int64]:
    """Candidate-proposing deferred acceptance with capacities.

    Parameters
    ----------
    pref_ptr
        ``int64[n_candidates + 1]``: candidate ``c``'s preference list is
        ``pref_edge[pref_ptr[c]:pref_ptr[c + 1]]``.
    pref_edge
        ``int64[E]``: edge ids, per candidate from most to least preferred.
    cand, vac, score
        ``int32[E]``, ``int32[E]``, ``float64[E]``: the edges.
    heap_ptr
        ``int64[n_vacancies + 1]``: vacancy ``v`` holds at most ``heap_ptr[v + 1] - heap_ptr[v]``
        candidates (its capacity, capped at its number of edges).

    Returns
    -------
    ndarray of int64
        Per candidate, the edge it holds at the end, or -1.

    Notes
    -----
    Each vacancy keeps the edges it has accepted in a heap whose root is the candidate it likes
    least, so a proposal costs ``O(log capacity)``. Preferences are strict (ties are broken by
    index before this kernel is called), so the result is the unique candidate-optimal stable
    matching, whatever order the free candidates propose in.
    """
    n = pref_ptr.shape[0] - 1
    m = heap_ptr.shape[0] - 1
    nxt = pref_ptr[:-1].copy()
    held = np.full(n, -1, dtype=np.int64)
    heap = np.empty(heap_ptr[m], dtype=np.int64)
    size = np.zeros(m, dtype=np.int64)
    stack = np.empty(n, dtype=np.int64)
    top = 0
    for c in range(n - 1, -1, -1):
        if pref_ptr[c + 1] > pref_ptr[c]:
            stack[top] = c
            top += 1
    while top > 0:
        top -= 1
        c = stack[top]
        while nxt[c] < pref_ptr[c + 1]:
            e = pref_edge[nxt[c]]
            nxt[c] += 1
            v = vac[e]
            lo = heap_ptr[v]
            room = heap_ptr[v + 1] - lo
            if room == 0:
                continue
            if size[v] < room:
                heap[lo + size[v]] = e
                _sift_up(heap, lo, size[v], cand, score)
                size[v] += 1
                held[c] = e
                break
            worst = heap[lo]
            if _worse(worst, e, cand, score):
                heap[lo] = e
                _sift_down(heap, lo, size[v], 0, cand, score)
                held[c] = e
                loser = cand[worst]
                held[loser] = -1
                stack[top] = loser
                top += 1
                break
    return held


@njit
def fill_free_capacity(
    cand_ptr: NDArray[np.int64],
    vac: NDArray[np.int32],
    score: NDArray[np.float64],
    remaining: NDArray[np.int64],
    held: NDArray[np.int64],
) -> None:
    """Give each unplaced candidate, in index order, its best edge to a vacancy with room left.

    Parameters
    ----------
    cand_ptr
        ``int64[n_candidates + 1]``: candidate ``c``'s edges are ``cand_ptr[c]:cand_ptr[c + 1]``,
        sorted by vacancy index.
    vac, score
        ``int32[E]``, ``float64[E]``: the edges.
    remaining
        ``int64[n_vacancies]``: openings left per vacancy; updated in place.
    held
        ``int64[n_candidates]``: per candidate, its edge id or -1; updated in place.

    Notes
    -----
    "Best" is the highest score, ties to the lower vacancy index. After one pass every candidate
    still unplaced finds all of its vacancies full, because a full vacancy never empties.
    """
    n = cand_ptr.shape[0] - 1
    for c in range(n):
        if held[c] >= 0:
            continue
        best = -1
        for e in range(cand_ptr[c], cand_ptr[c + 1]):
            if remaining[vac[e]] > 0 and (best < 0 or score[e] > score[best]):
                best = e
        if best >= 0:
            held[c] = best
            remaining[vac[best]] -= 1
