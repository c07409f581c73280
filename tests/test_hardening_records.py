"""Issue 19, the items about records, text and empty cohorts: 20, 21, 28 and the empty cohort.

Each test is named by the item it answers (``test_19_<item>_…``) and fails on the code before
the fix: a subnormal coordinate made the ranking and the explanation disagree (20); a record could
hold thousands of free-text mentions, each costing milliseconds to resolve (21); unknown field
names were echoed, a raised ``ProfileError`` kept the input text reachable from its traceback, and
a ``$`` in a label broke ``savefig`` (28); an empty cohort was an error rather than an empty result.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from labourint_match import (
    CandidateProfile,
    Matcher,
    ScoringConfig,
    Taxonomy,
    Vacancy,
    load_candidates,
)
from labourint_match.errors import ProfileError

COOK = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
AS_OF = date(2026, 1, 1)


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.default()


@pytest.fixture(scope="module")
def matcher(taxonomy: Taxonomy) -> Matcher:
    return Matcher(taxonomy, ScoringConfig(as_of=AS_OF))


@pytest.fixture(scope="module")
def cook_skills(taxonomy: Taxonomy) -> list[str]:
    return [r.skill for r in taxonomy.occupation_skills(COOK) if r.relation == "essential"]


# -- 20. a subnormal coordinate: rank and explain must agree ---------------------------------------

# Latitudes and longitudes whose distance to 0 underflows in the haversine formula (the squared
# half-angle is below the smallest double), next to ones that do not.
TINY = [5e-324, -5e-324, 1e-310, 1e-300, 1e-200, 1e-160, 1e-150, 9.99e-10]


@pytest.mark.parametrize("reach", [0.0, 10.0])
@pytest.mark.parametrize("tiny", TINY)
@pytest.mark.parametrize("axis", ["lat", "lon"])
def test_19_20_rank_scores_and_explain_agree_on_a_tiny_coordinate(
    matcher: Matcher, cook_skills: list[str], axis: str, tiny: float, reach: float
) -> None:
    where = {"lat": 0.0, "lon": 0.0, axis: tiny}
    person = CandidateProfile(
        id="c-1", skills=cook_skills[:4], location=where, max_commute_km=reach,
        work_authorisation={"status": "citizen"},
    )  # fmt: skip
    job = Vacancy(id="v-1", skills=cook_skills, occupation=COOK, location={"lat": 0.0, "lon": 0.0})
    explanation = matcher.explain(person, job)
    by_candidate = matcher.rank([person], [job]).for_candidate("c-1")[0]
    by_vacancy = matcher.rank([person], [job], by="vacancy").for_vacancy("v-1")[0]
    assert explanation.eligible  # 1e-9 degrees is 0.1 mm: within any reach, 0 km included
    for match in (by_candidate, by_vacancy):
        assert match.eligible == explanation.eligible
        assert match.score == pytest.approx(explanation.score, abs=1e-6)
    assert matcher.score(person, job) == pytest.approx(explanation.score, abs=1e-12)
    assert float(matcher.scores([person], [job])[0, 0]) == pytest.approx(by_candidate.score)


def test_19_20_coordinates_below_the_bound_are_read_as_zero_and_others_kept() -> None:
    from labourint_match.profiles import MIN_NONZERO_COORDINATE, Location

    assert MIN_NONZERO_COORDINATE == 1e-9
    snapped = Location(lat=5e-324, lon=-1e-10)
    assert (snapped.lat, snapped.lon) == (0.0, 0.0)
    assert str(snapped.lon) == "0.0"  # -0.0 too
    kept = Location(lat=1e-9, lon=-2.5e-9)
    assert (kept.lat, kept.lon) == (1e-9, -2.5e-9)
    assert Location.model_validate_json('{"lat": 1e-320, "lon": 18.07}').lat == 0.0


# -- 21. free-text mentions per record: bounded before any is resolved -----------------------------

MARKER = "ZZSECRET"


def _mentions(n: int) -> list[str]:
    return [f"{MARKER} mention {i}" for i in range(n)]


@pytest.mark.parametrize("model", [CandidateProfile, Vacancy])
def test_19_21_a_record_with_more_free_text_skills_than_the_bound_is_refused(
    model: type[CandidateProfile] | type[Vacancy],
) -> None:
    from pydantic import ValidationError

    from labourint_match.profiles import MAX_ITEMS, MAX_SKILL_MENTIONS

    assert MAX_SKILL_MENTIONS == 100 < MAX_ITEMS
    with pytest.raises(ValidationError) as info:
        model(id="r-1", skills=_mentions(MAX_SKILL_MENTIONS + 1))
    assert "MAX_SKILL_MENTIONS" in str(info.value)
    assert MARKER not in str(info.value)
    # At the bound, and with concept URIs beyond it (they are not resolved), it is accepted.
    assert len(model(id="r-1", skills=_mentions(MAX_SKILL_MENTIONS)).skills) == 100
    uris = [f"urn:ex:skill-{i}" for i in range(MAX_ITEMS - MAX_SKILL_MENTIONS)]
    assert len(model(id="r-1", skills=_mentions(MAX_SKILL_MENTIONS) + uris).skills) == MAX_ITEMS


def test_19_21_a_file_record_over_the_bound_is_a_profile_error_naming_record_field_and_limit(
    tmp_path: Path,
) -> None:
    path = tmp_path / "people.jsonl"
    lines = [
        {"id": "c-1", "skills": ["welding"]},
        {"id": "c-2", "skills": [{"skill": m, "level": 3} for m in _mentions(2000)]},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_candidates(path)
    err = info.value
    assert err.record == "c-2 (line 2 of people.jsonl)"
    assert err.field == "skills"
    assert "at most 100 (MAX_SKILL_MENTIONS)" in err.message
    assert "concept URIs" in err.message  # what to do instead
    assert MARKER not in str(err)


def test_19_21_the_matcher_resolves_at_most_the_bound_per_record(
    taxonomy: Taxonomy, cook_skills: list[str]
) -> None:
    """The bound is on the work: a record at the limit asks the resolver for 100 mentions."""
    from labourint_match.profiles import MAX_SKILL_MENTIONS

    class Counting:
        def __init__(self) -> None:
            self.texts: list[str] = []

        def resolve(self, text: str, lang: str | None = None, *, top_k: int = 5) -> list[Any]:
            self.texts.append(text)
            return []

    counting = Counting()
    matcher = Matcher(taxonomy, ScoringConfig(as_of=AS_OF), resolver=counting)  # type: ignore[arg-type]
    person = CandidateProfile(id="c-1", skills=_mentions(MAX_SKILL_MENTIONS) + cook_skills)
    matcher.rank([person], [Vacancy(id="v-1", skills=cook_skills)])
    assert len(counting.texts) == MAX_SKILL_MENTIONS
