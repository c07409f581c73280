"""Reference tables of synthetic cohorts: origins, statuses, ISCO and ISCED tables, streams."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

__all__ = ["ORIGINS", "Origin"]

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
