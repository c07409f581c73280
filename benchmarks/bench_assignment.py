"""Placement solvers: exact optimal and stable assignment on synthetic score arrays.

Every figure is measured in the same run on the same data as its baseline:

- optimal, small: ``solve_optimal`` (``auto``, ``lp``, ``matching``, ``mincostflow``) beside dense
  ``scipy.optimize.linear_sum_assignment`` on the slot-expanded matrix (one column per opening),
  the largest cohort that dense handles in reasonable time and memory; totals must agree
  (optimality ratio ≥ 0.999 is a quality floor; in practice it is 1 to ~1e-12);
- optimal, large: what ``auto`` picks (OR-Tools' min-cost flow where the ``fast`` extra is
  installed, the HiGHS LP otherwise) beside scipy's sparse ``min_weight_full_bipartite_matching``
  (LAPJVsp) on the slot-expanded graph — both exact, so their totals must agree too; and the
  min-cost flow beside the HiGHS LP on the same edges (time ratio, and its total against the LP's:
  the flow rounds scores to multiples of 2**-30; skipped without OR-Tools);
- stable: deferred acceptance at the same size (no blocking pair: a floor), and beside the
  ``matching`` library's ``HospitalResident`` on the largest cohort it survives (it raises
  ``RecursionError`` beyond a few hundred residents; skipped when ``matching`` is not installed);
- top-k pruning: the exact optimum over each candidate's k best edges (and over the union with
  each vacancy's best ``3 × capacity`` edges) against the exact optimum over all edges.

Synthetic cohorts (no scoring core needed): each candidate gets ``per_candidate`` distinct
vacancies, drawn with a heavy-tailed popularity; ``score = 0.4·quality(candidate) +
0.3·ease(vacancy) + 0.3·noise`` as float32, so some vacancies score high for everybody — the case
where pruning on the candidates' side alone loses most. About a tenth of the vacancies have no
opening. Times are wall-clock seconds of the public call (validation included), after a warm-up
that compiles the numba kernels; compile time is reported on its own.

End to end (issue 22's acceptance line): ``Matcher.assign`` on a synthetic cohort of records
(``synth.cohort`` on the bundled taxonomy, seed 22; ``full``: 100,000 candidates × 20,000
vacancies, openings set to 40,000 in total; ``ci``: 2,500 × 1,700, 2,200 openings), drawn once and
written as JSON Lines, each run in a child process that reads it untimed and warms up on a slice
of it, one call timed per method, split by stage by wrapping the functions ``matcher.py`` calls:
validation (``Matcher._candidate_columns`` / ``_vacancy_columns`` / ``_in_id_order``; the parent
commit's ``Matcher._cohort``), encoding (``encode_columns``; the parent's ``Scorer.encode``),
edges (``scoring.edges.pruned_edges`` / ``dense_edges``), solve (``assignment.plan.place``: the
solver, timed inside it, and building the ``Assignment``), and the rest of the call. The runs:

- ``optimal`` at HEAD with OR-Tools (``auto`` → the min-cost flow), then ``stable`` in the same
  child; the solver alone (min-cost flow, HiGHS LP, deferred acceptance) on the exact arrays the
  calls handed to it;
- ``optimal`` at HEAD on scipy alone: a child in which ``ortools`` cannot be imported
  (``sys.modules["ortools"] = None``, so ``_mincostflow.available()``, which ``auto`` consults, is
  false), and the HiGHS LP alone on its solver's arrays; in ``ci``, to spare a child (about 3 s),
  the flow child runs it last with ``_mincostflow.available`` patched to return False;
- ``full`` only: the same on the parent commit (:data:`PARENT_COMMIT`, the commit before the
  min-cost flow; checked out with ``git worktree add --detach`` into a temporary folder, removed
  afterwards, imported through ``PYTHONPATH``; the child prints the path it imported and the
  benchmark checks it), ``optimal`` then ``stable``, with OR-Tools unimportable too.

The children run parent, scipy, flow in that order; with ``LABOURINT_MATCH_ASSIGN_ROUNDS=n`` they
run n rounds, the order reversed every other round, and the figures are medians (one round by
default: about 11 minutes at ``full`` on 2 cores, most of it reading 120,000 records in each child
and the parent commit compiling its kernels). ``python -m benchmarks.bench_assignment full
end_to_end`` runs this section alone.

Targets, printed and never enforced: optimal with OR-Tools ≤ 30 s, optimal on scipy alone no
slower than the parent commit's, stable ≤ 10 s (the ``full`` size). The floor is correctness: the
optimal totals of the three runs equal within the flow's rounding bound
(``_mincostflow.rounding_bound``), as a ceiling of 1 on the largest difference over that bound.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from benchmarks.bench_compile import _checkout
from labourint_match.assignment import SolverResult, prune_top_k, solve_optimal, solve_stable
from labourint_match.assignment._mincostflow import available as flow_available
from labourint_match.assignment._mincostflow import rounding_bound

Problem = tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float32], int, NDArray[np.int64]]

PROFILES: dict[str, dict[str, Any]] = {
    # (candidates, vacancies, openings, edges per candidate, keep top-k per candidate or None)
    "ci": {
        "dense": [(2_000, 500, 1_000, 30)],
        "scale": (10_000, 2_000, 4_000, 30, None),
        "pruning": (10_000, 2_000, 4_000, 30),
        "pruning_k": (5, 10),
    },
    "full": {
        "dense": [(2_000, 500, 1_000, 30), (10_000, 2_000, 4_000, 30)],
        "scale": (100_000, 20_000, 40_000, 30, 10),
        "pruning": (100_000, 20_000, 40_000, 30),
        "pruning_k": (5, 10),
    },
}


def synthetic_cohort(
    n: int, m: int, openings: int, per_candidate: int, seed: int, *, min_capacity: int = 0
) -> Problem:
    """A reproducible synthetic cohort as edge arrays (see the module docstring)."""
    rng = np.random.default_rng(seed)
    if min_capacity > 0:
        capacity = min_capacity + rng.multinomial(openings - min_capacity * m, np.full(m, 1 / m))
    else:
        base = np.zeros(m, dtype=np.int64)
        base[: m // 2] = 1
        capacity = base + rng.multinomial(openings - m // 2, np.full(m, 1 / m))
        rng.shuffle(capacity)
    popularity = rng.pareto(1.5, m) + 1.0
    vac = rng.choice(m, size=(n, per_candidate), p=popularity / popularity.sum())
    while True:  # redraw duplicates within a row uniformly until every row is distinct
        vac.sort(axis=1)
        dup = np.zeros_like(vac, dtype=bool)
        dup[:, 1:] = vac[:, 1:] == vac[:, :-1]
        if not dup.any():
            break
        vac[dup] = rng.integers(0, m, size=int(dup.sum()))
    cand = np.repeat(np.arange(n, dtype=np.int32), per_candidate)
    vac_flat = vac.ravel().astype(np.int32)
    quality, ease = rng.random(n), rng.random(m)
    noise = rng.random(cand.shape[0])
    score = np.clip(0.4 * quality[cand] + 0.3 * ease[vac_flat] + 0.3 * noise, 0.0, 1.0)
    return cand, vac_flat, score.astype(np.float32), n, capacity.astype(np.int64)


def subset(problem: Problem, keep: NDArray[np.int64]) -> Problem:
    cand, vac, score, n, capacity = problem
    return cand[keep], vac[keep], score[keep], n, capacity


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out


def figure(
    name: str,
    ours: float,
    unit: str,
    *,
    baseline: float | None = None,
    baseline_name: str | None = None,
    higher_is_better: bool = False,
    floor: float | None = None,
) -> dict[str, Any]:
    return {
        "benchmark": "assignment",
        "name": name,
        "ours": float(ours),
        "baseline": None if baseline is None else float(baseline),
        "baseline_name": baseline_name,
        "unit": unit,
        "higher_is_better": higher_is_better,
        "floor": floor,
    }


def size(problem: Problem) -> str:
    cand, _, _, n, capacity = problem
    return (
        f"{n:,} × {capacity.shape[0]:,} ({int(capacity.sum()):,} openings, {cand.shape[0]:,} edges)"
    )


def dense_scipy(problem: Problem) -> float:
    """Exact optimum by dense linear_sum_assignment over candidates × every opening."""
    from scipy.optimize import linear_sum_assignment

    cand, vac, score, n, capacity = problem
    by_vacancy = np.zeros((n, capacity.shape[0]), dtype=np.float64)
    by_vacancy[cand, vac] = score
    matrix = by_vacancy[:, np.repeat(np.arange(capacity.shape[0]), capacity)]
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return math.fsum(matrix[rows, cols].tolist())


def blocking_free_share(result: SolverResult, problem: Problem) -> float:
    """The share of edges that are not blocking pairs of `result` (1.0 means stable)."""
    cand, vac, score32, _, capacity = problem
    score = score32.astype(np.float64)
    mine = result.assigned[cand]
    my_score = result.score[cand]
    candidate_wants = (mine < 0) | (score > my_score) | ((score == my_score) & (vac < mine))
    pc, pv, ps = result.pairs()
    worst_score = np.full(capacity.shape[0], np.inf)
    worst_cand = np.full(capacity.shape[0], -1, dtype=np.int64)
    if pc.size:
        order = np.lexsort((-pc.astype(np.int64), ps, pv))  # per vacancy: least liked first
        first = np.unique(pv[order], return_index=True)[1]
        worst_score[pv[order][first]] = ps[order][first]
        worst_cand[pv[order][first]] = pc[order][first]
    vacancy_wants = (
        (result.fill()[vac] < capacity[vac])
        | (score > worst_score[vac])
        | ((score == worst_score[vac]) & (cand < worst_cand[vac]))
    )
    blocking = candidate_wants & vacancy_wants & (mine != vac)
    return 1.0 - float(np.count_nonzero(blocking)) / max(1, cand.shape[0])


def warm_up() -> float:
    """Compile the numba kernels; returns the seconds it took."""
    seconds, _ = timed(lambda: solve_stable([0, 1], [0, 0], [0.5, 0.4], 2, [1]))
    solve_optimal([0, 0, 1], [0, 1, 0], [0.9, 0.8, 0.7], 2, [1, 1], method="lp")
    solve_optimal([0, 0, 1], [0, 1, 0], [0.9, 0.8, 0.7], 2, [1, 1], method="dense")
    solve_optimal([0, 0, 1], [0, 1, 1], [0.0, 0.0, 0.7], 2, [1, 1], method="matching")
    if flow_available():  # imports OR-Tools outside the timings
        solve_optimal([0, 0, 1], [0, 1, 0], [0.9, 0.8, 0.7], 2, [1, 1], method="mincostflow")
    return seconds


def bench_dense(problem: Problem) -> list[dict[str, Any]]:
    print(f"  dense linear_sum_assignment vs ours on {size(problem)}", flush=True)
    dense_seconds, dense_total = timed(lambda: dense_scipy(problem))
    figures = []
    dense_name = "dense linear_sum_assignment, slot-expanded"
    flow = ("mincostflow",) if flow_available() else ()
    for method in ("auto", "lp", "matching", *flow):
        seconds, result = timed(lambda method=method: solve_optimal(*problem, method=method))
        label = f"optimal [{method}→{result.method}]" if method == "auto" else f"optimal [{method}]"
        figures.append(figure(f"{label} time, {size(problem)}", seconds, "s",
                              baseline=dense_seconds,
                              baseline_name=dense_name))  # fmt: skip
        figures.append(figure(f"{label} optimality ratio vs dense exact, {problem[3]:,} candidates",
                              result.total_score / dense_total, "ratio", higher_is_better=True,
                              floor=0.999))  # fmt: skip
    return figures


def bench_scale(problem: Problem, label: str) -> tuple[list[dict[str, Any]], SolverResult]:
    print(f"  optimal and stable on {size(problem)}", flush=True)
    lp_seconds, optimal = timed(lambda: solve_optimal(*problem))
    print(f"    optimal [{optimal.method}]: {lp_seconds:.2f} s", flush=True)
    mw_seconds, matched = timed(lambda: solve_optimal(*problem, method="matching"))
    print(f"    optimal [matching]: {mw_seconds:.2f} s", flush=True)
    st_seconds, stable = timed(lambda: solve_stable(*problem))
    print(f"    stable: {st_seconds:.2f} s", flush=True)
    sparse = "sparse min_weight_full_bipartite_matching, slot-expanded"
    figures = [
        figure(f"optimal [auto→{optimal.method}] time, {label}", lp_seconds, "s",
               baseline=mw_seconds, baseline_name=sparse),
        figure(f"optimal [auto→{optimal.method}] total vs sparse exact, {label}",
               optimal.total_score / matched.total_score, "ratio", higher_is_better=True,
               floor=0.999),
        figure(f"stable (deferred acceptance) time, {label}", st_seconds, "s"),
        figure(f"stable: share of edges that are not blocking pairs, {label}",
               blocking_free_share(stable, problem), "share", higher_is_better=True, floor=1.0),
        figure(f"stable total / optimal total (price of stability), {label}",
               stable.total_score / optimal.total_score, "ratio", higher_is_better=True),
        figure(f"candidates placed, stable / optimal, {label}",
               stable.n_assigned / max(1, optimal.n_assigned), "ratio", higher_is_better=True),
    ]  # fmt: skip
    figures += bench_flow(problem, label)
    return figures, optimal


def bench_flow(problem: Problem, label: str) -> list[dict[str, Any]]:
    """OR-Tools' min-cost flow beside the HiGHS LP, both through solve_optimal, same edges."""
    if not flow_available():
        print("    OR-Tools is not installed (the `fast` extra): min-cost flow skipped")
        return []
    lp_seconds, lp = timed(lambda: solve_optimal(*problem, method="lp"))
    flow_seconds, flow = timed(lambda: solve_optimal(*problem, method="mincostflow"))
    same = float(np.mean(flow.assigned == lp.assigned))
    print(f"    optimal [mincostflow]: {flow_seconds:.2f} s, HiGHS LP {lp_seconds:.2f} s: "
          f"{lp_seconds / flow_seconds:.1f}× faster; total ratio "
          f"{flow.total_score / lp.total_score:.12f}, same placement for {same:.4%}",
          flush=True)  # fmt: skip
    return [
        figure(f"optimal [mincostflow] time, {label}", flow_seconds, "s", baseline=lp_seconds,
               baseline_name="HiGHS LP (method='lp'), same edges"),
        figure(f"optimal [mincostflow] total vs HiGHS LP, {label}",
               flow.total_score / lp.total_score, "ratio", higher_is_better=True, floor=0.999),
        figure(f"optimal [mincostflow]: share of candidates placed as the LP places them, {label}",
               same, "share", higher_is_better=True),
    ]  # fmt: skip


