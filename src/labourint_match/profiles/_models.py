"""Profiles and vacancies: the record models, cohort checks and the JSON readers.

The package docstring (:mod:`labourint_match.profiles`) describes the rules the records follow.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import get_close_matches
from functools import cache, partial
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple, TypeVar, overload

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from ..errors import (
    ConfigError,
    DuplicateIdError,
    LabourintMatchError,
    ProfileError,
    UnknownConceptError,
)
from ..taxonomy import ConceptKind, Taxonomy

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

# -- bounds and scales ----------------------------------------------------------------------------

#: Longest record id (candidate, vacancy, employer), in characters.
MAX_ID_LENGTH = 200
#: Longest concept URI, in characters (ESCO URIs are under 100).
MAX_URI_LENGTH = 1000
#: Longest free-text skill mention, in characters.
MAX_SKILL_TEXT_LENGTH = 300
#: Longest free-text title (job title, qualification, vacancy title), in characters.
MAX_TEXT_LENGTH = 500
#: Longest short code or label (region code, audit labels), in characters.
MAX_CODE_LENGTH = 64
#: Most entries in one list field (skills, languages, education, …) of one record.
MAX_ITEMS = 2000
#: Most free-text skills (mentions, not concept URIs) in one record's ``skills``: each is resolved
#: against the taxonomy, at a few milliseconds apiece, so this bounds the work one record asks for.
#: A CV or a job ad names tens of skills; more go in as concept URIs (up to :data:`MAX_ITEMS`).
MAX_SKILL_MENTIONS = 100
#: Largest requirement weight (weights are summed in float32 by the scoring kernels).
MAX_WEIGHT = 1e6
#: Coordinates (degrees) closer to 0 than this (about 0.1 mm on the ground) are read as 0: the
#: distance between two points this close to the equator or the meridian underflows in floating
#: point, and the ranking kernels' pre-filters and the explanation would disagree on it.
MIN_NONZERO_COORDINATE = 1e-9

#: The CEFR levels, lowest first.
CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2")

#: The skill proficiency scale of ``SkillClaim.level`` and ``SkillRequirement.min_level``.
SKILL_LEVELS: Mapping[int, str] = {
    1: "novice",
    2: "advanced beginner",
    3: "competent",
    4: "proficient",
    5: "expert",
}

CEFRLevel = Literal["A1", "A2", "B1", "B2", "C1", "C2"]
Evidence = Literal["self_declared", "adviser_mapped", "validated", "certified"]
Importance = Literal["essential", "optional"]
Recognition = Literal["recognised", "pending", "partial", "not_recognised", "unknown"]
WorkStatus = Literal[
    "citizen",
    "eu_citizen",
    "permanent_resident",
    "refugee",
    "subsidiary_protection",
    "temporary_protection",
    "asylum_seeker_with_permit",
    "asylum_seeker_without_permit",
    "work_permit",
    "other",
    "unknown",
]
Hours = Literal["full_time", "part_time", "any"]
#: The lists a profile may declare known to be empty (``CandidateProfile.known_none``).
KnownNone = Literal["languages", "education", "experience"]
_Activity = Literal["listening", "reading", "spoken_interaction", "writing"]
_ACTIVITIES: tuple[_Activity, ...] = ("listening", "reading", "spoken_interaction", "writing")

# -- field checks ---------------------------------------------------------------------------------

# Absolute IRI shape (RFC 3987): a scheme, a colon, then no whitespace, controls or <>"{}|\^`.
_IRI = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.\-]*://|[Uu][Rr][Nn]:)[^\s\x00-\x1f\x7f-\x9f<>\"{}|\\^`]+"
)
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_TEXT_CONTROLS_ALLOWED = frozenset("\t\n\r")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
_COUNTRY_CODE = re.compile(r"[A-Z]{2,3}")
_ISCED_F = re.compile(r"\d{2}|\d{3}|\d{4}")


def is_concept_uri(text: str) -> bool:
    """Whether `text` is shaped like a concept URI (an absolute IRI) rather than free text.

    A concept URI is ``scheme://rest`` or ``urn:rest``, with no whitespace or control characters:
    ``http://data.europa.eu/esco/skill/…``, ``urn:ex:baking``. Anything else (``"forklift
    driving"``, ``"excel:advanced"``) is free text, to be resolved against a taxonomy.

    Examples
    --------
    >>> is_concept_uri("http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d")
    True
    >>> is_concept_uri("urn:ex:baking"), is_concept_uri("baking bread"), is_concept_uri("")
    (True, False, False)
    >>> is_concept_uri("excel:advanced")
    False
    """
    return isinstance(text, str) and _IRI.fullmatch(text) is not None


# Default-ignorable code points (Unicode DerivedCoreProperties) that are not of a category in
# _INVISIBLE: they render as nothing, so an id holding one looks like another id (or like none).
_IGNORABLE = frozenset(
    chr(cp)
    for first, last in (
        (0x034F, 0x034F),  # combining grapheme joiner
        (0x115F, 0x1160),  # Hangul choseong / jungseong fillers
        (0x17B4, 0x17B5),  # Khmer inherent vowels
        (0x180B, 0x180F),  # Mongolian free variation selectors
        (0x3164, 0x3164),  # Hangul filler
        (0xFE00, 0xFE0F),  # variation selectors
        (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
        (0xE0100, 0xE01EF),  # variation selectors supplement
    )
    for cp in range(first, last + 1)
)


def _has_invisible(text: str) -> bool:
    return any(unicodedata.category(ch) in _INVISIBLE or ch in _IGNORABLE for ch in text)


def _has_control(text: str, allowed: frozenset[str] = frozenset()) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def _id_problem(value: object) -> str | None:
    """What is wrong with `value` as a record id (``None`` when it is a usable id)."""
    if not isinstance(value, str):
        return "must be a string"
    if not value:
        return "must not be empty"
    if len(value) > MAX_ID_LENGTH:
        return f"must have at most {MAX_ID_LENGTH} characters"
    if value != value.strip():
        return "must not start or end with whitespace"
    if _has_invisible(value):
        return "must not contain control or invisible formatting characters"
    return None


def _check_id(value: str) -> str:
    problem = _id_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _check_skill(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty: give a concept URI or free text")
    if not is_concept_uri(value):
        if len(value) > MAX_SKILL_TEXT_LENGTH:
            raise ValueError(
                f"free-text skill must have at most {MAX_SKILL_TEXT_LENGTH} characters; "
                "give one skill per entry"
            )
        if _has_control(value):
            raise ValueError("must not contain control characters")
    return value


def _check_concept_uri(value: str) -> str:
    if not is_concept_uri(value):
        raise ValueError(
            "must be a concept URI (such as http://data.europa.eu/esco/occupation/…); "
            "resolve free text against the taxonomy first"
        )
    return value


def _check_text(value: str) -> str:
    if _has_control(value, _TEXT_CONTROLS_ALLOWED):
        raise ValueError("must not contain control characters other than tab and newline")
    return value


def _check_code(value: str) -> str:
    if not value.strip() or value != value.strip() or _has_invisible(value):
        raise ValueError(
            "must be a non-empty code without surrounding whitespace, control or invisible "
            "characters"
        )
    return value


def _snap_to_zero(value: float) -> float:
    # -0.0, subnormals and any |x| below the bound become 0.0 (see MIN_NONZERO_COORDINATE).
    return 0.0 if abs(value) < MIN_NONZERO_COORDINATE else value


def _not_bool(value: object) -> object:
    # pydantic's lax mode reads true/false as 1/0; in a count or a measure that is a data error
    # (a shifted column, a flag in the wrong field), not a number.
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    return value


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


def _check_language(value: str) -> str:
    if _LANGUAGE_CODE.fullmatch(value) is None:
        raise ValueError("must be an ISO 639 language code of 2 or 3 letters, such as 'ar' or 'sv'")
    return value


def _check_country(value: str) -> str:
    if _COUNTRY_CODE.fullmatch(value) is None:
        raise ValueError("must be an ISO 3166-1 country code of 2 or 3 letters, such as 'SE'")
    return value


def _check_isced_f(value: str) -> str:
    if _ISCED_F.fullmatch(value) is None:
        raise ValueError("must be an ISCED-F 2013 field code of 2, 3 or 4 digits, such as '0731'")
    return value


RecordId = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH), AfterValidator(_check_id)]
SkillRef = Annotated[
    str, Field(min_length=1, max_length=MAX_URI_LENGTH), AfterValidator(_check_skill)
]
ConceptUri = Annotated[
    str, Field(min_length=1, max_length=MAX_URI_LENGTH), AfterValidator(_check_concept_uri)
]
FreeText = Annotated[str, Field(max_length=MAX_TEXT_LENGTH), AfterValidator(_check_text)]
Code = Annotated[str, Field(min_length=1, max_length=MAX_CODE_LENGTH), AfterValidator(_check_code)]
LanguageCode = Annotated[
    str,
    BeforeValidator(_lower),
    Field(max_length=MAX_CODE_LENGTH),
    AfterValidator(_check_language),
]
CountryCode = Annotated[
    str,
    BeforeValidator(_upper),
    Field(max_length=MAX_CODE_LENGTH),
    AfterValidator(_check_country),
]
Cefr = Annotated[CEFRLevel, BeforeValidator(_upper)]
SkillLevel = Annotated[int, Field(ge=1, le=5), BeforeValidator(_not_bool)]
Isced = Annotated[int, Field(ge=0, le=8), BeforeValidator(_not_bool)]
IscedField = Annotated[str, Field(max_length=MAX_CODE_LENGTH), AfterValidator(_check_isced_f)]
Years = Annotated[float, Field(ge=0, le=100), BeforeValidator(_not_bool)]
Months = Annotated[int, Field(ge=0, le=1200), BeforeValidator(_not_bool)]
Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT), BeforeValidator(_not_bool)]
Latitude = Annotated[
    float, Field(ge=-90, le=90), BeforeValidator(_not_bool), AfterValidator(_snap_to_zero)
]
Longitude = Annotated[
    float, Field(ge=-180, le=180), BeforeValidator(_not_bool), AfterValidator(_snap_to_zero)
]


def _describe_from_docstring(schema: dict[str, Any], cls: type[Any]) -> None:
    # The JSON Schema gets the docstring's summary paragraph, not its numpydoc sections.
    doc = (cls.__doc__ or "").strip()
    if doc:
        schema["description"] = " ".join(doc.split("\n\n", 1)[0].split())


class _Record(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        hide_input_in_errors=True,
        str_max_length=MAX_URI_LENGTH,
        json_schema_extra=_describe_from_docstring,
    )


_L = TypeVar("_L", "LanguageSkill", "LanguageRequirement")
_S = TypeVar("_S", "SkillClaim", "SkillRequirement")


def _no_repeats(languages: tuple[_L, ...]) -> tuple[_L, ...]:
    seen: dict[str, int] = {}
    for i, entry in enumerate(languages):
        first = seen.setdefault(entry.language, i)
        if first != i:
            raise ValueError(
                f"entries {first} and {i} name the same language; give one entry per language"
            )
    return languages


# -- candidate ------------------------------------------------------------------------------------


class SkillClaim(_Record):
    """A skill a person has: a concept URI or free text, with evidence, level and experience.

    Examples
    --------
    >>> claim = SkillClaim(skill="forklift driving", evidence="certified", level=4, years=2.5)
    >>> claim.level, SKILL_LEVELS[claim.level]
    (4, 'proficient')
    """

    skill: SkillRef = Field(
        description="A concept URI, or free text to resolve against the taxonomy (kept as given)."
    )
    level: SkillLevel | None = Field(
        default=None,
        description="Proficiency, 1 (novice) to 5 (expert) as in SKILL_LEVELS; null: unknown.",
    )
    evidence: Evidence = Field(
        default="self_declared",
        description=(
            "How the claim is known: self_declared, adviser_mapped, validated (recognition of "
            "prior learning) or certified."
        ),
    )
    years: Years | None = Field(
        default=None, description="Years of practice, finite and >= 0; null: unknown."
    )


class LanguageSkill(_Record):
    """A language a person knows, with a CEFR level overall or per activity, or native.

    Per-activity levels (``listening``, ``reading``, ``spoken_interaction``, ``writing``) override
    the overall ``level`` for that activity; a language with no level at all is known to an unknown
    degree.

    Examples
    --------
    >>> arabic = LanguageSkill(language="AR", native=True)
    >>> arabic.language, arabic.level_for("writing")
    ('ar', 'C2')
    >>> swedish = LanguageSkill(language="sv", level="b1", spoken_interaction="B2")
    >>> swedish.level_for("reading"), swedish.level_for("spoken_interaction")
    ('B1', 'B2')
    """

    language: LanguageCode = Field(
        description="ISO 639-1 code (or 639-2/3 where 639-1 has none), lower case; nb/nn as given."
    )
    level: Cefr | None = Field(default=None, description="Overall CEFR level; null: unknown.")
    listening: Cefr | None = Field(default=None, description="CEFR level in listening.")
    reading: Cefr | None = Field(default=None, description="CEFR level in reading.")
    spoken_interaction: Cefr | None = Field(
        default=None, description="CEFR level in spoken interaction."
    )
    writing: Cefr | None = Field(default=None, description="CEFR level in writing.")
    native: bool = Field(default=False, description="A native (first) language; counts as C2.")

    def level_for(self, activity: str) -> CEFRLevel | None:
        """The level in one CEFR activity, or ``None`` when unknown.

        ``C2`` when native, else the activity's own level, else the overall level.

        Raises
        ------
        ConfigError
            `activity` is not one of ``listening``, ``reading``, ``spoken_interaction``,
            ``writing``.
        """
        own = _activity_level(self, activity)
        if self.native:
            return "C2"
        return own if own is not None else self.level


class Education(_Record):
    """A qualification: ISCED 2011 level, ISCED-F 2013 field, recognition in the host country.

    Examples
    --------
    >>> degree = Education(isced_level=6, field="0913", recognition="pending")
    >>> degree.isced_level, degree.recognition
    (6, 'pending')
    """

    isced_level: Isced = Field(description="ISCED 2011 level, 0 (early childhood) to 8 (doctoral).")
    field: IscedField | None = Field(
        default=None, description="ISCED-F 2013 field code of 2, 3 or 4 digits; null: unknown."
    )
    recognition: Recognition = Field(
        default="unknown",
        description="Recognition in the host country: recognised, pending, partial, "
        "not_recognised or unknown.",
    )
    title: FreeText | None = Field(default=None, description="The qualification as written.")


class Experience(_Record):
    """Work experience in an occupation, with its length in months.

    The occupation is a concept URI, or, when none is given, read from the job title as written
    (``TitleResolver``, when matching); give at least one of the two. With both, the URI counts.

    Examples
    --------
    >>> cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
    >>> Experience(occupation=cook, months=30).months
    30
    >>> Experience(title="Head Chef (m/f/d)", months=18).occupation is None
    True
    """

    occupation: ConceptUri | None = Field(
        default=None, description="Occupation concept URI; null: read from the title."
    )
    months: Months | None = Field(
        default=None, description="Length in months (0-1200); null: unknown."
    )
    title: FreeText | None = Field(
        default=None,
        description="The job title as written; read as an occupation when no URI is given.",
    )

    @model_validator(mode="after")
    def _occupation_or_title(self) -> Experience:
        if self.occupation is None and not (self.title and self.title.strip()):
            raise ValueError("give an occupation concept URI, a job title, or both")
        return self


class Location(_Record):
    """Where a person lives or a job is: coordinates (WGS 84), a region code, or both.

    The region code is any code the integration uses consistently (NUTS, ISO 3166-2, LAU); it is
    compared as given. A coordinate closer to 0 than :data:`MIN_NONZERO_COORDINATE` degrees
    (about 0.1 mm) is read as 0, so that rankings and explanations measure the same distance.

    Examples
    --------
    >>> Location(lat=59.33, lon=18.07).region is None
    True
    >>> Location(region="SE110").region
    'SE110'
    >>> Location(lat=5e-324, lon=-0.0).lat, Location(lat=5e-324, lon=-0.0).lon
    (0.0, 0.0)
    """

    lat: Latitude | None = Field(default=None, description="Latitude in degrees (WGS 84).")
    lon: Longitude | None = Field(default=None, description="Longitude in degrees (WGS 84).")
    region: Code | None = Field(default=None, description="A region code (NUTS, ISO 3166-2, …).")

    @model_validator(mode="after")
    def _coordinates_or_region(self) -> Location:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        if self.lat is None and self.region is None:
            raise ValueError("give coordinates (lat and lon), a region code, or both")
        return self


class WorkAuthorisation(_Record):
    """The right to work: a status and the dates between which work is allowed.

    The status serves only eligibility (may this person take this job on its start date); it is
    never a score factor. ``asylum_seeker_without_permit`` with a ``work_allowed_from`` date means
    work becomes allowed on that date (as when a permit follows a waiting period).

    Examples
    --------
    >>> from datetime import date
    >>> auth = WorkAuthorisation(status="asylum_seeker_without_permit",
    ...                          work_allowed_from=date(2025, 3, 1))
    >>> auth.may_work_on(date(2025, 2, 1)), auth.may_work_on(date(2025, 3, 1))
    (False, True)
    >>> WorkAuthorisation().may_work_on(date(2025, 1, 1)) is None  # unknown
    True
    """

    status: WorkStatus = Field(
        default="unknown",
        description="citizen, eu_citizen, permanent_resident, refugee, subsidiary_protection, "
        "temporary_protection, asylum_seeker_with_permit, asylum_seeker_without_permit, "
        "work_permit, other or unknown.",
    )
    work_allowed_from: date | None = Field(
        default=None, description="First day work is allowed; null: no such restriction known."
    )
    work_allowed_until: date | None = Field(
        default=None,
        description="Last day work is allowed (a permit's or temporary protection's end); "
        "null: no end known.",
    )

    @model_validator(mode="after")
    def _ordered_dates(self) -> WorkAuthorisation:
        if (
            self.work_allowed_from is not None
            and self.work_allowed_until is not None
            and self.work_allowed_until < self.work_allowed_from
        ):
            raise ValueError("work_allowed_until is before work_allowed_from")
        return self

    def may_work_on(self, day: date) -> bool | None:
        """Whether work is allowed on `day`: ``True``, ``False``, or ``None`` when unknown.

        Dates decide first (before ``work_allowed_from`` or after ``work_allowed_until``: no); then
        ``asylum_seeker_without_permit`` without a start date: no; ``unknown`` or ``other`` without
        dates: unknown; otherwise yes.
        """
        if self.work_allowed_from is not None and day < self.work_allowed_from:
            return False
        if self.work_allowed_until is not None and day > self.work_allowed_until:
            return False
        if self.status == "asylum_seeker_without_permit" and self.work_allowed_from is None:
            return False
        if (
            self.status in ("unknown", "other")
            and self.work_allowed_from is None
            and self.work_allowed_until is None
        ):
            return None
        return True


class Preferences(_Record):
    """What a person would like: occupations (concept URIs) and working hours.

    Examples
    --------
    >>> Preferences(hours="part_time").occupations
    ()
    """

    occupations: Annotated[tuple[ConceptUri, ...], Field(max_length=MAX_ITEMS)] = Field(
        default=(), description="Preferred occupation concept URIs; empty: no preference."
    )
    hours: Hours = Field(default="any", description="full_time, part_time or any.")


class AuditAttributes(_Record):
    """Personal attributes kept only for fairness reports (``analysis.disparity``).

    No scoring, ranking or assignment code reads them: changing them never changes a score. Every
    field is optional; labels (``gender``, ``age_band``, ``group``) are free short codes compared as
    given, country codes are ISO 3166-1 (upper-cased).

    Examples
    --------
    >>> AuditAttributes(gender="female", age_band="25-34", nationality="ua").nationality
    'UA'
    """

    gender: Code | None = Field(default=None, description="Gender label, as the integration codes.")
    age_band: Code | None = Field(default=None, description="Age band label, such as 25-34.")
    nationality: CountryCode | None = Field(default=None, description="ISO 3166-1 country code.")
    country_of_birth: CountryCode | None = Field(
        default=None, description="ISO 3166-1 country code."
    )
    disability: bool | None = Field(default=None, description="Declared disability; null: unknown.")
    group: Code | None = Field(
        default=None, description="Any further group label a fairness report should compare."
    )


def _few_mentions(skills: tuple[_S, ...]) -> tuple[_S, ...]:
    # Free text is resolved mention by mention (milliseconds each): bound it per record.
    n = sum(not is_concept_uri(item.skill) for item in skills)
    if n > MAX_SKILL_MENTIONS:
        raise ValueError(
            f"holds {n} free-text skills; a record may hold at most {MAX_SKILL_MENTIONS} "
            "(MAX_SKILL_MENTIONS): give the others as concept URIs (resolve them once with "
            "SkillResolver.resolve_many), or keep the record's main skills"
        )
    return skills


def _claims_from_text(value: object) -> object:
    # A plain string in a list of skills stands for a claim or requirement with its defaults.
    if isinstance(value, (list, tuple)):
        return [{"skill": item} if isinstance(item, str) else item for item in value]
    return value


_Claims = Annotated[
    tuple[SkillClaim, ...],
    Field(max_length=MAX_ITEMS),
    BeforeValidator(
        _claims_from_text,
        json_schema_input_type=Annotated[list[SkillClaim | str], Field(max_length=MAX_ITEMS)],
    ),
    AfterValidator(_few_mentions),
]


class CandidateProfile(_Record):
    """A person looking for work: skills, languages, education, experience, place, right to work.

    Refugees, asylum-seekers and domestic jobseekers share this one model. Only ``id`` (a
    pseudonymous id: never a name or a national identity number) and ``skills`` are required;
    every other field defaults to *unknown*.

    Examples
    --------
    >>> person = CandidateProfile(
    ...     id="c-002",
    ...     skills=[{"skill": "baking bread", "evidence": "validated", "years": 6}],
    ...     languages=[{"language": "uk", "native": True}, {"language": "sv", "level": "A2"}],
    ...     education=[{"isced_level": 3}],
    ...     location={"region": "SE110"},
    ...     work_authorisation={"status": "temporary_protection"},
    ... )
    >>> person.skills[0].evidence, person.languages[1].level, person.max_commute_km
    ('validated', 'A2', None)
    >>> CandidateProfile.model_validate_json(person.model_dump_json()) == person
    True
    """

    id: RecordId = Field(description="Pseudonymous id, unique within a cohort.")
    skills: _Claims = Field(
        description="Skill claims; a plain string is a self-declared claim of that skill."
    )
    languages: Annotated[tuple[LanguageSkill, ...], Field(max_length=MAX_ITEMS)] = Field(
        default=(), description="Languages, one entry per language; empty: unknown."
    )
    education: Annotated[tuple[Education, ...], Field(max_length=MAX_ITEMS)] = Field(
        default=(), description="Qualifications; empty: unknown."
    )
    experience: Annotated[tuple[Experience, ...], Field(max_length=MAX_ITEMS)] = Field(
        default=(), description="Work experience by occupation; empty: unknown."
    )
    location: Location | None = Field(default=None, description="Where the person lives.")
    max_commute_km: Annotated[float, Field(ge=0, le=40_000), BeforeValidator(_not_bool)] | None = (
        Field(default=None, description="Longest acceptable commute in km; null: unknown.")
    )
    work_authorisation: WorkAuthorisation = Field(
        default_factory=WorkAuthorisation, description="The right to work; default: unknown."
    )
    available_from: date | None = Field(
        default=None, description="First day the person can start; null: unknown."
    )
    preferences: Preferences = Field(
        default_factory=Preferences, description="Preferred occupations and hours."
    )
    known_none: tuple[KnownNone, ...] = Field(
        default=(),
        description="Lists known to be empty: 'languages', 'education', 'experience'. An empty "
        "list not named here is unknown (scored neutrally), one named here is known: none.",
    )
    audit: AuditAttributes | None = Field(
        default=None, description="Attributes for fairness reports only; never scored."
    )

    @field_validator("languages")
    @classmethod
    def _one_entry_per_language(cls, value: tuple[LanguageSkill, ...]) -> tuple[LanguageSkill, ...]:
        return _no_repeats(value)

    @field_validator("known_none")
    @classmethod
    def _known_none_once(cls, value: tuple[KnownNone, ...]) -> tuple[KnownNone, ...]:
        return tuple(sorted(set(value)))

    @model_validator(mode="after")
    def _known_none_is_empty(self) -> CandidateProfile:
        for name in self.known_none:
            if getattr(self, name):
                raise ValueError(
                    f"known_none names {name!r} but the profile lists {name}; leave it out of "
                    "known_none, or empty the list"
                )
        return self

    def recorded(self, field: KnownNone) -> bool:
        """Whether the profile records `field`: a non-empty list, or one known to be empty.

        Examples
        --------
        >>> CandidateProfile(id="c-1", skills=[]).recorded("experience")
        False
        >>> CandidateProfile(id="c-1", skills=[], known_none=["experience"]).recorded("experience")
        True
        """
        return bool(getattr(self, field)) or field in self.known_none


# -- vacancy --------------------------------------------------------------------------------------


class SkillRequirement(_Record):
    """A skill a vacancy asks for: essential or optional, with a minimum level and a weight.

    Examples
    --------
    >>> req = SkillRequirement(skill="urn:ex:baking", importance="optional", weight=0.5)
    >>> req.importance, req.min_level, req.weight
    ('optional', None, 0.5)
    """

    skill: SkillRef = Field(
        description="A concept URI, or free text to resolve against the taxonomy (kept as given)."
    )
    importance: Importance = Field(default="essential", description="essential or optional.")
    min_level: SkillLevel | None = Field(
        default=None, description="Minimum proficiency on the 1-5 scale; null: any."
    )
    weight: Weight = Field(
        default=1.0, description=f"Relative weight, finite, 0 to {MAX_WEIGHT:g}."
    )


class LanguageRequirement(_Record):
    """A language a vacancy asks for, with a minimum CEFR level overall or per activity.

    A per-activity minimum overrides the overall one for that activity; with no level at all, any
    knowledge of the language is enough.

    Examples
    --------
    >>> req = LanguageRequirement(language="sv", level="B1", writing="A2")
    >>> req.level_for("listening"), req.level_for("writing")
    ('B1', 'A2')
    """

    language: LanguageCode = Field(description="ISO 639 code, lower case.")
    level: Cefr | None = Field(default=None, description="Minimum overall CEFR level.")
    listening: Cefr | None = Field(default=None, description="Minimum level in listening.")
    reading: Cefr | None = Field(default=None, description="Minimum level in reading.")
    spoken_interaction: Cefr | None = Field(
        default=None, description="Minimum level in spoken interaction."
    )
    writing: Cefr | None = Field(default=None, description="Minimum level in writing.")
    importance: Importance = Field(default="essential", description="essential or optional.")

    def level_for(self, activity: str) -> CEFRLevel | None:
        """The minimum level in one CEFR activity (its own, else the overall), or ``None``.

        Raises
        ------
        ConfigError
            `activity` is not a CEFR activity.
        """
        own = _activity_level(self, activity)
        return own if own is not None else self.level


def _activity_level(entry: LanguageSkill | LanguageRequirement, activity: str) -> CEFRLevel | None:
    if activity not in _ACTIVITIES:
        raise ConfigError(f"activity must be one of {', '.join(_ACTIVITIES)}")
    level: CEFRLevel | None = getattr(entry, activity)
    return level


class Support(_Record):
    """What an employer offers a newcomer: mentor, wage subsidy, on-the-job or language training.

    Examples
    --------
    >>> Support(mentor=True).language_training
    False
    """

    mentor: bool = Field(default=False, description="A workplace mentor.")
    wage_subsidy: bool = Field(default=False, description="A subsidised wage.")
    on_the_job_training: bool = Field(default=False, description="Training on the job.")
    language_training: bool = Field(default=False, description="Language training.")


_Requirements = Annotated[
    tuple[SkillRequirement, ...],
    Field(max_length=MAX_ITEMS),
    BeforeValidator(
        _claims_from_text,
        json_schema_input_type=Annotated[list[SkillRequirement | str], Field(max_length=MAX_ITEMS)],
    ),
    AfterValidator(_few_mentions),
]


class Vacancy(_Record):
    """A job opening: the skills, languages and education it asks for, and what it offers.

    Only ``id`` and ``skills`` are required; every other field defaults to *no requirement*
    (``openings`` to 1).

    Examples
    --------
    >>> cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
    >>> job = Vacancy(
    ...     id="v-02", occupation=cook, openings=3,
    ...     skills=["baking bread", {"skill": "food safety", "importance": "optional"}],
    ...     languages=[{"language": "sv", "level": "A2"}],
    ...     support={"mentor": True, "language_training": True},
    ... )
    >>> [r.importance for r in job.skills], job.support.mentor, job.min_isced
    (['essential', 'optional'], True, None)
    """

    id: RecordId = Field(description="Vacancy id, unique within a cohort.")
    employer_id: RecordId | None = Field(default=None, description="Employer id.")
    occupation: ConceptUri | None = Field(
        default=None,
        description="Occupation concept URI; null: read from the title, or unspecified.",
    )
    title: FreeText | None = Field(default=None, description="The job title as advertised.")
    skills: _Requirements = Field(
        description="Skill requirements; a plain string is an essential requirement of weight 1."
    )
    languages: Annotated[tuple[LanguageRequirement, ...], Field(max_length=MAX_ITEMS)] = Field(
        default=(), description="Language requirements, one per language; empty: none."
    )
    min_isced: Isced | None = Field(
        default=None, description="Minimum ISCED level (0-8); null: none."
    )
    min_experience_months: Months | None = Field(
        default=None,
        description="Minimum months of experience in the occupation or a neighbour; null: none.",
    )
    location: Location | None = Field(default=None, description="Where the work is.")
    remote: bool = Field(default=False, description="The work can be done remotely.")
    openings: Annotated[int, Field(ge=0, le=1_000_000), BeforeValidator(_not_bool)] = Field(
        default=1, description="Number of people to hire (capacity), >= 0."
    )
    start_date: date | None = Field(default=None, description="Start date; null: at once.")
    hours: Hours = Field(default="any", description="full_time, part_time or any.")
    support: Support = Field(default_factory=Support, description="Support offered; default: none.")

    @field_validator("languages")
    @classmethod
    def _one_entry_per_language(
        cls, value: tuple[LanguageRequirement, ...]
    ) -> tuple[LanguageRequirement, ...]:
        return _no_repeats(value)


# -- cohorts --------------------------------------------------------------------------------------

RecordT = TypeVar("RecordT", CandidateProfile, Vacancy)


class UnknownConcept(NamedTuple):
    """A concept URI of a record that the taxonomy does not hold (reported in lenient mode)."""

    record: str
    """The record's id."""
    field: str
    """The field, dotted (``skills.2.skill``)."""
    uri: str
    """The URI."""


