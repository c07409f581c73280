"""method="mincostflow" (OR-Tools, the `fast` extra) against the scipy methods.

With distinct scores the optimum is unique and every method returns it, so the flow's placement
equals the LP's, dense's and sparse matching's, candidate by candidate. With tied scores the
methods pick different optima (the scipy methods disagree with each other as often), so there the
totals are compared, and the flow's choice is checked to be deterministic. Costs are
``round(score × 2**30)``: exact for float32 scores ≥ 2**-7, and within the stated bound of the
true optimum otherwise. Without OR-Tools the flow tests are skipped; `auto` falls back to scipy
and ``method="mincostflow"`` says what to install.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from labourint_match.assignment import _mincostflow, solve_optimal
from labourint_match.assignment import optimal as optimal_module
from labourint_match.errors import ConfigError

needs_ortools = pytest.mark.skipif(
    not _mincostflow.available(),
    reason="OR-Tools is not installed (pip install 'labourint-match[fast]')",
)

SCIPY = ("lp", "dense", "matching")
Problem = tuple[NDArray[np.int32], NDArray[np.int32], NDArray[Any], int, NDArray[np.int64]]


def random_problem(rng: np.random.Generator, scores: str) -> Problem:
    """A small problem: some zero-score edges, vacancies without openings, people without edges."""
    n, m = int(rng.integers(1, 13)), int(rng.integers(1, 8))
    cand, vac = np.nonzero(rng.random((n, m)) < 0.5)
    e = cand.shape[0]
    if scores == "distinct":  # float32 in [2**-7, 1]: exact costs, a unique optimum
        score: NDArray[Any] = rng.uniform(2**-7, 1.0, e).astype(np.float32)
    elif scores == "tied":
        score = rng.choice(np.array([0.25, 0.5, 0.75, 1.0]), e)
    else:  # "rounded": float64 ties that only differ below the flow's resolution
        score = rng.choice(np.array([0.25, 0.5, 0.75]), e) + rng.integers(0, 4, e) * 2.0**-33
    score[rng.random(e) < 0.1] = 0.0
    capacity = rng.integers(0, 3, m).astype(np.int64)
    order = rng.permutation(e)  # the input order is not canonical
    return (cand[order].astype(np.int32), vac[order].astype(np.int32), score[order], n,
            capacity)  # fmt: skip


def check_valid(result: Any, problem: Problem) -> None:
    cand, vac, score, _, capacity = problem
    assert result.method == "mincostflow"
    assert np.all(result.fill() <= capacity)
    placed = np.flatnonzero(result.assigned >= 0)
    edge = result.edge_index[placed]
    assert np.array_equal(cand[edge], placed)
    assert np.array_equal(vac[edge], result.assigned[placed])
    assert np.array_equal(score[edge].astype(np.float64), result.score[placed])


@needs_ortools
def test_distinct_scores_give_the_scipy_placement() -> None:
    rng = np.random.default_rng(2024)
    compared = 0
    for _ in range(400):
        problem = random_problem(rng, "distinct")
        flow = solve_optimal(*problem, method="mincostflow")
        check_valid(flow, problem)
        for method in SCIPY:
            theirs = solve_optimal(*problem, method=method)
            assert np.array_equal(flow.assigned, theirs.assigned), (method, problem)
            assert np.array_equal(flow.edge_index, theirs.edge_index)
            assert np.array_equal(flow.reason, theirs.reason)
            assert abs(flow.total_score - theirs.total_score) <= 1e-9
        compared += flow.n_assigned
    assert compared > 400  # the loop placed people, not only empty problems


@needs_ortools
def test_tied_scores_give_the_optimal_total() -> None:
    rng = np.random.default_rng(7)
    differ = {method: 0 for method in SCIPY}
    for _ in range(300):
        problem = random_problem(rng, "tied")
        flow = solve_optimal(*problem, method="mincostflow")
        check_valid(flow, problem)
        for method in SCIPY:
            theirs = solve_optimal(*problem, method=method)
            # Quarter scores are exact in binary: the totals agree to the last bit.
            assert flow.total_score == pytest.approx(theirs.total_score, abs=1e-9)
            differ[method] += not np.array_equal(flow.assigned, theirs.assigned)
    # Ties do produce other optima; the scipy methods differ from each other as much.
    assert all(count > 0 for count in differ.values()), differ


def test_scaled_costs_are_exact_for_float32_scores_from_2_to_the_minus_7() -> None:
    rng = np.random.default_rng(3)
    score = np.concatenate([rng.uniform(2**-7, 1.0, 10_000).astype(np.float32),
                            np.array([2**-7, 0.5, 1.0, 0.0], dtype=np.float32)])  # fmt: skip
    costs = _mincostflow.scaled_costs(score.astype(np.float64))
    assert costs.dtype == np.int64
    assert np.array_equal(costs.astype(np.float64) / _mincostflow.SCALE, score.astype(np.float64))
    # Below 2**-7 a float32 can be finer than the scale: rounding moves it by at most 2**-31.
    tiny = np.array([2**-20 + 2**-43, 1e-9, 3e-10], dtype=np.float64)
    moved = np.abs(_mincostflow.scaled_costs(tiny) / _mincostflow.SCALE - tiny)
    assert np.all(moved <= 2.0**-31)


def test_rounding_bound() -> None:
    assert _mincostflow.SCALE == 2**30
    assert _mincostflow.rounding_bound(0) == 0.0
    assert _mincostflow.rounding_bound(4) == 4 / 2**30
    assert _mincostflow.rounding_bound(3, 5) == 8 / 2**31
    # 100,000 placements: below 1e-4 in the total.
    assert _mincostflow.rounding_bound(100_000) < 1e-4


@needs_ortools
def test_scores_finer_than_the_scale_stay_within_the_bound() -> None:
    # Candidate 0 fits vacancy 0 better than candidate 1 does, by 2**-33: the rounded costs tie.
    cand, vac, score = [0, 1], [0, 0], [0.5 + 2.0**-33, 0.5]
    flow = solve_optimal(cand, vac, score, 2, [1], method="mincostflow")
    best = solve_optimal(cand, vac, score, 2, [1], method="lp").total_score
    assert best - flow.total_score <= _mincostflow.rounding_bound(1)
    rng = np.random.default_rng(11)
    worse = 0
    for _ in range(200):
        problem = random_problem(rng, "rounded")
        flow = solve_optimal(*problem, method="mincostflow")
        check_valid(flow, problem)
        exact = solve_optimal(*problem, method="dense")
        bound = _mincostflow.rounding_bound(flow.n_assigned, exact.n_assigned)
        assert exact.total_score - flow.total_score <= bound + 1e-12
        assert flow.total_score <= exact.total_score + 1e-12
        worse += flow.total_score < exact.total_score
    # The rounding does cost something here (48 of the 200 problems), always within the bound.
    assert worse > 0


@needs_ortools
def test_flow_is_deterministic_and_ignores_the_input_order() -> None:
    rng = np.random.default_rng(5)
    for _ in range(50):
        cand, vac, score, n, capacity = random_problem(rng, "tied")
        first = solve_optimal(cand, vac, score, n, capacity, method="mincostflow")
        again = solve_optimal(cand, vac, score, n, capacity, method="mincostflow")
        order = rng.permutation(cand.shape[0])
        shuffled = solve_optimal(cand[order], vac[order], score[order], n, capacity,
                                 method="mincostflow")  # fmt: skip
        assert np.array_equal(first.assigned, again.assigned)
        assert np.array_equal(first.assigned, shuffled.assigned)
        assert np.array_equal(order[shuffled.edge_index[shuffled.assigned >= 0]],
                              first.edge_index[first.assigned >= 0])  # fmt: skip


@needs_ortools
def test_degenerate_problems() -> None:
    empty = solve_optimal(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0), 3, [1],
                          method="mincostflow")  # fmt: skip
    assert empty.assigned.tolist() == [-1, -1, -1]
    # Zero scores and a vacancy without openings: the zero-score pair is still placed.
    result = solve_optimal([0, 1, 2], [0, 1, 1], [0.0, 0.6, 0.9], 3, [1, 0],
                           method="mincostflow")  # fmt: skip
    assert result.assigned.tolist() == [0, -1, -1]
    assert result.total_score == 0.0
    # More people than openings: the best two of three.
    result = solve_optimal([0, 1, 2], [0, 0, 0], [0.4, 0.9, 0.7], 3, [2], method="mincostflow")
    assert result.assigned.tolist() == [-1, 0, 0]
    assert result.total_score == pytest.approx(1.6)


def larger_problem() -> Problem:
    rng = np.random.default_rng(1)
    n, m, per = 400, 120, 8
    cand = np.repeat(np.arange(n, dtype=np.int32), per)
    vac = np.concatenate([rng.choice(m, per, replace=False) for _ in range(n)]).astype(np.int32)
    score = rng.random(cand.shape[0]).astype(np.float32)
    return cand, vac, score, n, rng.integers(0, 4, m).astype(np.int64)


@needs_ortools
def test_auto_uses_the_flow_above_the_dense_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = larger_problem()
    assert solve_optimal(*problem).method == "dense"  # small problems keep dense
    monkeypatch.setattr(optimal_module, "AUTO_DENSE_CELLS", 0)
    result = solve_optimal(*problem)
    assert result.method == "mincostflow"
    lp = solve_optimal(*problem, method="lp")
    assert np.array_equal(result.assigned, lp.assigned)


def hide_ortools(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ortools", "ortools.graph", "ortools.graph.python",
                 "ortools.graph.python.min_cost_flow"):  # fmt: skip
        monkeypatch.setitem(sys.modules, name, None)  # `import` raises ImportError


def test_auto_uses_scipy_without_ortools(monkeypatch: pytest.MonkeyPatch) -> None:
    hide_ortools(monkeypatch)
    assert not _mincostflow.available()
    problem = larger_problem()
    assert solve_optimal(*problem).method == "dense"
    monkeypatch.setattr(optimal_module, "AUTO_DENSE_CELLS", 0)
    assert solve_optimal(*problem).method == "lp"


def test_mincostflow_without_ortools_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    hide_ortools(monkeypatch)
    with pytest.raises(ConfigError, match=r"labourint-match\[fast\]"):
        solve_optimal([0], [0], [0.5], 1, [1], method="mincostflow")


# -- the run id and the decision log name the flow ----------------------------------------------


def _assign_auto_above_dense(monkeypatch: pytest.MonkeyPatch, log: Any) -> Any:
    """Matcher.assign of a small synthetic cohort with "auto" past its dense threshold."""
    from datetime import date

    from labourint_match import Matcher, ScoringConfig, Taxonomy, synth

    taxonomy = Taxonomy.default()
    people, jobs = synth.cohort(taxonomy, 30, 8, seed=11)
    with monkeypatch.context() as patch:
        patch.setattr(optimal_module, "AUTO_DENSE_CELLS", 0)
        return Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1))).assign(
            people, jobs, log=log
        )


@needs_ortools
def test_the_run_id_and_the_log_name_the_flow(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    import json

    flow = _assign_auto_above_dense(monkeypatch, tmp_path / "flow.jsonl")
    assert flow.solver == "mincostflow"
    with monkeypatch.context() as patch:
        hide_ortools(patch)
        lp = _assign_auto_above_dense(monkeypatch, tmp_path / "lp.jsonl")
    assert lp.solver == "lp"
    # The same problem: with tied scores the two may place people differently, so the ids differ.
    assert flow.run_id != lp.run_id
    for plan, name in ((flow, "flow"), (lp, "lp")):
        lines = (tmp_path / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        assert {json.loads(line)["solver"] for line in lines} == {plan.solver}


def test_scipy_run_ids_are_unchanged() -> None:
    """Only the flow adds the solver to the run id: the ids of dense and LP runs stay as before."""
    from datetime import date

    from labourint_match.assignment import plan

    cand, vac, score = np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([0.9, 0.8, 0.7])
    capacity = np.array([1, 1], dtype=np.int64)
    edges = plan.Edges(cand, vac, score, np.array([0.9, 0.7]))
    provenance = plan.Provenance("cfg", "tax", date(2026, 1, 1))
    ids = ("c1", "c2"), ("v1", "v2")
    digest = plan._problem_digest(capacity, edges.best, edges)
    before = plan._run_id(provenance, *ids, "optimal", 0.0, None, None, digest)  # no solver
    for method in ("dense", "lp"):
        result = solve_optimal(cand, vac, score, 2, capacity, method=method)
        built = plan.build(provenance, *ids, capacity, edges.best, result, 3, "optimal", 0.0,
                           None, None, None, edges=edges)  # fmt: skip
        assert built.solver == method
        assert built.run_id == before
