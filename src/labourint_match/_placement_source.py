"""`PlacementSource`: what an :class:`~labourint_match.assignment.result.Assignment` explains from.

A placement is solved from ids and arrays (:mod:`~labourint_match.assignment.plan`), so its
explanations are computed on demand from what this object keeps: the scoring engine, the
matcher's ``explain`` and the placement's cohorts in id order. Both
:meth:`~labourint_match.Matcher.assign` and
:meth:`~labourint_match.distributed.DistributedMatcher.assign` (when the profiles were given in
memory) give one to the plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np

from .assignment.result import CandidateScan
from .scoring.ranking import REASONS, reason_names

if TYPE_CHECKING:
    from .profiles import CandidateProfile, Vacancy
    from .scoring.engine import Scorer
    from .scoring.explain import Explanation

__all__ = ["Explain", "PlacementSource"]


class Explain(Protocol):
    """The signature of :meth:`~labourint_match.Matcher.explain`."""

    def __call__(
        self, candidate: CandidateProfile, vacancy: Vacancy, *, lang: str = "en"
    ) -> Explanation:
        """Why one pair scores what it does."""


class PlacementSource:
    """The scorer, the explainer and the sorted cohorts of a placement, for explanations on demand.

    Parameters
    ----------
    scorer
        The scoring engine of the matcher that placed the cohort.
    explain
        That matcher's :meth:`~labourint_match.Matcher.explain`.
    cands, vacs
        The placement's candidates and vacancies, in id order.
    """

    def __init__(
        self,
        scorer: Scorer,
        explain: Explain,
        cands: tuple[CandidateProfile, ...],
        vacs: tuple[Vacancy, ...],
    ) -> None:
        self.scorer = scorer
        self.explain = explain
        self.cands = {c.id: c for c in cands}
        self.vacs = vacs
        self.vac_pos = {v.id: j for j, v in enumerate(vacs)}

    def explain_pair(self, candidate_id: str, vacancy_id: str, lang: str = "en") -> Explanation:
        """The explanation of one pair of the cohort."""
        return self.explain(
            self.cands[candidate_id], self.vacs[self.vac_pos[vacancy_id]], lang=lang
        )

    def scan(self, candidate_id: str) -> CandidateScan:
        """One candidate scored against every vacancy: eligible ones best first, and blocks."""
        scorer = self.scorer
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