@dataclass(frozen=True, repr=False)
class Cohort(Sequence[RecordT]):
    """A validated cohort of candidates or vacancies: a read-only sequence of records.

    Returned by :func:`validate_cohort`, :func:`load_candidates` and :func:`load_vacancies`. It
    behaves as a tuple of its records; ``unknown_concepts`` reports the concept URIs the taxonomy
    does not hold when the cohort was validated in lenient mode.

    Examples
    --------
    >>> cohort = validate_cohort([CandidateProfile(id="a", skills=["cooking"])])
    >>> len(cohort), cohort.ids, cohort[0].id, cohort.unknown_concepts
    (1, ('a',), 'a', ())
    """

    records: tuple[RecordT, ...]
    unknown_concepts: tuple[UnknownConcept, ...] = ()
    source: str | None = None

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[RecordT]:
        return iter(self.records)

    @overload
    def __getitem__(self, index: int) -> RecordT: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[RecordT, ...]: ...

    def __getitem__(self, index: int | slice) -> RecordT | tuple[RecordT, ...]:
        return self.records[index]

    @property
    def ids(self) -> tuple[str, ...]:
        """The records' ids, in order."""
        return tuple(r.id for r in self.records)

    def __repr__(self) -> str:
        kind = type(self.records[0]).__name__ if self.records else "empty"
        n_unknown = len(self.unknown_concepts)
        unknown = f", {n_unknown} unknown concepts" if n_unknown else ""
        source = f" from {self.source!r}" if self.source else ""
        return f"<Cohort: {len(self.records)} records ({kind}){source}{unknown}>"


