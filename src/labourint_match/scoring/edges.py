"""The edges of a placement problem: scored eligible pairs, from a `Scorer` and one encoded cohort.

A placement is solved over a sparse bipartite edge list of eligible (candidate, vacancy) pairs.
This module builds it from one :class:`~.engine.EncodedCohort`, and returns plain arrays:

- :func:`dense_edges`: every pair is scored (small cohorts), so the placement is exact;
- :func:`pruned_edges`: each candidate's ``top_k`` best vacancies (:func:`candidate_side`) and
  each vacancy's ``per_opening × openings`` best candidates (:func:`vacancy_side`, per group of
  similar quotas: :func:`quota_groups`), rescored with ``score_pairs`` so both paths use the
  same numbers.

The distributed path computes the same two sides per partition of candidates, merges them, and
filters them with the same functions (:func:`candidate_side`, :func:`vacancy_pairs`).
"""

from __future__ import annotations

from typing import Final, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._encode import VacancyArrays, _postings
from .engine import EncodedCohort, Scorer, TopK

__all__ = [
    "CandidatePairs",
    "Edges",
    "best_per_candidate",
    "candidate_side",
    "dense_edges",
    "pruned_edges",
    "quota_groups",
    "score_chunked",
    "select_vacancies",
    "vacancy_pairs",
    "vacancy_side",
]

VACANCY_RANK_CELLS: Final = 8_000_000
"""Above this many cells, the per-vacancy ranking runs per group of similar quotas."""

DENSE_CHUNK: Final = 4_000_000
"""Pairs scored per call of ``score_pairs`` (bounds the memory of a scan)."""


class Edges(NamedTuple):
    """Scored eligible pairs: indices into the cohort, the score, and each candidate's best."""

    cand: NDArray[np.int64]
    vac: NDArray[np.int64]
    score: NDArray[np.float64]
    best: NDArray[np.float64]
    """Per candidate: the best score of an eligible pair scored (0 when none)."""


class CandidatePairs(NamedTuple):
    """Pairs kept from a ranking: candidate and vacancy indices, float64 score and reasons."""

    cand: NDArray[np.int64]
    vac: NDArray[np.int64]
    score: NDArray[np.float64]
    why: NDArray[np.int32]


def score_chunked(
    scorer: Scorer, cohort: EncodedCohort, ci: NDArray[np.int64], vi: NDArray[np.int64]
) -> tuple[NDArray[np.float64], NDArray[np.int32]]:
    """Scores (clipped to [0, 1]) and reasons of the pairs ``(ci[i], vi[i])``, a chunk at a time."""
    scores = np.empty(ci.shape[0], dtype=np.float64)
    why = np.empty(ci.shape[0], dtype=np.int32)
    for lo in range(0, ci.shape[0], DENSE_CHUNK):
        hi = lo + DENSE_CHUNK
        s, r, _ = scorer.score_pairs(cohort, ci[lo:hi], vi[lo:hi])
        scores[lo:hi] = s
        why[lo:hi] = r
    # Weights sum to 1 and components lie in [0, 1]; clip the last bit of rounding.
    return np.clip(scores, 0.0, 1.0), why


def best_per_candidate(
    ci: NDArray[np.int64], scores: NDArray[np.float64], eligible: NDArray[np.bool_], n: int
) -> NDArray[np.float64]:
    """Per candidate, the best of its `eligible` scores (0 when none)."""
    best = np.zeros(n, dtype=np.float64)
    np.maximum.at(best, ci[eligible], scores[eligible])
    return best


def _edges(
    ci: NDArray[np.int64], vi: NDArray[np.int64], scores: NDArray[np.float64],
    why: NDArray[np.int32], n_c: int,
) -> Edges:  # fmt: skip
    eligible = (why == 0) & (scores > 0.0)
    return Edges(ci[eligible], vi[eligible], scores[eligible],
                 best_per_candidate(ci, scores, eligible, n_c))  # fmt: skip


def dense_edges(scorer: Scorer, cohort: EncodedCohort) -> Edges:
    """Every eligible pair with a positive score (all pairs are scored)."""
    n_c, n_v = cohort.n_candidates, cohort.n_vacancies
    ci = np.repeat(np.arange(n_c, dtype=np.int64), n_v)
    vi = np.tile(np.arange(n_v, dtype=np.int64), n_c)
    scores, why = score_chunked(scorer, cohort, ci, vi)
    return _edges(ci, vi, scores, why, n_c)


def quota_groups(quota: NDArray[np.int64]) -> list[NDArray[np.int64]]:
    """The vacancies (with a quota above 0) ranked together for their best candidates.

    All of them at once, unless a few large quotas would make that table too big: then each
    group of similar quotas (the same power of two) on its own.
    """
    n_v = quota.shape[0]
    has = np.flatnonzero(quota > 0)
    if not has.size:
        return []
    if n_v * int(quota.max()) <= VACANCY_RANK_CELLS:
        return [np.arange(n_v, dtype=np.int64)]
    bucket = np.zeros(n_v, dtype=np.int64)
    bucket[has] = np.ceil(np.log2(quota[has])).astype(np.int64)
    return [has[bucket[has] == b] for b in np.unique(bucket[has])]


