"""Profiles, vacancies and cohort loading: models, JSON Lines / array loaders, bad input."""

from __future__ import annotations

import json
import math
import stat
import tempfile
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from labourint_match import Taxonomy
from labourint_match.errors import (
    ConfigError,
    DuplicateIdError,
    LabourintMatchError,
    ProfileError,
    UnknownConceptError,
)
from labourint_match.profiles import (
    CEFR_LEVELS,
    MAX_ID_LENGTH,
    MAX_SKILL_TEXT_LENGTH,
    SKILL_LEVELS,
    CandidateProfile,
    Cohort,
    LanguageRequirement,
    LanguageSkill,
    Location,
    SkillClaim,
    SkillRequirement,
    UnknownConcept,
    Vacancy,
    WorkAuthorisation,
    id_problem,
    is_concept_uri,
    json_schema,
    load_candidates,
    load_vacancies,
    validate_cohort,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "profiles"
COOK = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
FOOD_SAFETY = "http://data.europa.eu/esco/skill/0ff99f51-40d9-42f1-a1ec-377b2bb5e15f"
UNKNOWN_SKILL = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"
# Personal-looking text placed in every free-text field; no error message may repeat it.
MARKER = "Amal-Haddad-1987-PRIVATE"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.default()


def candidate(**fields: Any) -> dict[str, Any]:
    """A valid candidate record with the marker in every free-text field."""
    record: dict[str, Any] = {
        "id": "c-17",
        "skills": [f"baking {MARKER}", {"skill": f"{MARKER} pastry", "years": 2}],
        "languages": [{"language": "ar", "native": True}, {"language": "sv", "level": "A2"}],
        "education": [{"isced_level": 3, "title": f"diploma {MARKER}"}],
        "experience": [{"occupation": COOK, "months": 12, "title": f"chef {MARKER}"}],
    }
    record.update(fields)
    return record


def vacancy(**fields: Any) -> dict[str, Any]:
    """A valid vacancy record with the marker in every free-text field."""
    record: dict[str, Any] = {
        "id": "v-9",
        "title": f"cook {MARKER}",
        "skills": [{"skill": f"bread {MARKER}", "weight": 2.0}, FOOD_SAFETY],
        "languages": [{"language": "sv", "level": "B1"}],
    }
    record.update(fields)
    return record


def write_jsonl(path: Path, records: list[Any]) -> Path:
    # allow_nan: NaN and Infinity are written as the non-standard literals many tools emit.
    path.write_text(
        "".join(json.dumps(r, allow_nan=True, default=str) + "\n" for r in records), "utf-8"
    )
    return path


def assert_names_without_echo(err: Exception, *, field: str | None, record: str) -> None:
    text = str(err)
    assert MARKER not in text
    assert record in text
    if field is not None:
        assert getattr(err, "field", None) == field
        assert repr(field) in text


# -- models ---------------------------------------------------------------------------------------


def test_simplest_profile_and_vacancy_need_only_id_and_skills() -> None:
    person = CandidateProfile(id="c-1", skills=["welding"])
    job = Vacancy(id="v-1", skills=["welding"])
    assert person.skills == (SkillClaim(skill="welding"),)
    assert (person.languages, person.education, person.experience) == ((), (), ())
    assert person.location is None
    assert person.max_commute_km is None
    assert person.audit is None
    assert person.work_authorisation.status == "unknown"
    assert person.preferences.occupations == ()
    assert person.preferences.hours == "any"
    assert job.skills == (SkillRequirement(skill="welding", importance="essential", weight=1.0),)
    assert job.openings == 1
    assert job.remote is False
    assert job.min_isced is None
    assert not any(job.support.model_dump().values())


@pytest.mark.parametrize("model", [CandidateProfile, Vacancy])
def test_id_and_skills_are_the_required_fields(model: type[Any]) -> None:
    schema = model.model_json_schema()
    assert sorted(schema["required"]) == ["id", "skills"]
    with pytest.raises(ValidationError):
        model(id="x")
    with pytest.raises(ValidationError):
        model(skills=[])


def test_models_are_frozen_hashable_and_store_lists_as_tuples() -> None:
    person = CandidateProfile.model_validate(candidate())
    assert isinstance(person.skills, tuple)
    assert isinstance(person.languages, tuple)
    with pytest.raises(ValidationError):
        person.id = "other"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        person.skills[0].years = 5  # type: ignore[misc]
    assert hash(person) == hash(CandidateProfile.model_validate(candidate()))


def test_unknown_field_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as info:
        SkillClaim.model_validate({"skill": "x", "yaers": 2})
    assert info.value.errors()[0]["loc"] == ("yaers",)


def test_validation_error_from_a_model_does_not_echo_the_input() -> None:
    with pytest.raises(ValidationError) as info:
        CandidateProfile(id="c", skills=[MARKER + " " + "x" * MAX_SKILL_TEXT_LENGTH])
    assert MARKER not in str(info.value)


def test_free_text_skill_is_kept_exactly_as_given() -> None:
    nfd = unicodedata.normalize("NFD", "pâtisserie")
    rtl = "\u200fخبز\u200f"
    person = CandidateProfile(id="c", skills=[nfd, rtl, " spaced  text "])
    assert [c.skill for c in person.skills] == [nfd, rtl, " spaced  text "]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FOOD_SAFETY, True),
        ("urn:ex:baking", True),
        ("https://example.org/skills/welding?v=2", True),
        ("baking bread", False),
        ("welding", False),
        ("Python: advanced", False),
        ("", False),
        ("http://example.org/has space", False),
        ("1http://example.org", False),
    ],
)
def test_is_concept_uri_tells_uris_from_free_text(text: str, expected: bool) -> None:
    assert is_concept_uri(text) is expected


