"""The HTTP API as a client uses it: a real server process on 127.0.0.1, stdlib HTTP.

Every endpoint is driven over HTTP and its result compared with the library's own; requests
without a valid key, over a limit, or with a malformed record are refused with the right status
and a ``{"detail": …}`` that names the record; concurrent clients get the library's results.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.error
from typing import Any

import pytest

from labourint_match import Matcher, ScoringConfig, SkillResolver, Taxonomy
from labourint_match.analysis import training_needs

from .conftest import AS_OF, LiveServer

pytestmark = pytest.mark.slow


def _dump(records: Any) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in records]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(Taxonomy.default(), ScoringConfig(as_of=AS_OF))


def _ranked(
    server: LiveServer, matcher: Matcher, by: str
) -> tuple[Any, list[list[tuple[Any, ...]]]]:
    body = {"candidates": _dump(server.candidates[:25]), "vacancies": _dump(server.vacancies),
            "top_k": 5, "by": by}  # fmt: skip
    status, got, _ = server.request("POST", "/rank", body)
    assert status == 200, got
    ranking = matcher.rank(server.candidates[:25], server.vacancies, 5, by=by)
    ids = ranking.candidate_ids if by == "candidate" else ranking.vacancy_ids
    want = []
    for rid in ids:
        rows = ranking.for_candidate(rid) if by == "candidate" else ranking.for_vacancy(rid)
        want.append([(m.candidate_id, m.vacancy_id, m.rank, m.score, m.eligible,
                      list(m.reasons)) for m in rows])  # fmt: skip
    return got, want


def _rows(got: Any) -> list[list[tuple[Any, ...]]]:
    return [[(m["candidate_id"], m["vacancy_id"], m["rank"], m["score"], m["eligible"],
              m["reasons"]) for m in row["matches"]] for row in got["rows"]]  # fmt: skip


@pytest.mark.parametrize("by", ["candidate", "vacancy"])
def test_rank_over_http_equals_the_library(
    live_server: LiveServer, matcher: Matcher, by: str
) -> None:
    got, want = _ranked(live_server, matcher, by)
    assert got["by"] == by
    assert len(got["rows"]) == len(want) > 0
    assert _rows(got) == want


def test_rank_on_the_loaded_cohort(live_server: LiveServer, matcher: Matcher) -> None:
    """Omitting the vacancies ranks against the cohort the service was started on."""
    status, got, _ = live_server.request(
        "POST", "/rank", {"candidates": _dump(live_server.candidates[:3]), "top_k": 3}
    )
    assert status == 200, got
    ranking = matcher.rank(live_server.candidates[:3], live_server.vacancies, 3)
    assert [row["id"] for row in got["rows"]] == list(ranking.candidate_ids)
    assert [[m["vacancy_id"] for m in row["matches"]] for row in got["rows"]] == [
        [m.vacancy_id for m in ranking.for_candidate(cid)] for cid in ranking.candidate_ids
    ]


def test_explain_over_http_equals_the_library(live_server: LiveServer, matcher: Matcher) -> None:
    c, v = live_server.candidates[0], live_server.vacancies[0]
    for lang in ("en", "sv"):
        status, got, _ = live_server.request(
            "POST", "/explain", {"candidate": _dump([c])[0], "vacancy": _dump([v])[0], "lang": lang}
        )
        assert status == 200, got
        want = matcher.explain(c, v, lang=lang)
        assert got["score"] == want.score
        assert got["text"] == str(want)
        assert got["explanation"]["pathway"]["kind"] == want.pathway.kind
        assert got["html"].strip().startswith("<")


def test_assign_over_http_equals_the_library(live_server: LiveServer, matcher: Matcher) -> None:
    for method in ("optimal", "stable"):
        status, got, _ = live_server.request("POST", "/assign", {"method": method})
        assert status == 200, got
        want = matcher.assign(live_server.candidates, live_server.vacancies, method)
        assert got["run_id"] == want.run_id
        assert [(p["candidate_id"], p["vacancy_id"]) for p in got["pairs"]] == [
            (p.candidate_id, p.vacancy_id) for p in want.pairs
        ]
        assert got["total_score"] == pytest.approx(want.total_score, abs=1e-9)
        assert len(got["pairs"]) + len(got["unassigned"]) == len(live_server.candidates)


def test_resolve_extract_and_training_needs(live_server: LiveServer, matcher: Matcher) -> None:
    resolver = SkillResolver(Taxonomy.default())
    texts = ["weld metal", "städa rum", "opperate weldin equipment", "zzzz"]
    status, got, _ = live_server.request("POST", "/resolve", {"texts": texts, "top_k": 3})
    assert status == 200, got
    assert [[r["uri"] for r in row] for row in got["results"]] == [
        [r.uri for r in resolver.resolve(t, top_k=3)] for t in texts
    ]
    ad = "We are looking for a cook who can prepare food and clean kitchen equipment."
    status, got, _ = live_server.request("POST", "/extract", {"text": ad})
    assert status == 200, got
    assert [(e["uri"], e["span"]) for e in got["extractions"]] == [
        (e.uri, list(e.span)) for e in resolver.extract(ad)
    ]
    body = {"candidates": _dump(live_server.candidates[:30]), "top_k": 3}
    status, got, _ = live_server.request("POST", "/training-needs", body)
    assert status == 200, got
    want = training_needs(matcher, live_server.candidates[:30], live_server.vacancies, top_k=3,
                          as_frame=False)  # fmt: skip
    assert got["rows"] == json.loads(json.dumps(want))


def test_schema_openapi_and_health(live_server: LiveServer) -> None:
    status, health, _ = live_server.request("GET", "/healthz", key=None)
    assert status == 200
    assert health["status"] == "ok"
    assert health["cohort"] == {"candidates": 60, "vacancies": 20}
    status, schema, _ = live_server.request("GET", "/schema")
    assert status == 200
    assert set(schema) == {"candidate", "vacancy"}
    status, doc, _ = live_server.request("GET", "/openapi.json")
    assert status == 200
    assert {"/resolve", "/extract", "/rank", "/explain", "/assign", "/training-needs", "/schema",
            "/healthz"} <= set(doc["paths"])  # fmt: skip
    names = set(doc["components"]["schemas"])
    assert {"CandidateProfile", "Vacancy", "Explanation", "RankResponse", "AssignResponse"} <= names


ROUTES = [("GET", "/schema"), ("GET", "/openapi.json"), ("POST", "/rank"), ("POST", "/explain"),
          ("POST", "/assign"), ("POST", "/resolve"), ("POST", "/extract"),
          ("POST", "/training-needs"), ("POST", "/reload")]  # fmt: skip


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_no_key_no_entry(live_server: LiveServer, method: str, path: str) -> None:
    for key in (None, "lmk_not-a-key", ""):
        status, got, headers = live_server.request(method, path, {} if method == "POST" else None,
                                                   key=key)  # fmt: skip
        assert status == 401, (key, got)
        assert "key" in got["detail"]
        assert headers.get("www-authenticate") == "Bearer"


def test_x_api_key_header_works(live_server: LiveServer) -> None:
    status, _, _ = live_server.request("GET", "/schema", key=None,
                                       headers={"X-API-Key": live_server.key})  # fmt: skip
    assert status == 200


def test_a_malformed_record_is_named(live_server: LiveServer) -> None:
    cands = _dump(live_server.candidates[:5])
    cands[3]["skills"] = [{"skill": 42}]
    status, got, _ = live_server.request("POST", "/rank", {"candidates": cands})
    assert status == 422
    (err,) = [e for e in got["detail"] if e.get("record") == cands[3]["id"]]
    assert err["field"].startswith("skills.0")
    assert "42" not in json.dumps(got)  # what was sent is not echoed back

    cands = _dump(live_server.candidates[:5])
    cands[2]["skills"] = [{"skill": "http://data.europa.eu/esco/skill/not-a-skill"}]
    status, got, _ = live_server.request("POST", "/rank", {"candidates": cands})
    assert status == 422, got
    assert cands[2]["id"] in json.dumps(got["detail"])

    dup = _dump(live_server.candidates[:2])
    dup[1]["id"] = dup[0]["id"]
    status, got, _ = live_server.request("POST", "/rank", {"candidates": dup})
    assert status == 422
    assert dup[0]["id"] in json.dumps(got["detail"])

    status, got, _ = live_server.request("POST", "/rank", raw=b"{not json")
    assert status == 422


def test_limits(start_server: Any) -> None:
    server = start_server("--max-body-bytes", "200000", "--max-records", "30")
    status, got, _ = server.request("POST", "/rank", raw=b" " * 300_000)
    assert status == 413
    assert "200,000" in got["detail"]
    status, got, _ = server.request("POST", "/rank", {"candidates": _dump(server.candidates[:11])})
    assert status == 413
    assert "30" in got["detail"]
    status, got, _ = server.request("POST", "/rank", {"candidates": _dump(server.candidates[:5])})
    assert status == 200, got


def test_time_limit(start_server: Any) -> None:
    server = start_server("--time-limit", "0.001")
    status, got, _ = server.request("POST", "/training-needs", {"top_k": 5})
    assert status == 503
    assert "limit" in got["detail"]
    status, _, _ = server.request("GET", "/healthz", key=None)
    assert status == 200


def test_concurrent_clients_get_the_librarys_results(
    live_server: LiveServer, matcher: Matcher
) -> None:
    _, want = _ranked(live_server, matcher, "candidate")
    c, v = live_server.candidates[1], live_server.vacancies[1]
    explained = matcher.explain(c, v)
    body = {"candidates": _dump(live_server.candidates[:25]),
            "vacancies": _dump(live_server.vacancies), "top_k": 5}  # fmt: skip
    results: list[Any] = []
    errors: list[BaseException] = []

    def client(i: int) -> None:
        try:
            for _ in range(3):
                if i % 2:
                    status, got, _ = live_server.request("POST", "/rank", body)
                    results.append(("rank", status, _rows(got)))
                else:
                    status, got, _ = live_server.request(
                        "POST", "/explain", {"candidate": _dump([c])[0], "vacancy": _dump([v])[0]}
                    )
                    results.append(("explain", status, got["text"]))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 24
    for kind, status, got in results:
        assert status == 200
        assert got == (want if kind == "rank" else str(explained))


def test_access_log_holds_no_ids(live_server: LiveServer) -> None:
    cid = live_server.candidates[7].id
    live_server.request("POST", "/rank", {"candidates": _dump([live_server.candidates[7]])})
    live_server.request("GET", f"/adviser/candidates/{cid}?q={cid}", key=None)
    log = live_server.server_log()
    assert "POST /rank 200" in log
    assert cid not in log


def test_insecure_local_refuses_other_addresses(tmp_path: Any) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "labourint_match.cli", "serve", "--insecure-local", "--host",
         "0.0.0.0", "--database", str(tmp_path / "db"), "--decision-log", str(tmp_path / "log")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 1
    assert "loopback" in run.stderr
    assert not (tmp_path / "db").exists()
    run = subprocess.run(
        [sys.executable, "-m", "labourint_match.cli", "serve", "--database", str(tmp_path / "db"),
         "--decision-log", str(tmp_path / "log")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 1
    assert "keys" in run.stderr


def test_insecure_local_needs_no_key(start_server: Any) -> None:
    server = start_server(insecure_local=True)
    status, got, _ = server.request("GET", "/schema", key=None)
    assert status == 200, got


def test_graceful_shutdown_finishes_the_request_in_flight(start_server: Any) -> None:
    """SIGTERM while a request runs: it is answered in full, then the process exits cleanly."""
    import signal
    import time

    server = start_server(n_candidates=300, n_vacancies=80)
    server.request("POST", "/rank", {"candidates": _dump(server.candidates[:2])})  # warm
    answer: list[Any] = []
    worker = threading.Thread(
        target=lambda: answer.append(server.request("POST", "/training-needs", {"top_k": 5}))
    )
    started = time.perf_counter()
    worker.start()
    time.sleep(0.5)
    server.process.send_signal(signal.SIGTERM)
    worker.join(120)
    took = time.perf_counter() - started
    assert answer, "no answer"
    assert answer[0][0] == 200, answer
    assert answer[0][1]["rows"], "the in-flight request got its whole answer"
    # 143: terminated by SIGTERM, as for every subcommand (uvicorn re-raises it once drained)
    assert server.process.wait(60) == 143
    assert "Finished server process" in server.server_log()
    assert took > 0.5, "the request was still running when the signal came"
    with pytest.raises(urllib.error.URLError, match="refused"):
        server.request("GET", "/healthz", key=None, timeout=5)


def test_assign_honours_overrides_and_logs_them(live_server: LiveServer, matcher: Matcher) -> None:
    """Fixed and forbidden pairs over HTTP: honoured as by the library, refused when impossible."""
    first = matcher.assign(live_server.candidates, live_server.vacancies)
    placed = first.pairs[0]
    ban = {"candidate_id": placed.candidate_id, "vacancy_id": placed.vacancy_id,
           "reason": "the person declined this employer", "adviser": "adviser-1"}  # fmt: skip
    status, got, _ = live_server.request("POST", "/assign", {"forbidden": [ban]})
    assert status == 200, got
    assert (placed.candidate_id, placed.vacancy_id) not in {
        (p["candidate_id"], p["vacancy_id"]) for p in got["pairs"]
    }
    assert got["forbidden"] == [ban]
    want = matcher.assign(live_server.candidates, live_server.vacancies, forbidden=[ban])
    assert got["run_id"] == want.run_id != first.run_id

    ghost = {**ban, "candidate_id": "no-such-person"}
    status, got, _ = live_server.request("POST", "/assign", {"fixed": [ghost]})
    assert status == 422
    assert "no-such-person" in json.dumps(got["detail"])
    assert "declined" not in json.dumps(got)  # the reason is never echoed in errors
    status, got, _ = live_server.request("POST", "/assign", {"fixed": [{**ban, "reason": ""}]})
    assert status == 422


def test_a_shard_folder_cohort_reloads_and_keeps_the_old_one_on_bad_files(
    start_server: Any, matcher: Matcher
) -> None:
    """Started on shard folders; /reload reads new shards; broken files leave the old cohort."""
    server = start_server(shards=25)
    folder = server.database.parent / "cohort"
    assert len(sorted(folder.glob("candidates-*.jsonl"))) == 3  # 60 people in shards of 25
    status, health, _ = server.request("GET", "/healthz", key=None)
    assert health["cohort"] == {"candidates": 60, "vacancies": 20}
    status, got, _ = server.request("POST", "/rank", {"candidates": _dump(server.candidates[:2])})
    want = matcher.rank(server.candidates[:2], server.vacancies, 10)
    assert [m["vacancy_id"] for m in got["rows"][0]["matches"]] == [
        m.vacancy_id for m in want.for_candidate(want.candidate_ids[0])
    ]

    extra = server.vacancies[0].model_copy(update={"id": "v-new"})
    (folder / "vacancies-00009.jsonl").write_text(extra.model_dump_json() + "\n", encoding="utf-8")
    status, got, _ = server.request("POST", "/reload")
    assert status == 200, got
    assert got == {"candidates": 60, "vacancies": 21}

    (folder / "vacancies-00010.jsonl").write_text('{"id": "v-broken", "skills": 7}\n')
    status, got, _ = server.request("POST", "/reload")
    assert status == 422, got
    assert "v-broken" in json.dumps(got["detail"])
    _, health, _ = server.request("GET", "/healthz", key=None)
    assert health["cohort"] == {"candidates": 60, "vacancies": 21}


# -- the hostile review's findings (each failed before its fix) ------------------------------------


def test_a_broken_id_gets_422_and_nothing_personal_reaches_the_log(live_server: LiveServer) -> None:
    """A lone surrogate in an id gave 500 and a traceback with the record's content in the log."""
    cands = _dump(live_server.candidates[:2])
    cands[1]["id"] = "c\udc00"
    cands[1]["experience"] = [{"occupation": "PIILEAK Jane Doe, clinic nurse", "years": 2}]
    raw = json.dumps({"candidates": cands}).encode("utf-8", "surrogatepass")
    status, got, _ = live_server.request("POST", "/rank", raw=raw)
    assert status in (400, 422), got
    assert "PIILEAK" not in json.dumps(got)
    assert "PIILEAK" not in live_server.server_log()
    assert "Traceback" not in live_server.server_log()


