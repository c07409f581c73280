"""labourint_match.analysis: training needs, demand against supply, disparity between groups.

What these tests prove: the top-ranked training need moves at least as many candidates as any
other single need, and every need's count equals brute force (retrain each candidate, explain
again) on a synthetic cohort; the needs of hand-built cohorts come out as worked out by hand
(skills, language levels, support, placement gains); demand and supply counts and disparity
figures equal hand computations; results are DataFrames with pandas and records without; bad
input gives typed errors; only analysis/_disparity.py reads audit attributes.
"""

from __future__ import annotations

import ast
import math
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from labourint_match import (
    CEFR_LEVELS,
    Assignment,
    CandidateProfile,
    DuplicateIdError,
    LanguageSkill,
    Matcher,
    Placement,
    ProfileError,
    Ranking,
    ScoringConfig,
    SkillClaim,
    Taxonomy,
    UnknownConceptError,
    Unplaced,
    Vacancy,
    synth,
)
from labourint_match.analysis import (
    DEMAND_SUPPLY_COLUMNS,
    DISPARITY_COLUMNS,
    TRAINING_NEEDS_COLUMNS,
    demand_supply,
    disparity,
    training_needs,
)
from labourint_match.analysis._cached import _explainer
from labourint_match.errors import ConfigError
from labourint_match.scoring import _reference

T = Taxonomy.default()
M = Matcher(T, ScoringConfig(as_of=date(2026, 1, 1)))
SRC = Path(__file__).resolve().parents[1] / "src" / "labourint_match"
PATHWAY_RANK = {"not_eligible": 0, "training_first": 1, "ready_with_support": 2, "ready": 3}
ACTIVITIES = ("listening", "reading", "spoken_interaction", "writing")
COOK = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"


def unrelated_skills(n: int) -> list[str]:
    """`n` skills (not languages) none of which earns any credit for another."""
    config = M.config
    languages = {u for lc in T.languages.values() for u in lc[1:] if u}
    chosen: list[str] = []
    for occupation in T.concepts("occupation"):
        for rel in T.occupation_skills(occupation):
            s = rel.skill
            if s in languages or s in chosen:
                continue
            if all(
                _reference.relation(T, config, s, o)[0] == 0
                and _reference.relation(T, config, o, s)[0] == 0
                for o in chosen
            ):
                chosen.append(s)
            if len(chosen) == n:
                return chosen
    raise AssertionError("the bundled taxonomy has too few unrelated skills")


A, B, C, D, E = unrelated_skills(5)


def certified(*skills: str) -> list[dict[str, str]]:
    return [{"skill": s, "evidence": "certified"} for s in skills]


def person(cid: str, *skills: str, **more: Any) -> CandidateProfile:
    return CandidateProfile.model_validate({"id": cid, "skills": certified(*skills), **more})


# -- training needs: hand-built cohorts ----------------------------------------------------------


def skills_cohort() -> tuple[list[CandidateProfile], list[Vacancy]]:
    people = [
        person("c1", A, B),
        person("c2", A, B),
        person("c3", A, B),
        person("c4", A, C),
        person("c5", A),
        person("c6", A, B, C),
    ]
    return people, [Vacancy(id="v1", occupation=COOK, skills=[A, B, C], openings=6)]


def test_the_skill_that_alone_completes_most_profiles_ranks_first() -> None:
    people, jobs = skills_cohort()
    rows = training_needs(M, people, jobs, as_frame=False)
    assert [r["need"] for r in rows] == [C, B]
    top, second = rows
    assert top["ready_ids"] == ("c1", "c2", "c3")
    assert top["needed_by"] == ("c1", "c2", "c3", "c5")  # c5 needs B too: C alone is not enough
    assert (top["n_ready"], top["n_gap"], top["n_vacancies"]) == (3, 4, 1)
    assert second["ready_ids"] == ("c4",)
    assert second["needed_by"] == ("c4", "c5")
    # No support on offer: moving to ready is moving from training first.
    assert top["ready_or_supported_ids"] == top["ready_ids"]
    assert top["kind"] == "skill"
    assert top["label"] == T.label(C)
    assert top["rank"] == 1
    assert top["placement_gain"] is None
    assert top["language"] is None


