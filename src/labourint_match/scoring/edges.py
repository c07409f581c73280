"""The edges of a placement problem: scored eligible pairs, from a `Scorer` and one encoded cohort.

A placement is solved over a sparse bipartite edge list of eligible (candidate, vacancy) pairs.
This module builds it from one :class:`~.engine.EncodedCohort`, and returns plain arrays:

- :func:`dense_edges`: every pair is scored (small cohorts), so the placement is exact;
- :func:`pruned_edges`: each candidate's ``top_k`` best vacancies (:func:`candidate_side`) and
  each vacancy's ``per_opening × openings`` best candidates (:func:`vacancy_side`, per group of
  similar quotas: :func:`quota_groups`), rescored with ``score_pairs`` so both paths use the
  same numbers. With an :class:`Exclusion` (an adviser's overrides), both lists are chosen among
  the pairs left once the forbidden pairs and the fixed candidates are out, and the openings
  are those the fixed pairs leave.

The distributed path computes the same two sides per partition of candidates, merges them, and
filters them with the same functions (:func:`candidate_side`, :func:`vacancy_pairs`).
"""

from __future__ import annotations

from typing import Final, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._encode import CandidateArrays, VacancyArrays, _postings
from .engine import EncodedCohort, Scorer, TopK

__all__ = [
    "CandidatePairs",
    "Edges",
    "Exclusion",
    "best_per_candidate",
    "candidate_side",
    "dense_edges",
    "pruned_edges",
    "quota_groups",
    "score_chunked",
    "select_candidates",
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


class Exclusion(NamedTuple):
    """What a pruned problem leaves out before choosing its pairs (an adviser's overrides).

    Indices into the cohort: the forbidden pairs (``cand[i]``, ``vac[i]``), the candidates
    left out whole (`skip`: those fixed to a vacancy) and each vacancy's openings once the fixed
    pairs have taken theirs (`openings`).
    """

    cand: NDArray[np.int64]
    vac: NDArray[np.int64]
    skip: NDArray[np.int64]
    openings: NDArray[np.int64]


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


def select_candidates(cohort: EncodedCohort, rows: NDArray[np.int64]) -> EncodedCohort:
    """The cohort with only the candidates `rows` (in that order), without encoding again."""
    c = cohort.C
    rows = np.asarray(rows, dtype=np.int64)
    claim_indptr, claims = _rows(c.claim_indptr, rows)
    lang_indptr, langs = _rows(c.lang_indptr, rows)
    edu_indptr, edus = _rows(c.edu_indptr, rows)
    exp_indptr, exps = _rows(c.exp_indptr, rows)
    pref_indptr, prefs = _rows(c.pref_indptr, rows)
    selected = CandidateArrays(
        claim_indptr=claim_indptr,
        claim_concept=c.claim_concept[claims],
        claim_evidence=c.claim_evidence[claims],
        claim_level=c.claim_level[claims],
        lang_indptr=lang_indptr,
        lang_code=c.lang_code[langs],
        lang_level=c.lang_level[langs],
        edu_indptr=edu_indptr,
        edu_level=c.edu_level[edus],
        edu_credit=c.edu_credit[edus],
        exp_indptr=exp_indptr,
        exp_occupation=c.exp_occupation[exps],
        exp_months=c.exp_months[exps],
        pref_indptr=pref_indptr,
        pref_occupation=c.pref_occupation[prefs],
        features=c.features[rows],
    )
    return EncodedCohort(selected, cohort.V, cohort.R)


def _kept_rank(
    drop: NDArray[np.bool_] | None, n_rows: int, width: int
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Each entry's place in its row among those not dropped, and which are not dropped."""
    if drop is None:
        return (np.tile(np.arange(width, dtype=np.int64), n_rows),
                np.ones(n_rows * width, dtype=bool))  # fmt: skip
    kept = ~drop
    rank = np.cumsum(kept, axis=1, dtype=np.int64) - 1
    return rank.ravel(), kept.ravel()


def _candidate_pairs(
    rows: NDArray[np.int64], top: TopK, k: int, min_score: float,
    drop: NDArray[np.bool_] | None = None,
) -> CandidatePairs:  # fmt: skip
    """The pairs kept from a by-candidate ranking of the candidates `rows` (one row each).

    The first `k` entries of each row not in `drop`; of those, the eligible ones scoring above 0
    and at least `min_score`, and the first whatever its score.
    """
    width = top.indices.shape[1]
    r = np.repeat(rows, width)
    cols = top.indices.ravel().astype(np.int64)
    s32 = top.scores.ravel().astype(np.float32)
    rank, kept = _kept_rank(drop, rows.shape[0], width)
    good = kept & (rank < k) & (cols >= 0) & (top.reasons.ravel() == 0) & (s32 > 0.0)
    keep = good & ((rank == 0) | (s32 >= np.float32(min_score)))
    return CandidatePairs(r[keep], cols[keep], top.scores.ravel()[keep],
                          top.reasons.ravel()[keep])  # fmt: skip


def candidate_side(
    scorer: Scorer, cohort: EncodedCohort, top_k: int, min_score: float
) -> CandidatePairs:
    """Each candidate's best ``top_k`` vacancies: the eligible ones scoring at least `min_score`.

    The first column is each candidate's best pair overall: kept whatever its score, so that the
    best score is known exactly. Scores are compared as float32, as a `Ranking` holds them.
    """
    top = scorer.top_k(cohort, top_k)
    rows = np.arange(cohort.n_candidates, dtype=np.int64)
    return _candidate_pairs(rows, top, top.indices.shape[1], min_score)


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
    drop: NDArray[np.bool_] | None = None,
) -> CandidatePairs:
    """The pairs of one quota group's ranking (rows: its vacancies) within each one's quota.

    Eligible pairs scoring above 0 and at least `min_score` (compared as float32, as a
    `Ranking` holds scores); `quota` is per vacancy of the whole cohort. Entries in `drop` (the
    shape of `idx`) are skipped, and do not count against the quota.
    """
    kv = idx.shape[1]
    r = np.repeat(group, kv)
    c = idx.ravel().astype(np.int64)
    s = scores.ravel()
    s32 = s.astype(np.float32)
    w = why.ravel()
    rank, kept = _kept_rank(drop, group.shape[0], kv)
    within = kept & (rank < quota[r])
    ok = within & (c >= 0) & (w == 0) & (s32 > 0.0) & (s32 >= np.float32(min_score))
    return CandidatePairs(c[ok], r[ok], s[ok], w[ok])


def pruned_edges(
    scorer: Scorer,
    cohort: EncodedCohort,
    capacity: NDArray[np.int64],
    min_score: float,
    top_k: int,
    per_opening: int,
    exclude: Exclusion | None = None,
) -> Edges:
    """Each candidate's best `top_k` vacancies and each vacancy's best ``per_opening × openings``.

    The union of both sides, rescored with ``score_pairs``; every eligible pair with a positive
    score is an edge. With `exclude`, both sides choose among the pairs it leaves: no forbidden
    pair and no candidate of ``exclude.skip`` takes a place in a list (a candidate's `top_k`
    are their best pairs not forbidden), and the vacancies' quotas count ``exclude.openings``.
    """
    n_c, n_v = cohort.n_candidates, cohort.n_vacancies
    if exclude is not None:
        return _pruned_excluding(scorer, cohort, min_score, top_k, per_opening, exclude)
    side = candidate_side(scorer, cohort, min(top_k, n_v), min_score)
    pieces_c, pieces_v = [side.cand], [side.vac]
    quota = np.minimum(capacity * per_opening, n_c)
    groups = quota_groups(quota)
    for group, top in zip(groups, vacancy_side(scorer, cohort, groups, quota), strict=True):
        pairs = vacancy_pairs(group, top.indices.astype(np.int64), top.scores, top.reasons,
                              quota, min_score)  # fmt: skip
        pieces_c.append(pairs.cand)
        pieces_v.append(pairs.vac)
    return _union_edges(scorer, cohort, pieces_c, pieces_v)


def _union_edges(
    scorer: Scorer, cohort: EncodedCohort, pieces_c: list[NDArray[np.int64]],
    pieces_v: list[NDArray[np.int64]],
) -> Edges:  # fmt: skip
    """The edges of the union of the pairs chosen, each scored once."""
    n_c, n_v = cohort.n_candidates, cohort.n_vacancies
    keys = np.unique(np.concatenate(pieces_c) * n_v + np.concatenate(pieces_v))
    ci, vi = keys // n_v, keys % n_v
    scores, why = score_chunked(scorer, cohort, ci, vi)
    return _edges(ci, vi, scores, why, n_c)


def _pruned_excluding(
    scorer: Scorer, cohort: EncodedCohort, min_score: float, top_k: int, per_opening: int,
    exclude: Exclusion,
) -> Edges:  # fmt: skip
    """:func:`pruned_edges` over the pairs `exclude` leaves (see there)."""
    n_c, n_v = cohort.n_candidates, max(cohort.n_vacancies, 1)
    skip = np.unique(np.asarray(exclude.skip, dtype=np.int64))
    f_cand = np.asarray(exclude.cand, dtype=np.int64)
    f_vac = np.asarray(exclude.vac, dtype=np.int64)
    live = ~np.isin(f_cand, skip)  # a skipped candidate's pairs are all out already
    f_cand, f_vac = f_cand[live], f_vac[live]
    f_key = np.unique(f_cand * n_v + f_vac)
    f_cand, f_vac = f_key // n_v, f_key % n_v

    # Candidates: the ranking as without overrides, except the skipped candidates and those with
    # forbidden pairs, who are ranked again a little further and lose their forbidden entries.
    k = min(top_k, cohort.n_vacancies)
    side = candidate_side(scorer, cohort, k, min_score)
    hit = np.unique(f_cand)
    mine = ~(np.isin(side.cand, skip) | np.isin(side.cand, hit))
    pieces_c, pieces_v = [side.cand[mine]], [side.vac[mine]]
    if hit.size:
        further = int(np.bincount(f_cand).max())
        top = scorer.top_k(select_candidates(cohort, hit), k + further)  # clamped to n_v
        idx = top.indices.astype(np.int64)
        drop = (idx >= 0) & np.isin(hit[:, None] * n_v + idx, f_key)
        pairs = _candidate_pairs(hit, top, k, min_score, drop)
        pieces_c.append(pairs.cand)
        pieces_v.append(pairs.vac)

    # Vacancies: ranked among the candidates not skipped, a little further where some of their
    # pairs are forbidden; the forbidden entries do not count against the quota.
    keep = np.setdiff1d(np.arange(n_c, dtype=np.int64), skip)
    sub = cohort if keep.shape[0] == n_c else select_candidates(cohort, keep)
    openings = np.asarray(exclude.openings, dtype=np.int64)
    quota = np.minimum(openings * per_opening, keep.shape[0])
    further_v = np.bincount(f_vac, minlength=openings.shape[0]).astype(np.int64)
    ranked = np.where(quota > 0, np.minimum(quota + further_v, keep.shape[0]), 0)
    groups = quota_groups(ranked)
    for group, top in zip(groups, vacancy_side(scorer, sub, groups, ranked), strict=True):
        local = top.indices.astype(np.int64)
        idx = np.where(local >= 0, keep[np.maximum(local, 0)], -1)
        drop = (idx >= 0) & np.isin(idx * n_v + group[:, None], f_key)
        pairs = vacancy_pairs(group, idx, top.scores, top.reasons, quota, min_score, drop)
        pieces_c.append(pairs.cand)
        pieces_v.append(pairs.vac)
    return _union_edges(scorer, cohort, pieces_c, pieces_v)