_SKILL_KINDS = frozenset({ConceptKind.SKILL, ConceptKind.SKILL_GROUP, ConceptKind.OTHER})
_OCCUPATION_KINDS = frozenset(
    {ConceptKind.OCCUPATION, ConceptKind.OCCUPATION_GROUP, ConceptKind.OTHER}
)


def _concept_refs(record: CandidateProfile | Vacancy) -> Iterator[tuple[str, int, str, bool]]:
    """Every concept reference of a record: ``(field, index, text, is an occupation field)``.

    Skills may be free text (resolved later); the caller tells them apart. The dotted field path
    is built only when a message needs it (see :func:`_field_path_of`).
    """
    if isinstance(record, Vacancy) and record.occupation is not None:
        yield "occupation", -1, record.occupation, True
    skills: tuple[SkillClaim | SkillRequirement, ...] = record.skills
    for i, item in enumerate(skills):
        yield "skills", i, item.skill, False
    if isinstance(record, CandidateProfile):
        for i, exp in enumerate(record.experience):
            if exp.occupation is not None:
                yield "experience", i, exp.occupation, True
        for i, uri in enumerate(record.preferences.occupations):
            yield "preferences.occupations", i, uri, True


def _field_path_of(field: str, index: int) -> str:
    if index < 0:
        return field
    if field == "skills":
        return f"skills.{index}.skill"
    if field == "experience":
        return f"experience.{index}.occupation"
    return f"{field}.{index}"


