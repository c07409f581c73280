"""Every ``labourint-match`` subcommand, run as a subprocess on small files.

Each subcommand is run as ``python -m labourint_match.cli`` on a synthetic cohort of 20 candidates
and 6 vacancies over the bundled taxonomy, and on a bad file, which must give exit code 1 and
exactly one line on stderr (no traceback).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from labourint_match import (
    Matcher,
    ScoringConfig,
    Taxonomy,
    json_schema,
    load_candidates,
    load_vacancies,
    synth,
)
from labourint_match.cli import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, main
from labourint_match.cli import _commands as cli_module

AS_OF = "2026-01-01"
N_CANDIDATES, N_VACANCIES = 20, 6


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    cache = tmp_path_factory.mktemp("cli-cache")
    return {**os.environ, "LABOURINT_MATCH_CACHE_DIR": str(cache), "PYTHONIOENCODING": "utf-8"}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A small cohort on the bundled taxonomy, and bad files of every kind."""
    folder = tmp_path_factory.mktemp("cli-files")
    written = synth.write_cohort(
        folder / "cohort", Taxonomy.default(), N_CANDIDATES, N_VACANCIES, seed=4
    )
    broken = folder / "broken.jsonl"
    broken.write_text('{"id": "c-1", "skills": ["welding"]}\n{"id": "c-2", "skills": [}\n')
    unknown = folder / "unknown.jsonl"
    unknown.write_text(
        '{"id": "v-1", "skills": ["http://data.europa.eu/esco/skill/no-such-skill"]}\n'
    )
    mentions = folder / "mentions.txt"
    mentions.write_text("clean rooms\n\nStäda rum\nqqqxzv\n", encoding="utf-8")
    latin1 = folder / "latin1.txt"
    latin1.write_bytes("städa rum\n".encode("latin-1"))
    ttl = folder / "broken.ttl"
    ttl.write_text('<urn:a> <urn:b> "unterminated .\n', encoding="utf-8")
    return {
        "candidates": written.candidates[0],
        "vacancies": written.vacancies[0],
        "broken": broken,
        "unknown": unknown,
        "mentions": mentions,
        "latin1": latin1,
        "ttl": ttl,
        "dir": folder,
    }


def cli(
    env: dict[str, str], *args: str | Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "labourint_match.cli", *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )


