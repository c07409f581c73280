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
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
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
    "hours": "the working hours differ from the person's preference",
    "not_preferred": "the occupation is not among the person's preferred occupations",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def _one_line(text: str) -> str:
    """`text` with line breaks and other control characters as single spaces (for plain text)."""
    return _CONTROL.sub(" ", text)


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
    confidence: float = 1.0
    check: bool = False


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

    kind: Literal["skill", "language", "recognition"]
    what: str
    label: str
    importance: str
    shortfall: str
    lost: float
    covered_by: tuple[str, ...]


@dataclass(frozen=True)
class Pathway:
    """The way into the job: ready, ready with support, training first, or not eligible.

    ``steps`` are the method's steps with their dates, in words: when work becomes allowed (or
    ends) for a pair not eligible on that ground; when the person is available, if after the
    job's start; hours that differ from the person's preference; and the recognition of a
    required qualification still under way.
    """

    kind: PathwayKind
    reasons: tuple[str, ...] = ()
    supports: tuple[str, ...] = ()
    training_needs: tuple[Gap, ...] = ()
    steps: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.kind == "not_eligible":
            text = "not eligible: " + "; ".join(_REASON_TEXT.get(r, r) for r in self.reasons)
        elif self.kind == "ready":
            text = "ready to start"
        elif self.kind == "ready_with_support":
            text = "ready with support: " + ", ".join(s.replace("_", " ") for s in self.supports)
        else:
            text = "training first: " + ", ".join(g.label for g in self.training_needs[:5])
        return text + "".join(f"; {step}" for step in self.steps)


