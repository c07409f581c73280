"""Fuzzing read_candidates / read_vacancies: a table reads, or raises a ProfileError/ConfigError.

Tables are written with the csv module from cells drawn from the spellings the readers know
(languages, dates, keywords, numbers, URIs), their near misses, free text carrying a marker,
Unicode oddities and list cells joined with any separator; some files are then damaged byte by
byte, and some are raw bytes after a header. Each table is read strict and lenient, with any
``dayfirst``, small limits and sometimes a taxonomy (lenient only: strict mode may also raise
``UnknownConceptError`` for a URI the taxonomy does not hold, by design). The properties: nothing
but a ``ProfileError`` or ``ConfigError`` escapes; no message or problem shows the marker; what
reads holds valid records that round-trip through JSON, and every row is a record, a bad row or
blank; nothing passed in (a DataFrame, the column mapping) is changed; a DataFrame of the same
text cells reads as the CSV file does.
"""

from __future__ import annotations

import copy
import csv
import io
import os
from datetime import timedelta
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labourint_match import (
    CandidateProfile,
    Cohort,
    ConfigError,
    ProfileError,
    TableReport,
    Taxonomy,
    Vacancy,
    read_candidates,
    read_vacancies,
)

MARKER = "ZZSECRET"
SCALE = int(os.environ.get("LABOURINT_FUZZ_SCALE", "1"))
FUZZ = settings(
    max_examples=100 * SCALE,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
COOK = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
WELD = "http://data.europa.eu/esco/skill/2fcd95a4-1f9a-41cf-95a9-4701bde476b4"

CANDIDATE_HEADERS = [
    "Client",
    "skills",
    "Other skills",
    "languages",
    "isced_level",
    "education_field",
    "experience",
    "available_from",
    "work_status",
    "work_allowed_until",
    "hours",
    "lat",
    "lon",
    "max_commute_km",
    "region",
    "preferred_occupations",
    "nat",
    "Notes",
]
CANDIDATE_COLUMNS: dict[str, Any] = {
    "id": "Client",
    "skills": ["skills", "Other skills"],
    "nationality": "nat",
}
VACANCY_HEADERS = [
    "id",
    "occupation",
    "skills",
    "optional_skills",
    "languages",
    "min_isced",
    "min_experience_months",
    "openings",
    "start_date",
    "support",
    "remote",
    "mentor",
    "hours",
    "Notes",
]

TOKENS = [
    "sv:B1", "sv-b2", "Swedish B1", "svenska (modersmål)", "Arabic native", "uk native",
    "العربية (اللغة الأم)", "Swedish fluent", "B1", "no", "none", "ingen", "n/a", "-", "?",
    "en A2 optional", "sv native", "2026-01-01", "2026-01-01T10:00:00Z", "01.03.2026",
    "13/03/2026", "03/04/2026", "31.02.2026", "01.03.26", "46082", "heltid", "part time",
    "any", "refugee", "temporary protection", "asylum seeker", "eu citizen", "recognised",
    "mentor + SFI", "lönestöd", "free lunch", "3", "0", "-1", "two", "1,000", "12,5 km",
    "59.3", "1e309", "nan", "inf", "yes", "x", "nej", "upper secondary", "ISCED 9", "PhD",
    "30 months", "2 years", f"{COOK} 30", "cook 3 years", COOK, WELD, "urn:x", "http://x",
    "0731", "SE110", "welding", "städa rum", "تنظيف الأسطح", "٣", "\u200b", "\u202e", "\x00",
    " ", "", '"', "'", ";", ",", "|", "\n", "\r\n", "•", "،",
]  # fmt: skip
TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",)),
    max_size=30,
)
ATOM = st.one_of(
    st.sampled_from(TOKENS),
    TEXT,
    TEXT.map(lambda t: f"{MARKER}{t}"),
    st.sampled_from(TOKENS).map(lambda t: f"{t} {MARKER}"),
)
CELL = st.one_of(
    ATOM,
    st.tuples(
        st.lists(ATOM, max_size=4), st.sampled_from([";", ",", "|", "\n", " • ", "، ", " + "])
    ).map(lambda pair: pair[1].join(pair[0])),
    st.just("x" * 400),
)
ID = st.one_of(
    st.sampled_from(["c-1", "c-2", "v-1", "", " c-3", "c\u200b4", "C-1", "c-1\u0301", "a" * 300]),
    st.text(alphabet="abc-123", min_size=1, max_size=6),
)


@cache
def _taxonomy() -> Taxonomy:
    return Taxonomy.default()


@st.composite
def rows(draw: st.DrawFn, headers: list[str]) -> list[list[str]]:
    n = draw(st.integers(0, 6))
    out = []
    for _ in range(n):
        width = draw(
            st.sampled_from([len(headers), len(headers), len(headers) - 3, len(headers) + 1])
        )
        cells = [draw(ID)] + [draw(CELL) for _ in range(max(0, width - 1))]
        out.append(cells)
    return out


