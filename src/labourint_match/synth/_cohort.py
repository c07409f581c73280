"""Synthetic cohorts: the reference tables, knobs, record drawing and the public functions.

The package docstring (:mod:`labourint_match.synth`) describes how records are drawn.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import hashlib
import json
import math
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np
from pydantic import BaseModel

from ..errors import ConfigError
from ..profiles import CEFR_LEVELS, CandidateProfile, Vacancy
from ..taxonomy import Taxonomy

__all__ = [
    "ORIGINS",
    "CohortFiles",
    "Origin",
    "Region",
    "SynthConfig",
    "SyntheticCohort",
    "cohort",
    "iter_candidates",
    "iter_truth",
    "iter_vacancies",
    "write_cohort",
    "write_jsonl",
]

# -- reference tables -----------------------------------------------------------------------------


class Origin(NamedTuple):
    """A country of origin of newcomers: its mother tongues, default weight and female share."""

    country: str
    """ISO 3166-1 alpha-2 code."""
    languages: tuple[tuple[str, float], ...]
    """Mother tongues as (ISO 639 code, share); the others may be known as second languages."""
    weight: float
    """Default share of newcomers from this country (before normalisation)."""
    female_share: float
    """Share of women among newcomers from this country (for the audit attributes)."""


#: Main countries of origin of people seeking protection in Europe, with their mother tongues.
#: The weights and female shares are rough, illustrative figures loosely following EUAA asylum and
#: Eurostat temporary-protection statistics for 2022–2024, not official numbers; set
#: ``origin_weights`` to match a real caseload.
ORIGINS: Mapping[str, Origin] = MappingProxyType(
    {
        o.country: o
        for o in (
            Origin("UA", (("uk", 0.7), ("ru", 0.3)), 0.25, 0.62),
            Origin("SY", (("ar", 0.85), ("ku", 0.15)), 0.18, 0.38),
            Origin("AF", (("prs", 0.6), ("ps", 0.4)), 0.14, 0.30),
            Origin("IQ", (("ar", 0.65), ("ku", 0.35)), 0.06, 0.38),
            Origin("IR", (("fa", 0.9), ("ku", 0.1)), 0.04, 0.40),
            Origin("TR", (("tr", 0.7), ("ku", 0.3)), 0.07, 0.30),
            Origin("ER", (("ti", 1.0),), 0.06, 0.35),
            Origin("SO", (("so", 1.0),), 0.05, 0.45),
            Origin("VE", (("es", 1.0),), 0.05, 0.52),
            Origin("CO", (("es", 1.0),), 0.04, 0.50),
            Origin("BD", (("bn", 1.0),), 0.03, 0.15),
            Origin("PK", (("ur", 0.8), ("pa", 0.2)), 0.03, 0.20),
        )
    }
)

# Statuses a newcomer may have (temporary protection comes from the origin, see the knobs).
_NEWCOMER_STATUSES = (
    "refugee",
    "subsidiary_protection",
    "asylum_seeker_with_permit",
    "asylum_seeker_without_permit",
    "work_permit",
    "permanent_resident",
    "other",
    "unknown",
)
_EVIDENCE = ("self_declared", "adviser_mapped", "validated", "certified")
_RECOGNITION = ("recognised", "pending", "partial", "not_recognised", "unknown")
_SUPPORT = ("mentor", "wage_subsidy", "on_the_job_training", "language_training")
_AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64")
_NEWCOMER_AGES = (0.20, 0.36, 0.24, 0.13, 0.07)
_DOMESTIC_AGES = (0.16, 0.25, 0.22, 0.20, 0.17)

# Typical ISCED 2011 level of people in each ISCO major group.
_TYPICAL_ISCED = {"0": 3, "1": 6, "2": 6, "3": 4, "4": 3, "5": 3, "6": 2, "7": 3, "8": 3, "9": 2}
# ISCED-F 2013 fields of study typical of each ISCO sub-major group.
_FIELDS: Mapping[str, tuple[str, ...]] = {
    "01": ("103",), "02": ("103",), "03": ("103",),
    "11": ("041",), "12": ("041",), "13": ("071", "041"), "14": ("101", "041"),
    "21": ("071", "053", "054"), "22": ("091",), "23": ("011",), "24": ("041",), "25": ("061",),
    "26": ("042", "031", "021", "032"),
    "31": ("071",), "32": ("091",), "33": ("041",), "34": ("092", "021", "101"), "35": ("061",),
    "41": ("041",), "42": ("041",), "43": ("041",), "44": ("041",),
    "51": ("101",), "52": ("041",), "53": ("092",), "54": ("103",),
    "61": ("081",), "62": ("082", "083"), "63": ("081",),
    "71": ("073",), "72": ("071",), "73": ("021", "071"), "74": ("071",), "75": ("072",),
    "81": ("072",), "82": ("071",), "83": ("104",),
    "91": ("101",), "92": ("081",), "93": ("072", "073"), "94": ("101",), "95": ("041",),
    "96": ("102",),
}  # fmt: skip
# Host-language requirement per ISCO major group: (share of vacancies asking, CEFR weights A1–C1).
_HOST_REQUIREMENT: Mapping[str, tuple[float, tuple[float, ...]]] = {
    "0": (0.9, (0.0, 0.0, 0.6, 0.4, 0.0)),
    "1": (0.95, (0.0, 0.0, 0.0, 0.6, 0.4)),
    "2": (0.95, (0.0, 0.0, 0.1, 0.55, 0.35)),
    "3": (0.9, (0.0, 0.05, 0.4, 0.5, 0.05)),
    "4": (0.9, (0.0, 0.05, 0.4, 0.5, 0.05)),
    "5": (0.85, (0.0, 0.3, 0.5, 0.2, 0.0)),
    "6": (0.6, (0.3, 0.5, 0.2, 0.0, 0.0)),
    "7": (0.8, (0.05, 0.45, 0.45, 0.05, 0.0)),
    "8": (0.8, (0.05, 0.45, 0.45, 0.05, 0.0)),
    "9": (0.6, (0.3, 0.5, 0.2, 0.0, 0.0)),
}
_DEFAULT_MAJOR = "7"

# Vague requirements as written in job ads: free text that resolves to no concept (checked against
# the bundled taxonomy and full ESCO v1.1.1 with the default minimum resolution score).
_VAGUE_REQUIREMENTS = (
    "motivated team player, flexible",
    "reliable and punctual",
    "hard-working",
    "team player",
    "friendly and outgoing personality",
    "must be motivated",
    "other duties as required",
    "driven, positive, reliable",
    "enthusiastic",
    "various tasks",
    "positive attitude and willingness to learn",
)
_REMOTE_TITLES = (
    "Remote assistant",
    "Work from home",
    "Remote position, start at once",
    "Flexible remote work",
)
#: Id prefixes of the extra vacancies (the drawn ones are ``v000001``, …).
_UNJUDGED_PREFIX, _COMMON_SKILL_PREFIX = "vu", "vc"
#: How many of the most often required skills a common-skill vacancy draws from.
_N_COMMON_SKILLS = 20

# Random streams: one per record kind, indexed by record position.
_POPULARITY, _CANDIDATES, _VACANCIES = 0, 1, 2
# Streams of the intake-data knobs (never drawn from when the knobs are off).
_UNJUDGED, _COMMON_SKILL, _UNKNOWNS = 3, 4, 5
_BLOCK = 64
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")
_REGION_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")


# -- configuration --------------------------------------------------------------------------------


def _bad(name: str, what: str, value: object) -> ConfigError:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return ConfigError(f"knob {name!r} must be {what}, not {shown}")


def _number(name: str, value: object, low: float, high: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise _bad(name, what, value)
    number = float(value)
    if not (math.isfinite(number) and low <= number <= high):
        raise _bad(name, what, value)
    return number


def _share(name: str, value: object) -> float:
    return _number(name, value, 0.0, 1.0, "a number from 0 to 1")


def _integer(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise _bad(name, f"an integer from {low} to {high}", value)
    number = int(value)
    if not low <= number <= high:
        raise _bad(name, f"an integer from {low} to {high}", value)
    return number


def _weights(name: str, value: object, allowed: Sequence[str]) -> Mapping[str, float]:
    """Non-negative finite weights with a positive sum, keyed by `allowed`, in `allowed` order."""
    what = f"a mapping of {', '.join(allowed)} to weights >= 0 with a positive sum"
    if not isinstance(value, Mapping):
        raise _bad(name, what, value)
    for key in value:
        if key not in allowed:
            raise ConfigError(
                f"knob {name!r} has an unknown key {str(key)[:40]!r}; "
                f"the keys are {', '.join(allowed)}"
            )
    out = {key: _number(name, value[key], 0.0, math.inf, what) for key in allowed if key in value}
    if not any(w > 0 for w in out.values()):
        raise _bad(name, what, value)
    return MappingProxyType(out)


def _rates(name: str, value: object, allowed: Sequence[str]) -> Mapping[str, float]:
    """Independent probabilities keyed by `allowed` (missing keys: 0)."""
    what = f"a mapping of {', '.join(allowed)} to probabilities from 0 to 1"
    if not isinstance(value, Mapping):
        raise _bad(name, what, value)
    for key in value:
        if key not in allowed:
            raise ConfigError(
                f"knob {name!r} has an unknown key {str(key)[:40]!r}; "
                f"the keys are {', '.join(allowed)}"
            )
    return MappingProxyType(
        {key: _number(name, value[key], 0.0, 1.0, what) for key in allowed if key in value}
    )


@dataclass(frozen=True)
class Region:
    """The region a cohort lives and works in: a centre (WGS 84) and a radius in km.

    Locations are drawn within `radius_km` of the centre, denser towards it; `code` (a NUTS or
    other region code) is set on every location when given.

    Examples
    --------
    >>> Region(lat=57.7089, lon=11.9746, radius_km=40, code="SE232").radius_km
    40.0
    """

    lat: float = 59.3293
    lon: float = 18.0686
    radius_km: float = 60.0
    code: str | None = "SE110"

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "lat",
            _number("region", self.lat, -85.0, 85.0, "a Region with lat from -85 to 85"),
        )
        object.__setattr__(
            self,
            "lon",
            _number("region", self.lon, -180.0, 180.0, "a Region with lon from -180 to 180"),
        )
        object.__setattr__(
            self,
            "radius_km",
            _number(
                "region", self.radius_km, 0.0, 1000.0, "a Region with radius_km from 0 to 1000"
            ),
        )
        if self.code is not None and (
            not isinstance(self.code, str) or _REGION_CODE.fullmatch(self.code) is None
        ):
            raise _bad("region", "a Region whose code is None or a short region code", self.code)


def _region(value: object) -> Region:
    if isinstance(value, Region):
        return value
    if isinstance(value, Mapping):
        unknown = set(value) - {"lat", "lon", "radius_km", "code"}
        if unknown:
            raise _bad("region", "a Region or a mapping of lat, lon, radius_km, code", value)
        return Region(**value)
    raise _bad("region", "a Region or a mapping of lat, lon, radius_km, code", value)


def _as_of(value: object) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise _bad(
                "as_of", "a date (or an ISO date string such as '2026-01-01')", value
            ) from None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise _bad("as_of", "a datetime.date (not a datetime)", value)
    if not date(1900, 1, 1) <= value <= date(2200, 1, 1):
        raise _bad("as_of", "a date between 1900 and 2200", value)
    return value


def _commute(value: object) -> Mapping[float, float]:
    name = "commute_km_weights"
    what = "a mapping of commuting radii in km (0 to 1000) to weights >= 0 with a positive sum"
    if not isinstance(value, Mapping) or not value:
        raise _bad(name, what, value)
    out: dict[float, float] = {}
    for key, weight in value.items():
        if isinstance(key, str):  # as written by SynthConfig.to_dict() and read back from JSON
            try:
                key = float(key)
            except ValueError:
                raise _bad(name, what, value) from None
        out[_number(name, key, 0.0, 1000.0, what)] = _number(name, weight, 0.0, math.inf, what)
    if not any(w > 0 for w in out.values()):
        raise _bad(name, what, value)
    return MappingProxyType(dict(sorted(out.items())))


def _openings(value: object) -> tuple[float, ...]:
    what = "a sequence of 1 to 1000 weights >= 0 (for 1, 2, … openings) with a positive sum"
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        raise _bad("openings_weights", what, value)
    out = tuple(_number("openings_weights", w, 0.0, math.inf, what) for w in value)
    if not 1 <= len(out) <= 1000 or not any(w > 0 for w in out):
        raise _bad("openings_weights", what, value)
    return out


def _countries(value: object) -> tuple[str, ...]:
    what = "a sequence of ISO 3166-1 alpha-2 country codes"
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise _bad("temporary_protection_origins", what, value)
    out = []
    for code in value:
        if not isinstance(code, str) or _COUNTRY_CODE.fullmatch(code.upper()) is None:
            raise _bad("temporary_protection_origins", what, value)
        out.append(code.upper())
    return tuple(sorted(set(out)))


@dataclass(frozen=True)
class SynthConfig:
    """The knobs of a synthetic cohort, validated; each keyword of :func:`cohort` is a field.

    Shares and rates are probabilities from 0 to 1; weights are relative (normalised, missing keys
    weigh 0) and listed in a fixed order, so the order of a mapping's keys never changes a cohort.

    Parameters
    ----------
    host_language
        ISO 639 code of the host country's language: domestic jobseekers' mother tongue, the
        language vacancies ask for. Default ``"sv"``.
    host_country
        ISO 3166-1 code of the host country (domestic jobseekers' nationality). Default ``"SE"``.
    region
        Where people live and jobs are: a :class:`Region` (or a mapping of its fields). Default:
        Stockholm county, 60 km around (59.3293, 18.0686), code ``"SE110"``.
    as_of
        The reference date: permits, start dates and availability count from it. Default
        2026-01-01 (never today, for determinism).
    newcomer_share
        Share of candidates who are newcomers; the rest are domestic jobseekers. Default 0.6.
    origin_weights
        Newcomers' countries of origin (keys of :data:`ORIGINS`). Default: the weights there.
    status_weights
        Work-authorisation status of newcomers not from a temporary-protection origin. Default:
        refugee 0.35, subsidiary_protection 0.15, asylum_seeker_with_permit 0.12,
        asylum_seeker_without_permit 0.1, work_permit 0.1, permanent_resident 0.13, other 0.03,
        unknown 0.02.
    temporary_protection_origins
        Origins whose newcomers have temporary protection. Default ``("UA",)``.
    host_level_weights
        Newcomers' host-language CEFR level. Default A1 0.2, A2 0.25, B1 0.25, B2 0.2, C1 0.1.
    recognition_weights
        Recognition of newcomers' (foreign) qualifications; domestic ones are recognised. Default
        recognised 0.3, pending 0.2, partial 0.15, not_recognised 0.1, unknown 0.25.
    evidence_weights
        Evidence of skill claims. Default self_declared 0.45, adviser_mapped 0.3, validated 0.15,
        certified 0.1.
    second_occupation_rate
        Share of candidates with a second earlier occupation. Default 0.35.
    dropout_rate
        Chance that a source occupation's essential skill is missing from the claims. Default 0.3.
    claim_optional_share
        Chance that a source occupation's optional skill is claimed. Default 0.2.
    neighbour_rate
        Chance that a claimed skill is replaced by a neighbour in the hierarchy. Default 0.15.
    noise_rate
        Unrelated skills added, per claimed skill. Default 0.1.
    commute_km_weights
        Candidates' longest commute in km. Default 10: 0.15, 20: 0.3, 30: 0.25, 50: 0.2, 80: 0.1.
    supply_skew
        Zipf exponent of candidates' source occupations over the popularity order. Default 0.5.
    optional_share
        Chance that a vacancy lists one of its occupation's optional skills. Default 0.4.
    openings_weights
        Weights of 1, 2, … openings per vacancy. Default (0.5, 0.2, 0.15, 0.1, 0.05): 1–5.
    remote_share
        Share of remote vacancies. Default 0.05.
    support_rates
        Chance that a vacancy offers each kind of support. Default mentor 0.3, wage_subsidy 0.15,
        on_the_job_training 0.35, language_training 0.2.
    demand_skew
        Zipf exponent of vacancies' occupations over the popularity order. Default 1.0.
    n_employers
        Employer ids are drawn from ``e000001`` … this many. Default 1000.
    min_essential
        Only occupations with at least this many essential skills are used. Default 3.
    audit
        Set ``AuditAttributes`` on candidates. Default True.
    unjudged_vacancy_share
        Extra vacancies with no resolvable skill requirement (empty, or vague free text), remote,
        ids ``vu…``: ``round(share × n_vacancies)`` of them. Default 0 (none).
    common_skill_vacancy_share
        Extra remote vacancies asking only one or two of the skills occupations most often require
        (ids ``vc…``): ``round(share × n_vacancies)`` of them. Default 0 (none).
    unknown_languages_rate
        Chance that a candidate's ``languages`` is empty (unknown). Default 0.
    unknown_experience_rate
        Chance that a candidate's ``experience`` is empty (unknown). Default 0.

    Raises
    ------
    ConfigError
        A knob is of the wrong type or out of range; the message names it.

    Examples
    --------
    >>> SynthConfig(host_language="nb", host_country="no").host_country
    'NO'
    >>> try:
    ...     SynthConfig(dropout_rate=1.5)
    ... except ConfigError as err:
    ...     print(err)
    knob 'dropout_rate' must be a number from 0 to 1, not 1.5
    """

    host_language: str = "sv"
    host_country: str = "SE"
    region: Region = field(default_factory=Region)
    as_of: date = date(2026, 1, 1)
    newcomer_share: float = 0.6
    origin_weights: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({k: o.weight for k, o in ORIGINS.items()})
    )
    status_weights: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType(
            {
                "refugee": 0.35,
                "subsidiary_protection": 0.15,
                "asylum_seeker_with_permit": 0.12,
                "asylum_seeker_without_permit": 0.1,
                "work_permit": 0.1,
                "permanent_resident": 0.13,
                "other": 0.03,
                "unknown": 0.02,
            }
        )
    )
    temporary_protection_origins: tuple[str, ...] = ("UA",)
    host_level_weights: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType(
            {"A1": 0.2, "A2": 0.25, "B1": 0.25, "B2": 0.2, "C1": 0.1}
        )
    )
    recognition_weights: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType(
            {
                "recognised": 0.3,
                "pending": 0.2,
                "partial": 0.15,
                "not_recognised": 0.1,
                "unknown": 0.25,
            }
        )
    )
    evidence_weights: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType(
            {"self_declared": 0.45, "adviser_mapped": 0.3, "validated": 0.15, "certified": 0.1}
        )
    )
    second_occupation_rate: float = 0.35
    dropout_rate: float = 0.3
    claim_optional_share: float = 0.2
    neighbour_rate: float = 0.15
    noise_rate: float = 0.1
    commute_km_weights: Mapping[float, float] = field(
        default_factory=lambda: MappingProxyType(
            {10.0: 0.15, 20.0: 0.3, 30.0: 0.25, 50.0: 0.2, 80.0: 0.1}
        )
    )
    supply_skew: float = 0.5
    optional_share: float = 0.4
    openings_weights: tuple[float, ...] = (0.5, 0.2, 0.15, 0.1, 0.05)
    remote_share: float = 0.05
    support_rates: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType(
            {
                "mentor": 0.3,
                "wage_subsidy": 0.15,
                "on_the_job_training": 0.35,
                "language_training": 0.2,
            }
        )
    )
    demand_skew: float = 1.0
    n_employers: int = 1000
    min_essential: int = 3
    audit: bool = True
    unjudged_vacancy_share: float = 0.0
    common_skill_vacancy_share: float = 0.0
    unknown_languages_rate: float = 0.0
    unknown_experience_rate: float = 0.0

    def __post_init__(self) -> None:
        def put(name: str, value: object) -> None:
            object.__setattr__(self, name, value)

        if not isinstance(self.host_language, str) or (
            _LANGUAGE_CODE.fullmatch(self.host_language.lower()) is None
        ):
            raise _bad("host_language", "an ISO 639 language code such as 'sv'", self.host_language)
        put("host_language", self.host_language.lower())
        if not isinstance(self.host_country, str) or (
            _COUNTRY_CODE.fullmatch(self.host_country.upper()) is None
        ):
            raise _bad("host_country", "an ISO 3166-1 alpha-2 code such as 'SE'", self.host_country)
        put("host_country", self.host_country.upper())
        put("region", _region(self.region))
        put("as_of", _as_of(self.as_of))
        put("origin_weights", _weights("origin_weights", self.origin_weights, tuple(ORIGINS)))
        put("status_weights", _weights("status_weights", self.status_weights, _NEWCOMER_STATUSES))
        put("temporary_protection_origins", _countries(self.temporary_protection_origins))
        put(
            "host_level_weights",
            _weights("host_level_weights", self.host_level_weights, CEFR_LEVELS),
        )
        put(
            "recognition_weights",
            _weights("recognition_weights", self.recognition_weights, _RECOGNITION),
        )
        put("evidence_weights", _weights("evidence_weights", self.evidence_weights, _EVIDENCE))
        put("commute_km_weights", _commute(self.commute_km_weights))
        put("openings_weights", _openings(self.openings_weights))
        put("support_rates", _rates("support_rates", self.support_rates, _SUPPORT))
        for name in (
            "newcomer_share",
            "second_occupation_rate",
            "dropout_rate",
            "claim_optional_share",
            "neighbour_rate",
            "noise_rate",
            "optional_share",
            "remote_share",
            "unjudged_vacancy_share",
            "common_skill_vacancy_share",
            "unknown_languages_rate",
            "unknown_experience_rate",
        ):
            put(name, _share(name, getattr(self, name)))
        for name in ("supply_skew", "demand_skew"):
            put(name, _number(name, getattr(self, name), 0.0, 10.0, "a number from 0 to 10"))
        put("n_employers", _integer("n_employers", self.n_employers, 1, 999_999))
        put("min_essential", _integer("min_essential", self.min_essential, 1, 10_000))
        if not isinstance(self.audit, bool):
            raise _bad("audit", "True or False", self.audit)

    def __getstate__(self) -> dict[str, Any]:
        # Read-only mappings do not pickle: store them as dicts, wrap them again on load.
        return {
            f.name: dict(v) if isinstance(v := getattr(self, f.name), Mapping) else v
            for f in fields(self)
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            wrapped = MappingProxyType(value) if isinstance(value, dict) else value
            object.__setattr__(self, name, wrapped)

    @classmethod
    def from_knobs(cls, knobs: Mapping[str, Any]) -> SynthConfig:
        """Build a configuration from keyword knobs, naming any unknown knob.

        Examples
        --------
        >>> SynthConfig.from_knobs({"remote_share": 0.2}).remote_share
        0.2
        >>> try:
        ...     SynthConfig.from_knobs({"dropout": 0.2})
        ... except ConfigError as err:
        ...     print(str(err)[:60])
        unknown knob 'dropout'; the knobs are: host_language, host_c
        """
        names = [f.name for f in fields(cls)]
        for name in knobs:
            if name not in names:
                raise ConfigError(
                    f"unknown knob {str(name)[:40]!r}; the knobs are: {', '.join(names)}"
                )
        return cls(**knobs)

    def to_dict(self) -> dict[str, Any]:
        """The knobs as JSON-ready values (dates as ISO strings, mappings as dicts).

        Examples
        --------
        >>> SynthConfig().to_dict()["as_of"], SynthConfig().to_dict()["region"]["code"]
        ('2026-01-01', 'SE110')
        """
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Region):
                value = {
                    "lat": value.lat,
                    "lon": value.lon,
                    "radius_km": value.radius_km,
                    "code": value.code,
                }
            elif isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Mapping):
                value = {str(k): v for k, v in value.items()}
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out


# -- results --------------------------------------------------------------------------------------


class SyntheticCohort(tuple[tuple[CandidateProfile, ...], tuple[Vacancy, ...]]):
    """A synthetic cohort: unpacks as ``(candidates, vacancies)``; carries the ground truth.

    Attributes
    ----------
    candidates, vacancies
        The records, in id order.
    truth
        Candidate id → the URIs of the occupations the candidate was drawn from, main one first.
    seed, config
        What the cohort was drawn with.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> result = cohort(Taxonomy.default(), 3, 2, seed=1)
    >>> people, jobs = result
    >>> people is result.candidates, sorted(result.truth) == [p.id for p in people]
    (True, True)
    """

    truth: Mapping[str, tuple[str, ...]]
    seed: int
    config: SynthConfig

    def __new__(
        cls,
        candidates: Iterable[CandidateProfile],
        vacancies: Iterable[Vacancy],
        *,
        truth: Mapping[str, tuple[str, ...]],
        seed: int,
        config: SynthConfig,
    ) -> SyntheticCohort:
        """Build a cohort from its records, ground truth, seed and configuration."""
        self = super().__new__(cls, (tuple(candidates), tuple(vacancies)))
        object.__setattr__(self, "truth", MappingProxyType(dict(truth)))
        object.__setattr__(self, "seed", seed)
        object.__setattr__(self, "config", config)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a SyntheticCohort is immutable")

    def __reduce__(self) -> Any:
        return (_rebuild, (self[0], self[1], dict(self.truth), self.seed, self.config))

    @property
    def candidates(self) -> tuple[CandidateProfile, ...]:
        """The candidate profiles."""
        return self[0]

    @property
    def vacancies(self) -> tuple[Vacancy, ...]:
        """The vacancies."""
        return self[1]

    def __repr__(self) -> str:
        return (
            f"<SyntheticCohort: {len(self[0])} candidates, {len(self[1])} vacancies, "
            f"seed={self.seed}>"
        )

    def digest(self) -> str:
        """SHA-256 of the cohort's JSON Lines (candidates, vacancies, truth): equal iff identical.

        Examples
        --------
        >>> from labourint_match import Taxonomy
        >>> len(cohort(Taxonomy.default(), 2, 2, seed=0).digest())
        64
        """
        h = hashlib.sha256()
        for record in (*self[0], *self[1]):
            h.update(record.model_dump_json().encode("utf-8"))
            h.update(b"\n")
        for cid, occupations in self.truth.items():
            h.update(_truth_line(cid, occupations).encode("utf-8"))
        return h.hexdigest()


def _rebuild(
    candidates: tuple[CandidateProfile, ...],
    vacancies: tuple[Vacancy, ...],
    truth: dict[str, tuple[str, ...]],
    seed: int,
    config: SynthConfig,
) -> SyntheticCohort:
    return SyntheticCohort(candidates, vacancies, truth=truth, seed=seed, config=config)


class CohortFiles(NamedTuple):
    """The files :func:`write_cohort` wrote."""

    candidates: tuple[Path, ...]
    """Candidate shards (JSON Lines), in order."""
    vacancies: tuple[Path, ...]
    """Vacancy shards (JSON Lines), in order."""
    truth: Path
    """``truth.jsonl``: one ``{"id": …, "occupations": […]}`` per candidate."""
    manifest: Path
    """``manifest.json``: seed, counts, knobs, taxonomy hash, file names."""


def _truth_line(cid: str, occupations: Sequence[str]) -> str:
    return json.dumps({"id": cid, "occupations": list(occupations)}, ensure_ascii=False) + "\n"


# -- precomputed tables ---------------------------------------------------------------------------


def _cdf(weights: Iterable[float]) -> list[float]:
    out: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(cdf: list[float], u: float) -> int:
    """Index drawn from cumulative weights `cdf` with the uniform `u` (never a zero weight)."""
    i = bisect.bisect_right(cdf, u * cdf[-1])
    last = len(cdf) - 1
    if i > last:
        i = last
        while i > 0 and cdf[i] == cdf[i - 1]:
            i -= 1
    return i


def _row_sums(indptr: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per-row sums of a CSR edge attribute (empty rows sum to 0)."""
    cumulative = np.concatenate(([0], np.cumsum(values, dtype=np.int64)))
    return np.asarray(cumulative[indptr[1:]] - cumulative[indptr[:-1]])


def _filtered_csr(
    indptr: np.ndarray, indices: np.ndarray, keep: np.ndarray
) -> tuple[list[int], list[int]]:
    """A CSR adjacency restricted to targets where `keep` is true, as Python lists."""
    mask = keep[indices]
    cumulative = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))
    return cumulative[indptr].tolist(), indices[mask].tolist()