def test_skill_claim_defaults_and_scales() -> None:
    claim = SkillClaim(skill="x")
    assert (claim.level, claim.evidence, claim.years) == (None, "self_declared", None)
    assert sorted(SKILL_LEVELS) == [1, 2, 3, 4, 5]
    for bad in (0, 6):
        with pytest.raises(ValidationError):
            SkillClaim(skill="x", level=bad)
    with pytest.raises(ValidationError):
        SkillClaim(skill="x", evidence="rumoured")  # type: ignore[arg-type]


def test_language_codes_are_lowercased_and_nb_nn_kept() -> None:
    assert LanguageSkill(language="SV").language == "sv"
    assert LanguageSkill(language="nb").language == "nb"
    assert LanguageSkill(language="nn").language == "nn"
    assert LanguageSkill(language="prs").language == "prs"
    for bad in ("english", "s", "sv-SE", "1a"):
        with pytest.raises(ValidationError):
            LanguageSkill(language=bad)


def test_cefr_levels_accept_lower_case_and_refuse_b3() -> None:
    assert CEFR_LEVELS == ("A1", "A2", "B1", "B2", "C1", "C2")
    assert LanguageSkill(language="sv", level="b2").level == "B2"  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        LanguageSkill(language="sv", level="B3")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        LanguageRequirement(language="sv", writing="C3")  # type: ignore[arg-type]


def test_language_level_for_activity_prefers_native_then_activity_then_overall() -> None:
    native = LanguageSkill(language="ar", native=True, level="B1")
    assert native.level_for("reading") == "C2"
    learner = LanguageSkill(language="sv", level="A2", listening="B1")
    assert learner.level_for("listening") == "B1"
    assert learner.level_for("writing") == "A2"
    assert LanguageSkill(language="sv").level_for("writing") is None
    req = LanguageRequirement(language="sv", level="B1", writing="A2")
    assert (req.level_for("reading"), req.level_for("writing")) == ("B1", "A2")
    with pytest.raises(ConfigError):
        learner.level_for("singing")


def test_same_language_twice_in_one_profile_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        CandidateProfile(id="c", skills=[], languages=[{"language": "ar"}, {"language": "AR"}])
    assert info.value.errors()[0]["loc"] == ("languages",)


def test_location_needs_both_coordinates_or_a_region() -> None:
    assert Location(lat=59.3, lon=18.1).region is None
    assert Location(region="SE110").lat is None
    for bad in ({"lat": 59.3}, {}, {"lat": 91, "lon": 0}, {"lat": 0, "lon": 181}):
        with pytest.raises(ValidationError):
            Location.model_validate(bad)


