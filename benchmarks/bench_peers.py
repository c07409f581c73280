"""Ranking beside a peer: ``sparse_dot_topn.sp_matmul_topn`` on the scipy baselines' operands.

``sparse_dot_topn`` (C++, OpenMP) multiplies two sparse matrices keeping only the ``top_n``
largest entries of each row — what ranking does for the skill product alone. It is timed on the
operands of ``bench_ranking``'s scipy baselines, built the same way (and before any clock):

- exact URIs: (candidates × concepts) of the claims' own concepts, evidence capped at 1, times
  (concepts × vacancies) of each vacancy's normalised requirement weights;
- hierarchy-expanded: the candidate side expanded through the relation table as the library's
  skill component credits it (narrower, broader, sibling and related credits; minimum levels left
  out), times the same vacancy side.

Both with ``top_n`` = the kernel's top-k (10), ``sort=True`` (rows in order, as the kernel gives
them) and ``n_threads`` = numba's thread count, which the kernel runs with. The kernel
(``Scorer.top_k`` on the encoded cohort, the whole score with every component and eligibility,
checked equal to ``Matcher.rank``) and the two peer products are timed in ``ROUNDS``
interleaved rounds; each figure is the median, with the range of the per-round ratios. The
peer's top-n scores are checked against the dense product on sampled rows. The figure's ratio is
peer time / kernel time; targets (issue 22): ≥ 1.5× against the hierarchy-expanded product and
≥ 0.8× against the exact-URI one, which does far less.

Sizes: ``ci`` 10,000 candidates × 2,000 vacancies; ``full`` 50,000 × 10,000 and 100,000 × 20,000
(``bench_ranking``'s cohort, seed 2026). Full ESCO when ``../shared/esco`` is present, else the
bundled taxonomy. Each size runs in a child process of its own. Skipped, with a printed reason,
when ``sparse_dot_topn`` is not installed.

OR-Tools' min-cost flow on the placement's edges is not here: ``bench_assignment`` times it
beside the HiGHS LP on the same edges (``optimal [mincostflow] time``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.bench_ranking import AS_OF, K, _baseline_matrices, _kernel_only, _taxonomy

REPO = Path(__file__).resolve().parents[1]
SIZES = {"ci": [(10_000, 2_000)], "full": [(50_000, 10_000), (100_000, 20_000)]}
ROUNDS = {"ci": 1, "full": 3}
SEED = 2026  # bench_ranking's cohort
TARGET_EXPANDED = 1.5
TARGET_EXACT = 0.8
PEER = "sparse_dot_topn.sp_matmul_topn"


def _peer_available() -> str | None:
    """The installed sparse_dot_topn's version, or None."""
    try:
        import sparse_dot_topn
    except ImportError:
        return None
    return str(getattr(sparse_dot_topn, "__version__", "?"))


def _float64(operands: tuple[Any, Any]) -> tuple[Any, Any]:
    """Both operands as float64 CSR (sp_matmul_topn wants one dtype on both sides)."""
    a, b = operands
    return a.astype(np.float64).tocsr(), b.astype(np.float64).tocsr()


def _peer(operands: tuple[Any, Any], k: int, threads: int) -> tuple[float, Any]:
    """Seconds of sp_matmul_topn on (a, b), top-k per row, sorted, on `threads` threads."""
    from sparse_dot_topn import sp_matmul_topn

    a, b = operands
    t0 = time.perf_counter()
    c = sp_matmul_topn(a, b, top_n=k, sort=True, n_threads=threads)
    return time.perf_counter() - t0, c


def _check_peer(operands: tuple[Any, Any], c: Any, k: int, sample: int, seed: int) -> None:
    """The peer's top-k scores of sampled rows equal the dense product's (ties in any order)."""
    a, b = operands
    rng = np.random.default_rng(seed)
    for r in rng.choice(a.shape[0], size=min(sample, a.shape[0]), replace=False).tolist():
        row = (a[r] @ b).toarray()[0]
        expected = np.sort(row)[::-1][:k]
        lo, hi = c.indptr[r], c.indptr[r + 1]
        got, cols = c.data[lo:hi], c.indices[lo:hi]
        padded = np.zeros(len(expected))
        padded[: len(got)] = got
        if not (
            len(got) <= k
            and np.allclose(padded, expected, rtol=0.0, atol=1e-12)
            and np.allclose(row[cols], got, rtol=0.0, atol=1e-12)
        ):
            raise AssertionError(f"{PEER}'s top-{k} of row {r} differs from the dense product")


