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


# -- rows without an id, wrong-typed cells, shards (the review's findings) -----------------------


def _rows(seed: int = 5) -> tuple[list[dict[str, object]], object]:
    people, jobs = synth.cohort(TAXONOMY, 6, 2, seed=seed)
    return [p.model_dump(mode="json") for p in people], jobs


def _write(path: object, rows: list[dict[str, object]], blank: bool = False) -> object:
    lines = [json.dumps({k: v for k, v in r.items() if v is not None}) for r in rows]
    path.write_text(("\n\n" if blank else "\n").join(lines) + "\n")  # type: ignore[attr-defined]
    return path


def _without_id(how: str) -> object:
    rows, _ = _rows()
    if how == "None":
        rows[3]["id"] = None
        return ColumnarCohort.from_arrow(pa.Table.from_pylist(rows), CandidateProfile)
    if how == "missing key":
        del rows[3]["id"]
        return ColumnarCohort.from_arrow(pa.Table.from_pylist(rows), CandidateProfile)
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(rows)
    if how == "NaN":
        frame.loc[3, "id"] = math.nan
    else:  # "no id column": every row lacks one; the first is named
        frame = frame.drop(columns=["id"])
    return ColumnarCohort.from_frame(frame, CandidateProfile)


@pytest.mark.parametrize("how", ["None", "missing key", "NaN", "no id column"])
def test_a_row_without_an_id_is_named_by_its_position(how: str, tmp_path: object) -> None:
    rows, _ = _rows()
    at = 0 if how == "no id column" else 3
    del rows[at]["id"]
    with pytest.raises(ProfileError) as expected:
        load_candidates(_write(tmp_path / "c.jsonl", rows))  # type: ignore[operator]
    with pytest.raises(ProfileError) as got:
        _without_id(how)
    assert type(got.value) is ProfileError
    assert got.value.record == f"row {at}"
    assert expected.value.record == f"line {at + 1} of c.jsonl"
    assert (got.value.field, got.value.message) == (expected.value.field, expected.value.message)


def test_a_wrong_typed_cell_in_a_frame_names_the_column_never_the_value() -> None:
    pd = pytest.importorskip("pandas")
    rows, _ = _rows()
    frame = pd.DataFrame(rows)
    frame["max_commute_km"] = frame["max_commute_km"].astype(object)
    frame.loc[2, "max_commute_km"] = "Anna Svensson, 070-1234567"
    with pytest.raises(ProfileError) as got:
        ColumnarCohort.from_frame(frame, CandidateProfile)
    assert got.value.field == "max_commute_km"
    assert "Anna" not in str(got.value)
    assert "070" not in str(got.value)
    frame = pd.DataFrame(rows)
    frame["id"] = frame["id"].astype(object)
    frame.loc[4, "id"] = 4711
    with pytest.raises(ProfileError) as got:
        ColumnarCohort.from_frame(frame, CandidateProfile)
    assert got.value.field == "id"
    assert "4711" not in str(got.value)


def test_shards_whose_columns_do_not_merge_name_the_column_and_shards(tmp_path: object) -> None:
    rows, _ = _rows()
    plain = [{**r, "skills": [s["skill"] for s in r["skills"]]} for r in rows[3:]]  # type: ignore[attr-defined]
    a = _write(tmp_path / "a.jsonl", rows[:3])  # type: ignore[operator]
    b = _write(tmp_path / "b.jsonl", plain)  # type: ignore[operator]
    with pytest.raises(ProfileError) as got:
        ColumnarCohort.read_jsonl([a, b], CandidateProfile)
    assert got.value.field == "skills"
    assert "a.jsonl" in str(got.value)
    assert "b.jsonl" in str(got.value)
    skill = rows[0]["skills"][0]["skill"]  # type: ignore[index]
    assert str(skill) not in str(got.value)


def test_an_empty_list_of_records_takes_its_kind() -> None:
    people, jobs = synth.cohort(TAXONOMY, 5, 2, seed=7)
    none = ColumnarCohort.from_records([], kind=Vacancy)
    assert none.kind is Vacancy
    assert len(none) == 0
    ranking = MATCHER.rank(people, none)
    assert ranking.candidate_ids == tuple(p.id for p in people)
    assert ranking.vacancy_ids == ()
    assert ColumnarCohort.from_records([]).kind is CandidateProfile
    assert ColumnarCohort.from_records(jobs, kind=Vacancy).ids == tuple(j.id for j in jobs)
    with pytest.raises(ProfileError):
        ColumnarCohort.from_records(people, kind=Vacancy)