def train_skill(c: CandidateProfile, skill: str) -> CandidateProfile:
    return c.model_copy(
        update={"skills": (*c.skills, SkillClaim(skill=skill, evidence="certified"))}
    )


def test_placement_gain_is_the_optimal_total_with_everyone_needing_it_trained() -> None:
    people, jobs = skills_cohort()
    rows = training_needs(M, people, jobs, placement_gain=1, as_frame=False)
    base = M.assign(people, jobs)
    trained = [train_skill(p, C) if p.id in rows[0]["needed_by"] else p for p in people]
    after = M.assign(trained, jobs)
    assert rows[0]["placement_gain"] == pytest.approx(after.total_score - base.total_score)
    assert rows[0]["placement_gain"] > 0.1
    assert rows[0]["placed_gain"] == after.n_placed - base.n_placed == 0
    assert rows[1]["placement_gain"] is None  # only the first `placement_gain` needs


def test_a_language_need_is_a_level_and_raises_every_activity() -> None:
    job = Vacancy(id="w1", skills=[A], languages=[{"language": "sv", "level": "B1"}])
    people = [
        person("d1", A, languages=[{"language": "sv", "level": "A2"}]),
        person("d2", A),  # no Swedish at all
        person("d3", A, languages=[{"language": "sv", "level": "A2", "writing": "B2"}]),
    ]
    rows = training_needs(M, people, [job], as_frame=False)
    assert len(rows) == 1
    (row,) = rows
    assert (row["need"], row["kind"], row["language"], row["level"]) == ("sv:B1", "language",
                                                                          "sv", "B1")  # fmt: skip
    assert row["label"] == "Swedish to B1"
    assert row["activity"] is None
    assert row["ready_ids"] == ("d1", "d2", "d3")


def test_per_activity_language_needs_move_nobody_who_lacks_several_activities() -> None:
    job = Vacancy(id="w1", skills=[A], languages=[{"language": "sv", "level": "B1"}])
    people = [
        person("d1", A, languages=[{"language": "sv", "level": "A2"}]),
        person("d2", A, languages=[{"language": "sv", "level": "B1", "writing": "A1"}]),
    ]
    rows = training_needs(M, people, [job], languages="activity", as_frame=False)
    by_need = {r["need"]: r for r in rows}
    assert set(by_need) == {f"sv:{a}:B1" for a in ACTIVITIES}
    assert by_need["sv:writing:B1"]["ready_ids"] == ("d2",)  # writing was d2's only gap
    assert by_need["sv:writing:B1"]["needed_by"] == ("d1", "d2")
    assert all(by_need[f"sv:{a}:B1"]["n_ready"] == 0 for a in ACTIVITIES[:3])
    assert rows[0]["need"] == "sv:writing:B1"


def test_with_support_closing_one_gap_of_too_many_is_enough_for_ready_with_support() -> None:
    # A mentor bridges up to 3 essential skill gaps (ScoringConfig.max_supported_gaps).
    job = Vacancy(id="s1", skills=[A, B, C, D, E], support={"mentor": True})
    people = [person("e1", A), person("e2", A, B, C, D)]  # 4 gaps: training first; 1: supported
    assert M.explain(people[0], job).pathway.kind == "training_first"
    assert M.explain(people[1], job).pathway.kind == "ready_with_support"
    rows = training_needs(M, people, [job], target="ready_with_support", as_frame=False)
    by_need = {r["need"]: r for r in rows}
    assert set(by_need) == {B, C, D, E}
    for need in (B, C, D, E):
        assert by_need[need]["ready_or_supported_ids"] == ("e1",)
    assert by_need[E]["ready_ids"] == ("e2",)  # e2's one gap: from supported to ready
    assert by_need[E]["needed_by"] == ("e1", "e2")
    assert all(by_need[n]["ready_ids"] == () for n in (B, C, D))
    # Ties on the target's count are broken by the other count: E first either way.
    assert rows[0]["need"] == E
    assert training_needs(M, people, [job], as_frame=False)[0]["need"] == E


