"""The knobs of a synthetic cohort: :class:`SynthConfig` and :class:`Region`, validated.

Every knob is checked when the configuration is built; a bad one raises
:class:`~labourint_match.errors.ConfigError` naming it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..profiles import CEFR_LEVELS
from ._constants import (
    _COUNTRY_CODE,
    _EVIDENCE,
    _LANGUAGE_CODE,
    _NEWCOMER_STATUSES,
    _RECOGNITION,
    _REGION_CODE,
    _SUPPORT,
    ORIGINS,
)

__all__ = ["Region", "SynthConfig"]

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
