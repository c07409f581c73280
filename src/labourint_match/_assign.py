"""The work behind :meth:`Matcher.assign`: cohort → edge list → solver → :class:`Assignment`.

Both cohorts are sorted by id first, so that index order is id order: the solvers break ties by
index, which makes "ties broken by id" hold and the result independent of the input order.

Edges come from :mod:`labourint_match.scoring.edges`, on the cohort encoded once:

- small cohorts (candidates × vacancies ≤ ``dense_max_pairs``): every pair is scored, and every
  eligible pair with a positive score at or above ``min_score`` is an edge, so the placement is
  exact over all pairs;
- large cohorts: each candidate's ``top_k`` best vacancies and each vacancy's
  ``per_opening × openings`` best candidates, rescored with ``score_pairs`` so both paths use the
  same numbers; the pruning is stated in the result.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from numpy.typing import NDArray

from ._validate import positive_int as _positive_int
from ._validate import unit_interval
from ._version import __version__
from .assignment import Reason, solve_optimal, solve_stable
from .assignment._log import check_log_path, write_decision_log
from .assignment.result import (
    Assignment,
    CandidateScan,
    Placement,
    Pruning,
    Unplaced,
    UnplacedReason,
)
from .errors import ConfigError
from .profiles import CandidateProfile, Vacancy
from .scoring import edges as _edges
from .scoring.edges import Edges
from .scoring.ranking import REASONS, reason_names

if TYPE_CHECKING:
    from pathlib import Path

    from .assignment.result import _Source as _SourceLike
    from .matcher import Matcher
    from .scoring.explain import Explanation

__all__ = ["DENSE_ASSIGN_PAIRS", "METHODS", "assign"]

METHODS: Final = ("optimal", "stable")
"""The values `method` of :meth:`Matcher.assign` accepts."""

DENSE_ASSIGN_PAIRS: Final = 4_000_000
"""Up to this many pairs (candidates × vacancies), :meth:`Matcher.assign` scores every pair."""


def _min_score(value: object) -> float:
    return unit_interval(value, "min_score")


class _Source:
    """The matcher and the sorted cohorts, for explanations computed on demand."""

    def __init__(
        self, matcher: Matcher, cands: tuple[CandidateProfile, ...], vacs: tuple[Vacancy, ...]
    ) -> None:
        self.matcher = matcher
        self.cands = {c.id: c for c in cands}
        self.vacs = vacs
        self.vac_pos = {v.id: j for j, v in enumerate(vacs)}

    def explain_pair(self, candidate_id: str, vacancy_id: str, lang: str = "en") -> Explanation:
        return self.matcher.explain(
            self.cands[candidate_id], self.vacs[self.vac_pos[vacancy_id]], lang=lang
        )

    def scan(self, candidate_id: str) -> CandidateScan:
        scorer = self.matcher._scorer
        n_v = len(self.vacs)
        enc = scorer.encode((self.cands[candidate_id],), self.vacs)
        ci = np.zeros(n_v, dtype=np.int64)
        vi = np.arange(n_v, dtype=np.int64)
        scores, why, _ = scorer.score_pairs(enc, ci, vi)
        scores = np.clip(np.asarray(scores, dtype=np.float64), 0.0, 1.0)
        why = np.asarray(why)
        good = np.flatnonzero((why == 0) & (scores > 0.0))
        order = good[np.lexsort((good, -scores[good]))]  # best first, ties by id (= index)
        eligible = tuple(
            (self.vacs[j].id, float(scores[j]), int(self.vacs[j].openings)) for j in order
        )
        blocked: dict[str, int] = {}
        blocked_only: dict[str, int] = {}
        masks, counts = np.unique(why[why != 0], return_counts=True)
        for mask, count in zip(masks.tolist(), counts.tolist(), strict=True):
            names = reason_names(int(mask))
            for name in names:
                blocked[name] = blocked.get(name, 0) + count
            if len(names) == 1:
                blocked_only[names[0]] = blocked_only.get(names[0], 0) + count
        order_of = tuple(name for _, name in REASONS)
        return CandidateScan(
            eligible=eligible,
            blocked={k: blocked[k] for k in order_of if k in blocked},
            blocked_only={k: blocked_only[k] for k in order_of if k in blocked_only},
            n_vacancies=n_v,
        )


def _problem_digest(
    capacity: NDArray[np.int64], best: NDArray[np.float64], edges: Edges | None
) -> str:
    """A hash of what the placement is solved from: every scored pair, each one's best, openings.

    This is where the profiles' content enters the run id: a change to a record that changes any
    score (or eligibility, or a vacancy's openings) changes the digest. Profile fields are not
    hashed one by one: audit attributes must not reach anything a placement returns.
    """
    h = hashlib.sha256()
    arrays: list[NDArray[Any]] = [capacity.astype(np.int64), best.astype(np.float64)]
    if edges is not None:
        cand, vac = edges.cand.astype(np.int64), edges.vac.astype(np.int64)
        score = edges.score.astype(np.float64)
        key = cand * max(int(capacity.shape[0]), 1) + vac
        if key.size > 1 and bool(np.any(key[1:] < key[:-1])):  # in (candidate, vacancy) order
            order = np.argsort(key, kind="stable")
            cand, vac, score = cand[order], vac[order], score[order]
        arrays += [cand, vac, score]
    for a in arrays:
        h.update(a.shape[0].to_bytes(8, "little"))
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def _run_id(
    matcher: Matcher,
    cand_ids: Sequence[str],
    vacs: tuple[Vacancy, ...],
    method: str,
    min_score: float,
    pruning: tuple[int, int] | None,
    grouping: str | None = None,
    problem: str | None = None,
) -> str:
    payload = {
        "candidates": list(cand_ids),
        "vacancies": [v.id for v in vacs],
        "config": matcher.config.digest(),
        "as_of": matcher.as_of.isoformat(),
        "taxonomy": matcher.taxonomy.content_hash,
        "method": method,
        "min_score": min_score,
        "pruning": pruning,
        "library_version": __version__,
    }
    if grouping is not None:
        payload["grouping"] = grouping
    if problem is not None:
        payload["problem"] = problem
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def assign(
    matcher: Matcher,
    candidates: Iterable[CandidateProfile],
    vacancies: Iterable[Vacancy],
    method: str,
    min_score: object,
    *,
    top_k: object,
    per_opening: object,
    dense_max_pairs: object,
    log: object,
) -> Assignment:
    """See :meth:`Matcher.assign`."""
    if method not in METHODS:
        raise ConfigError(f"method must be 'optimal' or 'stable', not {method!r}")
    threshold = _min_score(min_score)
    k = _positive_int(top_k, "top_k")
    per = _positive_int(per_opening, "per_opening", minimum=0)
    dense_max = _positive_int(dense_max_pairs, "dense_max_pairs", minimum=0)
    log_path = None if log is None else check_log_path(log)

    cands = tuple(sorted(matcher._cohort(candidates, CandidateProfile, "candidates"),
                         key=lambda c: c.id))  # fmt: skip
    vacs = tuple(sorted(matcher._cohort(vacancies, Vacancy, "vacancies"), key=lambda v: v.id))
    n_c, n_v = len(cands), len(vacs)
    capacity = np.array([v.openings for v in vacs], dtype=np.int64)

    # The cohort encoded once; the edges (all pairs, or the pruned set) from that encoding.
    scorer = matcher._scorer
    enc = scorer.encode(cands, vacs)
    pruned = n_c * n_v > dense_max and k < n_v
    if pruned:
        edges = _edges.pruned_edges(scorer, enc, capacity, threshold, k, per)
    else:
        edges = _edges.dense_edges(scorer, enc)
    source = _Source(matcher, cands, vacs)
    return place(matcher, tuple(c.id for c in cands), vacs, capacity, edges, method, threshold,
                 (k, per) if pruned else None, log_path, source)  # fmt: skip


def place(
    matcher: Matcher,
    cand_ids: tuple[str, ...],
    vacs: tuple[Vacancy, ...],
    capacity: NDArray[np.int64],
    edges: Edges,
    method: str,
    threshold: float,
    pruned: tuple[int, int] | None,
    log_path: Path | None,
    source: _SourceLike | None,
) -> Assignment:
    """Solve the placement over scored `edges` and build the `Assignment` (ids in id order)."""
    n_c = len(cand_ids)
    use = edges.score >= threshold
    e_cand = edges.cand[use].astype(np.int32)
    e_vac = edges.vac[use].astype(np.int32)
    e_score = edges.score[use]
    if method == "optimal":
        result = solve_optimal(e_cand, e_vac, e_score, n_c, capacity)
    else:
        result = solve_stable(e_cand, e_vac, e_score, n_c, capacity)
    return build(matcher, cand_ids, vacs, capacity, edges.best, result, int(e_cand.shape[0]),
                 method, threshold, pruned, log_path, source, edges=edges)  # fmt: skip


def build(
    matcher: Matcher,
    cand_ids: tuple[str, ...],
    vacs: tuple[Vacancy, ...],
    capacity: NDArray[np.int64],
    best_scores: NDArray[np.float64],
    result: Any,
    n_edges: int,
    method: str,
    threshold: float,
    pruned: tuple[int, int] | None,
    log_path: Path | None,
    source: _SourceLike | None,
    *,
    grouping: str | None = None,
    edges: Edges | None = None,
) -> Assignment:
    """The `Assignment` of a solver's `result`, logged when `log_path` is given.

    `result` holds ``assigned``, ``score`` and ``reason`` per candidate (in id order),
    ``total_score`` and ``method``; `best_scores` is each candidate's best eligible score;
    `grouping` names how the problem was cut into groups (part of the run id), if it was;
    `edges` are the scored pairs the problem was solved from (part of the run id).
    """
    n_c, n_v = len(cand_ids), len(vacs)
    pairs: list[Placement] = []
    unplaced: list[Unplaced] = []
    for i in range(n_c):
        j = int(result.assigned[i])
        cid = cand_ids[i]
        if j >= 0:
            pairs.append(Placement(cid, vacs[j].id, float(result.score[i])))
            continue
        best = float(best_scores[i])
        reason: UnplacedReason
        if result.reason[i] == Reason.OUTCOMPETED:
            reason = "outcompeted"
        elif best > 0.0 and best < threshold:
            reason = "below_min_score"
        else:
            reason = "no_eligible_vacancy"
        unplaced.append(Unplaced(cid, reason, best if best > 0.0 else None))

    pruning = None
    if pruned is not None:
        pruning = Pruning(
            top_k=pruned[0], per_opening=pruned[1], n_edges=n_edges, n_pairs=n_c * n_v
        )
    run_id = _run_id(matcher, cand_ids, vacs, method, threshold, pruned, grouping,
                     _problem_digest(capacity, best_scores, edges))  # fmt: skip
    assignment = Assignment(
        method=method,
        pairs=tuple(pairs),
        unassigned=tuple(unplaced),
        total_score=result.total_score,
        min_score=threshold,
        pruning=pruning,
        solver=result.method,
        config_digest=matcher.config.digest(),
        taxonomy_hash=matcher.taxonomy.content_hash[:16],
        as_of=matcher.as_of,
        n_candidates=n_c,
        n_vacancies=n_v,
        n_openings=int(capacity.sum()),
        run_id=run_id,
        _source=source,
    )
    if log_path is not None:
        write_decision_log(log_path, assignment)
    return assignment