def _rows(
    indptr: NDArray[np.int64], rows: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The new offsets of CSR rows `rows`, and the positions of their entries (in order)."""
    counts = (indptr[rows + 1] - indptr[rows]).astype(np.int64)
    new = np.zeros(rows.shape[0] + 1, dtype=np.int64)
    np.cumsum(counts, out=new[1:])
    take = np.repeat(indptr[rows] - new[:-1], counts) + np.arange(int(new[-1]), dtype=np.int64)
    return new, take


def select_vacancies(
    scorer: Scorer, cohort: EncodedCohort, rows: NDArray[np.int64]
) -> EncodedCohort:
    """The cohort with only the vacancies `rows` (in that order), without encoding again.

    The relation arrays are kept whole: they also cover concepts no selected vacancy asks for,
    which no score or bound reads.
    """
    v = cohort.V
    rows = np.asarray(rows, dtype=np.int64)
    slot_indptr, slots = _rows(v.slot_indptr, rows)
    lang_indptr, langs = _rows(v.lang_indptr, rows)
    concept = v.slot_concept[slots]
    owner = np.repeat(np.arange(rows.shape[0], dtype=np.int64), np.diff(slot_indptr))
    post_indptr, post_slot = _postings(owner, len(scorer.taxonomy), concept)
    selected = VacancyArrays(
        slot_indptr=slot_indptr,
        slot_concept=concept,
        slot_weight=v.slot_weight[slots],
        slot_min_level=v.slot_min_level[slots],
        slot_vacancy=owner.astype(np.int32),
        total_weight=v.total_weight[rows],
        lang_indptr=lang_indptr,
        lang_code=v.lang_code[langs],
        lang_min=v.lang_min[langs],
        lang_factor=v.lang_factor[langs],
        features=v.features[rows],
        post_indptr=post_indptr,
        post_slot=post_slot,
    )
    return EncodedCohort(cohort.C, selected, cohort.R)


def candidate_side(
    scorer: Scorer, cohort: EncodedCohort, top_k: int, min_score: float
) -> CandidatePairs:
    """Each candidate's best ``top_k`` vacancies: the eligible ones scoring at least `min_score`.

    The first column is each candidate's best pair overall: kept whatever its score, so that the
    best score is known exactly. Scores are compared as float32, as a `Ranking` holds them.
    """
    n_c = cohort.n_candidates
    top = scorer.top_k(cohort, top_k)
    k = top.indices.shape[1]
    rows = np.repeat(np.arange(n_c, dtype=np.int64), k)
    cols = top.indices.ravel().astype(np.int64)
    s32 = top.scores.ravel().astype(np.float32)
    good = (cols >= 0) & (top.reasons.ravel() == 0) & (s32 > 0.0)
    first = np.zeros(n_c * k, dtype=bool)
    first[::k] = True
    keep = good & (first | (s32 >= np.float32(min_score)))
    return CandidatePairs(rows[keep], cols[keep], top.scores.ravel()[keep],
                          top.reasons.ravel()[keep])  # fmt: skip


def vacancy_side(
    scorer: Scorer, cohort: EncodedCohort, groups: list[NDArray[np.int64]],
    quota: NDArray[np.int64],
) -> list[TopK]:  # fmt: skip
    """Per quota group, each vacancy's best candidates (as many as the group's largest quota)."""
    n_v = cohort.n_vacancies
    out = []
    for group in groups:
        sub = cohort if group.shape[0] == n_v else select_vacancies(scorer, cohort, group)
        kv = int(min(int(quota[group].max()), max(cohort.n_candidates, 1)))
        out.append(scorer.top_k(sub, kv, "vacancy"))
    return out


def vacancy_pairs(
    group: NDArray[np.int64],
    idx: NDArray[np.int64],
    scores: NDArray[np.float64],
    why: NDArray[np.int32],
    quota: NDArray[np.int64],
    min_score: float,
) -> CandidatePairs:
    """The pairs of one quota group's ranking (rows: its vacancies) within each one's quota.

    Eligible pairs scoring above 0 and at least `min_score` (compared as float32, as a
    `Ranking` holds scores); `quota` is per vacancy of the whole cohort.
    """
    kv = idx.shape[1]
    r = np.repeat(group, kv)
    c = idx.ravel().astype(np.int64)
    s = scores.ravel()
    s32 = s.astype(np.float32)
    w = why.ravel()
    within = np.tile(np.arange(kv, dtype=np.int64), group.shape[0]) < quota[r]
    ok = within & (c >= 0) & (w == 0) & (s32 > 0.0) & (s32 >= np.float32(min_score))
    return CandidatePairs(c[ok], r[ok], s[ok], w[ok])


def pruned_edges(
    scorer: Scorer,
    cohort: EncodedCohort,
    capacity: NDArray[np.int64],
    min_score: float,
    top_k: int,
    per_opening: int,
) -> Edges:
    """Each candidate's best `top_k` vacancies and each vacancy's best ``per_opening × openings``.

    The union of both sides, rescored with ``score_pairs``; every eligible pair with a positive
    score is an edge.
    """
    n_c, n_v = cohort.n_candidates, cohort.n_vacancies
    side = candidate_side(scorer, cohort, min(top_k, n_v), min_score)
    pieces_c, pieces_v = [side.cand], [side.vac]
    quota = np.minimum(capacity * per_opening, n_c)
    groups = quota_groups(quota)
    for group, top in zip(groups, vacancy_side(scorer, cohort, groups, quota), strict=True):
        pairs = vacancy_pairs(group, top.indices.astype(np.int64), top.scores, top.reasons,
                              quota, min_score)  # fmt: skip
        pieces_c.append(pairs.cand)
        pieces_v.append(pairs.vac)
    keys = np.unique(np.concatenate(pieces_c) * n_v + np.concatenate(pieces_v))
    ci, vi = keys // n_v, keys % n_v
    scores, why = score_chunked(scorer, cohort, ci, vi)
    return _edges(ci, vi, scores, why, n_c)
