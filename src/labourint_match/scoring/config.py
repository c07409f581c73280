"""`ScoringConfig`: every factor of the score, with documented defaults.

The reasons behind each default are in ``docs/scoring.md``; the short form is in each field's
description. The configuration is frozen; derive variants with ``config.model_copy(update={...})``
(which re-validates through :meth:`ScoringConfig.replace`).
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import ConfigError

__all__ = ["COMPONENTS", "ScoringConfig"]

#: The score's components, in the order used everywhere (arrays, explanations, reports).
COMPONENTS: tuple[str, ...] = ("skill", "language", "education", "location", "experience")

_Unit = Field(ge=0.0, le=1.0)


class ScoringConfig(BaseModel):
    """All factors of the matching score. Frozen; every default is documented in docs/scoring.md.

    ``score = w_skill·S_skill + (Σ_k w_k·S_k)·(gate_floor + (1 − gate_floor)·S_skill)`` over the
    other components k (language, education, location, experience): the weights sum to 1, every
    ``S`` is in [0, 1], and the other components modulate the skill fit instead of adding to it,
    so a pair that meets none of the vacancy's skills scores at most :meth:`no_skill_bound`
    (0.09 by default). Ineligible pairs score 0.

    Examples
    --------
    >>> from labourint_match import ScoringConfig
    >>> config = ScoringConfig()
    >>> round(sum(config.weights().values()), 9)
    1.0
    >>> stricter = config.replace(gap_threshold=0.8)
    >>> stricter.gap_threshold, config.gap_threshold
    (0.8, 0.6)
    >>> round(config.no_skill_bound(), 4)
    0.09
    >>> ScoringConfig(weight_skill=0.9)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    labourint_match.errors.ConfigError: ScoringConfig: component weights must sum to 1 (they sum ...
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    # -- component weights -------------------------------------------------------------------
    weight_skill: float = Field(0.55, ge=0, le=1, description="Weight of the skill component.")
    weight_language: float = Field(
        0.15, ge=0, le=1, description="Weight of the language component."
    )
    weight_education: float = Field(
        0.10, ge=0, le=1, description="Weight of the education component."
    )
    weight_location: float = Field(
        0.10, ge=0, le=1, description="Weight of the location component."
    )
    weight_experience: float = Field(
        0.10, ge=0, le=1, description="Weight of the experience component."
    )

    gate_floor: float = Field(
        0.2,
        ge=0,
        le=1,
        description="Share of the other components' weight a pair keeps with no skill met "
        "(1: the old additive score; 0: nothing without a skill).",
    )
    skill_unknown: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Skill fit of a vacancy with no resolved skill requirement (unjudged).",
    )

    # -- skill requirements ------------------------------------------------------------------
    essential_factor: float = Field(1.0, gt=0, le=10, description="Multiplies essential weights.")
    optional_factor: float = Field(0.4, ge=0, le=10, description="Multiplies optional weights.")
    credit_exact: float = Field(1.0, ge=0, le=1, description="The claim is the required concept.")
    credit_narrower: float = Field(
        0.9,
        ge=0,
        le=1,
        description="The claim is one level narrower (more specific) than required.",
    )
    narrower_decay: float = Field(0.9, ge=0, le=1, description="Per further level narrower.")
    credit_broader: float = Field(
        0.6, ge=0, le=1, description="The claim is one level broader (more general) than required."
    )
    broader_decay: float = Field(0.6, ge=0, le=1, description="Per further level broader.")
    max_hierarchy_distance: int = Field(
        3, ge=0, le=10, description="Levels up or down the hierarchy that still earn credit."
    )
    credit_sibling: float = Field(
        0.35, ge=0, le=1, description="The claim and the requirement share a direct parent."
    )
    sibling_max_children: int = Field(
        20, ge=0, description="Parents with more children than this do not make siblings."
    )
    credit_related: float = Field(
        0.5, ge=0, le=1, description="ESCO relates the two skills (either direction)."
    )
    evidence_self_declared: float = Field(0.8, ge=0, le=1, description="Evidence: self-declared.")
    evidence_adviser_mapped: float = Field(0.9, ge=0, le=1, description="Evidence: adviser-mapped.")
    evidence_validated: float = Field(
        1.0, ge=0, le=1, description="Evidence: validated by prior-learning assessment."
    )
    evidence_certified: float = Field(1.0, ge=0, le=1, description="Evidence: certified.")
    level_decay: float = Field(
        0.75, ge=0, le=1, description="Per proficiency level below a requirement's minimum."
    )
    level_unknown: float = Field(
        0.85, ge=0, le=1, description="A requirement sets a minimum level the claim does not state."
    )

    # -- language ---------------------------------------------------------------------------
    cefr_decay: float = Field(0.6, ge=0, le=1, description="Per CEFR level below the requirement.")
    language_unknown: float = Field(
        0.5, ge=0, le=1, description="The language is listed without a level."
    )
    language_not_recorded: float = Field(
        0.5,
        gt=0,
        lt=1,
        description="Fit of a required language when the profile records no languages at all.",
    )
    language_training_softening: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of a language shortfall forgiven when language training is offered.",
    )

    # -- education --------------------------------------------------------------------------
    recognition_recognised: float = Field(1.0, ge=0, le=1, description="Recognised qualification.")
    recognition_partial: float = Field(0.75, ge=0, le=1, description="Partly recognised.")
    recognition_pending: float = Field(0.7, ge=0, le=1, description="Recognition under way.")
    recognition_unknown: float = Field(0.6, ge=0, le=1, description="Recognition status unknown.")
    recognition_not_recognised: float = Field(0.4, ge=0, le=1, description="Not recognised.")
    education_below_decay: float = Field(
        0.5, ge=0, le=1, description="Per ISCED level below the vacancy's minimum."
    )
    education_unknown: float = Field(
        0.5, ge=0, le=1, description="The profile lists no education (unknown, not none)."
    )

    # -- location ---------------------------------------------------------------------------
    default_commute_km: float = Field(
        40.0, gt=0, le=40_000, description="Reach when the profile gives no max_commute_km."
    )
    location_distance_penalty: float = Field(
        0.5, ge=0, le=1, description="Score lost at the edge of reach (linear in distance)."
    )
    region_same: float = Field(0.8, ge=0, le=1, description="Same region code, no coordinates.")
    region_different: float = Field(
        0.2, ge=0, le=1, description="Different region codes, no coordinates."
    )
    location_unknown: float = Field(0.5, ge=0, le=1, description="Either location unknown.")

    # -- experience -------------------------------------------------------------------------
    experience_neighbour: float = Field(
        0.75,
        ge=0,
        le=1,
        description="Months in a broader, narrower or sibling occupation count at this rate.",
    )
    experience_unknown: float = Field(
        0.5, ge=0, le=1, description="Relevant experience whose length is unknown."
    )

    experience_not_recorded: float = Field(
        0.5,
        gt=0,
        lt=1,
        description="Experience component when the profile records no experience at all.",
    )

    # -- gaps, support and eligibility ------------------------------------------------------
    gap_threshold: float = Field(
        0.6, ge=0, le=1, description="A requirement whose credit is below this is a gap."
    )
    max_supported_gaps: int = Field(
        3, ge=0, description="At most this many essential skill gaps can be bridged by support."
    )
    max_supported_language_levels: int = Field(
        2, ge=0, le=6, description="CEFR levels of shortfall that language training can bridge."
    )
    as_of: date | None = Field(
        None,
        description="Day against which 'start at once' is checked (None: the day the Matcher "
        "is created; set it for reproducible runs).",
    )
    unknown_authorisation_eligible: bool = Field(
        True,
        description="Whether a person whose right to work is unknown may be matched (flagged).",
    )
    hours_must_match: bool = Field(
        False,
        description="A full-time vacancy is not eligible for a person who prefers part time, "
        "nor the other way round ('any' on either side always matches); off by default: the "
        "explanation names a mismatch as a step to discuss.",
    )
    preferred_occupations_only: bool = Field(
        False,
        description="Only vacancies of a person's preferred occupations (or narrower ones) are "
        "eligible, for people who state any; off by default.",
    )

    @model_validator(mode="after")
    def _weights_sum_to_one(self) -> ScoringConfig:
        total = sum(self.weights().values())
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise ValueError(f"component weights must sum to 1 (they sum to {total:.6g})")
        return self

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise ConfigError(_describe(exc)) from None

    def no_skill_bound(self) -> float:
        """The highest score a pair can reach when it meets none of the vacancy's skills.

        ``(1 − weight_skill) · gate_floor``: every other component fully met, the skill fit 0.
        """
        return (1.0 - self.weight_skill) * self.gate_floor

    def weights(self) -> dict[str, float]:
        """Component weights by name, in :data:`COMPONENTS` order."""
        return {name: float(getattr(self, f"weight_{name}")) for name in COMPONENTS}

    def replace(self, **changes: Any) -> ScoringConfig:
        """A validated copy with some fields changed."""
        return ScoringConfig(**{**self.model_dump(), **changes})

    def evidence_factor(self, evidence: str) -> float:
        """The factor of one evidence level."""
        return float(getattr(self, f"evidence_{evidence}"))

    def recognition_credit(self, recognition: str) -> float:
        """The education credit of one recognition status."""
        return float(getattr(self, f"recognition_{recognition}"))

    def digest(self) -> str:
        """A short, stable hash of the configuration (for decision logs and caches)."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _describe(exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "config"
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        problems.append(f"{where}: {message}" if where != "config" else message)
    return "ScoringConfig: " + "; ".join(problems)
