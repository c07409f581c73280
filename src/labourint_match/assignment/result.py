"""`Assignment`: a cohort's placement, with who went where, who did not and why.

:meth:`Matcher.assign <labourint_match.Matcher.assign>` returns an :class:`Assignment`. Every
candidate of the cohort appears in it exactly once: in :attr:`Assignment.pairs` as a
:class:`Placement` (candidate id, vacancy id, score), or in :attr:`Assignment.unassigned` as an
:class:`Unplaced` with one of four reasons:

``no_eligible_vacancy``
    No vacancy is open to the person: the right to work, the commuting distance or the vacancy's
    openings rule every pair out (or every eligible pair scores 0).
``below_min_score``
    Some vacancies are eligible, but the best of them scores under the assignment's minimum score.
``outcompeted``
    The person had eligible vacancies at or above the minimum score, and others filled them.
``forbidden_by_adviser``
    The person had eligible vacancies, and an adviser forbade every one of those pairs.

:meth:`Assignment.explain` says, for a placed person, why the pair scores what it does (an
:class:`~labourint_match.Explanation`), and for an unplaced one why and what would change it (an
:class:`UnplacedExplanation`).

This module holds only ids, scores and counts at run time; the profiles stay with the matcher that
produced the assignment, which computes explanations on demand.
"""

from __future__ import annotations

import dataclasses
import functools
import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, Protocol

from ..errors import AssignmentError, ConfigError

if TYPE_CHECKING:
    from ..scoring.explain import Explanation
    from .overrides import Override

__all__ = [
    "UNPLACED_REASONS",
    "Assignment",
    "CandidateScan",
    "Placement",
    "Pruning",
    "Unplaced",
    "UnplacedExplanation",
    "UnplacedReason",
    "VacancyOption",
]

UnplacedReason = Literal[
    "no_eligible_vacancy", "below_min_score", "outcompeted", "forbidden_by_adviser"
]

UNPLACED_REASONS: Final = (
    "no_eligible_vacancy",
    "below_min_score",
    "outcompeted",
    "forbidden_by_adviser",
)
"""The reasons a candidate is left unplaced, in the order reports list them.

``forbidden_by_adviser`` can occur only in a run with forbidden pairs (adviser overrides)."""

_REASON_TEXT: Final = {
    "no_eligible_vacancy": "no eligible vacancy",
    "below_min_score": "no eligible vacancy at or above the minimum score",
    "outcompeted": "outcompeted for vacancies that others filled",
    "forbidden_by_adviser": "an adviser forbade every eligible vacancy",
}
_BLOCK_TEXT: Final = {
    "work_authorisation": "the right to work does not cover the start date",
    "out_of_reach": "the workplace is beyond the person's commuting distance",
    "no_openings": "the vacancy has no openings",
    "hours": "the working hours differ from the person's preference",
    "not_preferred": "the occupation is not among the person's preferred occupations",
}
_MAX_OPTIONS: Final = 5


class Placement(NamedTuple):
    """One placed pair: the candidate, the vacancy and the pair's score (a named tuple).

    Examples
    --------
    >>> Placement("c-1", "v-7", 0.82)
    Placement(candidate_id='c-1', vacancy_id='v-7', score=0.82)
    >>> candidate, vacancy, score = Placement("c-1", "v-7", 0.82)
    """

    candidate_id: str
    vacancy_id: str
    score: float


@dataclass(frozen=True)
class Unplaced:
    """A candidate left unplaced, with the reason (see :data:`UNPLACED_REASONS`).

    `best_score` is the person's best score over the eligible vacancies, the pairs an adviser
    forbade left out (``None`` when no such vacancy is left); with reason ``below_min_score`` it
    is what fell short of the minimum.

    Examples
    --------
    >>> Unplaced("c-2", "below_min_score", 0.31).reason
    'below_min_score'
    """

    candidate_id: str
    reason: UnplacedReason
    best_score: float | None = None


