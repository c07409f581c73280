"""ESCO's language-skill concepts, routed to the CEFR language channel on both sides of a pair.

ESCO models languages as skills: "Swedish" and its four activities "understand spoken Swedish"
(listening), "understand written Swedish" (reading), "interact verbally in Swedish" (spoken
interaction) and "write Swedish" (writing). A vacancy or a profile may name them among its skills;
the score compares languages by CEFR level instead. Before a pair is encoded or scored, such a skill
claim becomes (or completes) a language entry of the profile and such a requirement a language
requirement of the vacancy:

- the level: a claim's ``level`` or a requirement's ``min_level`` on the 1-5 proficiency scale
  maps to A1, A2, B1, B2, C1 (:data:`PROFICIENCY_TO_CEFR`); a claim without a level gives the
  language without a level (neither fluent nor absent); a requirement without a minimum asks for
  :data:`DEFAULT_REQUIRED_LEVEL` (B1, the CEFR's threshold of independent use);
- the activity: the concept's own, or all four for the language concept itself;
- an entry the record already has for that language keeps what it states; the skill only fills
  the activities it leaves open (a requirement keeps the higher level of the two, and becomes
  essential if either is).

The encoder and the pure-Python reference both score the routed records, so they agree.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from itertools import accumulate, chain
from operator import attrgetter
from typing import Any, TypeVar

import numpy as np

from ..profiles import (
    CandidateProfile,
    CEFRLevel,
    LanguageRequirement,
    LanguageSkill,
    Vacancy,
    is_concept_uri,
)
from ..profiles._columns import (
    CandidateColumns,
    VacancyColumns,
    candidate_columns,
    vacancy_columns,
)
from ..taxonomy import Taxonomy
from ..taxonomy._languages import canonical_language_code
from ._encode import _Memo

__all__ = [
    "DEFAULT_REQUIRED_LEVEL",
    "PROFICIENCY_TO_CEFR",
    "LanguageChannels",
]

ACTIVITIES: tuple[str, ...] = ("listening", "reading", "spoken_interaction", "writing")
#: Proficiency (1 novice to 5 expert) as a CEFR level, for language skills given as ESCO concepts.
PROFICIENCY_TO_CEFR: Mapping[int, CEFRLevel] = {1: "A1", 2: "A2", 3: "B1", 4: "B2", 5: "C1"}
#: The level a vacancy's language-skill requirement asks for when it sets no minimum.
DEFAULT_REQUIRED_LEVEL: CEFRLevel = "B1"
_ORDER = ("A1", "A2", "B1", "B2", "C1", "C2")

Resolve = Callable[[str], "str | None"]
_Channel = tuple[str, tuple[str, ...]]
_SKILL = attrgetter("skill")
_SKILLS = attrgetter("skills")
T = TypeVar("T", CandidateProfile, Vacancy)
C = TypeVar("C", CandidateColumns, VacancyColumns)


class LanguageChannels:
    """Routes a taxonomy's language-skill concepts to language entries and requirements.

    Parameters
    ----------
    taxonomy
        Its language concepts (:attr:`Taxonomy.languages`) are the ones routed.
    resolve
        The concept URI a free-text skill is scored as, or None (memoised here per text).

    Examples
    --------
    >>> from labourint_match import Taxonomy, Vacancy
    >>> t = Taxonomy.default()
    >>> channels = LanguageChannels(t, lambda text: None)
    >>> job = Vacancy(id="v-1", skills=[t.language("sv").listening])
    >>> routed = channels.vacancy(job)
    >>> routed.skills, routed.languages[0].listening
    ((), 'B1')
    """

    def __init__(self, taxonomy: Taxonomy, resolve: Resolve) -> None:
        found: dict[str, tuple[str, tuple[str, ...]]] = {}
        for code, concepts in taxonomy.languages.items():
            if concepts.language is not None:
                found[concepts.language] = (code, ACTIVITIES)
            for activity in ACTIVITIES:
                uri = getattr(concepts, activity)
                if uri is not None:
                    found[uri] = (code, (activity,))
        self._of: dict[str, _Channel] = found
        self._resolve = resolve
        self._route: Callable[[str], _Channel | None] = _Memo(self._channel).__getitem__

    def _channel(self, text: str) -> _Channel | None:
        uri = text if is_concept_uri(text) else self._resolve(text)
        return None if uri is None else self._of.get(uri)

    def channel(self, text: str) -> _Channel | None:
        """(language code, activities) of a skill text naming a language concept, else None."""
        return self._route(text) if self._of else None

    def routed(self, records: Sequence[T]) -> Sequence[T]:
        """The records with their language skills routed (`records` itself when none has any)."""
        if not self._of:
            return records
        # The distinct skill texts (in C: map, set), the few that route, then only their records.
        lists = list(map(_SKILLS, records))
        flat = list(map(_SKILL, chain.from_iterable(lists)))
        distinct = set(flat)
        hits = distinct.intersection(self._of)
        hits.update(t for t in distinct if not is_concept_uri(t) and self._route(t) is not None)
        if not hits:
            return records
        at = np.flatnonzero(np.fromiter(map(hits.__contains__, flat), dtype=bool, count=len(flat)))
        ends = np.fromiter(accumulate(map(len, lists)), dtype=np.int64, count=len(lists))
        owners = np.unique(np.searchsorted(ends, at, side="right")).tolist()
        out: list[Any] = list(records)
        for i in owners:
            record = out[i]
            out[i] = (
                self.candidate(record)
                if isinstance(record, CandidateProfile)
                else self.vacancy(record)
            )
        return tuple(out)

    def routed_columns(self, columns: C) -> C:
        """A cohort's columns with its language skills routed (`columns` itself when none has any).

        The few rows holding a language skill are built as records (``columns.record``), routed
        as :meth:`routed` routes them, and their columns put in place of theirs.
        """
        if not self._of:
            return columns
        if isinstance(columns, CandidateColumns):
            flat, ends = columns.claim_skill, columns.claim_end
        else:
            flat, ends = columns.slot_skill, columns.ends("slot")
        distinct = set(flat)
        hits = distinct.intersection(self._of)
        hits.update(t for t in distinct if not is_concept_uri(t) and self._route(t) is not None)
        if not hits:
            return columns
        at = np.flatnonzero(np.fromiter(map(hits.__contains__, flat), dtype=bool, count=len(flat)))
        owners = np.unique(np.searchsorted(ends, at, side="right")).tolist()
        out: Any
        if isinstance(columns, CandidateColumns):
            people = [self.candidate(columns.record(i)) for i in owners]
            out = columns.replaced(owners, candidate_columns(people))  # type: ignore[arg-type]
        else:
            jobs = [self.vacancy(columns.record(i)) for i in owners]
            out = columns.replaced(owners, vacancy_columns(jobs))
        # Row i is still record i as given (explanations show it as given, and route it again).
        routed: C = dataclasses.replace(out, record=columns.record)
        return routed

    def candidate(self, candidate: CandidateProfile) -> CandidateProfile:
        """The profile with its language-skill claims moved into ``languages`` (or itself)."""
        routed = [(i, self.channel(c.skill)) for i, c in enumerate(candidate.skills)]
        moved = [(i, ch) for i, ch in routed if ch is not None]
        if not moved:
            return candidate
        languages = {canonical_language_code(e.language): e for e in candidate.languages}
        order = [canonical_language_code(e.language) for e in candidate.languages]
        for i, (code, activities) in moved:
            level = candidate.skills[i].level
            cefr = PROFICIENCY_TO_CEFR.get(level) if level else None
            entry = languages.get(code)
            if entry is None:
                order.append(code)
                if len(activities) == len(ACTIVITIES):
                    languages[code] = LanguageSkill(language=code, level=cefr)
                else:
                    languages[code] = LanguageSkill(
                        language=code, **dict.fromkeys(activities, cefr)
                    )
                continue
            if entry.native or cefr is None:
                continue
            fill = {a: cefr for a in activities if entry.level_for(a) is None}
            if fill:
                languages[code] = entry.model_copy(update=fill)
        skills = tuple(c for i, c in enumerate(candidate.skills) if routed[i][1] is None)
        return candidate.model_copy(
            update={"skills": skills, "languages": tuple(languages[c] for c in order)}
        )

    def vacancy(self, vacancy: Vacancy) -> Vacancy:
        """The vacancy with its language-skill requirements moved into ``languages`` (or itself)."""
        routed = [(i, self.channel(r.skill)) for i, r in enumerate(vacancy.skills)]
        moved = [(i, ch) for i, ch in routed if ch is not None]
        if not moved:
            return vacancy
        languages = {canonical_language_code(e.language): e for e in vacancy.languages}
        order = [canonical_language_code(e.language) for e in vacancy.languages]
        for i, (code, activities) in moved:
            req = vacancy.skills[i]
            level = PROFICIENCY_TO_CEFR.get(req.min_level or 0, DEFAULT_REQUIRED_LEVEL)
            entry = languages.get(code)
            if entry is None:
                order.append(code)
                if len(activities) == len(ACTIVITIES):
                    languages[code] = LanguageRequirement(
                        language=code, level=level, importance=req.importance
                    )
                else:
                    languages[code] = LanguageRequirement(
                        language=code, importance=req.importance, **dict.fromkeys(activities, level)
                    )
                continue
            update: dict[str, object] = {}
            for a in activities:
                have = entry.level_for(a)
                if have is None or _ORDER.index(have) < _ORDER.index(level):
                    update[a] = level
            if req.importance == "essential":
                update["importance"] = "essential"
            if update:
                languages[code] = entry.model_copy(update=update)
        skills = tuple(r for i, r in enumerate(vacancy.skills) if routed[i][1] is None)
        return vacancy.model_copy(
            update={"skills": skills, "languages": tuple(languages[c] for c in order)}
        )