class _Tables:
    """Per-call tables: eligible occupations and their skills, neighbours, cumulative weights."""

    def __init__(self, taxonomy: Taxonomy, config: SynthConfig, seed: int) -> None:
        c = taxonomy.compiled
        self.taxonomy = taxonomy
        self.config = config
        self.uris = c.uris
        kind_skill = c.kind == 0
        kind_occ = c.kind == 1
        ind_ptr = c.occ_skill_indptr
        essential_per = _row_sums(ind_ptr, c.occ_skill_essential)
        eligible = np.flatnonzero(kind_occ & (essential_per >= config.min_essential))
        if len(eligible) == 0:
            raise ConfigError(
                f"knob 'min_essential': the taxonomy has no occupation with at least "
                f"{config.min_essential} essential skills; synthetic cohorts need occupations "
                "with their skills (lower min_essential or use a taxonomy such as ESCO)"
            )
        self.occ_concept: list[int] = eligible.tolist()
        self.position = {row: k for k, row in enumerate(self.occ_concept)}
        indices = c.occ_skill_indices
        flags = c.occ_skill_essential
        self.essential: list[np.ndarray] = []
        self.optional: list[np.ndarray] = []
        self.claimable: list[np.ndarray] = []
        self.claim_threshold: list[np.ndarray] = []
        self.major: list[str] = []
        self.sub_major: list[str] = []
        for row in self.occ_concept:
            lo, hi = int(ind_ptr[row]), int(ind_ptr[row + 1])
            skills, ess = indices[lo:hi], flags[lo:hi]
            self.essential.append(skills[ess].astype(np.int64))
            self.optional.append(skills[~ess].astype(np.int64))
            # For candidates: every skill with the uniform it must reach to be claimed.
            self.claimable.append(np.concatenate((self.essential[-1], self.optional[-1])))
            self.claim_threshold.append(
                np.concatenate(
                    (
                        np.full(len(self.essential[-1]), config.dropout_rate),
                        np.full(len(self.optional[-1]), 1.0 - config.claim_optional_share),
                    )
                )
            )
            code = c.codes[row]
            self.major.append(code[0] if code[:1].isdigit() else _DEFAULT_MAJOR)
            self.sub_major.append(code[:2] if code[:2].isdigit() else "")
        # Popularity: a seed-dependent order of the eligible occupations, Zipf-weighted.
        rng = _record_rng(seed, _POPULARITY, 0)
        order = np.argsort(rng.random(len(eligible)), kind="stable")
        rank = np.empty(len(eligible), dtype=np.float64)
        rank[order] = np.arange(1, len(eligible) + 1, dtype=np.float64)
        self.demand_cdf = _cdf((rank**-config.demand_skew).tolist())
        self.supply_cdf = _cdf((rank**-config.supply_skew).tolist())
        # Occupation neighbours: eligible occupations beneath each concept.
        is_eligible = np.zeros(len(c.uris), dtype=bool)
        is_eligible[eligible] = True
        self.occ_children = _filtered_csr(c.narrower_indptr, c.narrower_indices, is_eligible)
        self.broader = (c.broader_indptr.tolist(), c.broader_indices.tolist())
        # Skill neighbours: skill-kind parents and children, related skills.
        self.skill_parents = _filtered_csr(c.broader_indptr, c.broader_indices, kind_skill)
        self.skill_children = _filtered_csr(c.narrower_indptr, c.narrower_indices, kind_skill)
        self.related = (c.skill_rel_indptr.tolist(), c.skill_rel_indices.tolist())
        self.routes: dict[int, tuple[list[list[int]], int]] = {}  # filled as skills are met
        # Noise: skills drawn in proportion to how many occupations ask for them.
        self.noise_pool: list[int] = indices.tolist()
        # Categorical tables from the knobs.
        self.origins = [ORIGINS[k] for k in config.origin_weights]
        self.origin_cdf = _cdf(config.origin_weights.values())
        self.origin_language_cdf = [_cdf(w for _, w in o.languages) for o in self.origins]
        self.statuses = list(config.status_weights)
        self.status_cdf = _cdf(config.status_weights.values())
        self.host_levels = [CEFR_LEVELS.index(k) for k in config.host_level_weights]
        self.host_level_cdf = _cdf(config.host_level_weights.values())
        self.recognitions = list(config.recognition_weights)
        self.recognition_cdf = _cdf(config.recognition_weights.values())
        self.evidence = list(config.evidence_weights)
        self.evidence_cum = np.array(_cdf(config.evidence_weights.values()))
        self.evidence_last = _pick(self.evidence_cum.tolist(), 1.0)
        self.commutes = list(config.commute_km_weights)
        self.commute_cdf = _cdf(config.commute_km_weights.values())
        self.openings_cdf = _cdf(config.openings_weights)
        self.support = [(k, config.support_rates.get(k, 0.0)) for k in _SUPPORT]
        self.newcomer_age_cdf = _cdf(_NEWCOMER_AGES)
        self.domestic_age_cdf = _cdf(_DOMESTIC_AGES)
        self.host_requirement = {
            major: (share, _cdf(levels)) for major, (share, levels) in _HOST_REQUIREMENT.items()
        }
        self.temporary = frozenset(config.temporary_protection_origins)
        self.titles: dict[int, str] = {}
        # The skills occupations most often require, with how many require them (for
        # common-skill vacancies; ties by concept row, so the table is deterministic).
        # Every eligible occupation requires at least one skill, so the table is never empty.
        self.common_skills: list[int] = []
        self.common_skill_weights: list[float] = []
        if config.common_skill_vacancy_share > 0:
            counts = np.bincount(np.concatenate(self.essential), minlength=len(c.uris))
            top = np.lexsort((np.arange(len(counts)), -counts))[:_N_COMMON_SKILLS]
            top = top[counts[top] > 0]
            self.common_skills = top.tolist()
            self.common_skill_weights = counts[top].astype(np.float64).tolist()

    def title(self, k: int) -> str:
        found = self.titles.get(k)
        if found is None:
            concept = self.taxonomy.concept(self.uris[self.occ_concept[k]])
            found = concept.label(self.config.host_language)[:500]
            self.titles[k] = found
        return found


