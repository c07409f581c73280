"""Synthetic cohorts: reproducible byte for byte, prefix-stable, valid, plausible, streamable."""

from __future__ import annotations

import hashlib
import json
import math
import os
import pickle
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labourint_match import (
    CEFR_LEVELS,
    CandidateProfile,
    ConceptKind,
    Matcher,
    Taxonomy,
    Vacancy,
    load_candidates,
    load_vacancies,
    validate_cohort,
)
from labourint_match.errors import ConfigError
from labourint_match.synth import (
    ORIGINS,
    Region,
    SynthConfig,
    SyntheticCohort,
    cohort,
    iter_candidates,
    iter_truth,
    iter_vacancies,
    write_cohort,
    write_jsonl,
)

ORIGIN_LANGUAGES = {code for origin in ORIGINS.values() for code, _ in origin.languages}


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.default()


@pytest.fixture(scope="module")
def big(taxonomy: Taxonomy) -> SyntheticCohort:
    """A cohort large enough for distribution checks, drawn once."""
    return cohort(taxonomy, 600, 300, seed=2024)


def jsonl(records: Sequence[CandidateProfile | Vacancy]) -> bytes:
    return b"".join(r.model_dump_json().encode("utf-8") + b"\n" for r in records)


def sha256_of(result: SyntheticCohort) -> str:
    candidates, vacancies = result
    payload = jsonl(candidates) + jsonl(vacancies) + json.dumps(dict(result.truth)).encode()
    return hashlib.sha256(payload).hexdigest()


def essential_of(taxonomy: Taxonomy, occupation: str) -> set[str]:
    return {r.skill for r in taxonomy.occupation_skills(occupation) if r.relation == "essential"}


def optional_of(taxonomy: Taxonomy, occupation: str) -> set[str]:
    return {r.skill for r in taxonomy.occupation_skills(occupation) if r.relation == "optional"}


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


# -- determinism ----------------------------------------------------------------------------------


def test_same_seed_gives_byte_identical_json(taxonomy: Taxonomy) -> None:
    first = cohort(taxonomy, 80, 30, seed=11)
    second = cohort(taxonomy, 80, 30, seed=11)
    assert sha256_of(first) == sha256_of(second)
    assert first.digest() == second.digest()


def test_same_seed_gives_the_same_digest_in_a_fresh_process_with_another_hash_seed(
    taxonomy: Taxonomy,
) -> None:
    # Catches any dependence on set or dict iteration order of str keys (PYTHONHASHSEED).
    code = (
        "from labourint_match import Taxonomy\n"
        "from labourint_match.synth import cohort\n"
        "print(cohort(Taxonomy.default(), 40, 15, seed=11).digest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == cohort(taxonomy, 40, 15, seed=11).digest()


def test_different_seeds_give_different_cohorts(taxonomy: Taxonomy) -> None:
    a = cohort(taxonomy, 50, 20, seed=1)
    b = cohort(taxonomy, 50, 20, seed=2)
    assert sha256_of(a) != sha256_of(b)
    assert jsonl(a.candidates) != jsonl(b.candidates)
    assert jsonl(a.vacancies) != jsonl(b.vacancies)
    # Not just a different order: most individual records differ.
    same = sum(x == y for x, y in zip(a.candidates, b.candidates, strict=True))
    assert same < 5


def test_prefix_of_a_bigger_cohort_is_the_smaller_cohort(taxonomy: Taxonomy) -> None:
    small = cohort(taxonomy, 30, 10, seed=5)
    larger = cohort(taxonomy, 120, 45, seed=5)
    assert jsonl(larger.candidates[:30]) == jsonl(small.candidates)
    assert jsonl(larger.vacancies[:10]) == jsonl(small.vacancies)
    assert {k: larger.truth[k] for k in small.truth} == dict(small.truth)


def test_candidates_do_not_depend_on_the_number_of_vacancies_and_vice_versa(
    taxonomy: Taxonomy,
) -> None:
    a = cohort(taxonomy, 20, 0, seed=9)
    b = cohort(taxonomy, 20, 50, seed=9)
    c = cohort(taxonomy, 0, 50, seed=9)
    assert jsonl(a.candidates) == jsonl(b.candidates)
    assert jsonl(b.vacancies) == jsonl(c.vacancies)


def test_streaming_gives_the_same_records_as_cohort(taxonomy: Taxonomy) -> None:
    whole = cohort(taxonomy, 40, 20, seed=8, newcomer_share=0.8)
    streamed = list(iter_candidates(taxonomy, 40, seed=8, newcomer_share=0.8))
    assert jsonl(streamed) == jsonl(whole.candidates)
    assert jsonl(list(iter_vacancies(taxonomy, 20, seed=8))) == jsonl(whole.vacancies)
    assert dict(iter_truth(taxonomy, 40, seed=8, newcomer_share=0.8)) == dict(whole.truth)


def test_shards_drawn_from_an_offset_join_into_the_whole_cohort(taxonomy: Taxonomy) -> None:
    whole = cohort(taxonomy, 25, 12, seed=3)
    parts = [list(iter_candidates(taxonomy, 10, seed=3, start=s)) for s in (0, 10, 20)]
    joined = [c for part in parts for c in part][:25]
    assert jsonl(joined) == jsonl(whole.candidates)
    tail = list(iter_vacancies(taxonomy, 2, seed=3, start=10))
    assert jsonl(tail) == jsonl(whole.vacancies[10:12])
    assert dict(iter_truth(taxonomy, 5, seed=3, start=20)) == {
        k: v for k, v in whole.truth.items() if k >= "c000021"
    }


def test_order_of_keys_in_a_weight_mapping_does_not_change_the_cohort(taxonomy: Taxonomy) -> None:
    weights = {"self_declared": 0.5, "certified": 0.2, "validated": 0.3}
    reordered = dict(reversed(list(weights.items())))
    a = cohort(taxonomy, 20, 0, seed=4, evidence_weights=weights)
    b = cohort(taxonomy, 20, 0, seed=4, evidence_weights=reordered)
    assert a.digest() == b.digest()


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**64))
def test_any_seed_gives_valid_reproducible_records(seed: int) -> None:
    taxonomy = Taxonomy.default()
    first = cohort(taxonomy, 3, 2, seed=seed)
    assert first.digest() == cohort(taxonomy, 3, 2, seed=seed).digest()
    validate_cohort(first.candidates, taxonomy=taxonomy)
    validate_cohort(first.vacancies, taxonomy=taxonomy)


