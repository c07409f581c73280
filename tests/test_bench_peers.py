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
    from labourint_match import Matcher, ScoringConfig, Taxonomy, synth

    taxonomy = Taxonomy.default()
    vacs = synth.cohort(taxonomy, 0, 40, seed=bench_national.SEED).vacancies
    matcher = Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)))
    out = bench_national._stream(matcher, taxonomy, vacs, 25, 10, frozenset({0, 12, 24}))
    assert (out["rows"], out["chunks"], sorted(out["kept"])) == (25, 3, [0, 12, 24])
    assert 0 < out["drawing"] < out["seconds"]
    whole = matcher.rank(
        list(synth.iter_candidates(taxonomy, 25, seed=bench_national.SEED)), vacs, top_k=10
    )
    assert all(out["kept"][i] == whole.indices[i].tolist() for i in (0, 12, 24))
    assert bench_national._exactness(matcher, taxonomy, vacs, out["kept"]) == 1.0
    wrong = {i: list(np.roll(row, 1)) for i, row in out["kept"].items()}
    assert bench_national._exactness(matcher, taxonomy, vacs, wrong) == 0.0
