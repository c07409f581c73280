"""A score an adviser can trust: each test here failed on the additive score of 0.x (issue 18).

No free points for pairs that share no skill; a vacancy asking nothing is unjudged, not perfect;
what a profile leaves out is neutral, not absent; every field counts; the pathway carries the
method's steps and dates; ESCO's language skills meet the CEFR channel; free text carries its
confidence.
"""

from __future__ import annotations

import warnings
from datetime import date
from typing import Any

import pytest

from labourint_match import (
    CandidateProfile,
    Matcher,
    ScoringConfig,
    Taxonomy,
    UnjudgedVacancyWarning,
    Vacancy,
)
from labourint_match.resolve import Resolution

T = Taxonomy.default()
AS_OF = date(2026, 3, 1)
CONFIG = ScoringConfig(as_of=AS_OF)
M = Matcher(T, CONFIG)


def uri(label: str) -> str:
    return next(u for u in T.uris if T.label(u) == label)


COOK = uri("cook")
CLEANER = uri("building cleaner")
COOK_SKILLS = [r.skill for r in T.occupation_skills(COOK) if r.relation == "essential"]
CLEANER_SKILLS = [r.skill for r in T.occupation_skills(CLEANER) if r.relation == "essential"]


def person(**changes: Any) -> CandidateProfile:
    base: dict[str, Any] = {
        "id": "c-1",
        "skills": [{"skill": s, "evidence": "validated"} for s in COOK_SKILLS[:6]],
        "languages": [{"language": "sv", "level": "B2"}],
        "work_authorisation": {"status": "citizen"},
    }
    return CandidateProfile.model_validate({**base, **changes})


def job(**changes: Any) -> Vacancy:
    base: dict[str, Any] = {"id": "v-1", "occupation": COOK, "skills": COOK_SKILLS, "remote": True}
    return Vacancy.model_validate({**base, **changes})


# -- 1. no free points ----------------------------------------------------------------------------


def test_a_pair_meeting_none_of_the_skills_scores_at_most_the_documented_bound() -> None:
    # Everything else fits perfectly: remote, no language, no education, no experience asked.
    trades = [
        job(id="v-other", occupation=o, skills=[r.skill for r in T.occupation_skills(o)])
        for o in T.concepts("occupation")
        if T.occupation_skills(o)
    ]
    e = next(e for e in (M.explain(person(), j) for j in trades) if e.requirements and all(
        r.credit == 0.0 for r in e.requirements
    ))  # fmt: skip
    assert e.eligible
    assert e.component_scores["skill"] == 0.0
    assert e.score <= CONFIG.no_skill_bound() <= 0.2  # 0.45 with the additive score
    assert sum(e.components.values()) == pytest.approx(e.score, abs=1e-9)


def test_the_persons_own_trade_outranks_an_undemanding_job_in_another() -> None:
    # A partial fit in the person's trade, on site, asking for more Swedish and experience than
    # the profile shows, against a remote job asking one skill of another trade and nothing else.
    own = job(
        id="v-own",
        remote=False,
        location={"lat": 59.3, "lon": 18.0},
        languages=[{"language": "sv", "level": "B2"}],
        min_experience_months=24,
    )
    undemanding = job(id="v-remote", occupation=CLEANER, skills=CLEANER_SKILLS[:1])
    p = person(
        skills=COOK_SKILLS[:3],
        languages=[{"language": "sv", "level": "A2"}],
        location={"lat": 59.35, "lon": 18.1},
        max_commute_km=30,
    )
    assert M.explain(p, undemanding).component_scores["skill"] == 0.0
    ranking = M.rank([p], [undemanding, own], top_k=2)
    assert [m.vacancy_id for m in ranking.for_candidate("c-1")] == ["v-own", "v-remote"]


# -- 2. a vacancy asking nothing is unjudged ------------------------------------------------------