def _csv(headers: list[str], body: list[list[str]], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(body)
    return out.getvalue().encode("utf-8")


def _damaged(data: bytes, edits: list[tuple[int, bytes]]) -> bytes:
    for position, junk in edits:
        at = position % (len(data) + 1)
        data = data[:at] + junk + data[at + len(junk) :]
    return data


def _check(result: Any, model: type[Any]) -> None:
    if isinstance(result, TableReport):
        for problem in result.problems:
            assert MARKER not in repr(problem)
        assert list(result.problems) == sorted(result.problems, key=lambda p: p.row)
        assert len(result.records) + len(result.bad_rows) <= result.rows_read
        kept_ids = set(result.records.ids)
        assert all(p.record not in kept_ids for p in result.problems if p.record is not None)
        cohort = result.records
    else:
        cohort = result
    assert isinstance(cohort, Cohort)
    for record in cohort:
        assert isinstance(record, model)
        assert model.model_validate_json(record.model_dump_json()) == record


def _read(model: type[Any], source: Any, columns: Any, options: dict[str, Any]) -> Any:
    read = read_candidates if model is CandidateProfile else read_vacancies
    error: ProfileError | ConfigError | None = None
    try:
        result = read(source, columns, **options)
    except (ProfileError, ConfigError) as err:
        error = err
    if error is not None:
        assert MARKER not in str(error)
        return error
    _check(result, model)
    return result


OPTIONS = st.fixed_dictionaries(
    {
        "lenient": st.booleans(),
        "dayfirst": st.sampled_from([None, True, False]),
    },
    optional={
        "max_cell_length": st.sampled_from([8, 300, 100_000]),
        "max_rows": st.integers(1, 4),
        "separators": st.sampled_from([";", ";,|\n", "/"]),
    },
)


@FUZZ
@given(
    kind=st.sampled_from(["candidate", "vacancy"]),
    data=st.data(),
    delimiter=st.sampled_from([",", ";", "\t"]),
    options=OPTIONS,
    with_taxonomy=st.booleans(),
    edits=st.lists(
        st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=4)), max_size=3
    ),
)
def test_any_csv_table_reads_or_raises_a_profile_or_config_error(
    kind: str,
    data: st.DataObject,
    delimiter: str,
    options: dict[str, Any],
    with_taxonomy: bool,
    edits: list[tuple[int, bytes]],
) -> None:
    model = CandidateProfile if kind == "candidate" else Vacancy
    headers = CANDIDATE_HEADERS if kind == "candidate" else VACANCY_HEADERS
    columns = copy.deepcopy(CANDIDATE_COLUMNS) if kind == "candidate" else None
    columns_before = copy.deepcopy(columns)
    body = data.draw(rows(headers))
    source = _damaged(_csv(headers, body, delimiter), edits)
    if with_taxonomy and options["lenient"]:
        options = {**options, "taxonomy": _taxonomy()}
    _read(model, source, columns, options)
    assert columns == columns_before


@FUZZ
@given(
    head=st.sampled_from(
        [b"", b"id,skills\n", b"id;languages;available_from\r\n", b"\xef\xbb\xbfid\n"]
    ),
    tail=st.binary(max_size=200),
    lenient=st.booleans(),
)
def test_raw_bytes_read_or_raise_a_profile_or_config_error(
    head: bytes, tail: bytes, lenient: bool
) -> None:
    for model in (CandidateProfile, Vacancy):
        _read(model, head + tail, None, {"lenient": lenient})


@FUZZ
@given(data=st.data(), options=OPTIONS)
def test_a_dataframe_reads_as_its_csv_and_is_left_unchanged(
    data: st.DataObject, options: dict[str, Any]
) -> None:
    pandas = pytest.importorskip("pandas")
    headers = CANDIDATE_HEADERS
    body = [(row + [""] * len(headers))[: len(headers)] for row in data.draw(rows(headers))]
    frame = pandas.DataFrame(body, columns=headers, dtype=object)
    before = frame.copy(deep=True)
    from_frame = _read(CandidateProfile, frame, CANDIDATE_COLUMNS, options)
    pandas.testing.assert_frame_equal(frame, before)
    from_csv = _read(CandidateProfile, _csv(headers, body, ","), CANDIDATE_COLUMNS, options)
    if isinstance(from_csv, Exception) or isinstance(from_frame, Exception):
        assert type(from_csv) is type(from_frame)
        return
    if isinstance(from_csv, TableReport):
        assert isinstance(from_frame, TableReport)
        assert [(p.row, p.record, p.column, p.field) for p in from_csv.problems] == [
            (p.row, p.record, p.column, p.field) for p in from_frame.problems
        ]
        assert [p.message for p in from_csv.problems if "also used" not in p.message] == [
            p.message for p in from_frame.problems if "also used" not in p.message
        ]
        from_csv, from_frame = from_csv.records, from_frame.records
    assert from_csv.records == from_frame.records


def test_an_unreadable_dataframe_cell_is_a_problem_not_a_crash() -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(
        {"id": ["a", "b", "c"], "skills": [object(), [["nested"]], {1, 2}]}, dtype=object
    )
    report = read_candidates(frame, lenient=True)
    assert report.bad_rows == (0, 1, 2)
