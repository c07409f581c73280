"""Skill resolution: free text → taxonomy concepts.

Public names: :class:`SkillResolver`, :class:`Resolution`, :class:`ResolutionReport`,
:func:`normalise` and :data:`MAX_TEXT_LENGTH`.

The resolver normalises a mention (:func:`normalise`), looks it up exactly among every label in
every language, then as a variant (same content words), then fuzzily (a tf-idf index over word
stems and character trigrams, re-ranked with rapidfuzz). Mentions that resolve to nothing are
reported, never dropped.

Examples
--------
>>> from labourint_match import Taxonomy
>>> from labourint_match.resolve import SkillResolver
>>> resolver = SkillResolver(Taxonomy.default(), cache=False)
>>> report = resolver.resolve_many(["clean rooms", "Städa rum", "???"], top_k=1)
>>> [r[0].label if r else None for r in report]
['clean rooms', 'städa rum', None]
>>> report.unresolved
(2,)
"""

from ._normalise import normalise
from ._resolver import MAX_TEXT_LENGTH, Resolution, ResolutionReport, SkillResolver

__all__ = ["MAX_TEXT_LENGTH", "Resolution", "ResolutionReport", "SkillResolver", "normalise"]
