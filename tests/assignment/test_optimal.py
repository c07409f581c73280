"""solve_optimal is the exact optimum: against brute force, against dense scipy, on every method.

Also: the result's invariants (everyone once, capacities kept, reasons true), ties and
determinism, untouched inputs, input validation, and top-k pruning.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from labourint_match.assignment import (
    Reason,
    SolverResult,
    _mincostflow,
    prune_top_k,
    solve_optimal,
)
from labourint_match.assignment import optimal as optimal_module
from labourint_match.errors import AssignmentError, ConfigError

# OR-Tools' min-cost flow (the `fast` extra) joins the scipy methods where it is installed;
# tests/assignment/test_mincostflow.py compares it with them and covers its absence.
METHODS = ("dense", "lp", "matching") + (("mincostflow",) if _mincostflow.available() else ())
Problem = tuple[NDArray[np.int32], NDArray[np.int32], NDArray[Any], int, NDArray[np.int64]]


# --- helpers -------------------------------------------------------------------------------------


def brute_force_optimum(problem: Problem) -> float:
    """Try every placement (each candidate: unassigned or one of its edges) within capacities."""
    cand, vac, score, n, capacity = problem
    options: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for c, v, s in zip(cand.tolist(), vac.tolist(), score.tolist(), strict=True):
        options[c].append((v, float(s)))
    left = [int(x) for x in capacity]
    best = 0.0

    def place(i: int, total: float) -> None:
        nonlocal best
        if i == n:
            best = max(best, total)
            return
        place(i + 1, total)  # candidate i stays unassigned
        for v, s in options[i]:
            if left[v] > 0:
                left[v] -= 1
                place(i + 1, total + s)
                left[v] += 1

    place(0, 0.0)
    return best


def dense_scipy_optimum(problem: Problem) -> float:
    """linear_sum_assignment on candidates × every opening (zero = no edge = unassigned)."""
    cand, vac, score, n, capacity = problem
    slot_of_vac = np.repeat(np.arange(capacity.shape[0]), capacity)
    matrix = np.zeros((n, slot_of_vac.shape[0]))
    scores = np.zeros((n, capacity.shape[0]))
    scores[cand, vac] = score
    matrix[:, :] = scores[:, slot_of_vac]
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return math.fsum(matrix[rows, cols].tolist())


def check_invariants(result: SolverResult, problem: Problem) -> None:
    """Everyone once, capacities kept, pairs are edges, total and reasons are right."""
    cand, vac, score, n, capacity = problem
    assert result.assigned.shape == (n,)
    assert result.assigned.dtype == np.int32
    assert result.reason.shape == (n,)
    assert result.edge_index.shape == (n,)
    placed = result.assigned >= 0
    e = result.edge_index[placed]
    assert np.array_equal(cand[e], np.flatnonzero(placed))
    assert np.array_equal(vac[e], result.assigned[placed])
    assert np.array_equal(result.score[placed], score[e].astype(np.float64))
    assert np.all(np.isnan(result.score[~placed]))
    assert np.all(result.edge_index[~placed] == -1)
    assert np.all(result.fill() <= capacity)
    assert result.total_score == math.fsum(score[e].astype(np.float64).tolist())
    degree = np.bincount(cand, minlength=n)
    open_degree = np.bincount(cand[capacity[vac] > 0], minlength=n)
    expected = np.where(
        placed,
        Reason.ASSIGNED,
        np.where(
            degree == 0,
            Reason.NO_EDGE,
            np.where(open_degree == 0, Reason.NO_OPENING, Reason.OUTCOMPETED),
        ),
    )
    assert np.array_equal(result.reason, expected)
    # "Outcompeted" is true: no unplaced candidate has an edge to a vacancy with room left.
    room = capacity - result.fill()
    assert not np.any((~placed[cand]) & (room[vac] > 0))
    for arr in (result.assigned, result.edge_index, result.score, result.reason):
        assert not arr.flags.writeable


def random_problem(n: int, m: int, per_candidate: int, seed: int, max_capacity: int = 3) -> Problem:
    rng = np.random.default_rng(seed)
    capacity = rng.integers(0, max_capacity + 1, size=m).astype(np.int64)
    cand = np.repeat(np.arange(n, dtype=np.int32), per_candidate)
    vac = np.concatenate(
        [rng.choice(m, size=per_candidate, replace=False) for _ in range(n)]
    ).astype(np.int32)
    score = rng.random(cand.shape[0]).astype(np.float32)
    return cand, vac, score, n, capacity


@st.composite
def small_problems(draw: st.DrawFn) -> Problem:
    """Up to 7 candidates × 4 vacancies, capacities 0–3, random sparse edges, frequent ties."""
    n = draw(st.integers(0, 7))
    m = draw(st.integers(0, 4))
    capacity = np.array(draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)), dtype=np.int64)
    pairs = [(c, v) for c in range(n) for v in range(m)]
    chosen = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
    edges = [p for p, keep in zip(pairs, chosen, strict=True) if keep]
    edges = draw(st.permutations(edges))
    score_st = st.one_of(
        st.sampled_from([0.0, 0.25, 0.5, 1.0]),
        st.floats(0.0, 1.0, allow_nan=False, width=32),
    )
    scores = draw(st.lists(score_st, min_size=len(edges), max_size=len(edges)))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    cand = np.array([c for c, _ in edges], dtype=np.int32)
    vac = np.array([v for _, v in edges], dtype=np.int32)
    return cand, vac, np.array(scores, dtype=dtype), n, capacity


# --- exactness -----------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(small_problems())
def test_every_method_equals_the_brute_force_optimum_on_small_cohorts(problem: Problem) -> None:
    best = brute_force_optimum(problem)
    for method in (*METHODS, "auto"):
        result = solve_optimal(*problem, method=method)
        # The flow rounds scores to multiples of 2**-30: its stated bound joins the tolerance.
        bound = _mincostflow.rounding_bound(problem[3]) if method == "mincostflow" else 0.0
        assert result.total_score == pytest.approx(best, abs=1e-9 + bound), method
        check_invariants(result, problem)


@pytest.fixture(scope="module")
def cohort_2000x500() -> Problem:
    return random_problem(2000, 500, 30, seed=20261122)


@pytest.mark.parametrize("method", METHODS)
def test_equals_dense_linear_sum_assignment_on_a_2000_by_500_cohort(
    cohort_2000x500: Problem, method: str
) -> None:
    expected = dense_scipy_optimum(cohort_2000x500)
    result = solve_optimal(*cohort_2000x500, method=method)
    assert result.method == method
    assert result.total_score == pytest.approx(expected, rel=1e-12)
    check_invariants(result, cohort_2000x500)


def test_beats_greedy_where_greedy_is_suboptimal() -> None:
    # Greedy by score gives candidate 0 vacancy 0 and leaves candidate 1 out (0.9 in total).
    for method in METHODS:
        result = solve_optimal([0, 0, 1], [0, 1, 0], [0.9, 0.8, 0.7], 2, [1, 1], method=method)
        assert result.assigned.tolist() == [1, 0]
        assert result.total_score == pytest.approx(1.5)


# --- ties, zero scores, determinism --------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_zero_score_edges_place_people_without_changing_the_total(method: str) -> None:
    # Candidate 1's only edge scores 0: it is still placed, since vacancy 1 has room.
    result = solve_optimal([0, 1, 2], [0, 1, 0], [0.5, 0.0, 0.0], 4, [1, 1], method=method)
    assert result.assigned.tolist() == [0, 1, -1, -1]
    assert result.total_score == 0.5
    assert [Reason(r) for r in result.reason] == [
        Reason.ASSIGNED,
        Reason.ASSIGNED,
        Reason.OUTCOMPETED,
        Reason.NO_EDGE,
    ]


def test_reasons_distinguish_no_edge_no_opening_and_outcompeted() -> None:
    result = solve_optimal([0, 1, 2, 2], [0, 1, 0, 1], [0.9, 0.8, 0.4, 0.3], 4, [1, 0])
    assert [Reason(r).name for r in result.reason] == [
        "ASSIGNED",
        "NO_OPENING",
        "OUTCOMPETED",
        "NO_EDGE",
    ]
    assert result.unassigned.tolist() == [1, 2, 3]


@pytest.mark.parametrize("method", METHODS)
def test_result_does_not_depend_on_the_order_of_the_edges(
    cohort_2000x500: Problem, method: str
) -> None:
    cand, vac, score, _n, capacity = cohort_2000x500
    sub = slice(0, 6000)  # 200 candidates, enough ties of structure, fast on every method
    problem = (cand[sub], vac[sub], np.round(score[sub], 1), 200, capacity)
    first = solve_optimal(*problem, method=method)
    again = solve_optimal(*problem, method=method)
    perm = np.random.default_rng(1).permutation(problem[0].shape[0])
    shuffled = solve_optimal(
        problem[0][perm], problem[1][perm], problem[2][perm], 200, capacity, method=method
    )
    assert np.array_equal(first.assigned, again.assigned)
    assert np.array_equal(first.assigned, shuffled.assigned)
    assert np.array_equal(perm[shuffled.edge_index[shuffled.assigned >= 0]],
                          first.edge_index[first.assigned >= 0])  # fmt: skip


def test_inputs_are_not_modified_and_read_only_inputs_are_accepted() -> None:
    cand, vac, score, n, capacity = random_problem(50, 10, 5, seed=3)
    copies = [a.copy() for a in (cand, vac, score, capacity)]
    for a in (cand, vac, score, capacity):
        a.setflags(write=False)
    for method in METHODS:
        solve_optimal(cand, vac, score, n, capacity, method=method)
    for before, after in zip(copies, (cand, vac, score, capacity), strict=True):
        assert np.array_equal(before, after)
        assert before.dtype == after.dtype


def test_float32_and_float64_scores_give_the_same_placement() -> None:
    cand, vac, score, n, capacity = random_problem(300, 60, 8, seed=5)
    a = solve_optimal(cand, vac, score, n, capacity, method="lp")
    b = solve_optimal(cand, vac, score.astype(np.float64), n, capacity, method="lp")
    assert np.array_equal(a.assigned, b.assigned)
    assert a.total_score == b.total_score


# --- degenerate problems -------------------------------------------------------------------------


@pytest.mark.parametrize("method", [*METHODS, "auto"])
def test_degenerate_problems(method: str) -> None:
    empty = np.zeros(0, dtype=np.int32)
    none = solve_optimal(empty, empty, np.zeros(0, np.float32), 0, np.zeros(0, np.int64),
                         method=method)  # fmt: skip
    assert none.n_candidates == 0
    assert none.total_score == 0.0
    nobody_fits = solve_optimal([], [], [], 3, [2, 2], method=method)
    assert nobody_fits.assigned.tolist() == [-1, -1, -1]
    assert set(nobody_fits.reason.tolist()) == {Reason.NO_EDGE}
    closed = solve_optimal([0, 1], [0, 0], [0.5, 0.6], 2, [0], method=method)
    assert closed.assigned.tolist() == [-1, -1]
    assert set(closed.reason.tolist()) == {Reason.NO_OPENING}
    crowded = solve_optimal([0, 1, 2, 3], [0, 0, 0, 0], [0.1, 0.4, 0.3, 0.2], 4, [2],
                            method=method)  # fmt: skip
    assert crowded.assigned.tolist() == [-1, 0, 0, -1]


def test_auto_uses_dense_on_small_and_lp_or_the_flow_on_large_problems(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert solve_optimal([0], [0], [0.5], 1, [1]).method == "dense"
    monkeypatch.setattr(optimal_module, "AUTO_DENSE_CELLS", 0)
    large = "mincostflow" if _mincostflow.available() else "lp"
    assert solve_optimal([0], [0], [0.5], 1, [1]).method == large


def test_dense_refuses_a_problem_too_large_for_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(optimal_module, "DENSE_MAX_CELLS", 3)
    with pytest.raises(AssignmentError, match=r"too large for method='dense'.*use method='lp'"):
        solve_optimal([0, 1], [0, 1], [0.5, 0.5], 2, [2, 2], method="dense")


# --- validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([0, 1], [0], [0.5, 0.5], 2, [1]), "one entry per edge; got lengths 2, 1 and 2"),
        (([0, 2], [0, 0], [0.5, 0.5], 2, [1]), r"`cand` must lie in \[0, n_candidates=2\); edge 1"),
        (([0, -1], [0, 0], [0.5, 0.5], 2, [1]), "`cand` must lie in"),
        (([0, 1], [0, 1], [0.5, 0.5], 2, [1]), r"`vac` must lie in \[0, len\(capacity\)=1\)"),
        (([0, 1], [0, 0], [0.5, np.nan], 2, [1]), "`score` must be finite; edge 1"),
        (([0, 1], [0, 0], [np.inf, 0.5], 2, [1]), "`score` must be finite; edge 0"),
        (([0, 1], [0, 0], [0.5, -0.1], 2, [1]), r"`score` must lie in \[0, 1\]; edge 1"),
        (([0, 1], [0, 0], [0.5, 1.5], 2, [1]), r"`score` must lie in \[0, 1\]"),
        (([0, 1], [0, 0], [0.5, 0.5], 2, [-1]), "`capacity` must be ≥ 0 .* vacancy 0 has -1"),
        (([0, 0], [0, 0], [0.5, 0.4], 1, [1]), "edges 0 and 1 both join candidate 0 to vacancy 0"),
        (([0.0], [0], [0.5], 1, [1]), "`cand` must hold integers"),
        (([0], [0], ["x"], 1, [1]), "`score` must hold real numbers"),
        (([[0]], [0], [0.5], 1, [1]), "`cand` must be a one-dimensional array"),
        (([0], [0], [0.5], -1, [1]), "`n_candidates` must be an integer ≥ 0; got -1"),
        (([0], [0], [0.5], 1.5, [1]), "`n_candidates` must be an integer ≥ 0; got float"),
        (([0], [0], [0.5], True, [1]), "`n_candidates` must be an integer ≥ 0; got a bool"),
        (([0], [0], [0.5], 1, [1.0]), "`capacity` must hold integers"),
    ],
)
def test_bad_input_raises_config_error_saying_what_to_fix(
    args: tuple[Any, ...], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        solve_optimal(*args)


def test_unknown_method_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="`method` must be one of 'auto', 'dense'"):
        solve_optimal([0], [0], [0.5], 1, [1], method="hungarian")


# --- top-k pruning -------------------------------------------------------------------------------


def naive_top_k(problem: Problem, k: int) -> set[int]:
    cand, vac, score, n, _ = problem
    keep: set[int] = set()
    for c in range(n):
        mine = [e for e in range(cand.shape[0]) if cand[e] == c]
        mine.sort(key=lambda e: (-float(score[e]), int(vac[e])))
        keep.update(mine[:k])
    return keep


@settings(max_examples=60, deadline=None)
@given(small_problems(), st.integers(1, 5))
def test_prune_top_k_keeps_each_candidates_k_best_edges(problem: Problem, k: int) -> None:
    cand, vac, score, n, capacity = problem
    keep = prune_top_k(cand, vac, score, n, k)
    assert keep.dtype == np.int64
    assert np.all(np.diff(keep) > 0)
    assert set(keep.tolist()) == naive_top_k(problem, k)
    # Exact over what is kept: never better than the optimum over everything.
    pruned = solve_optimal(cand[keep], vac[keep], score[keep], n, capacity)
    assert pruned.total_score <= brute_force_optimum(problem) + 1e-9
    both = prune_top_k(cand, vac, score, n, k, capacity=capacity, per_opening=1)
    assert set(keep.tolist()) <= set(both.tolist())


def test_prune_top_k_with_capacity_keeps_each_vacancys_best_edges_per_opening() -> None:
    # Everyone's favourite is vacancy 0; vacancy 1 (2 openings) is nobody's first choice.
    cand = np.array([0, 0, 1, 1, 2, 2], dtype=np.int32)
    vac = np.array([0, 1, 0, 1, 0, 1], dtype=np.int32)
    score = np.array([0.9, 0.3, 0.8, 0.2, 0.7, 0.4], dtype=np.float32)
    only = prune_top_k(cand, vac, score, 3, 1)
    assert vac[only].tolist() == [0, 0, 0]
    both = prune_top_k(cand, vac, score, 3, 1, capacity=[1, 2], per_opening=1)
    assert both.tolist() == [0, 1, 2, 4, 5]  # vacancy 1 keeps candidates 2 (0.4) and 0 (0.3)
    full = solve_optimal(cand, vac, score, 3, [1, 2]).total_score
    assert solve_optimal(cand[both], vac[both], score[both], 3, [1, 2]).total_score == full
    assert solve_optimal(cand[only], vac[only], score[only], 3, [1, 2]).total_score < full


def test_prune_top_k_loses_little_on_a_random_cohort() -> None:
    cand, vac, score, n, capacity = random_problem(1000, 200, 20, seed=11)
    exact = solve_optimal(cand, vac, score, n, capacity, method="lp").total_score
    keep = prune_top_k(cand, vac, score, n, 10, capacity=capacity)
    pruned = solve_optimal(cand[keep], vac[keep], score[keep], n, capacity, method="lp")
    assert exact * 0.995 <= pruned.total_score <= exact + 1e-9


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"k": 0}, "`k` must be an integer ≥ 1"),
        ({"k": -2}, "`k` must be an integer ≥ 1; got -2"),
        ({"k": 2.0}, "`k` must be an integer ≥ 1; got float"),
        ({"k": 1, "per_opening": -1}, "`per_opening` must be an integer ≥ 0"),
        ({"k": 1, "capacity": [-1]}, "`capacity` must be ≥ 0"),
    ],
)
def test_prune_top_k_rejects_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        prune_top_k([0], [0], [0.5], 1, **kwargs)