def test_top_k_none_considers_every_vacancy() -> None:
    people, jobs = skills_cohort()
    extra = Vacancy(id="v2", skills=[A, B, D])
    everything = training_needs(M, people, [*jobs, extra], top_k=None, as_frame=False)
    only_best = training_needs(M, people, [*jobs, extra], top_k=1, as_frame=False)
    assert {r["need"] for r in everything} == {B, C, D}
    assert D not in {r["need"] for r in only_best}  # v2 is nobody's best match


# -- training needs: brute force on a synthetic cohort --------------------------------------------


def memoised_relation() -> Any:
    """The reference's relation(), memoised: a pure function of the two concepts for the one
    taxonomy and configuration used here, so brute force stays fast with unchanged results."""
    real = _reference.relation
    seen: dict[tuple[str, str], tuple[float, str, int]] = {}

    def relation(
        taxonomy: Taxonomy, config: ScoringConfig, claim: str, required: str
    ) -> tuple[float, str, int]:
        key = (claim, required)
        if key not in seen:
            seen[key] = real(taxonomy, config, claim, required)
        return seen[key]

    return relation


def brute_train(c: CandidateProfile, row: dict[str, Any], jobs: Sequence[Vacancy]) -> Any:
    """Training as documented, written out again: a certified claim at the highest minimum level
    asked, or every activity of the language raised to the level."""
    if row["kind"] == "skill":
        levels = [r.min_level for v in jobs for r in v.skills if r.skill == row["need"]]
        level = max((lv for lv in levels if lv), default=None)
        claim = SkillClaim(skill=row["need"], evidence="certified", level=level)
        return c.model_copy(update={"skills": (*c.skills, claim)})
    code, target = row["language"], row["level"]

    def up(held: str | None) -> str:
        if held is None or CEFR_LEVELS.index(held) < CEFR_LEVELS.index(target):
            return target
        return held

    entries = list(c.languages)
    for i, entry in enumerate(entries):
        if entry.language == code:
            if entry.native:
                return c
            if row["activity"] is None:
                raised = {a: up(entry.level_for(a)) for a in ACTIVITIES}
                entries[i] = LanguageSkill(language=code, level=up(entry.level), **raised)
            else:
                a = row["activity"]
                entries[i] = entry.model_copy(update={a: up(entry.level_for(a))})
            break
    else:
        field = row["activity"] or "level"
        entries.append(LanguageSkill.model_validate({"language": code, field: target}))
    return c.model_copy(update={"languages": tuple(entries)})


def brute_force(
    people: Sequence[CandidateProfile], jobs: Sequence[Vacancy], rows: list[dict[str, Any]], k: int
) -> tuple[dict[str, tuple[set[str], set[str]]], set[str]]:
    """Per need: the candidates really moved to ready, and to ready or ready with support; and
    every blocking gap of the considered pairs (the needs there are)."""
    ranking = M.rank(people, jobs, k)
    considered: dict[str, list[Vacancy]] = {}
    for i, c in enumerate(people):
        considered[c.id] = [
            jobs[int(ranking.indices[i, col])]
            for col in range(ranking.top_k)
            if ranking.indices[i, col] >= 0
            and ranking.reasons[i, col] == 0
            and ranking.scores[i, col] > 0
        ]

    def status(c: CandidateProfile) -> int:
        found = (PATHWAY_RANK[M.explain(c, v).pathway.kind] for v in considered[c.id])
        return max(found, default=-1)

    gaps: set[str] = set()
    for c in people:
        for v in considered[c.id]:
            e = M.explain(c, v)
            for g in e.gaps:
                if g.importance == "essential" and g.kind == "skill":
                    gaps.add(g.what)
                elif g.importance == "essential":
                    language, activity = g.what.split(":")
                    need = next(m.need for m in e.languages if m.activity == activity)
                    gaps.add(f"{language}:{need}")
    before = {c.id: status(c) for c in people}
    moved: dict[str, tuple[set[str], set[str]]] = {}
    for row in rows:
        ready: set[str] = set()
        supported: set[str] = set()
        for c in people:
            if before[c.id] in (-1, 3):
                continue  # nothing considered, or ready already: nothing to move
            after = status(brute_train(c, row, jobs))
            if after == 3:
                ready.add(c.id)
            if before[c.id] < 2 and after >= 2:
                supported.add(c.id)
        moved[row["need"]] = (ready, supported)
    return moved, gaps


