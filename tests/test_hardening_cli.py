"""Signals and the decision log of the ``labourint-match`` command: issue 19, items 6 and 23-27.

* 6: Ctrl-C or SIGTERM while a numba kernel runs stops the run cleanly (exit 130 / 143, no temporary
  file), never with a crash: the signal is held until the kernel returns.
* 23: the CLI appends the run's decisions once its output is complete, and takes them back out if
  the output cannot be delivered.
* 24: a log write failing part-way (a full disk) is cut back off; a torn last line is cut off before
  the next run appends.
* 25: ``run_id`` covers the placement problem (every scored pair, the openings), not only the ids.
* 26: ``--log /dev/stdout`` is refused (standard output is a pipe, or is the output); a FIFO is
  never waited on, from the CLI or the library.
* 27: ``-`` with standard input closed is an error, not an empty input; ``--taxonomy <(…)`` reads
  the pipe.

Each test is named by the item it answers.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import FrameType

import pytest

from labourint_match import CandidateProfile, Matcher, ScoringConfig, Taxonomy, synth
from labourint_match._output import Terminated, in_compiled_code, signals_raise
from labourint_match.assignment._log import check_log_path, write_decision_log
from labourint_match.cli import (
    EXIT_BAD_INPUT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    main,
)
from labourint_match.errors import AssignmentError, ConfigError, LabourintMatchWarning

AS_OF = "2026-01-01"
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and signals")
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("cohort")
    written = synth.write_cohort(folder, Taxonomy.default(), 20, 6, seed=4)
    return written.candidates[0], written.vacancies[0]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(Taxonomy.default(), ScoringConfig(as_of=date(2026, 1, 1)))


def run(*argv: str | Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main([str(a) for a in argv], out=out)
    captured = capsys.readouterr()
    return code, out.getvalue(), captured.err


def assign(cohort: tuple[Path, Path], *more: str | Path) -> list[str]:
    return [str(a) for a in ("assign", *cohort, "--as-of", AS_OF, *more)]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONIOENCODING": "utf-8"}


def cli(*argv: str | Path) -> list[str]:
    return [sys.executable, "-m", "labourint_match.cli", *map(str, argv)]


def jsonl(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def leftovers(folder: Path) -> list[str]:
    """Hidden temporary files of an output left in `folder`."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and ".tmp" in p.name)


# -- 6: signals while a kernel runs ---------------------------------------------------------------


def _in_numba(call: Callable[[], object]) -> object:
    """Run `call` from a frame of a module named like numba's (as numba runs its helpers)."""
    namespace: dict[str, object] = {"__name__": "numba.core.serialize", "call": call}
    exec(compile("result = call()", "<numba helper>", "exec"), namespace)
    return namespace["result"]


def _wait_for_the_held_signal() -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        time.sleep(0.01)
    pytest.fail("the held signal was never raised")


def _raise_signal_in_numba(signum: int) -> list[str]:
    """Send `signum` from numba-like code; what happened there ("raised inside" or "went on")."""
    happened = []

    def kernel() -> None:
        try:
            signal.raise_signal(signum)  # the handler runs now, in this frame
        except (KeyboardInterrupt, Terminated):
            happened.append("raised inside")  # what crashed the process before the fix
            return
        happened.append("went on")

    _in_numba(kernel)
    return happened


@POSIX
@pytest.mark.parametrize(
    ("signum", "stop"), [(signal.SIGINT, KeyboardInterrupt), (signal.SIGTERM, Terminated)]
)
def test_19_6_a_signal_inside_numba_code_is_held_until_the_code_returns(
    signum: int, stop: type[BaseException]
) -> None:
    with signals_raise():
        assert _raise_signal_in_numba(signum) == ["went on"]
        with pytest.raises(stop):
            _wait_for_the_held_signal()  # raised here, once out of numba's code


@POSIX
def test_19_6_a_signal_held_to_the_end_of_the_block_is_raised_on_leaving_it() -> None:
    happened: list[str] = []
    with pytest.raises(KeyboardInterrupt), signals_raise():
        happened += _raise_signal_in_numba(signal.SIGINT)
    assert happened == ["went on"]


@POSIX
def test_19_6_outside_numba_code_a_signal_stops_at_once_and_the_handlers_come_back() -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    with signals_raise(), pytest.raises(KeyboardInterrupt):
        signal.raise_signal(signal.SIGINT)
    assert {s: signal.getsignal(s) for s in before} == before


