"""The ``labourint-match`` command: demo, taxonomy subcommands, exit codes and error lines."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from labourint_match import Taxonomy
from labourint_match.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, main


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_demo_ranks_explains_and_places_a_synthetic_cohort() -> None:
    code, text = run("demo")
    assert code == EXIT_OK
    for section in (
        "300 synthetic candidates",
        "Top matches for three candidates",
        "as an adviser would explain it",
        "Why this score",
        "Pathways (each candidate's best match)",
        "Optimal placement",
        "Top training needs",
    ):
        assert section in text
    pathway_counts = [
        int(line.split()[-1])
        for line in text.splitlines()
        if line.strip().startswith(
            ("ready ", "ready with support", "training first", "not eligible")
        )
    ]
    assert sum(pathway_counts) == 300


def test_demo_output_is_the_same_every_run() -> None:
    def body(text: str) -> str:
        return "\n".join(line for line in text.splitlines() if not line.startswith("Done in"))

    assert body(run("demo")[1]) == body(run("demo")[1])


def test_demo_runs_as_an_installed_console_script() -> None:
    env = {**os.environ}
    exe = Path(sys.executable).with_name("labourint-match")
    if not exe.exists():
        pytest.skip("console script not installed next to this interpreter")
    done = subprocess.run([str(exe), "demo"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "labourint-match" in done.stdout


def test_taxonomy_info_reports_the_bundled_counts() -> None:
    code, text = run("taxonomy", "info")
    assert code == EXIT_OK
    counts = Taxonomy.default().counts()
    assert f"{counts['skill']:,}" in text
    assert Taxonomy.default().content_hash[:16] in text


def test_taxonomy_export_writes_turtle_that_loads_back(tmp_path: Path) -> None:
    out = tmp_path / "core.ttl"
    code, _ = run("taxonomy", "export", "bundled", "-o", str(out))
    assert code == EXIT_OK
    assert Taxonomy.from_rdf(out, cache=False) == Taxonomy.default()


def test_taxonomy_compile_accepts_an_rdf_file(tmp_path: Path) -> None:
    path = tmp_path / "tiny.ttl"
    path.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<urn:x:a> a skos:Concept ; skos:prefLabel "a"@en .\n',
        encoding="utf-8",
    )
    code, text = run("taxonomy", "compile", str(path))
    assert code == EXIT_OK
    assert "skill=1" in text


def test_bad_input_gives_exit_1_and_one_line_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text('<urn:a> <urn:b> "unterminated .\n', encoding="utf-8")
    code, _ = run("taxonomy", "info", "--taxonomy", str(bad))
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT
    assert err.count("\n") == 1
    assert err.startswith("labourint-match: error: ")
    assert "broken.ttl" in err
    assert "Traceback" not in err


def test_debug_flag_adds_the_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run("--debug", "taxonomy", "info", "--taxonomy", str(tmp_path / "missing.ttl"))
    assert code == EXIT_BAD_INPUT
    assert "Traceback" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("no-such-command")[0] == EXIT_USAGE
    assert run()[0] == EXIT_USAGE
    capsys.readouterr()


def test_help_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--help")[0] == EXIT_OK
    assert "examples:" in capsys.readouterr().out