@pytest.fixture(scope="module")
def synthetic() -> Any:
    people, jobs = synth.cohort(T, 30, 10, seed=3, dropout_rate=0.1)
    ranked = {
        target: training_needs(M, people, jobs, top_k=5, target=target, as_frame=False)
        for target in ("ready", "ready_with_support")
    }
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_reference, "relation", memoised_relation())
        moved, gaps = brute_force(people, jobs, ranked["ready"], 5)
    return ranked, moved, gaps


def test_every_need_moves_exactly_the_candidates_brute_force_finds(synthetic: Any) -> None:
    ranked, moved, gaps = synthetic
    assert len(gaps) >= 20  # 79 of them: the loop below checks something
    for rows in ranked.values():
        assert {r["need"] for r in rows} == gaps  # the needs are the considered pairs' gaps
        for r in rows:
            ready, supported = moved[r["need"]]
            assert set(r["ready_ids"]) == ready, r["need"]
            assert set(r["ready_or_supported_ids"]) == supported, r["need"]


@pytest.mark.parametrize(
    ("target", "column", "which"),
    [("ready", "n_ready", 0), ("ready_with_support", "n_ready_or_supported", 1)],
)
def test_top_need_moves_at_least_as_many_candidates_as_any_other_by_brute_force(
    synthetic: Any, target: str, column: str, which: int
) -> None:
    ranked, moved, _ = synthetic
    rows = ranked[target]
    best = max(len(sets[which]) for sets in moved.values())
    assert best >= 1  # the cohort is chosen so that single needs do move people
    assert len(moved[rows[0]["need"]][which]) == rows[0][column] == best
    counts = [r[column] for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_the_memoised_explainer_gives_the_matchers_explanations() -> None:
    people, jobs = synth.cohort(T, 6, 3, seed=2)
    twin = _explainer(M)
    for c in people:
        for v in jobs:
            assert twin.explain(c, v) == M.explain(c, v)


# -- training needs: output and bad input ---------------------------------------------------------


def test_training_needs_is_a_dataframe_with_pandas_and_records_without(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    people, jobs = skills_cohort()
    frame = training_needs(M, people, jobs)
    assert list(frame.columns) == list(TRAINING_NEEDS_COLUMNS)
    assert frame.to_dict("records")[0]["need"] == C
    monkeypatch.setitem(sys.modules, "pandas", None)
    records = training_needs(M, people, jobs)
    assert isinstance(records, list)
    assert list(records[0]) == list(TRAINING_NEEDS_COLUMNS)
    with pytest.raises(ConfigError, match=r"pip install 'labourint-match\[notebook\]'"):
        training_needs(M, people, jobs, as_frame=True)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"top_k": 0}, "top_k"),
        ({"top_k": True}, "top_k"),
        ({"target": "placed"}, "target"),
        ({"languages": "word"}, "languages"),
        ({"placement_gain": -1}, "placement_gain"),
        ({"min_score": 1.5}, "min_score"),
        ({"as_frame": "yes"}, "as_frame"),
    ],
)
def test_training_needs_rejects_bad_options(changes: dict[str, Any], match: str) -> None:
    people, jobs = skills_cohort()
    with pytest.raises(ConfigError, match=match):
        training_needs(M, people, jobs, **changes)


def test_training_needs_rejects_bad_cohorts() -> None:
    people, jobs = skills_cohort()
    with pytest.raises(ConfigError, match="Matcher"):
        training_needs(T, people, jobs)  # type: ignore[arg-type]
    assert len(training_needs(M, [], jobs)) == 0  # an empty cohort: an empty table (issue 19)
    with pytest.raises(ProfileError, match="single"):
        training_needs(M, people[0], jobs)  # type: ignore[arg-type]
    with pytest.raises(ProfileError, match="not a Vacancy"):
        training_needs(M, people, people)  # type: ignore[arg-type]
    with pytest.raises(DuplicateIdError):
        training_needs(M, [*people, people[0]], jobs)


# -- demand and supply ----------------------------------------------------------------------------


