"""Explanations: why a pair scores what it does, what is missing, and the way into the job.

An :class:`Explanation` is built from the pure-Python reference's account of one pair. Its
``components`` are the weighted contributions of skill, language, education, location and
experience, and they add up to ``score``; ``requirements`` says how each skill the vacancy asks for
was met (by which claim, through which relation in the hierarchy); ``gaps`` lists what falls short;
``pathway`` is one of ``ready``, ``ready_with_support``, ``training_first`` or ``not_eligible``.
``str(explanation)`` is plain text an adviser can read out to the person concerned.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from ..profiles import CandidateProfile, Vacancy
from ..taxonomy import Taxonomy
from ..taxonomy._languages import LANGUAGE_CODES
from ._reference import PairDetail
from .config import COMPONENTS, ScoringConfig

__all__ = ["Explanation", "Gap", "LanguageMatch", "Pathway", "RequirementMatch"]

PathwayKind = Literal["ready", "ready_with_support", "training_first", "not_eligible"]

_REASON_TEXT = {
    "work_authorisation": "the right to work does not cover the start date",
    "out_of_reach": "the workplace is beyond the person's commuting distance",
    "no_openings": "the vacancy has no openings left",
}
_RELATION_TEXT = {
    "exact": "has this skill",
    "narrower": "has a more specific skill",
    "broader": "has a more general skill",
    "sibling": "has a closely related skill",
    "related": "has a related skill",
}
_LANGUAGE_NAMES = {code: name for name, code in LANGUAGE_CODES.items()} | {"no": "Norwegian"}


def language_name(code: str) -> str:
    """English name of an ISO 639 code (the code itself when unknown).

    Examples
    --------
    >>> language_name("sv"), language_name("xx")
    ('Swedish', 'xx')
    """
    return _LANGUAGE_NAMES.get(code, code)


_ACTIVITY_TEXT = {
    "listening": "understanding speech",
    "reading": "reading",
    "spoken_interaction": "speaking with others",
    "writing": "writing",
}


@dataclass(frozen=True)
class RequirementMatch:
    """How one skill the vacancy asks for is met by the candidate."""

    requirement: str | None
    label: str
    importance: str
    weight: float
    credit: float
    contribution: float
    met_by: str | None
    met_by_label: str | None
    relation: str
    distance: int
    evidence: str | None
    level_factor: float
    is_gap: bool


@dataclass(frozen=True)
class LanguageMatch:
    """One required language activity: the level asked, the level held, and the fit."""

    language: str
    activity: str
    importance: str
    need: str
    have: str | None
    listed: bool
    fit: float
    fit_with_support: float


@dataclass(frozen=True)
class Gap:
    """Something the candidate lacks for this vacancy, and the support that could bridge it."""

    kind: Literal["skill", "language"]
    what: str
    label: str
    importance: str
    shortfall: str
    lost: float
    covered_by: tuple[str, ...]


@dataclass(frozen=True)
class Pathway:
    """The way into the job: ready, ready with support, training first, or not eligible."""

    kind: PathwayKind
    reasons: tuple[str, ...] = ()
    supports: tuple[str, ...] = ()
    training_needs: tuple[Gap, ...] = ()

    def __str__(self) -> str:
        if self.kind == "not_eligible":
            return "not eligible: " + "; ".join(_REASON_TEXT.get(r, r) for r in self.reasons)
        if self.kind == "ready":
            return "ready to start"
        if self.kind == "ready_with_support":
            return "ready with support: " + ", ".join(s.replace("_", " ") for s in self.supports)
        needs = ", ".join(g.label for g in self.training_needs[:5])
        return f"training first: {needs}"


@dataclass(frozen=True)
class Explanation:
    """Why one candidate–vacancy pair scores what it does.

    ``components`` maps each component to its contribution (weight × component score); they sum to
    ``score`` within 1e-6. ``component_scores`` holds the unweighted component scores, which an
    ineligible pair still shows although its score is 0.
    """

    candidate_id: str
    vacancy_id: str
    vacancy_label: str | None
    score: float
    eligible: bool
    reasons: tuple[str, ...]
    components: Mapping[str, float]
    component_scores: Mapping[str, float]
    weights: Mapping[str, float]
    requirements: tuple[RequirementMatch, ...]
    languages: tuple[LanguageMatch, ...]
    gaps: tuple[Gap, ...]
    pathway: Pathway
    unresolved_claims: tuple[int, ...]
    unresolved_requirements: tuple[int, ...]
    notes: tuple[str, ...]
    component_notes: Mapping[str, str]

    def __str__(self) -> str:
        title = f"“{self.vacancy_label}”" if self.vacancy_label else ""
        lines = [
            f"Candidate {self.candidate_id} and vacancy {self.vacancy_id} {title}".rstrip()
            + f": score {self.score:.2f} of 1 — {self.pathway}",
        ]
        if not self.eligible:
            lines.append(
                "  The match is not possible as things stand: "
                + "; ".join(_REASON_TEXT.get(r, r) for r in self.reasons)
                + "."
            )
        lines.append("Why this score")
        for name in COMPONENTS:
            note = self.component_notes.get(name, "")
            lines.append(
                f"  {name:<11} {self.component_scores[name]:.2f} × weight "
                f"{self.weights[name]:.2f} = {self.components[name]:.3f}"
                + (f"   {note}" if note else "")
            )
        if self.requirements:
            lines.append("Skills the job asks for")
            for r in self.requirements:
                mark = "✗" if r.credit == 0 else ("~" if r.is_gap else "✓")
                if r.met_by is None:
                    how = "not in the profile"
                elif r.relation == "exact":
                    how = f"has it ({(r.evidence or '').replace('_', ' ')})"
                else:
                    how = f"{_RELATION_TEXT[r.relation]}: “{r.met_by_label}”"
                lines.append(f"  {mark} {r.label} ({r.importance}) — {how}; credit {r.credit:.2f}")
        if self.languages:
            lines.append("Languages")
            for lang in self.languages:
                have = lang.have or ("level not stated" if lang.listed else "not listed")
                support = " (language training offered)" if lang.fit_with_support > lang.fit else ""
                lines.append(
                    f"  {language_name(lang.language)}, {_ACTIVITY_TEXT[lang.activity]}: needs "
                    f"{lang.need}, has {have}{support}"
                )
        if self.gaps:
            lines.append("Gaps")
            for g in self.gaps:
                cover = f" — bridged by {', '.join(self.pathway_supports_for(g))}" if (
                    self.pathway.kind == "ready_with_support" and g.importance == "essential"
                ) else ""  # fmt: skip
                lines.append(f"  {g.label} ({g.importance}): {g.shortfall}{cover}")
        for note in self.notes:
            lines.append(f"Note: {note}")
        lines.append(f"Next step: {self.pathway}")
        return "\n".join(lines)

    def pathway_supports_for(self, gap: Gap) -> tuple[str, ...]:
        """The supports the pathway uses that can bridge `gap`."""
        return tuple(s.replace("_", " ") for s in gap.covered_by if s in self.pathway.supports)

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = "".join(
            f"<tr><td>{esc(n)}</td><td>{self.component_scores[n]:.2f}</td>"
            f"<td>{self.weights[n]:.2f}</td><td>{self.components[n]:.3f}</td></tr>"
            for n in COMPONENTS
        )
        reqs = "".join(
            f"<tr><td>{esc(r.label)}</td><td>{esc(r.importance)}</td>"
            f"<td>{esc(r.relation)}</td><td>{esc(r.met_by_label or '—')}</td>"
            f"<td>{r.credit:.2f}</td></tr>"
            for r in self.requirements
        )
        gaps = "".join(
            f"<li>{esc(g.label)} ({esc(g.importance)}): {esc(g.shortfall)}</li>" for g in self.gaps
        )
        return (
            f"<div><b>{esc(self.candidate_id)} → {esc(self.vacancy_id)}</b> "
            f"{esc(self.vacancy_label or '')}: score <b>{self.score:.2f}</b> — "
            f"{esc(str(self.pathway))}"
            "<table><tr><th>component</th><th>score</th><th>weight</th><th>contribution</th></tr>"
            f"{rows}</table>"
            "<table><tr><th>skill asked for</th><th>importance</th><th>relation</th>"
            f"<th>met by</th><th>credit</th></tr>{reqs}</table>"
            f"<ul>{gaps}</ul></div>"
        )


def build_explanation(
    detail: PairDetail,
    candidate: CandidateProfile,
    vacancy: Vacancy,
    taxonomy: Taxonomy,
    config: ScoringConfig,
    lang: str,
) -> Explanation:
    """Turn the reference's account of a pair into an :class:`Explanation`."""
    weights = config.weights()
    eligible = not detail.reasons
    contributions = {
        name: (weights[name] * detail.components[name] if eligible else 0.0) for name in COMPONENTS
    }
    w_total = sum(r.weight for r in detail.requirements)
    support = vacancy.support
    offered = tuple(
        s for s in ("on_the_job_training", "mentor", "wage_subsidy", "language_training")
        if getattr(support, s)
    )  # fmt: skip
    skill_cover = tuple(s for s in offered if s != "language_training")

    def label(uri: str | None, fallback: str) -> str:
        return taxonomy.label(uri, lang) if uri is not None and uri in taxonomy else fallback

    requirements = []
    gaps: list[Gap] = []
    for r in detail.requirements:
        share = weights["skill"] * r.weight / w_total if w_total > 0 else 0.0
        is_gap = r.credit < config.gap_threshold
        req_label = label(r.concept, r.text)
        requirements.append(
            RequirementMatch(
                requirement=r.concept,
                label=req_label,
                importance=r.importance,
                weight=r.weight,
                credit=r.credit,
                contribution=share * r.credit if eligible else 0.0,
                met_by=r.claim_concept,
                met_by_label=label(r.claim_concept, "") or None,
                relation=r.relation,
                distance=r.distance,
                evidence=r.evidence,
                level_factor=r.level_factor,
                is_gap=is_gap,
            )
        )
        if is_gap:
            shortfall = (
                "not in the profile"
                if r.claim_concept is None
                else f"only partly met (credit {r.credit:.2f})"
            )
            gaps.append(
                Gap(
                    "skill",
                    r.concept or r.text,
                    req_label,
                    r.importance,
                    shortfall,
                    share * (1.0 - r.credit),
                    skill_cover,
                )
            )
    languages = []
    factor = {"essential": config.essential_factor, "optional": config.optional_factor}
    lang_weight = sum(factor[lreq.importance] for lreq in vacancy.languages)
    activities_of: dict[str, int] = {}
    for d in detail.languages:
        activities_of[d.language] = activities_of.get(d.language, 0) + 1
    for d in detail.languages:
        languages.append(
            LanguageMatch(
                d.language,
                d.activity,
                d.importance,
                d.need,
                d.have,
                d.listed,
                d.fit_before_support,
                d.fit,
            )
        )
        if d.fit_before_support < 1.0:
            if not d.listed:
                short = f"needs {d.need}, not listed"
                levels = None
            elif d.have is None:
                short = f"needs {d.need}, level not stated"
                levels = 0
            else:
                short = f"needs {d.need}, has {d.have}"
                levels = _cefr_index(d.need) - _cefr_index(d.have)
            coverable = (
                "language_training" in offered
                and levels is not None
                and levels <= config.max_supported_language_levels
            )
            share = weights["language"] * factor[d.importance] / lang_weight
            lost = share * (1.0 - d.fit) / activities_of[d.language]
            gaps.append(
                Gap(
                    "language",
                    f"{d.language}:{d.activity}",
                    f"{language_name(d.language)}, {_ACTIVITY_TEXT[d.activity]}",
                    d.importance,
                    short,
                    lost,
                    ("language_training",) if coverable else (),
                )
            )
    gaps.sort(key=lambda g: (g.importance != "essential", -g.lost, g.label))
    pathway = _pathway(detail, gaps, config)
    notes = []
    if detail.authorisation_unknown:
        notes.append("the right to work is not recorded; check it before placement")
    if detail.unresolved_claims:
        notes.append(
            f"{len(detail.unresolved_claims)} skill(s) in the profile could not be matched to the "
            "taxonomy and were not counted"
        )
    if detail.unresolved_requirements:
        notes.append(
            f"{len(detail.unresolved_requirements)} requirement(s) of the vacancy could not be "
            "matched to the taxonomy and were not counted"
        )
    vac_label = label(vacancy.occupation, vacancy.title or "") or None
    component_notes = _component_notes(detail, candidate, vacancy, config)
    return Explanation(
        candidate_id=candidate.id,
        vacancy_id=vacancy.id,
        vacancy_label=vac_label,
        score=detail.score,
        eligible=eligible,
        reasons=tuple(detail.reasons),
        components=contributions,
        component_scores=dict(detail.components),
        weights=weights,
        requirements=tuple(requirements),
        languages=tuple(languages),
        gaps=tuple(gaps),
        pathway=pathway,
        unresolved_claims=tuple(detail.unresolved_claims),
        unresolved_requirements=tuple(detail.unresolved_requirements),
        notes=tuple(notes),
        component_notes=component_notes,
    )