# -- validity and ground truth --------------------------------------------------------------------


def test_every_record_validates_against_the_taxonomy(
    taxonomy: Taxonomy, big: SyntheticCohort
) -> None:
    candidates, vacancies = big
    assert validate_cohort(candidates, taxonomy=taxonomy).unknown_concepts == ()
    assert validate_cohort(vacancies, taxonomy=taxonomy).unknown_concepts == ()
    # The JSON reads back through the loaders' own validation.
    for record in (*candidates[:50], *vacancies[:50]):
        assert type(record).model_validate_json(record.model_dump_json()) == record


def test_ids_are_zero_padded_and_in_order(big: SyntheticCohort) -> None:
    candidates, vacancies = big
    assert [c.id for c in candidates] == [f"c{i:06d}" for i in range(1, 601)]
    assert [v.id for v in vacancies] == [f"v{i:06d}" for i in range(1, 301)]


def test_truth_covers_every_candidate_and_matches_its_experience(
    taxonomy: Taxonomy, big: SyntheticCohort
) -> None:
    candidates, _ = big
    assert set(big.truth) == {c.id for c in candidates}
    counts = Counter(len(big.truth[c.id]) for c in candidates)
    assert set(counts) == {1, 2}
    assert 0.2 < counts[2] / len(candidates) < 0.5  # second_occupation_rate 0.35
    for c in candidates:
        sources = big.truth[c.id]
        assert len(set(sources)) == len(sources)
        assert all(taxonomy.kind(uri) is ConceptKind.OCCUPATION for uri in sources)
        assert tuple(e.occupation for e in c.experience) == sources
        assert all(e.months is not None and 6 <= e.months <= 150 for e in c.experience)


def test_claims_overlap_their_source_occupation_more_than_a_random_occupation(
    taxonomy: Taxonomy, big: SyntheticCohort
) -> None:
    occupations = [
        o for o in taxonomy.concepts(ConceptKind.OCCUPATION) if len(essential_of(taxonomy, o)) >= 3
    ]
    own, other = [], []
    for i, c in enumerate(big.candidates):
        claimed = {s.skill for s in c.skills}
        source = essential_of(taxonomy, big.truth[c.id][0])
        unrelated = essential_of(taxonomy, occupations[(i * 7919) % len(occupations)])
        own.append(len(claimed & source) / len(source))
        other.append(len(claimed & unrelated) / len(unrelated))
    mean_own, mean_other = sum(own) / len(own), sum(other) / len(other)
    assert 0.5 < mean_own < 0.9  # dropout 0.3 and neighbour swaps 0.15 leave about 0.6
    assert mean_own > 3 * mean_other


def test_without_dropout_neighbours_or_noise_claims_are_exactly_the_source_skills(
    taxonomy: Taxonomy,
) -> None:
    result = cohort(
        taxonomy,
        40,
        0,
        seed=6,
        dropout_rate=0,
        neighbour_rate=0,
        noise_rate=0,
        claim_optional_share=0,
    )
    for c in result.candidates:
        expected = set().union(*(essential_of(taxonomy, o) for o in result.truth[c.id]))
        assert {s.skill for s in c.skills} == expected


