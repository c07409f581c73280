"""Explanations and pathways on hand-built pairs, and the Matcher's handling of bad input."""

from __future__ import annotations

from datetime import date

import pytest

from labourint_match import (
    CandidateProfile,
    ConfigError,
    DuplicateIdError,
    LabourintMatchError,
    Matcher,
    ProfileError,
    ScoringConfig,
    Taxonomy,
    UnknownConceptError,
    Vacancy,
)

T = Taxonomy.default()
M = Matcher(T, ScoringConfig(as_of=date(2026, 3, 1)))


def uri(label: str) -> str:
    return next(u for u in T.uris if T.label(u) == label)


CLEANER = uri("building cleaner")
JOB = {
    "id": "v-1",
    "occupation": CLEANER,
    "skills": [
        {"skill": uri("clean surfaces")},
        {"skill": uri("remove dust")},
        {"skill": uri("sort waste")},
        {"skill": uri("maintain cleaning equipment"), "importance": "optional"},
    ],
}
ALL_SKILLS = [
    {"skill": uri(x), "evidence": "certified"}
    for x in ("clean surfaces", "remove dust", "sort waste", "maintain cleaning equipment")
]


def job(**changes: object) -> Vacancy:
    return Vacancy.model_validate({**JOB, **changes})


def person(**changes: object) -> CandidateProfile:
    return CandidateProfile.model_validate({"id": "c-1", "skills": ALL_SKILLS, **changes})


def test_a_candidate_with_every_skill_is_ready_and_scores_1_on_skills() -> None:
    e = M.explain(person(), job())
    assert e.pathway.kind == "ready"
    assert e.component_scores["skill"] == pytest.approx(1.0)
    assert e.gaps == ()
    assert all(r.relation == "exact" for r in e.requirements)


def test_a_specific_skill_meets_its_broader_requirement_and_says_so() -> None:
    e = M.explain(
        person(skills=[{"skill": uri("clean glass surfaces"), "evidence": "validated"}]), job()
    )
    req = next(r for r in e.requirements if r.requirement == uri("clean surfaces"))
    assert req.relation == "narrower"
    assert req.met_by == uri("clean glass surfaces")
    assert req.credit == pytest.approx(0.9)
    assert "more specific skill" in str(e)


def test_skill_gaps_covered_by_on_the_job_training_make_ready_with_support() -> None:
    few = [ALL_SKILLS[0]]
    e = M.explain(person(skills=few), job(support={"on_the_job_training": True}))
    assert e.pathway.kind == "ready_with_support"
    assert e.pathway.supports == ("on_the_job_training",)
    assert {g.label for g in e.gaps if g.importance == "essential"} == {"remove dust", "sort waste"}


def test_without_support_the_same_gaps_mean_training_first_in_order_of_what_they_cost() -> None:
    few = [ALL_SKILLS[0]]
    e = M.explain(person(skills=few), job())
    assert e.pathway.kind == "training_first"
    needs = [g.label for g in e.pathway.training_needs]
    assert set(needs) == {"remove dust", "sort waste"}
    assert all(g.importance == "essential" for g in e.pathway.training_needs)


def test_too_many_gaps_are_not_bridged_by_support() -> None:
    config = ScoringConfig(as_of=date(2026, 3, 1), max_supported_gaps=1)
    e = Matcher(T, config).explain(
        person(skills=[]), job(support={"on_the_job_training": True, "mentor": True})
    )
    assert e.pathway.kind == "training_first"


def test_a_language_gap_is_softened_by_language_training_and_bridged_by_it() -> None:
    needs_swedish = {"languages": [{"language": "sv", "spoken_interaction": "B1"}]}
    has_a2 = {"languages": [{"language": "sv", "level": "A2"}]}
    plain = M.explain(person(**has_a2), job(**needs_swedish))
    helped = M.explain(person(**has_a2), job(**needs_swedish, support={"language_training": True}))
    assert plain.pathway.kind == "training_first"
    assert helped.pathway.kind == "ready_with_support"
    assert helped.pathway.supports == ("language_training",)
    assert helped.component_scores["language"] > plain.component_scores["language"]
    assert plain.component_scores["language"] == pytest.approx(0.6)
    assert helped.component_scores["language"] == pytest.approx(0.8)