# -- random streams -------------------------------------------------------------------------------


def _record_rng(seed: int, stream: int, index: int) -> np.random.Generator:
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(stream, index)))
    )


class _Draws:
    """Uniform doubles from one record's stream, drawn in blocks."""

    __slots__ = ("_buffer", "_pos", "_rng")

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._buffer: list[float] = rng.random(_BLOCK).tolist()
        self._pos = 0

    def __call__(self) -> float:
        pos = self._pos
        if pos == _BLOCK:
            self._buffer = self._rng.random(_BLOCK).tolist()
            pos = 0
        self._pos = pos + 1
        return self._buffer[pos]

    def array(self, n: int) -> np.ndarray:
        """`n` uniforms as an array (straight from the stream, after the buffered block)."""
        return self._rng.random(n)

    def below(self, n: int) -> int:
        """An integer in ``[0, n)``."""
        return min(int(self() * n), n - 1)


def _row(csr: tuple[list[int], list[int]], i: int) -> list[int]:
    indptr, indices = csr
    return indices[indptr[i] : indptr[i + 1]]


# -- candidates -----------------------------------------------------------------------------------


def _draw_occupations(tb: _Tables, draw: _Draws) -> tuple[int, ...]:
    """The candidate's source occupations (positions in the eligible list), main one first."""
    main = _pick(tb.supply_cdf, draw())
    if draw() >= tb.config.second_occupation_rate:
        return (main,)
    second = -1
    if draw() < 0.5:
        # A neighbour in the occupation hierarchy: another occupation under one of main's parents.
        parents = _row(tb.broader, tb.occ_concept[main])
        if parents:
            siblings = [
                tb.position[j]
                for j in _row(tb.occ_children, parents[draw.below(len(parents))])
                if j != tb.occ_concept[main]
            ]
            if siblings:
                second = siblings[draw.below(len(siblings))]
    if second < 0:
        second = _pick(tb.supply_cdf, draw())
    return (main,) if second == main else (main, second)


