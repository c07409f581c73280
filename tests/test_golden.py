"""Golden outputs: rankings, explanations and placements pinned on fixed cohorts.

The scoring engine's refactors must not change any result. This test recomputes, on the test
fixtures (``tests/fixtures/profiles``, with an unjudged vacancy and one with no requirement added)
and on seeded synthetic cohorts built as the ``ci`` profile of ``benchmarks/bench_ranking.py``,
``bench_trust.py`` and placement cohorts (scaled down so the whole test runs in well under a
minute), and compares with ``tests/golden/golden.json.gz``:

- rankings by candidate and by vacancy (``top_k`` 5): ids, reasons and unjudged vacancies
  exactly, scores within 1e-9;
- the dense score matrix, ``Matcher.score``, ``Matcher.unjudged`` and ``rank_chunks``;
- explanations of a sample of pairs (the full text and every field);
- placements, optimal and stable, on the dense and the pruned edge paths (with quotas, and with
  the per-quota-group vacancy ranking forced), with the explanations of a sample of candidates;
- the distributed path (:class:`DistributedMatcher` on an in-process ``LocalCluster``), when Dask
  is installed.

Ids and every non-float value are compared exactly; floats with an absolute tolerance of 1e-9
(another CPU may round the last bit differently); stored floats are rounded to 12 decimals.

To regenerate the file (only when a change of results is intended, and say so in the commit)::

    LABOURINT_GOLDEN_UPDATE=1 .venv/bin/pytest -q tests/test_golden.py
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import json
import math
import os
import warnings
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from labourint_match import (
    Matcher,
    Preferences,
    ScoringConfig,
    Taxonomy,
    Vacancy,
    load_candidates,
    load_vacancies,
    synth,
)
from labourint_match.synth import Region

GOLDEN = Path(__file__).resolve().parent / "golden" / "golden.json.gz"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "profiles"
UPDATE = os.environ.get("LABOURINT_GOLDEN_UPDATE") == "1"
CONFIG = ScoringConfig(as_of=date(2026, 1, 1))  # bench_ranking's AS_OF
ATOL = 1e-9
TOP_K = 5


# -- turning results into plain JSON ---------------------------------------------------------------


def plain(value: Any) -> Any:
    """`value` as JSON: floats rounded to 12 decimals, tuples as lists, dataclasses as dicts."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        return x if not math.isfinite(x) else round(x, 12)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    raise TypeError(f"no JSON form for {type(value).__name__}")


def ranking(r: Any) -> dict[str, Any]:
    return plain({
        "by": r.by, "candidate_ids": r.candidate_ids, "vacancy_ids": r.vacancy_ids,
        "indices": r.indices, "scores": r.scores.astype(np.float64), "reasons": r.reasons,
        "unjudged": r.unjudged,
    })  # fmt: skip


def explanation(e: Any) -> dict[str, Any]:
    return {"text": str(e), "fields": plain(e)}


