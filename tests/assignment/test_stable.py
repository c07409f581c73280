"""solve_stable is deferred acceptance: stable, candidate-optimal, equal to a plain reference.

The reference below is a plain, obviously-correct pure-Python deferred acceptance; the kernel must
agree with it exactly, leave no blocking pair, and give every candidate their best stable partner.
Also: incomplete lists, zero capacities, crowds, ties, thread counts, NUMBA_DISABLE_JIT, untouched
inputs and input validation.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import deque
from typing import Any

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from labourint_match.assignment import Reason, SolverResult, solve_optimal, solve_stable
from labourint_match.errors import ConfigError

Problem = tuple[NDArray[np.int32], NDArray[np.int32], NDArray[Any], int, NDArray[np.int64]]


# --- the reference and the checks ----------------------------------------------------------------


def reference_deferred_acceptance(problem: Problem) -> list[int]:
    """Textbook candidate-proposing deferred acceptance; returns each candidate's vacancy or -1."""
    cand, vac, score, n, capacity = problem
    s = {(int(c), int(v)): float(x) for c, v, x in zip(cand, vac, score, strict=True)}
    prefs: list[list[int]] = [[] for _ in range(n)]
    for c, v in s:
        prefs[c].append(v)
    for c in range(n):
        prefs[c].sort(key=lambda v, c=c: (-s[c, v], v))  # best first; ties: lower vacancy
    held: list[list[int]] = [[] for _ in range(capacity.shape[0])]
    proposals = [0] * n
    free = deque(range(n))
    while free:
        c = free.popleft()
        if proposals[c] == len(prefs[c]):
            continue  # c has asked every acceptable vacancy: stays unassigned
        v = prefs[c][proposals[c]]
        proposals[c] += 1
        held[v].append(c)
        if len(held[v]) > capacity[v]:
            worst = min(held[v], key=lambda x, v=v: (s[x, v], -x))  # lowest score, then higher id
            held[v].remove(worst)
            free.append(worst)
    out = [-1] * n
    for v, cs in enumerate(held):
        for c in cs:
            out[c] = v
    return out


def blocking_pairs(assigned: list[int], problem: Problem) -> list[tuple[int, int]]:
    """Edges (c, v) where c prefers v to what c has and v would take c (room, or c beats one)."""
    cand, vac, score, _, capacity = problem
    s = {(int(c), int(v)): float(x) for c, v, x in zip(cand, vac, score, strict=True)}
    members: dict[int, list[int]] = {}
    for c, v in enumerate(assigned):
        if v >= 0:
            members.setdefault(v, []).append(c)
    found = []
    for c, v in s:
        mine = assigned[c]
        if mine == v:
            continue
        candidate_wants = mine < 0 or (-s[c, v], v) < (-s[c, mine], mine)
        here = members.get(v, [])
        vacancy_wants = len(here) < capacity[v] or any((-s[c, v], c) < (-s[o, v], o) for o in here)
        if candidate_wants and vacancy_wants:
            found.append((c, v))
    return found


def every_matching(problem: Problem) -> list[list[int]]:
    """Every placement within capacities, for small problems."""
    cand, vac, _, n, capacity = problem
    options: list[list[int]] = [[] for _ in range(n)]
    for c, v in zip(cand.tolist(), vac.tolist(), strict=True):
        options[c].append(v)
    left = capacity.tolist()
    out: list[list[int]] = []
    current = [-1] * n

    def place(i: int) -> None:
        if i == n:
            out.append(current.copy())
            return
        current[i] = -1
        place(i + 1)
        for v in options[i]:
            if left[v] > 0:
                left[v] -= 1
                current[i] = v
                place(i + 1)
                left[v] += 1
        current[i] = -1

    place(0)
    return out


def check_result(result: SolverResult, problem: Problem) -> None:
    cand, vac, _score, n, capacity = problem
    placed = result.assigned >= 0
    assert result.assigned.shape == (n,)
    assert result.reason.shape == (n,)
    assert np.all(result.fill() <= capacity)
    e = result.edge_index[placed]
    assert np.array_equal(cand[e], np.flatnonzero(placed))
    assert np.array_equal(vac[e], result.assigned[placed])
    assert np.all((result.reason == Reason.ASSIGNED) == placed)
    degree = np.bincount(cand, minlength=n)
    assert np.all((result.reason == Reason.NO_EDGE) == (degree == 0))
    open_degree = np.bincount(cand[capacity[vac] > 0], minlength=n)
    assert np.all((result.reason == Reason.NO_OPENING) == ((degree > 0) & (open_degree == 0)))