def jsonl(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def assert_ok(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stderr == ""  # no progress bar, no warnings: stderr is not a terminal


def assert_one_line_error(done: subprocess.CompletedProcess[str], *mentions: str) -> None:
    assert done.returncode == EXIT_BAD_INPUT, (done.stdout, done.stderr)
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("labourint-match: error: "), done.stderr
    assert "Traceback" not in done.stderr
    for text in mentions:
        assert text in done.stderr
    assert done.stdout == ""


# -- rank -----------------------------------------------------------------------------------------


def test_rank_writes_one_sorted_jsonl_record_per_ranked_pair(
    env: dict[str, str], files: dict[str, Path]
) -> None:
    cohort = (files["candidates"], files["vacancies"])
    done = cli(env, "rank", *cohort, "--top-k", 3, "--as-of", AS_OF)
    assert_ok(done)
    records = jsonl(done.stdout)
    assert len(records) == N_CANDIDATES * 3
    keys = ["candidate_id", "eligible", "rank", "reasons", "score", "vacancy_id"]
    assert all(list(r) == keys for r in records)  # sorted keys
    by_candidate: dict[object, list[dict[str, object]]] = {}
    for r in records:
        by_candidate.setdefault(r["candidate_id"], []).append(r)
    assert len(by_candidate) == N_CANDIDATES
    for rows in by_candidate.values():
        assert [r["rank"] for r in rows] == [1, 2, 3]
        scores = [float(str(r["score"])) for r in rows]
        assert scores == sorted(scores, reverse=True)
        assert all(r["eligible"] == (r["reasons"] == []) for r in rows)
    # Deterministic: the same files and day give the same bytes.
    again = cli(env, "rank", *cohort, "--top-k", 3, "--as-of", AS_OF)
    assert again.stdout == done.stdout


def test_rank_agrees_with_matcher_rank(env: dict[str, str], files: dict[str, Path]) -> None:
    t = Taxonomy.default()
    people = load_candidates(files["candidates"], taxonomy=t)
    jobs = load_vacancies(files["vacancies"], taxonomy=t)
    ranking = Matcher(t, ScoringConfig(as_of=date.fromisoformat(AS_OF))).rank(
        people, jobs, top_k=2, by="vacancy"
    )
    done = cli(
        env, "rank", files["candidates"], files["vacancies"], "--top-k", "2", "--by", "vacancy",
        "--as-of", AS_OF,
    )  # fmt: skip
    assert_ok(done)
    got = [(r["vacancy_id"], r["candidate_id"], r["rank"], r["score"]) for r in jsonl(done.stdout)]
    want = [
        (m.vacancy_id, m.candidate_id, m.rank, round(m.score, 6))
        for vid in ranking.vacancy_ids
        for m in ranking.for_vacancy(vid)
    ]
    assert got == want


def test_rank_reads_stdin_and_writes_csv_to_a_file(
    env: dict[str, str], files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "shortlists.csv"
    done = cli(
        env, "rank", "-", files["vacancies"], "--by", "vacancy", "--top-k", "4", "--as-of", AS_OF,
        "-o", out, stdin=files["candidates"].read_text(encoding="utf-8"),
    )  # fmt: skip
    assert_ok(done)
    assert done.stdout == f"wrote {N_VACANCIES * 4} records to {out}\n"
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["candidate_id", "vacancy_id", "rank", "score", "eligible", "reasons"]
    assert Counter(r["vacancy_id"] for r in rows) == {f"v00000{j}": 4 for j in range(1, 7)}
    assert {r["eligible"] for r in rows} <= {"true", "false"}


def test_rank_on_a_malformed_json_line_is_a_one_line_error(
    env: dict[str, str], files: dict[str, Path]
) -> None:
    done = cli(env, "rank", files["broken"], files["vacancies"], "--as-of", AS_OF)
    assert_one_line_error(done, "line 2 of broken.jsonl", "not valid JSON")


def test_rank_on_bad_stdin_names_stdin(env: dict[str, str], files: dict[str, Path]) -> None:
    done = cli(env, "rank", "-", files["vacancies"], stdin='{"id": "c-1", "skills": [}\n')
    assert_one_line_error(done, "line 1 of stdin")


# -- assign ---------------------------------------------------------------------------------------


def test_assign_writes_one_record_per_candidate_within_capacity(
    env: dict[str, str], files: dict[str, Path], tmp_path: Path
) -> None:
    log = tmp_path / "decisions.jsonl"
    done = cli(
        env, "assign", files["candidates"], files["vacancies"], "--as-of", AS_OF, "--log", log,
    )  # fmt: skip
    assert_ok(done)
    records = jsonl(done.stdout)
    assert [r["candidate_id"] for r in records] == [f"c{i:06d}" for i in range(1, 21)]
    openings = {v.id: v.openings for v in load_vacancies(files["vacancies"])}
    placed = Counter(str(r["vacancy_id"]) for r in records if r["placed"])
    assert placed
    assert all(n <= openings[vid] for vid, n in placed.items())
    for r in records:
        assert (r["reason"] is None) == bool(r["placed"]) == (r["score"] is not None)
    assert {r["reason"] for r in records} - {None} <= {
        "no_eligible_vacancy", "below_min_score", "outcompeted",
    }  # fmt: skip
    logged = jsonl(log.read_text(encoding="utf-8"))
    assert [line["candidate_id"] for line in logged] == [r["candidate_id"] for r in records]


def test_assign_stable_with_min_score_as_csv(env: dict[str, str], files: dict[str, Path]) -> None:
    done = cli(
        env, "assign", files["candidates"], files["vacancies"], "--method", "stable",
        "--min-score", "0.5", "--as-of", AS_OF, "--format", "csv",
    )  # fmt: skip
    assert_ok(done)
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == N_CANDIDATES
    assert all(float(r["score"]) >= 0.5 for r in rows if r["placed"] == "true")
    assert all(r["vacancy_id"] == "" and r["reason"] for r in rows if r["placed"] == "false")


def test_assign_on_an_unknown_concept_uri_is_a_one_line_error(
    env: dict[str, str], files: dict[str, Path]
) -> None:
    done = cli(env, "assign", files["candidates"], files["unknown"], "--as-of", AS_OF)
    assert_one_line_error(done, "record v-1 (line 1 of unknown.jsonl)", "no-such-skill")


# -- explain --------------------------------------------------------------------------------------


def test_explain_prints_the_explanation_and_its_json(
    env: dict[str, str], files: dict[str, Path]
) -> None:
    pair = ("--candidate", "c000003", "--vacancy", "v000002", "--as-of", AS_OF)
    text = cli(env, "explain", files["candidates"], files["vacancies"], *pair)
    assert_ok(text)
    assert text.stdout.startswith("Candidate c000003 and vacancy v000002")
    assert "Why this score" in text.stdout
    assert "Next step:" in text.stdout
    as_json = cli(env, "explain", files["candidates"], files["vacancies"], *pair, "--json")
    assert_ok(as_json)
    doc = json.loads(as_json.stdout)
    assert doc["text"] == text.stdout.rstrip("\n")
    assert (doc["candidate_id"], doc["vacancy_id"]) == ("c000003", "v000002")
    assert sum(doc["components"].values()) == pytest.approx(doc["score"], abs=1e-6)
    assert doc["pathway"]["kind"] in (
        "ready",
        "ready_with_support",
        "training_first",
        "not_eligible",
    )
    swedish = cli(env, "explain", files["candidates"], files["vacancies"], *pair, "--lang", "sv")
    assert_ok(swedish)
    assert swedish.stdout != text.stdout


def test_explain_on_an_unknown_id_or_a_missing_file_is_a_one_line_error(
    env: dict[str, str], files: dict[str, Path]
) -> None:
    pair = ("--candidate", "c-nobody", "--vacancy", "v000001")
    done = cli(env, "explain", files["candidates"], files["vacancies"], *pair)
    assert_one_line_error(done, "no candidate with id 'c-nobody'")
    missing = files["dir"] / "missing.jsonl"
    done = cli(env, "explain", missing, files["vacancies"], *pair)
    assert_one_line_error(done, "missing.jsonl: no such file")


# -- resolve --------------------------------------------------------------------------------------


def test_resolve_reports_every_mention_including_unresolved(
    env: dict[str, str], files: dict[str, Path]
) -> None:
    done = cli(env, "resolve", "Clean Rooms", "zzqxv", "--top-k", "2")
    assert_ok(done)
    records = jsonl(done.stdout)
    assert [(r["position"], r["rank"]) for r in records] == [(0, 0), (0, 1), (1, None)]
    assert records[0]["label"] == "clean rooms"
    assert records[0]["method"] == "exact"
    assert records[2] == {
        "label": None, "label_kind": None, "lang": None, "method": None, "position": 1,
        "rank": None, "score": None, "text": "zzqxv", "unresolved": True, "uri": None,
    }  # fmt: skip
    assert [r["unresolved"] for r in records] == [False, False, True]


def test_resolve_reads_a_file_of_mentions_and_writes_csv(
    env: dict[str, str], files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "resolved.csv"
    done = cli(env, "resolve", "--input", files["mentions"], "--top-k", "1", "-o", out)
    assert_ok(done)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["position"], r["text"], r["unresolved"]) for r in rows] == [
        ("0", "clean rooms", "false"), ("1", "Städa rum", "false"), ("2", "qqqxzv", "true"),
    ]  # fmt: skip
    assert rows[0]["uri"] == rows[1]["uri"]  # the English and the Swedish label of one skill


def test_resolve_on_a_file_that_is_not_utf8_is_a_one_line_error(
    env: dict[str, str], files: dict[str, Path]
) -> None:
    done = cli(env, "resolve", "--input", files["latin1"])
    assert_one_line_error(done, "latin1.txt, line 1", "not valid UTF-8")


def test_resolve_warns_in_one_line_about_a_truncated_mention(env: dict[str, str]) -> None:
    done = cli(env, "resolve", "x" * 600, "--top-k", "1")
    assert done.returncode == EXIT_OK
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("labourint-match: warning: ")


# -- synth ----------------------------------------------------------------------------------------


def test_synth_writes_the_cohort_that_synth_cohort_draws(
    env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "cohort"
    done = cli(env, "synth", "--candidates", "7", "--vacancies", "3", "--seed", "5", "--out", out,
               "--shard-size", "4")  # fmt: skip
    assert_ok(done)
    assert done.stdout.startswith(f"wrote 7 candidates and 3 vacancies (seed 5) to {out}")
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "candidates-00000.jsonl", "candidates-00001.jsonl", "manifest.json", "truth.jsonl",
        "vacancies-00000.jsonl",
    ]  # fmt: skip
    people, jobs = synth.cohort(Taxonomy.default(), 7, 3, seed=5)
    loaded = [*load_candidates(out / "candidates-00000.jsonl")]
    loaded += load_candidates(out / "candidates-00001.jsonl")
    assert loaded == list(people)
    assert list(load_vacancies(out / "vacancies-00000.jsonl")) == list(jobs)


def test_synth_on_a_broken_taxonomy_or_a_file_as_out_is_a_one_line_error(
    env: dict[str, str], files: dict[str, Path], tmp_path: Path
) -> None:
    common = ("--candidates", "2", "--vacancies", "1")
    done = cli(env, "synth", *common, "--out", tmp_path / "x", "--taxonomy", files["ttl"])
    assert_one_line_error(done, "broken.ttl")
    done = cli(env, "synth", *common, "--out", files["broken"])
    assert_one_line_error(done, "is a file, not a directory")


# -- schema ---------------------------------------------------------------------------------------


def test_schema_prints_the_json_schema_of_each_record(env: dict[str, str], tmp_path: Path) -> None:
    done = cli(env, "schema", "candidate")
    assert_ok(done)
    assert json.loads(done.stdout) == json_schema()["candidate"]
    out = tmp_path / "all.json"
    done = cli(env, "schema", "-o", out)
    assert_ok(done)
    assert json.loads(out.read_text(encoding="utf-8")) == json_schema()


def test_schema_into_a_missing_directory_is_a_one_line_error(
    env: dict[str, str], tmp_path: Path
) -> None:
    done = cli(env, "schema", "vacancy", "-o", tmp_path / "no" / "such" / "dir.json")
    assert_one_line_error(done, "does not exist")


# -- demo and taxonomy ----------------------------------------------------------------------------


def test_demo_runs_as_a_subprocess(env: dict[str, str]) -> None:
    done = cli(env, "demo")
    assert_ok(done)
    assert "Optimal placement" in done.stdout
    usage = cli(env, "demo", "--no-such-option")
    assert usage.returncode == EXIT_USAGE


def test_taxonomy_info_compile_and_export_run_as_subprocesses(
    env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "core.ttl"
    export = cli(env, "taxonomy", "export", "bundled", "-o", out)
    assert_ok(export)
    assert Taxonomy.from_rdf(out, cache=False) == Taxonomy.default()
    compiled = cli(env, "taxonomy", "compile", out)
    assert_ok(compiled)
    info = cli(env, "taxonomy", "info", "--taxonomy", out)
    assert_ok(info)
    assert Taxonomy.default().content_hash[:16] in info.stdout


def test_taxonomy_and_rank_on_a_broken_rdf_file_are_one_line_errors(
    env: dict[str, str], files: dict[str, Path]
) -> None:
    assert_one_line_error(cli(env, "taxonomy", "info", "--taxonomy", files["ttl"]), "broken.ttl")
    done = cli(env, "rank", files["candidates"], files["vacancies"], "--taxonomy", files["ttl"])
    assert_one_line_error(done, "broken.ttl")


# -- the command as a whole -----------------------------------------------------------------------


def test_help_lists_an_example_for_every_subcommand(env: dict[str, str]) -> None:
    done = cli(env, "--help")
    assert_ok(done)
    examples = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("  labo")]
    for command in ("rank", "assign", "explain", "resolve", "synth", "schema", "demo", "taxonomy"):
        assert command in examples, command


def test_every_subcommand_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("rank", "assign", "explain", "resolve", "synth", "schema"):
        assert main([command, "--help"]) == EXIT_OK
        text = capsys.readouterr().out
        assert "examples:" in text
        assert f"labourint-match {command}" in text


def test_usage_errors_exit_2_with_the_usage(env: dict[str, str], files: dict[str, Path]) -> None:
    done = cli(env, "rank", files["candidates"], files["vacancies"], "--top-k", "0")
    assert done.returncode == EXIT_USAGE
    assert "--top-k: must be a positive integer" in done.stderr


def test_debug_after_the_subcommand_adds_the_traceback(
    env: dict[str, str], files: dict[str, Path]
) -> None:
    done = cli(env, "rank", files["broken"], files["vacancies"], "--debug")
    assert done.returncode == EXIT_BAD_INPUT
    assert "Traceback" in done.stderr
    assert done.stderr.rstrip("\n").splitlines()[-1].startswith("labourint-match: error: ")


def test_usage_problems_argparse_cannot_see_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resolve"]) == EXIT_USAGE
    assert main(["rank", "-", "-"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "give mentions to resolve" in err
    assert "only one of CANDIDATES and VACANCIES" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    args = ["synth", "--candidates", "2", "--vacancies", "1", "--out", str(tmp_path / "a")]
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(args, out=io.StringIO()) == EXIT_OK
    assert "\rlabourint-match: loading the taxonomy…" in terminal.getvalue().replace("\x1b[K", "")
    assert terminal.getvalue().endswith("s)\n")
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    assert main(args, out=io.StringIO()) == EXIT_OK
    assert pipe.getvalue() == ""


def test_an_internal_error_is_one_line_and_exit_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("unexpected\nstate")

    monkeypatch.setattr(cli_module, "_run_schema", boom)
    assert main(["schema"], out=io.StringIO()) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "internal error: RuntimeError: unexpected state" in err
