"""What the training-needs report's two algorithms share: columns, need keys, training, rows.

:func:`~._training.training_needs` (on the engine's arrays) and its reference
(:func:`~._training_reference._training_needs_reference`, every pair explained) both count
needs into :class:`_NeedStats`, train profiles with :class:`_Trainer` and find the same
superset of needs that could close a gap with :func:`_neighbourhood`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..profiles import (
    CEFR_LEVELS,
    CandidateProfile,
    LanguageSkill,
    SkillClaim,
    Vacancy,
    is_concept_uri,
)
from ..scoring.explain import Explanation, Gap, language_name
from ..taxonomy import Taxonomy
from ..taxonomy._languages import canonical_language_code

if TYPE_CHECKING:
    from ..matcher import Matcher

__all__ = ["TRAINING_NEEDS_COLUMNS", "NeedKey"]

#: Columns of :func:`training_needs`, in order.
TRAINING_NEEDS_COLUMNS: tuple[str, ...] = (
    "rank",
    "need",
    "kind",
    "label",
    "language",
    "activity",
    "level",
    "skill_level",
    "n_ready",
    "ready_ids",
    "n_ready_or_supported",
    "ready_or_supported_ids",
    "n_gap",
    "needed_by",
    "n_vacancies",
    "score_lost",
    "placement_gain",
    "placed_gain",
)

_PATHWAY_RANK = {"not_eligible": 0, "training_first": 1, "ready_with_support": 2, "ready": 3}
_READY = _PATHWAY_RANK["ready"]
_SUPPORTED = _PATHWAY_RANK["ready_with_support"]
_ACTIVITY_TEXT = {
    "listening": "understanding speech",
    "reading": "reading",
    "spoken_interaction": "speaking with others",
    "writing": "writing",
}


def _cefr(level: str | None) -> int:
    return 0 if level is None else CEFR_LEVELS.index(level) + 1


NeedKey = tuple[str, ...]


@dataclass
class _NeedStats:
    """What is known of one need while counting."""

    key: NeedKey
    label: str
    needed_by: set[int] = field(default_factory=set)
    vacancies: set[int] = field(default_factory=set)
    score_lost: float = 0.0
    ready: set[int] = field(default_factory=set)
    supported: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class _Pair:
    """One considered pair before training: its pathway and its blocking (essential) gaps."""

    vacancy: int
    pathway: int
    gaps: tuple[Gap, ...]
    keys: tuple[NeedKey, ...]


def _need_key(gap: Gap, explanation: Explanation, unit: str) -> NeedKey:
    if gap.kind == "skill":
        return ("skill", gap.what)
    code, activity = gap.what.split(":", 1)
    need = next(
        m.need for m in explanation.languages if m.language == code and m.activity == activity
    )
    if unit == "level":
        return ("language", code, need)
    return ("language", code, activity, need)


def _need_label(key: NeedKey, taxonomy: Taxonomy, lang: str) -> str:
    if key[0] == "skill":
        return taxonomy.label(key[1], lang) if key[1] in taxonomy else key[1]
    if len(key) == 3:
        return f"{language_name(key[1])} to {key[2]}"
    return f"{language_name(key[1])}, {_ACTIVITY_TEXT[key[2]]}, to {key[3]}"


def _need_text(key: NeedKey) -> str:
    return key[1] if key[0] == "skill" else ":".join(key[1:])


def _gap_target(gap: Gap, unit: str) -> NeedKey:
    """What a gap is about: its skill, or its language (and activity, per activity)."""
    if gap.kind == "skill":
        return ("skill", gap.what)
    code, activity = gap.what.split(":", 1)
    return ("language", code) if unit == "level" else ("language", code, activity)


def _neighbourhood(taxonomy: Taxonomy, uri: str, depth: int) -> set[str]:
    """Concepts that may earn credit for a requirement of `uri`.

    A superset of the scoring's relations: exact, narrower and broader within `depth`, siblings
    (whatever the family's size) and ESCO-related skills (the reverse direction is added by the
    caller).
    """
    out = {uri}
    if uri not in taxonomy:
        return out
    for step in (taxonomy.narrower, taxonomy.broader):
        frontier = [uri]
        for _ in range(depth):
            frontier = [o for node in frontier for o in step(node) if o not in out]
            out.update(frontier)
    for parent in taxonomy.broader(uri):
        out.update(taxonomy.narrower(parent))
    out.update(r.skill for r in taxonomy.related_skills(uri))
    return out


class _Trainer:
    """Applies one need to a profile: a certified skill claim, or a raised language level."""

    def __init__(self, skill_levels: Mapping[str, int]) -> None:
        self.skill_levels = skill_levels

    def __call__(self, candidate: CandidateProfile, key: NeedKey) -> CandidateProfile:
        if key[0] == "skill":
            claim = SkillClaim(
                skill=key[1], evidence="certified", level=self.skill_levels.get(key[1])
            )
            return candidate.model_copy(update={"skills": (*candidate.skills, claim)})
        code = key[1]
        activity = key[2] if len(key) == 4 else None
        level = key[-1]
        entries = list(candidate.languages)
        at = next(
            (i for i, e in enumerate(entries) if canonical_language_code(e.language) == code), None
        )
        if at is None:
            data: dict[str, Any] = {"language": code}
            data[activity or "level"] = level
            entries.append(LanguageSkill.model_validate(data))
        else:
            entry = entries[at]
            if entry.native:
                return candidate
            current = entry.model_dump()
            names = (activity,) if activity else ("level", *_ACTIVITY_TEXT)
            for name in names:
                held = current[name]
                if (name == "level" or name == activity or held is not None) and _cefr(
                    held
                ) < _cefr(level):
                    current[name] = level
            entries[at] = LanguageSkill.model_validate(current)
        return candidate.model_copy(update={"languages": tuple(entries)})


def _skill_levels(matcher: Matcher, vacancies: Sequence[Vacancy]) -> dict[str, int]:
    """The highest minimum level any vacancy asks of each skill concept."""
    out: dict[str, int] = {}
    for v in vacancies:
        for r in v.skills:
            if r.min_level is None:
                continue
            concept = r.skill if is_concept_uri(r.skill) else matcher.resolve(r.skill)
            if concept is not None:
                out[concept] = max(out.get(concept, 0), r.min_level)
    return out
