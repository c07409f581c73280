"""The score of a pair: eligibility, the five components, their composition, and ``score_pairs``.

Every kernel scores through these functions, so that the three kernels give bit-identical scores
(see the package's docstring). :func:`score_pairs` scores a list of pairs; :func:`upper_bound` is
the largest score a pair with a given skill component can reach.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..._numba import jit
from .._layout import (
    AUTH_NEEDS_DATE,
    AUTH_UNKNOWN,
    CF_AUTH_CLASS,
    CF_AUTH_FROM,
    CF_AUTH_UNTIL,
    CF_EXP_FLOOR,
    CF_HOURS,
    CF_LANG_ABSENT,
    CF_LAT,
    CF_LON,
    CF_REACH,
    CF_REGION,
    CFG_EDU_UNKNOWN,
    CFG_EXP_NEIGHBOUR,
    CFG_EXP_UNKNOWN,
    CFG_GATE_FLOOR,
    CFG_GATE_SLOPE,
    CFG_HOURS_MATCH,
    CFG_LANG_SOFTEN,
    CFG_LANGUAGE_UNKNOWN,
    CFG_LEVEL_UNKNOWN,
    CFG_LOC_PENALTY,
    CFG_LOC_UNKNOWN,
    CFG_POW_CEFR,
    CFG_POW_EDUCATION,
    CFG_POW_LEVEL,
    CFG_PREFERRED_ONLY,
    CFG_REGION_DIFFERENT,
    CFG_REGION_SAME,
    CFG_SKILL_UNKNOWN,
    CFG_UNKNOWN_AUTH_OK,
    CFG_W_EDUCATION,
    CFG_W_EXPERIENCE,
    CFG_W_LANGUAGE,
    CFG_W_LOCATION,
    CFG_W_SKILL,
    LAST_DAY,
    NO_DAY,
    REASON_AUTHORISATION,
    REASON_HOURS,
    REASON_NO_OPENINGS,
    REASON_NOT_PREFERRED,
    REASON_OUT_OF_REACH,
    VF_HOURS,
    VF_LAT,
    VF_LON,
    VF_MIN_ISCED,
    VF_MIN_MONTHS,
    VF_OCCUPATION,
    VF_OPENINGS,
    VF_REGION,
    VF_REMOTE,
    VF_START,
    VF_TRAINING,
)
from ._parallel import PARTS_PER_THREAD, split_run
from .geo import (
    KM_PER_DEGREE_LAT,
    haversine_km,
)


@jit
def level_factor(claim_level: int, min_level: int, cfg: Any) -> float:
    """Factor for a claim's proficiency against a requirement's minimum (1 when none is set)."""
    if min_level <= 0:
        return 1.0
    if claim_level <= 0:
        return float(cfg[CFG_LEVEL_UNKNOWN])
    if claim_level >= min_level:
        return 1.0
    return float(cfg[CFG_POW_LEVEL + min_level - claim_level])


@jit(inline=True)
def _preferred(c: int, occ: int, p_ip: Any, p_oc: Any, b_ip: Any, b_ix: Any) -> bool:
    """Whether occupation `occ` is one candidate `c` prefers (or narrower), or `c` states none."""
    if p_ip[c + 1] == p_ip[c]:
        return True
    if occ < 0:
        return False
    for e in range(p_ip[c], p_ip[c + 1]):
        if p_oc[e] == occ or _is_parent(occ, p_oc[e], b_ip, b_ix):
            return True
    return False


@jit(inline=True)
def _wishes(
    c: int, v_hours: float, occ: int, cf: Any, p_ip: Any, p_oc: Any, b_ip: Any, b_ix: Any,
    cfg: Any,
) -> int:  # fmt: skip
    """The reasons bits of hours and preferred occupations (0 when both fit)."""
    why = 0
    c_hours = cf[c, CF_HOURS]
    if cfg[CFG_HOURS_MATCH] != 0.0 and c_hours * v_hours > 0.0 and c_hours != v_hours:
        why |= REASON_HOURS
    if cfg[CFG_PREFERRED_ONLY] != 0.0 and not _preferred(c, occ, p_ip, p_oc, b_ip, b_ix):
        why |= REASON_NOT_PREFERRED
    return why


@jit
def eligibility(
    cf: Any, vf: Any, c: int, v: int, cfg: Any, p_ip: Any, p_oc: Any, b_ip: Any, b_ix: Any
) -> tuple[int, float]:
    """(reasons, distance) of a pair.

    `reasons` is a bitmask of why it is not eligible (0: eligible; 1 right to work, 2 out of
    reach, 4 no openings, 8 hours, 16 not a preferred occupation); `distance` is in km, -1 when
    not computed.
    """
    reasons = 0
    if cfg[CFG_HOURS_MATCH] != 0.0 or cfg[CFG_PREFERRED_ONLY] != 0.0:
        reasons = _wishes(
            c, vf[v, VF_HOURS], int(vf[v, VF_OCCUPATION]), cf, p_ip, p_oc, b_ip, b_ix, cfg
        )
    distance = -1.0
    day = vf[v, VF_START]
    a_from = cf[c, CF_AUTH_FROM]
    a_until = cf[c, CF_AUTH_UNTIL]
    a_class = cf[c, CF_AUTH_CLASS]
    before = a_from != NO_DAY and day < a_from
    after = day > a_until
    needs_date = a_class == AUTH_NEEDS_DATE and a_from == NO_DAY
    unknown = (
        a_class == AUTH_UNKNOWN
        and a_from == NO_DAY
        and a_until == LAST_DAY
        and cfg[CFG_UNKNOWN_AUTH_OK] == 0.0
    )
    if before or after or needs_date or unknown:
        reasons |= REASON_AUTHORISATION
    if vf[v, VF_REMOTE] == 0.0 and not (math.isnan(cf[c, CF_LAT]) or math.isnan(vf[v, VF_LAT])):
        reach = cf[c, CF_REACH]
        if abs(cf[c, CF_LAT] - vf[v, VF_LAT]) * KM_PER_DEGREE_LAT > reach:
            # farther north or south than the reach: no need for the distance
            reasons |= REASON_OUT_OF_REACH
        else:
            distance = haversine_km(cf[c, CF_LAT], cf[c, CF_LON], vf[v, VF_LAT], vf[v, VF_LON])
            if distance > reach:
                reasons |= REASON_OUT_OF_REACH
    if vf[v, VF_OPENINGS] <= 0.0:
        reasons |= REASON_NO_OPENINGS
    return reasons, distance


@jit(inline=True)
def _location(
    remote: float, distance: float, reach: float, c_region: float, v_region: float, cfg: Any
) -> float:
    """S_location from the pair's fields (see :func:`location_component`)."""
    return _location_of(remote, distance, reach, c_region, v_region, _location_cfg(cfg))