@dataclass(frozen=True)
class Pruning:
    """How a large cohort's pairs were cut down before solving (``Assignment.pruning``).

    The solvers are exact over the pairs kept: each candidate's `top_k` best vacancies and each
    vacancy's ``per_opening × openings`` best candidates (eligible pairs at or above the minimum
    score). Pairs outside both lists are not considered, so the total can fall short of the
    optimum over all pairs; docs/placement.md gives the measured loss.

    Examples
    --------
    >>> print(Pruning(top_k=20, per_opening=3, n_edges=41_250, n_pairs=5_000_000))
    each candidate's 20 best vacancies ∪ each vacancy's 3 best candidates per opening: 41,250 of 5,000,000 pairs kept
    """  # noqa: E501

    top_k: int
    per_opening: int
    n_edges: int
    n_pairs: int

    def __str__(self) -> str:
        return (
            f"each candidate's {self.top_k} best vacancies ∪ each vacancy's {self.per_opening} "
            f"best candidates per opening: {self.n_edges:,} of {self.n_pairs:,} pairs kept"
        )


@dataclass(frozen=True)
class VacancyOption:
    """An eligible vacancy an unplaced person could have taken, and who took its openings."""

    vacancy_id: str
    score: float
    openings: int
    filled_by: tuple[Placement, ...]

    @property
    def full(self) -> bool:
        """Whether every opening went to someone."""
        return len(self.filled_by) >= self.openings


@dataclass(frozen=True)
class CandidateScan:
    """One candidate scored against every vacancy of the cohort (what an explanation needs).

    `eligible` lists ``(vacancy id, score, openings)`` of every eligible vacancy with a positive
    score, best first (ties by vacancy id); `blocked` counts the vacancies each eligibility reason
    rules out, `blocked_only` those it alone rules out.
    """

    eligible: tuple[tuple[str, float, int], ...]
    blocked: Mapping[str, int]
    blocked_only: Mapping[str, int]
    n_vacancies: int


class _Source(Protocol):
    """What an :class:`Assignment` needs from its matcher to explain itself on demand."""

    def explain_pair(self, candidate_id: str, vacancy_id: str, lang: str = "en") -> Explanation:
        """The explanation of one pair of the cohort."""

    def scan(self, candidate_id: str) -> CandidateScan:
        """One candidate scored against every vacancy."""


@dataclass(frozen=True)
class UnplacedExplanation:
    """Why a candidate was not placed, and what would change it.

    Attributes
    ----------
    candidate_id, reason
        Who, and the reason (as in :class:`Unplaced`).
    method, min_score
        The assignment's method and minimum score.
    options
        The person's best eligible vacancies (at most five, best first): at or above the minimum
        score for ``outcompeted``, below it for ``below_min_score``; with who filled them. Pairs
        an adviser forbade are left out (`changes` says how many there were).
    blocked, blocked_only
        For ``no_eligible_vacancy`` (and shown for all): per eligibility reason
        (``work_authorisation``, ``out_of_reach``, ``no_openings``), how many vacancies it rules
        out, and how many it alone rules out (lifting it would make those eligible).
    gaps
        The labels of what falls short at the best option (skills, language levels): what
        training would raise the score.
    changes
        Plain-text sentences: what would change the outcome.
    n_vacancies
        The size of the vacancy cohort.
    """

    candidate_id: str
    reason: UnplacedReason
    method: str
    min_score: float
    options: tuple[VacancyOption, ...]
    blocked: Mapping[str, int]
    blocked_only: Mapping[str, int]
    gaps: tuple[str, ...]
    changes: tuple[str, ...]
    n_vacancies: int

    def __str__(self) -> str:
        lines = [
            f"Candidate {self.candidate_id} is not placed ({self.method}, minimum score "
            f"{self.min_score:.2f}): {_REASON_TEXT[self.reason]}."
        ]
        if self.options:
            lines.append("Best eligible vacancies")
            for o in self.options:
                lines.append(f"  {o.vacancy_id}  score {o.score:.2f}  {_filled_text(o)}")
        if self.blocked:
            lines.append(f"Vacancies ruled out (of {self.n_vacancies})")
            for name, n in self.blocked.items():
                alone = self.blocked_only.get(name, 0)
                why = _BLOCK_TEXT.get(name, name)
                lines.append(f"  {n} because {why} ({alone} for that alone)")
        if self.changes:
            lines.append("What would change it")
            lines.extend(f"  - {c}" for c in self.changes)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = "".join(
            f"<tr><td>{esc(o.vacancy_id)}</td><td>{o.score:.2f}</td>"
            f"<td>{esc(_filled_text(o))}</td></tr>"
            for o in self.options
        )
        table = (
            f"<table><tr><th>vacancy</th><th>score</th><th>openings</th></tr>{rows}</table>"
            if rows
            else ""
        )
        changes = "".join(f"<li>{esc(c)}</li>" for c in self.changes)
        return (
            f"<div><b>{esc(self.candidate_id)}</b> not placed: {esc(_REASON_TEXT[self.reason])}"
            f"{table}<ul>{changes}</ul></div>"
        )