def test_vacancies_ask_for_their_occupations_essential_and_some_optional_skills(
    taxonomy: Taxonomy, big: SyntheticCohort
) -> None:
    listed = available = 0
    for v in big.vacancies:
        assert v.occupation is not None
        essential = {r.skill for r in v.skills if r.importance == "essential"}
        optional = {r.skill for r in v.skills if r.importance == "optional"}
        assert essential == essential_of(taxonomy, v.occupation)
        assert len(essential) >= 3
        assert optional <= optional_of(taxonomy, v.occupation)
        listed += len(optional)
        available += len(optional_of(taxonomy, v.occupation))
        assert v.title
    assert 0.3 < listed / available < 0.5  # optional_share 0.4


# -- distributions --------------------------------------------------------------------------------


def test_openings_are_within_one_to_five_and_mostly_one(big: SyntheticCohort) -> None:
    openings = Counter(v.openings for v in big.vacancies)
    assert set(openings) == {1, 2, 3, 4, 5}
    assert openings.most_common(1)[0][0] == 1


def test_demand_is_skewed_towards_a_few_occupations(big: SyntheticCohort) -> None:
    counts = Counter(v.occupation for v in big.vacancies)
    uniform = len(big.vacancies) / len(counts)
    assert counts.most_common(1)[0][1] > 4 * uniform


def test_mother_tongues_are_origin_languages_or_the_host_language(big: SyntheticCohort) -> None:
    natives = Counter(lang.language for c in big.candidates for lang in c.languages if lang.native)
    assert all(sum(1 for lang in c.languages if lang.native) == 1 for c in big.candidates)
    assert set(natives) <= ORIGIN_LANGUAGES | {"sv"}
    # The main origin languages named in the issue all occur in the default mix.
    assert {"ar", "uk", "prs", "fa", "ps", "ti", "so", "ku", "tr"} <= set(natives)


def test_cohort_mixes_domestic_jobseekers_and_newcomers(big: SyntheticCohort) -> None:
    groups = Counter(c.audit.group for c in big.candidates if c.audit is not None)
    assert 0.5 < groups["newcomer"] / len(big.candidates) < 0.7  # newcomer_share 0.6
    for c in big.candidates:
        assert c.audit is not None
        native = next(lang.language for lang in c.languages if lang.native)
        if c.audit.group == "domestic":
            assert native == "sv"
            assert c.work_authorisation.status == "citizen"
            assert c.audit.nationality == "SE"
            assert all(e.recognition == "recognised" for e in c.education)
        else:
            assert c.audit.nationality in ORIGINS
            assert native in {code for code, _ in ORIGINS[c.audit.nationality].languages}


def test_newcomers_host_language_levels_are_a1_to_c1(big: SyntheticCohort) -> None:
    levels: Counter[str] = Counter()
    for c in big.candidates:
        if c.audit is None or c.audit.group != "newcomer":
            continue
        host = [lang for lang in c.languages if lang.language == "sv"]
        assert len(host) == 1
        assert not host[0].native
        levels[str(host[0].level)] += 1
        for activity in ("listening", "reading", "spoken_interaction", "writing"):
            assert host[0].level_for(activity) in CEFR_LEVELS[:5]
    assert set(levels) == {"A1", "A2", "B1", "B2", "C1"}


def test_work_authorisation_is_a_mix_with_dates_after_as_of(big: SyntheticCohort) -> None:
    statuses = Counter(c.work_authorisation.status for c in big.candidates)
    assert len(statuses) >= 7
    for c in big.candidates:
        auth = c.work_authorisation
        for day in (auth.work_allowed_from, auth.work_allowed_until):
            assert day is None or day > date(2026, 1, 1)
        if c.audit is not None and c.audit.nationality == "UA":
            assert auth.status == "temporary_protection"
            assert auth.work_allowed_until is not None
    # Some asylum-seekers may work only from a later date; others may not work at all yet.
    waiting = [
        c.work_authorisation.work_allowed_from
        for c in big.candidates
        if c.work_authorisation.status == "asylum_seeker_without_permit"
    ]
    assert any(d is None for d in waiting)
    assert any(d is not None for d in waiting)


def test_education_has_levels_fields_and_a_mix_of_recognition(big: SyntheticCohort) -> None:
    recognition = Counter(
        e.recognition
        for c in big.candidates
        if c.audit is not None and c.audit.group == "newcomer"
        for e in c.education
    )
    assert set(recognition) == {"recognised", "pending", "partial", "not_recognised", "unknown"}
    levels = Counter(e.isced_level for c in big.candidates for e in c.education)
    assert len(levels) >= 5
    assert any(e.field is not None for c in big.candidates for e in c.education)