@jit(inline=True)
def _location_cfg(cfg: Any) -> tuple[float, float, float, float]:
    """What :func:`_location_of` reads of `cfg`: penalty, same region, other region, unknown."""
    return (
        float(cfg[CFG_LOC_PENALTY]), float(cfg[CFG_REGION_SAME]),
        float(cfg[CFG_REGION_DIFFERENT]), float(cfg[CFG_LOC_UNKNOWN]),
    )  # fmt: skip


@jit(inline=True)
def _location_of(
    remote: float, distance: float, reach: float, c_region: float, v_region: float,
    loc: tuple[float, float, float, float],
) -> float:  # fmt: skip
    """:func:`_location` with `cfg` read beforehand (:func:`_location_cfg`).

    It takes no array, so a hot loop calls it inlined without a reference count.
    """
    if remote != 0.0:
        return 1.0
    if distance >= 0.0:
        if reach <= 0.0:  # a reach of 0 km: only the same spot is eligible, and it is met fully
            return 1.0
        return float(1.0 - loc[0] * (distance / reach))
    if c_region >= 0.0 and v_region >= 0.0:
        if c_region == v_region:
            return float(loc[1])
        return float(loc[2])
    return float(loc[3])


@jit
def location_component(cf: Any, vf: Any, c: int, v: int, distance: float, cfg: Any) -> float:
    """S_location of an eligible pair: distance within reach, else regions, else unknown."""
    return _location(
        vf[v, VF_REMOTE], distance, cf[c, CF_REACH], cf[c, CF_REGION], vf[v, VF_REGION], cfg
    )


