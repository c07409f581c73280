"""The HTTP service: a warm ``labourint-match serve`` against the CLI's cost per call.

One real server process (``python -m labourint_match.cli serve`` on 127.0.0.1, a keys file with one
key, the bundled taxonomy, ``--as-of 2026-01-01``) is started on a synthetic cohort
(``synth.cohort``, seed 23) of a few hundred candidates and 2,000 vacancies written as JSON Lines,
and warmed with a few requests of each kind (so numba's compilation and the first imports are not
timed; the first request's time is printed). Then, with one stdlib ``http.client.HTTPConnection``
kept alive and requests sent one after the other (the bodies are encoded before the clock starts):

- ``POST /explain`` with one candidate and one vacancy in the body (cycling over 50 distinct
  pairs): requests per second (requests ÷ the loop's wall time), p50 and p99 latency;
- ``POST /rank``, top 10, with one candidate in the body (cycling over 50) and the vacancies
  omitted (the service ranks against its loaded 2,000): the same;
- ``POST /rank`` with the candidate and all 2,000 vacancies in the body (what a stateless client
  sends: a 4.6 MB body parsed and validated per call), fewer requests;
- ``POST /explain`` from 4 client threads, each with its own connection: requests per second.

The baseline, in the same run on the same files: the CLI's cost per call, wall-clock, as a
subprocess (``python -m labourint_match.cli …``), the median of a few calls, after the server has
filled numba's cache — ``explain`` of the first pair from one-record files (the cheapest a CLI
explanation can be: its cost is the interpreter, the imports and the taxonomy) and from the
cohort's files, and ``rank`` of a one-candidate file against the 2,000 vacancies. The service's
answers are checked against the CLI's (the same top-10 ids and scores, the same explanation
score): a quality floor of 1.0.

Figures: the p50 latency of each warm request against the CLI's median call (the ratio column is
CLI ÷ p50; the issue's target: ``/explain`` ≥ 50×); rps and p99 beside it (as figures without a
baseline). Client and server share the machine's cores, so on a small machine the figures carry
the client's cost and each other's noise; the server computes one request at a time (its compute
lock), so concurrent clients overlap only the HTTP and JSON work.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

AS_OF = date(2026, 1, 1)
SEED = 23
#: Seconds a fresh server may take to answer /healthz (imports, taxonomy, the cohort).
START_TIMEOUT = 180.0
PROFILES: dict[str, dict[str, int]] = {
    # candidates, vacancies, /explain requests, /rank requests, /rank-with-body requests,
    # concurrent /explain requests (over THREADS threads), CLI calls per command
    "ci": {
        "n_c": 300,
        "n_v": 2_000,
        "explain": 200,
        "rank": 100,
        "rank_body": 10,
        "concurrent": 200,
        "cli": 3,
    },
    "full": {
        "n_c": 300,
        "n_v": 2_000,
        "explain": 1_000,
        "rank": 500,
        "rank_body": 30,
        "concurrent": 1_000,
        "cli": 5,
    },
}
THREADS = 4
WARM_UP = 5
DISTINCT_PAIRS = 50


def figure(
    name: str,
    ours: float,
    unit: str,
    *,
    baseline: float | None = None,
    baseline_name: str | None = None,
    higher_is_better: bool = False,
    floor: float | None = None,
    target: float | None = None,
) -> dict[str, Any]:
    out = {
        "benchmark": "service",
        "name": name,
        "ours": float(ours),
        "baseline": None if baseline is None else float(baseline),
        "baseline_name": baseline_name,
        "unit": unit,
        "higher_is_better": higher_is_better,
        "floor": floor,
    }
    if target is not None:
        out["target"] = target
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A ``labourint-match serve`` process on 127.0.0.1 in `folder`, started and waited for."""

    def __init__(self, folder: Path, candidates: Path, vacancies: Path) -> None:
        from labourint_match.service import add_key

        self.key = add_key(folder / "keys.txt", "bench-1")
        self.port = _free_port()
        self.log_file = folder / "server.log"
        command = [
            sys.executable,
            "-m",
            "labourint_match.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--keys",
            str(folder / "keys.txt"),
            "--candidates",
            str(candidates),
            "--vacancies",
            str(vacancies),
            "--database",
            str(folder / "plans.sqlite3"),
            "--decision-log",
            str(folder / "decisions.jsonl"),
            "--as-of",
            AS_OF.isoformat(),
        ]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        started = time.perf_counter()
        with open(self.log_file, "wb") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server exited with {self.process.returncode}:\n{self.log()}"
                )
            try:
                url = f"http://127.0.0.1:{self.port}/healthz"
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"the server did not answer in {START_TIMEOUT:g} s:\n{self.log()}"
                )
            time.sleep(0.1)
        self.start_seconds = time.perf_counter() - started

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def connect(self) -> Client:
        return Client(self.port, self.key)


