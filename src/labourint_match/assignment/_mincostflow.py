"""The optimal placement as a min-cost flow, solved by OR-Tools (the optional ``fast`` extra).

``pip install "labourint-match[fast]"`` installs OR-Tools; :func:`solve_optimal` then uses its
``SimpleMinCostFlow`` for ``method="auto"`` (``method="mincostflow"`` asks for it by name). Without
it nothing changes: scipy (HiGHS LP, dense and sparse matching) is the path that always works.

The network
-----------
One node per candidate with a positive-score edge (supply 1), one per vacancy with openings and
one sink (demand: the number of candidate nodes). Arcs: candidate → vacancy for each edge
(capacity 1, cost ``-c_e``), vacancy → sink (capacity: the vacancy's openings, at most its degree,
as the LP's bound), and candidate → sink (capacity 1, cost 0: "unassigned", so nobody is forced).
A minimum-cost flow is an optimal b-matching: each candidate on at most one vacancy, each vacancy
within its capacity, the total ``Σ c_e`` as large as possible.

Integer costs, and what "exact" means
-------------------------------------
Min-cost flow needs integer costs: ``c_e = round(score_e × 2**30)`` (:data:`SCALE`, about
1.07e9; round half to even). The flow is optimal for these costs, so its placement ``X`` is within
``(|X| + |X*|) / 2**31 ≤ min(candidates, openings) / 2**30`` of the true optimum ``X*``
(:func:`rounding_bound`): each score moves by at most ``2**-31``. At 100,000 placements that is
below 1e-4 in the total, about 1e-9 per placement. Scores that are ``float32`` values at or above
``2**-7`` (0.0078) are multiples of ``2**-30``, so their costs are exact and so is the optimum.
The scores :meth:`Matcher.assign <labourint_match.Matcher.assign>` places on are not: the edges
(:mod:`labourint_match.scoring.edges`) are rescored in ``float64``, so its plans are optimal within
:func:`rounding_bound`, not exactly. The scale is as large as OR-Tools allows for any graph with
``int32`` node ids: it refuses costs above about ``2**62 / (nodes + 1)``.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import NDArray

from ..errors import AssignmentError

__all__ = ["SCALE", "available", "rounding_bound", "scaled_costs", "solve_min_cost_flow"]

SCALE: Final = 2**30
"""Scores are multiplied by this and rounded to the integer costs of the flow network."""

_INT32_MAX: Final = int(np.iinfo(np.int32).max)


def available() -> bool:
    """Whether OR-Tools' min-cost flow can be imported (the ``fast`` extra is installed)."""
    try:
        from ortools.graph.python import min_cost_flow  # noqa: F401
    except ImportError:
        return False
    return True


def scaled_costs(score: NDArray[np.float64]) -> NDArray[np.int64]:
    """The integer cost of each score: ``round(score × SCALE)`` (half to even), as ``int64``."""
    return np.rint(np.asarray(score, dtype=np.float64) * SCALE).astype(np.int64)


def rounding_bound(n_placed: int, n_placed_optimum: int | None = None) -> float:
    """How far below the true optimum the flow's total can be: ``(n + n*) / 2**31``.

    `n_placed` is the number of pairs the flow placed, `n_placed_optimum` the number in a true
    optimum (by default `n_placed`; at most ``min(candidates, openings)`` either way).
    """
    other = n_placed if n_placed_optimum is None else n_placed_optimum
    return (n_placed + other) / (2.0 * SCALE)


def solve_min_cost_flow(
    row: NDArray[np.int64],
    col: NDArray[np.int64],
    score: NDArray[np.float64],
    n_rows: int,
    slots: NDArray[np.int64],
) -> NDArray[np.int64]:
    """The edges of a maximum-total-score b-matching: positions into `row`, ascending.

    `row` and `col` are compact candidate and vacancy ids of each edge (every row and column has
    an edge), `slots` the openings of each column (≥ 1, at most its degree).

    Raises
    ------
    AssignmentError
        When the graph is too large for OR-Tools' ``int32`` ids or the solver stops without an
        optimum.
    """
    from ortools.graph.python import min_cost_flow

    n_edges = int(row.shape[0])
    n_cols = int(slots.shape[0])
    sink = n_rows + n_cols
    if sink + 1 > _INT32_MAX or n_edges + n_rows + n_cols > _INT32_MAX:
        raise AssignmentError(
            f"the problem is too large for method='mincostflow' ({n_rows:,} candidates, "
            f"{n_cols:,} vacancies, {n_edges:,} edges; OR-Tools numbers nodes and arcs with "
            "int32); use method='lp'"
        )
    tails = np.concatenate(
        [row, np.arange(n_rows, dtype=np.int64), n_rows + np.arange(n_cols, dtype=np.int64)]
    ).astype(np.int32)
    to_sink = np.full(n_rows + n_cols, sink, dtype=np.int64)
    heads = np.concatenate([n_rows + col, to_sink]).astype(np.int32)
    capacities = np.concatenate([np.ones(n_edges + n_rows, dtype=np.int64), slots])
    costs = np.concatenate([-scaled_costs(score), np.zeros(n_rows + n_cols, dtype=np.int64)])
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_rows] = 1
    supplies[sink] = -n_rows

    network = min_cost_flow.SimpleMinCostFlow()
    arcs = network.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    network.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = network.solve()
    if status != network.OPTIMAL:
        raise AssignmentError(
            f"the min-cost flow solver (OR-Tools) stopped without an optimum: {status!r}; "
            "try method='lp'"
        )
    flows = np.asarray(network.flows(arcs[:n_edges]), dtype=np.int64)
    chosen: NDArray[np.int64] = np.flatnonzero(flows > 0).astype(np.int64)
    return chosen