def narrower_pair() -> tuple[str, str]:
    """A skill with a narrower skill, both unrelated to B and C."""
    for s in T.concepts("skill"):
        for child in T.narrower(s):
            if T.kind(child).value == "skill" and not {s, child} & {B, C}:
                return s, child
    raise AssertionError("no skill with a narrower skill")


WIDE, NARROW = narrower_pair()
OTHER_GROUP = next(
    o for o in T.concepts("occupation") if T.ancestors(o) and T.ancestors(o)[-1].endswith("/C7")
)


def market() -> tuple[list[CandidateProfile], list[Vacancy]]:
    jobs = [
        Vacancy(id="v1", occupation=COOK, openings=2, location={"region": "SE110"},
                skills=[WIDE, {"skill": B, "importance": "optional"}]),
        Vacancy(id="v2", occupation=OTHER_GROUP, openings=1, location={"region": "SE232"},
                skills=[WIDE, C]),
        Vacancy(id="v3", occupation=COOK, openings=3,
                skills=[B, {"skill": WIDE, "importance": "optional"}]),
    ]  # fmt: skip
    people = [
        person("p1", WIDE, B, location={"region": "SE110"}),
        person("p2", NARROW, location={"region": "SE110"}),
        person("p3", C, location={"region": "SE232"}),
        person("p4", WIDE),
    ]
    return people, jobs


def counts(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[k] for k in DEMAND_SUPPLY_COLUMNS[5:])


def test_demand_and_supply_over_the_cohort_by_hand() -> None:
    people, jobs = market()
    rows = demand_supply(people, jobs, T, as_frame=False)
    assert [r["skill"] for r in rows] == [WIDE, B, C]
    # vacancies, essential, openings, essential openings, holders, holders or narrower, ratio
    assert counts(rows[0]) == (3, 2, 6, 3, 2, 3, 2 / 6)
    assert counts(rows[1]) == (2, 1, 5, 3, 1, 1, 1 / 5)
    assert counts(rows[2]) == (1, 1, 1, 1, 1, 1, 1.0)
    assert rows[0]["label"] == T.label(WIDE)
    assert rows[0]["resolved"] is True
    assert "group" not in rows[0]


def test_demand_and_supply_by_region_counts_each_regions_candidates() -> None:
    people, jobs = market()
    rows = demand_supply(people, jobs, T, by="region", as_frame=False)
    table = {(r["group"], r["skill"]): counts(r) for r in rows}
    assert [r["group"] for r in rows] == ["SE110", "SE110", "SE232", "SE232", "unknown", "unknown"]
    assert table["SE110", WIDE] == (1, 1, 2, 2, 1, 2, 0.5)
    assert table["SE110", B] == (1, 0, 2, 0, 1, 1, 0.5)
    assert table["SE232", WIDE] == (1, 1, 1, 1, 0, 0, 0.0)
    assert table["SE232", C] == (1, 1, 1, 1, 1, 1, 1.0)
    assert table["unknown", B] == (1, 1, 3, 3, 0, 0, 0.0)
    assert table["unknown", WIDE] == (1, 0, 3, 0, 1, 1, 1 / 3)


def test_demand_and_supply_by_isco_major_group_against_the_whole_cohort() -> None:
    people, jobs = market()
    rows = demand_supply(people, jobs, T, by="occupation_group", as_frame=False)
    tied = sorted([WIDE, C], key=T.label)  # equal counts in group 7: by label
    assert [(r["group"], r["skill"]) for r in rows] == [("5", B), ("5", WIDE)] + [
        ("7", s) for s in tied
    ]
    assert rows[0]["group_label"] == T.label("http://data.europa.eu/esco/isco/C5")
    assert counts(rows[0]) == (2, 1, 5, 3, 1, 1, 1 / 5)
    assert counts(rows[1]) == (2, 1, 5, 2, 2, 3, 2 / 5)
    two_digit = demand_supply(people, jobs, T, by="occupation_group", isco_level=2, as_frame=False)
    assert two_digit[0]["group"] == "51"