def assignment(a: Any, sample: int = 6) -> dict[str, Any]:
    out = plain({
        "method": a.method, "solver": a.solver, "total_score": a.total_score,
        "min_score": a.min_score, "pruning": a.pruning, "n_candidates": a.n_candidates,
        "n_vacancies": a.n_vacancies, "n_openings": a.n_openings,
        "config_digest": a.config_digest, "records": a.to_records(),
        "reason_counts": a.reason_counts(),
    })  # fmt: skip
    placed = [p.candidate_id for p in a.pairs][: sample // 2]
    unplaced = [u.candidate_id for u in a.unassigned][: sample - len(placed)]
    with contextlib.suppress(Exception):  # no source (e.g. shards): nothing to explain
        out["explanations"] = {cid: explanation(a.explain(cid)) for cid in placed + unplaced}
    return out


# -- the cases ------------------------------------------------------------------------------------


def _fixture_cases(taxonomy: Taxonomy) -> dict[str, Any]:
    m = Matcher(taxonomy, CONFIG)
    people = tuple(load_candidates(FIXTURES / "candidates.jsonl", taxonomy=taxonomy))
    jobs = (
        *load_vacancies(FIXTURES / "vacancies.json", taxonomy=taxonomy),
        Vacancy(id="v-unjudged", skills=["qwzx no such skill"]),
        Vacancy(id="v-none", skills=[]),
    )
    out: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out["rank_candidate"] = ranking(m.rank(people, jobs, top_k=TOP_K))
        out["rank_vacancy"] = ranking(m.rank(people, jobs, top_k=TOP_K, by="vacancy"))
    out["scores"] = plain(m.scores(people, jobs).astype(np.float64))
    out["score"] = plain([[m.score(c, v) for v in jobs] for c in people])
    out["unjudged"] = plain(m.unjudged(jobs))
    out["explain"] = {f"{c.id}|{v.id}": explanation(m.explain(c, v)) for c in people for v in jobs}
    for method in ("optimal", "stable"):
        out[f"assign_{method}"] = assignment(m.assign(people, jobs, method), 10)
        out[f"assign_{method}_pruned"] = assignment(
            m.assign(people, jobs, method, 0.2, top_k=1, per_opening=1, dense_max_pairs=0), 10
        )
    return out


def _ranking_cases(taxonomy: Taxonomy) -> dict[str, Any]:
    m = Matcher(taxonomy, CONFIG)
    out: dict[str, Any] = {}
    cands, vacs = synth.cohort(taxonomy, 2000, 400, seed=2026)  # bench_ranking's seed
    by_c = m.rank(cands, vacs, top_k=TOP_K)
    out["rank_candidate"] = ranking(by_c)
    out["rank_vacancy"] = ranking(m.rank(cands, vacs, top_k=TOP_K, by="vacancy"))
    out["rank_chunks"] = [
        ranking(r) for r in m.rank_chunks(iter(cands[:90]), vacs, top_k=3, chunk_size=40)
    ]
    out["scores_block"] = plain(m.scores(cands[:40], vacs[:30]).astype(np.float64))
    pairs = [(i, int(by_c.indices[i, 0])) for i in range(0, 2000, 250)]
    pairs += [(i, (7 * i) % 400) for i in range(3, 2000, 400)]
    out["explain"] = {
        f"{cands[i].id}|{vacs[j].id}": explanation(m.explain(cands[i], vacs[j])) for i, j in pairs
    }
    # bench_ranking's national cohort: spread over a country (more pairs out of reach)
    national = Region(lat=62.0, lon=15.0, radius_km=500.0, code=None)
    n_cands, n_vacs = synth.cohort(taxonomy, 1000, 250, seed=2027, region=national)
    out["national_candidate"] = ranking(m.rank(n_cands, n_vacs, top_k=TOP_K))
    out["national_vacancy"] = ranking(m.rank(n_cands, n_vacs, top_k=TOP_K, by="vacancy"))
    # bench_trust's cohort: unjudged and common-skill extra vacancies, preferences removed
    result = synth.cohort(taxonomy, 300, 60, seed=2026, unjudged_vacancy_share=0.05,
                          common_skill_vacancy_share=0.05)  # fmt: skip
    none = Preferences()
    t_cands = [c.model_copy(update={"preferences": none}) for c in result.candidates]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trust = m.rank(t_cands, result.vacancies, top_k=TOP_K)
        trust_v = m.rank(t_cands, result.vacancies, top_k=TOP_K, by="vacancy")
    assert trust.unjudged, "the trust cohort must hold unjudged vacancies"
    out["trust_candidate"] = ranking(trust)
    out["trust_vacancy"] = ranking(trust_v)
    out["trust_unjudged"] = plain(m.unjudged(result.vacancies))
    odd = [v for v in result.vacancies if v.id.startswith(("vu", "vc"))][:3]
    out["trust_explain"] = {
        f"{t_cands[i].id}|{v.id}": explanation(m.explain(t_cands[i], v))
        for i in (0, 1)
        for v in odd
    }
    return out


def _placement_cases(taxonomy: Taxonomy) -> dict[str, Any]:
    m = Matcher(taxonomy, CONFIG)
    cands, vacs = synth.cohort(taxonomy, 300, 80, seed=31)
    out: dict[str, Any] = {}
    for method in ("optimal", "stable"):
        out[f"{method}_dense"] = assignment(m.assign(cands, vacs, method, 0.3))
        out[f"{method}_pruned"] = assignment(
            m.assign(cands, vacs, method, 0.3, top_k=5, per_opening=2, dense_max_pairs=0)
        )
    with _quota_groups_forced():
        out["optimal_pruned_groups"] = assignment(
            m.assign(cands, vacs, "optimal", 0.0, top_k=4, per_opening=3, dense_max_pairs=0)
        )
    return out


@contextlib.contextmanager
def _quota_groups_forced() -> Iterator[None]:
    """Rank the vacancy side per group of similar quotas (large cohorts only, otherwise)."""
    from labourint_match.scoring import edges

    mp = pytest.MonkeyPatch()
    mp.setattr(edges, "VACANCY_RANK_CELLS", 1)
    try:
        yield
    finally:
        mp.undo()


def _distributed_cases(taxonomy: Taxonomy) -> dict[str, Any]:
    distributed = pytest.importorskip("distributed", reason="needs the 'dask' extra")
    from labourint_match.distributed import DistributedMatcher

    cands, vacs = synth.cohort(taxonomy, 200, 50, seed=41)
    out: dict[str, Any] = {}
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
        silence_logs=50,
    ) as cluster, distributed.Client(cluster) as client:  # fmt: skip
        dm = DistributedMatcher(client, taxonomy, CONFIG)
        out["rank_candidate"] = ranking(dm.rank(cands, vacs, top_k=TOP_K, partition_size=70))
        out["rank_vacancy"] = ranking(
            dm.rank(cands, vacs, top_k=TOP_K, by="vacancy", partition_size=70)
        )
        for method in ("optimal", "stable"):
            out[f"assign_{method}"] = assignment(
                dm.assign(cands, vacs, method, 0.2, top_k=5, per_opening=2, partition_size=70)
            )
        out["assign_region"] = assignment(
            dm.assign(cands, vacs, "optimal", 0.0, top_k=5, group_by="region", partition_size=70)
        )
        with _quota_groups_forced():
            out["assign_quota_groups"] = assignment(
                dm.assign(cands, vacs, "stable", 0.0, top_k=3, per_opening=2, partition_size=70)
            )
    return out


