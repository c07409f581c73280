"""The peer and national benchmarks' own checks, on tiny inputs (the timings are not tested)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from benchmarks import bench_national, bench_peers
from scipy import sparse


def _operands(seed: int) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    a = sparse.random(60, 40, density=0.1, random_state=seed, format="csr")
    b = sparse.random(40, 30, density=0.2, random_state=seed + 1, format="csr")
    return a, b


def test_the_peer_top_n_passes_the_dense_check_and_a_wrong_one_does_not() -> None:
    pytest.importorskip("sparse_dot_topn")
    operands = _operands(3)
    _, c = bench_peers._peer(operands, 5, 2)
    bench_peers._check_peer(operands, c, 5, 60, 0)
    c = c.copy()
    c.data[c.indptr[7]] += 0.5  # row 7's best score, made wrong
    with pytest.raises(AssertionError, match="row 7"):
        bench_peers._check_peer(operands, c, 5, 60, 0)


def test_the_peer_benchmark_is_skipped_without_sparse_dot_topn(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(bench_peers, "_peer_available", lambda: None)
    assert bench_peers.run("ci") == []
    assert "sparse_dot_topn is not installed" in capsys.readouterr().out


def test_the_national_stream_ranks_every_candidate_exactly() -> None:
    """The stream is the pool re-identified (ids unique), each row ranked as ``rank`` ranks it."""
    from labourint_match import Matcher, ScoringConfig, Taxonomy, synth

    taxonomy = Taxonomy.default()
    vacs = synth.cohort(taxonomy, 0, 40, seed=bench_national.SEED).vacancies
    matcher = Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)))
    pool = list(synth.iter_candidates(taxonomy, 9, seed=bench_national.SEED))
    out = bench_national._stream(matcher, pool, vacs, 25, 10, frozenset({0, 12, 24}))
    assert (out["rows"], out["chunks"], sorted(out["kept"])) == (25, 3, [0, 12, 24])
    assert (out["first_rows"], 0 < out["first_chunk"] < out["seconds"]) == (10, True)
    assert 0 < out["drawing"] < out["seconds"]
    stream = list(bench_national._reidentified(pool, 25))
    assert len({c.id for c in stream}) == 25
    assert [c.skills for c in stream[9:18]] == [c.skills for c in pool]
    whole = matcher.rank(stream, vacs, top_k=10)
    assert all(out["kept"][i] == whole.indices[i].tolist() for i in (0, 12, 24))
    assert bench_national._exactness(matcher, pool, vacs, out["kept"]) == 1.0
    wrong = {i: list(np.roll(row, 1)) for i, row in out["kept"].items()}
    assert bench_national._exactness(matcher, pool, vacs, wrong) == 0.0
    one = {"seconds": 3.0, "setup": 1.0, "first_chunk": 1.0, "first_chunk_drawing": 0.0,
           "first_rows": 10, "drawing": 0.5, "rows": 20}  # fmt: skip
    # Once: the call and the first chunk (2 s); then 0.1 s a candidate, 0.05 s of it drawing.
    assert bench_national._estimate(one, 110) == pytest.approx((12.0, 7.0))
