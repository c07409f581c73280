"""The records: a candidate's profile and a vacancy, with the parts each is made of."""

from __future__ import annotations

from datetime import date
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from ..errors import ConfigError
from ._fields import (
    _ACTIVITIES,
    MAX_ITEMS,
    MAX_SKILL_MENTIONS,
    MAX_WEIGHT,
    Cefr,
    CEFRLevel,
    Code,
    ConceptUri,
    CountryCode,
    Evidence,
    FreeText,
    Hours,
    Importance,
    Isced,
    IscedField,
    KnownNone,
    LanguageCode,
    Latitude,
    Longitude,
    Months,
    Recognition,
    RecordId,
    SkillLevel,
    SkillRef,
    Weight,
    WorkStatus,
    Years,
    _not_bool,
    _Record,
    is_concept_uri,
)

__all__ = [
    "AuditAttributes",
    "CandidateProfile",
    "Education",
    "Experience",
    "LanguageRequirement",
    "LanguageSkill",
    "Location",
    "Preferences",
    "SkillClaim",
    "SkillRequirement",
    "Support",
    "Vacancy",
    "WorkAuthorisation",
]

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
    >>> from labourint_match.profiles import SKILL_LEVELS
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
