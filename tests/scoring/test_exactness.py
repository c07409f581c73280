"""The numba kernels against the pure-Python reference, exact top-k, and the score's invariants."""

from __future__ import annotations

import warnings
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labourint_match import (
    AuditAttributes,
    CandidateProfile,
    Matcher,
    ScoringConfig,
    Taxonomy,
    Vacancy,
)
from labourint_match.scoring._channels import LanguageChannels
from labourint_match.scoring._reference import evaluate

AS_OF = date(2026, 3, 1)
CONFIG = ScoringConfig(as_of=AS_OF)
TAXONOMY = Taxonomy.default()
MATCHER = Matcher(TAXONOMY, CONFIG)
CENTRE = (59.91, 10.75)
LANGS = ["sv", "nb", "no", "ar", "uk", "en", "de"]
LEVELS = [None, "A1", "A2", "B1", "B2", "C1", "C2"]
STATUSES = [
    "citizen",
    "refugee",
    "temporary_protection",
    "asylum_seeker_with_permit",
    "asylum_seeker_without_permit",
    "unknown",
    "other",
]
SLOW = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def _pool(taxonomy: Taxonomy, occupations: list[str]) -> list[str]:
    """Skills of some occupations plus their neighbours, so that relations get exercised."""
    pool: set[str] = set()
    for occ in occupations:
        for rel in taxonomy.occupation_skills(occ):
            pool.add(rel.skill)
            pool.update(taxonomy.broader(rel.skill))
            pool.update(taxonomy.narrower(rel.skill))
            pool.update(r.skill for r in taxonomy.related_skills(rel.skill))
    # Language skills, which are compared on the CEFR channel (both sides are routed first).
    for code in ("sv", "en"):
        if code in taxonomy.languages:
            concepts = taxonomy.languages[code]
            pool.update(u for u in (concepts.language, concepts.listening) if u is not None)
    return sorted(pool)


def _location(draw: Any) -> dict[str, Any] | None:
    kind = draw(st.sampled_from(["none", "coords", "region", "both"]))
    if kind == "none":
        return None
    out: dict[str, Any] = {}
    if kind in ("coords", "both"):
        out["lat"] = CENTRE[0] + draw(st.floats(-0.8, 0.8))
        out["lon"] = CENTRE[1] + draw(st.floats(-1.5, 1.5))
    if kind in ("region", "both"):
        out["region"] = draw(st.sampled_from(["NO08", "no08", "NO09", "SE11"]))
    return out


def _language_entries(draw: Any, requirement: bool) -> list[dict[str, Any]]:
    codes = draw(st.lists(st.sampled_from(LANGS), max_size=2, unique=True))
    out = []
    for code in codes:
        entry: dict[str, Any] = {"language": code}
        if draw(st.booleans()):
            entry["level"] = draw(st.sampled_from(LEVELS[1:]))
        for activity in ("listening", "reading", "spoken_interaction", "writing"):
            if draw(st.integers(0, 3)) == 0:
                entry[activity] = draw(st.sampled_from(LEVELS[1:]))
        if requirement:
            entry["importance"] = draw(st.sampled_from(["essential", "optional"]))
        else:
            entry["native"] = draw(st.integers(0, 4)) == 0
        out.append(entry)
    return out