@dataclass(frozen=True)
class Explanation:
    """Why one candidate–vacancy pair scores what it does.

    ``components`` maps each component to its contribution; they sum to ``score`` within 1e-6.
    The skill component contributes ``weight × skill fit``; every other one ``weight × its score ×
    gate``, where ``gate = gate_floor + (1 − gate_floor) × skill fit`` (see docs/scoring.md): the
    other parts count in proportion to the skill fit. ``component_scores`` holds the unweighted
    component scores, which an ineligible pair still shows although its score is 0.
    ``skill_unjudged`` is true when the vacancy asks for no skill that resolves.
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
    gate: float = 1.0
    skill_unjudged: bool = False

    def __str__(self) -> str:
        title = f"“{_one_line(self.vacancy_label)}”" if self.vacancy_label else ""
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
        lines.append(
            f"Why this score (the other parts count at {self.gate:.2f}, in proportion to the "
            "skill fit)"
        )
        for name in COMPONENTS:
            note = self.component_notes.get(name, "")
            gate = "" if name == "skill" else f" × {self.gate:.2f}"
            lines.append(
                f"  {name:<11} {self.component_scores[name]:.2f} × weight "
                f"{self.weights[name]:.2f}{gate} = {self.components[name]:.3f}"
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
                check = (
                    f" — from free text (confidence {r.confidence:.2f}), check it"
                    if r.check
                    else ""
                )
                lines.append(
                    f"  {mark} {_one_line(r.label)} ({r.importance}) — {_one_line(how)}; "
                    f"credit {r.credit:.2f}{check}"
                )
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
                what = "step" if g.kind == "recognition" else g.importance
                lines.append(f"  {_one_line(g.label)} ({what}): {g.shortfall}{cover}")
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
    *,
    original: tuple[CandidateProfile, Vacancy] | None = None,
    read_title: Callable[[str], tuple[str | None, float]] | None = None,
) -> Explanation:
    """Turn the reference's account of a pair into an :class:`Explanation`.

    `candidate` and `vacancy` are the records as scored (language skills routed to the language
    channel); `original` the records as given, when they differ. `read_title` gives the
    occupation a job title was read as and its confidence (for an experience or a vacancy given by
    its title only); the notes say what each such title was read as.
    """
    weights = config.weights()
    eligible = not detail.reasons
    gate = detail.gate
    contributions = {
        name: (
            0.0
            if not eligible
            else weights[name] * detail.components[name] * (1.0 if name == "skill" else gate)
        )
        for name in COMPONENTS
    }
    # What one unit of skill fit is worth: its own weight, and the gate it opens for the rest.
    rest = sum(weights[n] * detail.components[n] for n in COMPONENTS if n != "skill")
    skill_worth = weights["skill"] + rest * (1.0 - config.gate_floor)
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
    n_check = 0
    for r in detail.requirements:
        share = weights["skill"] * r.weight / w_total if w_total > 0 else 0.0
        worth = skill_worth * r.weight / w_total if w_total > 0 else 0.0
        is_gap = r.credit < config.gap_threshold
        req_label = label(r.concept, r.text)
        met = r.claim_concept is not None
        confidence = min(r.confidence, r.claim_confidence if met else 1.0)
        check = r.uncertain or (met and r.claim_uncertain)
        n_check += check and met
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
                confidence=confidence,
                check=check,
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
                    worth * (1.0 - r.credit),
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
            share = weights["language"] * gate * factor[d.importance] / lang_weight
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
    recognition = _recognition_gap(detail, candidate, vacancy, config, weights["education"] * gate)
    if recognition is not None:
        gaps.append(recognition)
    gaps.sort(key=lambda g: (g.importance != "essential", -g.lost, g.label))
    steps = _steps(detail, candidate, vacancy, recognition)
    pathway = _pathway(detail, gaps, config, steps)
    notes = []
    if detail.skill_unjudged:
        notes.append(
            "the vacancy asks for no skill that could be matched to the taxonomy, so the person's "
            f"skills could not be judged against it (skill fit unknown, counted as "
            f"{config.skill_unknown:.2f}); ask the employer which skills the job needs"
        )
    if n_check:
        notes.append(
            f"{n_check} match(es) rest on free text that resolved uncertainly or ambiguously; "
            "check them with the person"
        )
    vacancy_occupation = vacancy.occupation
    if read_title is not None:
        for i, exp in enumerate(candidate.experience):
            if exp.occupation is None and exp.title:
                notes.append(_title_note(f"experience {i + 1}", read_title(exp.title), label))
        if vacancy.occupation is None and vacancy.title:
            vacancy_occupation = read_title(vacancy.title)[0]
            notes.append(_title_note("the vacancy", read_title(vacancy.title), label))
    prefs = candidate.preferences.occupations
    if prefs and vacancy_occupation is not None:
        if vacancy_occupation in prefs:
            notes.append("the job is in one of the person's preferred occupations")
        else:
            notes.append("the job is not among the person's preferred occupations")
    if original is not None:
        moved = len(original[0].skills) - len(candidate.skills)
        moved += len(original[1].skills) - len(vacancy.skills)
        if moved:
            notes.append(
                f"{moved} language skill(s) named as ESCO skills were compared as languages "
                "(CEFR levels)"
            )
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
    vac_label = label(vacancy_occupation, vacancy.title or "") or None
    component_notes = _component_notes(detail, candidate, vacancy, config)
    if detail.skill_unjudged:
        component_notes["skill"] = "no skill asked for could be matched: unknown"
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
        gate=gate,
        skill_unjudged=detail.skill_unjudged,
    )


def _title_note(
    whose: str, reading: tuple[str | None, float], label: Callable[[str | None, str], str]
) -> str:
    """What a job title standing for an occupation was read as, in words."""
    uri, confidence = reading
    if uri is None:
        return f"{whose}: its job title could not be read as an occupation, so none was counted"
    return (
        f"{whose}: its job title was read as the occupation “{label(uri, uri)}” "
        f"(confidence {confidence:.2f})"
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
    elif not candidate.recorded("languages"):
        notes["language"] = "no languages recorded: counted as unknown"
    if vacancy.min_isced is None:
        notes["education"] = "no minimum asked for"
    elif not candidate.education and "education" in candidate.known_none:
        notes["education"] = f"ISCED {vacancy.min_isced} asked for; no formal education"
    elif not candidate.education:
        notes["education"] = (
            f"ISCED {vacancy.min_isced} asked for; no education recorded: counted as unknown"
        )
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
    elif not candidate.recorded("experience"):
        notes["experience"] = (
            f"{vacancy.min_experience_months} months asked for; no experience recorded: "
            "counted as unknown"
        )
    else:
        notes["experience"] = f"{vacancy.min_experience_months} months asked for"
    return notes


def _cefr_index(level: str) -> int:
    return ("A1", "A2", "B1", "B2", "C1", "C2").index(level) + 1


def _recognition_gap(
    detail: PairDetail,
    candidate: CandidateProfile,
    vacancy: Vacancy,
    config: ScoringConfig,
    share: float,
) -> Gap | None:
    """The recognition step of a required qualification that is not (yet) recognised."""
    need = vacancy.min_isced
    if need is None or not candidate.education:
        return None
    reaching = [e for e in candidate.education if e.isced_level >= need]
    if not reaching or any(e.recognition == "recognised" for e in reaching):
        return None
    best = max(reaching, key=lambda e: config.recognition_credit(e.recognition))
    credit = config.recognition_credit(best.recognition)
    status = best.recognition.replace("_", " ")
    return Gap(
        "recognition",
        f"isced:{best.isced_level}",
        f"recognition of the ISCED {best.isced_level} qualification",
        "essential" if best.recognition == "not_recognised" else "optional",
        f"recognition {status}; it counts {credit:.2f} until recognised",
        share * (1.0 - credit),
        (),
    )


def _steps(
    detail: PairDetail, candidate: CandidateProfile, vacancy: Vacancy, recognition: Gap | None
) -> tuple[str, ...]:
    """The method's steps with their dates, in words (see :class:`Pathway`)."""
    steps: list[str] = []
    day = detail.day
    start = f"the job starts {_day(day)}" if day is not None else "the job starts at once"
    auth = candidate.work_authorisation
    if "work_authorisation" in detail.reasons:
        if auth.work_allowed_from is not None and day is not None and day < auth.work_allowed_from:
            steps.append(f"work is allowed from {_day(auth.work_allowed_from)} ({start})")
        elif (
            auth.work_allowed_until is not None
            and day is not None
            and day > auth.work_allowed_until
        ):
            steps.append(f"the right to work ends {_day(auth.work_allowed_until)} ({start})")
        else:
            steps.append("no date from which work is allowed is recorded; check the permit")
    available = candidate.available_from
    if available is not None and day is not None and day < available:
        steps.append(f"available from {_day(available)} ({start})")
    wants, offers = candidate.preferences.hours, vacancy.hours
    if "any" not in (wants, offers) and wants != offers:
        steps.append(
            f"the job is {vacancy.hours.replace('_', ' ')}; the person prefers "
            f"{candidate.preferences.hours.replace('_', ' ')}"
        )
    if recognition is not None and not detail.reasons:
        steps.append(f"have the qualification recognised ({recognition.shortfall.split(';')[0]})")
    return tuple(steps)


def _day(day: date) -> str:
    return day.isoformat()


def _pathway(
    detail: PairDetail, gaps: list[Gap], config: ScoringConfig, steps: tuple[str, ...] = ()
) -> Pathway:
    if detail.reasons:
        return Pathway("not_eligible", reasons=tuple(detail.reasons), steps=steps)
    blocking = [g for g in gaps if g.importance == "essential"]
    if not blocking:
        return Pathway("ready", steps=steps)
    skill_gaps = [g for g in blocking if g.kind == "skill"]
    covered = all(g.covered_by for g in blocking) and len(skill_gaps) <= config.max_supported_gaps
    if covered:
        used: list[str] = []
        for g in blocking:
            if not any(s in used for s in g.covered_by):
                used.append(g.covered_by[0])
        return Pathway("ready_with_support", supports=tuple(used), steps=steps)
    return Pathway("training_first", training_needs=tuple(blocking), steps=steps)