def _neighbour(tb: _Tables, skill: int, draw: _Draws) -> int:
    """A skill next to `skill` in the hierarchy (or `skill` itself when it has none).

    The route is drawn uniformly among those `skill` has: a broader skill, a narrower skill, an
    ESCO-related skill, or a sibling (another skill under one of its parents).
    """
    found = tb.routes.get(skill)
    if found is None:
        routes = [
            r
            for r in (
                _row(tb.skill_parents, skill),
                _row(tb.skill_children, skill),
                _row(tb.related, skill),
            )
            if r
        ]
        direct = len(routes)
        broader = _row(tb.broader, skill)
        if broader:
            routes.append(broader)
        found = tb.routes[skill] = (routes, direct)
    routes, direct = found
    if not routes:
        return skill
    r = draw.below(len(routes))
    route = routes[r]
    if r < direct:
        return route[draw.below(len(route))]
    kin = _row(tb.skill_children, route[draw.below(len(route))])
    if len(kin) < 2:
        return skill
    k = draw.below(len(kin))
    return kin[k] if kin[k] != skill else kin[(k + 1) % len(kin)]


def _level(index: int) -> str:
    return CEFR_LEVELS[max(0, min(index, len(CEFR_LEVELS) - 1))]


def _candidate_id(index: int) -> str:
    return f"c{index + 1:06d}"