def _filled_text(option: VacancyOption) -> str:
    who = ", ".join(f"{p.candidate_id} ({p.score:.2f})" for p in option.filled_by)
    n = option.openings
    head = f"{n} opening{'s' if n != 1 else ''}"
    if not option.filled_by:
        return f"{head}, none filled"
    free = n - len(option.filled_by)
    tail = f"; {free} still open" if free > 0 else ""
    return f"{head}, filled by {who}{tail}"


@dataclass(frozen=True)
class Assignment:
    """A cohort's placement: who goes where, who is not placed and why.

    Every candidate appears exactly once, in `pairs` or in `unassigned`, both ordered by
    candidate id. Built by :meth:`Matcher.assign <labourint_match.Matcher.assign>`.

    Attributes
    ----------
    method : {"optimal", "stable"}
        How it was computed.
    pairs : tuple of Placement
        The placed pairs, by candidate id.
    unassigned : tuple of Unplaced
        The candidates left unplaced, by candidate id, each with its reason.
    total_score : float
        The sum of the placed pairs' scores (:func:`math.fsum`).
    min_score : float
        The lowest score a pair needed to be considered.
    pruning : Pruning or None
        ``None`` when every eligible pair was considered (the result is exact); otherwise the
        pairs kept for a large cohort.
    solver : str
        The algorithm: ``"dense"``, ``"lp"``, ``"matching"`` or ``"mincostflow"`` (optimal), or
        ``"deferred_acceptance"`` (stable).
    config_digest, taxonomy_hash : str
        :meth:`ScoringConfig.digest` and the first 16 hex digits of the taxonomy's content hash.
    as_of : datetime.date
        The matcher's reference day for eligibility.
    n_candidates, n_vacancies, n_openings : int
        The sizes of the cohort.
    run_id : str
        A deterministic hash of the cohort's ids, the configuration and the arguments: equal runs
        have equal ids (the decision log's ``run_id``).
    fixed, forbidden : tuple of Override
        The pairs an adviser fixed (each placed, whatever its score) and forbade (none placed),
        sorted by candidate id, then vacancy id; empty when there were no overrides.

    Examples
    --------
    >>> from datetime import date
    >>> from labourint_match import Matcher, ScoringConfig, Taxonomy, synth
    >>> taxonomy = Taxonomy.default()
    >>> people, jobs = synth.cohort(taxonomy, 12, 4, seed=5)
    >>> matcher = Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)))
    >>> plan = matcher.assign(people, jobs)
    >>> len(plan.pairs) + len(plan.unassigned) == len(people)
    True
    >>> sorted(plan.to_pandas().columns)
    ['candidate_id', 'placed', 'reason', 'score', 'vacancy_id']
    """

    method: str
    pairs: tuple[Placement, ...]
    unassigned: tuple[Unplaced, ...]
    total_score: float
    min_score: float
    pruning: Pruning | None
    solver: str
    config_digest: str
    taxonomy_hash: str
    as_of: date
    n_candidates: int
    n_vacancies: int
    n_openings: int
    run_id: str
    fixed: tuple[Override, ...] = ()
    forbidden: tuple[Override, ...] = ()
    _source: _Source | None = field(default=None, repr=False, compare=False)

    # -- lookups -------------------------------------------------------------------------------

    @property
    def n_placed(self) -> int:
        """The number of placed candidates."""
        return len(self.pairs)

    @property
    def exact(self) -> bool:
        """Whether every eligible pair was considered (no pruning)."""
        return self.pruning is None

    @functools.cached_property
    def _index(self) -> dict[str, Placement | Unplaced]:
        out: dict[str, Placement | Unplaced] = {p.candidate_id: p for p in self.pairs}
        out.update((u.candidate_id, u) for u in self.unassigned)
        return out

    @functools.cached_property
    def _placed_on(self) -> dict[str, tuple[Placement, ...]]:
        groups: dict[str, list[Placement]] = {}
        for p in self.pairs:
            groups.setdefault(p.vacancy_id, []).append(p)
        return {
            vid: tuple(sorted(found, key=lambda p: (-p.score, p.candidate_id)))
            for vid, found in groups.items()
        }

    def for_candidate(self, candidate_id: str) -> Placement | Unplaced:
        """The placement of one candidate, or why they are unplaced.

        Raises
        ------
        ConfigError
            No candidate with this id in the cohort.
        """
        try:
            return self._index[candidate_id]
        except (KeyError, TypeError):
            raise ConfigError(
                f"no candidate with id {str(candidate_id)[:100]!r} in this assignment"
            ) from None

    def for_vacancy(self, vacancy_id: str) -> tuple[Placement, ...]:
        """The people placed on one vacancy, best score first (ties by candidate id)."""
        return self._placed_on.get(vacancy_id, ())

    # -- explanations --------------------------------------------------------------------------

    def explain(self, candidate_id: str, *, lang: str = "en") -> Explanation | UnplacedExplanation:
        """Why a person was placed where they were, or why not and what would change it.

        Parameters
        ----------
        candidate_id
            A candidate of the cohort.
        lang
            The language of labels in a placed pair's explanation, where the taxonomy has them.

        Returns
        -------
        Explanation or UnplacedExplanation
            For a placed person, the :class:`~labourint_match.Explanation` of their pair; for an
            unplaced one, an :class:`UnplacedExplanation` (its ``str()`` reads as advice).

        Raises
        ------
        ConfigError
            No candidate with this id in the cohort.
        AssignmentError
            The assignment holds no reference to its matcher (built by hand or unpickled).
        """
        entry = self.for_candidate(candidate_id)
        source = self._source
        if source is None:
            raise AssignmentError(
                "this Assignment holds no reference to the matcher and cohorts it came from; "
                "explain() works on the result of Matcher.assign"
            )
        if isinstance(entry, Placement):
            return source.explain_pair(entry.candidate_id, entry.vacancy_id, lang)
        return self._explain_unplaced(entry, source)

    def _explain_unplaced(self, entry: Unplaced, source: _Source) -> UnplacedExplanation:
        scan = source.scan(entry.candidate_id)
        banned = {o.vacancy_id for o in self.forbidden if o.candidate_id == entry.candidate_id}
        forbidden = tuple(e[0] for e in scan.eligible if e[0] in banned)
        if forbidden:  # the adviser's forbidden pairs are not options
            scan = dataclasses.replace(
                scan, eligible=tuple(e for e in scan.eligible if e[0] not in banned)
            )
        if entry.reason == "outcompeted":
            chosen = [e for e in scan.eligible if e[1] >= self.min_score]
        else:
            chosen = list(scan.eligible)
        options = tuple(
            VacancyOption(
                vacancy_id=vid,
                score=score,
                openings=openings,
                filled_by=self.for_vacancy(vid),
            )
            for vid, score, openings in chosen[:_MAX_OPTIONS]
        )
        gaps: tuple[str, ...] = ()
        if options:
            best = source.explain_pair(entry.candidate_id, options[0].vacancy_id)
            ordered = sorted(best.gaps, key=lambda g: (g.importance != "essential", -g.lost))
            gaps = tuple(dict.fromkeys(g.label for g in ordered))
        changes = _changes(entry, options, scan, gaps, self)
        if forbidden:
            changes = (*changes, _forbidden_text(entry, forbidden))
        return UnplacedExplanation(
            candidate_id=entry.candidate_id,
            reason=entry.reason,
            method=self.method,
            min_score=self.min_score,
            options=options,
            blocked=dict(scan.blocked),
            blocked_only=dict(scan.blocked_only),
            gaps=gaps,
            changes=changes,
            n_vacancies=scan.n_vacancies,
        )

    # -- export --------------------------------------------------------------------------------

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per candidate, by id: candidate_id, vacancy_id, score, placed, reason.

        Unplaced candidates have ``vacancy_id`` and ``score`` ``None`` and their reason; placed
        ones have reason ``None``.
        """
        rows: list[dict[str, Any]] = []
        for entry in sorted(self._index.values(), key=lambda e: e.candidate_id):
            if isinstance(entry, Placement):
                rows.append(
                    {
                        "candidate_id": entry.candidate_id,
                        "vacancy_id": entry.vacancy_id,
                        "score": entry.score,
                        "placed": True,
                        "reason": None,
                    }
                )
            else:
                rows.append(
                    {
                        "candidate_id": entry.candidate_id,
                        "vacancy_id": None,
                        "score": None,
                        "placed": False,
                        "reason": entry.reason,
                    }
                )
        return rows

    def to_pandas(self) -> Any:
        """The records as a pandas DataFrame (needs pandas, in the ``notebook`` extra).

        Raises
        ------
        ConfigError
            pandas is not installed.
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ConfigError(
                "to_pandas needs pandas: pip install 'labourint-match[notebook]'"
            ) from exc
        return pd.DataFrame.from_records(
            self.to_records(), columns=["candidate_id", "vacancy_id", "score", "placed", "reason"]
        )

    def reason_counts(self) -> dict[str, int]:
        """How many candidates are unplaced for each reason (every reason listed, even at 0).

        ``forbidden_by_adviser`` is listed only for a run with forbidden pairs, the only runs
        where it can occur.
        """
        reasons = UNPLACED_REASONS if self.forbidden else UNPLACED_REASONS[:-1]
        counts = dict.fromkeys(reasons, 0)
        for u in self.unassigned:
            counts[u.reason] = counts.get(u.reason, 0) + 1
        return counts

    def __repr__(self) -> str:
        return (
            f"<Assignment {self.method} ({self.solver}): {self.n_placed} of {self.n_candidates} "
            f"candidates placed on {self.n_openings} openings in {self.n_vacancies} vacancies, "
            f"total score {self.total_score:.4g}"
            + ("" if self.pruning is None else f"; pruned to {self.pruning.n_edges:,} pairs")
            + (
                f"; adviser overrides: {len(self.fixed)} fixed, {len(self.forbidden)} forbidden"
                if self.fixed or self.forbidden
                else ""
            )
            + ">"
        )

    def _repr_html_(self) -> str:
        esc = html.escape
        mean = self.total_score / self.n_placed if self.n_placed else 0.0
        reasons = ", ".join(f"{n} {r.replace('_', ' ')}" for r, n in self.reason_counts().items())
        summary = (
            f"{self.n_placed} of {self.n_candidates} candidates placed on {self.n_openings} "
            f"openings in {self.n_vacancies} vacancies; total score {self.total_score:.3f} "
            f"(mean {mean:.2f}); minimum score {self.min_score:.2f}; unplaced: {reasons}"
        )
        prune = "exact over all eligible pairs" if self.pruning is None else str(self.pruning)
        return (
            f"<div><b>Assignment</b> ({esc(self.method)}, {esc(self.solver)}): "
            f"{esc(summary)}<br/><small>{esc(prune)}; config {esc(self.config_digest)}, "
            f"taxonomy {esc(self.taxonomy_hash)}, run {esc(self.run_id)}</small></div>"
        )