def test_demand_and_supply_keeps_free_text_that_does_not_resolve() -> None:
    odd = "zqxv flurbing of grommets"
    people, jobs = market()
    jobs.append(Vacancy(id="v4", skills=[odd]))
    people.append(CandidateProfile(id="p5", skills=[odd]))
    rows = demand_supply(people, jobs, M, as_frame=False)
    (row,) = [r for r in rows if not r["resolved"]]
    assert (row["skill"], row["label"], row["vacancies"], row["candidates"]) == (odd, odd, 1, 1)


def test_demand_and_supply_output_and_bad_input() -> None:
    people, jobs = market()
    frame = demand_supply(people, jobs, T, by="region")
    assert list(frame.columns) == list(DEMAND_SUPPLY_COLUMNS)
    assert list(demand_supply(people, jobs, T).columns) == list(DEMAND_SUPPLY_COLUMNS[2:])
    with pytest.raises(ConfigError, match="by must be"):
        demand_supply(people, jobs, T, by="employer")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="isco_level"):
        demand_supply(people, jobs, T, isco_level=5)
    with pytest.raises(ConfigError, match="Taxonomy or a Matcher"):
        demand_supply(people, jobs, "esco")  # type: ignore[arg-type]
    assert len(demand_supply(people, [], T)) == 0  # an empty cohort: an empty table (issue 19)
    unknown = Vacancy(id="v9", skills=["http://data.europa.eu/esco/skill/no-such-skill"])
    with pytest.raises(UnknownConceptError, match="no-such-skill"):
        demand_supply(people, [unknown], T)


