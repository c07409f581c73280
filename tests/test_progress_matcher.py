"""``progress=`` on Matcher.rank, rank_chunks and assign (issue 22, item 6), and the CLI's wiring.

As for ``training_needs``: on standard error only, counts and stage names, never ids; silent
when False (and when None outside a notebook); the results are the same with it or without it,
with tqdm or with the plain lines that stand in for it.
"""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from labourint_match import Matcher, ScoringConfig, Taxonomy, synth
from labourint_match.cli import EXIT_OK, main
from labourint_match.errors import ConfigError
from labourint_match.profiles import ColumnarCohort

T = Taxonomy.default()
M = Matcher(T, ScoringConfig(as_of=date(2026, 1, 1)))
PEOPLE, JOBS = synth.cohort(T, 45, 9, seed=6, as_of=date(2026, 1, 1))
IDS = [p.id for p in PEOPLE] + [v.id for v in JOBS]


@pytest.fixture(params=["tqdm", "plain"])
def reporter(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both reporters: tqdm's bar and, with tqdm hidden, the plain lines."""
    if request.param == "plain":
        monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # import tqdm.auto raises ImportError
    return str(request.param)


def _no_ids(err: str) -> None:
    assert not any(i in err for i in IDS)


def _same_ranking(a: Any, b: Any) -> None:
    assert a.candidate_ids == b.candidate_ids
    assert a.vacancy_ids == b.vacancy_ids
    for name in ("indices", "scores", "reasons"):
        assert getattr(a, name).tobytes() == getattr(b, name).tobytes()


def test_rank_reports_its_stages_on_stderr_only(
    reporter: str, capsys: pytest.CaptureFixture[str]
) -> None:
    quiet = M.rank(PEOPLE, JOBS, top_k=3)
    _same_ranking(M.rank(PEOPLE, JOBS, top_k=3, progress=False), quiet)
    assert capsys.readouterr() == ("", "")
    for by in ("candidate", "vacancy"):
        loud = M.rank(PEOPLE, JOBS, top_k=3, by=by, progress=True)
        _same_ranking(loud, M.rank(PEOPLE, JOBS, top_k=3, by=by))
    out, err = capsys.readouterr()
    assert out == ""
    assert "ranking" in err
    assert "stages" in err
    if reporter == "plain":  # tqdm draws at most every 0.1 s, and erases its bar at the end
        assert "3/3 stages" in err
        assert "ranking: encoding" in err
        assert "ranking: scoring" in err
    _no_ids(err)
    with pytest.raises(ConfigError, match="progress"):
        M.rank(PEOPLE, JOBS, progress="yes")  # type: ignore[arg-type]


def test_rank_chunks_reports_candidates_chunk_by_chunk(
    reporter: str, capsys: pytest.CaptureFixture[str]
) -> None:
    quiet = list(M.rank_chunks(iter(PEOPLE), JOBS, top_k=4, chunk_size=20))
    assert capsys.readouterr() == ("", "")
    for stream, total in ((iter(PEOPLE), ""), (PEOPLE, "/45"),
                          (ColumnarCohort.from_records(PEOPLE), "/45")):  # fmt: skip
        loud = list(M.rank_chunks(stream, JOBS, top_k=4, chunk_size=20, progress=True))
        assert len(loud) == len(quiet) == 3
        for a, b in zip(loud, quiet, strict=True):
            _same_ranking(a, b)
        out, err = capsys.readouterr()
        assert out == ""
        assert "ranking in chunks" in err
        assert "candidates" in err
        if reporter == "plain":
            assert f"45{total} candidates" in err  # the count at the end (of the total if known)
        else:
            assert f"0{total}" in err
        _no_ids(err)
    silent = list(M.rank_chunks(PEOPLE, JOBS, top_k=4, chunk_size=20, progress=False))
    assert np.array_equal(silent[0].indices, quiet[0].indices)
    assert capsys.readouterr() == ("", "")
    with pytest.raises(ConfigError, match="progress"):
        M.rank_chunks(PEOPLE, JOBS, progress=1)  # type: ignore[arg-type]


def test_assign_reports_its_stages_and_places_the_same(
    reporter: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for dense_max in (10**6, 0):  # every pair scored, and pruned
        quiet = M.assign(PEOPLE, JOBS, top_k=3, dense_max_pairs=dense_max)
        assert capsys.readouterr() == ("", "")
        loud = M.assign(PEOPLE, JOBS, top_k=3, dense_max_pairs=dense_max, progress=True)
        assert loud.run_id == quiet.run_id
        assert loud.pairs == quiet.pairs
        assert loud.total_score == quiet.total_score
        assert loud == quiet  # every field (the source of explanations apart)
        out, err = capsys.readouterr()
        assert out == ""
        assert "assigning" in err
        assert "stages" in err
        if reporter == "plain":
            assert "4/4 stages" in err
            assert "assigning: scoring pairs" in err
            assert "assigning: placing" in err
        _no_ids(err)
    M.assign(PEOPLE, JOBS, progress=False)
    assert capsys.readouterr() == ("", "")
    with pytest.raises(ConfigError, match="progress"):
        M.assign(PEOPLE, JOBS, progress="on")  # type: ignore[arg-type]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_cli_turns_progress_on_for_rank_and_assign_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # plain lines: easy to read back
    written = synth.write_cohort(tmp_path / "cohort", T, 12, 4, seed=4)
    files = [str(written.candidates[0]), str(written.vacancies[0])]
    ids = [p.id for p in synth.cohort(T, 12, 4, seed=4).candidates]
    for command, desc in (("rank", "ranking"), ("assign", "assigning")):
        args = [command, *files, "--as-of", "2026-01-01"]
        terminal = _Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        assert main(args, out=io.StringIO()) == EXIT_OK
        err = terminal.getvalue()
        assert f"{desc}: encoding" in err
        assert "stages" in err
        assert not any(i in err for i in ids)
        pipe = io.StringIO()
        monkeypatch.setattr(sys, "stderr", pipe)
        assert main(args, out=io.StringIO()) == EXIT_OK
        assert pipe.getvalue() == ""  # not a terminal: nothing