def test_19_6_in_compiled_code_looks_at_the_callers_too() -> None:
    frames: list[FrameType] = []
    _in_numba(lambda: frames.append(sys._getframe()))
    assert in_compiled_code(frames[0])  # the lambda's caller is the numba-like frame
    assert not in_compiled_code(sys._getframe())
    assert not in_compiled_code(None)


# The CLI, with the ranking kernel called over and over for a while once it is loaded (one long
# kernel call, as on a large cohort), so that a signal sent after "in the kernel" lands while
# compiled code runs. Before the fix, the KeyboardInterrupt was raised inside the numba helper
# that boxes a kernel's results (numba.core.serialize._numba_unpickle) and the process died of
# SIGSEGV (or, raised while a kernel was being loaded, was swallowed and the run went on).
_KERNEL_LOOP = """
import os, sys, time
from labourint_match.scoring.engine import Scorer
real = Scorer.top_k
def looping(*args, **kwargs):
    result = real(*args, **kwargs)  # the first call loads (or compiles) the kernel
    os.write(2, b"in the kernel\\n")
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        result = real(*args, **kwargs)
    return result
Scorer.top_k = looping
from labourint_match.cli import main
sys.exit(main(sys.argv[1:]))
"""
_RANKED = (600, 300, 5)  # candidates, vacancies, top-k


