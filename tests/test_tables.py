"""read_candidates / read_vacancies: CSV files and DataFrames in, cell by cell, strict, lenient."""

from __future__ import annotations

import copy
import csv
import io
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from labourint_match import (
    Cohort,
    ConfigError,
    DuplicateIdError,
    ProfileError,
    SkillResolver,
    TableProblem,
    TableReport,
    Taxonomy,
    UnknownConceptError,
    read_candidates,
    read_vacancies,
)
from labourint_match.tables import (
    CANDIDATE_FIELDS,
    MAX_TABLE_CELL_LENGTH,
    VACANCY_FIELDS,
)

FIXTURES = Path(__file__).parent / "fixtures"
MARKER = "ZZSECRET"
COOK = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"


def table(*rows: str, delimiter: str = ",") -> bytes:
    """A CSV file's bytes from rows given as lists of cells joined by `delimiter`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for row in rows:
        writer.writerow(row.split("\t"))
    return out.getvalue().encode("utf-8")


def one(header: str, cell: str, **options: Any) -> Any:
    """The one candidate read from a table with an id column and one more column."""
    return read_candidates(table(f"id\t{header}", f"c-1\t{cell}"), **options)[0]


def one_vacancy(header: str, cell: str, **options: Any) -> Any:
    return read_vacancies(table(f"id\t{header}", f"v-1\t{cell}"), **options)[0]


def problem_of(header: str, cell: str, *, vacancy: bool = False, **options: Any) -> TableProblem:
    read = read_vacancies if vacancy else read_candidates
    report = read(table(f"id\t{header}", f"r-1\t{cell}"), lenient=True, **options)
    assert len(report.records) == 0
    assert len(report.problems) == 1, report.problems
    return report.problems[0]


# -- list cells -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        "welding; cooking",
        "welding, cooking",
        "welding | cooking",
        "welding\ncooking",
        "- welding\n- cooking",
        "• welding • cooking",
        "1. welding\n2. cooking",
        "welding،cooking",
        "welding;;  ; cooking;",
    ],
)
def test_list_cells_split_on_the_usual_separators(cell: str) -> None:
    assert [s.skill for s in one("skills", cell).skills] == ["welding", "cooking"]


def test_separators_can_be_changed_for_skills_holding_commas() -> None:
    person = one("skills", "clean, tidy rooms; cooking", separators=";")
    assert [s.skill for s in person.skills] == ["clean, tidy rooms", "cooking"]


def test_several_columns_feed_one_list_field_and_evidence_applies_to_every_claim() -> None:
    people = read_candidates(
        table("Client\tSkills\tOther skills", "c-1\twelding\tcooking, baking"),
        {"id": "Client", "skills": ["Skills", "Other skills"]},
        evidence="adviser_mapped",
    )
    assert [(s.skill, s.evidence) for s in people[0].skills] == [
        ("welding", "adviser_mapped"),
        ("cooking", "adviser_mapped"),
        ("baking", "adviser_mapped"),
    ]


def test_concept_uris_in_list_cells_are_kept_whole() -> None:
    uri = "http://data.europa.eu/esco/skill/2fcd95a4-1f9a-41cf-95a9-4701bde476b4"
    assert [s.skill for s in one("skills", f"{uri}; welding").skills] == [uri, "welding"]


# -- languages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("sv:B1", ("sv", "B1", False)),
        ("sv-b1", ("sv", "B1", False)),
        ("sv B1", ("sv", "B1", False)),
        ("SV=B1+", ("sv", "B1", False)),
        ("Swedish B1", ("sv", "B1", False)),
        ("swedish: level b1", ("sv", "B1", False)),
        ("B1 Swedish", ("sv", "B1", False)),
        ("svenska (modersmål)", ("sv", None, True)),
        ("Svenska – modersmål", ("sv", None, True)),
        ("native Arabic", ("ar", None, True)),
        ("Arabic - native speaker", ("ar", None, True)),
        ("uk native", ("uk", None, True)),
        ("ar:native", ("ar", None, True)),
        ("العربية (اللغة الأم)", ("ar", None, True)),
        ("Українська (рідна)", ("uk", None, True)),
        ("Kurdish (mother tongue)", ("ku", None, True)),
        ("norsk morsmål", ("no", None, True)),
        ("nb:B2", ("nb", "B2", False)),
        ("dansk A2", ("da", "A2", False)),
        ("suomi C1", ("fi", "C1", False)),
        ("Deutsch (A2)", ("de", "A2", False)),
        ("Engelska C1", ("en", "C1", False)),
        ("arabiska", ("ar", None, False)),
        ("Dari (modersmål)", ("prs", None, True)),
        ("Tigrinya native", ("ti", None, True)),
        ("Somali", ("so", None, False)),
        ("svenska\u200f B1", ("sv", "B1", False)),
    ],
)
def test_language_cells_are_parsed(cell: str, expected: tuple[str, str | None, bool]) -> None:
    (language,) = one("languages", cell).languages
    assert (language.language, language.level, language.native) == expected


def test_several_languages_in_one_cell() -> None:
    person = one("languages", "Ukrainian native, Swedish A2; English B1")
    assert [(x.language, x.level, x.native) for x in person.languages] == [
        ("uk", None, True),
        ("sv", "A2", False),
        ("en", "B1", False),
    ]


@pytest.mark.parametrize(
    ("cell", "fix"),
    [
        ("Swedish fluent", "CEFR level (A1 … C2)"),
        ("Swedish good", "'sv:B1'"),
        ("B1", "names no language"),
        ("Swedish English", "names two languages"),
        ("sv B1 B2", "gives two levels"),
        ("sv B1, Swedish A2", "entry 2 names the language entry 1 names"),
        ("no", "reads as 'none' or as Norwegian"),
    ],
)
def test_unreadable_language_cells_say_what_to_fix(cell: str, fix: str) -> None:
    found = problem_of("languages", cell)
    assert (found.column, found.field) == ("languages", "languages")
    assert fix in found.message


def test_a_two_letter_word_is_a_code_only_at_the_start_of_an_entry() -> None:
    # "is" and "my" are ISO codes (Icelandic, Burmese), but not in the middle of an entry.
    assert "has a word that is not" in problem_of("languages", "Swedish is my B1").message


def test_vacancy_language_entries_take_importance_and_refuse_native() -> None:
    job = one_vacancy("languages", "sv B1 required, en A2 (meriterande), Arabic optional")
    assert [(x.language, x.level, x.importance) for x in job.languages] == [
        ("sv", "B1", "essential"),
        ("en", "A2", "optional"),
        ("ar", None, "optional"),
    ]
    found = problem_of("languages", "Swedish native", vacancy=True)
    assert "asks for a native speaker" in found.message


@pytest.mark.parametrize("cell", ["none", "None", "ingen", "Inga", "nej", "keine", "немає"])
def test_none_in_a_list_column_makes_the_list_known_empty(cell: str) -> None:
    people = read_candidates(
        table("id\tlanguages\texperience\tisced_level", f"c-1\t{cell}\t{cell}\t{cell}")
    )
    assert people[0].known_none == ("education", "experience", "languages")


def test_none_in_a_vacancy_column_asks_for_nothing() -> None:
    job = read_vacancies(table("id\tlanguages\tmin_isced\tsupport", "v-1\tnone\tingen\tnone"))[0]
    assert (job.languages, job.min_isced, job.support.mentor) == ((), None, False)


@pytest.mark.parametrize("cell", ["", "n/a", "-", "?", "unknown", "okänd"])
def test_blank_and_unknown_cells_leave_the_field_unknown(cell: str) -> None:
    people = read_candidates(
        table("id\tlanguages\texperience\tisced_level\tavailable_from", f"c-1\t{cell}\t{cell}\t\t")
    )
    assert people[0].known_none == ()
    assert people[0].languages == ()
    assert people[0].available_from is None


# -- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-03-01", date(2026, 3, 1)),
        ("2026-3-1", date(2026, 3, 1)),
        ("2026-03-01 00:00:00", date(2026, 3, 1)),
        ("2026-03-01T08:30:00+01:00", date(2026, 3, 1)),
        ("2026/03/01", date(2026, 3, 1)),
        ("01.03.2026", date(2026, 3, 1)),
        ("1.3.2026", date(2026, 3, 1)),
        ("13/03/2026", date(2026, 3, 13)),
        ("13-03-2026", date(2026, 3, 13)),
        ("03/13/2026", date(2026, 3, 13)),
        ("05/05/2026", date(2026, 5, 5)),
        ("\u200e01.03.2026\u200e", date(2026, 3, 1)),
        ("٢٠٢٦-٠٣-٠١", date(2026, 3, 1)),
    ],
)
def test_dates_in_iso_and_the_common_local_formats(cell: str, expected: date) -> None:
    assert one("available_from", cell).available_from == expected


def test_ambiguous_dates_are_refused_unless_dayfirst_says_the_order() -> None:
    found = problem_of("available_from", "03/04/2026")
    assert "dayfirst=True" in found.message
    assert one("available_from", "03/04/2026", dayfirst=True).available_from == date(2026, 4, 3)
    assert one("available_from", "03/04/2026", dayfirst=False).available_from == date(2026, 3, 4)
    # Dotted dates are always day first.
    assert one("available_from", "03.04.2026", dayfirst=False).available_from == date(2026, 4, 3)


@pytest.mark.parametrize(
    ("cell", "fix"),
    [
        ("31.02.2026", "not a valid date"),
        ("13/13/2026", "not a valid date"),
        ("01.03.26", "two-digit year"),
        ("46082", "serial number"),
        ("March 1st", "known format"),
    ],
)
def test_bad_dates_say_what_to_fix(cell: str, fix: str) -> None:
    assert fix in problem_of("work_allowed_from", cell).message


def test_a_date_cell_of_a_given_order_refuses_the_other_order() -> None:
    assert (
        "not a valid date"
        in problem_of("start_date", "13/03/2026", vacancy=True, dayfirst=False).message
    )


# -- keywords and numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("full time", "full_time"),
        ("Full-time", "full_time"),
        ("heltid", "full_time"),
        ("deltid", "part_time"),
        ("part_time", "part_time"),
        ("Any", "any"),
    ],
)
def test_hours_from_keywords(cell: str, expected: str) -> None:
    assert one("hours", cell).preferences.hours == expected
    assert one_vacancy("hours", cell).hours == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("refugee", "refugee"),
        ("Temporary protection", "temporary_protection"),
        ("temporary-protection", "temporary_protection"),
        ("EU citizen", "eu_citizen"),
        ("asylum seeker with permit", "asylum_seeker_with_permit"),
        ("work_permit", "work_permit"),
        ("permanent residence", "permanent_resident"),
    ],
)
def test_work_status_from_keywords(cell: str, expected: str) -> None:
    assert one("work_status", cell).work_authorisation.status == expected


def test_asylum_seeker_without_saying_whether_work_is_allowed_is_refused() -> None:
    assert "with permit" in problem_of("work_status", "Asylum seeker").message
    assert "not a known work status" in problem_of("work_status", "tourist").message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("3", 3),
        ("ISCED 6", 6),
        ("upper secondary", 3),
        ("Gymnasium", 3),
        ("post-secondary", 4),
        ("bachelor's", 6),
        ("Master’s", 7),
        ("PhD", 8),
    ],
)
def test_isced_levels_from_numbers_and_names(cell: str, expected: int) -> None:
    assert one("isced_level", cell).education[0].isced_level == expected
    assert one_vacancy("min_isced", cell).min_isced == expected


def test_education_fields_make_one_qualification() -> None:
    person = read_candidates(
        table(
            "id\tisced_level\teducation_field\trecognition\teducation_title",
            "c-1\t6\t0731\tnot recognized\tBSc Architecture",
        )
    )[0]
    (degree,) = person.education
    assert (degree.isced_level, degree.field, degree.recognition, degree.title) == (
        6,
        "0731",
        "not_recognised",
        "BSc Architecture",
    )


def test_support_from_keywords_and_from_yes_no_columns() -> None:
    job = one_vacancy("support", "Mentor + SFI / lönestöd and on-the-job training")
    assert job.support.model_dump() == {
        "mentor": True,
        "wage_subsidy": True,
        "on_the_job_training": True,
        "language_training": True,
    }
    jobs = read_vacancies(
        table("id\tsupport\tmentor\twage_subsidy", "v-1\tmentor\tno\tja", "v-2\tnone\t\tx")
    )
    assert (jobs[0].support.mentor, jobs[0].support.wage_subsidy) == (True, True)
    assert (jobs[1].support.mentor, jobs[1].support.wage_subsidy) == (False, True)
    assert "not a kind of support" in problem_of("support", "free lunch", vacancy=True).message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("yes", True),
        ("Ja", True),
        ("1", True),
        ("x", True),
        ("no", False),
        ("FALSE", False),
        ("nej", False),
    ],
)
def test_yes_no_cells(cell: str, expected: bool) -> None:
    assert one_vacancy("remote", cell).remote is expected


def test_numbers_units_and_decimal_commas() -> None:
    person = read_candidates(table("id\tmax_commute_km\tlat\tlon", "c-1\t12,5 km\t59,33\t18.07°"))[
        0
    ]
    assert (person.max_commute_km, person.location.lat, person.location.lon) == (12.5, 59.33, 18.07)
    assert one_vacancy("openings", "2.0").openings == 2
    assert one_vacancy("min_experience_months", "2 years").min_experience_months == 24
    assert one_vacancy("min_experience_months", "18 mån").min_experience_months == 18
    assert "whole number" in problem_of("openings", "two", vacancy=True).message
    assert "whole number" in problem_of("openings", "1,000", vacancy=True).message
    assert "ambiguous" in problem_of("max_commute_km", "1,000").message


def test_experience_entries_are_occupation_uris_with_optional_lengths() -> None:
    person = one("experience", f"{COOK} (30 months); http://example.org/occ/2 2.5 years")
    assert [(e.occupation, e.months) for e in person.experience] == [
        (COOK, 30),
        ("http://example.org/occ/2", 30),
    ]
    assert "occupation concept URI" in problem_of("experience", "cook 3 years").message


# -- columns --------------------------------------------------------------------------------------


def test_headers_equal_to_field_names_need_no_mapping() -> None:
    person = read_candidates(table("ID\tAvailable from\tWork-Status", "c-1\t2026-02-01\trefugee"))[
        0
    ]
    assert person.available_from == date(2026, 2, 1)
    assert person.work_authorisation.status == "refugee"


def test_unmapped_columns_and_audit_columns_are_never_read() -> None:
    # A "Name" column full of anything, and a "Nationality" column that would fail as an audit
    # attribute, do not matter unless named in columns.
    data = table("id\tName\tnationality\tskills", f"c-1\t{MARKER}\tSyrian\twelding")
    person = read_candidates(data)[0]
    assert person.audit is None
    assert MARKER not in repr(person)
    audited = read_candidates(
        table("id\tnat\tgender", "c-1\tUA\tf"), {"nationality": "nat", "gender": "gender"}
    )[0]
    assert audited.audit is not None
    assert (audited.audit.nationality, audited.audit.gender) == ("UA", "f")


@pytest.mark.parametrize(
    ("columns", "header", "fix"),
    [
        ({"skils": "Skills"}, "id\tSkills", "not a field of this table"),
        ({"skills": "Kompetens"}, "id\tSkills", "does not have; its columns are 'id', 'Skills'"),
        ({"available_from": ["a", "b"]}, "id\ta\tb", "only list fields"),
        ({"skills": 3}, "id\tSkills", "must be a column header"),
        ({}, "Client\tSkills", "no column for 'id'"),
        ({"skills": "S"}, "id\tS\tS", "2 columns headed 'S'"),
        ({}, "id\tSkills\tskills", "several columns that read as 'skills'"),
        ({"optional_skills": "S"}, "id\tS", "not a field of this table"),
    ],
)
def test_column_mapping_mistakes_are_config_errors(
    columns: dict[str, Any], header: str, fix: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        read_candidates(table(header, "\t".join("x" for _ in header.split("\t"))), columns)
    assert fix in str(caught.value)


def test_delimiter_is_guessed_from_the_header() -> None:
    for delimiter in (",", ";", "\t", "|"):
        data = table("id\tskills\tlanguages", "c-1\twelding\tsv:B1", delimiter=delimiter)
        person = read_candidates(data)[0]
        assert [s.skill for s in person.skills] == ["welding"], delimiter
        assert person.languages[0].level == "B1"


def test_encodings_utf8_bom_utf16_and_a_named_one() -> None:
    text = "id;skills\nc-1;städa rum\n"
    for data in (text.encode("utf-8-sig"), text.encode("utf-16")):
        assert read_candidates(data)[0].skills[0].skill == "städa rum"
    with pytest.raises(ProfileError, match="not valid UTF-8; save the file as CSV UTF-8") as caught:
        read_candidates(text.encode("cp1252"))
    assert caught.value.record == "line 2 of <bytes>"
    assert (
        read_candidates(text.encode("cp1252"), encoding="cp1252")[0].skills[0].skill == "städa rum"
    )


def test_blank_rows_are_skipped_and_rows_with_extra_cells_reported() -> None:
    report = read_candidates(b"id;skills\n\nc-1;welding\n;;\n;\nc-2;cooking;baking\n", lenient=True)
    assert report.records.ids == ("c-1",)
    (found,) = report.problems
    assert (found.row, found.line, found.record) == (3, 6, "c-2")
    assert "delimiter ';' unquoted" in found.message


# -- strict and lenient ---------------------------------------------------------------------------


def messy() -> bytes:
    return table(
        "Client\tSkills\tLanguages\tCan start\tlat",
        "c-1\twelding\tsv:B1\t2026-01-01\t",
        "c-2\tcooking\tSwedish fluent\t03/04/2026\t",
        "c-3\tbaking\tar native\t\t59.3",
        "c-1\tcleaning\t\t\t",
        "c-5\tcleaning\tsv\t2026-02-01\t",
    )


COLUMNS = {"id": "Client", "available_from": "Can start"}


def test_strict_mode_raises_a_profile_error_naming_the_first_bad_row_and_counting_the_rest() -> (
    None
):
    with pytest.raises(ProfileError) as caught:
        read_candidates(messy(), COLUMNS)
    err = caught.value
    assert err.record == "c-2 (line 3 of <bytes>)"
    assert err.field == "Languages"
    assert "(and 3 more problems in 2 other rows; read with lenient=True" in err.message


def test_lenient_mode_returns_the_good_records_and_every_problem_as_a_table() -> None:
    report = read_candidates(messy(), COLUMNS, lenient=True)
    assert isinstance(report, TableReport)
    assert isinstance(report.records, Cohort)
    assert report.records.ids == ("c-1", "c-5")
    assert report.bad_rows == (1, 2, 3)
    assert report.rows_read == 5
    assert [(p.row, p.line, p.record, p.column, p.field) for p in report.problems] == [
        (1, 3, "c-2", "Languages", "languages"),
        (1, 3, "c-2", "Can start", "available_from"),
        (2, 4, "c-3", "lat", "lat"),
        (3, 5, "c-1", "Client", "id"),
    ]
    assert "give both lat and lon" in report.problems[2].message
    assert "also used by the row at line 2" in report.problems[3].message
    assert report.to_records()[0]["column"] == "Languages"
    frame = report.to_pandas()
    assert list(frame.columns) == ["row", "line", "record", "column", "field", "message"]
    assert len(frame) == 4
    assert repr(report) == "<TableReport: 2 records, 3 bad rows (4 problems) from '<bytes>'>"


def test_duplicate_ids_raise_duplicate_id_error_naming_both_rows() -> None:
    with pytest.raises(
        DuplicateIdError, match="also used by the row at line 2 of <bytes>"
    ) as caught:
        read_candidates(table("id\tskills", "a\tx", "a\ty"))
    assert caught.value.record == "a (line 3 of <bytes>)"


def test_model_construction_errors_become_profile_errors_naming_row_and_column() -> None:
    cases = [
        ("id\tskills", "c\u200b1\tx", "line 2 of <bytes>", "id", "invisible"),
        ("id\tskills", "c-1\tx; " + "a" * 301, "c-1 (line 2 of <bytes>)", "skills", "entry 2:"),
        ("id\tregion", "c-1\tSE\u200b1", "c-1 (line 2 of <bytes>)", "region", "code"),
        ("id\tmax_commute_km", "c-1\t-3", "c-1 (line 2 of <bytes>)", "max_commute_km", ">="),
        (
            "id\twork_allowed_from\twork_allowed_until",
            "c-1\t2026-02-01\t2026-01-01",
            "c-1 (line 2 of <bytes>)",
            "work_allowed_from",  # a check of two columns names the first
            "before",
        ),
        ("skills\tid", "x\t", "line 2 of <bytes>", "id", "is required"),
    ]
    for header, row, record, column, fix in cases:
        with pytest.raises(ProfileError) as caught:
            read_candidates(table(header, row))
        err = caught.value
        assert (err.record, err.field) == (record, column), header
        assert fix in err.message or fix.replace(">=", "greater than or equal") in err.message


def test_a_taxonomy_checks_concept_uris_and_names_the_row() -> None:
    taxonomy = Taxonomy.default()
    unknown = "http://data.europa.eu/esco/skill/no-such-skill"
    with pytest.raises(UnknownConceptError) as caught:
        read_candidates(table("id\tskills", "c-1\twelding", f"c-2\t{unknown}"), taxonomy=taxonomy)
    assert (caught.value.record, caught.value.field) == ("c-2 (line 3 of <bytes>)", "skills")
    report = read_candidates(
        table("id\tskills", f"c-1\t{COOK}", f"c-2\t{unknown}", "c-3\twelding"),
        taxonomy=taxonomy,
        lenient=True,
    )
    assert report.records.ids == ("c-2", "c-3")
    assert [u.record for u in report.records.unknown_concepts] == ["c-2"]
    (found,) = report.problems
    assert (found.record, found.column) == ("c-1", "skills")
    assert "occupation" in found.message


def test_lenient_report_with_a_resolver_gives_each_free_text_skill_and_its_confidence() -> None:
    resolver = SkillResolver(Taxonomy.default())
    report = read_candidates(
        table("id\tskills\tother", f"c-1\tstäda rum; juggling\t{COOK}", "c-2\tdamma\t"),
        {"skills": ["skills", "other"]},
        lenient=True,
        resolver=resolver,
    )
    assert [(s.record, s.column, s.text, s.label, s.score) for s in report.skills] == [
        ("c-1", "skills", "städa rum", "städa rum", 1.0),
        ("c-1", "skills", "juggling", None, None),
        ("c-2", "skills", "damma", "damma", 1.0),
    ]
    assert [s.text for s in report.unresolved_skills] == ["juggling"]
    # The records keep the text as the claim: the Matcher resolves it (and its confidence).
    assert [c.skill for c in report.records[0].skills] == ["städa rum", "juggling", COOK]
    with pytest.raises(ConfigError, match="only lenient=True"):
        read_candidates(table("id", "c-1"), resolver=resolver)


def test_vacancy_skills_and_optional_skills() -> None:
    job = read_vacancies(
        table("id\tskills\toptional_skills", "v-1\tcooking, baking\tbaking bread")
    )[0]
    assert [(r.skill, r.importance) for r in job.skills] == [
        ("cooking", "essential"),
        ("baking", "essential"),
        ("baking bread", "optional"),
    ]


# -- privacy and inputs ---------------------------------------------------------------------------


def test_no_message_repeats_what_a_cell_holds() -> None:
    bad = {
        "skills": f"{MARKER}\x00",
        "languages": f"{MARKER} B1",
        "isced_level": MARKER,
        "education_field": MARKER,
        "recognition": MARKER,
        "experience": MARKER,
        "region": f" {MARKER}",
        "lat": MARKER,
        "max_commute_km": MARKER,
        "work_status": MARKER,
        "work_allowed_from": f"{MARKER}.2026",
        "available_from": MARKER,
        "hours": MARKER,
        "preferred_occupations": MARKER,
        "nationality": MARKER,
        "disability": MARKER,
    }
    header = "\t".join(["id", *bad])
    data = table(header, "\t".join(["c-1", *bad.values()]))
    report = read_candidates(data, {f: f for f in bad}, lenient=True)
    assert len(report.problems) == len(bad)
    for found in report.problems:
        assert MARKER not in repr(found)
    with pytest.raises(ProfileError) as caught:
        read_candidates(data, {f: f for f in bad})
    assert MARKER not in str(caught.value)
    vacancy = {"languages": f"{MARKER} native", "support": MARKER, "openings": MARKER}
    data = table("\t".join(["id", *vacancy]), "\t".join(["v-1", *vacancy.values()]))
    problems = read_vacancies(data, lenient=True).problems
    assert len(problems) == len(vacancy)
    for found in problems:
        assert MARKER not in repr(found)


def test_nothing_passed_in_is_changed() -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(
        {
            "Client": ["c-1", "c-2"],
            "skills": [["welding", "cooking"], "baking; cleaning"],
            "languages": ["sv:B1", None],
        }
    )
    before = frame.copy(deep=True)
    columns = {"id": "Client", "skills": ["skills"]}
    columns_before = copy.deepcopy(columns)
    read_candidates(frame, columns)
    read_candidates(frame, columns, lenient=True)
    pandas.testing.assert_frame_equal(frame, before)
    assert columns == columns_before


def test_a_dataframe_of_any_dtypes_reads_as_its_csv_does() -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(
        {
            "id": ["v-1", "v-2", "v-3"],
            "skills": [["welding", "cooking"], "baking; cleaning", None],
            "openings": [2.0, float("nan"), 3.0],
            "start_date": [pandas.Timestamp("2026-01-02"), pandas.NaT, date(2026, 2, 2)],
            "remote": [True, False, None],
            "min_isced": pandas.array([3, None, 4], dtype="Int64"),
        }
    )
    jobs = read_vacancies(frame)
    assert jobs.source == "<DataFrame>"
    assert [
        ([s.skill for s in j.skills], j.openings, j.start_date, j.remote, j.min_isced) for j in jobs
    ] == [
        (["welding", "cooking"], 2, date(2026, 1, 2), True, 3),
        (["baking", "cleaning"], 1, None, False, None),
        ([], 3, date(2026, 2, 2), False, 4),
    ]
    # read as pandas.read_csv(dtype=str, keep_default_na=False) reads the same file
    data = table("id\tskills\topenings", "v-1\twelding, cooking\t2", "v-2\tbaking\t")
    from_csv = read_vacancies(data)
    from_frame = read_vacancies(pandas.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False))
    assert from_csv.records == from_frame.records


def test_a_dataframe_problem_names_the_row_position() -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"id": ["a", "b"], "openings": [1, "many"]}, index=[10, 20])
    with pytest.raises(ProfileError) as caught:
        read_vacancies(frame)
    assert caught.value.record == "b (row 1)"
    report = read_vacancies(frame, lenient=True)
    assert [(p.row, p.line, p.column) for p in report.problems] == [(1, None, "openings")]
    odd = pandas.DataFrame({"id": ["a"], "skills": [{"x": 1}]})
    assert "holds a dict" in read_vacancies(odd, lenient=True).problems[0].message


def test_reading_a_csv_file_needs_no_pandas(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(table("id\tskills", "c-1\twelding"))
    script = textwrap.dedent(
        f"""
        import sys
        sys.modules["pandas"] = None  # import pandas now fails
        from labourint_match import read_candidates
        print(read_candidates({str(path)!r}).ids)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "('c-1',)"


