"""Numba kernels: the matching score over arrays, exact top-k by candidate or by vacancy.

Only numpy and numba are imported here. Every function is compiled lazily on first call (nothing
compiles at import). The three entry points (:func:`score_pairs`, :func:`rank_by_candidate`,
:func:`rank_by_vacancy`) take the named tuples of ``_encode.py`` and unpack them into plain arrays
once; the per-pair helpers take plain arrays and scalars only, because passing a tuple of arrays
to a function makes numba reference-count every array in it on each call (measured: 1 µs per
call, against a few ns for plain arrays). Even plain arrays cost: a helper taking some twenty of
them that LLVM does not inline (:func:`pair_score`) spends about 250 ns per call on reference
counts, more than the work, so the per-pair helpers :func:`rank_by_candidate` calls on its hot
path are marked ``@jit(inline=True)``, which numba inlines into it before compiling (the rest,
such as :func:`experience_component` for the few pairs outside groups, are plain calls).

Exactness: the skill component of a pair is the same sum, in the same order (the vacancy's
requirement slots in order), whichever kernel computes it, and the whole score adds the components
in one fixed order, so the three kernels give bit-identical scores. Top-k pruning uses an upper
bound computed with the same operations as the score (each non-skill component replaced by its
maximum, 1, or by a value it cannot exceed), so no pair that could enter the top-k is skipped; the
skill bounds of :func:`rank_by_candidate`, sums in another order, are inflated by ``BOUND_SLACK``
to stay bounds despite rounding. Ineligible pairs (score 0) are recognised by cheap checks before
any component is computed.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import prange

from .._numba import jit
from ._layout import (
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

__all__ = ["rank_by_candidate", "rank_by_vacancy", "score_pairs"]

# Columns of the per-vacancy rows rank_by_candidate builds (VR_WIDTH wide): the fields examining a
# vacancy reads first come first, so that they share a cache line or two.
VR_ISCED, VR_START, VR_OPENINGS, VR_REMOTE, VR_LAT, VR_X, VR_Y, VR_Z = 0, 1, 2, 3, 4, 5, 6, 7
VR_RAD, VR_COS, VR_LON, VR_MONTHS, VR_TRAINING, VR_REGION, VR_HOURS, VR_OCC = range(8, 16)
VR_WIDTH = 16

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 111.0  # a lower bound: one degree of latitude is at least 110.57 km
# A skill sum added up in another order than the score's differs from it by at most
# (n - 1) × 2**-53 relatively (n terms, all >= 0): this factor covers any realistic n.
# The same holds for dividing each weight by the total before adding instead of the sum after.
BOUND_SLACK = 1.0 + 1e-9
# Added to every term of the product concept -> group: a group sharing a skill with a candidate
# gets a bound above 0 even if its terms are all 0, and it changes no bound of a realistic size
# (adding it to anything above 1e-285 rounds back to the same number).
TOUCHED = 2.0**-1000
N_BUCKETS = 64  # ranking by candidate visits groups in this many bands of skill bound
GROUP_MAX = 64  # ranking by candidate bounds vacancies in groups of at most this many
RUNS_BYTES = 2**28  # ranking by vacancy: memory for the runs' top-k in its first pass
CELL_DEG = 0.1  # ranking by candidate finds vacancies near a candidate in cells of this latitude
N_CELLS = 1801  # cells of latitude from the south pole: one to spare (_cell(90.0) is 1799)
PASS2_BLOCKS = 256  # ranking by vacancy: blocks of vacancies in its second pass


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


@jit
def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2.0) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


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
    if remote != 0.0:
        return 1.0
    if distance >= 0.0:
        if reach <= 0.0:  # a reach of 0 km: only the same spot is eligible, and it is met fully
            return 1.0
        return float(1.0 - cfg[CFG_LOC_PENALTY] * (distance / reach))
    if c_region >= 0.0 and v_region >= 0.0:
        if c_region == v_region:
            return float(cfg[CFG_REGION_SAME])
        return float(cfg[CFG_REGION_DIFFERENT])
    return float(cfg[CFG_LOC_UNKNOWN])


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
    return _experience_score(months, low, need, cfg)


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
def _experience_score(months: float, low: float, need: float, cfg: Any) -> float:
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


@jit
def _floor(top_s: Any, count: int, k: int) -> float:
    """The score a pair must reach to enter a full top-k (-1 while it is not full)."""
    return float(top_s[k - 1]) if count == k else -1.0


@jit
def _insert(
    top_s: Any, top_i: Any, top_r: Any, count: int, k: int, s: float, i: int, why: int
) -> int:
    """Insert (s, i) into the sorted top-k (score desc, index asc); return the new count."""
    if count == k:
        last = count - 1
        if s < top_s[last] or (s == top_s[last] and i > top_i[last]):
            return count
        pos = last
    else:
        pos = count
        count += 1
    while pos > 0 and (s > top_s[pos - 1] or (s == top_s[pos - 1] and i < top_i[pos - 1])):
        top_s[pos] = top_s[pos - 1]
        top_i[pos] = top_i[pos - 1]
        top_r[pos] = top_r[pos - 1]
        pos -= 1
    top_s[pos] = s
    top_i[pos] = i
    top_r[pos] = why
    return count


@jit(parallel=True)
def score_pairs(
    cand: Any, vac: Any, C: Any, V: Any, R: Any, T: Any, cfg: Any
) -> tuple[Any, Any, Any]:
    """Scores, reasons and skill components of explicit pairs ``(cand[i], vac[i])``."""
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
    n = cand.shape[0]
    scores = np.zeros(n, dtype=np.float64)
    reasons = np.zeros(n, dtype=np.int32)
    skills = np.zeros(n, dtype=np.float64)
    for i in prange(n):
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
    return scores, reasons, skills


@jit
def _expand_claims(
    c: int, st: int, cl_ip: Any, cl_cn: Any, cl_ev: Any, bc_ip: Any, bc_rq: Any, bc_cr: Any,
    ub: Any, ub_stamp: Any, head: Any, ent_q: Any, ent_rc: Any, ent_next: Any, tconc: Any,
) -> int:  # fmt: skip
    """Required concepts that candidate `c`'s claims earn credit for; returns how many.

    For each such concept ``b`` (listed in ``tconc``, marked ``ub_stamp[b] == st``): ``ub[b]``,
    the largest ``evidence × relation credit`` over the claims (the exact best credit of a slot
    asking `b` with no minimum level, and a bound of it otherwise, since level factors are at
    most 1), and from ``head[b]`` a linked list of the crediting claims with their credits.
    """
    nt = 0
    ne = 0
    for q in range(cl_ip[c], cl_ip[c + 1]):
        a = cl_cn[q]
        ev = cl_ev[q]
        for e in range(bc_ip[a], bc_ip[a + 1]):
            b = bc_rq[e]
            rc = bc_cr[e]
            x = ev * rc
            if ub_stamp[b] != st:
                ub_stamp[b] = st
                ub[b] = x
                head[b] = -1
                tconc[nt] = b
                nt += 1
            elif x > ub[b]:
                ub[b] = x
            ent_q[ne] = q
            ent_rc[ne] = rc
            ent_next[ne] = head[b]
            head[b] = ne
            ne += 1
    return nt


@jit(inline=True)
def _skill_from_expansion(
    v: int, st: int, sl_ip: Any, sl_cn: Any, sl_w: Any, sl_mn: Any, w_tot: Any,
    ub: Any, ub_stamp: Any, head: Any, ent_q: Any, ent_rc: Any, ent_next: Any,
    cl_ev: Any, cl_lv: Any, cfg: Any,
) -> float:  # fmt: skip
    """The exact skill component of vacancy `v` from a candidate's expansion (stamp `st`).

    The same sum as :func:`score_pairs`, slots in order: a slot with no minimum level takes the
    expansion's best ``evidence × credit`` (that product exactly, times 1.0), one with a minimum
    the best over the crediting claims of ``(evidence × credit) × level factor``. `ub` must be 0
    for every concept the expansion does not reach (the caller resets it after each candidate).
    """
    total = 0.0
    for s in range(sl_ip[v], sl_ip[v + 1]):
        b = sl_cn[s]
        mn = sl_mn[s]
        if mn <= 0:
            # ub is 0 for a concept the expansion does not reach, and adding 0.0 to a sum of
            # terms >= 0 leaves it unchanged: no test needed, the same sum as skipping the slot.
            total += sl_w[s] * ub[b]
        elif ub_stamp[b] == st:
            best = 0.0
            seen = False
            e = head[b]
            while e >= 0:
                q = ent_q[e]
                cr = (cl_ev[q] * ent_rc[e]) * level_factor(cl_lv[q], mn, cfg)
                if not seen or cr > best:
                    best = cr
                    seen = True
                e = ent_next[e]
            total += sl_w[s] * best
    return float(total / w_tot[v])


@jit
def _scratch(
    lo: int, hi: int, cl_ip: Any, cl_cn: Any, bc_ip: Any, n_x: int, n_g: int
) -> tuple[Any, Any, Any, Any, Any, Any, Any, Any, Any]:
    """Work arrays of :func:`_skill_bounds` for candidates `lo` to `hi`, allocated once per chunk.

    ``ub``, ``ub_stamp``, ``head`` and ``tconc`` per concept, the expansion's entries (as many as
    the largest expansion of the chunk), and ``acc`` and ``tgrp`` per group.
    """
    n_ent = 0
    for c in range(lo, hi):
        ne = 0
        for q in range(cl_ip[c], cl_ip[c + 1]):
            ne += bc_ip[cl_cn[q] + 1] - bc_ip[cl_cn[q]]
        n_ent = max(n_ent, ne)
    return (
        np.zeros(n_x, dtype=np.float64),
        np.zeros(n_x, dtype=np.int32),
        np.full(n_x, -1, dtype=np.int64),
        np.empty(n_x, dtype=np.int64),
        np.empty(n_ent, dtype=np.int64),
        np.empty(n_ent, dtype=np.float64),
        np.empty(n_ent, dtype=np.int64),
        np.zeros(n_g, dtype=np.float64),
        np.empty(n_g, dtype=np.int32),
    )


@jit(inline=True)
def _never_authorised(
    a_from: float, a_until: float, a_class: float, unknown_ok: bool, start_sorted: Any
) -> bool:
    """Whether a candidate may work for none of the vacancies (sorted start days given)."""
    if (a_class == AUTH_NEEDS_DATE and a_from == NO_DAY) or (
        a_class == AUTH_UNKNOWN and a_from == NO_DAY and a_until == LAST_DAY and not unknown_ok
    ):
        return True
    # No vacancy starts within the candidate's right to work.
    lo_day = 0 if a_from == NO_DAY else np.searchsorted(start_sorted, a_from, "left")
    return bool(np.searchsorted(start_sorted, a_until, "right") <= lo_day)


@jit(inline=True)
def _skill_bounds(
    c: int, st: int, cl_ip: Any, cl_cn: Any, cl_ev: Any, bc_ip: Any, bc_rq: Any, bc_cr: Any,
    ub: Any, ub_stamp: Any, head: Any, ent_q: Any, ent_rc: Any, ent_next: Any, tconc: Any,
    gp_ip: Any, gp_g: Any, gp_w: Any, acc: Any, tgrp: Any,
) -> tuple[int, int]:  # fmt: skip
    """Expand candidate `c`'s claims (stamp `st`) and bound the skill component per group.

    Returns (nt, nv): ``tconc[:nt]`` the concepts the expansion reaches (:func:`_expand_claims`),
    ``tgrp[:nv]`` the groups sharing a skill with the candidate, in index order, and ``acc[g]``
    a bound of the skill component of every member of group ``g``. The sparse product over the
    groups: acc is 0 for every group before (:func:`_clear` resets it), and each posting adds
    TOUCHED to its term, so a group shares a skill with the candidate exactly when acc > 0, even
    if every term is 0. The groups are then listed in one pass over acc (branch-free: tgrp[nv]
    is written for every group ``g``, and nv <= g), cheaper than keeping the list on every
    posting.
    """
    nt = _expand_claims(
        c, st, cl_ip, cl_cn, cl_ev, bc_ip, bc_rq, bc_cr, ub, ub_stamp, head, ent_q, ent_rc,
        ent_next, tconc,
    )  # fmt: skip
    for j in range(nt):
        b = tconc[j]
        u = ub[b]
        for p in range(gp_ip[b], gp_ip[b + 1]):
            acc[gp_g[p]] += gp_w[p] * u + TOUCHED
    nv = 0
    if nt > 0:
        for g in range(acc.shape[0]):
            tgrp[nv] = g
            nv += acc[g] > 0.0
    return nt, nv


@jit(inline=True)
def _clear(acc: Any, tgrp: Any, nv: int, ub: Any, tconc: Any, nt: int) -> None:
    """Reset what :func:`_skill_bounds` set for one candidate (acc and ub back to 0)."""
    for j in range(nv):
        acc[tgrp[j]] = 0.0
    for j in range(nt):
        ub[tconc[j]] = 0.0


@jit(inline=True)
def _anywhere(vf: Any, v: int) -> bool:
    """Whether vacancy `v` is within everyone's reach: remote, or without coordinates."""
    return bool(vf[v, VF_REMOTE] != 0.0 or math.isnan(vf[v, VF_LAT]))


