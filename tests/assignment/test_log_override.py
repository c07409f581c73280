"""log_override: an adviser override's recording and withdrawal in the decision log."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from labourint_match import __version__
from labourint_match.assignment import Override, log_override
from labourint_match.assignment._log import OVERRIDE_EVENT_KEYS, logging_override
from labourint_match.errors import ConfigError

REASON = "the person declined this employer after the interview"


@pytest.fixture
def override() -> Override:
    return Override(candidate_id="c-17", vacancy_id="v-3", reason=REASON, adviser="adv-2")


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_a_recorded_and_a_withdrawn_override_are_two_parseable_lines(
    tmp_path: Path, override: Override
) -> None:
    log = tmp_path / "decisions.jsonl"
    when = datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc)
    log_override(log, override, "forbidden", "recorded", by="adv-2", time=when)
    log_override(log, override, "forbidden", "withdrawn", by="adv-5")
    first, second = _lines(log)
    assert tuple(first) == tuple(second) == OVERRIDE_EVENT_KEYS
    assert first == {
        "time": "2026-03-01T09:30:00.000000+00:00", "candidate_id": "c-17", "vacancy_id": "v-3",
        "decision": "forbidden", "event": "recorded", "reason": REASON, "adviser": "adv-2",
        "by": "adv-2", "library_version": __version__,
    }  # fmt: skip
    assert (second["event"], second["adviser"], second["by"]) == ("withdrawn", "adv-2", "adv-5")
    assert log.stat().st_mode & 0o077 == 0  # created owner-only, as a run's log is


def test_a_torn_last_line_is_cut_off_before_the_event_is_appended(
    tmp_path: Path, override: Override
) -> None:
    log = tmp_path / "decisions.jsonl"
    log.write_text('{"whole": 1}\n{"torn":', encoding="utf-8")
    with pytest.warns(Warning, match="incomplete line"):
        log_override(log, override, "fixed", "recorded", by="adv-2")
    lines = _lines(log)
    assert lines[0] == {"whole": 1}
    assert lines[1]["decision"] == "fixed"


def test_the_line_is_taken_back_out_when_the_block_fails(
    tmp_path: Path, override: Override
) -> None:
    log = tmp_path / "decisions.jsonl"
    log_override(log, override, "fixed", "recorded", by="adv-2")
    before = log.read_bytes()
    seen: list[int] = []

    def store_refuses() -> None:
        with logging_override(log, override, "fixed", "withdrawn", by="adv-2"):
            seen.append(len(_lines(log)))  # written before the block runs
            raise RuntimeError("the store refused it")

    with pytest.raises(RuntimeError):
        store_refuses()
    assert seen == [2]
    assert log.read_bytes() == before


@pytest.mark.parametrize(
    ("decision", "event", "by"),
    [("fix", "recorded", "a"), ("fixed", "deleted", "a"), ("fixed", "recorded", " a"),
     ("fixed", "recorded", "")],
)  # fmt: skip
def test_bad_values_are_refused_before_anything_is_written(
    tmp_path: Path, override: Override, decision: str, event: str, by: str
) -> None:
    log = tmp_path / "decisions.jsonl"
    with pytest.raises(ConfigError):
        log_override(log, override, decision, event, by=by)  # type: ignore[arg-type]
    assert not log.exists()


def test_a_path_that_is_not_a_regular_file_is_refused(tmp_path: Path, override: Override) -> None:
    with pytest.raises(ConfigError, match="directory"):
        log_override(tmp_path, override, "fixed", "recorded", by="adv-2")
