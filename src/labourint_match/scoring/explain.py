"""Explanations: why a pair scores what it does, what is missing, and the way into the job.

An :class:`Explanation` is built from the pure-Python reference's account of one pair. Its
``components`` are the weighted contributions of skill, language, education, location and
experience, and they add up to ``score``; ``requirements`` says how each skill the vacancy asks for
was met (by which claim, through which relation in the hierarchy); ``gaps`` lists what falls short;
``pathway`` is one of ``ready``, ``ready_with_support``, ``training_first`` or ``not_eligible``.
``str(explanation)`` is plain text an adviser can read out to the person concerned, and
:meth:`Explanation.to_html` the same as an HTML fragment.

Explanations are written in the adviser's language: ``lang`` (one of
:data:`EXPLANATION_LANGUAGES`; ``no`` and ``nn`` are written in Bokmål) gives the sentence frames,
pathway texts, notes and HTML headings in that language, and the concept labels where the taxonomy
has them. The frames are authored for this project, not taken from ESCO (see
``scoring/_messages``); any other language gets English frames, with its labels where the taxonomy
has them. Arabic HTML is marked right to left (``dir="rtl"``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ..errors import ConfigError
from ..profiles import CandidateProfile, Vacancy
from ..taxonomy import Taxonomy
from ..taxonomy._languages import LANGUAGE_CODES
from ._messages import (
    CATALOGUE,
    EXPLANATION_LANGUAGES,
    LANGUAGE_NAMES,
    frames_language,
)
from ._reference import PairDetail
from .config import COMPONENTS, ScoringConfig

__all__ = [
    "EXPLANATION_LANGUAGES",
    "Explanation",
    "Gap",
    "LanguageMatch",
    "Pathway",
    "RequirementMatch",
]

PathwayKind = Literal["ready", "ready_with_support", "training_first", "not_eligible"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def _one_line(text: str) -> str:
    """`text` with line breaks and other control characters as single spaces (for plain text).

    Only C0/C1 controls and the line and paragraph separators go: the bidirectional marks and
    isolates (U+200E, U+200F, U+061C, U+202A-U+202E, U+2066-U+2069) that right-to-left text needs
    are kept.
    """
    return _CONTROL.sub(" ", text)


_LANGUAGE_NAMES = {code: name for name, code in LANGUAGE_CODES.items()} | {"no": "Norwegian"}


def language_name(code: str, lang: str = "en") -> str:
    """The name of the language with ISO 639 code `code`, in `lang` (English by default).

    A language without a name in `lang` is named in English; an unknown code is returned as is.

    Examples
    --------
    >>> language_name("sv"), language_name("xx")
    ('Swedish', 'xx')
    >>> language_name("de", "sv"), language_name("de", "de"), language_name("ar", "ar")
    ('tyska', 'Deutsch', 'العربية')
    """
    local = LANGUAGE_NAMES[frames_language(lang)].get(code)
    return local if local is not None else _LANGUAGE_NAMES.get(code, code)


def _words(lang: str) -> Mapping[str, str]:
    """The frames of `lang` (English for a language without frames)."""
    return CATALOGUE[frames_language(lang)]


def _word(words: Mapping[str, str], kind: str, value: str) -> str:
    """`value` (a reason, support, evidence, ...) in words; unknown values with spaces for ``_``."""
    return words.get(f"{kind}_{value}", value.replace("_", " "))


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

    ``lang`` is the language its text is written in (see :data:`EXPLANATION_LANGUAGES`).
    """

    kind: PathwayKind
    reasons: tuple[str, ...] = ()
    supports: tuple[str, ...] = ()
    training_needs: tuple[Gap, ...] = ()
    steps: tuple[str, ...] = ()
    lang: str = "en"

    def __str__(self) -> str:
        words = _words(self.lang)
        return self._headline() + "".join(words["clause_sep"] + step for step in self.steps)

    def _headline(self) -> str:
        """The pathway in words, without its steps (``str(pathway)`` adds them)."""
        words = _words(self.lang)
        if self.kind == "not_eligible":
            reasons = words["clause_sep"].join(_word(words, "reason", r) for r in self.reasons)
            return words["pathway_not_eligible"].format(reasons=reasons)
        if self.kind == "ready":
            return words["pathway_ready"]
        if self.kind == "ready_with_support":
            supports = words["list_sep"].join(_word(words, "support", s) for s in self.supports)
            return words["pathway_ready_with_support"].format(supports=supports)
        needs = words["list_sep"].join(g.label for g in self.training_needs[:5])
        return words["pathway_training_first"].format(needs=needs)