CASES = {
    "fixtures": _fixture_cases,
    "ranking": _ranking_cases,
    "placement": _placement_cases,
    "distributed": _distributed_cases,
}


# -- comparison -----------------------------------------------------------------------------------


def differences(expected: Any, actual: Any, where: str = "") -> Iterator[str]:
    """Where `actual` differs from `expected` (floats within ``ATOL``, all else exactly)."""
    if isinstance(expected, float) or isinstance(actual, float):
        ok = isinstance(expected, (int, float)) and isinstance(actual, (int, float))
        ok = ok and not isinstance(expected, bool) and not isinstance(actual, bool)
        if ok and math.isfinite(expected) and math.isfinite(actual):
            ok = abs(expected - actual) <= ATOL
        elif ok:
            ok = expected == actual
        if not ok:
            yield f"{where}: {expected!r} != {actual!r}"
    elif isinstance(expected, dict) and isinstance(actual, dict):
        if expected.keys() != actual.keys():
            yield f"{where}: keys {sorted(expected)} != {sorted(actual)}"
        for key in expected.keys() & actual.keys():
            yield from differences(expected[key], actual[key], f"{where}/{key}")
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            yield f"{where}: length {len(expected)} != {len(actual)}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            yield from differences(e, a, f"{where}[{i}]")
    elif expected != actual or type(expected) is not type(actual):
        yield f"{where}: {expected!r} != {actual!r}"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.default()


@pytest.fixture(scope="module")
def stored() -> dict[str, Any]:
    if UPDATE:
        return {}
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as fh:
        found: dict[str, Any] = json.load(fh)
    return found


def test_the_golden_file_holds_every_case(stored: dict[str, Any]) -> None:
    if UPDATE:
        pytest.skip("regenerating")
    assert set(stored) == set(CASES)


@pytest.mark.parametrize("case", list(CASES))
def test_results_equal_the_golden_outputs(
    case: str, taxonomy: Taxonomy, stored: dict[str, Any]
) -> None:
    actual = json.loads(json.dumps(CASES[case](taxonomy)))  # as stored: lists, string keys
    if UPDATE:
        GOLDEN.parent.mkdir(exist_ok=True)
        found: dict[str, Any] = {}
        if GOLDEN.is_file():
            with gzip.open(GOLDEN, "rt", encoding="utf-8") as fh:
                found = json.load(fh)
        found[case] = actual
        with gzip.open(GOLDEN, "wt", encoding="utf-8", compresslevel=9) as fh:
            json.dump(found, fh, sort_keys=True, separators=(",", ":"))
        pytest.skip(f"golden output of {case!r} written to {GOLDEN}")
    assert case in stored, f"no golden output for {case!r}: regenerate (see the docstring)"
    found = list(differences(stored[case], actual, case))
    assert not found, f"{len(found)} differences, first: " + "\n".join(found[:20])