@st.composite
def small_problems(draw: st.DrawFn, max_n: int = 7, max_m: int = 4) -> Problem:
    n = draw(st.integers(0, max_n))
    m = draw(st.integers(0, max_m))
    capacity = np.array(draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)), dtype=np.int64)
    pairs = [(c, v) for c in range(n) for v in range(m)]
    chosen = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
    edges = draw(st.permutations([p for p, keep in zip(pairs, chosen, strict=True) if keep]))
    score_st = st.one_of(st.sampled_from([0.0, 0.5, 1.0]), st.floats(0.0, 1.0, width=32))
    scores = draw(st.lists(score_st, min_size=len(edges), max_size=len(edges)))
    return (
        np.array([c for c, _ in edges], dtype=np.int32),
        np.array([v for _, v in edges], dtype=np.int32),
        np.array(scores, dtype=np.float32),
        n,
        capacity,
    )


def random_problem(n: int, m: int, per_candidate: int, seed: int) -> Problem:
    rng = np.random.default_rng(seed)
    capacity = rng.integers(0, 4, size=m).astype(np.int64)
    cand = np.repeat(np.arange(n, dtype=np.int32), per_candidate)
    vac = np.concatenate([rng.choice(m, per_candidate, replace=False) for _ in range(n)])
    score = np.round(rng.random(cand.shape[0]), 2).astype(np.float32)  # many ties
    return cand, vac.astype(np.int32), score, n, capacity


# --- properties ----------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(small_problems())
def test_equals_the_reference_and_has_no_blocking_pair(problem: Problem) -> None:
    result = solve_stable(*problem)
    assert result.assigned.tolist() == reference_deferred_acceptance(problem)
    assert blocking_pairs(result.assigned.tolist(), problem) == []
    check_result(result, problem)


@settings(max_examples=80, deadline=None)
@given(small_problems(max_n=5, max_m=3))
def test_every_candidate_gets_their_best_stable_partner(problem: Problem) -> None:
    cand, vac, score, n, _ = problem
    s = {(int(c), int(v)): float(x) for c, v, x in zip(cand, vac, score, strict=True)}

    def rank(c: int, v: int) -> tuple[float, int]:  # smaller is better for candidate c
        return (1.0, 0) if v < 0 else (-s[c, v], v)

    stable = [m for m in every_matching(problem) if not blocking_pairs(m, problem)]
    ours = solve_stable(*problem).assigned.tolist()
    assert ours in stable
    for other in stable:
        assert all(rank(c, ours[c]) <= rank(c, other[c]) for c in range(n))


def test_equals_the_reference_on_a_2000_by_500_cohort_with_ties() -> None:
    problem = random_problem(2000, 500, 30, seed=7)
    result = solve_stable(*problem)
    assert result.assigned.tolist() == reference_deferred_acceptance(problem)
    assert blocking_pairs(result.assigned.tolist(), problem) == []
    check_result(result, problem)


def test_stable_total_never_beats_the_optimal_total() -> None:
    problem = random_problem(500, 100, 10, seed=8)
    assert solve_stable(*problem).total_score <= solve_optimal(*problem).total_score + 1e-9


# --- the cases the `matching` library gets wrong -------------------------------------------------


def test_incomplete_lists_zero_capacities_and_more_people_than_places() -> None:
    # 5 candidates, 3 vacancies (2, 0 and 1 openings); candidate 4 has no edge.
    cand = [0, 0, 1, 1, 2, 3, 3]
    vac = [0, 2, 0, 1, 1, 0, 2]
    score = [0.6, 0.9, 0.7, 0.8, 0.5, 0.65, 0.4]
    result = solve_stable(cand, vac, score, 5, [2, 0, 1])
    assert result.assigned.tolist() == [2, 0, -1, 0, -1]
    assert [Reason(r).name for r in result.reason] == [
        "ASSIGNED",
        "ASSIGNED",
        "NO_OPENING",
        "ASSIGNED",
        "NO_EDGE",
    ]
    assert result.total_score == pytest.approx(0.9 + 0.7 + 0.65)


def test_a_tie_goes_to_the_lower_index_on_both_sides() -> None:
    # Vacancy 0 (one opening) ties candidates 0 and 1; candidate 1 ties vacancies 0 and 1.
    result = solve_stable([1, 0, 1], [0, 0, 1], [0.5, 0.5, 0.5], 2, [1, 1])
    assert result.assigned.tolist() == [0, 1]
    assert solve_stable([1, 1], [1, 0], [0.5, 0.5], 2, [1, 1]).assigned.tolist() == [-1, 0]


def test_a_thousand_residents_and_a_hundred_hospitals_do_not_recurse() -> None:
    problem = random_problem(1000, 100, 100, seed=9)
    result = solve_stable(*problem)
    assert result.n_assigned == min(1000, int(problem[4].sum()))
    assert blocking_pairs(result.assigned.tolist(), problem) == []