def _verdict(
    taxonomy: Taxonomy, text: str, is_occupation: bool, has_occupations: bool
) -> str | None:
    """None when `text` is fine here; "unknown" for an unknown URI; else the kind problem."""
    if not is_occupation and not is_concept_uri(text):
        return None  # free text, resolved later
    if text not in taxonomy:
        return "unknown"
    kind = taxonomy.kind(text)
    if is_occupation and has_occupations and kind not in _OCCUPATION_KINDS:
        expected = "an occupation"
    elif not is_occupation and kind not in _SKILL_KINDS:
        expected = "a skill"
    else:
        return None
    return f"names a concept of kind {kind.value!r} where {expected} is expected"


def _check_cohort(
    records: Sequence[RecordT],
    names: Callable[[int], str],
    positions: Callable[[int], str],
    *,
    taxonomy: Taxonomy | None,
    lenient: bool,
    source: str | None,
) -> Cohort[RecordT]:
    # Unique ids and, with a taxonomy, known concepts of the right kind. `names(i)` labels record i
    # in messages; `positions(i)` says where it is ("line 3 of x.jsonl", "item 0"). A cohort that
    # passes (the usual case) is checked field by field over the whole cohort, each distinct text
    # once; one that does not is checked record by record, for the first problem or the report.
    if _passes(records, taxonomy):
        return Cohort(tuple(records), (), source)
    seen: dict[str, int] = {}
    unknown: list[UnknownConcept] = []
    has_occupations = taxonomy is not None and taxonomy.counts()["occupation"] > 0
    memo: dict[tuple[str, bool], str | None] = {}
    # The same verdicts by text, one table per field kind, for the fast pass over a record.
    fine: tuple[set[str], set[str]] = (set(), set())
    for i, record in enumerate(records):
        key = unicodedata.normalize("NFC", record.id)
        first = seen.setdefault(key, i)
        if first != i:
            note = "" if records[first].id == record.id else " (equal after Unicode normalisation)"
            raise DuplicateIdError(
                f"this id is also used by the record at {positions(first)}{note}; "
                "ids must be unique within a cohort",
                record=names(i),
                field="id",
            )
        if taxonomy is None:
            continue
        if _all_fine(record, fine, taxonomy, has_occupations):
            continue
        for field, index, text, is_occupation in _concept_refs(record):
            mkey = (text, is_occupation)
            if mkey not in memo:
                memo[mkey] = _verdict(taxonomy, text, is_occupation, has_occupations)
            problem = memo[mkey]
            if problem is None:
                continue
            path = _field_path_of(field, index)
            if problem == "unknown":
                if not lenient:
                    raise UnknownConceptError(text, record=names(i), field=path)
                unknown.append(UnknownConcept(record.id, path, text))
                continue
            raise ProfileError(problem, record=names(i), field=path)
    return Cohort(tuple(records), tuple(unknown), source)


