"""The columnar path (ColumnarCohort) gives what the object path gives: rankings, errors."""

from __future__ import annotations

import json
import math
from datetime import date

import numpy as np
import pytest

pa = pytest.importorskip("pyarrow")

from labourint_match import Matcher, ScoringConfig, Taxonomy, synth  # noqa: E402
from labourint_match.errors import DuplicateIdError, ProfileError, UnknownConceptError  # noqa: E402
from labourint_match.profiles import (  # noqa: E402
    CandidateProfile,
    ColumnarCohort,
    Vacancy,
    load_candidates,
)

TAXONOMY = Taxonomy.default()
MATCHER = Matcher(TAXONOMY, ScoringConfig(as_of=date(2026, 1, 1)))


def _table(records: list[object]) -> object:
    return pa.Table.from_pylist([r.model_dump() for r in records])  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_columns_rank_and_assign_exactly_as_objects(seed: int) -> None:
    people, jobs = synth.cohort(TAXONOMY, 400, 80, seed=seed, as_of=date(2026, 1, 1))
    cols = ColumnarCohort.from_arrow(_table(list(people)), CandidateProfile)
    vcols = ColumnarCohort.from_arrow(_table(list(jobs)), Vacancy)
    for by in ("candidate", "vacancy"):
        a = MATCHER.rank(people, jobs, top_k=5, by=by)
        b = MATCHER.rank(cols, vcols, top_k=5, by=by)
        assert a.candidate_ids == b.candidate_ids
        assert a.vacancy_ids == b.vacancy_ids
        assert np.array_equal(a.indices, b.indices)
        assert np.array_equal(a.scores, b.scores)
        assert np.array_equal(a.reasons, b.reasons)
    chunks_a = list(MATCHER.rank_chunks(people, jobs, top_k=3, chunk_size=150))
    chunks_b = list(MATCHER.rank_chunks(cols, vcols, top_k=3, chunk_size=150))
    assert [c.candidate_ids for c in chunks_a] == [c.candidate_ids for c in chunks_b]
    assert all(np.array_equal(x.scores, y.scores) for x, y in zip(chunks_a, chunks_b, strict=True))
    x = MATCHER.assign(people[:120], jobs[:30])
    y = MATCHER.assign(cols.rows(0, 120), vcols.rows(0, 30))
    assert x.total_score == y.total_score
    assert x.pairs == y.pairs
    placed = x.pairs[0]
    assert x.explain(placed.candidate_id).score == y.explain(placed.candidate_id).score


def test_a_row_is_built_as_its_record_only_when_asked() -> None:
    people, _ = synth.cohort(TAXONOMY, 30, 1, seed=4)
    cols = ColumnarCohort.from_arrow(_table(list(people)), CandidateProfile)
    assert cols[7] == people[7]
    assert cols.ids == tuple(p.id for p in people)


def _bad_rows() -> list[tuple[str, dict[str, object]]]:
    uri = "http://data.europa.eu/esco/skill/no-such-skill"
    return [
        ("bad level", {"skills": [{"skill": "welding", "level": 9}]}),
        ("NaN commute", {"max_commute_km": math.nan}),
        ("over-long title", {"experience": [{"title": "x" * 600}]}),
        ("bad CEFR", {"languages": [{"language": "sv", "level": "D9"}]}),
        ("no skills", {"skills": None}),
        ("unknown concept", {"skills": [{"skill": uri}]}),
    ]


@pytest.mark.parametrize(("what", "change"), _bad_rows(), ids=[w for w, _ in _bad_rows()])
def test_a_bad_cell_raises_the_error_the_object_path_raises(
    what: str, change: dict[str, object], tmp_path: object
) -> None:
    people, jobs = synth.cohort(TAXONOMY, 6, 2, seed=5)
    rows = [p.model_dump(mode="json") for p in people]
    rows[3] = {**rows[3], **change}
    path = tmp_path / "c.jsonl"  # type: ignore[operator]
    path.write_text("\n".join(json.dumps({k: v for k, v in r.items() if v is not None},
                                         allow_nan=True) for r in rows))  # fmt: skip
    errors = (ProfileError, UnknownConceptError)
    with pytest.raises(errors) as expected:
        MATCHER.rank(load_candidates(path), jobs)
    with pytest.raises(errors) as got:
        MATCHER.rank(ColumnarCohort.from_arrow(pa.Table.from_pylist(rows), CandidateProfile), jobs)
    assert type(got.value) is type(expected.value)
    assert got.value.field == expected.value.field
    if isinstance(expected.value, ProfileError):
        assert got.value.message == expected.value.message  # type: ignore[union-attr]
    assert got.value.record == "c000004 (row 3)"


def test_a_duplicate_id_is_the_same_error_on_both_paths() -> None:
    people, jobs = synth.cohort(TAXONOMY, 6, 2, seed=6)
    twice = [*people, people[2]]
    with pytest.raises(DuplicateIdError) as expected:
        MATCHER.rank(twice, jobs)
    with pytest.raises(DuplicateIdError) as got:
        MATCHER.rank(ColumnarCohort.from_arrow(_table(twice), CandidateProfile), jobs)
    assert got.value.field == expected.value.field == "id"
    assert got.value.message == expected.value.message.replace("item 2", "row 2")


def test_a_row_the_model_would_normalise_is_read_through_the_model() -> None:
    person = CandidateProfile(id="c-1", skills=["welding"], languages=[{"language": "sv"}])
    row = {**person.model_dump(), "languages": [{"language": "SV", "level": "b1"}]}
    cols = ColumnarCohort.from_arrow(pa.Table.from_pylist([row]), CandidateProfile)
    assert cols.columns.lang_code == ["sv"]  # type: ignore[attr-defined]
    assert cols[0].languages[0].level == "B1"