def test_unknown_fields_and_invalid_ids_are_not_echoed(live_server: LiveServer) -> None:
    cands = _dump(live_server.candidates[:2])
    cands[0]["SECRET_Jane_Doe"] = 1
    cands[1]["id"] = "SECRET Jane Doe\u202e"
    status, got, _ = live_server.request("POST", "/rank", {"candidates": cands})
    assert status == 422
    assert "SECRET" not in json.dumps(got)
    assert any(e.get("field") == "(unknown field)" and e.get("record") == cands[0]["id"]
               for e in got["detail"])  # fmt: skip


def test_assign_logs_its_overrides_and_binds_them_to_the_key(live_server: LiveServer) -> None:
    status, first, _ = live_server.request("POST", "/assign", {})
    assert status == 200
    placed = first["pairs"][0]
    ban = {"candidate_id": placed["candidate_id"], "vacancy_id": placed["vacancy_id"],
           "reason": "the person declined", "adviser": "someone-else"}  # fmt: skip
    status, got, _ = live_server.request("POST", "/assign", {"forbidden": [ban]})
    assert status == 403, got
    ban["adviser"] = "adviser-1"
    status, got, _ = live_server.request("POST", "/assign", {"forbidden": [ban]})
    assert status == 200, got
    lines = [json.loads(x) for x in live_server.decision_log.read_text().splitlines()]
    run = [x for x in lines if x["run_id"] == got["run_id"]]
    assert len([x for x in run if x["decision"] != "forbidden"]) == len(live_server.candidates)
    (line,) = [x for x in run if x["decision"] == "forbidden"]
    assert (line["candidate_id"], line["reason"], line["adviser"]) == (
        placed["candidate_id"], "the person declined", "adviser-1")  # fmt: skip


