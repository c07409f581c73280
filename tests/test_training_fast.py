"""training_needs on the engine's arrays (issue 22, items 3 and 4), and progress reporting.

What these tests prove: the array algorithm gives the very table the parent commit's algorithm
(every pair explained, kept as ``_training_needs_reference``) gives — same rows, order, columns
and values, ``score_lost`` to the last bit — on random synthetic cohorts under every option and
on hand-built cohorts that reach the corners of the explanation's rules (language quirks of
training, routed language skills, recognition, support, duplicated requirements, skill levels);
the engine's pair details compose into the scores ``score_pairs`` gives; ``progress=`` reports on
standard error only, without ids, is silent by default in library calls, and leaves results
unchanged in ``training_needs``, ``resolve_many`` and ``extract_many``.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

import numpy as np
import pytest

from labourint_match import (
    CandidateProfile,
    Matcher,
    ScoringConfig,
    SkillResolver,
    Taxonomy,
    Vacancy,
    synth,
)
from labourint_match._progress import progress_bar, progress_enabled
from labourint_match.analysis import training_needs
from labourint_match.analysis._training_reference import _training_needs_reference
from labourint_match.errors import ConfigError
from labourint_match.resolve import _resolver
from labourint_match.scoring.config import COMPONENTS
from labourint_match.scoring.engine import Scorer

T = Taxonomy.default()
M = Matcher(T, ScoringConfig(as_of=date(2026, 1, 1)))
COOK = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
ESSENTIAL = [r.skill for r in T.occupation_skills(COOK) if r.relation == "essential"]


def same_table(people: Any, jobs: Any, matcher: Matcher = M, **options: Any) -> list[Any]:
    new = training_needs(matcher, people, jobs, as_frame=False, **options)
    old = _training_needs_reference(matcher, people, jobs, as_frame=False, **options)
    assert [r["need"] for r in new] == [r["need"] for r in old]
    for a, b in zip(new, old, strict=True):
        assert a == b, a["need"]  # every column, score_lost to the last bit
    return new


@pytest.mark.parametrize("seed", [1, 2, 5, 8])
@pytest.mark.parametrize(
    "options",
    [
        {"top_k": 3},
        {"top_k": 5, "target": "ready_with_support"},
        {"top_k": 2, "languages": "activity"},
        {"top_k": None, "target": "ready_with_support", "languages": "activity"},
    ],
    ids=["top3", "supported", "activity", "every-vacancy"],
)
def test_the_array_algorithm_gives_the_reference_table_on_synthetic_cohorts(
    seed: int, options: dict[str, Any]
) -> None:
    people, jobs = synth.cohort(T, 40, 12, seed=seed, dropout_rate=0.2, as_of=date(2026, 1, 1))
    rows = same_table(people, jobs, **options)
    assert len(rows) >= 10  # the cohort has needs: the comparison compares something


def test_the_array_algorithm_gives_the_reference_table_under_another_configuration() -> None:
    config = ScoringConfig(
        as_of=date(2026, 1, 1), gap_threshold=0.8, max_supported_gaps=1, cefr_decay=0.5,
        language_training_softening=0.3, max_supported_language_levels=2,
    )  # fmt: skip
    people, jobs = synth.cohort(T, 40, 12, seed=4, as_of=date(2026, 1, 1))
    same_table(people, jobs, Matcher(T, config), top_k=4, target="ready_with_support")


def test_the_array_algorithm_gives_the_reference_table_in_the_corners() -> None:
    a, b, c, d = ESSENTIAL[:4]
    sv = T.language("sv")
    jobs = [
        # per-activity levels, an optional language, language training offered
        Vacancy(
            id="v1",
            occupation=COOK,
            skills=[a, b],
            languages=[
                {"language": "sv", "level": "B1", "writing": "B2"},
                {"language": "de", "reading": "A2", "importance": "optional"},
            ],
            support={"language_training": True},
        ),
        # a mentor bridges skill gaps; a skill asked twice, with a minimum level
        Vacancy(
            id="v2",
            occupation=COOK,
            support={"mentor": True},
            skills=[{"skill": a, "min_level": 3}, b, c, {"skill": c, "min_level": 4}],
        ),
        # a qualification to recognise; per-activity levels; a language skill among the skills
        Vacancy(
            id="v3",
            occupation=COOK,
            skills=[a, d, sv.listening],
            min_isced=4,
            languages=[{"language": "en", "spoken_interaction": "B2", "reading": "A2"}],
        ),
    ]
    people = [
        CandidateProfile(
            id="p1",
            skills=[{"skill": a, "level": 2}],
            languages=[{"language": "sv", "level": "C1"}],
        ),
        CandidateProfile(
            id="p2",
            skills=[a, b],
            languages=[
                {"language": "sv", "level": "A2", "writing": "A1"},
                {"language": "en", "native": True},
            ],
        ),
        CandidateProfile(
            id="p3", skills=[a, c], education=[{"isced_level": 5, "recognition": "not_recognised"}]
        ),
        CandidateProfile(
            id="p4",
            skills=[{"skill": a, "evidence": "certified"}, d],
            languages=[{"language": "en", "reading": "B2"}],
        ),
        # a language given as an ESCO skill claim: routed to the languages before scoring
        CandidateProfile(id="p5", skills=[a, b, {"skill": sv.language, "level": 2}]),
        CandidateProfile(id="p6", skills=[b, c, d], known_none=["languages"]),
        CandidateProfile(
            id="p7", skills=[a, b, c, d], languages=[{"language": "sv", "reading": "B1"}]
        ),
    ]
    for target in ("ready", "ready_with_support"):
        for languages in ("level", "activity"):
            rows = same_table(people, jobs, top_k=None, target=target, languages=languages)
            assert {r["kind"] for r in rows} == {"skill", "language"}


def test_an_empty_cohort_gives_an_empty_table_either_way() -> None:
    people, jobs = synth.cohort(T, 5, 3, seed=1)
    assert same_table([], jobs) == []
    assert same_table(people, []) == []


def test_pair_details_compose_into_the_scores_score_pairs_gives() -> None:
    people, jobs = synth.cohort(T, 30, 10, seed=3, as_of=date(2026, 1, 1))
    scorer = Scorer(T, ScoringConfig(as_of=date(2026, 1, 1)))
    enc = scorer.encode(people, jobs)
    ci = np.repeat(np.arange(30, dtype=np.int64), 10)
    vi = np.tile(np.arange(10, dtype=np.int64), 30)
    det = scorer.pair_details(enc, ci, vi)
    scores = scorer.score_pairs(enc, ci, vi)
    w = scorer.config.weights()
    comp = {n: det.components[:, k] for k, n in enumerate(COMPONENTS)}
    rest = w["language"] * comp["language"]
    for n in COMPONENTS[2:]:
        rest = rest + w[n] * comp[n]
    gate = scorer.config.gate_floor + (1.0 - scorer.config.gate_floor) * comp["skill"]
    composed = np.where(det.reasons == 0, w["skill"] * comp["skill"] + rest * gate, 0.0)
    assert np.array_equal(det.reasons, scores.reasons)
    assert np.array_equal(composed, scores.scores)  # bit for bit
    assert np.array_equal(comp["skill"], scores.skill)
    assert det.slot_at[-1] == det.slot_credit.shape[0] > 0
    with pytest.raises(ConfigError, match="int64"):
        scorer.pair_details(enc, ci.astype(np.int32), vi)


# -- progress --------------------------------------------------------------------------------------


def test_training_needs_reports_progress_on_stderr_only_and_without_ids(
    capsys: pytest.CaptureFixture[str],
) -> None:
    people, jobs = synth.cohort(T, 30, 8, seed=2, as_of=date(2026, 1, 1))
    quiet = training_needs(M, people, jobs, as_frame=False)
    assert capsys.readouterr() == ("", "")  # a plain library call says nothing
    loud = training_needs(M, people, jobs, as_frame=False, progress=True, placement_gain=1)
    out, err = capsys.readouterr()
    assert out == ""
    assert "training needs" in err
    assert "placement gains" in err
    assert not any(p.id in err for p in people)
    assert not any(v.id in err for v in jobs)
    assert [r | {"placement_gain": None, "placed_gain": None} for r in loud] == quiet
    with pytest.raises(ConfigError, match="progress"):
        training_needs(M, people, jobs, progress="yes")  # type: ignore[arg-type]


def test_progress_falls_back_to_plain_lines_without_tqdm(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # import tqdm.auto raises ImportError
    with progress_bar(4, "counting", True, unit="things") as bar:
        bar.update(4)
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip().startswith("counting: 4/4 things")
    assert progress_enabled(None) is False  # no notebook here
    assert progress_enabled(True) is True
    with pytest.raises(ConfigError, match="progress"):
        progress_enabled(1)  # type: ignore[arg-type]


def test_resolve_many_and_extract_many_give_the_same_reports_with_progress(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    resolver = SkillResolver(T, cache=False)
    mentions = ["weld", "cook", "Swedish", "drive a forklift", "nothing at all", "weld", "bake"]
    plain = resolver.resolve_many(mentions)
    monkeypatch.setattr(_resolver, "_PROGRESS_CHUNK", 2)  # several steps
    stepped = resolver.resolve_many(mentions, progress=True)
    assert stepped == plain
    texts = ["I weld and cook.", "Jag kan svetsa.", ""]
    assert resolver.extract_many(texts, progress=True) == resolver.extract_many(texts)
    out, err = capsys.readouterr()
    assert out == ""
    assert "resolving" in err
    assert "extracting" in err
    assert "weld" not in err
    assert "svetsa" not in err
    with pytest.raises(ConfigError, match="progress"):
        resolver.resolve_many(mentions, progress="on")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="progress"):
        resolver.extract_many(texts, progress=0)  # type: ignore[arg-type]