_ID = attrgetter("id")
_SKILLS = attrgetter("skills")
_SKILL = attrgetter("skill")
_OCCUPATION = attrgetter("occupation")


def _passes(records: Sequence[CandidateProfile | Vacancy], taxonomy: Taxonomy | None) -> bool:
    """Whether the record-by-record check of `_check_cohort` would find nothing to report.

    Ids unique after NFC normalisation and, with a taxonomy, every distinct text of the skill
    fields and of the occupation fields passing :func:`_verdict`. Ids and skill texts are read for
    the whole cohort through ``map`` (C-level loops), occupations through generators.
    """
    keys = set(map(partial(unicodedata.normalize, "NFC"), map(_ID, records)))
    if len(keys) != len(records):
        return False
    if taxonomy is None:
        return True
    has_occupations = taxonomy.counts()["occupation"] > 0
    skills = set(map(_SKILL, chain.from_iterable(map(_SKILLS, records))))
    candidates = [r for r in records if isinstance(r, CandidateProfile)]
    occupations = set(map(_OCCUPATION, chain.from_iterable(r.experience for r in candidates)))
    occupations.discard(None)  # an experience given by its title only
    occupations.update(chain.from_iterable(r.preferences.occupations for r in candidates))
    occupations.update(
        r.occupation for r in records if isinstance(r, Vacancy) and r.occupation is not None
    )
    return all(_verdict(taxonomy, text, False, has_occupations) is None for text in skills) and all(
        _verdict(taxonomy, text, True, has_occupations) is None for text in occupations
    )


