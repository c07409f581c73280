"""One Matcher used from several Python threads at once: same results as serial use, no abort."""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import numpy as np

from labourint_match import Matcher, ScoringConfig, Taxonomy
from labourint_match.synth import cohort


def test_concurrent_ranking_from_threads_equals_serial_ranking() -> None:
    taxonomy = Taxonomy.default()
    matcher = Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)))
    cands, vacs = cohort(taxonomy, 60, 20, seed=3)
    serial = [matcher.rank(cands, vacs, top_k=5, by=by) for by in ("candidate", "vacancy")] * 3
    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = [
            pool.submit(matcher.rank, cands, vacs, 5, by=by) for by in ("candidate", "vacancy") * 3
        ]
        parallel = [f.result() for f in futures]
    for a, b in zip(serial, parallel, strict=True):
        assert np.array_equal(a.indices, b.indices)
        assert np.array_equal(a.scores, b.scores)


def test_matcher_and_taxonomy_pickle_and_give_the_same_scores() -> None:
    taxonomy = Taxonomy.default()
    matcher = Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)))
    cands, vacs = cohort(taxonomy, 10, 5, seed=4)
    clone = pickle.loads(pickle.dumps(matcher))
    assert np.array_equal(clone.scores(cands, vacs), matcher.scores(cands, vacs))


def test_every_entry_point_from_threads_at_once_equals_serial_use() -> None:
    """Scores, rankings, placements and explanations interleaved from 8 threads, twice each."""
    taxonomy = Taxonomy.default()
    matcher = Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)), threads=2)
    cands, vacs = cohort(taxonomy, 80, 16, seed=9)
    calls = {
        "scores": lambda: matcher.scores(cands, vacs).tobytes(),
        "rank": lambda: matcher.rank(cands, vacs, top_k=4).scores.tobytes(),
        "rank_v": lambda: matcher.rank(cands, vacs, top_k=4, by="vacancy").indices.tobytes(),
        "assign": lambda: repr(matcher.assign(cands, vacs).pairs),
        "stable": lambda: repr(matcher.assign(cands, vacs, "stable").pairs),
        "explain": lambda: str(matcher.explain(cands[3], vacs[5])),
        "chunks": lambda: b"".join(
            r.indices.tobytes() for r in matcher.rank_chunks(cands, vacs, chunk_size=30)
        ),
    }
    serial = {name: f() for name, f in calls.items()}
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [(name, pool.submit(f)) for name, f in list(calls.items()) * 2]
        for name, future in futures:
            assert future.result() == serial[name], name