def test_demand_and_supply_reports_progress_on_stderr_in_counts_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # plain lines: the final count is kept
    people, jobs = market()
    quiet = demand_supply(people, jobs, T, by="region", as_frame=False)
    assert capsys.readouterr() == ("", "")  # a plain library call says nothing
    loud = demand_supply(people, jobs, T, by="region", as_frame=False, progress=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert "demand and supply" in err
    assert f"{len(people) + len(jobs)}/{len(people) + len(jobs)}" in err  # every record counted
    assert not any(p.id in err for p in people)
    assert not any(v.id in err for v in jobs)
    assert not any(s in err for s in (WIDE, B, C))
    assert loud == quiet
    with pytest.raises(ConfigError, match="progress"):
        demand_supply(people, jobs, T, progress="yes")  # type: ignore[arg-type]


# -- disparity ------------------------------------------------------------------------------------


def audited(cid: str, **audit: Any) -> CandidateProfile:
    return CandidateProfile(id=cid, skills=[A], audit=audit or None)


COHORT = [
    audited("a1", gender="f", disability=True),
    audited("a2", gender="f"),
    audited("a3", gender="f"),
    audited("a4", gender="m", disability=False),
    audited("a5", gender="m"),
    audited("a6"),  # no audit attributes at all
]


def plan(pairs: dict[str, float]) -> Assignment:
    placed = tuple(Placement(cid, f"v-{cid}", s) for cid, s in sorted(pairs.items()))
    unplaced = tuple(Unplaced(c.id, "outcompeted") for c in COHORT if c.id not in pairs)
    return Assignment(
        method="optimal", pairs=placed, unassigned=unplaced, total_score=math.fsum(pairs.values()),
        min_score=0.0, pruning=None, solver="dense", config_digest="-", taxonomy_hash="-",
        as_of=date(2026, 1, 1), n_candidates=len(COHORT), n_vacancies=len(pairs),
        n_openings=len(pairs), run_id="-",
    )  # fmt: skip


PLAN = plan({"a1": 0.9, "a2": 0.5, "a4": 0.8, "a5": 0.4, "a6": 0.7})


def ranking(by: str, rows: list[list[tuple[int, float, int]]], k: int) -> Ranking:
    indices = np.full((len(rows), k), -1, dtype=np.int32)
    scores = np.zeros((len(rows), k), dtype=np.float32)
    reasons = np.zeros((len(rows), k), dtype=np.int32)
    for r, row in enumerate(rows):
        for col, (i, s, why) in enumerate(row):
            indices[r, col], scores[r, col], reasons[r, col] = i, s, why
    vacancy_ids = ("v1", "v2") if by == "vacancy" else ("v1", "v2", "v3")
    return Ranking(
        by=by,  # type: ignore[arg-type]
        candidate_ids=tuple(c.id for c in COHORT),
        vacancy_ids=vacancy_ids,
        indices=indices,
        scores=scores,
        reasons=reasons,
    )


def test_disparity_by_gender_equals_the_hand_computation() -> None:
    rows = disparity(PLAN, COHORT, "gender", as_frame=False)
    f, m, unknown = rows
    assert [r["group"] for r in rows] == ["f", "m", "unknown"]
    # f: a1, a2 of a1–a3 placed (0.9, 0.5); m: a4, a5 both (0.8, 0.4); unknown: a6 (0.7).
    assert (f["n"], f["placed"], f["placement_rate"]) == (3, 2, pytest.approx(2 / 3))
    assert (m["n"], m["placed"], m["placement_rate"]) == (2, 2, 1.0)
    assert (unknown["n"], unknown["placed"], unknown["placement_rate"]) == (1, 1, 1.0)
    assert f["mean_score"] == pytest.approx(0.7)
    assert m["mean_score"] == pytest.approx(0.6)
    # The best-off known group is the reference: m for placement, f for mean score.
    assert m["reference"]
    assert not f["reference"]
    assert not unknown["reference"]
    assert f["placement_rate_ratio"] == pytest.approx(2 / 3)
    assert f["four_fifths_flag"]
    assert m["placement_rate_ratio"] == 1.0
    assert not m["four_fifths_flag"]
    assert unknown["placement_rate_ratio"] == 1.0
    assert not unknown["four_fifths_flag"]
    assert f["mean_score_ratio"] == 1.0
    assert m["mean_score_ratio"] == pytest.approx(0.6 / 0.7)
    assert unknown["mean_score_ratio"] == pytest.approx(1.0)
    assert f["exposure"] is None
    assert f["exposure_ratio"] is None
    assert {r["attribute"] for r in rows} == {"gender"}


def test_disparity_reads_booleans_and_missing_values_as_groups() -> None:
    rows = disparity(PLAN, COHORT, "disability", as_frame=False)
    assert [(r["group"], r["n"], r["placed"]) for r in rows] == [
        ("False", 1, 1), ("True", 1, 1), ("unknown", 4, 3)
    ]  # fmt: skip


def test_top_k_exposure_by_vacancy_is_the_share_of_members_in_some_top_k() -> None:
    # v1's top 2: a1, a4; v2's: a5 (not eligible), a2.
    by_vacancy = ranking("vacancy", [[(0, 0.9, 0), (3, 0.8, 0)], [(4, 0.7, 1), (1, 0.6, 0)]], 2)
    rows = disparity(PLAN, COHORT, "gender", ranking=by_vacancy, as_frame=False)
    f, m, unknown = rows
    assert f["exposure"] == pytest.approx(2 / 3)
    assert m["exposure"] == pytest.approx(1 / 2)
    assert unknown["exposure"] == 0.0
    assert f["exposure_ratio"] == 1.0
    assert m["exposure_ratio"] == pytest.approx(0.75)
    top_1 = disparity(PLAN, COHORT, "gender", ranking=by_vacancy, k=1, as_frame=False)
    assert [r["exposure"] for r in top_1] == [pytest.approx(1 / 3), 0.0, 0.0]
    assert top_1[1]["exposure_ratio"] == 0.0


def test_top_k_exposure_by_candidate_is_the_mean_best_eligible_score() -> None:
    rows_in = [
        [(0, 0.9, 0), (1, 0.5, 0)],  # a1: 0.9
        [(1, 0.6, 1), (2, 0.3, 0)],  # a2: 0.3 (its best is not eligible)
        [],  # a3: nothing
        [(2, 0.8, 0)],  # a4: 0.8
        [(0, 0.4, 0)],  # a5: 0.4
        [(1, 0.2, 2)],  # a6: nothing eligible
    ]
    rows = disparity(PLAN, COHORT, "gender", ranking=ranking("candidate", rows_in, 2),
                     as_frame=False)  # fmt: skip
    f, m, unknown = rows
    assert f["exposure"] == pytest.approx((0.9 + 0.3 + 0.0) / 3, abs=1e-6)
    assert m["exposure"] == pytest.approx((0.8 + 0.4) / 2, abs=1e-6)
    assert unknown["exposure"] == 0.0
    assert f["exposure_ratio"] == pytest.approx(0.4 / 0.6, abs=1e-6)


def test_disparity_on_a_real_placement_matches_counting_by_hand() -> None:
    people, jobs = synth.cohort(T, 24, 6, seed=9)
    result = M.assign(people, jobs)
    rows = disparity(result, list(reversed(people)), "group", as_frame=False)
    placed = {p.candidate_id: p.score for p in result.pairs}
    for row in rows:
        members = [c.id for c in people if c.audit is not None and c.audit.group == row["group"]]
        scores = [placed[m] for m in members if m in placed]
        assert (row["n"], row["placed"]) == (len(members), len(scores))
        if scores:
            assert row["mean_score"] == pytest.approx(sum(scores) / len(scores))
        else:
            assert row["mean_score"] is None
    best = max(r["placement_rate"] for r in rows)
    for row in rows:
        assert row["four_fifths_flag"] == (row["placement_rate"] / best < 0.8)


def test_disparity_with_nobody_placed_has_no_ratios() -> None:
    rows = disparity(plan({}), COHORT, "gender", as_frame=False)
    assert all(r["placement_rate"] == 0.0 for r in rows)
    assert all(r["placement_rate_ratio"] is None and not r["four_fifths_flag"] for r in rows)


def test_disparity_output_and_bad_input() -> None:
    assert list(disparity(PLAN, COHORT).columns) == list(DISPARITY_COLUMNS)
    with pytest.raises(ConfigError, match="attribute must be one of gender"):
        disparity(PLAN, COHORT, "religion")
    with pytest.raises(ConfigError, match="Assignment"):
        disparity(PLAN.pairs, COHORT)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="Ranking"):
        disparity(PLAN, COHORT, ranking=PLAN)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="k must be"):
        disparity(PLAN, COHORT, k=0)
    with pytest.raises(ProfileError, match="not among the candidates passed"):
        disparity(PLAN, COHORT[:-1])
    with pytest.raises(ProfileError, match="not in the assignment"):
        disparity(PLAN, [*COHORT, audited("a7")])
    with pytest.raises(DuplicateIdError):
        disparity(PLAN, [*COHORT, COHORT[0]])