@dataclass(frozen=True)
class Explanation:
    """Why one candidate–vacancy pair scores what it does.

    ``components`` maps each component to its contribution; they sum to ``score`` within 1e-6.
    The skill component contributes ``weight × skill fit``; every other one ``weight × its score ×
    gate``, where ``gate = gate_floor + (1 − gate_floor) × skill fit`` (see docs/scoring.md): the
    other parts count in proportion to the skill fit. ``component_scores`` holds the unweighted
    component scores, which an ineligible pair still shows although its score is 0.
    ``skill_unjudged`` is true when the vacancy asks for no skill that resolves. ``lang`` is the
    language the text (notes, gaps, pathway, ``str()`` and :meth:`to_html`) is written in, one of
    :data:`EXPLANATION_LANGUAGES`.
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
    lang: str = "en"

    def __str__(self) -> str:
        words = _words(self.lang)
        title = " " + _quoted(words, _one_line(self.vacancy_label)) if self.vacancy_label else ""
        lines = [
            words["header"].format(
                candidate=self.candidate_id, vacancy=self.vacancy_id, title=title,
                score=f"{self.score:.2f}", pathway=self.pathway,
            ),
        ]  # fmt: skip
        if not self.eligible:
            reasons = words["clause_sep"].join(_word(words, "reason", r) for r in self.reasons)
            lines.append(words["not_possible"].format(reasons=reasons))
        lines.append(words["why_score"].format(gate=f"{self.gate:.2f}"))
        width = max(11, *(len(words[f"component_{n}"]) + 1 for n in COMPONENTS))
        for name in COMPONENTS:
            note = self.component_notes.get(name, "")
            lines.append(
                words["component_line"].format(
                    name=f"{words[f'component_{name}']:<{width}}",
                    score=f"{self.component_scores[name]:.2f}",
                    weight=f"{self.weights[name]:.2f}",
                    gate="" if name == "skill" else f" × {self.gate:.2f}",
                    contribution=f"{self.components[name]:.3f}",
                )
                + (f"   {note}" if note else "")
            )
        if self.requirements:
            lines.append(words["skills_heading"])
            for r in self.requirements:
                if r.met_by is None:
                    how = words["how_missing"]
                elif r.relation == "exact":
                    how = words["how_exact"].format(
                        evidence=_word(words, "evidence", r.evidence or "")
                    )
                else:
                    how = _related(words, r)
                check = (
                    words["check_free_text"].format(confidence=f"{r.confidence:.2f}")
                    if r.check
                    else ""
                )
                lines.append(
                    words["requirement_line"].format(
                        mark=_mark(r), label=_one_line(r.label),
                        importance=_word(words, "importance", r.importance), how=_one_line(how),
                        credit=f"{r.credit:.2f}", check=check,
                    )
                )  # fmt: skip
        if self.languages:
            lines.append(words["languages_heading"])
            for lang in self.languages:
                lines.append(
                    words["language_line"].format(
                        language=language_name(lang.language, self.lang),
                        activity=words[f"activity_{lang.activity}"], need=lang.need,
                        have=_have(words, lang),
                        support=words["training_offered"] if _offered(lang) else "",
                    )
                )  # fmt: skip
        if self.gaps:
            lines.append(words["gaps_heading"])
            for g in self.gaps:
                bridges = self._bridges(g)
                cover = (
                    words["bridged_by"].format(supports=words["list_sep"].join(bridges))
                    if bridges is not None
                    else ""
                )
                lines.append(
                    words["gap_line"].format(
                        label=_one_line(g.label), what=_gap_what(words, g), shortfall=g.shortfall,
                        cover=cover,
                    )
                )  # fmt: skip
        for note in self.notes:
            lines.append(words["note_line"].format(note=note))
        lines.append(words["next_step"].format(pathway=self.pathway))
        return "\n".join(lines)

    def pathway_supports_for(self, gap: Gap) -> tuple[str, ...]:
        """The supports the pathway uses that can bridge `gap`, in words (in ``self.lang``)."""
        words = _words(self.lang)
        return tuple(
            _word(words, "support", s) for s in gap.covered_by if s in self.pathway.supports
        )

    def _bridges(self, gap: Gap) -> tuple[str, ...] | None:
        """The supports that bridge `gap` on this pathway (None where the pathway needs none)."""
        if self.pathway.kind == "ready_with_support" and gap.importance == "essential":
            return self.pathway_supports_for(gap)
        return None

    def to_html(self) -> str:
        """The explanation as a self-contained HTML fragment, in the explanation's language.

        One ``<section>`` with ``lang`` and ``dir`` set (``dir="rtl"`` for Arabic) and no
        ``<html>``, ``<body>``, style, script or event handler, ready to embed in a page. It
        shows what ``str(explanation)`` says: the score and the pathway with its steps, the
        reasons a pair is not eligible, the components, how each skill asked for is met (with its
        evidence, and a flag to check matches read from free text), the languages (level asked,
        level held, language training offered), the gaps and what bridges them, the notes and
        the next step. Tables have a caption and column headers (``<th scope="col">``); the
        marks ✓, ~ and ✗ come with their meaning in words. Every text is escaped.

        Returns
        -------
        str
            The HTML fragment (``_repr_html_`` gives the same, for notebooks).

        Examples
        --------
        >>> from labourint_match import CandidateProfile, Matcher, Taxonomy, Vacancy
        >>> t = Taxonomy.default()
        >>> cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
        >>> skill = t.occupation_skills(cook)[0].skill
        >>> person = CandidateProfile(id="c-1", skills=[{"skill": skill}])
        >>> job = Vacancy(id="v-1", occupation=cook, skills=[{"skill": skill}])
        >>> page = Matcher(t).explain(person, job, lang="ar").to_html()
        >>> page.startswith('<section class="labourint-explanation" lang="ar" dir="rtl">')
        True
        >>> '<th scope="col">' in page
        True
        """
        from ._html import render

        return render(self)

    def _repr_html_(self) -> str:
        return self.to_html()


def _quoted(words: Mapping[str, str], text: str) -> str:
    return words["quoted"].format(text=text)


def _mark(r: RequirementMatch) -> str:
    """✗ not met, ~ partly met (a gap), ✓ met."""
    return "✗" if r.credit == 0 else ("~" if r.is_gap else "✓")


def _mark_words(words: Mapping[str, str], r: RequirementMatch) -> str:
    return words["mark_not_met" if r.credit == 0 else ("mark_partly" if r.is_gap else "mark_met")]


def _related(words: Mapping[str, str], r: RequirementMatch) -> str:
    """How a requirement is met through a related skill: the relation and the skill's label."""
    relation = words.get(f"relation_{r.relation}", r.relation)
    return words["how_related"].format(
        relation=relation, label=_quoted(words, r.met_by_label or "")
    )