def test_work_authorisation_allows_work_between_its_dates() -> None:
    waiting = WorkAuthorisation(
        status="asylum_seeker_without_permit", work_allowed_from=date(2025, 3, 1)
    )
    assert waiting.may_work_on(date(2025, 2, 28)) is False
    assert waiting.may_work_on(date(2025, 3, 1)) is True
    assert (
        WorkAuthorisation(status="asylum_seeker_without_permit").may_work_on(date.today()) is False
    )
    protected = WorkAuthorisation(
        status="temporary_protection", work_allowed_until=date(2026, 3, 4)
    )
    assert protected.may_work_on(date(2026, 3, 4)) is True
    assert protected.may_work_on(date(2026, 3, 5)) is False
    assert WorkAuthorisation(status="citizen").may_work_on(date(2020, 1, 1)) is True
    assert WorkAuthorisation().may_work_on(date(2020, 1, 1)) is None
    with pytest.raises(ValidationError):
        WorkAuthorisation(work_allowed_from=date(2025, 2, 1), work_allowed_until=date(2025, 1, 1))


def test_audit_attributes_are_optional_and_country_codes_uppercased() -> None:
    person = CandidateProfile(id="c", skills=[], audit={"nationality": "sy", "gender": "male"})
    assert person.audit is not None
    assert person.audit.nationality == "SY"
    assert person.audit.age_band is None


def test_occupations_must_be_concept_uris() -> None:
    with pytest.raises(ValidationError):
        Vacancy(id="v", skills=[], occupation="cook")
    with pytest.raises(ValidationError):
        CandidateProfile(id="c", skills=[], experience=[{"occupation": "cook", "months": 3}])


@pytest.mark.parametrize(
    "bad_id",
    ["", " c-1", "c-1 ", "c\x00-1", "c\u200b1", "c\n1", "x" * (MAX_ID_LENGTH + 1)],
)
def test_ids_must_be_non_empty_trimmed_visible_and_bounded(bad_id: str) -> None:
    with pytest.raises(ValidationError):
        CandidateProfile(id=bad_id, skills=[])


def test_megabyte_long_strings_are_refused_without_being_echoed(tmp_path: Path) -> None:
    huge = MARKER * 50_000
    for record in (
        candidate(id=huge),
        candidate(skills=[huge]),
        candidate(location={"region": huge}),
    ):
        path = write_jsonl(tmp_path / "big.jsonl", [record])
        with pytest.raises(ProfileError) as info:
            load_candidates(path)
        assert MARKER not in str(info.value)
        assert len(str(info.value)) < 1000


# -- acceptance: bad profiles named by field and record, never echoed ------------------------------

BAD_CANDIDATES = [
    ("cefr_b3", {"languages": [{"language": "sv", "level": "B3"}]}, "languages.0.level"),
    (
        "cefr_b3_per_activity",
        {"languages": [{"language": "sv", "writing": "B3"}]},
        "languages.0.writing",
    ),
    ("isced_9", {"education": [{"isced_level": 9, "title": MARKER}]}, "education.0.isced_level"),
    ("years_negative", {"skills": [{"skill": MARKER, "years": -1}]}, "skills.0.years"),
    ("years_nan", {"skills": [{"skill": MARKER, "years": math.nan}]}, "skills.0.years"),
    ("years_inf", {"skills": [{"skill": MARKER, "years": math.inf}]}, "skills.0.years"),
    ("commute_negative", {"max_commute_km": -5}, "max_commute_km"),
    (
        "evidence_unknown",
        {"skills": [{"skill": MARKER, "evidence": "rumour"}]},
        "skills.0.evidence",
    ),
    ("skill_too_long", {"skills": [MARKER * 40]}, "skills.0.skill"),
    ("skill_control_char", {"skills": [MARKER + "\x07"]}, "skills.0.skill"),
    ("extra_field", {"langauges": MARKER}, "langauges"),  # a near miss is named; see 19_28
    ("date_invalid", {"available_from": "2025-13-01"}, "available_from"),
]

BAD_VACANCIES = [
    ("openings_negative", {"openings": -1}, "openings"),
    ("weight_negative", {"skills": [{"skill": MARKER, "weight": -0.5}]}, "skills.0.weight"),
    ("weight_nan", {"skills": [{"skill": MARKER, "weight": math.nan}]}, "skills.0.weight"),
    ("weight_inf", {"skills": [{"skill": MARKER, "weight": math.inf}]}, "skills.0.weight"),
    ("min_isced_9", {"min_isced": 9}, "min_isced"),
    ("requirement_b3", {"languages": [{"language": "sv", "level": "B3"}]}, "languages.0.level"),
    (
        "importance_unknown",
        {"skills": [{"skill": MARKER, "importance": "vital"}]},
        "skills.0.importance",
    ),
]


