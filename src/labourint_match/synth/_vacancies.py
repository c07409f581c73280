"""Drawing one vacancy: from an occupation, or an extra one (unjudged or common-skill)."""

from __future__ import annotations

import math
from typing import Any

from ..profiles import Vacancy
from ._constants import (
    _COMMON_SKILL,
    _COMMON_SKILL_PREFIX,
    _DEFAULT_MAJOR,
    _REMOTE_TITLES,
    _TYPICAL_ISCED,
    _UNJUDGED,
    _UNJUDGED_PREFIX,
    _VACANCIES,
    _VAGUE_REQUIREMENTS,
)
from ._tables import _cdf, _days, _Draws, _level, _location, _pick, _record_rng, _Tables

# -- vacancies ------------------------------------------------------------------------------------


def _vacancy_id(index: int) -> str:
    return f"v{index + 1:06d}"


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