# -- audit attributes stay out of everything else -------------------------------------------------


def test_only_the_analysis_module_reads_audit_attributes() -> None:
    # `.audit` on anything but SynthConfig (`self.audit` in synth/_config.py, `cfg.audit` in
    # synth/_candidates.py). Exempt by path in the package (a bare file name would exempt every
    # module of that name), each with its reason; cli.py, which read none, is no longer exempt.
    exempt = {"analysis/_disparity.py": "disparity, the fairness report"}
    assert all((SRC / name).is_file() for name in exempt), "an exemption names no module"
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path.relative_to(SRC).as_posix() in exempt:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "audit":
                receiver = node.value.id if isinstance(node.value, ast.Name) else None
                where = path.relative_to(SRC).as_posix()
                in_synth = where in ("synth/_config.py", "synth/_candidates.py")
                if not (in_synth and receiver in ("self", "cfg")):
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []


# -- the modules ----------------------------------------------------------------------------------


def test_no_submodule_is_shadowed_by_a_name_of_its_package() -> None:
    """``import labourint_match.analysis.disparity`` must not hand back the function.

    The reports live in private modules (``_training``, ``_demand``, ``_disparity``), so the
    package attribute of each submodule's name is that submodule, in every package.
    """
    import importlib
    import importlib.util
    import pkgutil

    import labourint_match

    shadowed = []
    for info in pkgutil.walk_packages(labourint_match.__path__, "labourint_match."):
        if info.name.endswith(".__main__"):  # runs the command line
            continue
        parent, _, leaf = info.name.rpartition(".")
        module = importlib.import_module(info.name)
        if getattr(importlib.import_module(parent), leaf, None) is not module:
            shadowed.append(info.name)
    assert shadowed == []
    assert importlib.util.find_spec("labourint_match.analysis._disparity") is not None
