"""progress_bar: one reporter per step, closed at the end, for any total (0 and unknown too)."""

from __future__ import annotations

import re
import sys
from datetime import date

import pytest

from labourint_match import Matcher, ScoringConfig, Taxonomy
from labourint_match._progress import progress_bar
from labourint_match.analysis import training_needs

PLAIN_LINE = re.compile(r"\(\d+\.\d s\)")  # how the tqdm-less reporter ends its lines


@pytest.mark.parametrize("total", [0, None, 3])
def test_with_tqdm_one_tqdm_bar_reports_and_is_closed(
    total: int | None, capsys: pytest.CaptureFixture[str]
) -> None:
    tqdm = pytest.importorskip("tqdm.auto").tqdm
    with progress_bar(total, "counting", True, unit="things") as bar:
        bar.update(3 if total is None else total)
    assert isinstance(bar, tqdm)
    assert bar.disable  # tqdm's close() disables the bar: it was closed
    out, err = capsys.readouterr()
    assert out == ""
    assert not PLAIN_LINE.search(err)  # no plain reporter beside the bar


def test_training_needs_of_empty_cohorts_prints_one_bar(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("tqdm.auto")
    matcher = Matcher(Taxonomy.default(), ScoringConfig(as_of=date(2026, 1, 1)))
    assert training_needs(matcher, [], [], progress=True, as_frame=False) == []
    out, err = capsys.readouterr()
    assert out == ""
    assert not PLAIN_LINE.search(err)


@pytest.mark.parametrize(("total", "line"), [(0, "counting: 0/0 things"),
                                             (None, "counting: 3 things")])  # fmt: skip
def test_without_tqdm_plain_lines_report_any_total(
    total: int | None, line: str, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # import tqdm.auto raises ImportError
    with progress_bar(total, "counting", True, unit="things") as bar:
        bar.update(3 if total is None else total)
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip().startswith(line)
    assert PLAIN_LINE.search(err)
