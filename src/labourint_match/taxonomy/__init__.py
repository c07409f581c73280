"""Taxonomies: loading SKOS / ESCO classifications, compiling them to arrays, querying them.

Public names: :class:`Taxonomy`, :class:`Concept`, :class:`ConceptKind`, :class:`SkillRelation`,
:class:`LanguageConcepts`, and :data:`CEFR_ACTIVITIES`.
"""

from ._languages import CEFR_ACTIVITIES
from ._model import Concept, ConceptKind, LanguageConcepts, SkillRelation, Taxonomy

__all__ = [
    "CEFR_ACTIVITIES",
    "Concept",
    "ConceptKind",
    "LanguageConcepts",
    "SkillRelation",
    "Taxonomy",
]