@jit(inline=True)
def _chord2(vr: Any, r: int, c_x: float, c_y: float, c_z: float) -> float:
    """Squared chord between a candidate's unit vector and that of the vacancy of row `r`."""
    dx = c_x - vr[r, VR_X]
    dy = c_y - vr[r, VR_Y]
    dz = c_z - vr[r, VR_Z]
    return float(dx * dx + dy * dy + dz * dz)


@jit(inline=True)
def _reach(
    vr: Any, r: int, c_lat: float, c_lon: float, c_rad: float, c_cos: float,
    chord2: float, reach: float, h_out: float, h_far: float,
) -> tuple[int, float]:  # fmt: skip
    """(``REASON_OUT_OF_REACH`` or 0, distance or -1) of a candidate and the vacancy of row `r`.

    For an on-site vacancy with coordinates (columns VR_*). Pairs surely out of reach are told
    by latitude, then by the squared chord between the unit vectors (:func:`_chord2`), before
    any haversine distance (computed with the same operations as :func:`haversine_km`).
    """
    if abs(c_lat - vr[r, VR_LAT]) * KM_PER_DEGREE_LAT > reach:
        return REASON_OUT_OF_REACH, -1.0
    if chord2 * 0.25 > h_far:
        return REASON_OUT_OF_REACH, -1.0  # the chord alone puts it beyond reach
    dp = vr[r, VR_RAD] - c_rad
    dl = math.radians(vr[r, VR_LON] - c_lon)
    h = math.sin(dp / 2.0) ** 2 + c_cos * vr[r, VR_COS] * math.sin(dl / 2.0) ** 2
    if h > h_out:
        return REASON_OUT_OF_REACH, -1.0  # the distance would exceed the reach
    distance = 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
    if distance > reach:
        return REASON_OUT_OF_REACH, -1.0
    return 0, distance