def test_an_empty_shard_is_skipped_as_load_candidates_skips_it(tmp_path: object) -> None:
    rows, _ = _rows()
    empty = tmp_path / "empty.jsonl"  # type: ignore[operator]
    empty.write_bytes(b"")
    assert len(load_candidates(empty)) == 0
    assert len(ColumnarCohort.read_jsonl(empty, CandidateProfile)) == 0
    full = _write(tmp_path / "c.jsonl", rows)  # type: ignore[operator]
    cols = ColumnarCohort.read_jsonl([empty, full, empty], CandidateProfile)
    assert cols.ids == tuple(r["id"] for r in rows)


def test_errors_across_shards_name_the_file_and_line(tmp_path: object) -> None:
    rows, jobs = _rows()
    a = _write(tmp_path / "a.jsonl", rows[:2])  # type: ignore[operator]
    b = _write(tmp_path / "b.jsonl", [rows[2], rows[3], rows[0]], blank=True)  # type: ignore[operator]
    with pytest.raises(DuplicateIdError) as got:
        MATCHER.rank(ColumnarCohort.read_jsonl([a, b], CandidateProfile), jobs)
    assert got.value.record == f"{rows[0]['id']} (line 5 of b.jsonl)"
    assert "line 1 of a.jsonl" in got.value.message
    bad = [rows[2], {**rows[3], "skills": [{"skill": "welding", "level": 9}]}]
    b = _write(tmp_path / "b.jsonl", bad, blank=True)  # type: ignore[operator]
    with pytest.raises(ProfileError) as expected:
        load_candidates(b)
    with pytest.raises(ProfileError) as got:
        ColumnarCohort.read_jsonl([a, b], CandidateProfile)
    assert got.value.record == expected.value.record == f"{rows[3]['id']} (line 3 of b.jsonl)"
    assert got.value.field == expected.value.field


_ODD_COLUMNS = {
    "skills a string": {"skills": "welding"},
    "skills lists of lists": {"skills": [["welding"]]},
    "known_none a string": {"known_none": "skills"},
    "a language code a list": {"languages": [{"language": ["sv"]}]},
    "an experience title a number": {"experience": [{"title": 5}]},
}


@pytest.mark.parametrize("change", _ODD_COLUMNS.values(), ids=list(_ODD_COLUMNS))
def test_a_column_of_another_shape_is_the_model_s_error(
    change: dict[str, object], tmp_path: object
) -> None:
    row = {"id": "c-1", "skills": ["welding"], **change}
    path = tmp_path / "c.jsonl"  # type: ignore[operator]
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(ProfileError) as expected:
        load_candidates(path)
    with pytest.raises(ProfileError) as got:
        ColumnarCohort.from_arrow(pa.Table.from_pylist([row]), CandidateProfile)
    assert got.value.record == "c-1 (row 0)"
    assert (got.value.field, got.value.message) == (expected.value.field, expected.value.message)


@pytest.mark.parametrize("seed", [4, 5])
def test_replacing_rows_splices_exactly_what_concat_and_take_give(seed: int) -> None:
    """Routing a cohort's language skills replaces its rows in place: every column as before."""
    from dataclasses import fields

    from labourint_match.profiles._columns import candidate_columns, vacancy_columns

    people, jobs = synth.cohort(TAXONOMY, 60, 25, seed=seed, as_of=date(2026, 1, 1))
    other_people, other_jobs = synth.cohort(TAXONOMY, 9, 9, seed=seed + 10, as_of=date(2026, 1, 1))
    rng = np.random.default_rng(seed)
    for cols, other in ((candidate_columns(people), candidate_columns(other_people[:7])),
                        (vacancy_columns(jobs), vacancy_columns(other_jobs[:7]))):  # fmt: skip
        for rows in ([0], [len(cols) - 1], sorted(rng.choice(len(cols), 7, replace=False))):
            sub = other.take(np.arange(len(rows), dtype=np.int64))
            new = cols.replaced(rows, sub)
            order = np.arange(len(cols), dtype=np.int64)
            order[rows] = np.arange(len(cols), len(cols) + len(rows))
            old = cols.concat(sub).take(order)
            for f in fields(cols):
                if f.name == "record":
                    continue
                a, b = getattr(new, f.name), getattr(old, f.name)
                if isinstance(a, np.ndarray):
                    assert a.dtype == b.dtype, f.name
                    assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), f.name
                else:
                    assert a == b, f.name
            assert [new.record(i).id for i in range(len(cols))] == list(new.id)