def _vacancy_id(index: int) -> str:
    return f"v{index + 1:06d}"


def _days(day: date, n: float) -> str:
    return (day + timedelta(days=int(n))).isoformat()


def _location(tb: _Tables, draw: _Draws) -> dict[str, Any]:
    region = tb.config.region
    r = region.radius_km * draw() ** 0.75
    theta = 2.0 * math.pi * draw()
    lat = region.lat + (r * math.cos(theta)) / 111.32
    lon = region.lon + (r * math.sin(theta)) / (111.32 * math.cos(math.radians(region.lat)))
    lon = (lon + 180.0) % 360.0 - 180.0
    out: dict[str, Any] = {"lat": round(max(-90.0, min(90.0, lat)), 5), "lon": round(lon, 5)}
    if region.code is not None:
        out["region"] = region.code
    return out


def _authorisation(tb: _Tables, origin: Origin | None, draw: _Draws) -> dict[str, Any]:
    as_of = tb.config.as_of
    if origin is None:
        return {"status": "citizen"}
    if origin.country in tb.temporary:
        return {
            "status": "temporary_protection",
            "work_allowed_until": _days(as_of, 180 + 300 * draw()),
        }
    status = tb.statuses[_pick(tb.status_cdf, draw())]
    u = draw()
    out: dict[str, Any] = {"status": status}
    if status == "refugee":
        out["work_allowed_until"] = _days(as_of, 365 + 730 * u)
    elif status in ("subsidiary_protection", "work_permit"):
        out["work_allowed_until"] = _days(as_of, 180 + 550 * u)
    elif status == "asylum_seeker_with_permit":
        out["work_allowed_until"] = _days(as_of, 90 + 275 * u)
    elif status == "asylum_seeker_without_permit" and u < 0.5:
        out["work_allowed_from"] = _days(as_of, 30 + 300 * u)  # 30–180 days ahead
    return out


def _languages(tb: _Tables, origin: Origin | None, draw: _Draws) -> list[dict[str, Any]]:
    host = tb.config.host_language
    entries: dict[str, dict[str, Any]] = {}
    if origin is None:
        entries[host] = {"language": host, "native": True}
        if draw() < 0.9:
            entries.setdefault("en", {"language": "en", "level": _level(2 + draw.below(3))})
        return list(entries.values())
    k = _pick(tb.origin_language_cdf[tb.origins.index(origin)], draw())
    mother = origin.languages[k][0]
    entries[mother] = {"language": mother, "native": True}
    others = [code for code, _ in origin.languages if code != mother]
    if others and draw() < 0.3:
        code = others[draw.below(len(others))]
        entries.setdefault(code, {"language": code, "level": _level(2 + draw.below(3))})
    if host not in entries:
        level = tb.host_levels[_pick(tb.host_level_cdf, draw())]
        entry: dict[str, Any] = {"language": host, "level": _level(level)}
        if draw() < 0.3:
            # Speaking often runs ahead of writing for newcomers.
            entry["spoken_interaction"] = _level(min(level + 1, 4))
            entry["writing"] = _level(level - 1)
        entries[host] = entry
    if draw() < 0.35:
        entries.setdefault("en", {"language": "en", "level": _level(1 + draw.below(4))})
    return list(entries.values())