@pytest.mark.parametrize(
    ("case", "change", "field"), BAD_CANDIDATES, ids=[c[0] for c in BAD_CANDIDATES]
)
def test_bad_candidate_in_jsonl_is_refused_naming_line_id_and_field_without_echo(
    tmp_path: Path, case: str, change: dict[str, Any], field: str
) -> None:
    path = write_jsonl(tmp_path / "people.jsonl", [candidate(id="c-1"), candidate(**change)])
    with pytest.raises(ProfileError) as info:
        load_candidates(path)
    assert_names_without_echo(info.value, field=field, record="c-17 (line 2 of people.jsonl)")
    assert info.value.record == "c-17 (line 2 of people.jsonl)"


@pytest.mark.parametrize(
    ("case", "change", "field"), BAD_VACANCIES, ids=[c[0] for c in BAD_VACANCIES]
)
def test_bad_vacancy_in_json_array_is_refused_naming_item_line_id_and_field_without_echo(
    tmp_path: Path, case: str, change: dict[str, Any], field: str
) -> None:
    path = tmp_path / "jobs.json"
    path.write_text(json.dumps([vacancy(id="v-1"), vacancy(**change)], indent=2), "utf-8")
    with pytest.raises(ProfileError) as info:
        load_vacancies(path)
    assert_names_without_echo(info.value, field=field, record="v-9 (item 2, line ")
    assert info.value.record is not None
    assert info.value.record.endswith("of jobs.json)")


def test_nan_and_infinity_json_literals_are_refused_by_field(tmp_path: Path) -> None:
    path = tmp_path / "jobs.jsonl"
    path.write_text(
        '{"id": "v-1", "skills": [{"skill": "x", "weight": NaN}]}\n'
        '{"id": "v-2", "skills": [{"skill": "x", "weight": -Infinity}]}\n',
        "utf-8",
    )
    with pytest.raises(ProfileError) as info:
        load_vacancies(path)
    assert info.value.field == "skills.0.weight"
    assert "finite" in str(info.value)
    path.write_text('{"id": "v-2", "skills": [{"skill": "x", "weight": 1e999}]}\n', "utf-8")
    with pytest.raises(ProfileError, match="finite"):
        load_vacancies(path)


def test_zero_openings_and_zero_weight_are_valid() -> None:
    job = Vacancy.model_validate(vacancy(openings=0, skills=[{"skill": "x", "weight": 0}]))
    assert job.openings == 0
    assert job.skills[0].weight == 0.0


def test_unreadable_id_is_replaced_by_the_line(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [candidate(id=MARKER + "\x00")])
    with pytest.raises(ProfileError) as info:
        load_candidates(path)
    assert info.value.record == "line 1 of p.jsonl"
    assert info.value.field == "id"
    assert MARKER not in str(info.value)


def test_several_problems_in_one_record_are_all_named(tmp_path: Path) -> None:
    record = candidate(max_commute_km=-1, languages=[{"language": "sv", "level": "B3"}])
    path = write_jsonl(tmp_path / "p.jsonl", [record])
    with pytest.raises(ProfileError) as info:
        load_candidates(path)
    assert info.value.field == "languages.0.level"
    assert "'max_commute_km'" in str(info.value)


def test_duplicate_ids_in_a_file_are_refused_naming_both_lines(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "people.jsonl", [candidate(id="c-1"), candidate(id="c-2"), candidate(id="c-1")]
    )
    with pytest.raises(DuplicateIdError) as info:
        load_candidates(path)
    err = info.value
    assert isinstance(err, ProfileError)
    assert err.field == "id"
    assert err.record == "c-1 (line 3 of people.jsonl)"
    assert "line 1 of people.jsonl" in str(err)
    assert MARKER not in str(err)