def child(n_c: int, n_v: int, rounds: int) -> dict[str, Any]:
    """One size: the kernel and the peer on both operands, in interleaved rounds."""
    import numba

    from labourint_match import Matcher, ScoringConfig
    from labourint_match.synth import cohort

    taxonomy, name = _taxonomy()
    t0 = time.perf_counter()
    cands, vacs = cohort(taxonomy, n_c, n_v, seed=SEED)
    print(f"  cohort of {n_c:,} × {n_v:,} on {name} generated in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr, flush=True)  # fmt: skip
    matcher = Matcher(taxonomy, ScoringConfig(as_of=AS_OF))
    matcher.rank(cands[:10], vacs[:10])  # compile (or load the compiled kernels) outside timing
    ranking = matcher.rank(cands, vacs, top_k=K)
    enc = matcher._scorer.encode(cands, vacs)
    del cands, vacs
    exact_ab = _float64(_baseline_matrices(enc, len(taxonomy)))
    expanded_ab = _float64(_baseline_matrices(enc, len(taxonomy), hierarchy=True))
    threads = numba.get_num_threads()  # the kernel's
    _peer((exact_ab[0][:100], exact_ab[1]), K, threads)  # load the extension, start OpenMP
    times = []
    for i in range(rounds):
        kernel = _kernel_only(matcher, enc, ranking)
        exact, c_exact = _peer(exact_ab, K, threads)
        expanded, c_expanded = _peer(expanded_ab, K, threads)
        times.append((kernel, exact, expanded))
        print(f"  round {i + 1}: kernel {kernel:.3f} s, {PEER} exact URIs {exact:.3f} s, "
              f"hierarchy-expanded {expanded:.3f} s", file=sys.stderr, flush=True)  # fmt: skip
    _check_peer(exact_ab, c_exact, K, 100, 5)
    _check_peer(expanded_ab, c_expanded, K, 100, 6)
    return {
        "taxonomy": name,
        "threads": threads,
        "times": times,
        "nnz": {"exact": int(exact_ab[0].nnz), "expanded": int(expanded_ab[0].nnz)},
    }


def _figures(n_c: int, n_v: int, result: dict[str, Any], version: str) -> list[dict[str, Any]]:
    times = np.array(result["times"])
    kernel, exact, expanded = np.median(times, axis=0)
    threads = result["threads"]
    size = f"{n_c:,} × {n_v:,}, {result['taxonomy']}"

    def described(what: str, column: int) -> str:
        text = f"{PEER} {version}, {what}, top_n={K}, sorted, n_threads={threads}"
        if len(times) > 1:
            r = times[:, column] / times[:, 0]
            text += f"; median of {len(times)} rounds, ratio {r.min():.2f}–{r.max():.2f}×"
        return text

    nnz = result["nnz"]
    return [
        {"name": f"rank top-10, kernel on the encoded cohort, {threads} threads, vs peer "
                 f"hierarchy-expanded skill product ({size}; {nnz['expanded']:,} expanded claims)",
         "ours": kernel, "baseline": expanded,
         "baseline_name": described("skill product with the hierarchy", 2), "unit": "s",
         "higher_is_better": False, "floor": None, "target": TARGET_EXPANDED},
        {"name": f"rank top-10, kernel on the encoded cohort, {threads} threads, vs peer "
                 f"exact-URI skill product ({size}; {nnz['exact']:,} claims)",
         "ours": kernel, "baseline": exact,
         "baseline_name": described("skill product, exact URIs", 1), "unit": "s",
         "higher_is_better": False, "floor": None, "target": TARGET_EXACT},
    ]  # fmt: skip


def run(profile: str) -> list[dict[str, Any]]:
    version = _peer_available()
    if version is None:
        print("  sparse_dot_topn is not installed (pip install sparse_dot_topn): the peer "
              "benchmark is skipped")  # fmt: skip
        return []
    figures: list[dict[str, Any]] = []
    for n_c, n_v in SIZES[profile]:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_peers", "--child", str(n_c), str(n_v),
             str(ROUNDS[profile])],
            stdout=subprocess.PIPE, text=True, cwd=REPO, check=False,  # stderr: progress, live
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"peer benchmark child failed with exit code {done.returncode}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        figures += _figures(n_c, n_v, result, version)
    for f in figures:
        f["benchmark"] = "peers"
    return figures


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))))
    else:
        for fig in run(sys.argv[1] if len(sys.argv) > 1 else "ci"):
            print(fig)