def _education(tb: _Tables, main: int, newcomer: bool, draw: _Draws) -> list[dict[str, Any]]:
    if draw() < 0.08:
        return []
    typical = _TYPICAL_ISCED[tb.major[main]]
    u = draw()
    shift = -2 if u < 0.05 else -1 if u < 0.25 else 0 if u < 0.75 else 1 if u < 0.95 else 2
    level = max(1, min(8, typical + shift))
    options = _FIELDS.get(tb.sub_major[main], ())
    entry: dict[str, Any] = {"isced_level": level}
    if level >= 3 and options and draw() < 0.8:
        entry["field"] = options[draw.below(len(options))]
    entry["recognition"] = (
        tb.recognitions[_pick(tb.recognition_cdf, draw())] if newcomer else "recognised"
    )
    out = [entry]
    if level >= 5 and draw() < 0.3:
        out.append({"isced_level": 3, "recognition": entry["recognition"]})
    return out


def _claims(
    tb: _Tables, occupations: tuple[int, ...], months: list[int], draw: _Draws
) -> list[dict[str, Any]]:
    cfg = tb.config
    found: dict[int, int] = {}  # skill concept → months of practice (-1: noise)
    for k, spent in zip(occupations, months, strict=True):
        # Essential skills stay unless dropped out, optional ones are claimed at their share;
        # a second uniform per skill decides whether it is swapped for a neighbour.
        skills = tb.claimable[k]
        n = len(skills)
        u = draw.array(2 * n)
        kept = u[:n] >= tb.claim_threshold[k]
        keep = skills[kept].tolist()
        moved = (u[n:][kept] < cfg.neighbour_rate).tolist()
        for s, move in zip(keep, moved, strict=True):
            found.setdefault(_neighbour(tb, s, draw) if move else s, spent)
    n_noise = int(np.count_nonzero(draw.array(len(found)) < cfg.noise_rate))
    if n_noise:
        pool = tb.noise_pool
        for j in (draw.array(n_noise) * len(pool)).astype(np.int64).tolist():
            found.setdefault(pool[min(j, len(pool) - 1)], -1)
    order = sorted(found)
    n = len(order)
    u = draw.array(3 * n).reshape(3, n)
    evidence = np.minimum(
        np.searchsorted(tb.evidence_cum, u[0] * tb.evidence_cum[-1], side="right"),
        tb.evidence_last,
    )
    practice = np.array([found[skill] for skill in order], dtype=np.int64)
    known = ((practice >= 0) & (u[1] < 0.5)).tolist()
    base = 2 + (practice >= 36).astype(np.int64) + (practice >= 84)
    levels = (base + (u[2] * 3).astype(np.int64) - 1).tolist()  # 2-4, give or take one
    years = np.maximum(0.5, np.rint(practice / 6 * (0.5 + u[2])) / 2).tolist()
    names = tb.evidence
    uris = tb.uris
    return [
        {"skill": uris[skill], "evidence": names[e], "level": level, "years": y}
        if know
        else {"skill": uris[skill], "evidence": names[e]}
        for skill, e, know, level, y in zip(
            order, evidence.tolist(), known, levels, years, strict=True
        )
    ]


def _candidate(tb: _Tables, seed: int, index: int) -> tuple[CandidateProfile, tuple[str, ...]]:
    cfg = tb.config
    draw = _Draws(_record_rng(seed, _CANDIDATES, index))
    occupations = _draw_occupations(tb, draw)
    truth = tuple(tb.uris[tb.occ_concept[k]] for k in occupations)
    newcomer = draw() < cfg.newcomer_share
    origin = tb.origins[_pick(tb.origin_cdf, draw())] if newcomer else None
    months = [6 + int(114 * draw() ** 1.5) + (24 if i == 0 else 0) for i in range(len(occupations))]
    record: dict[str, Any] = {
        "id": _candidate_id(index),
        "skills": _claims(tb, occupations, months, draw),
        "languages": _languages(tb, origin, draw),
        "education": _education(tb, occupations[0], newcomer, draw),
        "experience": [
            {"occupation": uri, "months": m} for uri, m in zip(truth, months, strict=True)
        ],
        "location": _location(tb, draw),
        "max_commute_km": tb.commutes[_pick(tb.commute_cdf, draw())],
        "work_authorisation": _authorisation(tb, origin, draw),
    }
    if cfg.unknown_languages_rate > 0 or cfg.unknown_experience_rate > 0:
        u, v = _record_rng(seed, _UNKNOWNS, index).random(2).tolist()
        if u < cfg.unknown_languages_rate:
            record["languages"] = []
        if v < cfg.unknown_experience_rate:
            record["experience"] = []
    if draw() < 0.85:
        record["available_from"] = _days(cfg.as_of, 90 * draw())
    u, v = draw(), draw()
    record["preferences"] = {
        "occupations": [truth[0]] if u < 0.4 else [],
        "hours": "any" if v < 0.6 else "full_time" if v < 0.9 else "part_time",
    }
    if cfg.audit:
        u = draw()
        female = origin.female_share if origin is not None else 0.49
        country = origin.country if origin is not None else cfg.host_country
        ages = tb.newcomer_age_cdf if newcomer else tb.domestic_age_cdf
        v = draw()
        record["audit"] = {
            "gender": "female" if u < female else "male",
            "age_band": _AGE_BANDS[_pick(ages, draw())],
            "nationality": country,
            "country_of_birth": country,
            "disability": True if v < 0.07 else False if v < 0.87 else None,
            "group": "newcomer" if newcomer else "domestic",
        }
    return CandidateProfile.model_validate(record), truth


# -- vacancies ------------------------------------------------------------------------------------


def _min_isced(typical: int, u: float) -> int | None:
    level = typical if u < 0.3 else typical - 1 if u < 0.6 else 0
    return level if level >= 2 else None


def _vacancy(tb: _Tables, seed: int, index: int) -> Vacancy:
    cfg = tb.config
    draw = _Draws(_record_rng(seed, _VACANCIES, index))
    k = _pick(tb.demand_cdf, draw())
    major = tb.major[k]
    ess, opt = tb.essential[k], tb.optional[k]
    uris = tb.uris
    # A sixth of essential requirements name a minimum level (2-4).
    skills: list[dict[str, Any]] = [
        {"skill": uris[s], "min_level": 2 + int(u * 18)} if u < 1 / 6 else {"skill": uris[s]}
        for s, u in zip(ess.tolist(), draw.array(len(ess)).tolist(), strict=True)
    ]
    listed = opt[draw.array(len(opt)) < cfg.optional_share].tolist()
    skills += [{"skill": uris[s], "importance": "optional"} for s in listed]
    support = {name: draw() < rate for name, rate in tb.support}
    share, level_cdf = tb.host_requirement.get(major, tb.host_requirement[_DEFAULT_MAJOR])
    languages: list[dict[str, Any]] = []
    if draw() < share:
        level = _pick(level_cdf, draw())
        if support["language_training"]:
            level = max(0, level - 1)
        req = {"language": cfg.host_language, "level": _level(level)}
        if level > 0 and draw() < 0.25:
            req["writing"] = _level(level - 1)
        languages.append(req)
    if major in ("1", "2", "3") and draw() < 0.3 and cfg.host_language != "en":
        languages.append(
            {
                "language": "en",
                "level": "B2",
                "importance": "essential" if draw() < 0.5 else "optional",
            }
        )
    typical = _TYPICAL_ISCED[major]
    u = draw()
    record: dict[str, Any] = {
        "id": _vacancy_id(index),
        "employer_id": f"e{draw.below(cfg.n_employers) + 1:06d}",
        "occupation": tb.uris[tb.occ_concept[k]],
        "title": tb.title(k),
        "skills": skills,
        "languages": languages,
        # A minimum education only where it goes beyond primary education.
        "min_isced": _min_isced(typical, u),
        "location": _location(tb, draw),
        "remote": draw() < cfg.remote_share,
        "openings": _pick(tb.openings_cdf, draw()) + 1,
        "start_date": _days(cfg.as_of, 14 + 106 * draw()),
        "support": support,
    }
    u = draw()
    if u < 0.4:
        record["min_experience_months"] = (6, 12, 24, 36)[min(int(u / 0.1), 3)]
    u = draw()
    record["hours"] = "full_time" if u < 0.7 else "part_time" if u < 0.9 else "any"
    return Vacancy.model_validate(record)