def test_duplicate_vacancy_ids_in_an_array_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "jobs.json"
    path.write_text(json.dumps([vacancy(), vacancy()]), "utf-8")
    with pytest.raises(DuplicateIdError) as info:
        load_vacancies(path)
    assert_names_without_echo(info.value, field="id", record="v-9 (item 2")


def test_unknown_concept_uri_is_an_error_by_default(tmp_path: Path, taxonomy: Taxonomy) -> None:
    record = candidate(skills=[MARKER, {"skill": UNKNOWN_SKILL, "years": 1}])
    path = write_jsonl(tmp_path / "people.jsonl", [candidate(id="c-1"), record])
    with pytest.raises(UnknownConceptError) as info:
        load_candidates(path, taxonomy=taxonomy)
    err = info.value
    assert isinstance(err, LabourintMatchError)
    assert isinstance(err, KeyError)
    assert err.uri == UNKNOWN_SKILL
    assert err.field == "skills.1.skill"
    assert err.record == "c-17 (line 2 of people.jsonl)"
    assert_names_without_echo(err, field="skills.1.skill", record="c-17 (line 2 of people.jsonl)")


def test_unknown_concept_uri_is_reported_in_lenient_mode(
    tmp_path: Path, taxonomy: Taxonomy
) -> None:
    other = "urn:example:not-in-taxonomy"
    records = [
        candidate(id="c-1", skills=[{"skill": UNKNOWN_SKILL}]),
        candidate(id="c-2", experience=[{"occupation": other}], skills=[FOOD_SAFETY]),
    ]
    path = write_jsonl(tmp_path / "people.jsonl", records)
    cohort = load_candidates(path, taxonomy=taxonomy, lenient=True)
    assert cohort.ids == ("c-1", "c-2")
    assert cohort.unknown_concepts == (
        UnknownConcept("c-1", "skills.0.skill", UNKNOWN_SKILL),
        UnknownConcept("c-2", "experience.0.occupation", other),
    )
    assert cohort[0].skills[0].skill == UNKNOWN_SKILL  # kept, not dropped


def test_unknown_vacancy_occupation_is_an_error(tmp_path: Path, taxonomy: Taxonomy) -> None:
    path = tmp_path / "jobs.json"
    path.write_text(json.dumps([vacancy(occupation="urn:example:nothing")]), "utf-8")
    with pytest.raises(UnknownConceptError) as info:
        load_vacancies(path, taxonomy=taxonomy)
    assert info.value.field == "occupation"


def test_concept_of_the_wrong_kind_is_an_error_even_when_lenient(taxonomy: Taxonomy) -> None:
    skill_as_occupation = Vacancy(id="v", skills=[], occupation=FOOD_SAFETY)
    with pytest.raises(ProfileError) as info:
        validate_cohort([skill_as_occupation], taxonomy=taxonomy, lenient=True)
    assert info.value.field == "occupation"
    assert info.value.record == "v"
    occupation_as_skill = CandidateProfile(id="c", skills=[COOK])
    with pytest.raises(ProfileError) as info:
        validate_cohort([occupation_as_skill], taxonomy=taxonomy)
    assert info.value.field == "skills.0.skill"


def test_free_text_skills_are_not_checked_against_the_taxonomy(taxonomy: Taxonomy) -> None:
    cohort = validate_cohort(
        [CandidateProfile(id="c", skills=["no such skill anywhere"])], taxonomy=taxonomy
    )
    assert cohort.unknown_concepts == ()


def test_known_concepts_pass(taxonomy: Taxonomy) -> None:
    people = load_candidates(FIXTURES / "candidates.jsonl", taxonomy=taxonomy)
    jobs = load_vacancies(FIXTURES / "vacancies.json", taxonomy=taxonomy)
    assert people.ids == ("c-001", "c-002", "c-003", "c-004")
    assert jobs.ids == ("v-001", "v-002", "v-003")
    assert people.unknown_concepts == ()
    assert jobs.unknown_concepts == ()


def test_plain_skos_taxonomy_without_occupations_does_not_check_occupation_kinds() -> None:
    skos = Taxonomy.from_rdf(
        b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        b'<urn:ex:cook> a skos:Concept ; skos:prefLabel "cook"@en .\n'
        b'<urn:ex:baking> a skos:Concept ; skos:prefLabel "baking"@en .\n',
        cache=False,
    )
    job = Vacancy(id="v", skills=["urn:ex:baking"], occupation="urn:ex:cook")
    assert validate_cohort([job], taxonomy=skos).ids == ("v",)