class Client:
    """One kept-alive HTTP/1.1 connection: POST a pre-encoded JSON body, read the whole answer."""

    def __init__(self, port: int, key: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def post(self, path: str, body: bytes) -> bytes:
        self.conn.request("POST", path, body, self.headers)
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"POST {path}: {resp.status} {data[:500]!r}")
        return data

    def close(self) -> None:
        self.conn.close()


def timed_requests(
    client: Client, path: str, bodies: list[bytes], n: int
) -> tuple[list[float], float]:
    """Latencies (s) of `n` sequential requests cycling over `bodies`, and their total wall time."""
    latencies = []
    started = time.perf_counter()
    for i in range(n):
        t = time.perf_counter()
        client.post(path, bodies[i % len(bodies)])
        latencies.append(time.perf_counter() - t)
    return latencies, time.perf_counter() - started


def concurrent_requests(server: Server, path: str, bodies: list[bytes], n: int) -> float:
    """Requests per second of `n` requests sent by THREADS threads, each on its own connection."""
    clients = [server.connect() for _ in range(THREADS)]
    for c in clients:  # open each connection before the clock
        c.post(path, bodies[0])
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS + 1)

    def work(k: int) -> None:
        barrier.wait()
        try:
            for i in range(k, n, THREADS):
                clients[k].post(path, bodies[i % len(bodies)])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    for c in clients:
        c.close()
    if errors:
        raise errors[0]
    return n / wall


def summary(latencies: list[float], wall: float) -> dict[str, float]:
    ms = np.array(latencies) * 1000
    return {
        "rps": len(latencies) / wall,
        "p50": float(np.percentile(ms, 50)),
        "p99": float(np.percentile(ms, 99)),
        "mean": float(ms.mean()),
    }


def cli_seconds(args: list[str], calls: int) -> tuple[float, list[float], str]:
    """Median wall-clock seconds of `calls` runs of ``python -m labourint_match.cli args…``."""
    times, out = [], ""
    for _ in range(calls):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "labourint_match.cli", *args],
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(
                f"labourint-match {args[0]} failed ({done.returncode}):\n{done.stderr[-2000:]}"
            )
        out = done.stdout
    return statistics.median(times), times, out


def _write(path: Path, records: list[Any]) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(r.model_dump_json() + "\n" for r in records)
    return path


def _line(label: str, s: dict[str, float], n: int) -> str:
    return (
        f"    {label}: {n} requests, {s['rps']:,.1f} req/s, p50 {s['p50']:.2f} ms, "
        f"p99 {s['p99']:.2f} ms, mean {s['mean']:.2f} ms"
    )