@jit
def _vacancy_groups(
    sl_ip: Any, sl_cn: Any, sl_w: Any, w_tot: Any, vf: Any, n_x: int, g_max: int
) -> tuple[Any, Any, Any, Any, Any, Any, Any, Any]:
    """Groups of the vacancies asking skills, with an inverted index concept → group.

    A group holds vacancies of one occupation (or, without one, of one first required concept)
    that all ask some experience or all ask none, at most `g_max` of them, by number of slots.
    For each concept a group's vacancies ask, the index holds the largest (sum of that concept's
    slot weights) / (vacancy's total weight) over the group, inflated by ``BOUND_SLACK``: summed
    against a candidate's best credits per concept it bounds the skill component of every member.
    Returns the members (``grp_ip``, ``grp_v``), each vacancy's group (``grp_of``, -1 for those
    asking no skills), the index (``gp_ip`` by concept, ``gp_g``, ``gp_w``), and each group's
    occupation and smallest minimum of experience.
    """
    n_v = sl_ip.shape[0] - 1
    n_s = 0
    for v in range(n_v):
        n_s += w_tot[v] > 0.0
    key = np.empty(n_s, dtype=np.int64)
    ids = np.empty(n_s, dtype=np.int64)
    j = 0
    for v in range(n_v):
        if w_tot[v] > 0.0:
            occ = int(vf[v, VF_OCCUPATION])
            if occ < 0:
                occ = (1 << 24) + int(sl_cn[sl_ip[v]])  # concept indices are far below 2**24
            asks = 1 if vf[v, VF_MIN_MONTHS] > 0.0 else 0
            key[j] = (occ * 2 + asks) * 4096 + min(4095, sl_ip[v + 1] - sl_ip[v])
            ids[j] = v
            j += 1
    order = np.argsort(key, kind="mergesort")
    grp_v = np.empty(n_s, dtype=np.int32)
    starts = np.empty(n_s + 1, dtype=np.int64)
    grp_of = np.full(n_v, -1, dtype=np.int32)
    n_g = 0
    size = 0
    for j in range(n_s):
        v = ids[order[j]]
        if j == 0 or (key[order[j]] >> 12) != (key[order[j - 1]] >> 12) or size == g_max:
            starts[n_g] = j
            n_g += 1
            size = 0
        grp_v[j] = v
        grp_of[v] = n_g - 1
        size += 1
    starts[n_g] = n_s
    grp_ip = starts[: n_g + 1].copy()
    # (concept, group, weight) triples, then sorted by concept.
    n_slots = sl_cn.shape[0]
    t_b = np.empty(n_slots, dtype=np.int32)
    t_g = np.empty(n_slots, dtype=np.int32)
    t_w = np.empty(n_slots, dtype=np.float64)
    vw = np.zeros(n_x, dtype=np.float64)
    v_st = np.full(n_x, -1, dtype=np.int64)
    gw = np.zeros(n_x, dtype=np.float64)
    g_st = np.full(n_x, -1, dtype=np.int64)
    g_list = np.empty(n_x, dtype=np.int64)
    v_list = np.empty(n_x, dtype=np.int64)
    n_t = 0
    for g in range(n_g):
        ngl = 0
        for m in range(grp_ip[g], grp_ip[g + 1]):
            v = grp_v[m]
            nvl = 0
            for s in range(sl_ip[v], sl_ip[v + 1]):
                b = sl_cn[s]
                if v_st[b] != v:
                    v_st[b] = v
                    vw[b] = 0.0
                    v_list[nvl] = b
                    nvl += 1
                vw[b] += sl_w[s]
            for i in range(nvl):
                b = v_list[i]
                x = vw[b] * (BOUND_SLACK / w_tot[v])
                if g_st[b] != g:
                    g_st[b] = g
                    gw[b] = x
                    g_list[ngl] = b
                    ngl += 1
                elif x > gw[b]:
                    gw[b] = x
        for i in range(ngl):
            b = g_list[i]
            t_b[n_t] = b
            t_g[n_t] = g
            t_w[n_t] = gw[b]
            n_t += 1
    gp_ip = np.zeros(n_x + 1, dtype=np.int64)
    for i in range(n_t):
        gp_ip[t_b[i] + 1] += 1
    for b in range(n_x):
        gp_ip[b + 1] += gp_ip[b]
    fill = gp_ip[:-1].copy()
    gp_g = np.empty(n_t, dtype=np.int32)
    gp_w = np.empty(n_t, dtype=np.float64)
    for i in range(n_t):
        b = t_b[i]
        gp_g[fill[b]] = t_g[i]
        gp_w[fill[b]] = t_w[i]
        fill[b] += 1
    grp_occ = np.empty(n_g, dtype=np.int64)
    grp_need = np.empty(n_g, dtype=np.float64)
    for g in range(n_g):
        grp_occ[g] = int(vf[grp_v[grp_ip[g]], VF_OCCUPATION])
        need = math.inf
        for m in range(grp_ip[g], grp_ip[g + 1]):
            need = min(need, vf[grp_v[m], VF_MIN_MONTHS])
        grp_need[g] = need
    return grp_ip, grp_v, grp_of, gp_ip, gp_g, gp_w, grp_occ, grp_need


@jit
def _vacancy_rows(
    sl_ip: Any, sl_cn: Any, sl_w: Any, sl_mn: Any, w_tot: Any, vf: Any,
    vl_ip: Any, vl_cd: Any, vl_mn: Any, vl_fa: Any, n_x: int,
) -> Any:  # fmt: skip
    """What both rankings read of the vacancies, built once per call.

    The groups and their index concept -> group (:func:`_vacancy_groups`), members placed anywhere
    first and the rest by latitude (``grp_any``, ``m_lat``), the vacancies asking no skills
    (``free``), one row per vacancy in group order (``pos_of``, ``vr`` with columns ``VR_*``, and
    the slots and language requirements in row order, ``rs_*``, ``rl_*``), the largest minimum
    ISCED level, the vacancies placed anywhere and the rest (``placed``, in index order), and the
    sorted start days.
    """
    n_v = sl_ip.shape[0] - 1
    grp_ip, grp_v, grp_of, gp_ip, gp_g, gp_w, grp_occ, grp_need = _vacancy_groups(
        sl_ip, sl_cn, sl_w, w_tot, vf, n_x, GROUP_MAX
    )
    n_g = grp_ip.shape[0] - 1
    # Within each group, members placed anywhere (remote, or without coordinates) first, then the
    # rest by latitude: once a score of 0 cannot enter the top-k, a candidate with a bounded reach
    # needs only those and the members within the latitude band of its reach (grp_any[g] is
    # where the latitudes start; m_lat the members' latitudes).
    grp_any = np.empty(n_g, dtype=np.int64)
    m_lat = np.empty(grp_v.shape[0], dtype=np.float64)
    for g in range(n_g):
        lo_m = grp_ip[g]
        hi_m = grp_ip[g + 1]
        key = np.empty(hi_m - lo_m, dtype=np.float64)
        for m in range(lo_m, hi_m):
            v = grp_v[m]
            key[m - lo_m] = -math.inf if _anywhere(vf, v) else vf[v, VF_LAT]
        order_m = np.argsort(key, kind="mergesort")
        members = grp_v[lo_m:hi_m].copy()
        n_any = 0
        for j in range(hi_m - lo_m):
            grp_v[lo_m + j] = members[order_m[j]]
            m_lat[lo_m + j] = key[order_m[j]]
            n_any += key[order_m[j]] == -math.inf
        grp_any[g] = lo_m + n_any
    n_free = 0
    for v in range(n_v):
        if w_tot[v] <= 0.0:
            n_free += 1
    free = np.empty(n_free, dtype=np.int64)
    n_free = 0
    for v in range(n_v):
        if w_tot[v] <= 0.0:
            free[n_free] = v
            n_free += 1
    # The vacancies' side of eligibility and of the haversine distance, and the rest of what a
    # pair reads, one row per vacancy (columns VR_*) in group order so that a group's members are
    # read one after the other: members first, then the vacancies asking no skills (row pos_of[v]).
    pos_of = np.empty(n_v, dtype=np.int64)
    n_m = grp_v.shape[0]
    for m in range(n_m):
        pos_of[grp_v[m]] = m
    for j in range(n_free):
        pos_of[free[j]] = n_m + j
    vr = np.zeros((n_v, VR_WIDTH), dtype=np.float64)
    # The requirement slots, total weights and language requirements in row order too, so that
    # the members of a group read theirs one after the other (each vacancy's slots in its order).
    v_of_row = np.empty(n_v, dtype=np.int64)
    for v in range(n_v):
        v_of_row[pos_of[v]] = v
    rs_ip = np.zeros(n_v + 1, dtype=np.int64)
    rl_ip = np.zeros(n_v + 1, dtype=np.int64)
    for r in range(n_v):
        v = v_of_row[r]
        rs_ip[r + 1] = rs_ip[r] + sl_ip[v + 1] - sl_ip[v]
        rl_ip[r + 1] = rl_ip[r] + vl_ip[v + 1] - vl_ip[v]
    rs_cn = np.empty_like(sl_cn)
    rs_w = np.empty_like(sl_w)
    rs_mn = np.empty_like(sl_mn)
    rw_tot = np.empty_like(w_tot)
    rl_cd = np.empty_like(vl_cd)
    rl_mn = np.empty_like(vl_mn)
    rl_fa = np.empty_like(vl_fa)
    for r in range(n_v):
        v = v_of_row[r]
        rw_tot[r] = w_tot[v]
        d = rs_ip[r] - sl_ip[v]
        for x in range(sl_ip[v], sl_ip[v + 1]):
            rs_cn[x + d] = sl_cn[x]
            rs_w[x + d] = sl_w[x]
            rs_mn[x + d] = sl_mn[x]
        d = rl_ip[r] - vl_ip[v]
        for x in range(vl_ip[v], vl_ip[v + 1]):
            rl_cd[x + d] = vl_cd[x]
            rl_mn[x + d, :] = vl_mn[x, :]
            rl_fa[x + d] = vl_fa[x]
    max_isced = 8
    for v in range(n_v):
        r = pos_of[v]
        need = int(vf[v, VF_MIN_ISCED])  # -1 (none) or an ISCED level
        max_isced = max(max_isced, need)
        vr[r, VR_START] = vf[v, VF_START]
        vr[r, VR_OPENINGS] = vf[v, VF_OPENINGS]
        vr[r, VR_REMOTE] = vf[v, VF_REMOTE]
        vr[r, VR_LAT] = vf[v, VF_LAT]
        vr[r, VR_LON] = vf[v, VF_LON]
        vr[r, VR_RAD] = math.radians(vf[v, VF_LAT])
        vr[r, VR_COS] = math.cos(vr[r, VR_RAD])
        vr[r, VR_X], vr[r, VR_Y], vr[r, VR_Z] = _unit_vector(vf[v, VF_LAT], vf[v, VF_LON])
        vr[r, VR_ISCED] = need
        vr[r, VR_MONTHS] = vf[v, VF_MIN_MONTHS]
        vr[r, VR_TRAINING] = vf[v, VF_TRAINING]
        vr[r, VR_REGION] = vf[v, VF_REGION]
        vr[r, VR_HOURS] = vf[v, VF_HOURS]
        vr[r, VR_OCC] = vf[v, VF_OCCUPATION]
    # Vacancies placed anywhere, and the rest, for pairs sharing no skill: a candidate needs only
    # those and the rest near it (_cells, _near).
    n_anywhere = 0
    for v in range(n_v):
        n_anywhere += _anywhere(vf, v)
    anywhere = np.empty(n_anywhere, dtype=np.int64)
    placed = np.empty(n_v - n_anywhere, dtype=np.int64)
    n_anywhere = 0
    n_placed = 0
    for v in range(n_v):
        if _anywhere(vf, v):
            anywhere[n_anywhere] = v
            n_anywhere += 1
        else:
            placed[n_placed] = v
            n_placed += 1
    start_sorted = np.sort(vf[:, VF_START])
    return (
        grp_ip, grp_v, grp_of, gp_ip, gp_g, gp_w, grp_occ, grp_need, grp_any, m_lat, free, pos_of,
        vr, rs_ip, rs_cn, rs_w, rs_mn, rw_tot, rl_ip, rl_cd, rl_mn, rl_fa, max_isced, anywhere,
        placed, start_sorted,
    )  # fmt: skip