@jit(inline=True)
def language_component(
    c: int, v: int, c_indptr: Any, c_code: Any, c_level: Any,
    v_indptr: Any, v_code: Any, v_min: Any, v_factor: Any, training: bool, absent: float,
    cfg: Any,
) -> float:  # fmt: skip
    """Mean CEFR fit over the vacancy's language requirements, weighted by importance.

    `absent` is the fit of a language the candidate does not list: 0, or the neutral value of a
    profile that records no languages at all (``CF_LANG_ABSENT``).
    """
    lo, hi = v_indptr[v], v_indptr[v + 1]
    if hi == lo:
        return 1.0
    total = 0.0
    weights = 0.0
    soften = cfg[CFG_LANG_SOFTEN] if training else 0.0
    for r in range(lo, hi):
        entry = -1
        for e in range(c_indptr[c], c_indptr[c + 1]):
            if c_code[e] == v_code[r]:
                entry = e
                break
        fit_sum = 0.0
        n_act = 0
        for a in range(4):
            need = v_min[r, a]
            if need <= 0:
                continue
            n_act += 1
            if entry < 0:
                fit = absent
            else:
                have = c_level[entry, a]
                if have <= 0:
                    fit = cfg[CFG_LANGUAGE_UNKNOWN]
                elif have >= need:
                    fit = 1.0
                else:
                    fit = cfg[CFG_POW_CEFR + need - have]
            fit = fit + (1.0 - fit) * soften
            fit_sum += fit
        f = v_factor[r]
        if n_act > 0:
            total += f * (fit_sum / n_act)
        else:
            total += f * (1.0 if entry >= 0 else absent)
        weights += f
    if weights <= 0.0:
        return 1.0
    return float(total / weights)


@jit
def education_component(c: int, need: int, indptr: Any, level: Any, credit: Any, cfg: Any) -> float:
    """Best credit over the candidate's qualifications against the minimum ISCED level."""
    if need < 0:
        return 1.0
    lo, hi = indptr[c], indptr[c + 1]
    if hi == lo:
        return float(cfg[CFG_EDU_UNKNOWN])
    best = 0.0
    for e in range(lo, hi):
        value = credit[e]
        if level[e] < need:
            value = value * cfg[CFG_POW_EDUCATION + need - level[e]]
        if value > best:
            best = value
    return float(best)


@jit
def _is_parent(child: int, parent: int, b_indptr: Any, b_indices: Any) -> bool:
    for i in range(b_indptr[child], b_indptr[child + 1]):  # noqa: SIM110 - a loop numba compiles
        if b_indices[i] == parent:
            return True
    return False


@jit
def _shares_parent(a: int, b: int, b_indptr: Any, b_indices: Any) -> bool:
    for i in range(b_indptr[a], b_indptr[a + 1]):
        for j in range(b_indptr[b], b_indptr[b + 1]):
            if b_indices[i] == b_indices[j]:
                return True
    return False


@jit
def experience_component(
    c: int, occ: int, need: float, indptr: Any, exp_occ: Any, exp_months: Any,
    b_indptr: Any, b_indices: Any, cfg: Any, floor: float,
) -> float:  # fmt: skip
    """Months in the vacancy's occupation (neighbours at a rate) against the minimum asked."""
    if need <= 0.0:
        return 1.0
    months, low = _experience_months(
        c, occ, indptr, exp_occ, exp_months, b_indptr, b_indices, cfg, floor
    )
    return _experience_score(months, low, need)


@jit(inline=True)
def _experience_months(
    c: int, occ: int, indptr: Any, exp_occ: Any, exp_months: Any,
    b_indptr: Any, b_indices: Any, cfg: Any, floor: float,
) -> tuple[float, float]:  # fmt: skip
    """Months counted for occupation `occ` (any, if -1), and the least the component can be.

    That least value is ``CFG_EXP_UNKNOWN`` when some relevant experience has an unknown length,
    `floor` otherwise: the candidate's ``CF_EXP_FLOOR``, the neutral value of a profile that
    records no experience at all (and does not say it has none), else 0.
    """
    months = 0.0
    unknown = False
    for e in range(indptr[c], indptr[c + 1]):
        o = exp_occ[e]
        if occ < 0 or o == occ:
            rate = 1.0
        elif (
            _is_parent(o, occ, b_indptr, b_indices)
            or _is_parent(occ, o, b_indptr, b_indices)
            or _shares_parent(o, occ, b_indptr, b_indices)
        ):
            rate = cfg[CFG_EXP_NEIGHBOUR]
        else:
            continue
        if exp_months[e] < 0.0:
            unknown = True
        else:
            months += rate * exp_months[e]
    if unknown:
        return months, float(cfg[CFG_EXP_UNKNOWN])
    return months, float(floor)


