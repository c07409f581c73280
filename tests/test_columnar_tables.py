"""read_columnar: a spreadsheet read with the tables' mapping and cell rules, straight to columns.

What users rely on: the cohort ranks and assigns exactly as the records read_candidates and
read_vacancies give (bit-identical scores), and a bad table raises the error those raise, naming
the row and the column, never a cell's content.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

import numpy as np
import pytest

pytest.importorskip("pyarrow")

from labourint_match import (
    CandidateProfile,
    ConfigError,
    Matcher,
    ProfileError,
    ScoringConfig,
    Taxonomy,
    UnknownConceptError,
    Vacancy,
    read_candidates,
    read_vacancies,
)
from labourint_match.profiles import ColumnarCohort
from labourint_match.tables import read_columnar

MARKER = "ZZSECRET"
COOK = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
TAXONOMY = Taxonomy.default()
SKILLS = [r.skill for r in TAXONOMY.occupation_skills(COOK)]


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _people() -> bytes:
    s = SKILLS
    return _csv(
        "Client;Skills;Språk;Utbildning;Region;lat;lon;Pendling;Status;Permit from;Can start;"
        "Hours;Experience;Notes",
        f"c-1;{s[0]}, {s[1]}, {s[2]};sv:B1, arabiska (modersmål);gymnasium;SE110;59.33;18.06;"
        f"30 km;refugee;2026-02-01;15.01.2026;full time;{COOK} 30 months;{MARKER}",
        f"c-2;{s[3]} | {s[4]};none;none;SE110;;;;citizen;;;any;none;",
        f"c-3;{s[0]};Swedish B2, en C1;ISCED 5;SE121;;;;work permit;2025-12-01;2026/03/01;"
        f"part time;;{MARKER}",
        "c-4;order supplies, städning;uk native, sv A2;bachelor;;;;;temporary protection;;;;;",
        f"c-5;{s[1]}| {s[5]}| {s[6]};;;;;;;;;;;;",
        # a row the column checks send to the model (a language the model normalises)
        f"c-6;{s[2]};SV:b1;3;SE110;59.5;18.1;10;refugee;;;;;",
    )


def _jobs() -> bytes:
    s = SKILLS
    return _csv(
        "id;skills;optional_skills;languages;min_isced;region;lat;lon;remote;openings;"
        "start_date;support",
        f"v-1;{s[0]}, {s[1]};{s[2]};sv B1, en A2 (optional);3;SE110;59.3;18.0;no;2;2026-03-01;"
        "mentor + SFI",
        f"v-2;{s[3]};{s[4]}, {s[5]};;;SE110;;;yes;1;;none",
        f"v-3;{s[1]}, order supplies;;sv:B2;upper secondary;SE121;;;;3;01.04.2026;wage subsidy",
        f"v-4;{s[6]};;;;;;;;;;",
    )


def _same_ranking(a: Any, b: Any) -> None:
    assert a.candidate_ids == b.candidate_ids
    assert a.vacancy_ids == b.vacancy_ids
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.scores, b.scores)  # bit-identical


def test_read_columnar_ranks_and_assigns_exactly_as_the_records_of_the_same_table() -> None:
    mapping = {"id": "Client", "languages": "Språk", "isced_level": "Utbildning",
               "max_commute_km": "Pendling", "work_status": "Status",
               "work_allowed_from": "Permit from", "available_from": "Can start"}  # fmt: skip
    people = read_columnar(_people(), CandidateProfile, mapping)
    jobs = read_columnar(_jobs(), Vacancy)
    assert isinstance(people, ColumnarCohort)
    assert isinstance(jobs, ColumnarCohort)
    records = read_candidates(_people(), mapping)
    vacancies = read_vacancies(_jobs())
    assert people.ids == records.ids
    assert jobs.ids == vacancies.ids
    assert list(people) == list(records)
    assert list(jobs) == list(vacancies)
    matcher = Matcher(TAXONOMY, ScoringConfig(as_of=date(2026, 1, 1)))
    for by in ("candidate", "vacancy"):
        _same_ranking(matcher.rank(people, jobs, top_k=3, by=by),
                      matcher.rank(records, vacancies, top_k=3, by=by))  # fmt: skip
    a = matcher.assign(people, jobs)
    b = matcher.assign(records, vacancies)
    assert a.pairs == b.pairs
    assert a.total_score == b.total_score


def test_read_columnar_reads_a_dataframe_as_read_candidates_does() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {"id": ["c-1", "c-2"], "skills": [[SKILLS[0], SKILLS[1]], SKILLS[2]],
         "languages": ["sv:B1", None], "available_from": [pd.Timestamp("2026-02-01"), None],
         "lat": [59.3, None], "lon": [18.0, None]}
    )  # fmt: skip
    people = read_columnar(frame, CandidateProfile)
    assert list(people) == list(read_candidates(frame))
    assert people.label(1) == "c-2 (row 1)"


BAD_CANDIDATES = [
    # (rows after the header "id;skills;languages;available_from;lat;lon", why)
    ([f"c-1;welding;sv:B1;03/04/2026 {MARKER};;"], "an ambiguous date"),
    (["c-1;welding;sv:B1;;;", f"c-2;cooking;Swedish fluent {MARKER};;;"], "a language"),
    (["c-1;welding;;;59.3;", "c-2;cooking;;;;"], "lat without lon (the model's rule)"),
    (["c-1;welding;;;;", "c-2;cooking;;;;", "c-1;baking;;;;"], "a repeated id"),
    (["c-1;welding;;;;", f"c-2;{MARKER}\x07x;;;;"], "a control character (the model's rule)"),
    (["c-1;welding;;;;", f"c-2;{MARKER * 40};;;;"], "a skill too long (the model's rule)"),
    (["c-1;welding;sv:B1;;;", "c-2;cooking;sv:B1, svenska C1;;;"], "a language twice"),
    ([";welding;;;;", "c-2;x;;31.02.2026;91;"], "no id, then a bad date and latitude"),
]


@pytest.mark.parametrize(("rows", "why"), BAD_CANDIDATES, ids=[w for _, w in BAD_CANDIDATES])
def test_a_bad_table_raises_the_error_of_read_candidates_naming_row_and_column(
    rows: list[str], why: str
) -> None:
    data = _csv("id;skills;languages;available_from;lat;lon", *rows)
    with pytest.raises(ProfileError) as expected:
        read_candidates(data)
    with pytest.raises(ProfileError) as caught:
        read_columnar(data, CandidateProfile)
    want, got = expected.value, caught.value
    assert type(got) is type(want), why
    assert (got.record, got.field) == (want.record, want.field), why
    assert got.message.split(" (and ")[0] == want.message.split(" (and ")[0], why
    assert ("more problem" in got.message) == ("more problem" in want.message)
    assert MARKER not in str(got), why


def test_a_taxonomy_names_the_row_and_column_of_an_unknown_or_wrong_concept() -> None:
    unknown = "http://data.europa.eu/esco/skill/no-such-skill"
    for rows, kind in (
        ([f"c-1\t{SKILLS[0]}", f"c-2\t{unknown}"], UnknownConceptError),
        ([f"c-1\t{SKILLS[0]}", f"c-2\t{COOK}"], ProfileError),  # an occupation as a skill
    ):
        data = _csv("id\tskills", *rows)
        with pytest.raises(kind) as expected:
            read_candidates(data, taxonomy=TAXONOMY)
        with pytest.raises(kind) as caught:
            read_columnar(data, CandidateProfile, taxonomy=TAXONOMY)
        assert type(caught.value) is type(expected.value)
        assert (caught.value.record, caught.value.field) == ("c-2 (line 3 of <bytes>)", "skills")
        assert (caught.value.record, caught.value.field) == (
            expected.value.record, expected.value.field)  # fmt: skip
    good = read_columnar(_csv("id\tskills", f"c-1\t{SKILLS[0]}"), CandidateProfile,
                         taxonomy=TAXONOMY)  # fmt: skip
    assert good.ids == ("c-1",)


def test_matcher_errors_on_a_columnar_table_name_the_line() -> None:
    people = read_columnar(_csv("id;skills", "c-1;welding", "c-2;cooking"), CandidateProfile)
    assert people.label(1) == "c-2 (line 3 of <bytes>)"
    other = Taxonomy.default()
    unknown = "http://data.europa.eu/esco/skill/no-such-skill"
    people = read_columnar(_csv("id;skills", "c-1;welding", f"c-2;{unknown}"), CandidateProfile)
    with pytest.raises(UnknownConceptError) as caught:
        Matcher(other).rank(people, read_vacancies(_csv("id,skills", "v-1,welding")))
    assert caught.value.record == "c-2 (line 3 of <bytes>)"


def test_read_columnar_refuses_other_kinds_and_an_evidence_for_vacancies() -> None:
    with pytest.raises(ConfigError, match="kind"):
        read_columnar(_csv("id", "c-1"), dict)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="evidence"):
        read_columnar(_csv("id", "v-1"), Vacancy, evidence="validated")
    assert len(read_columnar(_csv("id"), Vacancy)) == 0
    assert read_columnar(_csv("id,skills", "c-1,x"), CandidateProfile,
                         evidence="validated")[0].skills[0].evidence == "validated"  # fmt: skip


def test_a_link_in_a_skills_cell_is_not_quoted_but_a_mistyped_concept_uri_is() -> None:
    """A pasted link or address may carry personal data: errors show its scheme only."""
    link = f"https://example.org/cv/{MARKER}-anna-850101"
    mistyped = "http://data.europa.eu/esco/skill/no-such-skill"
    for cell, shown in ((link, "'https://…'"), (f"urn:person:{MARKER}", "'urn:…'"),
                        (mistyped, repr(mistyped))):  # fmt: skip
        data = _csv("id\tskills", f"c-1\t{SKILLS[0]}", f"c-2\t{cell}")
        for read in (
            partial(read_candidates, data),
            partial(read_columnar, data, CandidateProfile),
        ):
            with pytest.raises(UnknownConceptError) as caught:
                read(taxonomy=TAXONOMY)
            assert MARKER not in str(caught.value)
            assert f"unknown concept URI {shown}" in str(caught.value)
            assert caught.value.uri == cell  # the whole value stays on the error, for code
            assert (caught.value.record, caught.value.field) == ("c-2 (line 3 of <bytes>)",
                                                                 "skills")  # fmt: skip


def test_a_number_too_long_to_read_is_a_profile_error_naming_row_and_column() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"id": ["v-1"], "openings": pd.Series([10**5000], dtype=object)})
    before = frame.copy()
    for read in (lambda: read_vacancies(frame), lambda: read_columnar(frame, Vacancy)):
        with pytest.raises(ProfileError, match="too long to read") as caught:
            read()
        assert caught.value.field == "openings"
        assert str(caught.value.record).startswith("v-1")
    assert frame.equals(before)