@pytest.fixture(scope="module")
def ranked_cohort(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("ranked")
    written = synth.write_cohort(folder, Taxonomy.default(), *_RANKED[:2], seed=6)
    return written.candidates[0], written.vacancies[0]


def _signal_mid_kernel(
    cohort: tuple[Path, Path], folder: Path, signum: int, delay: float
) -> tuple[int, str]:
    out = folder / "ranked.jsonl"
    argv = ["rank", *map(str, cohort), "--as-of", AS_OF, "--top-k", str(_RANKED[2]), "-o", out]
    proc = subprocess.Popen(
        [sys.executable, "-c", _KERNEL_LOOP, *map(str, argv)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env(),
    )  # fmt: skip
    assert proc.stderr is not None
    seen = b""
    while b"in the kernel" not in seen:
        line = proc.stderr.readline()
        assert line, proc.communicate(timeout=60)
        seen += line
    time.sleep(delay)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    assert leftovers(folder) == []
    # The signal is raised as the kernel returns; an output already complete by then (a signal
    # arriving in the last moment of a run) stays whole.
    if out.exists():
        assert len(out.read_text().splitlines()) == _RANKED[0] * _RANKED[2]
    return proc.returncode, (seen + err).decode("utf-8", "replace")


@POSIX
def test_19_6_ctrl_c_mid_kernel_exits_130_without_a_crash_or_a_temp_file(
    ranked_cohort: tuple[Path, Path], tmp_path: Path
) -> None:
    for trial, delay in enumerate((0.1, 0.4, 0.7, 1.0)):
        folder = tmp_path / str(trial)
        folder.mkdir()
        code, err = _signal_mid_kernel(ranked_cohort, folder, signal.SIGINT, delay)
        assert code == EXIT_INTERRUPTED, (trial, code, err)  # not -11 (SIGSEGV) nor 0
        assert err.endswith("labourint-match: interrupted\n"), err
        assert "Fatal Python error" not in err


@POSIX
def test_19_6_sigterm_mid_kernel_exits_143_without_a_crash_or_a_temp_file(
    ranked_cohort: tuple[Path, Path], tmp_path: Path
) -> None:
    code, err = _signal_mid_kernel(ranked_cohort, tmp_path, signal.SIGTERM, 0.5)
    assert code == EXIT_TERMINATED, (code, err)
    assert err.endswith("labourint-match: terminated\n"), err


# -- 23: the decisions are written once the output is complete ------------------------------------


def test_19_23_an_output_that_fails_mid_write_leaves_no_decisions(
    cohort: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from labourint_match.cli import _io

    log, out = tmp_path / "decisions.jsonl", tmp_path / "plan.jsonl"
    log.write_text('{"earlier":"run"}\n')
    real = _io._json_line
    written: list[dict[str, object]] = []

    def failing(record: dict[str, object]) -> str:
        if len(written) == 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(record)
        return real(record)

    monkeypatch.setattr(_io, "_json_line", failing)
    code, _, err = run(*assign(cohort, "--log", log, "-o", out), capsys=capsys)
    assert code == EXIT_BAD_INPUT, err
    assert "No space left on device" in err
    assert log.read_text() == '{"earlier":"run"}\n'
    assert not out.exists()
    assert leftovers(tmp_path) == []


def test_19_23_an_output_that_cannot_be_moved_into_place_takes_its_decisions_back_out(
    cohort: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from labourint_match import _output

    log, out = tmp_path / "decisions.jsonl", tmp_path / "plan.jsonl"
    log.write_text('{"earlier":"run"}\n')
    seen_in_log: list[int] = []

    def failing(tmp: str, target: Path, shown: str) -> None:
        seen_in_log.append(len(log.read_text().splitlines()))  # the log holds the run by now
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(_output, "_finish", failing)
    code, _, err = run(*assign(cohort, "--log", log, "-o", out), capsys=capsys)
    assert code == EXIT_BAD_INPUT, err
    assert seen_in_log == [1 + 20]  # appended once the output was complete ...
    assert log.read_text() == '{"earlier":"run"}\n'  # ... and taken back out
    assert not out.exists()
    assert leftovers(tmp_path) == []


def test_19_23_standard_output_closed_early_leaves_no_decisions(
    cohort: tuple[Path, Path], tmp_path: Path
) -> None:
    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    log = tmp_path / "decisions.jsonl"
    with pytest.raises(BrokenPipeError):  # main(out=…) passes it on; the command exits 141
        main(assign(cohort, "--log", str(log)), out=Closed())
    assert not log.exists() or log.read_text() == ""


@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "-o"])
def test_19_23_a_delivered_output_has_its_decisions_logged_once(
    cohort: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], to_file: bool
) -> None:
    log, out = tmp_path / "decisions.jsonl", tmp_path / "plan.jsonl"
    more: list[str | Path] = ["--log", log]
    if to_file:
        more += ["-o", out]
    code, stdout, err = run(*assign(cohort, *more), capsys=capsys)
    assert code == EXIT_OK, err
    records = jsonl(out.read_text() if to_file else stdout)
    logged = jsonl(log.read_text())
    assert [r["candidate_id"] for r in records] == [line["candidate_id"] for line in logged]
    assert [r["vacancy_id"] for r in records] == [line["vacancy_id"] for line in logged]
    assert len({line["run_id"] for line in logged}) == 1


# -- 24: a run appended whole or not at all -------------------------------------------------------


def _plan_and_log(
    matcher: Matcher, tmp_path: Path
) -> tuple[Callable[[], object], Path, tuple[object, object]]:
    people, jobs = synth.cohort(matcher.taxonomy, 12, 4, seed=5)
    log = tmp_path / "decisions.jsonl"
    return lambda: matcher.assign(people, jobs, log=log), log, (people, jobs)


def test_19_24_a_log_write_failing_part_way_leaves_the_log_as_it_was(
    matcher: Matcher, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    place, log, _ = _plan_and_log(matcher, tmp_path)
    place()
    before = log.read_bytes()
    real = os.write

    def half_then_full(fd: int, data: bytes | memoryview) -> int:
        if len(data) > 1:  # the first call gets half the bytes through; the next one fails
            return real(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(AssignmentError, match="No space left on device"):
        place()
    monkeypatch.undo()
    assert log.read_bytes() == before
    place()
    assert len(jsonl(log.read_text())) == 2 * 12


def test_19_24_a_torn_last_line_is_cut_off_before_the_next_run_appends(
    matcher: Matcher, tmp_path: Path
) -> None:
    place, log, _ = _plan_and_log(matcher, tmp_path)
    place()
    whole = log.read_bytes()
    log.write_bytes(whole + b'{"time":"2026-01-01T00:00:00+00:00","candidate_id":"c0')
    with pytest.warns(LabourintMatchWarning, match="ended in an incomplete line"):
        place()
    text = log.read_text()
    assert text.startswith(whole.decode())
    assert len(jsonl(text)) == 2 * 12  # every line parses: the fragment is gone


def test_19_24_a_log_holding_only_a_torn_line_is_emptied_first(
    matcher: Matcher, tmp_path: Path
) -> None:
    place, log, _ = _plan_and_log(matcher, tmp_path)
    log.write_bytes(b'{"time":"2026-')
    with pytest.warns(LabourintMatchWarning, match="14 bytes"):
        place()
    assert len(jsonl(log.read_text())) == 12


def test_19_24_the_cli_warns_of_a_torn_line_it_repaired(
    cohort: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "decisions.jsonl"
    log.write_bytes(b'{"time":"2026-01-01T00:00')
    code, stdout, err = run(*assign(cohort, "--log", log), capsys=capsys)
    assert code == EXIT_OK, err
    assert err.startswith("labourint-match: warning: the decision log "), err
    assert "incomplete line" in err
    assert len(jsonl(log.read_text())) == len(jsonl(stdout)) == 20


# -- 25: run_id covers the content ----------------------------------------------------------------


def _with_skills_of_another(people: list[CandidateProfile], placed: str) -> list[CandidateProfile]:
    """`people` with the placed candidate given the next one's skills (the same ids)."""
    i = [p.id for p in people].index(placed)
    other = people[(i + 1) % len(people)]
    assert other.skills != people[i].skills
    changed = list(people)
    changed[i] = people[i].model_copy(update={"skills": other.skills})
    return changed


def test_19_25_runs_on_different_contents_with_the_same_ids_have_different_run_ids(
    matcher: Matcher,
) -> None:
    people, jobs = synth.cohort(matcher.taxonomy, 30, 8, seed=3)
    plan = matcher.assign(people, jobs)
    assert matcher.assign(people, jobs).run_id == plan.run_id  # equal runs, equal ids
    assert matcher.assign(people[::-1], jobs[::-1]).run_id == plan.run_id

    changed = _with_skills_of_another(list(people), plan.pairs[0].candidate_id)
    assert [p.id for p in changed] == [p.id for p in people]
    assert matcher.assign(changed, jobs).run_id != plan.run_id
    # One vacancy with one more opening.
    more = [jobs[0].model_copy(update={"openings": jobs[0].openings + 1}), *jobs[1:]]
    assert matcher.assign(people, more).run_id != plan.run_id


def test_19_25_the_cli_log_tells_runs_on_different_contents_apart(
    matcher: Matcher, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people, jobs = synth.cohort(matcher.taxonomy, 20, 6, seed=4)
    vacancies = tmp_path / "vacancies.jsonl"
    vacancies.write_text("".join(v.model_dump_json() + "\n" for v in jobs))
    log = tmp_path / "decisions.jsonl"
    placed = matcher.assign(people, jobs).pairs[0].candidate_id
    for n, group in enumerate((list(people), _with_skills_of_another(list(people), placed))):
        candidates = tmp_path / f"candidates-{n}.jsonl"
        candidates.write_text("".join(c.model_dump_json() + "\n" for c in group))
        code, _, err = run(*assign((candidates, vacancies), "--log", log), capsys=capsys)
        assert code == EXIT_OK, err
    run_ids = [line["run_id"] for line in jsonl(log.read_text())]
    assert len(run_ids) == 40
    assert len(set(run_ids[:20])) == len(set(run_ids[20:])) == 1
    assert run_ids[0] != run_ids[20]


# -- 26: --log onto standard output or a FIFO -----------------------------------------------------


@POSIX
def test_19_26_log_onto_standard_output_is_refused_before_anything_is_written(
    cohort: tuple[Path, Path], tmp_path: Path
) -> None:
    # Standard output a pipe: "/dev/stdout" is a FIFO, refused.
    done = subprocess.run(
        cli(*assign(cohort, "--log", "/dev/stdout")),
        capture_output=True, text=True, env=env(), timeout=120,
    )  # fmt: skip
    assert done.returncode == EXIT_BAD_INPUT, done.stderr
    assert done.stdout == ""
    assert "cannot write --log /dev/stdout: it is a FIFO" in done.stderr
    # Standard output a file: the results go there, so the log may not.
    out = tmp_path / "stdout.jsonl"
    with out.open("w") as file:
        done = subprocess.run(
            cli(*assign(cohort, "--log", "/dev/stdout")),
            stdout=file, stderr=subprocess.PIPE, text=True, env=env(), timeout=120,
        )  # fmt: skip
    assert done.returncode == EXIT_BAD_INPUT, done.stderr
    assert "it is also standard output, where the results go" in done.stderr
    assert out.read_text() == ""


@POSIX
def test_19_26_the_library_refuses_a_fifo_log_instead_of_waiting_for_a_reader(
    matcher: Matcher, tmp_path: Path
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="is a FIFO"):
        check_log_path(fifo)
    people, jobs = synth.cohort(matcher.taxonomy, 6, 2, seed=5)
    with pytest.raises(ConfigError, match="regular files only"):
        matcher.assign(people, jobs, log=fifo)
    # A FIFO that appears after the check is not waited on either.
    plan = matcher.assign(people, jobs)
    with pytest.raises(ConfigError, match="is a FIFO"):
        write_decision_log(fifo, plan)


# -- 27: closed standard input, and pipes as --taxonomy -------------------------------------------


@pytest.mark.parametrize(
    ("argv", "what"),
    [(["resolve", "--input", "-"], "--input"), (["rank", "-", "{vacancies}"], "CANDIDATES")],
)
def test_19_27_dash_with_standard_input_closed_is_an_error(
    cohort: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    what: str,
) -> None:
    monkeypatch.setattr(sys, "stdin", None)  # how Python starts with file descriptor 0 closed
    args = [a.format(vacancies=cohort[1]) for a in argv]
    code, out, err = run(*args, capsys=capsys)
    assert code == EXIT_BAD_INPUT, err
    assert out == ""
    assert err == (
        f"labourint-match: error: {what} is '-' but standard input is closed; pipe the input in "
        "or name a file\n"
    )


@POSIX
def test_19_27_resolve_with_standard_input_closed_in_a_real_process_fails() -> None:
    done = subprocess.run(
        cli("resolve", "--input", "-"), capture_output=True, text=True, env=env(), timeout=120,
        preexec_fn=lambda: os.close(0),
    )  # fmt: skip
    assert done.returncode == EXIT_BAD_INPUT, done.stderr
    assert "standard input is closed" in done.stderr


@contextmanager
def piped(data: bytes) -> Iterator[str]:
    """A pipe fed `data` by a thread, named as bash names ``<(…)``: ``/dev/fd/N``."""
    read, write = os.pipe()

    def feed() -> None:
        with os.fdopen(write, "wb") as stream, contextlib.suppress(BrokenPipeError):
            stream.write(data)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        yield f"/dev/fd/{read}"
    finally:
        os.close(read)
        feeder.join(timeout=30)


_TURTLE = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<urn:ex:cooking> a skos:Concept ; skos:prefLabel "cooking"@en .
<urn:ex:baking> a skos:Concept ; skos:prefLabel "baking"@en ; skos:broader <urn:ex:cooking> .
"""


def _zipped(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


@POSIX
@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="no /dev/fd")
def test_19_27_taxonomy_from_a_pipe_loads_rdf_and_esco_csv_zips(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABOURINT_MATCH_CACHE_DIR", str(tmp_path / "cache"))
    with piped(_TURTLE) as name:
        code, out, err = run("taxonomy", "info", "--taxonomy", name, capsys=capsys)
    assert code == EXIT_OK, err
    assert f"content hash  {Taxonomy.from_rdf(_TURTLE, cache=False).content_hash[:16]}" in out
    expected = Taxonomy.from_esco_csv(FIXTURES / "esco_mini", cache=False).content_hash[:16]
    with piped(_zipped(FIXTURES / "esco_mini")) as name:
        code, out, err = run("taxonomy", "info", "--taxonomy", name, capsys=capsys)
    assert code == EXIT_OK, err
    assert f"content hash  {expected}" in out
    with piped(_TURTLE) as name:
        code, out, err = run("resolve", "baking", "--taxonomy", name, "--top-k", "1",
                             "--kinds", "all", capsys=capsys)  # fmt: skip
    assert code == EXIT_OK, err
    assert jsonl(out)[0]["uri"] == "urn:ex:baking"


@POSIX
@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="no /dev/fd")
def test_19_27_a_bad_taxonomy_from_a_pipe_is_named_by_the_pipe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABOURINT_MATCH_CACHE_DIR", str(tmp_path / "cache"))
    with piped(b"<urn:a> <urn:b> .\n") as name:
        code, _, err = run("taxonomy", "info", "--taxonomy", name, capsys=capsys)
    assert code == EXIT_BAD_INPUT, err
    assert err.startswith(f"labourint-match: error: {name}, line 1: "), err
    assert "no such file" not in err