@pytest.mark.parametrize("skills", [[], ["motivated team player, flexible and reliable"]])
def test_a_vacancy_with_no_resolved_requirement_is_unjudged_flagged_and_warned(
    skills: list[str],
) -> None:
    vague = job(id="v-vague", occupation=None, skills=skills)
    e = M.explain(person(), vague)
    assert e.skill_unjudged
    assert e.component_scores["skill"] == CONFIG.skill_unknown < 1.0
    assert e.score < M.score(person(), job())  # a judged match ranks above it
    assert any("could not be judged" in n for n in e.notes)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ranking = M.rank([person(), person(id="c-2")], [job(), vague], top_k=2)
    assert len([w for w in caught if issubclass(w.category, UnjudgedVacancyWarning)]) == 1
    assert ranking.unjudged == ("v-vague",)
    matches = ranking.for_candidate("c-1")
    assert [m.vacancy_id for m in matches] == ["v-1", "v-vague"]
    assert [m.unjudged for m in matches] == [False, True]
    assert M.unjudged([job(), vague]) == ("v-vague",)


# -- 3. unknown is not absent ---------------------------------------------------------------------


def test_unrecorded_languages_score_between_a_known_shortfall_and_a_known_fit() -> None:
    asks = job(languages=[{"language": "sv", "level": "B1"}])
    unknown = M.explain(person(languages=[]), asks).component_scores["language"]
    a1 = M.explain(person(languages=[{"language": "sv", "level": "A1"}]), asks)
    none = M.explain(person(languages=[], known_none=["languages"]), asks)
    fit = M.explain(person(), asks).component_scores["language"]
    assert none.component_scores["language"] == 0.0
    assert a1.component_scores["language"] < unknown < fit
    assert unknown == CONFIG.language_not_recorded


def test_unrecorded_experience_scores_above_a_month_and_below_the_minimum() -> None:
    asks = job(min_experience_months=12)
    month = person(experience=[{"occupation": COOK, "months": 1}])
    unknown = M.explain(person(), asks).component_scores["experience"]
    none = M.explain(person(known_none=["experience"]), asks).component_scores["experience"]
    assert none == 0.0
    assert M.explain(month, asks).component_scores["experience"] < unknown < 1.0


def test_unrecorded_education_scores_above_known_none_and_below_the_minimum_met() -> None:
    asks = job(min_isced=3)
    unknown = M.explain(person(), asks).component_scores["education"]
    none = M.explain(person(known_none=["education"]), asks).component_scores["education"]
    met = M.explain(person(education=[{"isced_level": 3, "recognition": "recognised"}]), asks)
    assert none < unknown < met.component_scores["education"]
    assert none == pytest.approx(CONFIG.education_below_decay**3)  # as a recognised ISCED 0
    some = person(known_none=["education"])
    assert M.score(some, asks) == pytest.approx(M.explain(some, asks).score, abs=1e-9)


def test_known_none_contradicting_a_list_is_refused() -> None:
    assert person(languages=[], known_none=["languages"]).known_none == ("languages",)
    with pytest.raises(ValueError, match="known_none names 'languages' but the profile lists"):
        person(known_none=["languages"])


# -- 4. every field counts ------------------------------------------------------------------------


def test_a_person_available_after_the_start_is_told_when_in_the_pathway() -> None:
    later = person(available_from="2026-09-01")
    e = M.explain(later, job(start_date="2026-04-01"))
    assert e.eligible  # a start date can move; the pathway says when the person can start
    assert "available from 2026-09-01 (the job starts 2026-04-01)" in e.pathway.steps
    assert "available from 2026-09-01" in str(e)
    assert M.explain(later, job(start_date="2026-09-01")).pathway.steps == ()


def test_hours_are_a_pathway_step_or_when_asked_a_filter() -> None:
    part = person(preferences={"hours": "part_time"})
    e = M.explain(part, job(hours="full_time"))
    assert e.eligible
    assert "the job is full time; the person prefers part time" in e.pathway.steps
    assert M.explain(part, job(hours="any")).pathway.steps == ()
    strict = Matcher(T, CONFIG.replace(hours_must_match=True))
    assert strict.explain(part, job(hours="full_time")).reasons == ("hours",)
    assert strict.explain(part, job(hours="part_time")).eligible
    assert strict.explain(part, job(hours="any")).eligible
    ranking = strict.rank([part], [job(hours="full_time")], top_k=1)
    assert ranking.for_candidate("c-1")[0].reasons == ("hours",)


