"""A real ``labourint-match serve`` process on 127.0.0.1, for tests that talk HTTP to it.

``live_server`` (one per session) serves a small synthetic cohort over the bundled taxonomy with a
keys file holding one key (adviser ``adviser-1``); ``start_server`` starts another with other
options (limits, ``--insecure-local``) and stops it at the end of the test.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the service extra (fastapi, uvicorn) is not installed")
pytest.importorskip("uvicorn", reason="the service extra (fastapi, uvicorn) is not installed")

from labourint_match import CandidateProfile, Taxonomy, Vacancy, synth
from labourint_match.service import add_key

AS_OF = date(2026, 1, 1)
#: Seconds a fresh server may take to answer /healthz (imports, taxonomy; kernels compile later).
START_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    """A running server: its URL, a key, its files and its cohort."""

    url: str
    key: str
    database: Path
    decision_log: Path
    candidates: list[CandidateProfile]
    vacancies: list[Vacancy]
    process: subprocess.Popen[bytes]
    log_file: Path
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def request(
        self,
        method: str,
        path: str,
        body: object = None,
        *,
        key: str | None = "default",
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
        timeout: float = 120,
    ) -> tuple[int, Any, dict[str, str]]:
        """One HTTP request with the stdlib client: (status, JSON body or text, headers)."""
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        h = {"Content-Type": "application/json"} if data is not None or method == "POST" else {}
        if key == "default":
            h.update(self.headers)
        elif key is not None:
            h["Authorization"] = f"Bearer {key}"
        h.update(headers or {})
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                status, payload, got = resp.status, resp.read(), dict(resp.headers)
        except urllib.error.HTTPError as err:
            status, payload, got = err.code, err.read(), dict(err.headers)
        try:
            return status, json.loads(payload), got
        except ValueError:
            return status, payload.decode("utf-8", "replace"), got

    def server_log(self) -> str:
        return self.log_file.read_text(encoding="utf-8", errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return int(self.process.returncode)


def _write_cohort(
    folder: Path, n_candidates: int, n_vacancies: int, seed: int
) -> tuple[list[CandidateProfile], list[Vacancy]]:
    drawn = synth.cohort(Taxonomy.default(), n_candidates, n_vacancies, seed=seed, as_of=AS_OF)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "candidates.jsonl", "w", encoding="utf-8") as f:
        f.writelines(c.model_dump_json() + "\n" for c in drawn.candidates)
    with open(folder / "vacancies.jsonl", "w", encoding="utf-8") as f:
        f.writelines(v.model_dump_json() + "\n" for v in drawn.vacancies)
    return list(drawn.candidates), list(drawn.vacancies)


def launch(
    folder: Path,
    *args: str,
    n_candidates: int = 60,
    n_vacancies: int = 20,
    seed: int = 5,
    insecure_local: bool = False,
    shards: int | None = None,
) -> LiveServer:
    """Start ``labourint-match serve`` in `folder` and wait until it answers.

    With `shards`, the cohort is a folder of JSON Lines shards of that many records each (as
    ``labourint-match synth --shard-size`` writes), given as ``--candidates DIR --vacancies DIR``.
    """
    if shards is None:
        cands, vacs = _write_cohort(folder / "cohort", n_candidates, n_vacancies, seed)
        cand_path = folder / "cohort" / "candidates.jsonl"
        vac_path = folder / "cohort" / "vacancies.jsonl"
    else:
        t = Taxonomy.default()
        synth.write_cohort(folder / "cohort", t, n_candidates, n_vacancies, seed=seed,
                           shard_size=shards, as_of=AS_OF)  # fmt: skip
        drawn = synth.cohort(t, n_candidates, n_vacancies, seed=seed, as_of=AS_OF)
        cands, vacs = list(drawn.candidates), list(drawn.vacancies)
        cand_path = vac_path = folder / "cohort"
    key = "" if insecure_local else add_key(folder / "keys.txt", "adviser-1")
    port = free_port()
    log_file = folder / "server.log"
    auth = ["--insecure-local"] if insecure_local else ["--keys", str(folder / "keys.txt")]
    command = [
        sys.executable, "-m", "labourint_match.cli", "serve", "--host", "127.0.0.1",
        "--port", str(port), *auth,
        "--candidates", str(cand_path), "--vacancies", str(vac_path),
        "--database", str(folder / "plans.sqlite3"),
        "--decision-log", str(folder / "decisions.jsonl"),
        "--as-of", AS_OF.isoformat(), *args,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(log_file, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    server = LiveServer(f"http://127.0.0.1:{port}", key, folder / "plans.sqlite3",
                        folder / "decisions.jsonl", cands, vacs, process, log_file)  # fmt: skip
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"the server exited with {process.returncode}:\n{server.server_log()}"
            )
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.stop(signal.SIGKILL)
            raise RuntimeError(
                f"the server did not answer in {START_TIMEOUT:g} s:\n{server.server_log()}"
            )
        time.sleep(0.2)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the session: 60 candidates, 20 vacancies, a key for ``adviser-1``."""
    server = launch(tmp_path_factory.mktemp("live"))
    yield server
    server.stop()


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start servers with other options; each is stopped at the end of the test."""
    started: list[LiveServer] = []

    def start(*args: str, **kwargs: Any) -> LiveServer:
        server = launch(tmp_path / f"s{len(started)}", *args, **kwargs)
        started.append(server)
        return server

    yield start
    for s in started:
        s.stop()