def _n_extra(share: float, n_vacancies: int) -> int:
    """How many extra vacancies `share` of `n_vacancies` is (half rounded up)."""
    return math.floor(share * n_vacancies + 0.5)


def _extra(tb: _Tables, seed: int, stream: int, index: int) -> Vacancy:
    """An extra vacancy: unjudged (vague or no skill requirement) or asking common skills only.

    Remote, with no occupation and no language, education or experience requirement; openings,
    start date, employer, place and hours are drawn as for other vacancies.
    """
    cfg = tb.config
    draw = _Draws(_record_rng(seed, stream, index))
    skills: list[Any]
    if stream == _UNJUDGED:
        vid = f"{_UNJUDGED_PREFIX}{index + 1:06d}"
        skills = []
        if draw() < 0.5:  # half ask for nothing, half only for vague free text
            first = draw.below(len(_VAGUE_REQUIREMENTS))
            skills.append(_VAGUE_REQUIREMENTS[first])
            if draw() < 0.5:
                second = (first + 1 + draw.below(len(_VAGUE_REQUIREMENTS) - 1)) % len(
                    _VAGUE_REQUIREMENTS
                )
                skills.append(_VAGUE_REQUIREMENTS[second])
    else:
        vid = f"{_COMMON_SKILL_PREFIX}{index + 1:06d}"
        pool, weights = tb.common_skills, tb.common_skill_weights
        first = _pick(_cdf(weights), draw())
        picked = [pool[first]]
        if draw() < 0.5 and len(pool) > 1:
            rest = [i for i in range(len(pool)) if i != first]
            picked.append(pool[rest[_pick(_cdf(weights[i] for i in rest), draw())]])
        skills = [tb.uris[skill] for skill in picked]
    title = _REMOTE_TITLES[draw.below(len(_REMOTE_TITLES))]
    u = draw()
    record: dict[str, Any] = {
        "id": vid,
        "employer_id": f"e{draw.below(cfg.n_employers) + 1:06d}",
        "title": title,
        "skills": skills,
        "location": _location(tb, draw),
        "remote": True,
        "openings": _pick(tb.openings_cdf, draw()) + 1,
        "start_date": _days(cfg.as_of, 14 + 106 * draw()),
        "hours": "full_time" if u < 0.5 else "part_time" if u < 0.8 else "any",
    }
    return Vacancy.model_validate(record)


def _all_vacancies(tb: _Tables, n_vacancies: int) -> list[tuple[int, int]]:
    """Every vacancy of a cohort as (stream, index): the drawn ones, then the extra ones."""
    cfg = tb.config
    out = [(_VACANCIES, j) for j in range(n_vacancies)]
    out += [(_UNJUDGED, j) for j in range(_n_extra(cfg.unjudged_vacancy_share, n_vacancies))]
    n_common = _n_extra(cfg.common_skill_vacancy_share, n_vacancies)
    out += [(_COMMON_SKILL, j) for j in range(n_common)]
    return out


def _vacancy_of(tb: _Tables, seed: int, stream: int, index: int) -> Vacancy:
    """The vacancy of one (stream, index) of :func:`_all_vacancies`."""
    if stream == _VACANCIES:
        return _vacancy(tb, seed, index)
    return _extra(tb, seed, stream, index)


# -- public API -----------------------------------------------------------------------------------


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, restoring its previous state on exit."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _setup(
    taxonomy: object, counts: Mapping[str, object], seed: object, knobs: Mapping[str, Any]
) -> _Tables:
    """Check the arguments and knobs, and build the tables of one call."""
    if not isinstance(taxonomy, Taxonomy):
        raise ConfigError(f"taxonomy must be a Taxonomy, not {type(taxonomy).__name__}")
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ConfigError(f"{name} must be an integer >= 0, not {str(value)[:40]!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ConfigError(
            "seed must be an integer >= 0 (it is required, for reproducibility), "
            f"not {str(seed)[:40]!r}"
        )
    return _Tables(taxonomy, SynthConfig.from_knobs(knobs), int(seed))


def cohort(
    taxonomy: Taxonomy, n_candidates: int, n_vacancies: int, *, seed: int, **knobs: Any
) -> SyntheticCohort:
    """Draw a synthetic cohort of candidates and vacancies from `taxonomy`.

    Parameters
    ----------
    taxonomy
        The taxonomy whose occupations and skills the records use (such as
        ``Taxonomy.default()`` or full ESCO).
    n_candidates, n_vacancies
        How many of each to draw (0 allowed).
    seed
        Required, an integer >= 0. The same seed and knobs give the same cohort, byte for byte.
    **knobs
        The fields of :class:`SynthConfig`, with its defaults.

    Returns
    -------
    SyntheticCohort
        Unpacks as ``(candidates, vacancies)``, tuples of validated models with ids ``c000001``,
        … and ``v000001``, … (then the extra vacancies ``vu…`` and ``vc…`` of
        ``unjudged_vacancy_share`` and ``common_skill_vacancy_share``, when set); ``.truth`` maps
        each candidate id to its source occupations.

    Raises
    ------
    ConfigError
        A bad argument or knob (the message names it), or a taxonomy without usable occupations.

    Notes
    -----
    Records are held as pydantic models (about 15–25 kB per full-ESCO candidate); for cohorts
    larger than memory allows, stream them with :func:`iter_candidates` or write them with
    :func:`write_cohort`. While it builds the records, :func:`cohort` pauses Python's cyclic
    garbage collector (the records hold no reference cycles, and repeated full collections over
    a growing heap would nearly double the time of a 100,000-candidate cohort); the collector's
    previous state is restored before it returns or raises.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> taxonomy = Taxonomy.default()
    >>> people, jobs = cohort(taxonomy, 50, 10, seed=3, host_language="nb", host_country="NO",
    ...                       region={"lat": 59.91, "lon": 10.75, "radius_km": 30, "code": "NO081"})
    >>> all(1 <= job.openings <= 5 for job in jobs)
    True
    >>> {lang.language for p in people for lang in p.languages if lang.native} >= {"nb"}
    True
    >>> try:
    ...     cohort(taxonomy, 5, 5, seed=3, noise_rate=-1)
    ... except ConfigError as err:
    ...     print(err)
    knob 'noise_rate' must be a number from 0 to 1, not -1
    """
    tb = _setup(taxonomy, {"n_candidates": n_candidates, "n_vacancies": n_vacancies}, seed, knobs)
    s = int(seed)
    with _gc_paused():
        pairs = [_candidate(tb, s, i) for i in range(int(n_candidates))]
        vacancies = [
            _vacancy_of(tb, s, stream, j) for stream, j in _all_vacancies(tb, int(n_vacancies))
        ]
    return SyntheticCohort(
        (p for p, _ in pairs),
        vacancies,
        truth={p.id: t for p, t in pairs},
        seed=s,
        config=tb.config,
    )


def iter_candidates(
    taxonomy: Taxonomy, n: int, *, seed: int, start: int = 0, **knobs: Any
) -> Iterator[CandidateProfile]:
    """Stream candidates ``start`` … ``start + n - 1``: the same records :func:`cohort` draws.

    Arguments are checked at the call, before the first record is drawn. Candidate ``i`` depends
    only on the seed, the knobs and ``i``, so shards drawn in parallel (``start=0``,
    ``start=10_000``, …) join into the cohort one call would draw.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> taxonomy = Taxonomy.default()
    >>> tail = list(iter_candidates(taxonomy, 2, seed=5, start=3))
    >>> [c.id for c in tail]
    ['c000004', 'c000005']
    >>> tail[0] == cohort(taxonomy, 5, 0, seed=5).candidates[3]
    True
    """
    tb = _setup(taxonomy, {"n": n, "start": start}, seed, knobs)
    return (p for p, _ in _candidates(tb, int(seed), int(start), int(n)))