def _bodies(records_c: list[Any], records_v: list[Any]) -> dict[str, list[bytes]]:
    """The request bodies, JSON-encoded before any clock starts."""
    pairs = [(i % len(records_c), (i * 37) % len(records_v)) for i in range(DISTINCT_PAIRS)]
    one = {"top_k": 10}
    return {
        "explain": [json.dumps({"candidate": records_c[i], "vacancy": records_v[j]}).encode()
                    for i, j in pairs],
        "rank": [json.dumps({"candidates": [records_c[i]], **one}).encode()
                 for i in range(min(len(records_c), DISTINCT_PAIRS))],
        "rank_body": [json.dumps({"candidates": [records_c[0]], "vacancies": records_v, **one})
                      .encode()],
    }  # fmt: skip


def _measure_service(
    server: Server, bodies: dict[str, list[bytes]], p: dict[str, int]
) -> dict[str, Any]:
    """Warm the server, then time each kind of request; the answers of the first pair kept."""
    client = server.connect()
    first = []
    for path, kind, n in (("/explain", "explain", WARM_UP), ("/rank", "rank", WARM_UP),
                          ("/rank", "rank_body", 2)):  # fmt: skip
        first.append(
            f"{path} ({kind}) {timed_requests(client, path, bodies[kind], n)[0][0] * 1000:.0f} ms"
        )
    print(
        "  first request after the start (compiles what numba's cache lacks): " + ", ".join(first)
    )
    out: dict[str, Any] = {}
    for path, kind, label in (
        ("/explain", "explain", "/explain, one pair in the body"),
        ("/rank", "rank", f"/rank, one candidate × the loaded {p['n_v']:,}, top 10"),
        ("/rank", "rank_body", f"/rank, one candidate + {p['n_v']:,} vacancies in the body"),
    ):
        out[kind] = summary(*timed_requests(client, path, bodies[kind], p[kind]))
        print(_line(label, out[kind], p[kind]), flush=True)
    out["served_rank"] = json.loads(client.post("/rank", bodies["rank"][0]))
    out["served_explain"] = json.loads(client.post("/explain", bodies["explain"][0]))
    client.close()
    out["concurrent"] = concurrent_requests(server, "/explain", bodies["explain"], p["concurrent"])
    print(f"    /explain, {THREADS} client threads: {p['concurrent']} requests, "
          f"{out['concurrent']:,.1f} req/s", flush=True)  # fmt: skip
    return out