@jit
def _cells(vf: Any, placed: Any) -> tuple[Any, Any, Any]:
    """The vacancies `placed` (on site, with coordinates) in cells of latitude, for :func:`_near`.

    Returns ``cell_ip`` (where each cell of :func:`_cell` starts), ``cell_v`` (the vacancies, cell
    by cell, by longitude within each) and ``cell_lon`` (their longitudes).
    """
    n_placed = placed.shape[0]
    cell_ip = np.zeros(N_CELLS + 1, dtype=np.int64)
    for v in placed:
        cell_ip[_cell(vf[v, VF_LAT]) + 1] += 1
    for i in range(N_CELLS):
        cell_ip[i + 1] += cell_ip[i]
    # By longitude, then (a stable sort) by cell.
    lons = np.empty(n_placed, dtype=np.float64)
    for j in range(n_placed):
        lons[j] = vf[placed[j], VF_LON]
    by_lon = placed[np.argsort(lons, kind="mergesort")]
    cells = np.empty(n_placed, dtype=np.int64)
    for j in range(n_placed):
        cells[j] = _cell(vf[by_lon[j], VF_LAT])
    cell_v = by_lon[np.argsort(cells, kind="mergesort")]
    cell_lon = np.empty(n_placed, dtype=np.float64)
    for j in range(n_placed):
        cell_lon[j] = vf[cell_v[j], VF_LON]
    return cell_ip, cell_v, cell_lon


