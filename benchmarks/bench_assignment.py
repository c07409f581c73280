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
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from labourint_match.assignment import SolverResult, prune_top_k, solve_optimal, solve_stable
from labourint_match.assignment._mincostflow import available as flow_available

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
    return figures


if __name__ == "__main__":
    import sys

    for f in run(sys.argv[1] if len(sys.argv) > 1 else "ci"):
        print(f)