@jit(inline=True)
def _experience_score(months: float, low: float, need: float) -> float:
    """S_experience of `months` against a minimum of `need`, at least `low` (falls with `need`)."""
    if need <= 0.0:
        return 1.0
    s = months / need
    if s > 1.0:
        s = 1.0
    if s < low:
        s = low
    return float(s)


@jit
def _bound(
    s_skill: float, s_lang: float, s_edu: float, s_loc: float, s_exp: float, cfg: Any
) -> float:
    """The score from its components (unknown components passed as 1: a bound).

    ``w_skill·S_skill + (Σ_k w_k·S_k)·(gate_floor + (1 − gate_floor)·S_skill)``: every operation
    is monotone on numbers >= 0, so the result is monotone in each component, also as rounded.
    """
    rest = (
        cfg[CFG_W_LANGUAGE] * s_lang
        + cfg[CFG_W_EDUCATION] * s_edu
        + cfg[CFG_W_LOCATION] * s_loc
        + cfg[CFG_W_EXPERIENCE] * s_exp
    )
    gate = cfg[CFG_GATE_FLOOR] + cfg[CFG_GATE_SLOPE] * s_skill
    return float(cfg[CFG_W_SKILL] * s_skill + rest * gate)


@jit
def pair_score(
    c: int, v: int, s_skill: float, floor: float, cf: Any, vf: Any,
    cl_indptr: Any, cl_code: Any, cl_level: Any, ce_indptr: Any, ce_level: Any, ce_credit: Any,
    cx_indptr: Any, cx_occ: Any, cx_months: Any,
    vl_indptr: Any, vl_code: Any, vl_min: Any, vl_factor: Any,
    b_indptr: Any, b_indices: Any, p_indptr: Any, p_occ: Any, cfg: Any,
) -> tuple[float, int]:  # fmt: skip
    """(score, reasons) of a pair whose skill component is `s_skill`.

    The cheap components come first; as soon as a bound (the components not yet computed taken
    as 1) falls below `floor`, the pair cannot enter the top-k and ``(-1.0, 0)`` is returned.
    """
    reasons, distance = eligibility(cf, vf, c, v, cfg, p_indptr, p_occ, b_indptr, b_indices)
    if reasons != 0:
        return 0.0, reasons
    s_loc = location_component(cf, vf, c, v, distance, cfg)
    s_edu = education_component(c, int(vf[v, VF_MIN_ISCED]), ce_indptr, ce_level, ce_credit, cfg)
    if _bound(s_skill, 1.0, s_edu, s_loc, 1.0, cfg) < floor:
        return -1.0, 0
    s_exp = experience_component(
        c, int(vf[v, VF_OCCUPATION]), vf[v, VF_MIN_MONTHS], cx_indptr, cx_occ, cx_months,
        b_indptr, b_indices, cfg, cf[c, CF_EXP_FLOOR],
    )  # fmt: skip
    if _bound(s_skill, 1.0, s_edu, s_loc, s_exp, cfg) < floor:
        return -1.0, 0
    training = vf[v, VF_TRAINING] != 0.0
    s_lang = language_component(
        c, v, cl_indptr, cl_code, cl_level, vl_indptr, vl_code, vl_min, vl_factor, training,
        cf[c, CF_LANG_ABSENT], cfg,
    )  # fmt: skip
    return _bound(s_skill, s_lang, s_edu, s_loc, s_exp, cfg), 0


@jit
def upper_bound(s_skill: float, cfg: Any) -> float:
    """The largest score a pair with this skill component can reach (same operation order)."""
    return _bound(s_skill, 1.0, 1.0, 1.0, 1.0, cfg)