def _raw_http(server: LiveServer, head: str, body: bytes = b"", timeout: float = 30) -> str:
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(server.url)
    with socket.create_connection((url.hostname, url.port), timeout=timeout) as s:
        s.sendall(head.encode("latin-1") + body)
        return s.recv(65536).decode("latin-1", "replace")


def test_no_key_is_refused_before_the_body_is_read(live_server: LiveServer) -> None:
    """The key is checked from the headers: 401 comes back while a 1 GB body is still unsent."""
    head = ("POST /rank HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Content-Length: 1000000000\r\n\r\n")  # fmt: skip
    answer = _raw_http(live_server, head, b"{")
    assert answer.startswith("HTTP/1.1 401"), answer[:80]


def test_a_streamed_body_over_the_limit_gets_413(start_server: Any) -> None:
    import http.client
    from urllib.parse import urlsplit

    server = start_server("--max-body-bytes", "100000")
    url = urlsplit(server.url)
    conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=60)
    chunks = iter([b'{"candidates": [' + b" " * 50_000] * 4)
    conn.request("POST", "/rank", body=chunks, encode_chunked=True,
                 headers={**server.headers, "Content-Type": "application/json"})  # fmt: skip
    answer = conn.getresponse()
    assert answer.status == 413, answer.read()


def test_api_posts_must_be_json(live_server: LiveServer) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, got, _ = live_server.request("POST", "/reload", raw=b"a=1", headers=form)
    assert status == 415, got


