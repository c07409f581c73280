"""What drawing records needs: per-call tables, one random stream per record, shared helpers.

:class:`_Tables` precomputes, once per call, the eligible occupations with their skills and
neighbours and the cumulative weights of every knob; :class:`_Draws` hands out the uniform doubles
of one record's stream (see "Determinism" in the package docstring).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..profiles import CEFR_LEVELS
from ..taxonomy import Taxonomy
from ._config import SynthConfig
from ._constants import (
    _BLOCK,
    _DEFAULT_MAJOR,
    _DOMESTIC_AGES,
    _HOST_REQUIREMENT,
    _N_COMMON_SKILLS,
    _NEWCOMER_AGES,
    _POPULARITY,
    _SUPPORT,
    ORIGINS,
)

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


# -- shared by candidates and vacancies ------------------------------------------------------------


def _level(index: int) -> str:
    return CEFR_LEVELS[max(0, min(index, len(CEFR_LEVELS) - 1))]


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
