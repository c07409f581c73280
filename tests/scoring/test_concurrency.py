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
