"""`Matcher.rank_chunks` encodes the vacancies once per call, not once per chunk (issue 22, item 4).

Each chunk encodes only its candidates, against the vacancies' arrays built before the first
chunk; the language and region codes are then numbered vacancies first (``rank`` numbers them
candidates first), which must change nothing: the rankings equal ``rank``'s on the whole stream,
bit for bit, with languages and regions on both sides in different orders of first appearance.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest

from labourint_match import Matcher, ScoringConfig, Taxonomy, synth
from labourint_match.profiles import ColumnarCohort, LanguageRequirement, LanguageSkill, Location
from labourint_match.scoring import _columnar


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(Taxonomy.default(), ScoringConfig(as_of=date(2026, 1, 1)))


CAND_LANGS = ["so", "sv", "en", "ar", "ti", "fi"]  # candidates meet these first
VAC_LANGS = ["fi", "ar", "en", "sv", "de"]  # vacancies these: another order, one of their own
CAND_REGIONS = ["SE232", None, "SE110", "SE121", "SE224"]
VAC_REGIONS = ["SE224", "SE121", "SE110", None, "SE331"]


def _cohort(matcher: Matcher) -> tuple[list[Any], list[Any]]:
    """Candidates and vacancies whose languages and regions decide scores (no coordinates)."""
    people, jobs = synth.cohort(matcher.taxonomy, 170, 23, seed=19)
    out_people = []
    for i, p in enumerate(people):
        langs = [
            LanguageSkill(language=CAND_LANGS[(i + d) % len(CAND_LANGS)], level=level)
            for d, level in ((0, "C1"), (2, "B1"), (3, "A2"))[: 1 + i % 3]
        ]
        region = CAND_REGIONS[i % len(CAND_REGIONS)]
        out_people.append(p.model_copy(update={
            "languages": langs, "location": Location(region=region) if region else None,
        }))  # fmt: skip
    out_jobs = []
    for j, v in enumerate(jobs):
        langs = [
            LanguageRequirement(language=VAC_LANGS[(j + d) % len(VAC_LANGS)], level=level,
                                importance=importance)
            for d, level, importance in ((0, "B2", "essential"), (1, "A2", "optional"))[: 1 + j % 2]
        ]  # fmt: skip
        region = VAC_REGIONS[j % len(VAC_REGIONS)]
        out_jobs.append(v.model_copy(update={
            "languages": langs, "location": Location(region=region) if region else None,
        }))  # fmt: skip
    return out_people, out_jobs


def _same(parts: list[Any], whole: Any) -> None:
    assert sum((p.candidate_ids for p in parts), ()) == whole.candidate_ids
    assert all(p.vacancy_ids == whole.vacancy_ids for p in parts)
    for name in ("indices", "scores", "reasons"):
        joined = np.concatenate([getattr(p, name) for p in parts])
        assert joined.dtype == getattr(whole, name).dtype
        assert joined.tobytes() == getattr(whole, name).tobytes(), name  # bit for bit


def test_vacancies_are_encoded_once_and_chunks_equal_rank(
    matcher: Matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    people, jobs = _cohort(matcher)
    whole = matcher.rank(people, jobs, top_k=7)
    # Languages and regions decide something here: scores differ across vacancies.
    assert len(np.unique(whole.scores)) > 20
    calls = []
    real = _columnar.encode_vacancy_columns

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(len(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr(_columnar, "encode_vacancy_columns", counted)
    parts = list(matcher.rank_chunks(iter(people), jobs, top_k=7, chunk_size=40))
    assert [len(p) for p in parts] == [40, 40, 40, 40, 10]
    assert calls == [len(jobs)]  # once for the call, not once per chunk
    _same(parts, whole)
    calls.clear()
    columnar = list(matcher.rank_chunks(ColumnarCohort.from_records(people), jobs, top_k=7,
                                        chunk_size=64))  # fmt: skip
    assert calls == [len(jobs)]
    _same(columnar, whole)


def test_codes_numbered_either_way_give_the_same_scores(matcher: Matcher) -> None:
    """Candidates-first numbering (``rank``) and vacancies-first (``rank_chunks``) alike."""
    people, jobs = _cohort(matcher)
    scorer = matcher._scorer
    cands = matcher._candidate_columns(people)
    vacs = matcher._vacancy_columns(jobs)
    both = _columnar.encode_columns(scorer, cands, vacs, matcher._read_titles)
    side = _columnar.encode_vacancy_side(scorer, vacs, matcher._read_titles)
    split = _columnar.encode_with(scorer, side, cands, matcher._read_titles)
    # The numbering differs (so the test tests something) …
    assert not np.array_equal(both.V.lang_code, split.V.lang_code)
    # … the scores of every pair do not.
    ci = np.repeat(np.arange(len(people), dtype=np.int64), len(jobs))
    vi = np.tile(np.arange(len(jobs), dtype=np.int64), len(people))
    a, b = scorer.score_pairs(both, ci, vi), scorer.score_pairs(split, ci, vi)
    assert a.scores.tobytes() == b.scores.tobytes()
    assert a.reasons.tobytes() == b.reasons.tobytes()
    for by in ("candidate", "vacancy"):
        x, y = scorer.top_k(both, 5, by), scorer.top_k(split, 5, by)
        assert all(p.tobytes() == q.tobytes() for p, q in zip(x, y, strict=True))
