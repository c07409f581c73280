"""The bounds, scales and field types of the records, and the checks behind them.

Public here: the bounds (:data:`MAX_ID_LENGTH`, …), the scales (:data:`CEFR_LEVELS`,
:data:`SKILL_LEVELS`), the literal types of coded fields and :func:`is_concept_uri`; the rest
(annotated field types and the ``_Record`` base model) serves the models of this package.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

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
    "CEFRLevel",
    "Evidence",
    "Hours",
    "Importance",
    "KnownNone",
    "Recognition",
    "WorkStatus",
    "id_problem",
    "is_concept_uri",
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


def id_problem(value: object) -> str | None:
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
    problem = id_problem(value)
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