def test_locations_lie_in_the_region_with_commuting_radii(big: SyntheticCohort) -> None:
    region = Region()
    for record in (*big.candidates, *big.vacancies):
        loc = record.location
        assert loc is not None
        assert loc.lat is not None
        assert loc.lon is not None
        assert km_between(region.lat, region.lon, loc.lat, loc.lon) <= region.radius_km + 0.1
        assert loc.region == "SE110"
    assert {c.max_commute_km for c in big.candidates} == {10.0, 20.0, 30.0, 50.0, 80.0}


def test_evidence_levels_are_mixed(big: SyntheticCohort) -> None:
    evidence = Counter(s.evidence for c in big.candidates for s in c.skills)
    assert set(evidence) == {"self_declared", "adviser_mapped", "validated", "certified"}
    assert evidence["self_declared"] > evidence["certified"]
    assert any(s.level is not None for c in big.candidates for s in c.skills)


def test_vacancies_offer_support_and_ask_for_the_host_language(big: SyntheticCohort) -> None:
    for kind in ("mentor", "wage_subsidy", "on_the_job_training", "language_training"):
        assert any(getattr(v.support, kind) for v in big.vacancies), kind
    host = [lang for v in big.vacancies for lang in v.languages if lang.language == "sv"]
    assert len(host) > len(big.vacancies) / 2
    assert {lang.level for lang in host} <= set(CEFR_LEVELS[:5])
    assert all(v.start_date is not None and v.start_date > date(2026, 1, 1) for v in big.vacancies)
    remote = sum(v.remote for v in big.vacancies)
    assert 0 < remote < len(big.vacancies) / 5


# -- knobs ----------------------------------------------------------------------------------------


def test_knobs_change_what_is_drawn(taxonomy: Taxonomy) -> None:
    domestic = cohort(taxonomy, 30, 0, seed=1, newcomer_share=0)
    assert {c.audit.group for c in domestic.candidates if c.audit} == {"domestic"}
    remote = cohort(taxonomy, 0, 20, seed=1, remote_share=1.0, openings_weights=[0, 0, 1])
    assert all(v.remote and v.openings == 3 for v in remote.vacancies)
    norway = cohort(
        taxonomy,
        30,
        10,
        seed=1,
        newcomer_share=0.0,
        host_language="nb",
        host_country="no",
        region=Region(lat=59.91, lon=10.75, radius_km=25, code="NO081"),
        as_of=date(2030, 6, 1),
        audit=False,
    )
    assert {lang.language for c in norway.candidates for lang in c.languages if lang.native} == {
        "nb"
    }
    assert all(c.audit is None for c in norway.candidates)
    assert all(
        v.start_date is not None and v.start_date > date(2030, 6, 1) for v in norway.vacancies
    )
    for c in norway.candidates:
        assert c.location is not None
        assert c.location.lat is not None
        assert c.location.lon is not None
        assert km_between(59.91, 10.75, c.location.lat, c.location.lon) <= 25.1
    syrians = cohort(taxonomy, 20, 0, seed=1, newcomer_share=1, origin_weights={"SY": 1})
    assert {c.audit.nationality for c in syrians.candidates if c.audit} == {"SY"}


def test_knob_mappings_accept_strings_for_dates_and_mappings_for_regions(
    taxonomy: Taxonomy,
) -> None:
    a = cohort(taxonomy, 5, 5, seed=1, as_of="2027-03-01", region={"lat": 60.0, "lon": 20.0})
    b = cohort(taxonomy, 5, 5, seed=1, as_of=date(2027, 3, 1), region=Region(lat=60.0, lon=20.0))
    assert a.digest() == b.digest()
    assert a.config.as_of == date(2027, 3, 1)