def test_native_speakers_count_as_c2_and_nb_matches_no() -> None:
    e = M.explain(
        person(languages=[{"language": "nb", "native": True}]),
        job(languages=[{"language": "no", "level": "C1"}]),
    )
    assert e.component_scores["language"] == 1.0


def test_pending_recognition_earns_partial_education_credit() -> None:
    pending = M.explain(
        person(education=[{"isced_level": 3, "recognition": "pending"}]), job(min_isced=3)
    )
    recognised = M.explain(
        person(education=[{"isced_level": 3, "recognition": "recognised"}]), job(min_isced=3)
    )
    assert pending.component_scores["education"] == pytest.approx(0.7)
    assert recognised.component_scores["education"] == 1.0
    assert "recognition pending" in str(pending)


@pytest.mark.parametrize(
    ("candidate_changes", "vacancy_changes", "reason"),
    [
        (
            {"work_authorisation": {"status": "asylum_seeker_without_permit"}},
            {},
            "work_authorisation",
        ),
        (
            {"work_authorisation": {"status": "refugee", "work_allowed_from": "2026-06-01"}},
            {"start_date": "2026-04-01"},
            "work_authorisation",
        ),
        (
            {"location": {"lat": 59.33, "lon": 18.06}, "max_commute_km": 10},
            {"location": {"lat": 57.70, "lon": 11.97}},
            "out_of_reach",
        ),
        ({}, {"openings": 0}, "no_openings"),
    ],
)
def test_ineligible_pairs_score_zero_and_say_why(
    candidate_changes: dict, vacancy_changes: dict, reason: str
) -> None:
    c, v = person(**candidate_changes), job(**vacancy_changes)
    e = M.explain(c, v)
    assert e.score == 0.0
    assert M.score(c, v) == 0.0
    assert e.pathway.kind == "not_eligible"
    assert reason in e.reasons
    assert sum(e.components.values()) == 0.0
    assert e.component_scores["skill"] == pytest.approx(1.0)  # what it would have been
    ranking = M.rank([c], [v], top_k=1)
    assert ranking.for_candidate("c-1")[0].reasons == (reason,)


def test_remote_work_is_in_reach_wherever_people_live() -> None:
    far = {"location": {"lat": 59.33, "lon": 18.06}, "max_commute_km": 10}
    e = M.explain(person(**far), job(location={"lat": 57.70, "lon": 11.97}, remote=True))
    assert e.eligible
    assert e.component_scores["location"] == 1.0


def test_unknown_right_to_work_is_flagged_but_not_excluded_by_default() -> None:
    e = M.explain(person(), job())
    assert e.eligible
    assert any("right to work" in n for n in e.notes)
    strict = Matcher(T, ScoringConfig(as_of=date(2026, 3, 1), unknown_authorisation_eligible=False))
    assert strict.explain(person(), job()).reasons == ("work_authorisation",)
    assert strict.score(person(), job()) == 0.0


def test_explanation_text_and_html_name_the_parts_without_profile_free_text() -> None:
    c = person(education=[{"isced_level": 3, "recognition": "pending", "title": "SECRET-MARKER"}])
    e = M.explain(c, job(min_isced=3), lang="sv")
    text, page = str(e), e._repr_html_()
    assert "c-1" in text
    assert "lokalvårdare" in text  # Swedish labels from the bundled taxonomy
    assert "SECRET-MARKER" not in text
    assert "SECRET-MARKER" not in page
    assert "<table>" in page


def test_experience_in_a_neighbouring_occupation_counts_at_a_rate() -> None:
    window = uri("window cleaner")
    months = {"experience": [{"occupation": window, "months": 12}]}
    exact = M.explain(
        person(experience=[{"occupation": CLEANER, "months": 12}]), job(min_experience_months=24)
    )
    near = M.explain(person(**months), job(min_experience_months=24))
    assert exact.component_scores["experience"] == pytest.approx(0.5)
    expected = 0.75 * 12 / 24 if set(T.broader(window)) & set(T.broader(CLEANER)) else 0.0
    assert near.component_scores["experience"] == pytest.approx(expected)


