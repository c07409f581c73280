"""labourint_match: explainable skills-based matching of people to jobs over ESCO-style taxonomies.

The library follows the three stages of the EU Labour-INT method: map what newcomers can do, find
the training that closes the gaps, and match people to vacancies, on equal terms with domestic
jobseekers. This release holds the taxonomy layer and the profile models; see the documentation
for the roadmap.

Examples
--------
>>> import labourint_match as lm
>>> taxonomy = lm.Taxonomy.default()
>>> taxonomy.counts()["skill"] >= 400
True
"""

from . import analysis, plots, synth
from ._version import __version__
from .assignment import Assignment, Override, Placement, Pruning, Unplaced, UnplacedExplanation
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
    UnjudgedVacancyWarning,
    UnknownConceptError,
)
from .matcher import Matcher
from .profiles import (
    CEFR_LEVELS,
    SKILL_LEVELS,
    AuditAttributes,
    CandidateProfile,
    Cohort,
    Education,
    Experience,
    LanguageRequirement,
    LanguageSkill,
    Location,
    Preferences,
    SkillClaim,
    SkillRequirement,
    Support,
    UnknownConcept,
    Vacancy,
    WorkAuthorisation,
    is_concept_uri,
    json_schema,
    load_candidates,
    load_vacancies,
    validate_cohort,
)
from .resolve import (
    Extraction,
    ExtractionReport,
    Resolution,
    ResolutionReport,
    SkillResolver,
    TitleResolver,
    normalise,
)
from .scoring import (
    COMPONENTS,
    Explanation,
    Gap,
    LanguageMatch,
    Match,
    Pathway,
    Ranking,
    RequirementMatch,
    ScoringConfig,
)
from .scoring.explain import EXPLANATION_LANGUAGES
from .tables import (
    CellResolution,
    TableProblem,
    TableReport,
    read_candidates,
    read_columnar,
    read_vacancies,
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
    "Assignment",
    "AssignmentError",
    "AuditAttributes",
    "CEFR_ACTIVITIES",
    "CEFR_LEVELS",
    "COMPONENTS",
    "CandidateProfile",
    "CellResolution",
    "Cohort",
    "Concept",
    "ConceptKind",
    "ConfigError",
    "DuplicateIdError",
    "EXPLANATION_LANGUAGES",
    "Education",
    "Experience",
    "Explanation",
    "Extraction",
    "ExtractionReport",
    "Gap",
    "LabourintMatchError",
    "LabourintMatchWarning",
    "LanguageConcepts",
    "LanguageMatch",
    "LanguageRequirement",
    "LanguageSkill",
    "Location",
    "Match",
    "Matcher",
    "Override",
    "Pathway",
    "Placement",
    "Preferences",
    "ProfileError",
    "Pruning",
    "Ranking",
    "RequirementMatch",
    "Resolution",
    "ResolutionError",
    "ResolutionReport",
    "SKILL_LEVELS",
    "ScoringConfig",
    "SkillClaim",
    "SkillRelation",
    "SkillRequirement",
    "SkillResolver",
    "Support",
    "TableProblem",
    "TableReport",
    "Taxonomy",
    "TaxonomyError",
    "TaxonomyWarning",
    "TitleResolver",
    "UnjudgedVacancyWarning",
    "UnknownConcept",
    "UnknownConceptError",
    "Unplaced",
    "UnplacedExplanation",
    "Vacancy",
    "WorkAuthorisation",
    "__version__",
    "analysis",
    "is_concept_uri",
    "json_schema",
    "load_candidates",
    "load_vacancies",
    "normalise",
    "plots",
    "read_candidates",
    "read_columnar",
    "read_vacancies",
    "synth",
    "validate_cohort",
]