BAD_KNOBS: list[tuple[str, Any]] = [
    ("dropout_rate", 1.5),
    ("dropout_rate", float("nan")),
    ("neighbour_rate", -0.1),
    ("noise_rate", "0.1"),
    ("newcomer_share", True),
    ("optional_share", None),
    ("remote_share", 2),
    ("host_language", "Swedish"),
    ("host_language", 7),
    ("host_country", "Sweden"),
    ("region", (59.3, 18.0, 60)),
    ("region", {"lat": 95.0, "lon": 18.0}),
    ("region", {"lat": 59.0, "lon": 18.0, "radius": 5}),
    ("as_of", "next week"),
    ("as_of", 20260101),
    ("evidence_weights", {"self_declared": -1.0}),
    ("evidence_weights", {"hearsay": 1.0}),
    ("evidence_weights", {"self_declared": 0.0}),
    ("evidence_weights", [0.5, 0.5]),
    ("origin_weights", {"XX": 1.0}),
    ("status_weights", {"citizen": 1.0}),
    ("status_weights", {"temporary_protection": 1.0}),
    ("host_level_weights", {"D1": 1.0}),
    ("recognition_weights", {"recognised": float("inf")}),
    ("support_rates", {"mentor": 1.2}),
    ("support_rates", {"coaching": 0.5}),
    ("commute_km_weights", {}),
    ("commute_km_weights", {-5: 1.0}),
    ("openings_weights", []),
    ("openings_weights", [0, 0]),
    ("openings_weights", "12345"),
    ("temporary_protection_origins", "UA"),
    ("temporary_protection_origins", ["Ukraine"]),
    ("demand_skew", -1),
    ("supply_skew", 100),
    ("n_employers", 0),
    ("n_employers", 2.5),
    ("min_essential", 0),
    ("audit", "yes"),
    ("unjudged_vacancy_share", 1.5),
    ("unjudged_vacancy_share", "0.05"),
    ("common_skill_vacancy_share", -0.1),
    ("common_skill_vacancy_share", None),
    ("unknown_languages_rate", float("nan")),
    ("unknown_languages_rate", True),
    ("unknown_experience_rate", 2),
]


@pytest.mark.parametrize(("knob", "value"), BAD_KNOBS)
def test_bad_knob_raises_config_error_naming_it(taxonomy: Taxonomy, knob: str, value: Any) -> None:
    with pytest.raises(ConfigError, match=f"'{knob}'"):
        cohort(taxonomy, 2, 2, seed=0, **{knob: value})
    with pytest.raises(ConfigError, match=f"'{knob}'"):
        iter_candidates(taxonomy, 2, seed=0, **{knob: value})  # raised at the call


@pytest.mark.parametrize(
    "fields",
    [{"radius_km": -1}, {"radius_km": float("nan")}, {"lat": 91}, {"lon": "18"}, {"code": " SE"}],
)
def test_bad_region_raises_config_error_naming_the_region_knob(fields: dict[str, Any]) -> None:
    with pytest.raises(ConfigError, match="'region'"):
        Region(**fields)


def test_unknown_knob_is_named_with_the_list_of_knobs(taxonomy: Taxonomy) -> None:
    with pytest.raises(ConfigError, match=r"unknown knob 'dropout'.*dropout_rate"):
        cohort(taxonomy, 2, 2, seed=0, dropout=0.2)


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"seed": True}, "seed"),
        ({"seed": "1"}, "seed"),
        ({"seed": 1, "n_candidates": -1}, "n_candidates"),
        ({"seed": 1, "n_vacancies": 2.0}, "n_vacancies"),
    ],
)
def test_bad_seed_or_count_raises_config_error(
    taxonomy: Taxonomy, kwargs: dict[str, Any], named: str
) -> None:
    args = {"n_candidates": 2, "n_vacancies": 2, **kwargs}
    with pytest.raises(ConfigError, match=named):
        cohort(taxonomy, **args)


def test_seed_is_required(taxonomy: Taxonomy) -> None:
    with pytest.raises(TypeError, match="seed"):
        cohort(taxonomy, 2, 2)  # type: ignore[call-arg]


def test_not_a_taxonomy_or_one_without_occupations_raises_config_error() -> None:
    with pytest.raises(ConfigError, match="taxonomy must be a Taxonomy"):
        cohort("esco.zip", 2, 2, seed=0)  # type: ignore[arg-type]
    skills_only = Taxonomy.from_rdf(
        b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        b'<urn:ex:a> a skos:Concept ; skos:prefLabel "a"@en .\n',
        format="turtle",
        cache=False,
    )
    with pytest.raises(ConfigError, match="min_essential"):
        cohort(skills_only, 2, 2, seed=0)
    with pytest.raises(ConfigError, match="min_essential"):
        cohort(Taxonomy.default(), 2, 2, seed=0, min_essential=10_000)


def test_knobs_passed_in_are_not_changed(taxonomy: Taxonomy) -> None:
    weights = {"self_declared": 2.0, "certified": 2.0}
    cohort(taxonomy, 3, 0, seed=0, evidence_weights=weights)
    assert weights == {"self_declared": 2.0, "certified": 2.0}


def test_config_round_trips_to_json(taxonomy: Taxonomy) -> None:
    config = cohort(taxonomy, 1, 1, seed=0, remote_share=0.25).config
    data = json.loads(json.dumps(config.to_dict()))
    assert data["remote_share"] == 0.25
    assert SynthConfig(**{**data, "region": Region(**data["region"])}).to_dict() == data


