"""Where the ``labourint-match`` command writes: issue 19, items 1-5, 7, 8 and 14 (for outputs).

Outputs go to regular files only (links followed, the link kept; a FIFO, a socket or a device
refused), never over an input, with the existing file's mode and hard links kept; a temporary file
never outlives the run (an error, Ctrl-C, SIGTERM); CSV cells are neutralised against formula
injection. Each test is named by the item of issue 19 it answers.

No test aims ``-o`` at a real device node: the suite may run as root, where the code before this
fix replaced ``/dev/full`` with a regular file. Device nodes are reached through a link to
``/dev/null`` made in the test's folder, which that code would only have replaced.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from labourint_match import Taxonomy, synth
from labourint_match._output import csv_safe, signals_raise
from labourint_match.cli import (
    EXIT_BAD_INPUT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    main,
)

AS_OF = "2026-01-01"
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and signals")


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("cohort")
    written = synth.write_cohort(folder, Taxonomy.default(), 20, 6, seed=4)
    return written.candidates[0], written.vacancies[0]


def run(*argv: str | Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main([str(a) for a in argv], out=out)
    captured = capsys.readouterr()
    return code, out.getvalue(), captured.err


def assert_refused(code: int, out: str, err: str, *mentions: str) -> None:
    assert code == EXIT_BAD_INPUT, err
    assert err.count("\n") == 1, err
    assert err.startswith("labourint-match: error: cannot write "), err
    for text in mentions:
        assert text in err, err
    assert out == ""


def leftovers(folder: Path) -> list[str]:
    """Hidden temporary files of an output left in `folder`."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and ".tmp" in p.name)


def rank(cohort: tuple[Path, Path], *more: str | Path) -> list[str | Path]:
    return ["rank", *cohort, "--top-k", "3", "--as-of", AS_OF, *more]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONIOENCODING": "utf-8"}


# -- 1: symbolic links ----------------------------------------------------------------------------


