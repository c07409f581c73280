"""Edge lists, their validation, the solver result, and top-k pruning (shared by both solvers).

A placement problem is a sparse bipartite edge list of eligible (candidate, vacancy) pairs —
``cand: int32[E]``, ``vac: int32[E]``, ``score: float[E]`` — with ``n_candidates`` and
``capacity: int64[n_vacancies]``. Nothing else reaches a solver: no ids, no profiles, no personal
attribute.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt
from numpy.typing import NDArray

from ..errors import AssignmentError, ConfigError
from ._kernels import fill_free_capacity

__all__ = ["Edges", "Reason", "SolverResult", "make_result", "prune_top_k", "validate_edges"]

_INT32_MAX = int(np.iinfo(np.int32).max)
_INT64_MAX = int(np.iinfo(np.int64).max)


class Reason(IntEnum):
    """Why a candidate is, or is not, placed (the values of :attr:`SolverResult.reason`).

    Examples
    --------
    >>> from labourint_match.assignment import Reason
    >>> Reason(3).name
    'OUTCOMPETED'
    """

    ASSIGNED = 0
    """The candidate is placed."""
    NO_EDGE = 1
    """No eligible vacancy at or above the minimum score: the candidate had no edge at all."""
    NO_OPENING = 2
    """Every vacancy the candidate had an edge to has zero capacity."""
    OUTCOMPETED = 3
    """The candidate had edges to vacancies with openings, but others filled all of them."""


@dataclass(frozen=True, repr=False, eq=False)
class SolverResult:
    """A placement of candidates on vacancies, computed from an edge list.

    Every array has one entry per candidate (``n_candidates``) and is read-only.

    Attributes
    ----------
    assigned : ndarray of int32
        The vacancy index of each candidate, or -1 when unassigned.
    edge_index : ndarray of int64
        The position, in the edge arrays passed to the solver, of each candidate's edge, or -1.
    score : ndarray of float64
        The score of each candidate's pair, NaN when unassigned.
    reason : ndarray of int8
        A :class:`Reason` per candidate: ``ASSIGNED`` (0), ``NO_EDGE`` (1), ``NO_OPENING`` (2)
        or ``OUTCOMPETED`` (3).
    total_score : float
        The sum of the scores of all pairs (computed exactly with :func:`math.fsum`).
    method : str
        The algorithm that produced it: ``"dense"``, ``"lp"``, ``"matching"`` or
        ``"mincostflow"`` (optimal), or ``"deferred_acceptance"`` (stable).
    n_vacancies : int
        The number of vacancies of the problem (``len(capacity)``).

    Examples
    --------
    >>> from labourint_match.assignment import solve_stable
    >>> result = solve_stable([0, 1], [0, 0], [0.9, 0.8], 3, [1])
    >>> result
    SolverResult(method='deferred_acceptance', n_candidates=3, n_assigned=1, total_score=0.9)
    >>> result.assigned.tolist(), [Reason(r).name for r in result.reason]
    ([0, -1, -1], ['ASSIGNED', 'OUTCOMPETED', 'NO_EDGE'])
    >>> result.pairs()
    (array([0], dtype=int32), array([0], dtype=int32), array([0.9]))
    """

    assigned: NDArray[np.int32]
    edge_index: NDArray[np.int64]
    score: NDArray[np.float64]
    reason: NDArray[np.int8]
    total_score: float
    method: str
    n_vacancies: int

    @property
    def n_candidates(self) -> int:
        """The number of candidates (placed or not)."""
        return int(self.assigned.shape[0])

    @property
    def n_assigned(self) -> int:
        """The number of placed candidates."""
        return int(np.count_nonzero(self.assigned >= 0))

    @property
    def unassigned(self) -> NDArray[np.int32]:
        """The indices of the candidates left unplaced, ascending."""
        return np.flatnonzero(self.assigned < 0).astype(np.int32)

    def fill(self) -> NDArray[np.int64]:
        """Return the number of candidates placed on each vacancy (``int64[n_vacancies]``)."""
        placed = self.assigned[self.assigned >= 0]
        return np.bincount(placed, minlength=self.n_vacancies).astype(np.int64)

    def pairs(self) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64]]:
        """Return the placed pairs as ``(candidate, vacancy, score)`` arrays, by candidate."""
        who = np.flatnonzero(self.assigned >= 0).astype(np.int32)
        return who, self.assigned[who].copy(), self.score[who].copy()

    def __repr__(self) -> str:
        return (
            f"SolverResult(method={self.method!r}, n_candidates={self.n_candidates}, "
            f"n_assigned={self.n_assigned}, total_score={self.total_score:.6g})"
        )


@dataclass(frozen=True)
class Edges:
    """A validated edge list in canonical order: sorted by candidate, then vacancy.

    ``source[e]`` is the position of canonical edge ``e`` in the caller's arrays; ``ptr`` is the
    CSR offset of each candidate's edges (``int64[n_candidates + 1]``).
    """

    cand: NDArray[np.int32]
    vac: NDArray[np.int32]
    score: NDArray[np.float64]
    source: NDArray[np.int64]
    ptr: NDArray[np.int64]
    capacity: NDArray[np.int64]

    @property
    def n_candidates(self) -> int:
        """The number of candidates."""
        return int(self.ptr.shape[0] - 1)

    @property
    def n_vacancies(self) -> int:
        """The number of vacancies."""
        return int(self.capacity.shape[0])


def _index_array(values: npt.ArrayLike, name: str, what: str) -> NDArray[np.int64]:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ConfigError(
            f"`{name}` must be a one-dimensional array of {what}; got shape {arr.shape}"
        )
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.dtype.kind not in "iu":
        raise ConfigError(
            f"`{name}` must hold integers ({what}); got dtype {arr.dtype}: convert it with "
            ".astype(np.int32)"
        )
    if arr.dtype.kind == "u" and arr.dtype.itemsize == 8 and int(arr.max()) > _INT64_MAX:
        raise ConfigError(f"`{name}` holds {what} beyond the int64 range ({int(arr.max())})")
    return arr.astype(np.int64)


def _score_array(values: npt.ArrayLike) -> NDArray[np.float64]:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ConfigError(
            f"`score` must be a one-dimensional array of scores; got shape {arr.shape}"
        )
    if arr.size == 0:
        return np.zeros(0, dtype=np.float64)
    if arr.dtype.kind not in "iuf":
        raise ConfigError(
            f"`score` must hold real numbers in [0, 1]; got dtype {arr.dtype}: convert it with "
            ".astype(np.float32)"
        )
    out = arr.astype(np.float64)
    bad = np.flatnonzero(~np.isfinite(out))
    if bad.size:
        i = int(bad[0])
        raise ConfigError(
            f"`score` must be finite; edge {i} has score {out[i]} ({bad.size} such edge(s)): "
            "drop or rescore these pairs"
        )
    bad = np.flatnonzero((out < 0.0) | (out > 1.0))
    if bad.size:
        i = int(bad[0])
        raise ConfigError(
            f"`score` must lie in [0, 1]; edge {i} has score {out[i]!r} ({bad.size} such "
            "edge(s)): leave ineligible pairs out of the edge list instead of scoring them "
            "outside [0, 1]"
        )
    return out


def _count(value: object, name: str, minimum: int = 0) -> int:
    wanted = f"`{name}` must be an integer ≥ {minimum}"
    if isinstance(value, bool | np.bool_):
        raise ConfigError(f"{wanted}; got a bool")
    try:
        count = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise ConfigError(f"{wanted}; got {type(value).__name__}") from None
    if count < minimum:
        raise ConfigError(f"{wanted}; got {count}")
    if count > _INT32_MAX:
        raise ConfigError(f"`{name}` must fit in int32; got {count}")
    return count


def _check_range(index: NDArray[np.int64], upper: int, name: str, bound: str) -> None:
    if index.size == 0:
        return
    bad = np.flatnonzero((index < 0) | (index >= upper))
    if bad.size:
        i = int(bad[0])
        raise ConfigError(
            f"`{name}` must lie in [0, {bound}={upper}); edge {i} has {name} {int(index[i])} "
            f"({bad.size} such edge(s))"
        )


def _edge_arrays(
    cand: npt.ArrayLike, vac: npt.ArrayLike, score: npt.ArrayLike, n_candidates: object
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], int]:
    c = _index_array(cand, "cand", "candidate indices")
    v = _index_array(vac, "vac", "vacancy indices")
    s = _score_array(score)
    if not c.shape[0] == v.shape[0] == s.shape[0]:
        raise ConfigError(
            "`cand`, `vac` and `score` must have one entry per edge; got lengths "
            f"{c.shape[0]}, {v.shape[0]} and {s.shape[0]}"
        )
    n = _count(n_candidates, "n_candidates")
    _check_range(c, n, "cand", "n_candidates")
    return c, v, s, n


def _capacity_array(capacity: npt.ArrayLike) -> NDArray[np.int64]:
    cap = _index_array(capacity, "capacity", "openings per vacancy")
    if cap.size:
        bad = np.flatnonzero(cap < 0)
        if bad.size:
            j = int(bad[0])
            raise ConfigError(
                f"`capacity` must be ≥ 0 (openings per vacancy); vacancy {j} has {int(cap[j])} "
                f"({bad.size} such vacancies)"
            )
    if cap.shape[0] > _INT32_MAX:
        raise ConfigError(f"`capacity` must have at most {_INT32_MAX} entries; got {cap.shape[0]}")
    return cap


def validate_edges(
    cand: npt.ArrayLike,
    vac: npt.ArrayLike,
    score: npt.ArrayLike,
    n_candidates: object,
    capacity: npt.ArrayLike,
) -> Edges:
    """Check an edge list and return it in canonical order; the inputs are never modified.

    Raises
    ------
    ConfigError
        On any malformed input; the message names the argument, the first offending edge or
        vacancy, and what to do.
    """
    c, v, s, n = _edge_arrays(cand, vac, score, n_candidates)
    cap = _capacity_array(capacity)
    m = int(cap.shape[0])
    _check_range(v, m, "vac", "len(capacity)")
    order = np.lexsort((v, c))
    cs, vs = c[order], v[order]
    dup = np.flatnonzero((cs[1:] == cs[:-1]) & (vs[1:] == vs[:-1]))
    if dup.size:
        k = int(dup[0])
        first, second = sorted((int(order[k]), int(order[k + 1])))
        raise ConfigError(
            f"each (candidate, vacancy) pair must appear at most once; edges {first} and {second} "
            f"both join candidate {int(cs[k])} to vacancy {int(vs[k])}: keep one score per pair"
        )
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(cs, minlength=n), out=ptr[1:])
    return Edges(
        cand=cs.astype(np.int32),
        vac=vs.astype(np.int32),
        score=s[order],
        source=order.astype(np.int64),
        ptr=ptr,
        capacity=cap,
    )


def fill_unplaced(edges: Edges, held: NDArray[np.int64]) -> None:
    """Place, in candidate order, unplaced candidates on free openings of their edges (in place).

    Used after an optimal solve over positive-score edges: what it adds scores zero (or at most
    a solver's tolerance), so the total stays optimal, and afterwards every candidate still
    unplaced really was outcompeted.
    """
    placed = held[held >= 0]
    remaining = edges.capacity - np.bincount(edges.vac[placed], minlength=edges.n_vacancies)
    open_edge = remaining[edges.vac] > 0
    unplaced = held[edges.cand] < 0
    if not np.any(open_edge & unplaced):
        return
    fill_free_capacity(edges.ptr, edges.vac, edges.score, remaining, held)


def make_result(edges: Edges, held: NDArray[np.int64], method: str) -> SolverResult:
    """Wrap per-candidate canonical edge ids (or -1) as a read-only :class:`SolverResult`.

    Raises
    ------
    AssignmentError
        When the placement breaks a constraint (a solver bug, never the caller's input).
    """
    n = edges.n_candidates
    placed = held >= 0
    chosen = held[placed]
    if chosen.size and not np.array_equal(edges.cand[chosen], np.flatnonzero(placed)):
        raise AssignmentError(f"solver {method!r} returned an edge of another candidate")
    fill = np.bincount(edges.vac[chosen], minlength=edges.n_vacancies)
    over = np.flatnonzero(fill > edges.capacity)
    if over.size:
        j = int(over[0])
        raise AssignmentError(
            f"solver {method!r} placed {int(fill[j])} candidates on vacancy {j}, which has "
            f"{int(edges.capacity[j])} opening(s)"
        )
    assigned = np.full(n, -1, dtype=np.int32)
    assigned[placed] = edges.vac[chosen]
    edge_index = np.full(n, -1, dtype=np.int64)
    edge_index[placed] = edges.source[chosen]
    score = np.full(n, np.nan, dtype=np.float64)
    score[placed] = edges.score[chosen]
    has_edge = np.diff(edges.ptr) > 0
    has_opening = (
        np.bincount(edges.cand[edges.capacity[edges.vac] > 0], minlength=n) > 0
        if edges.cand.size
        else np.zeros(n, dtype=bool)
    )
    reason = np.full(n, Reason.OUTCOMPETED, dtype=np.int8)
    reason[~has_opening] = Reason.NO_OPENING
    reason[~has_edge] = Reason.NO_EDGE
    reason[placed] = Reason.ASSIGNED
    for arr in (assigned, edge_index, score, reason):
        arr.setflags(write=False)
    return SolverResult(
        assigned=assigned,
        edge_index=edge_index,
        score=score,
        reason=reason,
        total_score=math.fsum(edges.score[chosen].tolist()),
        method=method,
        n_vacancies=edges.n_vacancies,
    )


def _rank_within(
    group: NDArray[np.int64], order: NDArray[np.int64], n_groups: int
) -> NDArray[np.int64]:
    """Return the rank of each edge of `order` (sorted by `group`) within its group."""
    start = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(np.bincount(group, minlength=n_groups), out=start[1:])
    ranks: NDArray[np.int64] = np.arange(order.shape[0], dtype=np.int64) - start[group[order]]
    return ranks


def prune_top_k(
    cand: npt.ArrayLike,
    vac: npt.ArrayLike,
    score: npt.ArrayLike,
    n_candidates: int,
    k: int,
    *,
    capacity: npt.ArrayLike | None = None,
    per_opening: int = 3,
) -> NDArray[np.int64]:
    """Keep each candidate's `k` best edges: the positions of the edges to keep, ascending.

    National-scale cohorts give each candidate far more eligible vacancies than an assignment
    needs; passing only the best few per candidate to :func:`solve_optimal` makes it much faster,
    at a loss of optimality that ``benchmarks/bench_assignment.py`` measures. The solvers remain
    exact *over the edges they are given*.

    Pruning on the candidates' side alone can starve vacancies that nobody ranks near the top
    (when some vacancies score high for everyone, the same few fill every candidate's list). Pass
    `capacity` to keep, as well, each vacancy's ``per_opening × capacity[v]`` best edges: the
    union costs a few more edges and recovers most of the loss.

    Parameters
    ----------
    cand, vac, score
        The edge list (``int32[E]``, ``int32[E]``, ``float[E]``), as for :func:`solve_optimal`.
    n_candidates
        The number of candidates.
    k
        How many edges to keep per candidate (≥ 1). Ties are broken as a candidate's
        preferences are in :func:`solve_stable`: higher score first, then lower vacancy index.
    capacity
        Openings per vacancy. When given, each vacancy's best ``per_opening × capacity[v]``
        edges are kept too (higher score first, then lower candidate index).
    per_opening
        Edges kept per opening on the vacancies' side (≥ 0); used only with `capacity`.

    Returns
    -------
    ndarray of int64
        Positions into the edge arrays, ascending; index all three arrays with it.

    Raises
    ------
    ConfigError
        When `k` or `per_opening` is out of range, or the edge list is malformed.

    Examples
    --------
    >>> import numpy as np
    >>> from labourint_match.assignment import prune_top_k
    >>> cand = np.array([0, 0, 0, 1], dtype=np.int32)
    >>> vac = np.array([0, 1, 2, 0], dtype=np.int32)
    >>> score = np.array([0.2, 0.9, 0.9, 0.5], dtype=np.float32)
    >>> keep = prune_top_k(cand, vac, score, 2, k=1)
    >>> keep
    array([1, 3])
    >>> cand[keep], vac[keep]
    (array([0, 1], dtype=int32), array([1, 0], dtype=int32))

    Vacancy 2 has an opening but lost its only edge; keeping each vacancy's best edge per
    opening brings it back:

    >>> prune_top_k(cand, vac, score, 2, k=1, capacity=[1, 1, 1], per_opening=1)
    array([1, 2, 3])
    """
    c, v, s, n = _edge_arrays(cand, vac, score, n_candidates)
    kk = _count(k, "k", minimum=1)
    if capacity is None:
        if v.size and int(v.min()) < 0:
            i = int(np.argmin(v))
            raise ConfigError(f"`vac` must be ≥ 0; edge {i} has vac {int(v[i])}")
        cap = None
    else:
        cap = _capacity_array(capacity)
        _check_range(v, int(cap.shape[0]), "vac", "len(capacity)")
    per = _count(per_opening, "per_opening")
    if c.size == 0:
        return np.zeros(0, dtype=np.int64)
    by_cand = np.lexsort((v, -s, c))
    keep = by_cand[_rank_within(c, by_cand, n) < kk]
    if cap is not None and per > 0:
        by_vac = np.lexsort((c, -s, v))
        quota = np.minimum(cap[v[by_vac]], c.shape[0]) * per
        keep = np.concatenate([keep, by_vac[_rank_within(v, by_vac, cap.shape[0]) < quota]])
    return np.unique(keep).astype(np.int64)