@jit
def _credit(a: int, b: int, by_req_indptr: Any, by_req_claim: Any, by_req_credit: Any) -> float:
    """Relation credit of claimed concept `a` for required concept `b` (binary search)."""
    lo = by_req_indptr[b]
    hi = by_req_indptr[b + 1]
    while lo < hi:
        mid = (lo + hi) // 2
        x = by_req_claim[mid]
        if x == a:
            return float(by_req_credit[mid])
        if x < a:
            lo = mid + 1
        else:
            hi = mid
    return 0.0


def score_pairs(
    cand: Any, vac: Any, C: Any, V: Any, R: Any, T: Any, cfg: Any
) -> tuple[Any, Any, Any]:
    """Scores, reasons and skill components of explicit pairs ``(cand[i], vac[i])``.

    :func:`_score_range` on contiguous ranges of the pairs, handed out to threads as they come
    free.
    """
    n = cand.shape[0]
    scores = np.zeros(n, dtype=np.float64)
    reasons = np.zeros(n, dtype=np.int32)
    skills = np.zeros(n, dtype=np.float64)

    def pairs(lo: int, hi: int) -> None:
        _score_range(cand, vac, C, V, R, T, cfg, lo, hi, scores, reasons, skills)

    if n:
        split_run(pairs, n, per_thread=PARTS_PER_THREAD)
    return scores, reasons, skills


@jit
def _score_range(
    cand: Any, vac: Any, C: Any, V: Any, R: Any, T: Any, cfg: Any, lo: int, hi: int,
    scores: Any, reasons: Any, skills: Any,
) -> None:  # fmt: skip
    """Score pairs `lo` to `hi` of :func:`score_pairs` into the same places of its outputs."""
    cl_ip, cl_cn, cl_ev, cl_lv = C.claim_indptr, C.claim_concept, C.claim_evidence, C.claim_level
    sl_ip, sl_cn, sl_w, sl_mn = V.slot_indptr, V.slot_concept, V.slot_weight, V.slot_min_level
    w_tot = V.total_weight
    rq_ip, rq_cl, rq_cr = R.by_req_indptr, R.by_req_claim, R.by_req_credit
    cf, vf = C.features, V.features
    la_ip, la_cd, la_lv = C.lang_indptr, C.lang_code, C.lang_level
    ed_ip, ed_lv, ed_cr = C.edu_indptr, C.edu_level, C.edu_credit
    ex_ip, ex_oc, ex_mo = C.exp_indptr, C.exp_occupation, C.exp_months
    vl_ip, vl_cd, vl_mn, vl_fa = V.lang_indptr, V.lang_code, V.lang_min, V.lang_factor
    b_ip, b_ix = T.broader_indptr, T.broader_indices
    p_ip, p_oc = C.pref_indptr, C.pref_occupation
    for i in range(lo, hi):
        c = cand[i]
        v = vac[i]
        s_skill = cfg[CFG_SKILL_UNKNOWN]  # a vacancy with no resolved requirement: unjudged
        if w_tot[v] > 0.0:
            total = 0.0
            for s in range(sl_ip[v], sl_ip[v + 1]):
                b = sl_cn[s]
                best = 0.0
                seen = False
                for q in range(cl_ip[c], cl_ip[c + 1]):
                    rc = _credit(cl_cn[q], b, rq_ip, rq_cl, rq_cr)
                    if rc <= 0.0:
                        continue
                    cr = (cl_ev[q] * rc) * level_factor(cl_lv[q], sl_mn[s], cfg)
                    if not seen or cr > best:
                        best = cr
                        seen = True
                if seen:
                    total += sl_w[s] * best
            s_skill = total / w_tot[v]
        sc, why = pair_score(
            c, v, s_skill, -1.0, cf, vf,
            la_ip, la_cd, la_lv, ed_ip, ed_lv, ed_cr, ex_ip, ex_oc, ex_mo,
            vl_ip, vl_cd, vl_mn, vl_fa, b_ip, b_ix, p_ip, p_oc, cfg,
        )  # fmt: skip
        scores[i] = sc
        reasons[i] = why
        skills[i] = s_skill