@POSIX
def test_19_1_o_onto_a_symlink_writes_the_file_it_names_and_keeps_the_link(
    cohort: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "results.jsonl"
    real.write_text("old\n")
    real.chmod(0o644)
    link = tmp_path / "latest.jsonl"
    link.symlink_to(real.name)
    code, out, err = run(*rank(cohort, "-o", link), capsys=capsys)
    assert code == EXIT_OK, err
    assert out == f"wrote 60 records to {link}\n"
    assert link.is_symlink()
    assert os.readlink(link) == real.name
    assert stat.S_IMODE(real.stat().st_mode) == 0o644
    assert len(real.read_text().splitlines()) == 60
    assert leftovers(tmp_path) == []


@POSIX
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="lchown needs root")
def test_19_1_a_symlink_owned_by_another_user_is_refused(
    cohort: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    planted = tmp_path / "out.jsonl"
    planted.symlink_to(victim)
    os.lchown(planted, 12345, 12345)
    code, out, err = run(*rank(cohort, "-o", planted), capsys=capsys)
    assert_refused(code, out, err, "symbolic link owned by another user")
    assert victim.read_text() == "keep me\n"


# -- 2: devices, FIFOs, sockets; a full disk -----------------------------------------------------


@POSIX
def test_19_2_o_onto_a_fifo_a_socket_or_a_device_is_refused_and_left_alone(
    cohort: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    device = tmp_path / "device"
    device.symlink_to(os.devnull)  # the code before the fix replaced the link, not /dev/null
    sock = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(sock))
        for target, kind in ((fifo, "FIFO"), (device, "character device"), (sock, "socket")):
            code, out, err = run(*rank(cohort, "-o", target), capsys=capsys)
            assert_refused(code, out, err, str(target), kind, "regular files only")
        # The log is an output too: a FIFO without a reader would block the run forever.
        code, out, err = run("assign", *cohort, "--as-of", AS_OF, "--log", fifo, capsys=capsys)
        assert_refused(code, out, err, f"--log {fifo}", "FIFO")
    finally:
        server.close()
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert stat.S_ISSOCK(sock.lstat().st_mode)
    assert device.is_symlink()
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["device", "fifo", "sock"]


def _limit_file_size() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG


@POSIX
def test_19_2_a_full_disk_fails_loudly_and_leaves_the_old_output_and_no_temp_file(
    cohort: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    command = [sys.executable, "-m", "labourint_match.cli", *map(str, rank(cohort, "-o", out))]
    done = subprocess.run(
        command, capture_output=True, text=True, env=env(), timeout=120,
        preexec_fn=_limit_file_size,
    )  # fmt: skip
    assert done.returncode == EXIT_BAD_INPUT, done.stderr
    assert done.stderr.startswith(f"labourint-match: error: cannot write -o {out}: "), done.stderr
    assert "File too large" in done.stderr
    assert "wrote" not in done.stdout
    assert out.read_text() == "old\n"
    assert leftovers(tmp_path) == []


@POSIX
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_19_2_standard_output_on_a_full_device_fails_loudly(cohort: tuple[Path, Path]) -> None:
    command = [sys.executable, "-m", "labourint_match.cli", *map(str, rank(cohort))]
    with open("/dev/full", "w") as full:  # opened, never replaced
        done = subprocess.run(
            command, stdout=full, stderr=subprocess.PIPE, text=True, env=env(), timeout=120
        )
    assert done.returncode == EXIT_BAD_INPUT, done.stderr
    assert "No space left on device" in done.stderr


# -- 3: mode and hard links -----------------------------------------------------------------------


@POSIX
def test_19_3_an_existing_output_keeps_its_mode_and_its_hard_links(
    cohort: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    single = tmp_path / "single.jsonl"
    single.write_text("old\n")
    single.chmod(0o644)
    code, _, err = run(*rank(cohort, "-o", single), capsys=capsys)
    assert code == EXIT_OK, err
    assert stat.S_IMODE(single.stat().st_mode) == 0o644
    expected = single.read_bytes()
    assert len(expected.splitlines()) == 60

    linked = tmp_path / "linked.jsonl"
    linked.write_text("old\n")
    linked.chmod(0o640)
    other = tmp_path / "other-name.jsonl"
    os.link(linked, other)
    inode = linked.stat().st_ino
    code, _, err = run(*rank(cohort, "-o", linked), capsys=capsys)
    assert code == EXIT_OK, err
    assert linked.stat().st_ino == other.stat().st_ino == inode
    assert linked.stat().st_nlink == 2
    assert stat.S_IMODE(linked.stat().st_mode) == 0o640
    assert other.read_bytes() == expected

    new = tmp_path / "new.jsonl"
    code, _, err = run(*rank(cohort, "-o", new), capsys=capsys)
    assert code == EXIT_OK, err
    assert stat.S_IMODE(new.stat().st_mode) == 0o600  # documented: owner only
    assert leftovers(tmp_path) == []


# -- 4 and 5: an output is never an input ---------------------------------------------------------


def test_19_4_o_naming_an_input_is_refused_and_the_input_kept(
    cohort: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    candidates, vacancies = cohort
    before = candidates.read_bytes(), vacancies.read_bytes()
    spellings = [
        (candidates, "CANDIDATES"),
        (vacancies.parent / ".." / vacancies.parent.name / vacancies.name, "VACANCIES"),
    ]
    if os.name == "posix":
        hard = tmp_path / "hard.jsonl"
        os.link(candidates, hard)
        soft = tmp_path / "soft.jsonl"
        soft.symlink_to(vacancies)
        spellings += [(hard, "CANDIDATES"), (soft, "VACANCIES")]
    for target, name in spellings:
        code, out, err = run(*rank(cohort, "-o", target), capsys=capsys)
        assert_refused(code, out, err, f"-o {target}", f"it is also the input {name}")
    config = tmp_path / "config.json"
    config.write_text("{}")
    code, out, err = run(*rank(cohort, "--config", config, "-o", config), capsys=capsys)
    assert_refused(code, out, err, "the input --config")
    assert config.read_text() == "{}"
    mentions = tmp_path / "mentions.txt"
    mentions.write_text("cook\n")
    code, out, err = run("resolve", "--input", mentions, "-o", mentions, capsys=capsys)
    assert_refused(code, out, err, "the input --input")
    assert mentions.read_text() == "cook\n"
    assert (candidates.read_bytes(), vacancies.read_bytes()) == before


def test_19_4_o_naming_the_file_on_standard_input_is_refused(
    cohort: tuple[Path, Path], tmp_path: Path
) -> None:
    candidates, vacancies = cohort
    copy = tmp_path / "people.jsonl"
    copy.write_bytes(candidates.read_bytes())
    command = [sys.executable, "-m", "labourint_match.cli", "rank", "-", str(vacancies), "-o",
               str(copy), "--as-of", AS_OF]  # fmt: skip
    with copy.open("rb") as stdin:
        done = subprocess.run(
            command, stdin=stdin, capture_output=True, text=True, env=env(), timeout=120
        )
    assert done.returncode == EXIT_BAD_INPUT, done.stderr
    assert "it is also the input read from standard input" in done.stderr
    assert copy.read_bytes() == candidates.read_bytes()


def test_19_4_taxonomy_export_over_its_own_source_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "small.ttl"
    text = (
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<urn:ex:a> a skos:Concept ; skos:prefLabel "a"@en .\n'
    )
    source.write_text(text)
    code, out, err = run("taxonomy", "export", source, "-o", source, capsys=capsys)
    assert_refused(code, out, err, "the input --taxonomy")
    assert source.read_text() == text
    code, out, err = run("taxonomy", "export", source, "-o", "-", capsys=capsys)
    assert code == EXIT_OK, err
    assert "urn:ex:a" in out
    assert "wrote" not in out


def test_19_5_log_naming_an_input_or_the_output_is_refused(
    cohort: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    candidates, vacancies = cohort
    before = candidates.read_bytes(), vacancies.read_bytes()
    for log, name in ((candidates, "CANDIDATES"), (vacancies, "VACANCIES")):
        code, out, err = run("assign", *cohort, "--as-of", AS_OF, "--log", log, capsys=capsys)
        assert_refused(code, out, err, f"--log {log}", f"it is also the input {name}")
    assert (candidates.read_bytes(), vacancies.read_bytes()) == before
    same = tmp_path / "plan.jsonl"
    code, out, err = run(
        "assign", *cohort, "--as-of", AS_OF, "--log", same, "-o", same, capsys=capsys
    )
    assert_refused(code, out, err, f"--log {same}", f"it is also the output -o {same}")
    assert not same.exists()
    same.write_text("old plan\n")
    code, out, err = run(
        "assign", *cohort, "--as-of", AS_OF, "--log", same, "-o", same, capsys=capsys
    )
    assert_refused(code, out, err, "it is also the output")
    assert same.read_text() == "old plan\n"


# -- 7 and 14: no temporary file outlives the run -------------------------------------------------

# Runs the command with each JSON line slowed down, and touches READY once the first is written:
# the output's temporary file then exists and is being filled.
_SLOW = """
import os, sys, time
from labourint_match import cli
from labourint_match.cli import _io
ready, argv = sys.argv[1], sys.argv[2:]
real = _io._json_line
def slow(record):
    if not os.path.exists(ready):
        open(ready, "w").close()
    time.sleep(0.05)
    return real(record)
_io._json_line = slow
sys.exit(cli.main(argv))
"""


def _interrupt_mid_write(
    cohort: tuple[Path, Path], tmp_path: Path, signum: int
) -> tuple[subprocess.Popen[str], str, Path]:
    folder = tmp_path / "out"
    folder.mkdir()
    ready = tmp_path / "ready"
    argv = map(str, rank(cohort, "-o", folder / "out.jsonl"))
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW, str(ready), *argv],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(),
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not ready.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert ready.exists(), proc.communicate(timeout=5)
    assert len(leftovers(folder)) == 1  # mid-write: the temporary file is there
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    return proc, err, folder


@POSIX
def test_19_7_sigterm_mid_write_removes_the_temporary_file_and_exits_143(
    cohort: tuple[Path, Path], tmp_path: Path
) -> None:
    proc, err, folder = _interrupt_mid_write(cohort, tmp_path, signal.SIGTERM)
    assert proc.returncode == EXIT_TERMINATED, err
    assert err == "labourint-match: terminated\n"
    assert list(folder.iterdir()) == []


@POSIX
def test_19_7_ctrl_c_mid_write_removes_the_temporary_file_and_exits_130(
    cohort: tuple[Path, Path], tmp_path: Path
) -> None:
    proc, err, folder = _interrupt_mid_write(cohort, tmp_path, signal.SIGINT)
    assert proc.returncode == EXIT_INTERRUPTED, err
    assert err == "labourint-match: interrupted\n"
    assert list(folder.iterdir()) == []


@POSIX
def test_19_7_main_puts_the_previous_sigterm_handler_back() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with signals_raise():
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before
    assert main(["schema"], out=io.StringIO()) == EXIT_OK
    assert signal.getsignal(signal.SIGTERM) is before


def test_19_14_an_error_mid_write_leaves_the_old_output_and_no_temporary_file(
    cohort: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from labourint_match.cli import _commands

    def broken(ranking: object) -> object:
        yield {"candidate_id": "c", "vacancy_id": "v", "rank": 1, "score": 0.5,
               "eligible": True, "reasons": []}  # fmt: skip
        raise RuntimeError("boom")

    monkeypatch.setattr(_commands, "_rank_records", broken)
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    assert main([str(a) for a in rank(cohort, "-o", out)], out=io.StringIO()) != EXIT_OK
    assert "boom" in capsys.readouterr().err
    assert out.read_text() == "old\n"
    assert leftovers(tmp_path) == []


# -- 8: CSV formula injection ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x.example","open")', '\'=HYPERLINK("http://x.example","open")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("-inf", "'-inf"),
        ("-5", "-5"),
        ("-0.25", "-0.25"),
        ("+3", "+3"),
        ("-1e-05", "-1e-05"),
        ("c-17", "c-17"),
        ("'=x", "'=x"),
        ("", ""),
    ],
)
def test_19_8_csv_safe_quotes_what_a_spreadsheet_would_evaluate(cell: str, written: str) -> None:
    assert csv_safe(cell) == written


def test_19_8_csv_output_neutralises_formulas_in_ids_mentions_and_labels(
    cohort: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    candidates, vacancies = cohort
    ids = ['=HYPERLINK("http://x.example/?q=1","open")', "+1+2", "@SUM(A1)", "-5", "c-1"]
    records = [json.loads(line) for line in candidates.read_text(encoding="utf-8").splitlines()]
    hostile = tmp_path / "hostile.jsonl"
    hostile.write_text(
        "".join(
            json.dumps({**r, "id": i}) + "\n" for r, i in zip(records[: len(ids)], ids, strict=True)
        ),
        encoding="utf-8",
    )
    common = ("rank", hostile, vacancies, "--top-k", "1", "--as-of", AS_OF)
    code, out, err = run(*common, "--format", "csv", capsys=capsys)
    assert code == EXIT_OK, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["candidate_id"] for r in rows] == [
        '\'=HYPERLINK("http://x.example/?q=1","open")', "'+1+2", "'@SUM(A1)", "-5", "c-1",
    ]  # fmt: skip
    assert all(float(r["score"]) >= 0 for r in rows)  # numbers stay numbers
    code, out, err = run(*common, capsys=capsys)  # JSON Lines: the ids as they are
    assert [json.loads(line)["candidate_id"] for line in out.splitlines()] == ids

    taxonomy = tmp_path / "hostile.ttl"
    taxonomy.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<urn:ex:a> a skos:Concept ; skos:prefLabel "=cmd|calc"@en .\n'
    )
    code, out, err = run(
        "resolve", "--taxonomy", taxonomy, "--kinds", "all", "--top-k", "1", "--format", "csv",
        "--", "-cmd|calc", "@cmd", capsys=capsys,
    )  # fmt: skip
    assert code == EXIT_OK, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["text"], r["label"]) for r in rows] == [
        ("'-cmd|calc", "'=cmd|calc"), ("'@cmd", "'=cmd|calc"),
    ]  # fmt: skip