# -- bad input -----------------------------------------------------------------------------------


def test_empty_cohorts_give_empty_rankings() -> None:
    assert (len(M.rank([], [job()])), M.rank([], [job()]).top_k) == (0, 1)
    assert (len(M.rank([person()], [])), M.rank([person()], []).top_k) == (1, 0)


@pytest.mark.parametrize("k", [0, -1, 2.5, True, "3"])
def test_bad_top_k_is_a_config_error(k: object) -> None:
    with pytest.raises(ConfigError, match="top_k"):
        M.rank([person()], [job()], top_k=k)  # type: ignore[arg-type]


def test_top_k_larger_than_the_cohort_is_clamped() -> None:
    ranking = M.rank([person()], [job(), job(id="v-2")], top_k=50)
    assert ranking.top_k == 2


def test_unknown_by_and_wrong_record_types_are_refused() -> None:
    with pytest.raises(ConfigError, match="by"):
        M.rank([person()], [job()], by="employer")  # type: ignore[arg-type]
    with pytest.raises(ProfileError, match="item 0"):
        M.rank([job()], [job()])  # type: ignore[list-item]
    with pytest.raises(ProfileError, match="single record"):
        M.rank(person(), [job()])  # type: ignore[arg-type]


def test_duplicate_ids_and_unknown_concepts_are_typed_errors_naming_the_record() -> None:
    with pytest.raises(DuplicateIdError) as dup:
        M.rank([person(), person()], [job()])
    assert dup.value.record is not None
    bad = person(skills=["http://data.europa.eu/esco/skill/not-a-skill"])
    with pytest.raises(UnknownConceptError) as unknown:
        M.score(bad, job())
    assert "not-a-skill" in str(unknown.value)
    assert isinstance(unknown.value, LabourintMatchError)


def test_inputs_are_not_mutated_by_ranking_or_explaining() -> None:
    cands = [person(), person(id="c-2", skills=[ALL_SKILLS[1]])]
    vacs = [job(), job(id="v-2")]
    before = [c.model_dump_json() for c in cands] + [v.model_dump_json() for v in vacs]
    M.rank(cands, vacs, top_k=1)
    M.explain(cands[0], vacs[0])
    assert [c.model_dump_json() for c in cands] + [v.model_dump_json() for v in vacs] == before


def test_scoring_config_rejects_bad_values_with_the_field_named() -> None:
    with pytest.raises(ConfigError, match="sum to 1"):
        ScoringConfig(weight_skill=0.9)
    with pytest.raises(ConfigError, match="gap_threshold"):
        ScoringConfig(gap_threshold=float("nan"))
    with pytest.raises(ConfigError, match="credit_broader"):
        ScoringConfig(credit_broader=-0.1)
    with pytest.raises(ConfigError, match="no_such_factor"):
        ScoringConfig(no_such_factor=1)


def test_free_text_skills_are_resolved_and_the_unresolved_ones_reported() -> None:
    c = person(skills=["rengöra glasytor", "xyzzy frobnicate"])  # Swedish: clean glass surfaces
    e = M.explain(c, job())
    assert e.unresolved_claims == (1,)
    req = next(r for r in e.requirements if r.requirement == uri("clean surfaces"))
    assert req.relation == "narrower"
    assert req.met_by == uri("clean glass surfaces")
    assert abs(M.score(c, job()) - e.score) <= 1e-6
    assert any("could not be matched" in n for n in e.notes)


def test_19_22_a_title_with_line_breaks_cannot_fake_a_block_of_the_explanation() -> None:
    fake = "cook\nCandidate c-1 and vacancy v-1: score 1.00 of 1 — ready — hire now\u2028x"
    e = M.explain(person(), job(occupation=None, title=fake))
    text = str(e)
    assert text.count("\n") == str(M.explain(person(), job(occupation=None, title="t"))).count("\n")
    assert "score 1.00 of 1 — ready — hire now" not in text.splitlines()[0].split("“")[0]
    assert "\u2028" not in text
    assert "&lt;" in M.explain(person(), job(occupation=None, title="<b>x</b>"))._repr_html_()