# -- what real intake data has -------------------------------------------------------------------

INTAKE_KNOBS = {
    "unjudged_vacancy_share": 0.2,
    "common_skill_vacancy_share": 0.3,
    "unknown_languages_rate": 0.4,
    "unknown_experience_rate": 0.3,
}


def projection_digest(result: SyntheticCohort) -> str:
    """SHA-256 of every value the generator draws, field by field (not of the models' JSON)."""
    rows: list[Any] = []
    for c in result.candidates:
        auth, audit, loc = c.work_authorisation, c.audit, c.location
        rows.append([
            c.id, [[s.skill, s.evidence, s.level, s.years] for s in c.skills],
            [[x.language, x.level, x.native, x.spoken_interaction, x.writing]
             for x in c.languages],
            [[e.isced_level, e.field, e.recognition] for e in c.education],
            [[e.occupation, e.months] for e in c.experience],
            loc and [loc.lat, loc.lon, loc.region], c.max_commute_km,
            [auth.status, str(auth.work_allowed_from), str(auth.work_allowed_until)],
            str(c.available_from), list(c.preferences.occupations), c.preferences.hours,
            audit and [audit.gender, audit.age_band, audit.nationality, audit.disability,
                       audit.group],
        ])  # fmt: skip
    for v in result.vacancies:
        loc = v.location
        rows.append([
            v.id, v.employer_id, v.occupation, v.title,
            [[r.skill, r.importance, r.min_level] for r in v.skills],
            [[x.language, x.level, x.writing, x.importance] for x in v.languages],
            v.min_isced, v.min_experience_months, loc and [loc.lat, loc.lon, loc.region],
            v.remote, v.openings, str(v.start_date), v.hours,
            [v.support.mentor, v.support.wage_subsidy, v.support.on_the_job_training,
             v.support.language_training],
        ])  # fmt: skip
    rows.append(sorted([k, list(t)] for k, t in result.truth.items()))
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


def test_intake_knobs_are_off_by_default_and_the_cohort_is_what_it_was(taxonomy: Taxonomy) -> None:
    default = cohort(taxonomy, 60, 25, seed=11)
    # What the generator drew before the intake knobs existed (commit 538b037), field by field.
    expected = "a5b1c4ddc66835a6caf591fa4cd54bb9f39f087ab27d7e1f1527de018c2a92bb"
    assert projection_digest(default) == expected
    off = dict.fromkeys(INTAKE_KNOBS, 0.0)
    assert cohort(taxonomy, 60, 25, seed=11, **off).digest() == default.digest()
    config = SynthConfig()
    assert [getattr(config, name) for name in INTAKE_KNOBS] == [0.0] * len(INTAKE_KNOBS)


def test_intake_knobs_leave_every_drawn_record_as_it_was(taxonomy: Taxonomy) -> None:
    default = cohort(taxonomy, 40, 30, seed=6)
    messy = cohort(taxonomy, 40, 30, seed=6, **INTAKE_KNOBS)
    assert jsonl(messy.vacancies[:30]) == jsonl(default.vacancies)
    assert dict(messy.truth) == dict(default.truth)
    for before, after in zip(default.candidates, messy.candidates, strict=True):
        assert after.languages in (before.languages, ())
        assert after.experience in (before.experience, ())
        assert (
            after.model_copy(
                update={"languages": before.languages, "experience": before.experience}
            )
            == before
        )


def test_unjudged_vacancies_are_extra_remote_and_ask_for_no_resolvable_skill(
    taxonomy: Taxonomy,
) -> None:
    result = cohort(taxonomy, 0, 40, seed=2, unjudged_vacancy_share=0.5)
    drawn, extra = result.vacancies[:40], result.vacancies[40:]
    assert [v.id for v in drawn] == [f"v{j:06d}" for j in range(1, 41)]
    assert [v.id for v in extra] == [f"vu{j:06d}" for j in range(1, 21)]
    matcher = Matcher(taxonomy)
    for v in extra:
        assert v.remote
        assert v.occupation is None
        assert (v.languages, v.min_isced, v.min_experience_months) == ((), None, None)
        assert v.openings >= 1
        assert v.start_date is not None
        assert v.start_date > date(2026, 1, 1)
        assert len(v.skills) <= 2
        for r in v.skills:
            assert not r.skill.startswith("http")
            assert matcher.resolve(r.skill) is None, r.skill
    sizes = Counter(len(v.skills) for v in extra)
    assert sizes[0] > 0
    assert sizes[1] + sizes[2] > 0
    # round(share × n_vacancies), half up.
    assert len(cohort(taxonomy, 0, 30, seed=2, unjudged_vacancy_share=0.05).vacancies) == 32
    assert len(cohort(taxonomy, 0, 9, seed=2, unjudged_vacancy_share=0.05).vacancies) == 9