# -- in-memory cohorts ----------------------------------------------------------------------------


def test_validate_cohort_refuses_duplicate_ids_by_position() -> None:
    people = [CandidateProfile(id=i, skills=[]) for i in ("a", "b", "a")]
    with pytest.raises(DuplicateIdError) as info:
        validate_cohort(people)
    assert info.value.record == "a"
    assert info.value.field == "id"
    assert "item 0" in str(info.value)


def test_ids_equal_after_unicode_normalisation_are_duplicates() -> None:
    nfc, nfd = unicodedata.normalize("NFC", "josé"), unicodedata.normalize("NFD", "josé")
    assert nfc != nfd
    with pytest.raises(DuplicateIdError, match="normalisation"):
        validate_cohort([CandidateProfile(id=nfc, skills=[]), CandidateProfile(id=nfd, skills=[])])


def test_validate_cohort_does_not_mutate_its_input_and_accepts_any_iterable() -> None:
    people = [CandidateProfile(id=str(i), skills=["x"]) for i in range(3)]
    before = list(people)
    cohort = validate_cohort(iter(people))
    assert people == before
    assert list(cohort) == people
    assert cohort.records == tuple(people)
    assert isinstance(cohort, Cohort)
    assert len(cohort) == 3
    assert cohort[1:] == tuple(people[1:])


@pytest.mark.parametrize(
    "records",
    [
        [CandidateProfile(id="c", skills=[]), Vacancy(id="v", skills=[])],
        [{"id": "c", "skills": []}],
        CandidateProfile(id="c", skills=[]),
        "c-1",
    ],
    ids=["mixed", "dict", "single-model", "string"],
)
def test_validate_cohort_refuses_what_is_not_a_list_of_one_record_type(records: Any) -> None:
    with pytest.raises(ProfileError):
        validate_cohort(records)


def test_bad_options_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        validate_cohort([], taxonomy="esco")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        validate_cohort([], lenient="yes")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        load_candidates(42)  # type: ignore[arg-type]


# -- files ----------------------------------------------------------------------------------------


def test_jsonl_skips_blank_lines_and_accepts_crlf_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    text = '{"id": "a", "skills": []}\r\n\r\n   \r\n{"id": "b", "skills": ["x"]}\r\n'
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_candidates(path).ids == ("a", "b")