def test_insecure_local_answers_only_to_loopback_names(start_server: Any) -> None:
    """DNS rebinding: a page elsewhere resolving its own name to 127.0.0.1 gets nothing."""
    server = start_server(insecure_local=True)
    status, got, _ = server.request("POST", "/rank", {"top_k": 1}, key=None,
                                    headers={"Host": "attacker.example"})  # fmt: skip
    assert status == 400, got
    status, got, _ = server.request("POST", "/rank", {"top_k": 1}, key=None)
    assert status == 200, got


def test_openapi_documents_keys_bodies_and_errors(live_server: LiveServer) -> None:
    status, doc, _ = live_server.request("GET", "/openapi.json")
    assert status == 200
    schemes = doc["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    rank = doc["paths"]["/rank"]["post"]
    assert rank["security"]
    ref = rank["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.rsplit("/", 1)[1] in doc["components"]["schemas"]
    assert {"401", "413", "422", "503"} <= set(rank["responses"])
    row = doc["components"]["schemas"]["TrainingNeedsRow"]
    assert "ready_ids" in row["properties"]
    assert {"CandidateProfile", "Vacancy", "Override"} <= set(doc["components"]["schemas"])


def test_reload_of_missing_files_is_the_operators_problem(start_server: Any) -> None:
    import shutil

    server = start_server(shards=25)
    shutil.rmtree(server.database.parent / "cohort")
    status, got, _ = server.request("POST", "/reload")
    assert status == 503, got
    assert "/" not in got["detail"]  # no server path
    _, health, _ = server.request("GET", "/healthz", key=None)
    assert health["cohort"] == {"candidates": 60, "vacancies": 20}


def test_settings_that_cannot_work_are_refused_at_startup(tmp_path: Any) -> None:
    from labourint_match.service import add_key

    (tmp_path / "empty.txt").write_text("# no keys yet\n")
    add_key(tmp_path / "keys.txt", "a1")
    cases = [
        (["--keys", str(tmp_path / "empty.txt")], "no keys"),
        (["--keys", str(tmp_path / "keys.txt"), "--insecure-local"], "not both"),
        (["--keys", str(tmp_path / "keys.txt"), "--decision-log", str(tmp_path / "no/dir/log")],
         "log"),
    ]  # fmt: skip
    for args, says in cases:
        run = subprocess.run(
            [sys.executable, "-m", "labourint_match.cli", "serve", "--database",
             str(tmp_path / "db"), *args],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert run.returncode == 1, (args, run.stderr)
        assert says in run.stderr, (args, run.stderr)


def test_a_folder_with_both_kinds_loads_each_kind(tmp_path: Any) -> None:
    from labourint_match.service import ServiceConfig, ServiceState

    from .conftest import _write_cohort

    cands, vacs = _write_cohort(tmp_path / "flat", 12, 5, 2)
    config = ServiceConfig(database=tmp_path / "db", decision_log=tmp_path / "log",
                           insecure_local=True, candidates=tmp_path / "flat",
                           vacancies=tmp_path / "flat")  # fmt: skip
    state = ServiceState(config, Taxonomy.default())
    assert state.cohort is not None
    assert list(state.cohort.candidates) == [c.id for c in cands]
    assert list(state.cohort.vacancies) == [v.id for v in vacs]