def test_common_skill_vacancies_ask_one_or_two_of_the_most_required_skills(
    taxonomy: Taxonomy,
) -> None:
    result = cohort(taxonomy, 0, 50, seed=4, common_skill_vacancy_share=0.6)
    extra = result.vacancies[50:]
    assert [v.id for v in extra] == [f"vc{j:06d}" for j in range(1, 31)]
    required: Counter[str] = Counter()
    for occupation in taxonomy.concepts(ConceptKind.OCCUPATION):
        essential = essential_of(taxonomy, occupation)
        if len(essential) >= 3:  # min_essential: the occupations the generator draws from
            required.update(essential)
    # The 20 most required, and any tied with the 20th.
    cut = sorted(required.values(), reverse=True)[19]
    common = {skill for skill, n in required.items() if n >= cut}
    for v in extra:
        assert v.remote
        assert v.occupation is None
        assert (v.languages, v.min_isced, v.min_experience_months) == ((), None, None)
        skills = [r.skill for r in v.skills]
        assert 1 <= len(skills) <= 2
        assert len(set(skills)) == len(skills)
        assert set(skills) <= common
    assert {len(v.skills) for v in extra} == {1, 2}


def test_unknown_languages_and_experience_come_at_their_rates(taxonomy: Taxonomy) -> None:
    everyone = cohort(taxonomy, 30, 0, seed=8, unknown_languages_rate=1, unknown_experience_rate=1)
    assert all(c.languages == () and c.experience == () for c in everyone.candidates)
    assert all(everyone.truth[c.id] for c in everyone.candidates)
    some = cohort(taxonomy, 400, 0, seed=8, unknown_languages_rate=0.25)
    no_languages = sum(c.languages == () for c in some.candidates)
    assert 60 < no_languages < 140
    assert all(c.experience for c in some.candidates)
    some = cohort(taxonomy, 400, 0, seed=8, unknown_experience_rate=0.25)
    assert 60 < sum(c.experience == () for c in some.candidates) < 140
    assert all(c.languages for c in some.candidates)


def test_intake_knobs_are_seeded_and_streamed_as_cohort_draws_them(
    taxonomy: Taxonomy, tmp_path: Path
) -> None:
    a = cohort(taxonomy, 30, 20, seed=5, **INTAKE_KNOBS)
    assert a.digest() == cohort(taxonomy, 30, 20, seed=5, **INTAKE_KNOBS).digest()
    b = cohort(taxonomy, 30, 20, seed=7, **INTAKE_KNOBS)
    assert jsonl(a.vacancies[20:]) != jsonl(b.vacancies[20:])
    assert [c.languages == () for c in a.candidates] != [c.languages == () for c in b.candidates]
    assert jsonl(list(iter_candidates(taxonomy, 30, seed=5, **INTAKE_KNOBS))) == jsonl(a.candidates)
    assert jsonl(list(iter_vacancies(taxonomy, 20, seed=5, **INTAKE_KNOBS))) == jsonl(
        a.vacancies[:20]
    )
    files = write_cohort(tmp_path / "one", taxonomy, 30, 20, seed=5, **INTAKE_KNOBS)
    assert [p.read_bytes() for p in files.vacancies] == [jsonl(a.vacancies)]
    files = write_cohort(tmp_path / "shards", taxonomy, 30, 20, seed=5, shard_size=7,
                         **INTAKE_KNOBS)  # fmt: skip
    assert len(files.vacancies) == 5  # 20 drawn + 4 unjudged + 6 common-skill
    assert b"".join(p.read_bytes() for p in files.vacancies) == jsonl(a.vacancies)
    assert b"".join(p.read_bytes() for p in files.candidates) == jsonl(a.candidates)
    manifest = json.loads(files.manifest.read_text(encoding="utf-8"))
    assert manifest["knobs"]["unjudged_vacancy_share"] == 0.2


# -- result object --------------------------------------------------------------------------------


def test_result_unpacks_pickles_and_is_immutable(taxonomy: Taxonomy) -> None:
    result = cohort(taxonomy, 4, 3, seed=12)
    candidates, vacancies = result
    assert candidates is result.candidates
    assert vacancies is result.vacancies
    assert "4 candidates, 3 vacancies, seed=12" in repr(result)
    again = pickle.loads(pickle.dumps(result))
    assert isinstance(again, SyntheticCohort)
    assert again.digest() == result.digest()
    assert dict(again.truth) == dict(result.truth)
    with pytest.raises(AttributeError):
        result.seed = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.truth["c000001"] = ()  # type: ignore[index]