def _all_fine(
    record: CandidateProfile | Vacancy,
    fine: tuple[set[str], set[str]],
    taxonomy: Taxonomy,
    has_occupations: bool,
) -> bool:
    """Whether every concept reference of `record` passes (the fast pass of _check_cohort).

    `fine` holds the texts known to pass in skill fields and in occupation fields; it grows here.
    False sends the record through the full check, which reports the first problem.
    """
    skills_ok, occupations_ok = fine
    for item in record.skills:
        text = item.skill
        if text not in skills_ok:
            if _verdict(taxonomy, text, False, has_occupations) is not None:
                return False
            skills_ok.add(text)
    if isinstance(record, Vacancy):
        occupations: tuple[str, ...] = () if record.occupation is None else (record.occupation,)
    else:
        occupations = (
            *(exp.occupation for exp in record.experience if exp.occupation is not None),
            *record.preferences.occupations,
        )
    for text in occupations:
        if text not in occupations_ok:
            if _verdict(taxonomy, text, True, has_occupations) is not None:
                return False
            occupations_ok.add(text)
    return True


def _check_options(taxonomy: object, lenient: object) -> None:
    if taxonomy is not None and not isinstance(taxonomy, Taxonomy):
        raise ConfigError(f"taxonomy must be a Taxonomy or None, not {type(taxonomy).__name__}")
    if not isinstance(lenient, bool):
        raise ConfigError(f"lenient must be True or False, not {type(lenient).__name__}")


def checked_records(records: Iterable[RecordT], model: type[RecordT], what: str) -> tuple[
    RecordT, ...
]:  # fmt: skip
    """`records` as a tuple of `model` instances, or a ProfileError naming the problem.

    `what` names the argument in messages (``"candidates"``). Used by the cohort-level entry
    points before :func:`validate_cohort`. An empty cohort is not an error (DESIGN §9): it gives
    an empty result.
    """
    if isinstance(records, (BaseModel, str, bytes, Mapping)):
        raise ProfileError(
            f"{what} must be a list of {model.__name__}, not a single record "
            f"({type(records).__name__})"
        )
    try:
        items = tuple(records)
    except TypeError:
        raise ProfileError(
            f"{what} must be a list of {model.__name__}, not {type(records).__name__}"
        ) from None
    if all(issubclass(kind, model) for kind in set(map(type, items))):
        return items  # every item a `model` (the loop below would find nothing)
    for i, item in enumerate(items):
        if not isinstance(item, model):
            raise ProfileError(
                f"is a {type(item).__name__}, not a {model.__name__}", record=f"{what} item {i}"
            )
    return items


def validate_cohort(
    records: Iterable[RecordT], *, taxonomy: Taxonomy | None = None, lenient: bool = False
) -> Cohort[RecordT]:
    r"""Validate a cohort built in Python: one record type, unique ids, known concepts.

    The loaders run the same checks, so a cohort is held to the same rules whether it comes from
    a file or from code. Nothing passed in is changed.

    Parameters
    ----------
    records
        :class:`CandidateProfile` or :class:`Vacancy` objects (not both).
    taxonomy
        When given, every concept URI (skills, occupations) must be in it, and of a fitting kind:
        a skill field must not name an occupation, and an occupation field must not name a skill
        (checked when the taxonomy has occupation concepts). Free-text skills are not checked.
    lenient
        Report concept URIs the taxonomy does not hold in ``Cohort.unknown_concepts`` instead of
        raising. A concept of the wrong kind is an error either way.

    Returns
    -------
    Cohort
        The records, in order, with the lenient-mode report.

    Raises
    ------
    DuplicateIdError
        Two records share an id (compared after Unicode NFC normalisation).
    UnknownConceptError
        A concept URI the taxonomy does not hold (unless `lenient`).
    ProfileError
        An item is not a profile or vacancy, the two are mixed, or a URI names the wrong kind.
    ConfigError
        `taxonomy` or `lenient` is of the wrong type.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> taxonomy = Taxonomy.default()
    >>> cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
    >>> people = [
    ...     CandidateProfile(id="a", skills=["cooking"], experience=[{"occupation": cook}]),
    ...     CandidateProfile(id="b", skills=["http://data.europa.eu/esco/skill/no-such-skill"]),
    ... ]
    >>> cohort = validate_cohort(people, taxonomy=taxonomy, lenient=True)
    >>> cohort.unknown_concepts[0][:2]
    ('b', 'skills.0.skill')
    >>> from labourint_match.errors import DuplicateIdError
    >>> try:
    ...     validate_cohort(people + [people[0]])
    ... except DuplicateIdError as err:
    ...     print(err.record, err.field, err.message, sep="\n")
    a
    id
    this id is also used by the record at item 0; ids must be unique within a cohort
    """
    _check_options(taxonomy, lenient)
    if isinstance(records, (BaseModel, str, bytes, Mapping)):
        raise ProfileError(
            f"records must be a list of profiles or vacancies, not a single "
            f"{type(records).__name__}"
        )
    try:
        items = tuple(records)
    except TypeError:
        raise ProfileError(
            f"records must be a list of profiles or vacancies, not {type(records).__name__}"
        ) from None
    kinds = set(map(type, items))
    one_kind = len(kinds) == 1 and kinds <= {CandidateProfile, Vacancy}  # nothing to report below
    kind: type[BaseModel] | None = None
    for i, item in enumerate(() if one_kind else items):
        if not isinstance(item, (CandidateProfile, Vacancy)):
            raise ProfileError(
                f"is a {type(item).__name__}, not a CandidateProfile or Vacancy; build records "
                "with CandidateProfile(...) or Vacancy(...), or read them with load_candidates or "
                "load_vacancies",
                record=f"item {i}",
            )
        if kind is None:
            kind = CandidateProfile if isinstance(item, CandidateProfile) else Vacancy
        elif not isinstance(item, kind):
            raise ProfileError(
                f"is a {type(item).__name__} but item 0 is a {kind.__name__}; a cohort holds "
                "candidates or vacancies, not both",
                record=f"item {i}",
            )
    return _check_cohort(
        items,
        lambda i: items[i].id,
        "item {}".format,
        taxonomy=taxonomy,
        lenient=lenient,
        source=None,
    )