def test_preferred_occupations_filter_when_asked_and_are_named_in_the_explanation() -> None:
    wants_cleaning = person(preferences={"occupations": [CLEANER]})
    e = M.explain(wants_cleaning, job())
    assert e.eligible
    assert "the job is not among the person's preferred occupations" in e.notes
    strict = Matcher(T, CONFIG.replace(preferred_occupations_only=True))
    assert strict.explain(wants_cleaning, job()).reasons == ("not_preferred",)
    assert strict.explain(person(), job()).eligible  # no preference stated: no filter
    ranking = strict.rank([wants_cleaning], [job()], top_k=1)
    assert ranking.for_candidate("c-1")[0].reasons == ("not_preferred",)


# -- 5. the pathway's steps and dates -------------------------------------------------------------


def test_a_pending_recognition_of_a_required_degree_is_a_step_with_its_effect() -> None:
    e = M.explain(
        person(education=[{"isced_level": 6, "recognition": "pending"}]), job(min_isced=6)
    )
    gap = next(g for g in e.gaps if g.kind == "recognition")
    assert "pending" in gap.shortfall
    assert gap.lost > 0
    assert any("recognised" in step for step in e.pathway.steps)
    refused = M.explain(
        person(education=[{"isced_level": 6, "recognition": "not_recognised"}]), job(min_isced=6)
    )
    assert refused.pathway.kind == "training_first"
    assert any(g.kind == "recognition" for g in refused.pathway.training_needs)


def test_an_ineligible_pair_gives_the_date_work_becomes_allowed() -> None:
    waiting = person(
        work_authorisation={
            "status": "asylum_seeker_with_permit",
            "work_allowed_from": "2026-06-01",
        }
    )
    e = M.explain(waiting, job(start_date="2026-04-01"))
    assert e.pathway.kind == "not_eligible"
    assert "work is allowed from 2026-06-01" in str(e.pathway)


def test_esco_language_skills_meet_the_cefr_channel_both_ways() -> None:
    sv = T.language("sv")
    asks = job(skills=[*COOK_SKILLS, sv.listening])
    e = M.explain(person(), asks)  # Swedish B2 held
    assert e.component_scores["language"] == 1.0
    assert all(r.requirement != sv.listening for r in e.requirements)
    claims = person(languages=[], skills=[*person().skills, {"skill": sv.language, "level": 4}])
    needs_b1 = job(languages=[{"language": "sv", "level": "B1"}])
    assert M.explain(claims, needs_b1).component_scores["language"] == 1.0
    assert M.score(claims, needs_b1) == pytest.approx(M.explain(claims, needs_b1).score, abs=1e-9)


# -- 6. free text carries its confidence ----------------------------------------------------------


class _Resolver:
    """Resolves two mentions as a real resolver does: one sure, one nearly tied with another."""

    def __init__(self, sure: str, ambiguous: str, other: str) -> None:
        self._found = {
            "my trade": [Resolution(sure, "sure", "en", 1.0, "exact", "pref")],
            "forklift driving": [
                Resolution(ambiguous, "a", "en", 1.0, "exact", "alt"),
                Resolution(other, "b", "en", 0.97, "variant", "pref"),
            ],
            "some skill": [Resolution(sure, "sure", "en", 0.8, "fuzzy", "pref")],
        }

    def resolve(self, text: str, lang: str | None = None, top_k: int = 5) -> list[Resolution]:
        return self._found.get(text, [])[:top_k]


def test_free_text_carries_its_confidence_and_ambiguous_matches_are_marked() -> None:
    sure, shaky, other = COOK_SKILLS[0], COOK_SKILLS[1], COOK_SKILLS[2]
    matcher = Matcher(T, CONFIG, resolver=_Resolver(sure, shaky, other))  # type: ignore[arg-type]
    asks = job(skills=[sure, shaky])
    as_uri = person(skills=[{"skill": sure, "evidence": "validated"}])
    weak = person(skills=[{"skill": "some skill", "evidence": "validated"}])
    # A claim resolved at 0.8 earns 0.8 of the credit of the same concept given as a URI.
    assert matcher.explain(weak, asks).requirements[0].credit == pytest.approx(0.8)
    assert matcher.explain(as_uri, asks).requirements[0].credit == 1.0
    e = matcher.explain(person(skills=["my trade", "forklift driving"]), asks)
    marked = {r.requirement: r.check for r in e.requirements}
    assert marked == {sure: False, shaky: True}
    assert "check it" in str(e)
    assert matcher.score(weak, asks) == pytest.approx(matcher.explain(weak, asks).score, abs=1e-9)
