"""The pure-Python reference: the matching score computed directly from models and the taxonomy.

Slow and obviously correct. It shares no code with the encoder or the kernels — it walks the
taxonomy through its public queries — and it records everything an explanation needs: which claim
met which requirement and how, the language fit per activity, the reasons a pair is not eligible.
The numba kernels must agree with it within 1e-6 on every pair (the tests check this); the sums
are taken in the same order so that they agree to the last bit in practice.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ..profiles import CEFR_LEVELS, CandidateProfile, Vacancy, is_concept_uri
from ..taxonomy import Taxonomy
from ..taxonomy._languages import canonical_language_code
from ._layout import ACTIVITIES
from ._relations import (
    REL_BROADER,
    REL_NARROWER,
    RELATED_DISTANCE,
    RELATION_CODES,
    SIBLING_DISTANCE,
    hierarchy_credit,
    siblings_count,
)
from .config import COMPONENTS, ScoringConfig

__all__ = ["PairDetail", "RequirementDetail", "LanguageDetail", "evaluate", "relation"]

EARTH_RADIUS_KM = 6371.0088

Resolve = Callable[[str], "str | None"]
#: A free-text skill's resolution confidence, and whether an adviser should check it (Matcher).
Confidence = Callable[[str], "tuple[float, bool]"]


#: The occupation (concept URI) a job title is read as, or None (Matcher's title resolver).
TitleOccupation = Callable[[str], "str | None"]


def _certain(text: str) -> tuple[float, bool]:
    return 1.0, False


def _no_titles(title: str) -> str | None:
    return None


def occupation_of(
    occupation: str | None, title: str | None, title_occupation: TitleOccupation
) -> str | None:
    """An experience's or a vacancy's occupation: its URI, else what its title is read as."""
    if occupation is not None:
        return occupation
    return title_occupation(title) if title else None


@dataclass(frozen=True)
class RequirementDetail:
    """How one skill requirement was met."""

    index: int
    text: str
    concept: str | None
    importance: str
    weight: float
    min_level: int | None
    credit: float
    claim_index: int | None
    claim_concept: str | None
    relation: str
    distance: int
    evidence: str | None
    level_factor: float
    confidence: float = 1.0
    uncertain: bool = False
    claim_confidence: float = 1.0
    claim_uncertain: bool = False


@dataclass(frozen=True)
class LanguageDetail:
    """One language requirement, per required activity: the level asked, held, and the fit."""

    language: str
    importance: str
    activity: str
    need: str
    have: str | None
    listed: bool
    fit_before_support: float
    fit: float


@dataclass
class PairDetail:
    """Everything the reference computes for one pair."""

    candidate_id: str
    vacancy_id: str
    reasons: list[str]
    components: dict[str, float]
    score: float
    requirements: list[RequirementDetail] = field(default_factory=list)
    languages: list[LanguageDetail] = field(default_factory=list)
    unresolved_claims: list[int] = field(default_factory=list)
    unresolved_requirements: list[int] = field(default_factory=list)
    distance_km: float | None = None
    authorisation_unknown: bool = False
    skill_unjudged: bool = False
    gate: float = 1.0
    day: date | None = None


def _bfs(
    taxonomy: Taxonomy, start: str, step: Callable[[str], tuple[str, ...]], depth: int
) -> dict[str, int]:
    found: dict[str, int] = {}
    frontier = [start]
    seen = {start}
    for d in range(1, depth + 1):
        nxt = []
        for node in frontier:
            for other in step(node):
                if other not in seen:
                    seen.add(other)
                    nxt.append(other)
                    found[other] = d
        frontier = nxt
    return found


def relation(
    taxonomy: Taxonomy, config: ScoringConfig, claim: str, required: str
) -> tuple[float, str, int]:
    """(credit, relation, distance) of claimed concept `claim` for required concept `required`.

    Examples
    --------
    >>> from labourint_match import Taxonomy, ScoringConfig
    >>> t = Taxonomy.default()
    >>> skill = t.concepts("skill")[100]
    >>> relation(t, ScoringConfig(), skill, skill)
    (1.0, 'exact', 0)
    >>> parent = t.broader(skill)[0]
    >>> relation(t, ScoringConfig(), skill, parent)  # a more specific skill meets the general one
    (0.9, 'narrower', 1)
    """
    options: list[tuple[float, str, int]] = []
    if claim == required:
        options.append((config.credit_exact, "exact", 0))
    depth = config.max_hierarchy_distance
    down = _bfs(taxonomy, required, taxonomy.narrower, depth)
    if claim in down:
        d = down[claim]
        options.append((hierarchy_credit(config, REL_NARROWER, d), "narrower", d))
    up = _bfs(taxonomy, required, taxonomy.broader, depth)
    if claim in up:
        d = up[claim]
        options.append((hierarchy_credit(config, REL_BROADER, d), "broader", d))
    if claim != required:
        for parent in taxonomy.broader(required):
            family = taxonomy.narrower(parent)
            usable = siblings_count(config, not taxonomy.broader(parent), len(family))
            if usable and claim in family:
                options.append((config.credit_sibling, "sibling", SIBLING_DISTANCE))
                break
        related = {r.skill for r in taxonomy.related_skills(required)}
        if claim in related or required in {r.skill for r in taxonomy.related_skills(claim)}:
            options.append((config.credit_related, "related", RELATED_DISTANCE))
    options = [o for o in options if o[0] > 0.0]
    if not options:
        return 0.0, "none", 0
    return max(options, key=lambda o: (o[0], -RELATION_CODES[o[1]]))


def _level_factor(config: ScoringConfig, level: int | None, min_level: int | None) -> float:
    if not min_level:
        return 1.0
    if not level:
        return config.level_unknown
    if level >= min_level:
        return 1.0
    return math.pow(config.level_decay, float(min_level - level))


def _cefr(level: str | None) -> int:
    return 0 if level is None else CEFR_LEVELS.index(level) + 1


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2.0) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _concept(text: str, resolve: Resolve) -> str | None:
    return text if is_concept_uri(text) else resolve(text)


def evaluate(
    candidate: CandidateProfile,
    vacancy: Vacancy,
    taxonomy: Taxonomy,
    config: ScoringConfig,
    *,
    as_of: date,
    resolve: Resolve,
    confidence: Confidence = _certain,
    title_occupation: TitleOccupation = _no_titles,
) -> PairDetail:
    """Score one pair from first principles, recording how every part was met.

    `candidate` and `vacancy` are taken as they are: the caller routes language-skill concepts
    to the language channel first (:class:`~._channels.LanguageChannels`), as the encoder's
    caller does. `confidence` gives each free-text skill's resolution confidence (which
    multiplies a claim's evidence factor and a requirement's weight) and whether it is ambiguous;
    `title_occupation` reads the title of an experience or a vacancy without an occupation URI.
    """
    vacancy_occupation = occupation_of(vacancy.occupation, vacancy.title, title_occupation)
    detail = PairDetail(candidate.id, vacancy.id, [], {}, 0.0)
    claims: list[tuple[int, str]] = []
    for i, claim in enumerate(candidate.skills):
        concept = _concept(claim.skill, resolve)
        if concept is None:
            detail.unresolved_claims.append(i)
        else:
            claims.append((i, concept))
    factor = {"essential": config.essential_factor, "optional": config.optional_factor}

    # -- skill --------------------------------------------------------------------------------
    total = 0.0
    w_total = 0.0
    for r_index, req in enumerate(vacancy.skills):
        concept = _concept(req.skill, resolve)
        r_conf, r_uncertain = (1.0, False) if is_concept_uri(req.skill) else confidence(req.skill)
        w = req.weight * factor[req.importance] * r_conf
        if concept is None:
            detail.unresolved_requirements.append(r_index)
            continue
        w_total += w
        best: tuple[float, int, str, str, int, float] | None = None
        for i, claim_concept in claims:
            rc, rel, dist = relation(taxonomy, config, claim_concept, concept)
            if rc <= 0.0:
                continue
            claim = candidate.skills[i]
            lf = _level_factor(config, claim.level, req.min_level)
            c_conf = 1.0 if is_concept_uri(claim.skill) else confidence(claim.skill)[0]
            credit = ((config.evidence_factor(claim.evidence) * c_conf) * rc) * lf
            if best is None or credit > best[0]:
                best = (credit, i, claim_concept, rel, dist, lf)
        if best is not None:
            total += w * best[0]
        claim_conf, claim_check = _claim_confidence(candidate, best, confidence)
        detail.requirements.append(
            RequirementDetail(
                index=r_index,
                text=req.skill,
                concept=concept,
                importance=req.importance,
                weight=w,
                min_level=req.min_level,
                credit=0.0 if best is None else best[0],
                claim_index=None if best is None else best[1],
                claim_concept=None if best is None else best[2],
                relation="none" if best is None else best[3],
                distance=0 if best is None else best[4],
                evidence=None if best is None else candidate.skills[best[1]].evidence,
                level_factor=1.0 if best is None else best[5],
                confidence=r_conf,
                uncertain=r_uncertain,
                claim_confidence=claim_conf,
                claim_uncertain=claim_check,
            )
        )
    detail.skill_unjudged = w_total <= 0.0
    s_skill = config.skill_unknown if detail.skill_unjudged else total / w_total

    # -- location and eligibility -------------------------------------------------------------
    within = True
    if vacancy.remote:
        s_loc = 1.0
    else:
        cl, vl = candidate.location, vacancy.location
        c_at = (cl.lat, cl.lon) if cl is not None else (None, None)
        v_at = (vl.lat, vl.lon) if vl is not None else (None, None)
        if None not in c_at and None not in v_at:
            reach = (
                candidate.max_commute_km
                if candidate.max_commute_km is not None
                else config.default_commute_km
            )
            d = _haversine(c_at[0], c_at[1], v_at[0], v_at[1])  # type: ignore[arg-type]
            detail.distance_km = d
            if d > reach:
                within = False
                s_loc = 0.0
            elif reach <= 0.0:  # a reach of 0 km: only the same spot, which is met fully
                s_loc = 1.0
            else:
                s_loc = 1.0 - config.location_distance_penalty * (d / reach)
        elif cl is not None and vl is not None and cl.region and vl.region:
            same = cl.region.strip().upper() == vl.region.strip().upper()
            s_loc = config.region_same if same else config.region_different
        else:
            s_loc = config.location_unknown
    day = vacancy.start_date or as_of
    detail.day = day
    allowed = candidate.work_authorisation.may_work_on(day)
    if allowed is None:
        detail.authorisation_unknown = True
        if not config.unknown_authorisation_eligible:
            detail.reasons.append("work_authorisation")
    elif not allowed:
        detail.reasons.append("work_authorisation")
    if not within:
        detail.reasons.append("out_of_reach")
    if vacancy.openings <= 0:
        detail.reasons.append("no_openings")
    wants, offers = candidate.preferences.hours, vacancy.hours
    if config.hours_must_match and "any" not in (wants, offers) and wants != offers:
        detail.reasons.append("hours")
    if config.preferred_occupations_only and not _preferred(
        taxonomy, candidate, vacancy_occupation
    ):
        detail.reasons.append("not_preferred")

    # -- language -----------------------------------------------------------------------------
    if not vacancy.languages:
        s_lang = 1.0
    else:
        soften = config.language_training_softening if vacancy.support.language_training else 0.0
        absent = 0.0 if candidate.recorded("languages") else config.language_not_recorded
        lt = 0.0
        lw = 0.0
        for lreq in vacancy.languages:
            code = canonical_language_code(lreq.language)
            entry = next(
                (e for e in candidate.languages if canonical_language_code(e.language) == code),
                None,
            )
            fit_sum = 0.0
            n_act = 0
            for activity in ACTIVITIES:
                need = _cefr(lreq.level_for(activity))
                if need <= 0:
                    continue
                n_act += 1
                have_level = None if entry is None else entry.level_for(activity)
                if entry is None:
                    fit = absent
                else:
                    have = _cefr(have_level)
                    if have <= 0:
                        fit = config.language_unknown
                    elif have >= need:
                        fit = 1.0
                    else:
                        fit = math.pow(config.cefr_decay, float(need - have))
                supported = fit + (1.0 - fit) * soften
                fit_sum += supported
                detail.languages.append(
                    LanguageDetail(
                        language=code,
                        importance=lreq.importance,
                        activity=activity,
                        need=CEFR_LEVELS[need - 1],
                        have=have_level,
                        listed=entry is not None,
                        fit_before_support=fit,
                        fit=supported,
                    )
                )
            f = factor[lreq.importance]
            if n_act > 0:
                lt += f * (fit_sum / n_act)
            else:
                lt += f * (1.0 if entry is not None else absent)
            lw += f
        s_lang = 1.0 if lw <= 0.0 else lt / lw

    # -- education ----------------------------------------------------------------------------
    if vacancy.min_isced is None:
        s_edu = 1.0
    elif not candidate.recorded("education"):
        s_edu = config.education_unknown
    else:
        s_edu = 0.0
        # Known: no formal education counts as a recognised ISCED 0 qualification.
        held = [(e.isced_level, e.recognition) for e in candidate.education] or [(0, "recognised")]
        for level, recognition in held:
            credit = config.recognition_credit(recognition)
            if level < vacancy.min_isced:
                credit = credit * math.pow(
                    config.education_below_decay, float(vacancy.min_isced - level)
                )
            s_edu = max(s_edu, credit)

    # -- experience ---------------------------------------------------------------------------
    need_months = vacancy.min_experience_months
    if need_months is None or need_months == 0:
        s_exp = 1.0
    else:
        months = 0.0
        unknown = False
        for exp in candidate.experience:
            exp_occupation = occupation_of(exp.occupation, exp.title, title_occupation)
            if vacancy_occupation is None or exp_occupation == vacancy_occupation:
                rate = 1.0
            elif exp_occupation is not None and _neighbours(
                taxonomy, exp_occupation, vacancy_occupation
            ):
                rate = config.experience_neighbour
            else:
                continue
            if exp.months is None:
                unknown = True
            else:
                months += rate * float(exp.months)
        s_exp = min(1.0, months / float(need_months))
        if unknown:
            low = config.experience_unknown
        elif not candidate.recorded("experience"):
            low = config.experience_not_recorded
        else:
            low = 0.0
        if s_exp < low:
            s_exp = low

    values = {
        "skill": s_skill,
        "language": s_lang,
        "education": s_edu,
        "location": s_loc,
        "experience": s_exp,
    }
    detail.components = {name: values[name] for name in COMPONENTS}
    weights = config.weights()
    detail.gate = config.gate_floor + (1.0 - config.gate_floor) * s_skill
    if detail.reasons:
        detail.score = 0.0
    else:
        rest = (
            weights["language"] * s_lang
            + weights["education"] * s_edu
            + weights["location"] * s_loc
            + weights["experience"] * s_exp
        )
        detail.score = weights["skill"] * s_skill + rest * detail.gate
    return detail


def _claim_confidence(
    candidate: CandidateProfile,
    best: tuple[float, int, str, str, int, float] | None,
    confidence: Confidence,
) -> tuple[float, bool]:
    """(confidence, needs checking) of the claim that met a requirement (URIs: certain)."""
    if best is None or is_concept_uri(candidate.skills[best[1]].skill):
        return 1.0, False
    return confidence(candidate.skills[best[1]].skill)


def _preferred(taxonomy: Taxonomy, candidate: CandidateProfile, occ: str | None) -> bool:
    """Whether the vacancy's occupation is one the person prefers (or narrower), or none stated."""
    wanted = candidate.preferences.occupations
    if not wanted:
        return True
    if occ is None:
        return False
    parents = set(taxonomy.broader(occ)) if occ in taxonomy else set()
    return any(w == occ or w in parents for w in wanted)


def _neighbours(taxonomy: Taxonomy, a: str, b: str) -> bool:
    pa, pb = set(taxonomy.broader(a)), set(taxonomy.broader(b))
    return b in pa or a in pb or bool(pa & pb)