@jit(inline=True)
def _cell(lat: float) -> int:
    """Cell of a latitude in [-90, 90]: ``CELL_DEG`` degrees each from the south pole (monotone)."""
    return min(N_CELLS - 1, max(0, int((lat + 90.0) // CELL_DEG)))


@jit
def _lon_half_width(c_rad: float, radius: float) -> float:
    """Half the longitudes' span, in degrees, within `radius` km of a point at latitude `c_rad`.

    `c_rad` is in radians; the span is widened a little, and inf when that disc reaches a pole.
    On a sphere, the points within an angle δ of a point at latitude φ lie within
    ``asin(sin δ / cos φ)`` of its longitude when ``|φ| + δ < π/2`` (the meridians tangent to the
    disc). The margins (relative 1e-6 on δ and on the result) are far above rounding, in this
    and in the distance computed for a pair.
    """
    delta = radius / EARTH_RADIUS_KM * (1.0 + 1e-6) + 1e-12
    phi = abs(c_rad)
    if phi + delta >= math.pi / 2.0 - 1e-6:
        return math.inf
    half = math.asin(min(1.0, math.sin(delta) / math.cos(phi)))
    return float(math.degrees(half) * (1.0 + 1e-6) + 1e-9)


@jit(inline=True)
def _near(
    out: Any, cell_ip: Any, cell_v: Any, cell_lon: Any,
    c_lat: float, c_lon: float, c_rad: float, radius: float,
) -> int:  # fmt: skip
    """Fill `out` with the placed vacancies that may lie within `radius` km of a point.

    Returns how many; `radius` >= 0. A superset: the latitude band (``KM_PER_DEGREE_LAT`` km per
    degree at least) in whole cells, and in each the longitudes of :func:`_lon_half_width`, or all
    of them when that span crosses the antimeridian or reaches a pole (stored longitudes are within
    [-180, 180], as ``Location`` validates them).
    """
    lat_q = radius / KM_PER_DEGREE_LAT * (1.0 + 1e-9) + 1e-9
    half = _lon_half_width(c_rad, radius)
    lon_lo = c_lon - half
    lon_hi = c_lon + half
    if lon_lo < -180.0 or lon_hi > 180.0:
        lon_lo = -math.inf
        lon_hi = math.inf
    n = 0
    for cc in range(_cell(c_lat - lat_q), _cell(c_lat + lat_q) + 1):
        lo = cell_ip[cc]
        hi = cell_ip[cc + 1]
        a = lo + np.searchsorted(cell_lon[lo:hi], lon_lo, side="left")
        b = lo + np.searchsorted(cell_lon[lo:hi], lon_hi, side="right")
        for x in range(a, b):
            out[n] = cell_v[x]
            n += 1
    return n


@jit(parallel=True)
def rank_by_candidate(
    C: Any, V: Any, R: Any, T: Any, cfg: Any, k: int, n_chunks: int
) -> tuple[Any, Any, Any]:
    """Exact top-k vacancies per candidate: (indices int32, scores float64, reasons int32).

    Candidate-major, over groups of vacancies (:func:`_vacancy_groups`: one occupation, all
    asking experience or none). Each candidate's claims are expanded through the relation table
    into the best ``evidence × relation credit`` per required concept (a bound of the credit of
    every slot asking it, as level factors are at most 1); a sparse product with the index
    concept → group gives, for every group sharing a skill, a bound of the skill component of
    each member. Pairs are then scored in four phases, with one loop body:

    0. vacancies with no resolved skill requirement (skill ``CFG_SKILL_UNKNOWN``: unjudged);
    1. groups sharing a skill, best bound first (a counting sort into ``N_BUCKETS`` bands). A
       group is skipped when the upper bound of its members' scores (its skill bound, the
       candidate's experience component for the group's smallest minimum, the rest 1) is below
       the floor, the k-th score so far, and once a whole band is below it the rest are; a
       member when its bound with its education component is. Members placed anywhere come
       first in a group, the rest by latitude, and once only an eligible pair can enter the
       top-k, only those and the members within the latitude band of the reach are read;
    2. vacancies sharing no skill (skill exactly 0), in input order, while a pair scoring 0
       could still enter the top-k on its index;
    3. the rest of those, only if the top-k could take one: once it is full, only those that
       could be eligible (remote, without coordinates, or near enough, :func:`_near`: within the
       reach, and within the distance beyond which the location component alone puts a pair
       sharing no skill below the floor), and none for a candidate never authorised to work.

    Scoring a pair checks eligibility first (start day, openings, then :func:`_reach`; once only
    an eligible pair can enter, the chord between unit vectors bounds the location component
    before any haversine distance), then computes the location, education, experience and
    language components, each followed by a check of the bound, and
    the exact skill component last (:func:`_skill_from_expansion`, in slot order like
    :func:`score_pairs`); the components are added with the same operations as
    :func:`pair_score`. The vacancies' fields are read from rows in group order (columns
    ``VR_*``), so a group's members are read one after the other. Each candidate is handled on
    its own, so results do not depend on the number of threads; `n_chunks` only sets how the
    candidates are split between them.
    """
    cl_ip, cl_cn, cl_ev, cl_lv = C.claim_indptr, C.claim_concept, C.claim_evidence, C.claim_level
    sl_ip, sl_cn, sl_w, sl_mn = V.slot_indptr, V.slot_concept, V.slot_weight, V.slot_min_level
    w_tot = V.total_weight
    bc_ip, bc_rq, bc_cr = R.by_claim_indptr, R.by_claim_req, R.by_claim_credit
    cf, vf = C.features, V.features
    la_ip, la_cd, la_lv = C.lang_indptr, C.lang_code, C.lang_level
    ed_ip, ed_lv, ed_cr = C.edu_indptr, C.edu_level, C.edu_credit
    ex_ip, ex_oc, ex_mo = C.exp_indptr, C.exp_occupation, C.exp_months
    vl_ip, vl_cd, vl_mn, vl_fa = V.lang_indptr, V.lang_code, V.lang_min, V.lang_factor
    b_ip, b_ix = T.broader_indptr, T.broader_indices
    p_ip, p_oc = C.pref_indptr, C.pref_occupation
    n_c = cl_ip.shape[0] - 1
    n_v = sl_ip.shape[0] - 1
    n_x = V.post_indptr.shape[0] - 1
    out_i = np.full((n_c, k), -1, dtype=np.int32)
    out_s = np.full((n_c, k), -1.0, dtype=np.float64)
    out_r = np.zeros((n_c, k), dtype=np.int32)
    (
        grp_ip, grp_v, grp_of, gp_ip, gp_g, gp_w, grp_occ, grp_need, grp_any, m_lat, free, pos_of,
        vr, rs_ip, rs_cn, rs_w, rs_mn, rw_tot, rl_ip, rl_cd, rl_mn, rl_fa, max_isced, anywhere,
        placed, start_sorted,
    ) = _vacancy_rows(
        sl_ip, sl_cn, sl_w, sl_mn, w_tot, vf, vl_ip, vl_cd, vl_mn, vl_fa, n_x
    )  # fmt: skip
    cell_ip, cell_v, cell_lon = _cells(vf, placed)
    n_g = grp_ip.shape[0] - 1
    n_anywhere = anywhere.shape[0]
    n_free = free.shape[0]
    no_skill_bound = upper_bound(0.0, cfg)
    # How fast the location component lowers the score of a pair sharing no skill (skill 0).
    loc_slope = cfg[CFG_W_LOCATION] * cfg[CFG_LOC_PENALTY] * cfg[CFG_GATE_FLOOR]
    unknown_ok = cfg[CFG_UNKNOWN_AUTH_OK] != 0.0
    skill_unknown = cfg[CFG_SKILL_UNKNOWN]
    # Whether hours or preferred occupations can make a pair ineligible.
    wishes = cfg[CFG_HOURS_MATCH] != 0.0 or cfg[CFG_PREFERRED_ONLY] != 0.0
    chunk = (n_c + n_chunks - 1) // n_chunks
    for t in prange(n_chunks):
        lo = t * chunk
        hi = min(n_c, lo + chunk)
        ub, ub_stamp, head, tconc, ent_q, ent_rc, ent_next, acc, tgrp = _scratch(
            lo, hi, cl_ip, cl_cn, bc_ip, n_x, n_g
        )
        t_bucket = np.empty(n_g, dtype=np.int8)
        order = np.empty(n_g, dtype=np.int32)
        bucket_n = np.zeros(N_BUCKETS, dtype=np.int64)
        edu_of = np.empty(max_isced + 2, dtype=np.float64)
        top_s = np.empty(k, dtype=np.float64)
        top_i = np.empty(k, dtype=np.int64)
        top_r = np.empty(k, dtype=np.int64)
        near = np.empty(cell_v.shape[0], dtype=np.int64)
        for c in range(lo, hi):
            st = c + 1
            ri = 0
            months_g = 0.0
            low_g = 0.0
            exp_floor = cf[c, CF_EXP_FLOOR]
            lang_absent = cf[c, CF_LANG_ABSENT]
            # The candidate's side of eligibility and of the haversine distance (the same
            # operations as haversine_km), and its education component per minimum level.
            c_lat, c_lon, reach = cf[c, CF_LAT], cf[c, CF_LON], cf[c, CF_REACH]
            c_far = math.isnan(c_lat)
            c_region = cf[c, CF_REGION]
            c_rad = math.radians(c_lat)
            c_cos = math.cos(c_rad)
            a_from, a_until = cf[c, CF_AUTH_FROM], cf[c, CF_AUTH_UNTIL]
            # Never authorised for any vacancy: every pair scores 0, so the top-k is the first
            # vacancies by index (phases 0 and 2), and no expansion is needed.
            auth_never = _never_authorised(
                a_from, a_until, cf[c, CF_AUTH_CLASS], unknown_ok, start_sorted
            )
            nt = 0
            nv = 0
            if not auth_never:
                nt, nv = _skill_bounds(
                    c, st, cl_ip, cl_cn, cl_ev, bc_ip, bc_rq, bc_cr, ub, ub_stamp, head, ent_q,
                    ent_rc, ent_next, tconc, gp_ip, gp_g, gp_w, acc, tgrp,
                )  # fmt: skip
            h_out = _haversine_limit(reach)
            # The haversine term is a quarter of the squared chord between the unit vectors;
            # computed from them it is off by far less than this margin, so a quarter squared
            # chord above h_far surely means a haversine term above h_out.
            h_far = h_out * (1.0 + 1e-6) + 1e-12
            c_x, c_y, c_z = _unit_vector(c_lat, c_lon)
            # Half the latitude band of the reach (widened a little: the exact test follows), or
            # -1 when the candidate has no coordinates or an unbounded reach.
            lat_d = -1.0
            if not c_far and 0.0 <= reach < math.inf:
                lat_d = reach / KM_PER_DEGREE_LAT * (1.0 + 1e-9) + 1e-9
            for need in range(-1, max_isced + 1):
                edu_of[need + 1] = education_component(c, need, ed_ip, ed_lv, ed_cr, cfg)
            # Score pairs in four phases (see the docstring), with one loop body.
            count = 0
            band = False
            v_done = n_v
            for phase in range(4):
                if phase == 0:
                    n_items = n_free
                elif phase == 1:
                    bucket_n[:] = 0
                    for j in range(nv):
                        i = _bucket(acc[tgrp[j]])
                        t_bucket[j] = i
                        bucket_n[i] += 1
                    n_items = 0
                    for i in range(N_BUCKETS):
                        n_in = bucket_n[i]
                        bucket_n[i] = n_items
                        n_items += n_in
                    for j in range(nv):
                        i = t_bucket[j]
                        order[bucket_n[i]] = tgrp[j]
                        bucket_n[i] += 1
                elif phase == 2:
                    # Vacancies sharing no skill (skill 0), in input order, while a pair scoring
                    # 0 could still enter the top-k on its index; the rest are left to phase 3.
                    if count == k and no_skill_bound < top_s[k - 1]:
                        break
                    n_items = n_v
                else:
                    if count == k and no_skill_bound < top_s[k - 1]:
                        break
                    if v_done >= n_v or (count == k and auth_never):
                        break  # nothing left, or no pair left that could score above 0
                    # Phase 2 stopped with the top-k full and no pair scoring 0 able to enter, so
                    # only eligible pairs can: the vacancies that are remote or without
                    # coordinates, and those near enough (a superset: the exact test follows);
                    # all of them for a candidate without coordinates or with an unbounded reach.
                    band = count == k and lat_d >= 0.0
                    if band:
                        radius = reach
                        if loc_slope > 0.0 and reach > 0.0:
                            # Eligible at distance d, a pair sharing no skill scores at most
                            # no_skill_bound - loc_slope * d / reach: beyond this radius, more
                            # than 1e-12 below the floor, far more than the rounding of the score
                            # or of the bound (the weights sum to 1).
                            radius = min(
                                reach,
                                reach * ((no_skill_bound - top_s[k - 1] + 1e-12) / loc_slope),
                            )
                        n_near = _near(near, cell_ip, cell_v, cell_lon, c_lat, c_lon, c_rad, radius)
                        n_items = n_anywhere + n_near
                    else:
                        n_items = n_v
                for j in range(n_items):
                    v = 0
                    m_lo = j
                    m_hi = j + 1
                    m_lo2 = m_hi
                    m_hi2 = m_hi
                    gb = 0.0
                    s_exp_g = 1.0
                    if phase == 1:
                        g = order[j]
                        gb = acc[g]
                        if count == k and upper_bound(gb, cfg) < top_s[k - 1]:
                            # Buckets come best first: stop once a whole bucket is below.
                            if upper_bound(_bucket_top(_bucket(gb)), cfg) < top_s[k - 1]:
                                break
                            continue
                        # The candidate's experience component for the group's smallest need: a
                        # bound of every member's (the component falls as the need grows).
                        months_g = 0.0
                        low_g = 0.0
                        if grp_need[g] > 0.0:
                            months_g, low_g = _experience_months(
                                c, grp_occ[g], ex_ip, ex_oc, ex_mo, b_ip, b_ix, cfg, exp_floor
                            )
                        s_exp_g = _experience_score(months_g, low_g, grp_need[g], cfg)
                        if count == k and _bound(gb, 1.0, 1.0, 1.0, s_exp_g, cfg) < top_s[k - 1]:
                            continue
                        m_lo = grp_ip[g]
                        m_hi = grp_ip[g + 1]
                        if lat_d >= 0.0 and count == k and top_s[k - 1] > 0.0:
                            # Only eligible pairs can enter: the members placed anywhere, and
                            # those within the latitude band (m_lo2 to m_hi2).
                            m_hi = grp_any[g]
                            m_lo2 = m_hi + np.searchsorted(
                                m_lat[m_hi : grp_ip[g + 1]], c_lat - lat_d, side="left"
                            )
                            m_hi2 = m_hi + np.searchsorted(
                                m_lat[m_hi : grp_ip[g + 1]], c_lat + lat_d, side="right"
                            )
                        else:
                            m_lo2 = m_hi
                            m_hi2 = m_hi
                    elif phase == 2:
                        v = j
                        if count == k and (top_s[k - 1] > 0.0 or v >= top_i[k - 1]):
                            v_done = j
                            break
                        if w_tot[v] <= 0.0 or acc[grp_of[v]] > 0.0:
                            continue
                        ri = pos_of[v]
                    elif phase == 3:
                        if not band:
                            v = j
                        elif j < n_anywhere:
                            v = anywhere[j]
                        else:
                            v = near[j - n_anywhere]
                        if v < v_done or w_tot[v] <= 0.0 or acc[grp_of[v]] > 0.0:
                            continue
                        ri = pos_of[v]
                    n_first = m_hi - m_lo
                    for jm in range(n_first + m_hi2 - m_lo2):
                        m = m_lo + jm if jm < n_first else m_lo2 + jm - n_first
                        if phase == 0:
                            v = free[m]
                            ri = pos_of[v]
                        elif phase == 1:
                            v = grp_v[m]
                            ri = m
                            if count == k:
                                s_edu = edu_of[int(vr[ri, VR_ISCED]) + 1]
                                if _bound(gb, 1.0, s_edu, 1.0, s_exp_g, cfg) < top_s[k - 1]:
                                    continue
                        floor = _floor(top_s, count, k)
                        # Eligibility as eligibility() computes it, with the per-record parts taken
                        # from above, the distance only when the pair is near enough to need it, and
                        # nothing more for a pair with no right to work or no openings when a score
                        # of 0 could not enter the top-k.
                        day = vr[ri, VR_START]
                        why = 0
                        if (a_from != NO_DAY and day < a_from) or day > a_until or auth_never:
                            why = REASON_AUTHORISATION
                        if vr[ri, VR_OPENINGS] <= 0.0:
                            why |= REASON_NO_OPENINGS
                        if wishes:
                            why |= _wishes(
                                c, vr[ri, VR_HOURS], int(vr[ri, VR_OCC]), cf, p_ip, p_oc, b_ip,
                                b_ix, cfg,
                            )  # fmt: skip
                        if why != 0 and not (
                            count < k
                            or top_s[k - 1] < 0.0
                            or (top_s[k - 1] == 0.0 and v < top_i[k - 1])
                        ):
                            continue
                        distance = -1.0
                        on_site = vr[ri, VR_REMOTE] == 0.0
                        located = on_site and not (c_far or math.isnan(vr[ri, VR_LAT]))
                        sb = skill_unknown if phase == 0 else (gb if phase == 1 else 0.0)
                        chord2 = _chord2(vr, ri, c_x, c_y, c_z) if located else 0.0
                        if located and why == 0 and count == k and top_s[k - 1] > 0.0:
                            # Only an eligible pair can enter: its location component is bound
                            # with the chord between the unit vectors, never longer than the arc
                            # (less a margin for the rounding of both), before any distance.
                            if chord2 * 0.25 > h_far:
                                continue  # out of reach (see _reach)
                            d_lo = EARTH_RADIUS_KM * max(
                                0.0, math.sqrt(chord2) * (1.0 - 1e-9) - 1e-12
                            )
                            s_loc = _location(0.0, d_lo, reach, c_region, vr[ri, VR_REGION], cfg)
                            s_edu = edu_of[int(vr[ri, VR_ISCED]) + 1]
                            if _bound(sb, 1.0, s_edu, s_loc, 1.0, cfg) < floor:
                                continue
                        if located:
                            far, distance = _reach(
                                vr, ri, c_lat, c_lon, c_rad, c_cos, chord2, reach, h_out, h_far
                            )
                            why |= far
                        if why != 0:
                            sc = 0.0
                        else:
                            # The cheap components first, each bound checked with the skill bound
                            # (the group's, 1 for vacancies asking no skills, 0 for those sharing
                            # none), then the exact skill component.
                            s_loc = _location(
                                vr[ri, VR_REMOTE],
                                distance,
                                reach,
                                c_region,
                                vr[ri, VR_REGION],
                                cfg,
                            )
                            s_edu = edu_of[int(vr[ri, VR_ISCED]) + 1]
                            if _bound(sb, 1.0, s_edu, s_loc, 1.0, cfg) < floor:
                                continue
                            if phase == 1:
                                s_exp = _experience_score(months_g, low_g, vr[ri, VR_MONTHS], cfg)
                            else:
                                s_exp = experience_component(
                                    c, int(vf[v, VF_OCCUPATION]), vf[v, VF_MIN_MONTHS], ex_ip,
                                    ex_oc, ex_mo, b_ip, b_ix, cfg, exp_floor,
                                )  # fmt: skip
                            if _bound(sb, 1.0, s_edu, s_loc, s_exp, cfg) < floor:
                                continue
                            s_lang = language_component(
                                c, ri, la_ip, la_cd, la_lv, rl_ip, rl_cd, rl_mn, rl_fa,
                                vr[ri, VR_TRAINING] != 0.0, lang_absent, cfg,
                            )  # fmt: skip
                            if _bound(sb, s_lang, s_edu, s_loc, s_exp, cfg) < floor:
                                continue
                            s_skill = sb
                            if phase == 1:
                                s_skill = _skill_from_expansion(
                                    ri, st, rs_ip, rs_cn, rs_w, rs_mn, rw_tot, ub, ub_stamp, head,
                                    ent_q, ent_rc, ent_next, cl_ev, cl_lv, cfg,
                                )  # fmt: skip
                            sc = _bound(s_skill, s_lang, s_edu, s_loc, s_exp, cfg)
                        count = _insert(top_s, top_i, top_r, count, k, sc, v, why)
            for j in range(count):
                out_i[c, j] = top_i[j]
                out_s[c, j] = top_s[j]
                out_r[c, j] = top_r[j]
            _clear(acc, tgrp, nv, ub, tconc, nt)
    return out_i, out_s, out_r


@jit
def _unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    """The point at (lat, lon) on the unit sphere (NaN coordinates give NaN)."""
    p = math.radians(lat)
    q = math.radians(lon)
    return math.cos(p) * math.cos(q), math.cos(p) * math.sin(q), math.sin(p)


@jit
def _haversine_limit(reach: float) -> float:
    """A value of the haversine term ``h`` above which the distance surely exceeds `reach`.

    ``2 R asin(sqrt(h)) > reach`` exactly when ``h > sin(reach / 2R)**2``; the margin (relative
    1e-6, far above the few ulps of rounding in either computation) keeps the test conservative.
    """
    if math.isnan(reach):
        return reach  # no comparison holds: the distance is computed, as eligibility() does
    if reach < 0.0:
        return -1.0
    half = reach / (2.0 * EARTH_RADIUS_KM)
    if half >= math.pi / 2.0:
        return math.inf
    return float(math.sin(half) ** 2 * (1.0 + 1e-6))


@jit
def _bucket_top(i: int) -> float:
    """A bound of every skill bound in bucket `i` or later (one bucket of slack for rounding)."""
    if i <= 0:
        return math.inf
    return 1.0 - (i - 1) / N_BUCKETS


@jit
def _bucket(bound: float) -> int:
    """Bucket of a skill bound: 0 for the best (1 and above), N_BUCKETS - 1 for the worst."""
    if bound >= 1.0:
        return 0
    return min(N_BUCKETS - 1, int((1.0 - bound) * N_BUCKETS))


@jit(parallel=True)
def rank_by_vacancy(
    C: Any, V: Any, R: Any, T: Any, cfg: Any, k: int, n_chunks: int
) -> tuple[Any, Any, Any]:
    """Exact top-k candidates per vacancy: (indices int32, scores float64, reasons int32).

    Two passes.

    1. Candidate-major, over the same groups and bounds as :func:`rank_by_candidate`: the
       candidates are split into runs (`n_chunks`, fewer if their top-k would take more than
       ``RUNS_BYTES``), each with a top-k per vacancy of its own.
       Each candidate's claims are expanded and bounded per group (:func:`_skill_bounds`); a
       group is skipped when the upper bound of its members' scores is below the smallest
       floor (k-th score) of its members' top-k, a member when its bound is below its own.
       Only eligible pairs of vacancies asking skills are scored here, with the same steps and
       operations as :func:`rank_by_candidate`. The runs' top-k are then merged per vacancy
       (score desc, candidate index asc), which gives the same result however the candidates
       were split.
    2. Vacancy-major, for the vacancies where a pair scored here might still be missing: those
       with no resolved skill requirement (skill ``CFG_SKILL_UNKNOWN`` for everyone, left out of
       pass 1), and those whose merged top-k
       is not full or has a k-th score a pair sharing no skill could reach
       (``upper_bound(0.0)``). Every candidate not already in the top-k is scored with
       :func:`pair_score` and a skill component of 0 (``CFG_SKILL_UNKNOWN`` for a vacancy asking
       none).

    Why that is exact. Pass 1 prunes only against full top-k lists (floors are -1 until then),
    so a merged top-k that is not full holds every pair pass 1 kept. A pair pass 1 left out is
    either ineligible or of a group sharing no skill with the candidate: with a skill component
    of 0, pass 2 gives it its own score. Any other pair pass 1 did not keep (bounded out, or
    scored and pushed out) scored below its run's k-th score, or equal to it with a later
    candidate, so it cannot be in the merged top-k; pass 2 scores it with a skill component of
    0, at most its own score (the score is monotone in the skill component), and only raises the
    floor, so it loses
    again. A vacancy left out of pass 2 has a full top-k whose k-th score is above
    ``upper_bound(0.0)``, which no pair left out by pass 1 can reach (it scores 0, or at most
    that bound with no skill shared).

    Each run and each vacancy is handled on its own and the merge is exact, so results do not
    depend on the number of threads or runs. Each run starts with empty top-k lists, which take
    the most work to fill, so one run per thread is fastest (measured at 100,000 × 20,000 with
    two threads: 2.3 s with 2 runs, 3.3 s with 4, 4.9 s with 8).
    """
    cl_ip, cl_cn, cl_ev, cl_lv = C.claim_indptr, C.claim_concept, C.claim_evidence, C.claim_level
    sl_ip, sl_cn, sl_w, sl_mn = V.slot_indptr, V.slot_concept, V.slot_weight, V.slot_min_level
    w_tot = V.total_weight
    bc_ip, bc_rq, bc_cr = R.by_claim_indptr, R.by_claim_req, R.by_claim_credit
    cf, vf = C.features, V.features
    la_ip, la_cd, la_lv = C.lang_indptr, C.lang_code, C.lang_level
    ed_ip, ed_lv, ed_cr = C.edu_indptr, C.edu_level, C.edu_credit
    ex_ip, ex_oc, ex_mo = C.exp_indptr, C.exp_occupation, C.exp_months
    vl_ip, vl_cd, vl_mn, vl_fa = V.lang_indptr, V.lang_code, V.lang_min, V.lang_factor
    b_ip, b_ix = T.broader_indptr, T.broader_indices
    p_ip, p_oc = C.pref_indptr, C.pref_occupation
    n_c = cl_ip.shape[0] - 1
    n_v = sl_ip.shape[0] - 1
    n_x = V.post_indptr.shape[0] - 1
    (
        grp_ip, grp_v, _grp_of, gp_ip, gp_g, gp_w, grp_occ, grp_need, grp_any, m_lat, _free,
        _pos_of, vr, rs_ip, rs_cn, rs_w, rs_mn, rw_tot, rl_ip, rl_cd, rl_mn, rl_fa, max_isced,
        _anywhere, _placed, start_sorted,
    ) = _vacancy_rows(
        sl_ip, sl_cn, sl_w, sl_mn, w_tot, vf, vl_ip, vl_cd, vl_mn, vl_fa, n_x
    )  # fmt: skip
    n_g = grp_ip.shape[0] - 1
    unknown_ok = cfg[CFG_UNKNOWN_AUTH_OK] != 0.0
    wishes = cfg[CFG_HOURS_MATCH] != 0.0 or cfg[CFG_PREFERRED_ONLY] != 0.0  # see rank_by_candidate
    # Pass 1: each run's top-k per vacancy (scores, candidates, how many), at most RUNS_BYTES
    # for all of them, counting each run's working copy (32 bytes per entry): fewer runs also
    # means higher floors sooner.
    n_runs = max(1, min(n_chunks, n_c, RUNS_BYTES // max(1, 32 * n_v * k)))
    h_s = np.empty((n_runs, n_v, k), dtype=np.float64)
    h_i = np.empty((n_runs, n_v, k), dtype=np.int64)
    h_n = np.zeros((n_runs, n_v), dtype=np.int64)
    chunk = (n_c + n_runs - 1) // n_runs
    for t in prange(n_runs):
        lo = t * chunk
        hi = min(n_c, lo + chunk)
        ub, ub_stamp, head, tconc, ent_q, ent_rc, ent_next, acc, tgrp = _scratch(
            lo, hi, cl_ip, cl_cn, bc_ip, n_x, n_g
        )
        # This run's top-k per vacancy, its floor (the k-th score, -1 until full) and, per
        # group, the smallest floor of its members. Reasons are all 0: only eligible pairs.
        top_s = np.empty((n_v, k), dtype=np.float64)
        top_i = np.empty((n_v, k), dtype=np.int64)
        top_r = np.zeros(k, dtype=np.int64)
        top_n = np.zeros(n_v, dtype=np.int64)
        v_floor = np.full(n_v, -1.0, dtype=np.float64)
        g_floor = np.full(n_g, -1.0, dtype=np.float64)
        edu_of = np.empty(max_isced + 2, dtype=np.float64)
        for c in range(lo, hi):
            a_from, a_until = cf[c, CF_AUTH_FROM], cf[c, CF_AUTH_UNTIL]
            if _never_authorised(a_from, a_until, cf[c, CF_AUTH_CLASS], unknown_ok, start_sorted):
                continue  # every pair scores 0: left to pass 2
            st = c + 1
            nt, nv = _skill_bounds(
                c, st, cl_ip, cl_cn, cl_ev, bc_ip, bc_rq, bc_cr, ub, ub_stamp, head, ent_q,
                ent_rc, ent_next, tconc, gp_ip, gp_g, gp_w, acc, tgrp,
            )  # fmt: skip
            c_lat, c_lon, reach = cf[c, CF_LAT], cf[c, CF_LON], cf[c, CF_REACH]
            c_far = math.isnan(c_lat)
            c_region = cf[c, CF_REGION]
            c_rad = math.radians(c_lat)
            c_cos = math.cos(c_rad)
            exp_floor = cf[c, CF_EXP_FLOOR]
            lang_absent = cf[c, CF_LANG_ABSENT]
            h_out = _haversine_limit(reach)
            h_far = h_out * (1.0 + 1e-6) + 1e-12  # see rank_by_candidate
            c_x, c_y, c_z = _unit_vector(c_lat, c_lon)
            lat_d = -1.0
            if not c_far and 0.0 <= reach < math.inf:
                lat_d = reach / KM_PER_DEGREE_LAT * (1.0 + 1e-9) + 1e-9
            for need in range(-1, max_isced + 1):
                edu_of[need + 1] = education_component(c, need, ed_ip, ed_lv, ed_cr, cfg)
            for j in range(nv):
                g = tgrp[j]
                gb = acc[g]
                if upper_bound(gb, cfg) < g_floor[g]:
                    continue
                months_g = 0.0
                low_g = 0.0
                if grp_need[g] > 0.0:
                    months_g, low_g = _experience_months(
                        c, grp_occ[g], ex_ip, ex_oc, ex_mo, b_ip, b_ix, cfg, exp_floor
                    )
                s_exp_g = _experience_score(months_g, low_g, grp_need[g], cfg)
                if _bound(gb, 1.0, 1.0, 1.0, s_exp_g, cfg) < g_floor[g]:
                    continue
                # The members placed anywhere, and those within the latitude band of the reach
                # (all members for a candidate without coordinates or with an unbounded reach).
                m_lo = grp_ip[g]
                m_hi = grp_ip[g + 1]
                m_lo2 = m_hi
                m_hi2 = m_hi
                if lat_d >= 0.0:
                    m_hi = grp_any[g]
                    m_lo2 = m_hi + np.searchsorted(
                        m_lat[m_hi : grp_ip[g + 1]], c_lat - lat_d, side="left"
                    )
                    m_hi2 = m_hi + np.searchsorted(
                        m_lat[m_hi : grp_ip[g + 1]], c_lat + lat_d, side="right"
                    )
                n_first = m_hi - m_lo
                for jm in range(n_first + m_hi2 - m_lo2):
                    ri = m_lo + jm if jm < n_first else m_lo2 + jm - n_first
                    v = grp_v[ri]
                    floor = v_floor[v]
                    s_edu = edu_of[int(vr[ri, VR_ISCED]) + 1]
                    if _bound(gb, 1.0, s_edu, 1.0, s_exp_g, cfg) < floor:
                        continue
                    # Eligible pairs only (eligibility() in the same order): the rest score 0.
                    day = vr[ri, VR_START]
                    if (a_from != NO_DAY and day < a_from) or day > a_until:
                        continue
                    if vr[ri, VR_OPENINGS] <= 0.0:
                        continue
                    if wishes and _wishes(
                        c, vr[ri, VR_HOURS], int(vr[ri, VR_OCC]), cf, p_ip, p_oc, b_ip, b_ix, cfg
                    ) != 0:  # fmt: skip
                        continue
                    distance = -1.0
                    if vr[ri, VR_REMOTE] == 0.0 and not (c_far or math.isnan(vr[ri, VR_LAT])):
                        chord2 = _chord2(vr, ri, c_x, c_y, c_z)
                        if chord2 * 0.25 > h_far:
                            continue  # out of reach (see _reach)
                        d_lo = EARTH_RADIUS_KM * max(0.0, math.sqrt(chord2) * (1.0 - 1e-9) - 1e-12)
                        s_loc = _location(0.0, d_lo, reach, c_region, vr[ri, VR_REGION], cfg)
                        if _bound(gb, 1.0, s_edu, s_loc, 1.0, cfg) < floor:
                            continue
                        far, distance = _reach(
                            vr, ri, c_lat, c_lon, c_rad, c_cos, chord2, reach, h_out, h_far
                        )
                        if far != 0:
                            continue
                    s_loc = _location(
                        vr[ri, VR_REMOTE], distance, reach, c_region, vr[ri, VR_REGION], cfg
                    )
                    if _bound(gb, 1.0, s_edu, s_loc, 1.0, cfg) < floor:
                        continue
                    s_exp = _experience_score(months_g, low_g, vr[ri, VR_MONTHS], cfg)
                    if _bound(gb, 1.0, s_edu, s_loc, s_exp, cfg) < floor:
                        continue
                    s_lang = language_component(
                        c, ri, la_ip, la_cd, la_lv, rl_ip, rl_cd, rl_mn, rl_fa,
                        vr[ri, VR_TRAINING] != 0.0, lang_absent, cfg,
                    )  # fmt: skip
                    if _bound(gb, s_lang, s_edu, s_loc, s_exp, cfg) < floor:
                        continue
                    s_skill = _skill_from_expansion(
                        ri, st, rs_ip, rs_cn, rs_w, rs_mn, rw_tot, ub, ub_stamp, head,
                        ent_q, ent_rc, ent_next, cl_ev, cl_lv, cfg,
                    )  # fmt: skip
                    sc = _bound(s_skill, s_lang, s_edu, s_loc, s_exp, cfg)
                    # Candidates come in index order: a score equal to the floor loses.
                    if top_n[v] == k and sc <= floor:
                        continue
                    top_n[v] = _insert(top_s[v], top_i[v], top_r, top_n[v], k, sc, c, 0)
                    if top_n[v] == k:
                        v_floor[v] = top_s[v, k - 1]
                        gf = math.inf
                        for mm in range(grp_ip[g], grp_ip[g + 1]):
                            gf = min(gf, v_floor[grp_v[mm]])
                        g_floor[g] = gf
            _clear(acc, tgrp, nv, ub, tconc, nt)
        h_s[t] = top_s
        h_i[t] = top_i
        h_n[t] = top_n
    # Pass 2: merge the runs per vacancy, then score what pass 1 left out where it could enter.
    out_i = np.full((n_v, k), -1, dtype=np.int32)
    out_s = np.full((n_v, k), -1.0, dtype=np.float64)
    out_r = np.zeros((n_v, k), dtype=np.int32)
    no_skill_bound = upper_bound(0.0, cfg)
    # In blocks of vacancies, so that the few needing every candidate are spread over threads.
    n_blocks = min(n_v, PASS2_BLOCKS)
    v_chunk = (n_v + n_blocks - 1) // n_blocks
    for t in prange(n_blocks):
        top_s = np.empty(k, dtype=np.float64)
        top_i = np.empty(k, dtype=np.int64)
        top_r = np.empty(k, dtype=np.int64)
        for v in range(t * v_chunk, min(n_v, (t + 1) * v_chunk)):
            count = 0
            for u in range(n_runs):
                for j in range(h_n[u, v]):
                    count = _insert(top_s, top_i, top_r, count, k, h_s[u, v, j], h_i[u, v, j], 0)
            unjudged = w_tot[v] <= 0.0
            s_skill = cfg[CFG_SKILL_UNKNOWN] if unjudged else 0.0
            if unjudged or count < k or no_skill_bound >= top_s[k - 1]:
                kept = np.sort(top_i[:count])  # scored exactly in pass 1: skipped below
                n_kept = 0
                for c in range(n_c):
                    if n_kept < kept.shape[0] and kept[n_kept] == c:
                        n_kept += 1
                        continue
                    sc, why = pair_score(
                        c, v, s_skill, _floor(top_s, count, k), cf, vf,
                        la_ip, la_cd, la_lv, ed_ip, ed_lv, ed_cr, ex_ip, ex_oc, ex_mo,
                        vl_ip, vl_cd, vl_mn, vl_fa, b_ip, b_ix, p_ip, p_oc, cfg,
                    )  # fmt: skip
                    if sc >= 0.0:
                        count = _insert(top_s, top_i, top_r, count, k, sc, c, why)
            for j in range(count):
                out_i[v, j] = top_i[j]
                out_s[v, j] = top_s[j]
                out_r[v, j] = top_r[j]
    return out_i, out_s, out_r