def test_empty_cohort_is_allowed(taxonomy: Taxonomy) -> None:
    candidates, vacancies = cohort(taxonomy, 0, 0, seed=0)
    assert candidates == ()
    assert vacancies == ()


# -- files ----------------------------------------------------------------------------------------


def test_write_cohort_writes_the_same_bytes_as_the_cohort_and_reads_back(
    taxonomy: Taxonomy, tmp_path: Path
) -> None:
    result = cohort(taxonomy, 23, 9, seed=17)
    files = write_cohort(tmp_path / "a", taxonomy, 23, 9, seed=17, shard_size=10)
    assert [p.name for p in files.candidates] == [
        "candidates-00000.jsonl",
        "candidates-00001.jsonl",
        "candidates-00002.jsonl",
    ]
    assert b"".join(p.read_bytes() for p in files.candidates) == jsonl(result.candidates)
    assert b"".join(p.read_bytes() for p in files.vacancies) == jsonl(result.vacancies)
    truth = [json.loads(line) for line in files.truth.read_text(encoding="utf-8").splitlines()]
    assert {t["id"]: tuple(t["occupations"]) for t in truth} == dict(result.truth)
    loaded = [c for p in files.candidates for c in load_candidates(p, taxonomy=taxonomy)]
    assert loaded == list(result.candidates)
    assert list(load_vacancies(files.vacancies[0], taxonomy=taxonomy)) == list(result.vacancies)
    manifest = json.loads(files.manifest.read_text(encoding="utf-8"))
    assert manifest["seed"] == 17
    assert manifest["n_candidates"] == 23
    assert manifest["taxonomy"]["content_hash"] == taxonomy.content_hash
    assert manifest["files"]["candidates"] == [p.name for p in files.candidates]
    # A second run writes identical bytes, manifest included.
    again = write_cohort(tmp_path / "b", taxonomy, 23, 9, seed=17, shard_size=10)
    for x, y in zip(files, again, strict=True):
        xs, ys = (x, y) if isinstance(x, tuple) else ((x,), (y,))
        assert [p.read_bytes() for p in xs] == [p.read_bytes() for p in ys]
    assert not list(tmp_path.glob("*/.*.tmp"))


def test_write_cohort_without_shards_writes_one_file_each(
    taxonomy: Taxonomy, tmp_path: Path
) -> None:
    files = write_cohort(tmp_path, taxonomy, 5, 0, seed=1)
    assert [p.name for p in files.candidates] == ["candidates-00000.jsonl"]
    assert files.vacancies[0].read_bytes() == b""
    with pytest.raises(ConfigError, match="shard_size"):
        write_cohort(tmp_path, taxonomy, 5, 0, seed=1, shard_size=0)


def test_write_jsonl_refuses_non_models_and_leaves_no_file(
    taxonomy: Taxonomy, tmp_path: Path
) -> None:
    path = tmp_path / "x.jsonl"
    records: list[Any] = [*iter_vacancies(taxonomy, 2, seed=0), {"id": "v-3"}]
    with pytest.raises(ConfigError, match="item 2 is a dict"):
        write_jsonl(path, records)
    assert not path.exists()
    assert not list(tmp_path.iterdir())
    with pytest.raises(ConfigError, match="path"):
        write_jsonl(3, [])  # type: ignore[arg-type]


# -- full ESCO ------------------------------------------------------------------------------------


@pytest.mark.esco
def test_full_esco_cohort_is_valid_reproducible_and_close_to_its_sources(esco: Taxonomy) -> None:
    result = cohort(esco, 300, 120, seed=99)
    assert validate_cohort(result.candidates, taxonomy=esco).unknown_concepts == ()
    assert validate_cohort(result.vacancies, taxonomy=esco).unknown_concepts == ()
    assert result.digest() == cohort(esco, 300, 120, seed=99).digest()
    own = other = 0.0
    occupations = sorted({v.occupation for v in result.vacancies if v.occupation})
    for i, c in enumerate(result.candidates):
        claimed = {s.skill for s in c.skills}
        source = essential_of(esco, result.truth[c.id][0])
        unrelated = essential_of(esco, occupations[i % len(occupations)])
        own += len(claimed & source) / len(source)
        other += len(claimed & unrelated) / len(unrelated)
    assert own > 5 * other
    assert len({v.occupation for v in result.vacancies}) > 30


@pytest.mark.esco
def test_full_esco_unjudged_vacancies_resolve_no_skill(esco: Taxonomy) -> None:
    result = cohort(esco, 0, 100, seed=1, unjudged_vacancy_share=0.5)
    matcher = Matcher(esco)
    texts = {r.skill for v in result.vacancies[100:] for r in v.skills}
    assert len(texts) > 5
    assert [t for t in sorted(texts) if matcher.resolve(t) is not None] == []