def _candidates(
    tb: _Tables, seed: int, start: int, n: int
) -> Iterator[tuple[CandidateProfile, tuple[str, ...]]]:
    for i in range(start, start + n):
        yield _candidate(tb, seed, i)


def iter_truth(
    taxonomy: Taxonomy, n: int, *, seed: int, start: int = 0, **knobs: Any
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Stream the ground truth of candidates ``start`` … ``start + n - 1`` without drawing them.

    Yields ``(candidate id, source occupation URIs)``, main occupation first — what
    ``SyntheticCohort.truth`` holds — at a fraction of the cost of drawing the profiles.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> taxonomy = Taxonomy.default()
    >>> dict(iter_truth(taxonomy, 4, seed=2)) == dict(cohort(taxonomy, 4, 0, seed=2).truth)
    True
    """
    tb = _setup(taxonomy, {"n": n, "start": start}, seed, knobs)
    s, first = int(seed), int(start)

    def truths() -> Iterator[tuple[str, tuple[str, ...]]]:
        for i in range(first, first + int(n)):
            occupations = _draw_occupations(tb, _Draws(_record_rng(s, _CANDIDATES, i)))
            yield _candidate_id(i), tuple(tb.uris[tb.occ_concept[k]] for k in occupations)

    return truths()


def iter_vacancies(
    taxonomy: Taxonomy, n: int, *, seed: int, start: int = 0, **knobs: Any
) -> Iterator[Vacancy]:
    """Stream vacancies ``start`` … ``start + n - 1``: the same records :func:`cohort` draws.

    Only the vacancies drawn from occupations (``v…``): the extra vacancies of
    ``unjudged_vacancy_share`` and ``common_skill_vacancy_share`` come with :func:`cohort` and
    :func:`write_cohort`, which know how many vacancies are drawn.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> taxonomy = Taxonomy.default()
    >>> jobs = iter_vacancies(taxonomy, 3, seed=5)
    >>> next(jobs).id, next(jobs).id
    ('v000001', 'v000002')
    """
    tb = _setup(taxonomy, {"n": n, "start": start}, seed, knobs)
    s, first = int(seed), int(start)
    return (_vacancy(tb, s, j) for j in range(first, first + int(n)))


PathLike = str | os.PathLike[str]


def _check_path(path: object, name: str) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise ConfigError(f"{name} must be a str or os.PathLike, not {type(path).__name__}")
    return Path(path)


class _AtomicText:
    """A UTF-8 text file written beside its target and moved into place when complete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self.tmp = Path(tmp)
        self.file = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write(self, text: str) -> None:
        self.file.write(text)

    def commit(self) -> None:
        self.file.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.file.close()
        self.tmp.unlink(missing_ok=True)


def write_jsonl(path: PathLike, records: Iterable[BaseModel]) -> int:
    """Write records (candidates, vacancies, any pydantic model) as JSON Lines, one at a time.

    Each line is the record's ``model_dump_json()``, so equal records give equal bytes and
    :func:`~labourint_match.profiles.load_candidates` / ``load_vacancies`` read the file back. The
    file appears only once complete (written beside it, then moved into place).

    Returns
    -------
    int
        The number of records written.

    Raises
    ------
    ConfigError
        `path` is not a path, or an item is not a pydantic model (nothing is written).
    OSError
        The file cannot be written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from labourint_match import Taxonomy, load_vacancies
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "jobs.jsonl"
    >>> write_jsonl(path, iter_vacancies(Taxonomy.default(), 3, seed=0))
    3
    >>> load_vacancies(path).ids
    ('v000001', 'v000002', 'v000003')
    """
    target = _check_path(path, "path")
    out = _AtomicText(target)
    count = 0
    try:
        for record in records:
            if not isinstance(record, BaseModel):
                raise ConfigError(
                    f"item {count} is a {type(record).__name__}, not a CandidateProfile, "
                    "Vacancy or other pydantic model"
                )
            out.write(record.model_dump_json())
            out.write("\n")
            count += 1
    except BaseException:
        out.abort()
        raise
    out.commit()
    return count


def write_cohort(
    directory: PathLike,
    taxonomy: Taxonomy,
    n_candidates: int,
    n_vacancies: int,
    *,
    seed: int,
    shard_size: int | None = None,
    **knobs: Any,
) -> CohortFiles:
    """Draw a cohort straight to JSON Lines shards, never holding more than one record.

    Writes ``candidates-00000.jsonl`` …, ``vacancies-00000.jsonl`` … (one shard each unless
    `shard_size` is given), ``truth.jsonl`` and ``manifest.json`` (seed, counts, knobs,
    taxonomy content hash, file names) into `directory`, created if missing. The files hold the
    records :func:`cohort` would return, byte for byte the same for the same seed and knobs.

    Parameters
    ----------
    directory
        Where to write.
    taxonomy, n_candidates, n_vacancies, seed, **knobs
        As in :func:`cohort`.
    shard_size
        Most records per shard file; ``None``: one file per record kind.

    Returns
    -------
    CohortFiles
        The paths written.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> from labourint_match import Taxonomy, load_candidates
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> files = write_cohort(folder, Taxonomy.default(), 5, 2, seed=9, shard_size=2)
    >>> [p.name for p in files.candidates]
    ['candidates-00000.jsonl', 'candidates-00001.jsonl', 'candidates-00002.jsonl']
    >>> load_candidates(files.candidates[2]).ids
    ('c000005',)
    >>> json.loads(files.manifest.read_text())["n_candidates"]
    5
    """
    counts = {"n_candidates": n_candidates, "n_vacancies": n_vacancies}
    tb = _setup(taxonomy, counts, seed, knobs)
    if shard_size is not None and (
        isinstance(shard_size, bool)
        or not isinstance(shard_size, (int, np.integer))
        or shard_size < 1
    ):
        raise ConfigError(f"shard_size must be None or an integer >= 1, not {shard_size!r}"[:120])
    folder = _check_path(directory, "directory")
    folder.mkdir(parents=True, exist_ok=True)
    s, n_c, n_v = int(seed), int(n_candidates), int(n_vacancies)
    every = _all_vacancies(tb, n_v)  # the drawn vacancies, then the extra ones
    size = int(shard_size) if shard_size is not None else max(n_c, len(every), 1)

    def shards(n: int) -> list[tuple[int, int]]:
        return [(lo, min(lo + size, n)) for lo in range(0, n, size)] or [(0, 0)]

    candidate_files: list[Path] = []
    truth = _AtomicText(folder / "truth.jsonl")
    try:
        for number, (lo, hi) in enumerate(shards(n_c)):
            path = folder / f"candidates-{number:05d}.jsonl"
            out = _AtomicText(path)
            try:
                for profile, occupations in _candidates(tb, s, lo, hi - lo):
                    out.write(profile.model_dump_json())
                    out.write("\n")
                    truth.write(_truth_line(profile.id, occupations))
            except BaseException:
                out.abort()
                raise
            out.commit()
            candidate_files.append(path)
    except BaseException:
        truth.abort()
        raise
    truth.commit()
    vacancy_files: list[Path] = []
    for number, (lo, hi) in enumerate(shards(len(every))):
        path = folder / f"vacancies-{number:05d}.jsonl"
        write_jsonl(path, (_vacancy_of(tb, s, stream, j) for stream, j in every[lo:hi]))
        vacancy_files.append(path)
    from .._version import __version__

    manifest = {
        "generator": "labourint_match.synth",
        "version": __version__,
        "seed": s,
        "n_candidates": n_c,
        "n_vacancies": n_v,
        "shard_size": shard_size,
        "taxonomy": {
            "source": Path(tb.taxonomy.source).name,
            "content_hash": tb.taxonomy.content_hash,
        },
        "knobs": tb.config.to_dict(),
        "files": {
            "candidates": [p.name for p in candidate_files],
            "vacancies": [p.name for p in vacancy_files],
            "truth": "truth.jsonl",
        },
    }
    manifest_path = folder / "manifest.json"
    out = _AtomicText(manifest_path)
    out.write(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    out.commit()
    return CohortFiles(
        tuple(candidate_files), tuple(vacancy_files), folder / "truth.jsonl", manifest_path
    )
