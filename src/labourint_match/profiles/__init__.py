"""Candidate profiles, vacancies and cohorts: the validated input of matching.

The models are pydantic v2 models, frozen (a record cannot change once validated) and strict about
their shape (``extra="forbid"``: a misspelt field is an error, not silently dropped). Only ``id``
and ``skills`` are required, for a candidate and for a vacancy alike; every other field has a
default that means *unknown* (for a candidate) or *no requirement* (for a vacancy), so the simplest
record is one line::

    {"id": "c-001", "skills": ["welding", "http://data.europa.eu/esco/skill/…"]}

Skills
    A skill (``SkillClaim.skill``, ``SkillRequirement.skill``) is either a concept URI — any string
    shaped like an absolute IRI, ``scheme:rest`` without spaces (see :func:`is_concept_uri`) — or
    free text, kept exactly as given and resolved against a taxonomy later (``SkillResolver``).
    Occupations (``Experience.occupation``, ``Vacancy.occupation``, ``Preferences.occupations``)
    must be concept URIs; an experience or a vacancy without one is read from its ``title`` when
    matching (``TitleResolver``). A list of skills may hold plain strings for claims or
    requirements with default evidence, level and weight.
Proficiency
    ``SkillClaim.level`` and ``SkillRequirement.min_level`` use the five-step scale of
    :data:`SKILL_LEVELS` (1 novice … 5 expert, after Dreyfus); languages use the CEFR levels of
    :data:`CEFR_LEVELS` (``A1`` … ``C2``, also accepted in lower case).
Immutability
    List fields are stored as tuples (JSON arrays or Python lists are accepted as input), so a
    validated record is hashable and nothing reachable from it can be changed.
Bounds
    Numbers must be finite (NaN and infinity are refused) and not booleans (``true`` is not 1);
    strings are bounded (:data:`MAX_ID_LENGTH`, :data:`MAX_URI_LENGTH`,
    :data:`MAX_SKILL_TEXT_LENGTH`, :data:`MAX_TEXT_LENGTH`, :data:`MAX_CODE_LENGTH`), list
    fields hold at most :data:`MAX_ITEMS` entries, and at most :data:`MAX_SKILL_MENTIONS` of a
    record's skills may be free text (each one is resolved against the taxonomy). Ids are
    non-empty, have no leading or trailing whitespace and no control, invisible formatting or
    other default-ignorable characters (zero-width spaces, bidi marks, fillers, variation
    selectors). Ids are kept exactly as given (never re-normalised, so results join back to the
    caller's data); ids equal after Unicode NFC normalisation are duplicates within a cohort.
Privacy
    Validation errors never repeat what a record holds: models hide the input in pydantic's
    ``ValidationError``, and the cohort functions raise
    :class:`~labourint_match.errors.ProfileError` messages built only from the record's id (or
    line) and the field path. A key of the input is named only when it is a field name of the
    schema or a near miss of one (``langauges``); any other key (it could be a name or an
    e-mail address) is named by its position, ``<key 3>``. A ``ProfileError`` raised by the
    loaders carries no chained exception and no traceback frame of the library's that holds
    the file's text. ``AuditAttributes`` exist only for fairness reports
    (``analysis.disparity``); no scoring code reads them.

Cohorts are validated as a whole by :func:`validate_cohort` (unique ids; with a taxonomy, known
concept URIs of the right kind) and read from JSON Lines or JSON arrays by :func:`load_candidates`
and :func:`load_vacancies`. :func:`json_schema` gives the JSON Schema of both records for
integration tools.

Examples
--------
>>> from labourint_match.profiles import CandidateProfile, Vacancy
>>> person = CandidateProfile(id="c-001", skills=["welding"])
>>> person.skills[0].evidence, person.languages, person.work_authorisation.status
('self_declared', (), 'unknown')
>>> job = Vacancy(id="v-01", skills=["welding"])
>>> job.openings, job.skills[0].importance, job.skills[0].weight
(1, 'essential', 1.0)
"""

from __future__ import annotations

from ._cohorts import Cohort, UnknownConcept, validate_cohort
from ._cohorts import RecordT as RecordT
from ._cohorts import checked_records as checked_records
from ._columnar import ColumnarCohort
from ._fields import (
    CEFR_LEVELS,
    MAX_CODE_LENGTH,
    MAX_ID_LENGTH,
    MAX_ITEMS,
    MAX_SKILL_MENTIONS,
    MAX_SKILL_TEXT_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_URI_LENGTH,
    MAX_WEIGHT,
    MIN_NONZERO_COORDINATE,
    SKILL_LEVELS,
    CEFRLevel,
    Evidence,
    Hours,
    Importance,
    KnownNone,
    Recognition,
    WorkStatus,
    is_concept_uri,
)
from ._fields import Cefr as Cefr
from ._fields import Code as Code
from ._fields import ConceptUri as ConceptUri
from ._fields import CountryCode as CountryCode
from ._fields import FreeText as FreeText
from ._fields import Isced as Isced
from ._fields import IscedField as IscedField
from ._fields import LanguageCode as LanguageCode
from ._fields import Latitude as Latitude
from ._fields import Longitude as Longitude
from ._fields import Months as Months
from ._fields import RecordId as RecordId
from ._fields import SkillLevel as SkillLevel
from ._fields import SkillRef as SkillRef
from ._fields import Weight as Weight
from ._fields import Years as Years
from ._fields import id_problem as id_problem
from ._json_io import json_schema, load_candidates, load_vacancies
from ._json_io import record_error as record_error
from ._models import (
    AuditAttributes,
    CandidateProfile,
    Education,
    Experience,
    LanguageRequirement,
    LanguageSkill,
    Location,
    Preferences,
    SkillClaim,
    SkillRequirement,
    Support,
    Vacancy,
    WorkAuthorisation,
)

# Imported with "as" above and kept out of __all__ (helpers shared within the package, not API):
# checked_records (used by matcher and analysis), id_problem and record_error (used by
# distributed, and id_problem by tests/test_profiles.py); the field types (RecordId, SkillRef,
# ConceptUri … Longitude) and RecordT, importable from here when profiles was one module.
__all__ = [
    "CEFR_LEVELS",
    "MAX_CODE_LENGTH",
    "MAX_ID_LENGTH",
    "MAX_ITEMS",
    "MAX_SKILL_TEXT_LENGTH",
    "MAX_TEXT_LENGTH",
    "MAX_URI_LENGTH",
    "MAX_SKILL_MENTIONS",
    "MAX_WEIGHT",
    "MIN_NONZERO_COORDINATE",
    "SKILL_LEVELS",
    "AuditAttributes",
    "CEFRLevel",
    "CandidateProfile",
    "Cohort",
    "ColumnarCohort",
    "Education",
    "Evidence",
    "Experience",
    "Hours",
    "Importance",
    "KnownNone",
    "LanguageRequirement",
    "LanguageSkill",
    "Location",
    "Preferences",
    "Recognition",
    "SkillClaim",
    "SkillRequirement",
    "Support",
    "UnknownConcept",
    "Vacancy",
    "WorkAuthorisation",
    "WorkStatus",
    "is_concept_uri",
    "json_schema",
    "load_candidates",
    "load_vacancies",
    "validate_cohort",
]
