"""labourint_match: explainable skills-based matching of people to jobs over ESCO-style taxonomies.

The library follows the three stages of the EU Labour-INT method: map what newcomers can do, find
the training that closes the gaps, and match people to vacancies, on equal terms with domestic
jobseekers. This release holds the taxonomy layer; see the documentation for the roadmap.

Examples
--------
>>> import labourint_match as lm
>>> taxonomy = lm.Taxonomy.default()
>>> taxonomy.counts()["skill"] >= 400
True
"""

from ._version import __version__
from .errors import (
    AssignmentError,
    ConfigError,
    DuplicateIdError,
    LabourintMatchError,
    LabourintMatchWarning,
    ProfileError,
    ResolutionError,
    TaxonomyError,
    TaxonomyWarning,
    UnknownConceptError,
)
from .taxonomy import (
    CEFR_ACTIVITIES,
    Concept,
    ConceptKind,
    LanguageConcepts,
    SkillRelation,
    Taxonomy,
)

__all__ = [
    "AssignmentError",
    "CEFR_ACTIVITIES",
    "Concept",
    "ConceptKind",
    "ConfigError",
    "DuplicateIdError",
    "LabourintMatchError",
    "LabourintMatchWarning",
    "LanguageConcepts",
    "ProfileError",
    "ResolutionError",
    "SkillRelation",
    "Taxonomy",
    "TaxonomyError",
    "TaxonomyWarning",
    "UnknownConceptError",
    "__version__",
]