def test_json_array_is_detected_and_empty_files_give_empty_cohorts(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('  \n [ {"id": "a", "skills": []} ,\n {"id": "b", "skills": []} ]\n', "utf-8")
    assert load_candidates(path).ids == ("a", "b")
    for text in ("", "\n\n", "[]", " [ ] \n"):
        path.write_text(text, "utf-8")
        assert len(load_candidates(path)) == 0


def test_fixture_files_load_with_every_field(tmp_path: Path) -> None:
    people = load_candidates(FIXTURES / "candidates.jsonl")
    full = people[1]
    assert full.skills[1].skill == "تحضير الخبز"
    assert full.languages[1].level_for("listening") == "B1"
    assert full.education[0].recognition == "pending"
    assert full.location is not None
    assert full.available_from == date(2025, 9, 1)
    assert people[2].languages[1].level == "B2"
    jobs = load_vacancies(FIXTURES / "vacancies.json")
    assert jobs[1].support.mentor
    assert jobs[1].skills[1].importance == "optional"
    assert jobs[2].openings == 0
    assert jobs.source == str(FIXTURES / "vacancies.json")


@pytest.mark.parametrize(
    ("text", "record"),
    [
        ('{"id": "a", "skills": []}\n{"id": "b", "skills": ["' + MARKER + '"\n', "line 2 of f"),
        ('{"id": "a", "skills": []} {"id": "b"}\n', "line 1 of f"),
        ('{"id": "a",\n "skills": []}\n', "line 1 of f"),
        ('[{"id": "a", "skills": ["' + MARKER + '"]} {"id": "b"}]', "line 1 of f"),
        ('[{"id": "a", "skills": []},\n {"id": "b", "skills": ["' + MARKER + '"]}', "line 2 of f"),
        (
            '[{"id": "a", "skills": []},\n {"id": "b", "skills": ["' + MARKER + '"]',
            "item 2, line 2 of f",
        ),
        ('[{"id": "a", "skills": []}] {"extra": "' + MARKER + '"}', "line 1 of f"),
        ('{"id": "a", "id": "' + MARKER + '", "skills": []}\n', "line 1 of f"),
        ('"' + MARKER + '"\n', "line 1 of f"),
        ("[1, 2]", "item 1, line 1 of f"),
        ("[" * 100_000 + "]" * 100_000, "item 1, line 1 of f"),
        ('{"id": "a", "skills": [], "openings": ' + "9" * 5000 + "}\n", "line 1 of f"),
    ],
    ids=[
        "syntax",
        "two-objects-one-line",
        "pretty-printed-object",
        "array-missing-comma",
        "array-unterminated",
        "array-item-unterminated",
        "after-array",
        "repeated-key",
        "not-an-object",
        "array-of-numbers",
        "nested-too-deep",
        "huge-integer",
    ],
)
def test_unreadable_json_is_a_profile_error_naming_the_line_without_echo(
    tmp_path: Path, text: str, record: str
) -> None:
    path = tmp_path / "f"
    path.write_text(text, "utf-8")
    with pytest.raises(ProfileError) as info:
        load_vacancies(path)
    assert info.value.record == record
    assert MARKER not in str(info.value)


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_bytes(b'{"id": "a", "skills": []}\n{"id": "b", "skills": ["\xff\xfe"]}\n')
    with pytest.raises(ProfileError, match="UTF-8") as info:
        load_candidates(path)
    assert info.value.record == "line 2 of p.jsonl"


def test_missing_file_and_directory_are_profile_errors(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no such file"):
        load_candidates(tmp_path / "absent.jsonl")
    with pytest.raises(ProfileError, match="directory"):
        load_candidates(tmp_path)


def test_loading_reads_a_read_only_file_and_leaves_it_unchanged(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "p.jsonl", [candidate(id="a"), candidate(id="b")])
    before = path.read_bytes()
    path.chmod(stat.S_IRUSR)
    try:
        assert load_candidates(path).ids == ("a", "b")
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert path.read_bytes() == before


# -- JSON Schema ----------------------------------------------------------------------------------


def test_json_schema_describes_both_records() -> None:
    schema = json_schema()
    assert set(schema) == {"candidate", "vacancy"}
    cand, vac = schema["candidate"], schema["vacancy"]
    assert cand["additionalProperties"] is False
    assert vac["additionalProperties"] is False
    assert cand["required"] == ["id", "skills"]
    assert vac["required"] == ["id", "skills"]
    defs = cand["$defs"]
    assert defs["LanguageSkill"]["properties"]["level"]["anyOf"][0]["enum"] == list(CEFR_LEVELS)
    assert defs["Education"]["properties"]["isced_level"]["maximum"] == 8
    assert vac["properties"]["openings"]["minimum"] == 0
    # a skill may be a plain string in a list of skills
    assert {"type": "string", "maxLength": 1000} in cand["properties"]["skills"]["items"]["anyOf"]
    assert ">>>" not in json.dumps(schema)  # docstring examples stay out of the schema
    json.dumps(schema, allow_nan=False)


# -- invariants -----------------------------------------------------------------------------------

_text = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Co", "Cn", "Zl", "Zp")),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() == s and not is_concept_uri(s))
#: Ids as validation accepts them (no characters that render as nothing, e.g. variation selectors).
_ids = _text.filter(lambda s: id_problem(s) is None)
_cefr = st.sampled_from(CEFR_LEVELS) | st.none()
_years = st.floats(0, 100, allow_nan=False) | st.none()
_claims = st.lists(
    _text
    | st.builds(
        dict,
        skill=_text | st.just(FOOD_SAFETY),
        level=st.integers(1, 5) | st.none(),
        evidence=st.sampled_from(["self_declared", "adviser_mapped", "validated", "certified"]),
        years=_years,
    ),
    max_size=4,
)
_languages = st.lists(
    st.builds(
        dict,
        language=st.sampled_from(["ar", "sv", "uk", "nb", "prs"]),
        level=_cefr,
        writing=_cefr,
        native=st.booleans(),
    ),
    max_size=3,
    unique_by=lambda d: d["language"],
)
_dates = st.dates(date(2000, 1, 1), date(2040, 12, 31)) | st.none()
candidates = st.builds(
    dict,
    id=_ids,
    skills=_claims,
    languages=_languages,
    education=st.lists(
        st.builds(
            dict,
            isced_level=st.integers(0, 8),
            recognition=st.sampled_from(["recognised", "pending", "unknown"]),
        ),
        max_size=2,
    ),
    experience=st.lists(
        st.builds(dict, occupation=st.just(COOK), months=st.integers(0, 1200) | st.none()),
        max_size=2,
    ),
    max_commute_km=st.floats(0, 500, allow_nan=False) | st.none(),
    available_from=_dates,
    work_authorisation=st.builds(
        dict, status=st.sampled_from(["citizen", "refugee", "asylum_seeker_with_permit", "unknown"])
    ),
)
vacancies = st.builds(
    dict,
    id=_ids,
    skills=st.lists(
        _text
        | st.builds(
            dict,
            skill=_text,
            importance=st.sampled_from(["essential", "optional"]),
            weight=st.floats(0, 1e6, allow_nan=False),
        ),
        max_size=4,
    ),
    languages=st.lists(
        st.builds(dict, language=st.sampled_from(["sv", "en"]), level=_cefr),
        max_size=2,
        unique_by=lambda d: d["language"],
    ),
    min_isced=st.integers(0, 8) | st.none(),
    openings=st.integers(0, 50),
    start_date=_dates,
    support=st.builds(dict, mentor=st.booleans(), wage_subsidy=st.booleans()),
)


@settings(max_examples=60, deadline=None)
@given(record=candidates)
def test_candidate_round_trips_through_json(record: dict[str, Any]) -> None:
    person = CandidateProfile.model_validate(record)
    assert CandidateProfile.model_validate_json(person.model_dump_json()) == person
    assert CandidateProfile.model_validate(person.model_dump(mode="json")) == person


@settings(max_examples=60, deadline=None)
@given(record=vacancies)
def test_vacancy_round_trips_through_json(record: dict[str, Any]) -> None:
    job = Vacancy.model_validate(record)
    assert Vacancy.model_validate_json(job.model_dump_json()) == job


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.lists(candidates, max_size=5, unique_by=lambda r: r["id"]), as_array=st.booleans()
)
def test_cohort_round_trips_through_files_in_order(
    records: list[dict[str, Any]], as_array: bool
) -> None:
    people = [CandidateProfile.model_validate(r) for r in records]
    if len({unicodedata.normalize("NFC", p.id) for p in people}) < len(people):
        return
    dumped = [p.model_dump(mode="json") for p in people]
    snapshot = json.dumps(records, default=str)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cohort"
        if as_array:
            path.write_text(json.dumps(dumped, ensure_ascii=False, indent=1), "utf-8")
        else:
            write_jsonl(path, dumped)
        assert tuple(load_candidates(path)) == tuple(people)
    assert json.dumps(records, default=str) == snapshot  # input not mutated


@settings(max_examples=40, deadline=None)
@given(
    record=candidates,
    corruption=st.sampled_from(
        [
            ("skills", [{"skill": MARKER, "years": -3}]),
            ("skills", [{"skill": MARKER, "years": math.nan}]),
            ("languages", [{"language": "sv", "level": "B3"}]),
            ("education", [{"isced_level": 9, "title": MARKER}]),
            ("max_commute_km", -1),
            ("location", {"region": MARKER + "\x00"}),
            ("audit", {"nationality": MARKER}),
            ("preferences", {"occupations": [MARKER]}),
        ]
    ),
)
def test_no_bad_field_makes_a_message_echo_the_record(
    record: dict[str, Any], corruption: tuple[str, Any]
) -> None:
    key, value = corruption
    bad = {**record, "id": "c-x", "skills": [*record["skills"], MARKER], key: value}
    with tempfile.TemporaryDirectory() as folder:
        path = write_jsonl(Path(folder) / "p.jsonl", [bad])
        with pytest.raises(ProfileError) as info:
            load_candidates(path)
    assert MARKER not in str(info.value)
    assert info.value.record == "c-x (line 1 of p.jsonl)"
    assert info.value.field is not None
    assert info.value.field.startswith(key)