# -- JSON -----------------------------------------------------------------------------------------

PathLike = str | os.PathLike[str]


def json_schema() -> dict[str, Any]:
    """The JSON Schemas (draft 2020-12) of a candidate and of a vacancy record.

    Each model also gives its own with ``model_json_schema()``.

    Examples
    --------
    >>> schema = json_schema()
    >>> sorted(schema)
    ['candidate', 'vacancy']
    >>> schema["candidate"]["required"], schema["vacancy"]["required"]
    (['id', 'skills'], ['id', 'skills'])
    """
    dialect = "https://json-schema.org/draft/2020-12/schema"
    return {
        "candidate": {"$schema": dialect, **CandidateProfile.model_json_schema()},
        "vacancy": {"$schema": dialect, **Vacancy.model_json_schema()},
    }


def load_candidates(
    path: PathLike, *, taxonomy: Taxonomy | None = None, lenient: bool = False
) -> Cohort[CandidateProfile]:
    r"""Read candidate profiles from a JSON Lines file or a JSON array, and validate the cohort.

    Parameters
    ----------
    path
        A local UTF-8 file (a byte-order mark is allowed). JSON Lines: one JSON object per line,
        blank lines skipped. JSON array: a file whose first non-blank character is ``[``.
    taxonomy, lenient
        As in :func:`validate_cohort`.

    Returns
    -------
    Cohort
        The profiles, in file order.

    Raises
    ------
    ProfileError
        The file cannot be read, is not UTF-8 or JSON, or a record is invalid. The message names
        the line (or array item), the record's id when it is readable, and the field — never the
        values the record holds.
    DuplicateIdError, UnknownConceptError
        As in :func:`validate_cohort`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "people.jsonl").write_text(
    ...     '{"id": "c-1", "skills": ["welding"]}\n'
    ...     '\n'
    ...     '{"id": "c-2", "skills": [{"skill": "cooking", "years": 3}]}\n', encoding="utf-8")
    >>> load_candidates(folder / "people.jsonl").ids
    ('c-1', 'c-2')
    >>> _ = (folder / "bad.jsonl").write_text(
    ...     '{"id": "c-3", "skills": [{"skill": "cooking", "years": -1}]}\n', encoding="utf-8")
    >>> from labourint_match.errors import ProfileError
    >>> try:
    ...     load_candidates(folder / "bad.jsonl")
    ... except ProfileError as err:
    ...     print(err.record, err.field, err.message, sep="\n")
    c-3 (line 1 of bad.jsonl)
    skills.0.years
    must be greater than or equal to 0
    """
    return _load(path, CandidateProfile, taxonomy=taxonomy, lenient=lenient)


def load_vacancies(
    path: PathLike, *, taxonomy: Taxonomy | None = None, lenient: bool = False
) -> Cohort[Vacancy]:
    """Read vacancies from a JSON Lines file or a JSON array, and validate the cohort.

    Parameters, return value and errors are as in :func:`load_candidates`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "jobs.json"
    >>> _ = path.write_text('''[
    ...   {"id": "v-1", "skills": ["welding"], "openings": 2},
    ...   {"id": "v-2", "skills": ["cooking"], "openings": -1}
    ... ]''', encoding="utf-8")
    >>> from labourint_match.errors import ProfileError
    >>> try:
    ...     load_vacancies(path)
    ... except ProfileError as err:
    ...     print(err)
    record v-2 (item 2, line 3 of jobs.json), field 'openings': must be greater than or equal to 0
    """
    return _load(path, Vacancy, taxonomy=taxonomy, lenient=lenient)


class _RepeatedKeyError(Exception):
    def __init__(self, key: str, position: int) -> None:
        self.key = key
        self.position = position


def _object_without_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for position, (key, _) in enumerate(pairs, start=1):
            if key in seen:
                raise _RepeatedKeyError(key, position)
            seen.add(key)
    return obj


_DECODER = json.JSONDecoder(object_pairs_hook=_object_without_repeats)
_JSON_SPACE = " \t\n\r"


def _json_error(exc: BaseException, where: str) -> ProfileError:
    """A ProfileError for JSON that cannot be read; never quotes the text."""
    if isinstance(exc, _RepeatedKeyError):
        key = (
            f"the key {exc.key!r}"
            if _shown_key(exc.key)
            else f"a key (key {exc.position} of the object; its name is not shown)"
        )
        return ProfileError(f"a JSON object repeats {key}; give each field once", record=where)
    if isinstance(exc, json.JSONDecodeError):
        return ProfileError(
            f"is not valid JSON ({exc.msg} at column {exc.colno}); each line must hold one JSON "
            "object (JSON Lines), or the whole file one JSON array",
            record=where,
        )
    if isinstance(exc, RecursionError):
        return ProfileError("is not usable JSON: it is nested too deeply", record=where)
    return ProfileError(
        "is not usable JSON: a value cannot be read (such as a number with thousands of digits)",
        record=where,
    )


def _read_text(path: PathLike) -> tuple[str, str]:
    if not isinstance(path, (str, os.PathLike)):
        raise ConfigError(f"path must be a str or os.PathLike, not {type(path).__name__}")
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise ProfileError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise ProfileError(f"{file}: is a directory, not a file") from None
    except OSError as exc:
        raise ProfileError(f"{file}: cannot read the file ({exc.strerror})") from None
    except ValueError:  # a NUL character in the path
        raise ProfileError(f"{str(file)[:200]!r}: not a usable file name") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ProfileError(
            "is not valid UTF-8; save the file as UTF-8", record=f"line {line} of {file.name}"
        ) from None
    return file.name, text.removeprefix("\ufeff")