def test_degenerate_problems() -> None:
    assert solve_stable([], [], [], 0, []).n_candidates == 0
    result = solve_stable([], [], [], 2, [1])
    assert result.assigned.tolist() == [-1, -1]
    assert set(result.reason.tolist()) == {Reason.NO_EDGE}
    assert solve_stable([0], [0], [0.0], 1, [1]).assigned.tolist() == [0]


# --- determinism, threads, JIT, inputs -----------------------------------------------------------


def test_result_does_not_depend_on_the_order_of_the_edges() -> None:
    cand, vac, score, n, capacity = random_problem(300, 50, 10, seed=10)
    perm = np.random.default_rng(0).permutation(cand.shape[0])
    a = solve_stable(cand, vac, score, n, capacity)
    b = solve_stable(cand[perm], vac[perm], score[perm], n, capacity)
    assert np.array_equal(a.assigned, b.assigned)
    assert np.array_equal(perm[b.edge_index[b.assigned >= 0]], a.edge_index[a.assigned >= 0])


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs 2 numba threads")
def test_results_are_identical_with_one_and_two_numba_threads() -> None:
    problem = random_problem(2000, 400, 20, seed=12)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = solve_stable(*problem)
        one_opt = solve_optimal(*problem, method="lp")
        numba.set_num_threads(2)
        two = solve_stable(*problem)
        two_opt = solve_optimal(*problem, method="lp")
    finally:
        numba.set_num_threads(before)
    assert np.array_equal(one.assigned, two.assigned)
    assert np.array_equal(one_opt.assigned, two_opt.assigned)


_SCRIPT = """
import json, numpy as np
import labourint_match.assignment as a
from labourint_match.assignment import _kernels
compiled = getattr(_kernels.deferred_acceptance, "signatures", None)
rng = np.random.default_rng(4)
cand = np.repeat(np.arange(200, dtype=np.int32), 5)
vac = np.concatenate([rng.choice(40, 5, replace=False) for _ in range(200)]).astype(np.int32)
score = np.round(rng.random(1000), 1).astype(np.float32)
cap = rng.integers(0, 4, 40)
print(json.dumps({"compiled_at_import": None if compiled is None else len(compiled),
                  "stable": a.solve_stable(cand, vac, score, 200, cap).assigned.tolist(),
                  "optimal": a.solve_optimal(cand, vac, score, 200, cap).total_score}))
"""


@pytest.mark.parametrize("disable_jit", ["0", "1"])
def test_works_without_jit_and_compiles_nothing_at_import(disable_jit: str) -> None:
    env = {**os.environ, "NUMBA_DISABLE_JIT": disable_jit}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, env=env, check=True
    )
    out = json.loads(done.stdout.strip().splitlines()[-1])
    if disable_jit == "0":
        assert out["compiled_at_import"] == 0
    rng = np.random.default_rng(4)
    cand = np.repeat(np.arange(200, dtype=np.int32), 5)
    vac = np.concatenate([rng.choice(40, 5, replace=False) for _ in range(200)]).astype(np.int32)
    score = np.round(rng.random(1000), 1).astype(np.float32)
    cap = rng.integers(0, 4, 40)
    assert out["stable"] == solve_stable(cand, vac, score, 200, cap).assigned.tolist()
    assert out["optimal"] == solve_optimal(cand, vac, score, 200, cap).total_score


def test_inputs_are_not_modified() -> None:
    cand, vac, score, n, capacity = random_problem(100, 20, 5, seed=13)
    copies = [a.copy() for a in (cand, vac, score, capacity)]
    for a in (cand, vac, score, capacity):
        a.setflags(write=False)
    solve_stable(cand, vac, score, n, capacity)
    for before, after in zip(copies, (cand, vac, score, capacity), strict=True):
        assert np.array_equal(before, after)
        assert before.dtype == after.dtype


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([0], [0, 0], [0.5], 1, [1]), "one entry per edge"),
        (([3], [0], [0.5], 2, [1]), r"`cand` must lie in \[0, n_candidates=2\)"),
        (([0], [1], [0.5], 1, [1]), r"`vac` must lie in \[0, len\(capacity\)=1\)"),
        (([0], [0], [np.nan], 1, [1]), "`score` must be finite"),
        (([0], [0], [-0.5], 1, [1]), r"`score` must lie in \[0, 1\]"),
        (([0], [0], [0.5], 1, [-2]), "`capacity` must be ≥ 0"),
        (([0, 0], [0, 0], [0.5, 0.5], 1, [1]), "at most once"),
    ],
)
def test_bad_input_raises_config_error(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        solve_stable(*args)
