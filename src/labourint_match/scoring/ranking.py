"""`Ranking` and `Match`: the top-k results of :meth:`Matcher.rank`, as arrays and as objects."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from ..errors import ConfigError
from ._layout import (
    REASON_AUTHORISATION,
    REASON_HOURS,
    REASON_NO_OPENINGS,
    REASON_NOT_PREFERRED,
    REASON_OUT_OF_REACH,
)

#: Reason names by bit of the kernels' mask, in the order explanations list them.
REASONS: tuple[tuple[int, str], ...] = (
    (REASON_AUTHORISATION, "work_authorisation"),
    (REASON_OUT_OF_REACH, "out_of_reach"),
    (REASON_NO_OPENINGS, "no_openings"),
    (REASON_HOURS, "hours"),
    (REASON_NOT_PREFERRED, "not_preferred"),
)

__all__ = ["Match", "Ranking", "reason_names"]


def reason_names(mask: int) -> tuple[str, ...]:
    """The reasons a pair is not eligible, from the kernels' bitmask.

    Examples
    --------
    >>> reason_names(3)
    ('work_authorisation', 'out_of_reach')
    >>> reason_names(8 | 16)
    ('hours', 'not_preferred')
    """
    return tuple(name for bit, name in REASONS if mask & bit)


@dataclass(frozen=True)
class Match:
    """One ranked pair: who, which vacancy, the score, its rank (1 = best) and eligibility.

    ``unjudged`` is true when the vacancy asks for no skill that resolves, so the score does not
    measure the person's skills against it.
    """

    candidate_id: str
    vacancy_id: str
    score: float
    rank: int
    eligible: bool
    reasons: tuple[str, ...]
    unjudged: bool = False


class Ranking:
    """Exact top-k results, per candidate (``by="candidate"``) or per vacancy (``by="vacancy"``).

    Row ``i`` of `indices`, `scores` and `reasons` holds the top-k of the i-th candidate (or
    vacancy) in input order: indices into the other side (``-1`` pads rows when fewer than k
    exist), scores as float32 in descending order (ties by index), and a bitmask of the reasons a
    pair is not eligible (0: eligible). `unjudged` holds the ids of the vacancies that could not be
    judged on skills (no skill requirement resolved; see :meth:`Matcher.unjudged`): their score
    rests on the unknown skill fit ``ScoringConfig.skill_unknown``, and :class:`Match` says so.

    Examples
    --------
    >>> from labourint_match import Matcher, Taxonomy, CandidateProfile, Vacancy
    >>> t = Taxonomy.default()
    >>> cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
    >>> skills = [r.skill for r in t.occupation_skills(cook)][:4]
    >>> people = [
    ...     CandidateProfile(id="c1", skills=skills[:3]),
    ...     CandidateProfile(id="c2", skills=skills[3:]),
    ... ]
    >>> jobs = [Vacancy(id="v1", skills=skills, occupation=cook)]
    >>> ranking = Matcher(t).rank(people, jobs, top_k=1, by="vacancy")
    >>> [(m.candidate_id, m.vacancy_id, m.rank) for m in ranking.for_vacancy("v1")]
    [('c1', 'v1', 1)]
    """

    def __init__(
        self,
        *,
        by: Literal["candidate", "vacancy"],
        candidate_ids: tuple[str, ...],
        vacancy_ids: tuple[str, ...],
        indices: NDArray[np.int32],
        scores: NDArray[np.float32],
        reasons: NDArray[np.int32],
        unjudged: tuple[str, ...] = (),
    ) -> None:
        self.by = by
        self.candidate_ids = candidate_ids
        self.vacancy_ids = vacancy_ids
        self.indices = indices
        self.scores = scores
        self.reasons = reasons
        self.unjudged = unjudged
        self._unjudged = frozenset(unjudged)
        for a in (indices, scores, reasons):
            a.setflags(write=False)
        self._cand_pos = {cid: i for i, cid in enumerate(candidate_ids)}
        self._vac_pos = {vid: j for j, vid in enumerate(vacancy_ids)}

    @property
    def top_k(self) -> int:
        """Columns per row."""
        return int(self.indices.shape[1])

    def __len__(self) -> int:
        return int(self.indices.shape[0])

    def _match(self, row: int, col: int) -> Match:
        other = int(self.indices[row, col])
        if self.by == "candidate":
            cid, vid = self.candidate_ids[row], self.vacancy_ids[other]
        else:
            cid, vid = self.candidate_ids[other], self.vacancy_ids[row]
        mask = int(self.reasons[row, col])
        return Match(
            cid, vid, float(self.scores[row, col]), col + 1, mask == 0, reason_names(mask),
            vid in self._unjudged,
        )  # fmt: skip

    def _row(self, row: int) -> list[Match]:
        return [self._match(row, col) for col in range(self.top_k) if self.indices[row, col] >= 0]

    def _position(self, table: dict[str, int], key: str, what: str) -> int:
        try:
            return table[key]
        except (KeyError, TypeError):
            raise ConfigError(f"no {what} with id {str(key)[:100]!r} in this ranking") from None

    def for_candidate(self, candidate_id: str) -> list[Match]:
        """The matches of one candidate, best first.

        By candidate, its own top-k; by vacancy, the vacancies whose top-k include it.
        """
        i = self._position(self._cand_pos, candidate_id, "candidate")
        if self.by == "candidate":
            return self._row(i)
        rows, cols = np.nonzero(self.indices == i)
        found = [self._match(int(r), int(c)) for r, c in zip(rows, cols, strict=True)]
        return sorted(found, key=lambda m: (-m.score, self._vac_pos[m.vacancy_id]))

    def for_vacancy(self, vacancy_id: str) -> list[Match]:
        """The matches of one vacancy, best first.

        By vacancy, its own top-k; by candidate, the candidates whose top-k include it.
        """
        j = self._position(self._vac_pos, vacancy_id, "vacancy")
        if self.by == "vacancy":
            return self._row(j)
        rows, cols = np.nonzero(self.indices == j)
        found = [self._match(int(r), int(c)) for r, c in zip(rows, cols, strict=True)]
        return sorted(found, key=lambda m: (-m.score, self._cand_pos[m.candidate_id]))

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per ranked pair: candidate_id, vacancy_id, rank, score, eligible, reasons."""
        out = []
        for row in range(len(self)):
            for m in self._row(row):
                out.append(
                    {
                        "candidate_id": m.candidate_id,
                        "vacancy_id": m.vacancy_id,
                        "rank": m.rank,
                        "score": m.score,
                        "eligible": m.eligible,
                        "reasons": ",".join(m.reasons),
                    }
                )
        return out

    def to_pandas(self) -> Any:
        """The records as a pandas DataFrame (needs pandas, in the ``notebook`` extra)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ConfigError(
                "to_pandas needs pandas: pip install 'labourint-match[notebook]'"
            ) from exc
        return pd.DataFrame.from_records(
            self.to_records(),
            columns=["candidate_id", "vacancy_id", "rank", "score", "eligible", "reasons"],
        )

    def __repr__(self) -> str:
        return (
            f"<Ranking by {self.by}: {len(self.candidate_ids)} candidates × "
            f"{len(self.vacancy_ids)} vacancies, top {self.top_k}>"
        )

    def _repr_html_(self) -> str:
        valid = self.indices >= 0
        best = self.scores[:, 0][valid[:, 0]] if self.top_k else np.zeros(0, dtype=np.float32)
        eligible = int(((self.reasons == 0) & valid).sum())
        summary = (
            f"{len(self.candidate_ids)} candidates × {len(self.vacancy_ids)} vacancies, "
            f"top {self.top_k} by {self.by}; {eligible} eligible pairs listed"
        )
        if best.size:
            summary += (
                f"; best score per row: median {float(np.median(best)):.2f}, "
                f"max {float(best.max()):.2f}"
            )
        return f"<div><b>Ranking</b>: {html.escape(summary)}</div>"