def _parse(text: str, name: str) -> Iterator[tuple[str, Any]]:
    """The file's JSON values with their positions (``line 3 of x.jsonl``, ``item 2, line 5 …``)."""
    start = len(text) - len(text.lstrip(_JSON_SPACE))
    if text.startswith("[", start):
        yield from _parse_array(text, start + 1, name)
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"line {number} of {name}"
        try:
            value = _DECODER.decode(line)
        except (_RepeatedKeyError, ValueError, RecursionError) as exc:
            raise _json_error(exc, where) from None
        yield where, value


def _parse_array(text: str, pos: int, name: str) -> Iterator[tuple[str, Any]]:
    line, counted = 1, 0

    def line_at(index: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, index)
        counted = index
        return line

    def skip(index: int) -> int:
        while index < len(text) and text[index] in _JSON_SPACE:
            index += 1
        return index

    pos = skip(pos)
    if text.startswith("]", pos):
        pos += 1
    else:
        item = 0
        while True:
            item += 1
            where = f"item {item}, line {line_at(pos)} of {name}"
            try:
                value, pos = _DECODER.raw_decode(text, pos)
            except (_RepeatedKeyError, ValueError, RecursionError) as exc:
                raise _json_error(exc, where) from None
            yield where, value
            pos = skip(pos)
            if text.startswith(",", pos):
                pos = skip(pos + 1)
                continue
            if text.startswith("]", pos):
                pos += 1
                break
            raise ProfileError(
                "is not valid JSON: expected ',' or ']' after an array item",
                record=f"line {line_at(pos)} of {name}",
            )
    if skip(pos) != len(text):
        raise ProfileError(
            "is not valid JSON: there is more after the closing ']' of the array",
            record=f"line {line_at(skip(pos))} of {name}",
        )


_PLAIN_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")
_SHOULD = re.compile(r"^(?:Input|String|Value|List|Tuple|Date|Object) should ")
_WITHHELD = "<key {}>"


@cache
def _schema_fields() -> frozenset[str]:
    """The field names of every record model (CandidateProfile, Vacancy and their parts)."""
    names: set[str] = set()
    todo: list[type[_Record]] = [_Record]
    while todo:
        for sub in todo.pop().__subclasses__():
            names.update(sub.model_fields)
            todo.append(sub)
    return frozenset(names)


def _shown_key(key: object) -> bool:
    """Whether a record's key may be named in a message.

    Only a field name of the schema (in any case) or a near miss of one (a misspelling such as
    ``langauges``) is named. Any other key is withheld: keys are the caller's data, and a
    mis-built record can carry a name, an e-mail address or an identity number as a key.
    """
    if not isinstance(key, str) or _PLAIN_KEY.fullmatch(key) is None:
        return False
    low = key.lower()
    names = _schema_fields()
    return low in names or bool(get_close_matches(low, names, n=1, cutoff=0.8))


def _loc_part(part: str | int, position: int | None = None) -> str:
    """One step of a field path: a list index, or a key where :func:`_shown_key` allows.

    `position` (1-based, among the object's keys) says the step is a key, and names it when
    withheld (``<key 3>``).
    """
    if isinstance(part, int) and position is None:
        return str(part)
    if _shown_key(part):
        return str(part)
    return "<a key>" if position is None else f"<key {position}>"


def _field_path(loc: tuple[str | int, ...], value: object = None) -> str | None:
    """The dotted path of an error's location.

    `value` is the record as read; with it, a withheld key is named by its position.
    """
    parts: list[str] = []
    node = value
    for part in loc:
        if isinstance(node, Mapping):
            position = next((i for i, key in enumerate(node, start=1) if key == part), None)
            parts.append(_loc_part(part, position))
            node = node.get(part)
        elif isinstance(node, (list, tuple)) and isinstance(part, int):
            parts.append(str(part))
            node = node[part] if 0 <= part < len(node) else None
        else:
            parts.append(_loc_part(part))
            node = None
    return ".".join(parts) or None


def _error_text(error: ErrorDetails, withheld: bool = False) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden" and withheld:
        return (
            "is not a field of this record (its name is not shown: a key that is not a field "
            "name may hold personal data); remove it, or check the record's keys against "
            "json_schema()"
        )
    if kind == "extra_forbidden":
        return "is not a field of this record; check its spelling against json_schema()"
    if kind == "finite_number":
        return "must be a finite number (NaN and infinity are refused)"
    if kind == "tuple_type":
        return "must be a list (a JSON array)"
    message = error["msg"]
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    return _SHOULD.sub("must ", message)


_MAX_ERRORS_SHOWN = 5


def _record_error(exc: ValidationError, record: str, value: object = None) -> ProfileError:
    """A ProfileError for a record that failed validation: the first few problems by field.

    `value` is the record as read (a dict); it only serves to name a withheld key by position.
    """
    # include_input=False: pydantic's error details never hold the record's values.
    errors = exc.errors(include_url=False, include_context=False, include_input=False)
    paths = [_field_path(e["loc"], value) for e in errors[:_MAX_ERRORS_SHOWN]]
    texts = [
        _error_text(e, withheld=path is not None and path.endswith(">"))
        for e, path in zip(errors, paths)  # noqa: B905 (paths is a prefix of errors)
    ]
    message = texts[0]
    others = [
        f"field {path!r}: {text}" if path else text
        for path, text in zip(paths[1:], texts[1:], strict=True)
    ]
    if others:
        message += "; also " + "; ".join(others)
    if len(errors) > _MAX_ERRORS_SHOWN:
        message += f"; and {len(errors) - _MAX_ERRORS_SHOWN} more problems"
    return ProfileError(message, record=record, field=paths[0])


def _load(
    path: PathLike, model: type[RecordT], *, taxonomy: Taxonomy | None, lenient: bool
) -> Cohort[RecordT]:
    try:
        return _read_cohort(path, model, taxonomy=taxonomy, lenient=lenient)
    except LabourintMatchError as err:
        # The frames below (and any exception chained to `err`) hold the file's text: raise the
        # error without them, so that a logger or debugger that keeps it keeps no profile content.
        err.__cause__ = err.__context__ = None
        err.__suppress_context__ = True
        raise err.with_traceback(None) from None


def _read_cohort(
    path: PathLike, model: type[RecordT], *, taxonomy: Taxonomy | None, lenient: bool
) -> Cohort[RecordT]:
    _check_options(taxonomy, lenient)
    name, text = _read_text(path)
    records: list[RecordT] = []
    names: list[str] = []
    positions: list[str] = []
    for where, value in _parse(text, name):
        if not isinstance(value, dict):
            raise ProfileError(f"must be a JSON object, not {_json_type(value)}", record=where)
        raw_id = value.get("id")
        label = f"{raw_id} ({where})" if _id_problem(raw_id) is None else where
        try:
            record = model.model_validate(value)
        except ValidationError as exc:
            raise _record_error(exc, label, value) from None
        records.append(record)
        names.append(label)
        positions.append(where)
    return _check_cohort(
        records,
        names.__getitem__,
        positions.__getitem__,
        taxonomy=taxonomy,
        lenient=lenient,
        source=str(path),
    )


def _json_type(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"