def test_files_and_paths(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(table("id\tskills", "c-1\twelding"))
    for source in (path, str(path)):
        people = read_candidates(source)
        assert (people.ids, people.source) == (("c-1",), "people.csv")
    with pytest.raises(ProfileError, match="no such file"):
        read_candidates(tmp_path / "missing.csv")
    with pytest.raises(ProfileError, match="pass it as bytes"):
        read_candidates("id,skills\nc-1,x\n")
    with pytest.raises(ProfileError, match="is a directory"):
        read_candidates(tmp_path)
    with pytest.raises(ProfileError, match="the file is empty"):
        read_candidates(b"\n\n")
    with pytest.raises(ConfigError, match="CSV file path, the bytes of a CSV file or a pandas"):
        read_candidates(123)  # type: ignore[call-overload]


# -- limits ---------------------------------------------------------------------------------------


def test_a_file_larger_than_max_bytes_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(table("id\tskills", *(f"c-{i}\twelding" for i in range(100))))
    with pytest.raises(ProfileError, match="more than max_bytes=100;") as caught:
        read_candidates(path, max_bytes=100)
    assert str(path.stat().st_size) in str(caught.value)
    with pytest.raises(ProfileError, match="more than max_bytes=100 bytes"):
        read_candidates(path.read_bytes(), max_bytes=100)


def test_more_rows_than_max_rows_are_refused() -> None:
    data = table("id\tskills", "a\tx", "b\tx", "c\tx")
    assert len(read_candidates(data, max_rows=3)) == 3
    with pytest.raises(ProfileError, match="more than max_rows=2 data rows"):
        read_candidates(data, max_rows=2)
    with pytest.raises(ProfileError, match="more than max_rows=2 data rows"):
        read_candidates(data, max_rows=2, lenient=True)
    pandas = pytest.importorskip("pandas")
    with pytest.raises(ProfileError, match="max_rows=2"):
        read_candidates(pandas.DataFrame({"id": ["a", "b", "c"]}), max_rows=2)


def test_a_cell_longer_than_max_cell_length_is_refused_naming_its_line() -> None:
    data = table("id\tskills", "a\tx", "b\t" + "y" * 50)
    with pytest.raises(ProfileError, match="longer than max_cell_length=40") as caught:
        read_candidates(data, max_cell_length=40)
    assert caught.value.record == "line 3 of <bytes>"
    # an unclosed quote swallows the rest of the file into one cell: stopped at the limit
    runaway = b'id,skills\na,"x\n' + b"b,y\n" * (MAX_TABLE_CELL_LENGTH // 4 + 10)
    with pytest.raises(ProfileError, match="max_cell_length"):
        read_candidates(runaway)
    pandas = pytest.importorskip("pandas")
    with pytest.raises(ProfileError, match="max_cell_length=40") as caught:
        read_candidates(pandas.DataFrame({"id": ["a"], "skills": ["y" * 50]}), max_cell_length=40)
    assert caught.value.record == "row 0"
    with pytest.raises(ProfileError, match="max_cell_length=40"):
        read_candidates(
            pandas.DataFrame({"id": ["a"], "skills": [["x", "y" * 50]]}), max_cell_length=40
        )


@pytest.mark.parametrize(
    ("options", "fix"),
    [
        ({"lenient": "yes"}, "lenient must be"),
        ({"dayfirst": 1}, "dayfirst must be"),
        ({"evidence": "hearsay"}, "evidence must be one of"),
        ({"separators": ""}, "separators must be"),
        ({"separators": "a;"}, "separators must be"),
        ({"delimiter": ";;"}, "delimiter must be"),
        ({"encoding": "klingon"}, "unknown encoding"),
        ({"max_rows": 0}, "max_rows must be"),
        ({"max_bytes": True}, "max_bytes must be"),
        ({"max_cell_length": 10**9}, "csv.field_size_limit()"),
        ({"taxonomy": "esco"}, "taxonomy must be"),
        ({"resolver": "yes", "lenient": True}, "resolver must be"),
    ],
)
def test_invalid_options_are_config_errors(options: dict[str, Any], fix: str) -> None:
    with pytest.raises(ConfigError) as caught:
        read_candidates(table("id", "c-1"), **options)
    assert fix in str(caught.value)
    with pytest.raises(ConfigError, match="columns must be a mapping"):
        read_candidates(table("id", "c-1"), ["id"])  # type: ignore[call-overload]


# -- the documented example -----------------------------------------------------------------------


def test_the_messy_intake_fixture_reads_with_its_five_documented_problems() -> None:
    columns = {
        "id": "Client no.",
        "skills": ["Skills", "Other skills"],
        "isced_level": "Education",
        "work_status": "Status",
        "work_allowed_from": "Permit from",
        "available_from": "Can start",
    }
    report = read_candidates(FIXTURES / "intake_messy.csv", columns, lenient=True)
    assert len(report.records) == 15
    assert [p.record for p in report.problems] == ["K-1002", "K-1007", "K-1012", "K-1003", "K-1018"]
    by_id = {r.id: r for r in report.records}
    # the multi-line cell with bullets
    assert [s.skill for s in by_id["K-1009"].skills] == [
        "clean surfaces",
        "remove dust",
        "clean rooms",
    ]
    # the Arabic comma, and an Arabic language cell
    assert len(by_id["K-1004"].skills) == 2
    assert [(x.language, x.native) for x in by_id["K-1004"].languages] == [
        ("ar", True),
        ("sv", False),
    ]
    assert by_id["K-1008"].known_none == ("education",)
    assert by_id["K-1013"].languages == ()  # n/a: unknown, not none
    jobs = read_vacancies(FIXTURES / "vacancies_messy.csv")
    assert jobs.ids == ("v-kitchen", "v-cleaning", "v-warehouse", "v-care", "v-welding")
    assert jobs[2].support.wage_subsidy
    assert jobs[2].support.language_training


def test_the_field_tables_name_only_paths_the_models_accept() -> None:
    from labourint_match.tables import _fields as tables

    assert set(tables._CANDIDATE_PATHS) <= set(CANDIDATE_FIELDS)
    assert set(tables._VACANCY_PATHS) <= set(VACANCY_FIELDS)
    lists = set(tables._LIST_FIELDS)
    assert set(CANDIDATE_FIELDS) - lists - {"id"} <= set(tables._CANDIDATE_PATHS)
    assert set(VACANCY_FIELDS) - lists - {"id"} <= set(tables._VACANCY_PATHS)


def test_a_row_reports_every_bad_column_cells_and_model_checks_together() -> None:
    report = read_candidates(
        table(
            "id\tlanguages\tregion\tisced_level\teducation_field", "c-1\tsv:Z9\tSE\u200b1\tnone\t07"
        ),
        lenient=True,
    )
    assert [(p.column, p.message[:20]) for p in report.problems] == [
        ("languages", "entry 1 has a word t"),
        ("region", "must be a non-empty "),
        ("isced_level", "says none, but the o"),
    ]