def run(profile: str) -> list[dict[str, Any]]:
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        print(f"  the service extra is not installed ({exc.name} missing): skipped")
        return []
    from labourint_match import Taxonomy, synth

    p = PROFILES[profile]
    n_c, n_v, calls = p["n_c"], p["n_v"], p["cli"]
    drawn = synth.cohort(Taxonomy.default(), n_c, n_v, seed=SEED, as_of=AS_OF)
    cands, vacs = list(drawn.candidates), list(drawn.vacancies)
    bodies = _bodies([json.loads(c.model_dump_json()) for c in cands],
                     [json.loads(v.model_dump_json()) for v in vacs])  # fmt: skip
    print(f"  cohort {n_c:,} candidates × {n_v:,} vacancies (bundled taxonomy, seed {SEED}); "
          f"a /rank body with the vacancies is {len(bodies['rank_body'][0]) / 1e6:.1f} MB",
          flush=True)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-service-") as tmp:
        folder = Path(tmp)
        c_file = _write(folder / "candidates.jsonl", cands)
        v_file = _write(folder / "vacancies.jsonl", vacs)
        server = Server(folder, c_file, v_file)
        try:
            print(f"  server up in {server.start_seconds:.1f} s (process start to /healthz)")
            got = _measure_service(server, bodies, p)
        finally:
            server.stop()

        # the CLI on the same records: the first pair (candidate 0, vacancy 0) and candidate 0
        day = ["--as-of", AS_OF.isoformat()]
        ids = ["--candidate", cands[0].id, "--vacancy", vacs[0].id]
        one_c = _write(folder / "one-candidate.jsonl", cands[:1])
        one_v = _write(folder / "one-vacancy.jsonl", vacs[:1])
        ranked = folder / "ranked.jsonl"
        cli = {}
        for kind, label, args in (
            ("explain_1", "explain, one-record files",
             ["explain", str(one_c), str(one_v), *ids, *day, "--json"]),
            ("explain_cohort", f"explain, the cohort's files ({n_c}+{n_v:,} records)",
             ["explain", str(c_file), str(v_file), *ids, *day]),
            ("rank", f"rank, 1 candidate × {n_v:,}, top 10",
             ["rank", str(one_c), str(v_file), "--top-k", "10", *day, "-o", str(ranked)]),
        ):  # fmt: skip
            cli[kind], times, out = cli_seconds(args, calls)
            cli[kind] *= 1000
            cli.setdefault("out_" + kind, out)
            print(f"    CLI {label}: median {cli[kind] / 1000:.2f} s per call "
                  f"({', '.join(f'{t:.2f}' for t in times)})", flush=True)  # fmt: skip
        same = _same_answers(
            got["served_rank"], ranked, got["served_explain"], cli["out_explain_1"]
        )
    print(f"  service answers equal the CLI's (top-10 ids and scores, explanation score): {same}")

    ex, rk, rb = got["explain"], got["rank"], got["rank_body"]
    median = f"median of {calls}"
    cli_rank = f"CLI rank, 1 candidate × {n_v:,}, {median}"
    return [
        figure(f"warm /explain p50 latency (one pair in the body; {p['explain']} sequential "
               "keep-alive requests)", ex["p50"], "ms", baseline=cli["explain_1"],
               baseline_name=f"CLI explain, one-record files, {median}", target=50),
        figure("warm /explain p50 latency, against the CLI on the cohort's files", ex["p50"], "ms",
               baseline=cli["explain_cohort"],
               baseline_name=f"CLI explain, {n_c}+{n_v:,} records, {median}", target=50),
        figure("warm /explain p99 latency", ex["p99"], "ms"),
        figure("warm /explain requests per second (1 client)", ex["rps"], "req/s",
               higher_is_better=True),
        figure(f"warm /explain requests per second ({THREADS} client threads)",
               got["concurrent"], "req/s", higher_is_better=True),
        figure(f"warm /rank p50 latency (1 candidate × the loaded {n_v:,}, top 10; {p['rank']} "
               "sequential keep-alive requests)", rk["p50"], "ms", baseline=cli["rank"],
               baseline_name=cli_rank),
        figure("warm /rank p99 latency (1 × the loaded)", rk["p99"], "ms"),
        figure("warm /rank requests per second (1 × the loaded)", rk["rps"], "req/s",
               higher_is_better=True),
        figure(f"warm /rank p50 latency (1 candidate + {n_v:,} vacancies in the body; "
               f"{p['rank_body']} requests)", rb["p50"], "ms", baseline=cli["rank"],
               baseline_name=cli_rank),
        figure("warm /rank p99 latency (vacancies in the body)", rb["p99"], "ms"),
        figure("service answers equal the CLI's (top-10 and explanation score)", float(same), "",
               higher_is_better=True, floor=1.0),
    ]  # fmt: skip


def _same_answers(
    served_rank: dict[str, Any], ranked: Path, served_explain: dict[str, Any], cli_explain: str
) -> bool:
    """Whether the service's top-10 and explanation score are the CLI's (to 2e-6: 6 places)."""
    lines = [json.loads(line) for line in ranked.read_text(encoding="utf-8").splitlines() if line]
    served = [(m["vacancy_id"], m["score"]) for row in served_rank["rows"] for m in row["matches"]]
    cli = [(m["vacancy_id"], m["score"]) for m in lines]
    same_rank = len(served) == len(cli) and all(
        a == c and abs(s - t) <= 2e-6 for (a, s), (c, t) in zip(served, cli, strict=True)
    )
    return same_rank and abs(json.loads(cli_explain)["score"] - served_explain["score"]) <= 2e-6


if __name__ == "__main__":
    for f in run(sys.argv[1] if len(sys.argv) > 1 else "ci"):
        print(f)
