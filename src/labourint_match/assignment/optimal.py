"""Optimal placement: the exact maximum-total-score b-matching over an edge list.

Each candidate gets at most one vacancy, each vacancy at most ``capacity[v]`` candidates, and the
sum of the scores of the placed pairs is as large as possible *over the edges given*. Four exact
methods, all returning the same total:

``"dense"``
    :func:`scipy.optimize.linear_sum_assignment` on a dense score matrix whose columns are the
    vacancies' openings ("slots"; a vacancy gets ``min(capacity, degree)`` of them) and whose
    missing entries are zero, which stands for "unassigned", so nobody is forced. Fastest on small
    problems; memory grows as candidates × slots.
``"lp"``
    The bipartite b-matching linear programme, solved by HiGHS' dual simplex through
    :func:`scipy.optimize.linprog`: maximise ``Σ score·x`` subject to ``Σ_v x ≤ 1`` per
    candidate and ``Σ_c x ≤ capacity`` per vacancy, ``0 ≤ x ≤ 1``. Its constraint matrix is the
    incidence matrix of a bipartite graph, which is totally unimodular, so the simplex method
    ends on an integral vertex: the LP optimum *is* the integer optimum. Memory and time grow with
    the number of edges, not candidates × vacancies; this is the large-cohort method.
``"matching"``
    :func:`scipy.sparse.csgraph.min_weight_full_bipartite_matching` (LAPJVsp) on the sparse
    slot-expanded graph, with one "unassigned" node per candidate. Exact as well, and a little
    faster than ``"lp"`` on mid-size cohorts (10,000 × 2,000 with 30 edges each: 0.75× its
    time), but slot expansion multiplies the edges by the capacities and it scales worse: at
    100,000 × 20,000 (40,000 openings, top-10 edges each) it takes 3.8× as long as ``"lp"``
    (see ``benchmarks/bench_assignment.py``). Kept as an independent exact check.
``"mincostflow"``
    The same b-matching as a min-cost flow, solved by OR-Tools' ``SimpleMinCostFlow``: an
    optional accelerator, installed with the ``fast`` extra (``pip install
    "labourint-match[fast]"``). Scores become integer costs ``round(score × 2**30)``, so the
    placement is optimal for those costs and its total within ``min(candidates, openings) /
    2**30`` of the true optimum (exact for ``float32`` scores ≥ ``2**-7``; see
    ``_mincostflow.py``). An order of magnitude faster than ``"lp"`` on large cohorts (20,000 ×
    4,000 with top-10 edges: 0.15 s against 1.5 s).

``"auto"`` (the default) picks ``"dense"`` when the dense matrix would have at most
:data:`AUTO_DENSE_CELLS` cells (candidates with a positive edge × openings, a vacancy counting at
most as many openings as it has edges); above that, ``"mincostflow"`` when OR-Tools can be
imported and ``"lp"`` otherwise. The threshold is where dense and LP cross over in the benchmark
(about 2,000 × 1,000 slots: dense 0.30 s, LP 0.34 s; 5,000 × 2,000: dense 1.0 s, LP 0.7 s). Small
problems keep ``"dense"`` even with OR-Tools installed, so that whether the extra is installed
never changes how ties are broken there (see below), where hand-made cohorts with round scores
make ties common.

Ties and determinism
--------------------
Edges of score zero add nothing to the total, so the solvers optimise over the positive-score
edges only; afterwards, in candidate index order, each candidate left unplaced takes the best
remaining opening among its edges (highest score, then lowest vacancy index) — in an optimal
solution those are zero-score edges. So everybody who can be placed without lowering the total is
placed, and every candidate left unplaced with edges to open vacancies was outcompeted.

Among different placements with the same optimal total, which one is returned is fixed by the
edges alone: the edges are put in canonical order (by candidate, then vacancy) before solving,
so neither the order of the input edges nor the run changes the answer; every method is
single-threaded, so neither does the number of threads. The methods may pick different optima
from each other (their totals agree): when scores tie, no method reproduces another's choice (on
1,000 random small problems with scores drawn from four values, ``"lp"`` and ``"dense"`` placed
someone differently in 215, ``"mincostflow"`` and ``"lp"`` in 238; with distinct scores, never).
So on a large cohort with tied scores, installing the ``fast`` extra may change *which* optimal
placement ``"auto"`` returns, never its total (beyond the bound above). Totals are exact up to
floating-point rounding: HiGHS runs with primal and dual feasibility tolerances of 1e-10, far below
any difference in score that matters.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
from numpy.typing import NDArray

from ..errors import AssignmentError, ConfigError
from . import _mincostflow
from ._common import Edges, SolverResult, fill_unplaced, make_result, validate_edges

__all__ = ["AUTO_DENSE_CELLS", "DENSE_MAX_CELLS", "METHODS", "solve_optimal"]

METHODS: Final = ("auto", "dense", "lp", "matching", "mincostflow")
"""The values `method` of :func:`solve_optimal` accepts."""

AUTO_DENSE_CELLS: Final = 4_000_000
"""``"auto"`` uses ``"dense"`` up to this many cells (candidates with edges × slots)."""

DENSE_MAX_CELLS: Final = 50_000_000
"""``"dense"`` refuses larger problems (the matrix alone would take 400 MB)."""

_LP_TOLERANCE: Final = 1e-10


class _Reduced:
    """The positive-score edges to vacancies with openings, with compact row and column ids."""

    def __init__(self, edges: Edges) -> None:
        use = (edges.score > 0.0) & (edges.capacity[edges.vac] > 0)
        self.edge = np.flatnonzero(use).astype(np.int64)
        cand = edges.cand[self.edge]
        vac = edges.vac[self.edge]
        # Edges are sorted by (candidate, vacancy), so the compact ids keep that order.
        cands, row = np.unique(cand, return_inverse=True)
        vacs, col = np.unique(vac, return_inverse=True)
        self.cands: NDArray[np.int32] = cands.astype(np.int32)
        self.vacs: NDArray[np.int32] = vacs.astype(np.int32)
        self.row: NDArray[np.int64] = np.asarray(row, dtype=np.int64).ravel()
        self.col: NDArray[np.int64] = np.asarray(col, dtype=np.int64).ravel()
        self.score: NDArray[np.float64] = edges.score[self.edge]
        degree = np.bincount(self.col, minlength=self.vacs.shape[0])
        self.slots = np.minimum(edges.capacity[self.vacs], degree).astype(np.int64)
        self.slot_start = np.zeros(self.vacs.shape[0] + 1, dtype=np.int64)
        np.cumsum(self.slots, out=self.slot_start[1:])

    @property
    def n_rows(self) -> int:
        return int(self.cands.shape[0])

    @property
    def n_slots(self) -> int:
        return int(self.slot_start[-1])

    def expand(self) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
        """Slot-expanded edges: (reduced edge id, row, slot) for every slot of every edge."""
        reps = self.slots[self.col]
        first = np.cumsum(reps) - reps
        eid = np.repeat(np.arange(self.edge.shape[0], dtype=np.int64), reps)
        within = np.arange(eid.shape[0], dtype=np.int64) - first[eid]
        return eid, self.row[eid], self.slot_start[self.col[eid]] + within

    def edges_at(self, rows: NDArray[np.intp], slots: NDArray[np.intp]) -> NDArray[np.int64]:
        """The reduced edges behind matched (row, slot) cells; cells without an edge are dropped.

        Reduced edges are sorted by (row, column), so their keys ``row · n_columns + column``
        are sorted too and a binary search finds each cell's edge.
        """
        n_cols = int(self.vacs.shape[0])
        keep = slots < self.n_slots
        rows, slots = rows[keep].astype(np.int64), slots[keep]
        if self.edge.shape[0] == 0 or rows.shape[0] == 0:
            return np.zeros(0, dtype=np.int64)
        keys = self.row * n_cols + self.col
        slot_col = np.repeat(np.arange(n_cols, dtype=np.int64), self.slots)
        wanted = rows * n_cols + slot_col[slots]
        pos: NDArray[np.int64] = np.minimum(np.searchsorted(keys, wanted), keys.shape[0] - 1)
        found: NDArray[np.int64] = pos[keys[pos] == wanted]
        return found

    def held_from(self, edges: Edges, reduced_edge: NDArray[np.int64]) -> NDArray[np.int64]:
        held = np.full(edges.n_candidates, -1, dtype=np.int64)
        chosen = self.edge[reduced_edge]
        held[edges.cand[chosen]] = chosen
        return held


def _solve_dense(edges: Edges, red: _Reduced) -> NDArray[np.int64]:
    from scipy.optimize import linear_sum_assignment

    cells = red.n_rows * red.n_slots
    if cells > DENSE_MAX_CELLS:
        raise AssignmentError(
            f"the problem is too large for method='dense' ({red.n_rows} candidates × "
            f"{red.n_slots} openings = {cells:,} cells, limit {DENSE_MAX_CELLS:,}); "
            "use method='lp' (or 'auto')"
        )
    eid, row, slot = red.expand()
    matrix = np.zeros((red.n_rows, red.n_slots), dtype=np.float64)
    matrix[row, slot] = red.score[eid]
    rows, slots = linear_sum_assignment(matrix, maximize=True)
    return red.held_from(edges, red.edges_at(rows, slots))


def _solve_lp(edges: Edges, red: _Reduced) -> NDArray[np.int64]:
    from scipy.optimize import linprog
    from scipy.sparse import csc_array

    n_edges = red.edge.shape[0]
    indices = np.empty(2 * n_edges, dtype=np.int64)
    indices[0::2] = red.row
    indices[1::2] = red.n_rows + red.col
    matrix = csc_array(
        (np.ones(2 * n_edges), indices, np.arange(0, 2 * n_edges + 1, 2, dtype=np.int64)),
        shape=(red.n_rows + red.vacs.shape[0], n_edges),
    )
    bound = np.concatenate([np.ones(red.n_rows), red.slots.astype(np.float64)])
    solution = linprog(
        -red.score,
        A_ub=matrix,
        b_ub=bound,
        bounds=(0.0, 1.0),
        method="highs-ds",
        options={
            "primal_feasibility_tolerance": _LP_TOLERANCE,
            "dual_feasibility_tolerance": _LP_TOLERANCE,
        },
    )
    if solution.status != 0 or solution.x is None:
        raise AssignmentError(
            f"the LP solver (HiGHS) stopped without an optimum: {solution.message}; "
            "try method='matching'"
        )
    x = np.asarray(solution.x, dtype=np.float64)
    off = float(np.max(np.abs(x - np.round(x)))) if x.size else 0.0
    if off > 1e-6:
        raise AssignmentError(
            f"the LP solver (HiGHS) returned a fractional vertex (off by {off:.3g}); "
            "try method='matching'"
        )
    return red.held_from(edges, np.flatnonzero(x > 0.5).astype(np.int64))


def _solve_matching(edges: Edges, red: _Reduced) -> NDArray[np.int64]:
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    eid, row, slot = red.expand()
    n_rows, n_slots = red.n_rows, red.n_slots
    # Every candidate also gets its own "unassigned" column. The function needs non-zero
    # weights, so every weight is shifted by 1; a full matching places every row, so the shift
    # adds the same n_rows to every solution's total.
    rows = np.concatenate([row, np.arange(n_rows, dtype=np.int64)])
    cols = np.concatenate([slot, n_slots + np.arange(n_rows, dtype=np.int64)])
    weights = np.concatenate([1.0 + red.score[eid], np.ones(n_rows)])
    graph = csr_array((weights, (rows, cols)), shape=(n_rows, n_slots + n_rows))
    try:
        matched_rows, matched_cols = min_weight_full_bipartite_matching(graph, maximize=True)
    except ValueError as exc:  # pragma: no cover - a full matching always exists
        raise AssignmentError(f"sparse matching failed: {exc}") from exc
    return red.held_from(edges, red.edges_at(matched_rows, matched_cols))


def _solve_min_cost_flow(edges: Edges, red: _Reduced) -> NDArray[np.int64]:
    if not _mincostflow.available():
        raise ConfigError(
            "method='mincostflow' needs OR-Tools: pip install \"labourint-match[fast]\" "
            "(or use method='lp', which needs only scipy)"
        )
    chosen = _mincostflow.solve_min_cost_flow(red.row, red.col, red.score, red.n_rows, red.slots)
    return red.held_from(edges, chosen)


def _choose(method: str, red: _Reduced) -> str:
    if method not in METHODS:
        raise ConfigError(
            f"`method` must be one of {', '.join(map(repr, METHODS))}; got {method!r}"
        )
    if method != "auto":
        return method
    if red.n_rows * red.n_slots <= AUTO_DENSE_CELLS:
        return "dense"
    return "mincostflow" if _mincostflow.available() else "lp"


def solve_optimal(
    cand: npt.ArrayLike,
    vac: npt.ArrayLike,
    score: npt.ArrayLike,
    n_candidates: int,
    capacity: npt.ArrayLike,
    *,
    method: str = "auto",
) -> SolverResult:
    """Place candidates on vacancies so that the total score is as large as possible.

    Each candidate gets at most one vacancy and each vacancy at most ``capacity[v]`` candidates;
    leaving people unassigned is allowed. The result is the exact optimum over the edges given
    (see the module documentation for the methods, ties and determinism).

    Parameters
    ----------
    cand : array_like of int, shape (E,)
        The candidate of each eligible pair, in ``[0, n_candidates)``.
    vac : array_like of int, shape (E,)
        The vacancy of each eligible pair, in ``[0, len(capacity))``.
    score : array_like of float, shape (E,)
        The score of each pair, in [0, 1] (``float32`` or ``float64``). Only eligible pairs at or
        above the caller's minimum score belong in the edge list; each pair at most once.
    n_candidates : int
        The number of candidates, including those without any edge.
    capacity : array_like of int, shape (n_vacancies,)
        The openings of each vacancy (≥ 0).
    method : {"auto", "dense", "lp", "matching", "mincostflow"}
        The exact algorithm; ``"auto"`` chooses by size, and by whether OR-Tools is installed
        (``"mincostflow"`` needs it: the ``fast`` extra).

    Returns
    -------
    SolverResult
        Per candidate: the vacancy (or -1), the edge's position in the input, its score and a
        :class:`Reason`; and the total score.

    Raises
    ------
    ConfigError
        When the input is malformed (lengths, index ranges, NaN, infinite or out-of-range scores,
        negative capacity, duplicate pairs) or `method` is unknown, or is ``"mincostflow"``
        without OR-Tools installed.
    AssignmentError
        When ``method="dense"`` is asked of a problem too large for a dense matrix, or the LP
        or min-cost flow solver fails.

    See Also
    --------
    solve_stable : a placement that no candidate and vacancy would both rather leave.
    prune_top_k : keep each candidate's best edges before solving a national-scale cohort.

    Examples
    --------
    Two candidates, two vacancies with one opening each. Greedily, candidate 0 would take
    vacancy 0 (0.9) and candidate 1 would be left with nothing; the optimum is 0.8 + 0.7:

    >>> from labourint_match.assignment import solve_optimal
    >>> result = solve_optimal([0, 0, 1], [0, 1, 0], [0.9, 0.8, 0.7], 2, [1, 1])
    >>> result.assigned.tolist(), round(result.total_score, 6)
    ([1, 0], 1.5)

    The same problem through the large-cohort formulation:

    >>> solve_optimal([0, 0, 1], [0, 1, 0], [0.9, 0.8, 0.7], 2, [1, 1], method="lp").assigned
    array([1, 0], dtype=int32)
    """
    edges = validate_edges(cand, vac, score, n_candidates, capacity)
    red = _Reduced(edges)
    chosen = _choose(method, red)
    if red.edge.shape[0] == 0:
        held = np.full(edges.n_candidates, -1, dtype=np.int64)
    elif chosen == "dense":
        held = _solve_dense(edges, red)
    elif chosen == "lp":
        held = _solve_lp(edges, red)
    elif chosen == "mincostflow":
        held = _solve_min_cost_flow(edges, red)
    else:
        held = _solve_matching(edges, red)
    fill_unplaced(edges, held)
    return make_result(edges, held, chosen)
