"""Drawing one candidate: source occupations, skill claims, languages, education, the rest."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..profiles import CandidateProfile
from ._constants import _AGE_BANDS, _CANDIDATES, _FIELDS, _TYPICAL_ISCED, _UNKNOWNS, Origin
from ._tables import _days, _Draws, _level, _location, _pick, _record_rng, _row, _Tables

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


def _candidate_id(index: int) -> str:
    return f"c{index + 1:06d}"


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