def _changes(
    entry: Unplaced,
    options: tuple[VacancyOption, ...],
    scan: CandidateScan,
    gaps: tuple[str, ...],
    result: Assignment,
) -> tuple[str, ...]:
    out: list[str] = []
    if entry.reason == "forbidden_by_adviser":
        return ()  # the sentence on the forbidden pairs says it
    if entry.reason == "no_eligible_vacancy":
        if scan.n_vacancies == 0:
            return ("the cohort has no vacancies: a placement needs at least one",)
        if scan.eligible:  # pragma: no cover - eligible vacancies with positive scores exist
            out.append("the placement found no eligible vacancy for this person")
        if scan.blocked_only.get("work_authorisation", 0):
            n = scan.blocked_only["work_authorisation"]
            out.append(f"a right to work covering the start date would make {n} vacancies eligible")
        if scan.blocked_only.get("out_of_reach", 0):
            n = scan.blocked_only["out_of_reach"]
            out.append(f"a longer commute (or remote work) would make {n} vacancies eligible")
        several = scan.n_vacancies - sum(scan.blocked_only.values())
        if several > 0 and scan.blocked:
            out.append(f"{several} vacancies are ruled out by two or more reasons at once")
        if not scan.blocked:
            out.append("every vacancy is eligible but scores 0: add the skills they ask for")
        return tuple(out)
    if not options:  # pragma: no cover - reasons below imply eligible options
        return tuple(out)
    best = options[0]
    if entry.reason == "below_min_score":
        out.append(
            f"a minimum score of {best.score:.2f} or lower would admit vacancy {best.vacancy_id}"
        )
        if gaps:
            out.append(f"closing the gaps at {best.vacancy_id}: " + ", ".join(gaps[:5]))
        return tuple(out)
    for o in options:
        if not o.full:
            out.append(
                f"vacancy {o.vacancy_id} still has an opening, but was not among the pairs this "
                "placement considered (see Assignment.pruning): a larger top_k would include it"
            )
            break
    out.append(
        f"one more opening at vacancy {best.vacancy_id}, where the person scores "
        f"{best.score:.2f}, would give them a place to compete for"
    )
    if result.method == "stable" and best.filled_by:
        lowest = min(p.score for p in best.filled_by)
        out.append(
            f"a score above {lowest:.2f} at vacancy {best.vacancy_id} (the lowest placed there) "
            "would win an opening"
        )
    if gaps:
        out.append(f"closing the gaps at {best.vacancy_id} would raise the score: "
                   + ", ".join(gaps[:5]))  # fmt: skip
    return tuple(out)


def _forbidden_text(entry: Unplaced, forbidden: tuple[str, ...]) -> str:
    """What the adviser's forbidden pairs did to this person's options."""
    n = len(forbidden)
    shown = ", ".join(forbidden[:_MAX_OPTIONS]) + (", …" if n > _MAX_OPTIONS else "")
    if entry.reason == "forbidden_by_adviser":
        which = f"all {n} eligible vacancies" if n != 1 else "the one eligible vacancy"
        return (
            f"an adviser forbade this person's pairs with {which} ({shown}): lifting a forbidden "
            "pair would let the placement consider that vacancy"
        )
    return (
        f"an adviser forbade {n} more eligible vacanc{'ies' if n != 1 else 'y'} ({shown}), left "
        "out of the options above"
    )