def _component_notes(
    detail: PairDetail, candidate: CandidateProfile, vacancy: Vacancy, config: ScoringConfig
) -> dict[str, str]:
    notes: dict[str, str] = {}
    met = sum(1 for r in detail.requirements if r.credit >= config.gap_threshold)
    if detail.requirements:
        notes["skill"] = f"{met} of {len(detail.requirements)} skills met"
    else:
        notes["skill"] = "no skills asked for"
    if not vacancy.languages:
        notes["language"] = "no language asked for"
    if vacancy.min_isced is None:
        notes["education"] = "no minimum asked for"
    elif not candidate.education:
        notes["education"] = f"ISCED {vacancy.min_isced} asked for; no education recorded"
    else:
        best = max(candidate.education, key=lambda e: (e.isced_level, e.recognition))
        notes["education"] = (
            f"ISCED {vacancy.min_isced} asked for; has ISCED {best.isced_level}, "
            f"recognition {best.recognition.replace('_', ' ')}"
        )
    if vacancy.remote:
        notes["location"] = "remote work"
    elif detail.distance_km is not None:
        reach = candidate.max_commute_km or config.default_commute_km
        notes["location"] = f"{detail.distance_km:.0f} km away, reach {reach:.0f} km"
    if vacancy.min_experience_months in (None, 0):
        notes["experience"] = "no minimum asked for"
    else:
        notes["experience"] = f"{vacancy.min_experience_months} months asked for"
    return notes


def _cefr_index(level: str) -> int:
    return ("A1", "A2", "B1", "B2", "C1", "C2").index(level) + 1


def _pathway(detail: PairDetail, gaps: list[Gap], config: ScoringConfig) -> Pathway:
    if detail.reasons:
        return Pathway("not_eligible", reasons=tuple(detail.reasons))
    blocking = [g for g in gaps if g.importance == "essential"]
    if not blocking:
        return Pathway("ready")
    skill_gaps = [g for g in blocking if g.kind == "skill"]
    covered = all(g.covered_by for g in blocking) and len(skill_gaps) <= config.max_supported_gaps
    if covered:
        used: list[str] = []
        for g in blocking:
            if not any(s in used for s in g.covered_by):
                used.append(g.covered_by[0])
        return Pathway("ready_with_support", supports=tuple(used))
    return Pathway("training_first", training_needs=tuple(blocking))