@st.composite
def candidates(draw: Any, pool: list[str], occupations: list[str], i: int) -> CandidateProfile:
    claims = [
        {
            "skill": draw(st.sampled_from(pool)),
            "evidence": draw(
                st.sampled_from(["self_declared", "adviser_mapped", "validated", "certified"])
            ),
            "level": draw(st.sampled_from([None, 1, 2, 3, 4, 5])),
        }
        for _ in range(draw(st.integers(0, 6)))
    ]
    frm = draw(st.sampled_from([None, -60, -1, 0, 1, 90]))
    until = draw(st.sampled_from([None, None, -5, 400]))
    if frm is not None and until is not None and until < frm:
        until = None
    languages = _language_entries(draw, requirement=False)
    education = [
        {
            "isced_level": draw(st.integers(0, 8)),
            "recognition": draw(
                st.sampled_from(["recognised", "pending", "partial", "not_recognised", "unknown"])
            ),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    experience = [
        {
            "occupation": draw(st.sampled_from(occupations)),
            "months": draw(st.sampled_from([None, 0, 6, 24, 120])),
        }
        for _ in range(draw(st.integers(0, 2)))
    ]
    lists = {"languages": languages, "education": education, "experience": experience}
    empty = [name for name, value in lists.items() if not value]
    available = draw(st.sampled_from([None, None, 0, 45]))
    return CandidateProfile(
        id=f"c{i}",
        skills=claims,
        languages=languages,
        known_none=draw(st.lists(st.sampled_from(empty), unique=True)) if empty else [],
        available_from=None if available is None else AS_OF + timedelta(days=available),
        preferences={
            "hours": draw(st.sampled_from(["any", "any", "full_time", "part_time"])),
            "occupations": draw(st.lists(st.sampled_from(occupations), max_size=1)),
        },
        education=education,
        experience=experience,
        location=_location(draw),
        max_commute_km=draw(st.sampled_from([None, 0.0, 5.0, 30.0, 150.0])),
        work_authorisation={
            "status": draw(st.sampled_from(STATUSES)),
            "work_allowed_from": None if frm is None else AS_OF + timedelta(days=frm),
            "work_allowed_until": None if until is None else AS_OF + timedelta(days=until),
        },
        audit={"gender": draw(st.sampled_from(["f", "m", "x"])), "age_band": "25-34"},
    )


@st.composite
def vacancies(draw: Any, pool: list[str], occupations: list[str], j: int) -> Vacancy:
    reqs = [
        {
            "skill": draw(st.sampled_from(pool)),
            "importance": draw(st.sampled_from(["essential", "optional"])),
            "weight": draw(st.sampled_from([0.0, 0.5, 1.0, 2.5])),
            "min_level": draw(st.sampled_from([None, 2, 4])),
        }
        for _ in range(draw(st.integers(0, 6)))
    ]
    start = draw(st.sampled_from([None, 0, 30, 120]))
    return Vacancy(
        id=f"v{j}",
        skills=reqs,
        occupation=draw(st.sampled_from([None, *occupations])),
        languages=_language_entries(draw, requirement=True),
        min_isced=draw(st.sampled_from([None, 2, 3, 6])),
        min_experience_months=draw(st.sampled_from([None, 0, 12, 36])),
        location=_location(draw),
        remote=draw(st.integers(0, 5)) == 0,
        openings=draw(st.integers(0, 3)),
        start_date=None if start is None else AS_OF + timedelta(days=start),
        hours=draw(st.sampled_from(["any", "full_time", "part_time"])),
        support={
            "mentor": draw(st.booleans()),
            "language_training": draw(st.booleans()),
            "on_the_job_training": draw(st.booleans()),
            "wage_subsidy": draw(st.booleans()),
        },
    )


@st.composite
def cohorts(draw: Any, taxonomy: Taxonomy = TAXONOMY, max_size: int = 6) -> tuple[list, list]:
    all_occupations = [u for u in taxonomy.concepts("occupation") if taxonomy.occupation_skills(u)]
    occupations = draw(
        st.lists(st.sampled_from(all_occupations), min_size=1, max_size=3, unique=True)
    )
    pool = _pool(taxonomy, occupations)
    n_c = draw(st.integers(1, max_size))
    n_v = draw(st.integers(1, max_size))
    cands = [draw(candidates(pool, occupations, i)) for i in range(n_c)]
    vacs = [draw(vacancies(pool, occupations, j)) for j in range(n_v)]
    return cands, vacs


def _reference_matrix(
    cands: list, vacs: list, taxonomy: Taxonomy = TAXONOMY, config: ScoringConfig = CONFIG
) -> np.ndarray:
    channels = LanguageChannels(taxonomy, lambda _t: None)
    cands = [channels.candidate(c) for c in cands]
    vacs = [channels.vacancy(v) for v in vacs]
    return np.array(
        [
            [
                evaluate(c, v, taxonomy, config, as_of=AS_OF, resolve=lambda _t: None).score
                for v in vacs
            ]
            for c in cands
        ]
    )


def _expected_top_k(matrix: np.ndarray, k: int) -> list[list[int]]:
    return [sorted(range(len(row)), key=lambda j: (-row[j], j))[:k] for row in matrix]


@SLOW
@given(cohorts())
def test_kernel_scores_equal_the_reference_on_every_pair(cohort: tuple[list, list]) -> None:
    cands, vacs = cohort
    kernel = MATCHER.scores(cands, vacs).astype(np.float64)
    reference = _reference_matrix(cands, vacs)
    np.testing.assert_allclose(kernel, reference, atol=1e-6, rtol=0)
    assert ((kernel >= 0) & (kernel <= 1)).all()


@SLOW
@given(cohorts(), st.integers(1, 8))
def test_rank_by_candidate_is_the_exact_top_k_of_exhaustive_scoring(
    cohort: tuple[list, list], k: int
) -> None:
    cands, vacs = cohort
    ranking = MATCHER.rank(cands, vacs, top_k=k)
    exhaustive = _reference_matrix(cands, vacs)
    k_eff = min(k, len(vacs))
    assert ranking.indices.shape == (len(cands), k_eff)
    for i, expected in enumerate(_expected_top_k(exhaustive, k_eff)):
        got = ranking.indices[i].tolist()
        np.testing.assert_allclose(
            ranking.scores[i], exhaustive[i, got].astype(np.float32), atol=1e-6
        )
        # Same set up to exact ties at the cut; same order wherever scores differ.
        assert np.allclose(sorted(exhaustive[i, got]), sorted(exhaustive[i, expected]), atol=1e-9)
        if len(set(np.round(exhaustive[i], 9))) == len(vacs):
            assert got == expected


@SLOW
@given(cohorts(), st.integers(1, 8))
def test_rank_by_vacancy_is_the_exact_top_k_of_exhaustive_scoring(
    cohort: tuple[list, list], k: int
) -> None:
    cands, vacs = cohort
    ranking = MATCHER.rank(cands, vacs, top_k=k, by="vacancy")
    exhaustive = _reference_matrix(cands, vacs).T
    k_eff = min(k, len(cands))
    for j, expected in enumerate(_expected_top_k(exhaustive, k_eff)):
        got = ranking.indices[j].tolist()
        assert np.allclose(sorted(exhaustive[j, got]), sorted(exhaustive[j, expected]), atol=1e-9)
        if len(set(np.round(exhaustive[j], 9))) == len(cands):
            assert got == expected


@SLOW
@given(cohorts(), st.integers(1, 8))
def test_rank_equals_the_kernels_own_exhaustive_scores_bit_for_bit(
    cohort: tuple[list, list], k: int
) -> None:
    # Against the kernel's dense scores the top-k, ties by input order, must match exactly.
    cands, vacs = cohort
    dense = MATCHER.scores(cands, vacs)
    for by, matrix in (("candidate", dense), ("vacancy", dense.T)):
        ranking = MATCHER.rank(cands, vacs, top_k=k, by=by)
        k_eff = min(k, matrix.shape[1])
        assert [row.tolist() for row in ranking.indices] == _expected_top_k(matrix, k_eff)


#: Other compositions and switches: purely multiplicative, a high unknown skill fit, preferred
#: occupations as a filter, hours ignored.
VARIANT = CONFIG.replace(
    gate_floor=0.0, skill_unknown=0.3, preferred_occupations_only=True, hours_must_match=False
)


@SLOW
@given(cohorts(), st.integers(1, 8))
def test_kernels_equal_the_reference_and_rank_exactly_under_another_composition(
    cohort: tuple[list, list], k: int
) -> None:
    cands, vacs = cohort
    matcher = Matcher(TAXONOMY, VARIANT)
    kernel = matcher.scores(cands, vacs).astype(np.float64)
    reference = _reference_matrix(cands, vacs, config=VARIANT)
    np.testing.assert_allclose(kernel, reference, atol=1e-6, rtol=0)
    dense = matcher.scores(cands, vacs)
    for by, matrix in (("candidate", dense), ("vacancy", dense.T)):
        ranking = matcher.rank(cands, vacs, top_k=k, by=by)
        k_eff = min(k, matrix.shape[1])
        assert [row.tolist() for row in ranking.indices] == _expected_top_k(matrix, k_eff)


def test_rank_is_exact_when_fewer_than_k_vacancies_share_any_skill() -> None:
    occs = [u for u in TAXONOMY.concepts("occupation") if TAXONOMY.occupation_skills(u)]
    skills_a = [r.skill for r in TAXONOMY.occupation_skills(occs[0])]
    skills_b = [r.skill for r in TAXONOMY.occupation_skills(occs[-1]) if r.skill not in skills_a]
    cand = CandidateProfile(id="c", skills=skills_a[:2])
    vacs = [Vacancy(id="v0", skills=skills_a[:3])] + [
        Vacancy(id=f"v{j}", skills=skills_b[:3], min_isced=j % 4) for j in range(1, 12)
    ]
    ranking = MATCHER.rank([cand], vacs, top_k=5)
    dense = MATCHER.scores([cand], vacs)[0]
    assert ranking.indices[0].tolist() == _expected_top_k(dense[None, :], 5)[0]
    assert ranking.indices[0, 0] == 0


def test_a_reach_of_zero_km_is_eligible_on_the_same_spot_and_scored_everywhere() -> None:
    """max_commute_km=0 is valid: the same coordinates are in reach, anything else is not."""
    here = {"lat": 59.91, "lon": 10.75}
    cand = CandidateProfile(id="c", skills=[], location=here, max_commute_km=0)
    vacs = [
        Vacancy(id="v0", skills=[], location=here),
        Vacancy(id="v1", skills=[], location={"lat": 59.92, "lon": 10.75}),
    ]
    dense = MATCHER.scores([cand], vacs)[0]
    assert dense[0] > 0.0
    assert dense[1] == 0.0
    assert MATCHER.score(cand, vacs[0]) == pytest.approx(float(dense[0]))
    assert MATCHER.rank([cand], vacs, top_k=2).indices[0].tolist() == [0, 1]
    explanation = MATCHER.explain(cand, vacs[0])
    assert explanation.score == pytest.approx(float(dense[0]), abs=1e-6)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(cohorts(max_size=8), st.integers(1, 5))
def test_results_are_identical_with_one_and_two_threads(cohort: tuple[list, list], k: int) -> None:
    cands, vacs = cohort
    one = Matcher(TAXONOMY, CONFIG, threads=1)
    two = Matcher(TAXONOMY, CONFIG, threads=2)
    for by in ("candidate", "vacancy"):
        a = one.rank(cands, vacs, top_k=k, by=by)
        b = two.rank(cands, vacs, top_k=k, by=by)
        assert np.array_equal(a.indices, b.indices)
        assert np.array_equal(a.scores, b.scores)
    assert np.array_equal(one.scores(cands, vacs), two.scores(cands, vacs))


@SLOW
@given(cohorts(max_size=3))
def test_explanation_components_sum_to_the_score_and_equal_score(cohort: tuple[list, list]) -> None:
    cands, vacs = cohort
    for c in cands:
        for v in vacs:
            e = MATCHER.explain(c, v)
            assert abs(sum(e.components.values()) - e.score) <= 1e-6
            assert abs(MATCHER.score(c, v) - e.score) <= 1e-6
            assert 0.0 <= e.score <= 1.0
            assert e.eligible == (e.pathway.kind != "not_eligible")


@SLOW
@given(cohorts(max_size=3), st.data())
def test_adding_a_claim_or_raising_evidence_never_lowers_the_skill_component(
    cohort: tuple[list, list], data: st.DataObject
) -> None:
    cands, vacs = cohort
    pool = sorted({r.skill for v in vacs for r in v.skills} | {TAXONOMY.concepts("skill")[0]})
    order = ["self_declared", "adviser_mapped", "validated", "certified"]
    for c in cands:
        extra = data.draw(st.sampled_from(pool))
        more = CandidateProfile.model_validate(
            {**c.model_dump(), "skills": [*(s.model_dump() for s in c.skills), {"skill": extra}]}
        )
        raised = CandidateProfile.model_validate(
            {
                **c.model_dump(),
                "skills": [
                    {**s.model_dump(), "evidence": order[min(3, order.index(s.evidence) + 1)]}
                    for s in c.skills
                ],
            }
        )
        for v in vacs:
            base = MATCHER.explain(c, v).component_scores["skill"]
            assert MATCHER.explain(more, v).component_scores["skill"] >= base - 1e-12
            assert MATCHER.explain(raised, v).component_scores["skill"] >= base - 1e-12


@SLOW
@given(cohorts(), st.data())
def test_audit_attributes_never_change_any_score_or_ranking(
    cohort: tuple[list, list], data: st.DataObject
) -> None:
    cands, vacs = cohort
    other = [
        c.model_copy(
            update={
                "audit": data.draw(
                    st.sampled_from(
                        [
                            None,
                            AuditAttributes(gender="f", nationality="SY", age_band="18-24"),
                            AuditAttributes(gender="m", nationality="NO", disability=True),
                        ]
                    )
                )
            }
        )
        for c in cands
    ]
    assert np.array_equal(MATCHER.scores(cands, vacs), MATCHER.scores(other, vacs))
    for by in ("candidate", "vacancy"):
        a, b = MATCHER.rank(cands, vacs, top_k=3, by=by), MATCHER.rank(other, vacs, top_k=3, by=by)
        assert np.array_equal(a.indices, b.indices)
        assert np.array_equal(a.scores, b.scores)


@pytest.mark.esco
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(data=st.data())
def test_kernel_equals_reference_on_full_esco(esco: Taxonomy, data: st.DataObject) -> None:
    cands, vacs = data.draw(cohorts(taxonomy=esco, max_size=4))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matcher = _esco_matcher(esco)
    kernel = matcher.scores(cands, vacs).astype(np.float64)
    np.testing.assert_allclose(kernel, _reference_matrix(cands, vacs, esco), atol=1e-6, rtol=0)
    ranking = matcher.rank(cands, vacs, top_k=3)
    assert [r.tolist() for r in ranking.indices] == _expected_top_k(
        matcher.scores(cands, vacs), min(3, len(vacs))
    )


_ESCO_MATCHERS: dict[int, Matcher] = {}


def _esco_matcher(esco: Taxonomy) -> Matcher:
    return _ESCO_MATCHERS.setdefault(id(esco), Matcher(esco, CONFIG))


def _one_occupation_cohort(seed: int) -> tuple[list, list]:
    """Hundreds of vacancies, most of one occupation, and candidates of all kinds (seeded)."""
    rng = np.random.default_rng(seed)
    occupations = [u for u in TAXONOMY.concepts("occupation") if TAXONOMY.occupation_skills(u)]
    occupation = occupations[int(rng.integers(len(occupations)))]
    pool = _pool(TAXONOMY, [occupation])

    def pick(options: list[Any]) -> Any:
        return options[int(rng.integers(len(options)))]

    def place() -> dict[str, Any] | None:
        if rng.random() < 0.15:
            return None
        return {"lat": CENTRE[0] + rng.uniform(-0.5, 0.5), "lon": CENTRE[1] + rng.uniform(-1, 1)}

    vacs = [
        Vacancy(
            id=f"v{j}",
            occupation=None if j % 9 == 0 else occupation,
            skills=[
                {
                    "skill": pick(pool),
                    "importance": pick(["essential", "optional"]),
                    "weight": pick([0.5, 1.0, 2.5]),
                    "min_level": pick([None, None, 2, 4]),
                }
                for _ in range(int(rng.integers(0 if j % 50 == 0 else 1, 8)))
            ],
            languages=[{"language": pick(LANGS), "level": pick(LEVELS[1:])}] * int(rng.integers(2)),
            min_isced=pick([None, 2, 3, 6]),
            min_experience_months=pick([None, 0, 12, 36]),
            location=place(),
            remote=rng.random() < 0.1,
            openings=int(rng.integers(0, 3)),
            start_date=AS_OF + timedelta(days=pick([0, 30, 120])),
        )
        for j in range(260)
    ]
    cands = [
        CandidateProfile(
            id=f"c{i}",
            skills=[
                {
                    "skill": pick(pool),
                    "evidence": pick(["self_declared", "validated"]),
                    "level": pick([None, 1, 3, 5]),
                }
                for _ in range(int(rng.integers(0, 8)))
            ],
            languages=[{"language": pick(LANGS), "level": pick(LEVELS[1:])}] * int(rng.integers(2)),
            experience=[{"occupation": occupation, "months": pick([None, 6, 24])}]
            * int(rng.integers(2)),
            location=place(),
            max_commute_km=pick([None, 10.0, 40.0, 150.0]),
            work_authorisation={"status": pick(STATUSES), **pick(WINDOWS)},
        )
        for i in range(40)
    ]
    return cands, vacs


# Rights to work from / until (days after AS_OF), against vacancy starts of 0, 30 and 120 days:
# none, all of them, some, none at all (from after the last start, until before the first, or a
# window between two starts).
WINDOWS: list[dict[str, date]] = [
    {},
    {},
    {"work_allowed_from": AS_OF + timedelta(days=-10)},
    {"work_allowed_from": AS_OF + timedelta(days=30)},
    {"work_allowed_until": AS_OF + timedelta(days=30)},
    {"work_allowed_from": AS_OF + timedelta(days=200)},
    {"work_allowed_until": AS_OF + timedelta(days=-5)},
    {
        "work_allowed_from": AS_OF + timedelta(days=31),
        "work_allowed_until": AS_OF + timedelta(days=119),
    },
    # On the edges: until the first start, from the last one, one day that is a start.
    {"work_allowed_until": AS_OF},
    {"work_allowed_from": AS_OF + timedelta(days=120)},
    {
        "work_allowed_from": AS_OF + timedelta(days=30),
        "work_allowed_until": AS_OF + timedelta(days=30),
    },
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rank_by_candidate_is_exact_with_groups_split_at_their_largest_size(seed: int) -> None:
    # Ranking by candidate bounds vacancies in groups of at most GROUP_MAX: here some group is
    # cut at that size, some vacancies have no occupation or ask no skills, and many pairs score
    # 0 (out of reach, no openings, no right to work), so top-k lists fill with them.
    # (the grouping itself is checked on the kernel's own helper: a white-box test of scoring)
    from labourint_match.scoring._kernels.topk import GROUP_MAX, _vacancy_groups

    cands, vacs = _one_occupation_cohort(seed)
    enc = MATCHER._scorer.encode(cands, vacs)
    va = enc.V
    groups = _vacancy_groups(
        va.slot_indptr, va.slot_concept, va.slot_weight, va.total_weight, va.features,
        va.post_indptr.shape[0] - 1, GROUP_MAX,
    )  # fmt: skip
    assert np.diff(groups[0]).max() == GROUP_MAX
    dense, why = _every_pair(MATCHER, enc)
    assert (dense == 0).mean() > 0.3
    # Some candidates may work for no vacancy at all (no start within their right to work).
    assert ((why & 1) != 0).all(axis=1).sum() >= 3
    for k in (1, 3, 10):
        ranking = MATCHER.rank(cands, vacs, top_k=k)
        assert [row.tolist() for row in ranking.indices] == _expected_top_k(dense, k)
        expected = np.take_along_axis(dense, ranking.indices.astype(np.int64), 1)
        assert np.array_equal(ranking.scores, expected.astype(np.float32))
    # The kernel's own float64 scores, with other splits of the candidates and thread counts.
    _assert_kernel_top_10("candidate", MATCHER, enc, dense, why, (1, 7))


def _every_pair(matcher: Matcher, enc: Any) -> tuple[np.ndarray, np.ndarray]:
    """Float64 scores and reasons of every (candidate, vacancy) pair, by the pairwise kernel."""
    n_c, n_v = enc.n_candidates, enc.n_vacancies
    ci = np.repeat(np.arange(n_c, dtype=np.int64), n_v)
    vi = np.tile(np.arange(n_v, dtype=np.int64), n_c)
    dense, why, _ = matcher._scorer.score_pairs(enc, ci, vi)
    return dense.reshape(n_c, n_v), why.reshape(n_c, n_v)


def _assert_kernel_top_10(
    by: Any, matcher: Matcher, enc: Any, dense: np.ndarray, why: np.ndarray,
    n_chunks: tuple[int, ...],
) -> None:  # fmt: skip
    """The top-10 rows of `Scorer.top_k` (`by`) equal `dense`'s (float64 scores, reasons too),
    with one thread and one chunk, and with the current thread count and each of `n_chunks`."""
    import numba

    before = numba.get_num_threads()
    try:
        for threads, chunks in ((1, 1), *((before, n) for n in n_chunks)):
            numba.set_num_threads(threads)
            idx, sc, reasons = matcher._scorer.top_k(enc, 10, by, n_chunks=chunks)
            assert [row.tolist() for row in idx] == _expected_top_k(dense, 10)
            assert np.array_equal(sc, np.take_along_axis(dense, idx.astype(np.int64), 1))
            assert np.array_equal(reasons, np.take_along_axis(why, idx.astype(np.int64), 1))
    finally:
        numba.set_num_threads(before)


# Configs where ties are the rule: the skill component alone (every pair sharing no skill scores
# exactly upper_bound(0.0) = 0), and evidence worth nothing (pairs scored in the first pass with a
# skill component of exactly 0 tie with pairs of the second pass).
TIE_CONFIGS = {
    "default": CONFIG,
    "skill only": CONFIG.replace(
        weight_skill=1.0,
        weight_language=0.0,
        weight_education=0.0,
        weight_location=0.0,
        weight_experience=0.0,
    ),
    "no evidence": CONFIG.replace(
        evidence_self_declared=0.0,
        evidence_adviser_mapped=0.0,
        evidence_validated=0.0,
        evidence_certified=0.0,
    ),
}


@pytest.mark.parametrize(
    ("seed", "config"),
    [(1, "default"), (2, "default"), (3, "default"), (4, "skill only"), (5, "no evidence")],
)
def test_rank_by_vacancy_is_exact_with_pairs_left_to_its_second_pass(
    seed: int, config: str
) -> None:
    # Ranking by vacancy scores the eligible pairs of vacancies asking skills candidate by
    # candidate, in runs, then every candidate where a pair it left out could still enter: here
    # vacancies ask no skills, have no openings or start outside rights to work, so many top-k
    # lists are not full of eligible pairs and take pairs scoring 0 by candidate order.
    matcher = Matcher(TAXONOMY, TIE_CONFIGS[config])
    cands, vacs = _one_occupation_cohort(seed)
    enc = matcher._scorer.encode(cands, vacs)
    dense, why = (m.T for m in _every_pair(matcher, enc))
    # Vacancies whose top-10 holds pairs scoring 0, and vacancies with ten eligible pairs.
    tenth = np.sort(dense, axis=1)[:, -10]
    assert (tenth == 0).sum() >= 10
    assert (tenth > 0).sum() >= 10 or config != "default"
    for k in (1, 3, 10):
        ranking = matcher.rank(cands, vacs, top_k=k, by="vacancy")
        assert [row.tolist() for row in ranking.indices] == _expected_top_k(dense, k)
        expected = np.take_along_axis(dense, ranking.indices.astype(np.int64), 1)
        assert np.array_equal(ranking.scores, expected.astype(np.float32))
    # The kernel's own float64 scores and reasons, with other runs and thread counts.
    _assert_kernel_top_10("vacancy", matcher, enc, dense, why, (3, 40))


# Places where the neighbourhood of a point is not a simple box of latitudes and longitudes: beside
# the antimeridian, near a pole and at one, and ordinary places.
PLACES = [
    (59.91, 10.75),
    (0.0, 179.95),
    (-33.9, -179.6),
    (45.0, 178.3),
    (89.6, 20.0),
    (88.9, -100.0),
    (-89.99, 0.0),
    (0.0, 0.0),
]


def _destination(lat: float, lon: float, km: float, bearing: float) -> dict[str, float]:
    """The point `km` along a great circle from (lat, lon) at `bearing` degrees (on a sphere)."""
    p, q, b = np.radians(lat), np.radians(lon), np.radians(bearing)
    d = km / 6371.0088
    p2 = np.arcsin(np.sin(p) * np.cos(d) + np.cos(p) * np.sin(d) * np.cos(b))
    q2 = q + np.arctan2(np.sin(b) * np.sin(d) * np.cos(p), np.cos(d) - np.sin(p) * np.sin(p2))
    lon2 = (np.degrees(q2) + 540.0) % 360.0 - 180.0
    return {"lat": float(np.clip(np.degrees(p2), -90.0, 90.0)), "lon": float(lon2)}


def _places_cohort(seed: int) -> tuple[list, list]:
    """Candidates at every place of PLACES, with the vacancies around them mostly asking skills
    the candidates lack, at distances up to beyond their reach and in every direction (seeded)."""
    rng = np.random.default_rng(seed)
    occs = [u for u in TAXONOMY.concepts("occupation") if TAXONOMY.occupation_skills(u)]
    theirs = [r.skill for r in TAXONOMY.occupation_skills(occs[0])]
    others = [r.skill for r in TAXONOMY.occupation_skills(occs[-1]) if r.skill not in theirs]
    reaches = [5.0, 40.0, 150.0, 2500.0]
    cands, vacs = [], []
    for p, (lat, lon) in enumerate(PLACES):
        for r, reach in enumerate(reaches):
            cands.append(
                CandidateProfile(
                    id=f"c{p}-{r}",
                    skills=list(rng.choice(theirs, size=int(rng.integers(0, 3)), replace=False)),
                    languages=[{"language": "en", "level": LEVELS[int(rng.integers(1, 7))]}],
                    location={"lat": lat, "lon": lon},
                    max_commute_km=reach,
                )
            )
            for j in range(12):
                # East and west (the widest longitudes), then any bearing; up to 1.3 × the reach.
                bearing = [90.0, 270.0][j] if j < 2 else float(rng.uniform(0.0, 360.0))
                km = reach * (1.0 if j < 2 else float(rng.uniform(0.0, 1.3)))
                shares = rng.random() < 0.1
                vacs.append(
                    Vacancy(
                        id=f"v{p}-{r}-{j}",
                        skills=[theirs[0] if shares else others[int(rng.integers(len(others)))]],
                        languages=[{"language": "en", "level": LEVELS[int(rng.integers(1, 7))]}],
                        min_isced=[None, 3, 6][int(rng.integers(3))],
                        location=_destination(lat, lon, km, bearing),
                    )
                )
    return cands, vacs


def _radius_cohort(seed: int) -> tuple[list, list]:
    """At every place of PLACES, a candidate asked for no skill it has, whose pairs score
    ``upper_bound(0.0)`` less the location penalty: three vacancies at half its reach come first,
    and ten more, a little nearer (0.498 to 0.5 of the reach) and as far east or west as can be,
    enter its top-3 after them (the vacancies of other places are out of its reach)."""
    rng = np.random.default_rng(seed)
    occs = [u for u in TAXONOMY.concepts("occupation") if TAXONOMY.occupation_skills(u)]
    skill = TAXONOMY.occupation_skills(occs[-1])[0].skill
    cands, vacs = [], []
    for p, (lat, lon) in enumerate(PLACES):
        reach = [5.0, 40.0, 150.0, 2500.0][p % 4]
        cands.append(
            CandidateProfile(
                id=f"c{p}",
                skills=[],
                languages=[{"language": "en", "level": "C2"}],
                location={"lat": lat, "lon": lon},
                max_commute_km=reach,
            )
        )
        for j in range(13):
            km = reach * (0.5 if j < 3 else 0.5 - 0.002 * float(rng.random()))
            # Where the disc of that radius reaches farthest east or west (cos of the bearing =
            # tan(angle) × tan(latitude)), so that a radius a little short would leave it out.
            tangent = np.degrees(np.arccos(np.clip(
                np.tan(km / 6371.0088) * np.tan(np.radians(lat)), -1.0, 1.0
            )))  # fmt: skip
            bearing = float(tangent if j % 2 else 360.0 - tangent)
            vacs.append(
                Vacancy(
                    id=f"v{p}-{j}",
                    skills=[skill],
                    languages=[{"language": "en", "level": "A1"}],
                    location=_destination(lat, lon, km, bearing),
                )
            )
    return cands, vacs


@pytest.mark.parametrize("seed", [1, 2])
def test_rank_by_candidate_is_exact_for_vacancies_sharing_no_skill_anywhere_on_earth(
    seed: int,
) -> None:
    # Once a candidate's top-k is full and a pair sharing no skill could still enter it, ranking
    # by candidate looks such vacancies up near the candidate, by latitude and longitude, within
    # a radius that shrinks as the floor rises. Here candidates stand beside the antimeridian,
    # near and at the poles, and vacancies are placed around them in every direction.
    from labourint_match.scoring._kernels.components import upper_bound  # white-box: the bound

    cands, vacs = _places_cohort(seed)
    enc = MATCHER._scorer.encode(cands, vacs)
    dense, why = _every_pair(MATCHER, enc)
    no_skill_bound = upper_bound(0.0, MATCHER._scorer.cfg)
    for k in (1, 3, 10):
        # Most candidates' k-th score is one a pair sharing no skill can reach.
        kth = np.sort(dense, axis=1)[:, -k]
        assert ((kth > 0) & (kth <= no_skill_bound)).mean() > 0.5
        ranking = MATCHER.rank(cands, vacs, top_k=k)
        assert [row.tolist() for row in ranking.indices] == _expected_top_k(dense, k)
    _assert_kernel_top_10("candidate", MATCHER, enc, dense, why, (1, 5))
    # Ranking by vacancy, with vacancies on the edge of the reach.
    _assert_kernel_top_10("vacancy", MATCHER, enc, dense.T, why.T, (3,))
    # The radius shrinks with the floor, and pairs just inside it enter the top-3.
    cands, vacs = _radius_cohort(seed)
    dense, _ = _every_pair(MATCHER, MATCHER._scorer.encode(cands, vacs))
    expected = _expected_top_k(dense, 3)
    # Each candidate's top-3: three of its nearer ten, none of the three it saw first.
    assert all(j // 13 == c and j % 13 >= 3 for c, row in enumerate(expected) for j in row)
    assert [row.tolist() for row in MATCHER.rank(cands, vacs, top_k=3).indices] == expected