def _have(words: Mapping[str, str], lang: LanguageMatch) -> str:
    """The level held, or why there is none."""
    return lang.have or (words["level_not_stated"] if lang.listed else words["not_listed"])


def _offered(lang: LanguageMatch) -> bool:
    """Whether the vacancy's language training raises the fit."""
    return lang.fit_with_support > lang.fit


def _gap_what(words: Mapping[str, str], gap: Gap) -> str:
    return (
        words["gap_step"]
        if gap.kind == "recognition"
        else _word(words, "importance", gap.importance)
    )


def _label_tags(lang: str) -> tuple[str, ...]:
    """The label language tags to try for `lang`, in order (English is the last resort)."""
    low = lang.strip().lower().replace("_", "-")
    primary = low.split("-")[0]
    tags = [lang, low, primary]
    if primary in ("no", "nb", "nn"):
        tags += ["nb", "no"]
    return tuple(dict.fromkeys(tags))


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

    `lang` is the adviser's language: the text (notes, component notes, gaps, pathway steps) is
    written with its frames (English where it has none, see :data:`EXPLANATION_LANGUAGES`), and
    concept labels are given in it where the taxonomy has them (``no`` and ``nb`` labels stand in
    for one another), else in English.

    Raises
    ------
    ConfigError
        `lang` is not a string.
    """
    if not isinstance(lang, str):
        raise ConfigError(f"lang must be a language code (a string), not {type(lang).__name__}")
    words = _words(lang)
    tags = _label_tags(lang)
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
        if uri is None or uri not in taxonomy:
            return fallback
        concept = taxonomy.concept(uri)
        for tag in tags:
            if tag in concept.pref_labels:
                return concept.pref_labels[tag]
        return concept.label("en")

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
                words["shortfall_missing"]
                if r.claim_concept is None
                else words["shortfall_partial"].format(credit=f"{r.credit:.2f}")
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
                short = words["shortfall_not_listed"].format(need=d.need)
                levels = None
            elif d.have is None:
                short = words["shortfall_not_stated"].format(need=d.need)
                levels = 0
            else:
                short = words["shortfall_level"].format(need=d.need, have=d.have)
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
                    words["gap_language"].format(
                        language=language_name(d.language, lang),
                        activity=words[f"activity_{d.activity}"],
                    ),
                    d.importance,
                    short,
                    lost,
                    ("language_training",) if coverable else (),
                )
            )
    recognition = _recognition_gap(
        detail, candidate, vacancy, config, weights["education"] * gate, words
    )
    if recognition is not None:
        gaps.append(recognition[0])
    gaps.sort(key=lambda g: (g.importance != "essential", -g.lost, g.label))
    steps = _steps(detail, candidate, vacancy, recognition, words)
    pathway = _pathway(detail, gaps, config, steps, frames_language(lang))
    notes = []
    if detail.skill_unjudged:
        notes.append(words["note_skill_unjudged"].format(unknown=f"{config.skill_unknown:.2f}"))
    if n_check:
        notes.append(words["note_check"].format(n=n_check))
    vacancy_occupation = vacancy.occupation
    if read_title is not None:
        for i, exp in enumerate(candidate.experience):
            if exp.occupation is None and exp.title:
                whose = words["whose_experience"].format(n=i + 1)
                notes.append(_title_note(whose, read_title(exp.title), label, words))
        if vacancy.occupation is None and vacancy.title:
            vacancy_occupation = read_title(vacancy.title)[0]
            notes.append(
                _title_note(words["whose_vacancy"], read_title(vacancy.title), label, words)
            )
    prefs = candidate.preferences.occupations
    if prefs and vacancy_occupation is not None:
        preferred = vacancy_occupation in prefs
        notes.append(words["note_preferred" if preferred else "note_not_preferred"])
    if original is not None:
        moved = len(original[0].skills) - len(candidate.skills)
        moved += len(original[1].skills) - len(vacancy.skills)
        if moved:
            notes.append(words["note_moved"].format(n=moved))
    if detail.authorisation_unknown:
        notes.append(words["note_authorisation_unknown"])
    if detail.unresolved_claims:
        notes.append(words["note_unresolved_claims"].format(n=len(detail.unresolved_claims)))
    if detail.unresolved_requirements:
        notes.append(
            words["note_unresolved_requirements"].format(n=len(detail.unresolved_requirements))
        )
    vac_label = label(vacancy_occupation, vacancy.title or "") or None
    component_notes = _component_notes(detail, candidate, vacancy, config, words)
    if detail.skill_unjudged:
        component_notes["skill"] = words["cnote_skill_unjudged"]
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
        lang=frames_language(lang),
    )


def _title_note(
    whose: str,
    reading: tuple[str | None, float],
    label: Callable[[str | None, str], str],
    words: Mapping[str, str],
) -> str:
    """What a job title standing for an occupation was read as, in words."""
    uri, confidence = reading
    if uri is None:
        return words["note_title_unread"].format(whose=whose)
    return words["note_title_read"].format(
        whose=whose, label=_quoted(words, label(uri, uri)), confidence=f"{confidence:.2f}"
    )


def _component_notes(
    detail: PairDetail,
    candidate: CandidateProfile,
    vacancy: Vacancy,
    config: ScoringConfig,
    words: Mapping[str, str],
) -> dict[str, str]:
    notes: dict[str, str] = {}
    met = sum(1 for r in detail.requirements if r.credit >= config.gap_threshold)
    if detail.requirements:
        notes["skill"] = words["cnote_skills_met"].format(met=met, total=len(detail.requirements))
    else:
        notes["skill"] = words["cnote_no_skills"]
    if not vacancy.languages:
        notes["language"] = words["cnote_no_language"]
    elif not candidate.recorded("languages"):
        notes["language"] = words["cnote_no_languages"]
    need = vacancy.min_isced
    if need is None:
        notes["education"] = words["cnote_no_minimum"]
    elif not candidate.education and "education" in candidate.known_none:
        notes["education"] = words["cnote_no_education"].format(need=need)
    elif not candidate.education:
        notes["education"] = words["cnote_education_unknown"].format(need=need)
    else:
        best = max(candidate.education, key=lambda e: (e.isced_level, e.recognition))
        notes["education"] = words["cnote_education"].format(
            need=need, has=best.isced_level, status=_word(words, "recognition", best.recognition)
        )
    if vacancy.remote:
        notes["location"] = words["cnote_remote"]
    elif detail.distance_km is not None:
        reach = candidate.max_commute_km or config.default_commute_km
        notes["location"] = words["cnote_distance"].format(
            distance=f"{detail.distance_km:.0f}", reach=f"{reach:.0f}"
        )
    months = vacancy.min_experience_months
    if months in (None, 0):
        notes["experience"] = words["cnote_no_minimum"]
    elif not candidate.recorded("experience"):
        notes["experience"] = words["cnote_experience_unknown"].format(months=months)
    else:
        notes["experience"] = words["cnote_experience"].format(months=months)
    return notes


def _cefr_index(level: str) -> int:
    return ("A1", "A2", "B1", "B2", "C1", "C2").index(level) + 1


def _recognition_gap(
    detail: PairDetail,
    candidate: CandidateProfile,
    vacancy: Vacancy,
    config: ScoringConfig,
    share: float,
    words: Mapping[str, str],
) -> tuple[Gap, str] | None:
    """The recognition step of a required qualification not (yet) recognised, and its status."""
    need = vacancy.min_isced
    if need is None or not candidate.education:
        return None
    reaching = [e for e in candidate.education if e.isced_level >= need]
    if not reaching or any(e.recognition == "recognised" for e in reaching):
        return None
    best = max(reaching, key=lambda e: config.recognition_credit(e.recognition))
    credit = config.recognition_credit(best.recognition)
    status = words["recognition_status"].format(
        status=_word(words, "recognition", best.recognition)
    )
    gap = Gap(
        "recognition",
        f"isced:{best.isced_level}",
        words["gap_recognition"].format(level=best.isced_level),
        "essential" if best.recognition == "not_recognised" else "optional",
        words["shortfall_recognition"].format(status=status, credit=f"{credit:.2f}"),
        share * (1.0 - credit),
        (),
    )
    return gap, status


def _steps(
    detail: PairDetail,
    candidate: CandidateProfile,
    vacancy: Vacancy,
    recognition: tuple[Gap, str] | None,
    words: Mapping[str, str],
) -> tuple[str, ...]:
    """The method's steps with their dates, in words (see :class:`Pathway`)."""
    steps: list[str] = []
    day = detail.day
    start = (
        words["step_starts"].format(day=_day(day)) if day is not None else words["step_starts_now"]
    )
    auth = candidate.work_authorisation
    if "work_authorisation" in detail.reasons:
        if auth.work_allowed_from is not None and day is not None and day < auth.work_allowed_from:
            steps.append(
                words["step_work_from"].format(day=_day(auth.work_allowed_from), start=start)
            )
        elif (
            auth.work_allowed_until is not None
            and day is not None
            and day > auth.work_allowed_until
        ):
            steps.append(
                words["step_work_ends"].format(day=_day(auth.work_allowed_until), start=start)
            )
        else:
            steps.append(words["step_no_permit_date"])
    available = candidate.available_from
    if available is not None and day is not None and day < available:
        steps.append(words["step_available"].format(day=_day(available), start=start))
    wants, offers = candidate.preferences.hours, vacancy.hours
    if "any" not in (wants, offers) and wants != offers:
        steps.append(
            words["step_hours"].format(
                offers=_word(words, "hours", offers), wants=_word(words, "hours", wants)
            )
        )
    if recognition is not None and not detail.reasons:
        steps.append(words["step_recognition"].format(status=recognition[1]))
    return tuple(steps)


def _day(day: date) -> str:
    return day.isoformat()


def _pathway(
    detail: PairDetail,
    gaps: list[Gap],
    config: ScoringConfig,
    steps: tuple[str, ...] = (),
    lang: str = "en",
) -> Pathway:
    if detail.reasons:
        return Pathway("not_eligible", reasons=tuple(detail.reasons), steps=steps, lang=lang)
    blocking = [g for g in gaps if g.importance == "essential"]
    if not blocking:
        return Pathway("ready", steps=steps, lang=lang)
    skill_gaps = [g for g in blocking if g.kind == "skill"]
    covered = all(g.covered_by for g in blocking) and len(skill_gaps) <= config.max_supported_gaps
    if covered:
        used: list[str] = []
        for g in blocking:
            if not any(s in used for s in g.covered_by):
                used.append(g.covered_by[0])
        return Pathway("ready_with_support", supports=tuple(used), steps=steps, lang=lang)
    return Pathway("training_first", training_needs=tuple(blocking), steps=steps, lang=lang)