def via_matching_library(problem: Problem) -> list[int]:
    """Resident-optimal HospitalResident from the `matching` library, as our vacancy indices."""
    from matching.games import HospitalResident

    cand, vac, score, n, capacity = problem
    s = {(int(c), int(v)): float(x) for c, v, x in zip(cand, vac, score, strict=True)}
    residents: dict[int, list[int]] = {c: [] for c in range(n)}
    hospitals: dict[int, list[int]] = {}
    for c, v in s:
        residents[c].append(v)
        hospitals.setdefault(v, []).append(c)
    residents = {c: sorted(vs, key=lambda v, c=c: (-s[c, v], v)) for c, vs in residents.items()}
    hospitals = {v: sorted(cs, key=lambda c, v=v: (-s[c, v], c)) for v, cs in hospitals.items()}
    caps = {v: int(capacity[v]) for v in hospitals}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(residents, hospitals, caps)
        solution = game.solve(optimal="resident")
    out = [-1] * n
    for hospital, members in solution.items():
        for resident in members:
            out[resident.name] = hospital.name
    return out


def bench_matching_library() -> list[dict[str, Any]]:
    try:
        import matching  # noqa: F401
    except ImportError:
        print("  `matching` is not installed: its HospitalResident baseline is skipped")
        return []
    largest: tuple[Problem, float, list[int]] | None = None
    failed_at = None
    for n in (100, 200, 300, 400, 500, 700, 1_000):
        # A cohort the library accepts: every vacancy has an opening, every candidate an edge.
        problem = synthetic_cohort(n, n // 4, n // 2, 10, seed=n, min_capacity=1)
        try:
            seconds, theirs = timed(lambda problem=problem: via_matching_library(problem))
        except RecursionError:
            failed_at = n
            break
        largest = (problem, seconds, theirs)
    if largest is None:
        print("  `matching` failed on the smallest cohort tried")
        return []
    problem, their_seconds, theirs = largest
    label = f"{problem[3]:,} × {problem[4].shape[0]:,}"
    note = f" (RecursionError at {failed_at:,} × {failed_at // 4:,})" if failed_at else ""
    print(f"  matching.HospitalResident: largest cohort it survives {label}{note}")
    ours_seconds, ours = timed(lambda: solve_stable(*problem))
    agree = float(np.mean(np.asarray(theirs) == ours.assigned))
    return [
        figure(f"stable time, {label} (largest `matching` survives{note})", ours_seconds, "s",
               baseline=their_seconds, baseline_name="matching.HospitalResident"),
        figure(f"stable: share of candidates placed as `matching` places them, {label}",
               agree, "share", higher_is_better=True),
    ]  # fmt: skip


def bench_pruning(
    problem: Problem, ks: tuple[int, ...], exact: SolverResult | None
) -> list[dict[str, Any]]:
    print(f"  top-k pruning against the exact optimum on {size(problem)}", flush=True)
    if exact is None:
        exact_seconds, exact = timed(lambda: solve_optimal(*problem))
    else:
        exact_seconds = math.nan
    if exact_seconds == exact_seconds:
        print(f"    exact over every edge: {exact_seconds:.2f} s", flush=True)
    figures = []
    cand, vac, score, n, capacity = problem
    label = f"{n:,} × {capacity.shape[0]:,}, {cand.shape[0] // max(1, n)} edges each"
    for k in ks:
        for with_vacancies in (False, True):
            extra = {"capacity": capacity, "per_opening": 3} if with_vacancies else {}
            keep = prune_top_k(cand, vac, score, n, k, **extra)
            seconds, pruned = timed(lambda keep=keep: solve_optimal(*subset(problem, keep)))
            kind = f"top-{k}" + (" ∪ vacancies' best 3/opening" if with_vacancies else "")
            floor = 0.99 if (with_vacancies and k >= 10) else None
            ratio = pruned.total_score / exact.total_score
            print(f"    {kind}: {keep.shape[0]:,} edges, {seconds:.2f} s, ratio {ratio:.5f}")
            figures.append(figure(f"pruning {kind}: optimality ratio vs exact, {label}",
                                  ratio, "ratio", higher_is_better=True, floor=floor))  # fmt: skip
            if exact_seconds == exact_seconds:
                figures.append(figure(f"pruning {kind}: optimal time, {label}", seconds, "s",
                                      baseline=exact_seconds,
                                      baseline_name="exact over every edge"))  # fmt: skip
    return figures


# ---------------------------------------------------------------------------------------------
# Matcher.assign end to end, split by stage, against scipy alone and the parent commit.

REPO = Path(__file__).resolve().parents[1]
# The commit before the min-cost flow (aa0c9b3^): placement on scipy only.
PARENT_COMMIT = "3d31ab2dc34be38264965b7f659e5a36dd34ef1d"
# (candidates, vacancies, openings in total)
END_TO_END: dict[str, tuple[int, int, int]] = {
    "ci": (2_500, 1_700, 2_200),  # above DENSE_ASSIGN_PAIRS and AUTO_DENSE_CELLS: pruned, flow
    "full": (100_000, 20_000, 40_000),
}
E2E_SEED = 22
# Rounds of the children, the order reversed every other round; figures are medians.
# LABOURINT_MATCH_ASSIGN_ROUNDS overrides (a full round takes about 11 minutes on 2 cores).
E2E_ROUNDS = {"ci": 1, "full": 1}
STAGES = ("validation", "encoding", "edges", "solve", "other")

# Run in a child: argv = [side, cohort folder, runs]; prints one JSON line. `side` "flow" is HEAD
# with OR-Tools; "scipy" and "parent" run with OR-Tools unimportable. `runs` are methods of
# Matcher.assign, comma-separated; "optimal:scipy" (in the flow child, profile ci: one child
# instead of two) is "optimal" with `_mincostflow.available` patched to return False, what
# solve_optimal(method="auto") consults.
_E2E_CHILD = r"""
import json, sys, time, warnings
from pathlib import Path
side, folder, methods = sys.argv[1], Path(sys.argv[2]), sys.argv[3].split(",")
if side != "flow":
    sys.modules["ortools"] = None  # `import ortools` raises ImportError: scipy alone
warnings.simplefilter("ignore")
from datetime import date
import numpy as np
import labourint_match as lm
from labourint_match import matcher as M
from labourint_match.assignment import optimal as O, plan as P
from labourint_match.assignment.stable import solve_stable
from labourint_match.scoring import edges as E, engine
print("imported", lm.__file__, file=sys.stderr)
available = getattr(getattr(O, "_mincostflow", None), "available", None)

spent, depth, wrapped, captured = {}, {}, [], {}

def wrap(owner, name, stage):
    fn = getattr(owner, name, None)
    if fn is None or getattr(fn, "_stage", None):
        return False
    def timed(*args, **kwargs):
        outer = depth.get(stage, 0) == 0  # nested calls within a stage count once
        depth[stage] = depth.get(stage, 0) + 1
        t0 = time.perf_counter()
        try:
            out = fn(*args, **kwargs)
        finally:
            depth[stage] -= 1
            if outer:
                spent[stage] = spent.get(stage, 0.0) + time.perf_counter() - t0
        if stage == "solver":
            captured["args"] = args
        return out
    timed._stage = stage
    setattr(owner, name, timed)
    wrapped.append(f"{owner.__name__}.{name} ({stage})")
    return True

for name in ("_candidate_columns", "_vacancy_columns"):
    wrap(M.Matcher, name, "validation")
wrap(M, "_in_id_order", "validation")
if not any(w.endswith("(validation)") for w in wrapped):
    wrap(M.Matcher, "_cohort", "validation")
if not wrap(M, "encode_columns", "encoding"):
    wrap(engine.Scorer, "encode", "encoding")
for name in ("pruned_edges", "dense_edges"):
    wrap(E, name, "edges")
    wrap(M, name, "edges")  # were matcher.py to import it by name
wrap(M, "place", "solve")
wrap(P, "solve_optimal", "solver")
wrap(P, "solve_stable", "solver")

def records(path, kind):
    with open(path, encoding="utf-8") as f:
        return [kind.model_validate_json(line) for line in f]

t0 = time.perf_counter()
cands = records(folder / "candidates.jsonl", lm.CandidateProfile)
vacs = records(folder / "vacancies.jsonl", lm.Vacancy)
matcher = lm.Matcher(lm.Taxonomy.default(), lm.ScoringConfig(as_of=date(2026, 1, 1)))
for method in dict.fromkeys(m.split(":")[0] for m in methods):  # outside the clock: compile or
    matcher.assign(cands[:300], vacs[:60], method, dense_max_pairs=0)  # load kernels, import
loaded = time.perf_counter() - t0

def n_assigned(result):
    return int(np.count_nonzero(np.asarray(result.assigned) >= 0))

runs = []
for spec in methods:
    method, _, patched = spec.partition(":")
    if patched:
        O._mincostflow.available = lambda: False
    spent.clear()
    captured.clear()
    t0 = time.perf_counter()
    plan = matcher.assign(cands, vacs, method)
    seconds = time.perf_counter() - t0
    stages = {k: spent.get(k, 0.0) for k in ("validation", "encoding", "edges", "solve", "solver")}
    stages["other"] = seconds - sum(stages[k] for k in ("validation", "encoding", "edges", "solve"))
    args = captured["args"]
    cand, vac, score = (np.asarray(a) for a in args[:3])
    run = {"side": "head" if method == "stable" and side != "parent" else side,
           "method": method, "seconds": seconds, "stages": stages, "solver": plan.solver,
           "n_placed": plan.n_placed, "total": plan.total_score, "n_edges": int(cand.shape[0]),
           "edges_digest": [int(cand.astype(np.int64).sum()), int(vac.astype(np.int64).sum()),
                            float(np.asarray(score, dtype=np.float64).sum())],
           "alone": {}}
    if patched:
        run["side"] = patched
        O._mincostflow.available = available
    elif method == "optimal":
        alone = ("mincostflow", "lp") if side == "flow" else ("lp",)
        for how in alone:
            t0 = time.perf_counter()
            result = O.solve_optimal(*args, method=how)
            run["alone"][how] = {"seconds": time.perf_counter() - t0, "total": result.total_score,
                                 "n_placed": n_assigned(result)}
    else:
        t0 = time.perf_counter()
        result = solve_stable(*args)
        run["alone"]["deferred_acceptance"] = {"seconds": time.perf_counter() - t0,
                                               "total": result.total_score,
                                               "n_placed": n_assigned(result)}
    del plan, args, captured["args"]
    runs.append(run)
print(json.dumps({"side": side, "loaded": loaded, "wrapped": wrapped, "runs": runs}))
"""


def exact_openings(openings: list[int], total: int) -> list[int]:
    """`openings` changed by one at evenly spread vacancies until they sum to `total` (each ≥ 1).

    Deterministic: the same list and total give the same result.
    """
    out = list(openings)
    diff = total - sum(out)
    if diff and not out:
        raise ValueError("no vacancy to put openings on")
    step = 1 if diff > 0 else -1
    while diff:
        # Positions spread over the list; when taking away, only where more than one is left.
        spots = [i for i in range(len(out)) if step > 0 or out[i] > 1]
        if not spots:
            raise ValueError(f"cannot bring {sum(openings)} openings down to {total}")
        count = min(abs(diff), len(spots))
        for j in range(count):
            out[spots[(j * len(spots)) // count]] += step
        diff -= step * count
    return out


def _write_e2e_cohort(folder: Path, n: int, m: int, openings: int) -> None:
    from labourint_match import Taxonomy, synth

    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        people, jobs = synth.cohort(Taxonomy.default(), n, m, seed=E2E_SEED)
    drawn = sum(v.openings for v in jobs)
    counts = exact_openings([v.openings for v in jobs], openings)
    set_to = [v if v.openings == k else v.model_copy(update={"openings": k})
              for v, k in zip(jobs, counts, strict=True)]  # fmt: skip
    synth.write_jsonl(folder / "candidates.jsonl", people)
    synth.write_jsonl(folder / "vacancies.jsonl", set_to)
    print(f"  cohort {n:,} × {m:,} (bundled taxonomy, seed {E2E_SEED}; {drawn:,} openings drawn, "
          f"set to {openings:,}) drawn and written in {time.perf_counter() - t0:.1f} s",
          flush=True)  # fmt: skip


def _e2e_child(side: str, tree: Path, folder: Path, methods: tuple[str, ...]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    t0 = time.perf_counter()
    argv = [sys.executable, "-c", _E2E_CHILD, side, str(folder), ",".join(methods)]
    done = subprocess.run(argv, cwd=tree, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"the {side} child failed:\n{done.stderr[-3000:]}")
    imported = next(line for line in done.stderr.splitlines() if line.startswith("imported "))
    where = Path(imported.split(" ", 1)[1]).resolve()
    if not where.is_relative_to((tree / "src").resolve()):
        raise RuntimeError(f"the {side} child imported {where}, not the tree {tree}")
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    out["wall"] = wall
    out["tree"] = _tree_state(tree)
    return out


def _tree_state(tree: Path) -> str:
    """The commit `tree` is at, "-dirty" where its ``src/`` differs from it (after the run)."""
    git = ["git", "-C", str(tree)]
    try:
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=False).stdout.strip()  # fmt: skip
        dirty = subprocess.run([*git, "status", "--porcelain", "--", "src"], capture_output=True,
                               text=True, check=False).stdout.strip()  # fmt: skip
    except OSError:
        return "?"
    return (head or "?") + ("-dirty" if dirty else "")


def _stage_text(run: dict[str, Any]) -> str:
    st = run["stages"]
    return (f"validation {st['validation']:.2f} s, encoding {st['encoding']:.2f} s, "
            f"edges {st['edges']:.2f} s, solve {st['solve']:.2f} s (solver "
            f"{st['solver']:.2f} s, the rest of place {st['solve'] - st['solver']:.2f} s), "
            f"other {st['other']:.2f} s")  # fmt: skip


def total_agreement(runs: dict[str, dict[str, Any]]) -> float:
    """The largest |total difference| between optimal runs over the flow's rounding bound.

    ≤ 1 means every pair of totals agrees within ``rounding_bound`` (the pair's placements).
    """
    worst = 0.0
    names = sorted(runs)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            bound = rounding_bound(runs[a]["n_placed"], runs[b]["n_placed"])
            worst = max(worst, abs(runs[a]["total"] - runs[b]["total"]) / bound)
    return worst


def bench_end_to_end(profile: str) -> list[dict[str, Any]]:
    n, m, openings = END_TO_END[profile]
    label = f"{n:,} × {m:,}, {openings:,} openings"
    with_flow = flow_available()
    with tempfile.TemporaryDirectory(prefix="lm-assign-e2e-") as tmp:
        folder = Path(tmp)
        _write_e2e_cohort(folder, n, m, openings)
        with _checkout(PARENT_COMMIT) if profile == "full" else nullcontext() as parent:
            if profile == "full" and parent is None:
                print(f"  no parent commit {PARENT_COMMIT[:10]} here: its runs are skipped")
            plan: list[tuple[str, Path, tuple[str, ...]]] = []
            if parent is not None:
                plan.append(("parent", parent, ("optimal", "stable")))
            if not with_flow:
                print("  OR-Tools is not installed (the `fast` extra): HEAD with it is skipped")
                plan.append(("scipy", REPO, ("optimal", "stable")))
            elif profile == "full":  # scipy alone where OR-Tools cannot be imported
                plan += [("scipy", REPO, ("optimal",)), ("flow", REPO, ("optimal", "stable"))]
            else:  # ci: one child, scipy alone by `_mincostflow.available` patched
                plan.append(("flow", REPO, ("optimal", "stable", "optimal:scipy")))
            rounds = int(os.environ.get("LABOURINT_MATCH_ASSIGN_ROUNDS", E2E_ROUNDS[profile]))
            collected: dict[tuple[str, str], list[dict[str, Any]]] = {}
            for i in range(rounds):  # the compared runs one after the other, interleaved
                for side, tree, methods in plan if i % 2 == 0 else plan[::-1]:
                    got = _e2e_child(side, tree, folder, methods)
                    print(f"  round {i + 1}, {side} child at {got['tree']}: {got['wall']:.1f} s "
                          f"in all (loading and warm-up {got['loaded']:.1f} s); wrapped "
                          f"{', '.join(got['wrapped'])}", flush=True)  # fmt: skip
                    for run in got["runs"]:
                        collected.setdefault((run["side"], run["method"]), []).append(run)
                        _print_run(run)
    runs = {key: median_run(found) for key, found in collected.items()}
    if rounds > 1:
        for (side, method), run in sorted(runs.items()):
            print(
                f"  median of {rounds}: {side} {method} {run['seconds']:.2f} s (rounds "
                f"{', '.join(f'{x:.2f}' for x in run['rounds'])}) — {_stage_text(run)}"
            )
        label += f"; median of {rounds} rounds"
    return _e2e_figures(runs, label, profile)


def _print_run(run: dict[str, Any]) -> None:
    alone = "".join(f"; {how} alone {a['seconds']:.2f} s" for how, a in run["alone"].items())
    print(f"    {run['side']} {run['method']} [{run['solver']}]: {run['seconds']:.2f} s — "
          f"{_stage_text(run)}; {run['n_edges']:,} edges{alone}; {run['n_placed']:,} placed, "
          f"total {run['total']:.6f}", flush=True)  # fmt: skip


def median_run(found: list[dict[str, Any]]) -> dict[str, Any]:
    """One run of `found` (the same call, round by round) with its times' medians.

    The placements are deterministic; a round whose total or count differs raises.
    """
    first = found[0]
    for other in found[1:]:
        if (other["total"], other["n_placed"]) != (first["total"], first["n_placed"]):
            raise RuntimeError(f"{first['side']} {first['method']}: rounds placed differently")
    return {
        **first,
        "seconds": statistics.median(r["seconds"] for r in found),
        "rounds": [r["seconds"] for r in found],
        "stages": {k: statistics.median(r["stages"][k] for r in found) for k in first["stages"]},
        "alone": {how: {**a, "seconds": statistics.median(r["alone"][how]["seconds"]
                                                          for r in found)}
                  for how, a in first["alone"].items()},
    }  # fmt: skip


def _e2e_figures(
    runs: dict[tuple[str, str], dict[str, Any]], label: str, profile: str
) -> list[dict[str, Any]]:
    parent_name = f"parent commit {PARENT_COMMIT[:7]} (scipy alone)"
    names = {
        ("flow", "optimal"): "assign optimal, HEAD with OR-Tools",
        ("scipy", "optimal"): "assign optimal, HEAD on scipy alone",
        ("parent", "optimal"): f"assign optimal, {parent_name}",
        ("head", "stable"): "assign stable, HEAD",
        ("parent", "stable"): f"assign stable, {parent_name}",
    }
    # What each run is measured beside: scipy alone beside the flow, the parent beside scipy.
    beside = {
        ("flow", "optimal"): ("scipy", "optimal"),
        ("scipy", "optimal"): ("parent", "optimal"),
        ("head", "stable"): ("parent", "stable"),
    }
    full = profile == "full"
    targets = {
        ("flow", "optimal"): " (target ≤ 30 s)" if full else "",
        ("scipy", "optimal"): " (target: no slower than the parent)" if full else "",
        ("head", "stable"): " (target ≤ 10 s)" if full else "",
    }
    figures = []
    for key in (("flow", "optimal"), ("scipy", "optimal"), ("head", "stable")):
        if key not in runs:
            continue
        run, base = runs[key], runs.get(beside[key])
        base_name = names[beside[key]] if base else None
        fig = figure(f"{names[key]} [{run['solver']}]: end to end, {label}{targets[key]}",
                     run["seconds"], "s", baseline=base["seconds"] if base else None,
                     baseline_name=base_name)  # fmt: skip
        if key == ("scipy", "optimal") and base and full:
            fig["target"] = 1.0
        figures.append(fig)
        for stage in ("validation", "encoding", "edges", "solve", "solver", "other"):
            what = "solve: the solver inside place" if stage == "solver" else stage
            figures.append(figure(f"{names[key]}: {what}, {label}", run["stages"][stage], "s",
                                  baseline=base["stages"][stage] if base else None,
                                  baseline_name=base_name))  # fmt: skip
    for key in (("parent", "optimal"), ("parent", "stable")):
        if key in runs:  # the baselines' own stages, printed (as figures without a baseline)
            figures.append(figure(f"{names[key]} [{runs[key]['solver']}]: end to end, {label}",
                                  runs[key]["seconds"], "s"))  # fmt: skip
            for stage in ("validation", "encoding", "edges", "solve", "solver", "other"):
                what = "solve: the solver inside place" if stage == "solver" else stage
                figures.append(figure(f"{names[key]}: {what}, {label}",
                                      runs[key]["stages"][stage], "s"))  # fmt: skip
    # The solver alone on the arrays the assign call handed it.
    flow_run, lp_run, parent_run = (runs.get((s, "optimal")) for s in ("flow", "scipy", "parent"))
    if flow_run is not None:
        a = flow_run["alone"]
        figures.append(figure(f"solver alone on HEAD's assign edges ({flow_run['n_edges']:,}): "
                              f"min-cost flow, {label}", a["mincostflow"]["seconds"], "s",
                              baseline=a["lp"]["seconds"],
                              baseline_name="HiGHS LP alone, same edges"))  # fmt: skip
    if lp_run is not None and "lp" in lp_run["alone"]:  # (ci: the flow child's LP alone)
        base = parent_run["alone"]["lp"]["seconds"] if parent_run else None
        figures.append(figure(f"solver alone on HEAD's assign edges ({lp_run['n_edges']:,}): "
                              f"HiGHS LP, scipy alone, {label}", lp_run["alone"]["lp"]["seconds"],
                              "s", baseline=base,
                              baseline_name=f"HiGHS LP alone on {parent_name}'s edges"
                              if parent_run else None))  # fmt: skip
    stable = runs.get(("head", "stable"))
    if stable is not None:
        base = runs.get(("parent", "stable"))
        figures.append(figure(f"solver alone on HEAD's assign edges: deferred acceptance, {label}",
                              stable["alone"]["deferred_acceptance"]["seconds"], "s",
                              baseline=base["alone"]["deferred_acceptance"]["seconds"]
                              if base else None,
                              baseline_name=f"the same on {parent_name}'s edges"
                              if base else None))  # fmt: skip
    # Correctness: the optimal totals agree within the flow's rounding bound (a ceiling of 1).
    optimal = {side: run for (side, method), run in runs.items() if method == "optimal"}
    if len(optimal) > 1:
        agree = total_agreement(optimal)
        print("  optimal totals: " + ", ".join(f"{s} {r['total']:.9f} ({r['n_placed']:,} placed)"
                                               for s, r in sorted(optimal.items()))
              + f"; largest difference / rounding bound {agree:.3g}")  # fmt: skip
        figures.append(figure(f"assign optimal: largest |total difference| between "
                              f"{', '.join(sorted(optimal))} / the flow's rounding bound, {label}",
                              agree, "ratio", floor=1.0))  # fmt: skip
        for side, other in (("flow", "scipy"), ("scipy", "parent")):
            if side in optimal and other in optimal:
                figures.append(figure(f"candidates placed by {names[side, 'optimal']}, {label}",
                                      optimal[side]["n_placed"], "placements",
                                      baseline=optimal[other]["n_placed"],
                                      baseline_name=names[other, "optimal"],
                                      higher_is_better=True))  # fmt: skip
        if parent_run is not None and lp_run is not None:
            same = parent_run["edges_digest"] == lp_run["edges_digest"] and \
                parent_run["n_edges"] == lp_run["n_edges"]  # fmt: skip
            print(f"  the parent's solver got {'the same' if same else 'other'} edges as HEAD's "
                  f"({parent_run['n_edges']:,} against {lp_run['n_edges']:,})")  # fmt: skip
    return figures


def run(profile: str) -> list[dict[str, Any]]:
    config = PROFILES[profile]
    compile_seconds = warm_up()
    figures = [figure("numba compile on first call (deferred acceptance)", compile_seconds, "s")]
    for i, (n, m, openings, per) in enumerate(config["dense"]):
        figures += bench_dense(synthetic_cohort(n, m, openings, per, seed=100 + i))
    n, m, openings, per, top_k = config["scale"]
    full = synthetic_cohort(n, m, openings, per, seed=1)
    scale_problem = full if top_k is None else subset(full, prune_top_k(*full[:4], top_k))
    label = f"{n:,} × {m:,}, {openings:,} openings, " + (
        f"{per} edges each" if top_k is None else f"top-{top_k} of {per} edges each"
    )
    scale_figures, optimal = bench_scale(scale_problem, label)
    figures += scale_figures
    figures += bench_matching_library()
    n2, m2, openings2, per2 = config["pruning"]
    same = (n2, m2, openings2, per2) == (n, m, openings, per)
    exact = optimal if (same and top_k is None) else None
    figures += bench_pruning(full if same else synthetic_cohort(n2, m2, openings2, per2, seed=1),
                             config["pruning_k"], exact)  # fmt: skip
    figures += bench_end_to_end(profile)
    return figures


if __name__ == "__main__":
    # python -m benchmarks.bench_assignment [ci|full] [end_to_end]: the last runs that section only
    from benchmarks.__main__ import print_table

    chosen = sys.argv[1] if len(sys.argv) > 1 else "ci"
    only = sys.argv[2:] == ["end_to_end"]
    print_table(bench_end_to_end(chosen) if only else run(chosen))
