"""Numba kernels: the matching score over arrays, exact top-k by candidate or by vacancy.

Only numpy and numba are imported here. Every function is compiled lazily on first call (nothing
compiles at import). Inputs are the named tuples of ``_encode.py`` (plain tuples of arrays to
numba) and a float64 config vector; indices into it are repeated below as literals with names,
because numba needs them as compile-time constants.

Exactness: the skill component of a pair is the same sum, in the same order (the vacancy's
requirement slots in order), whichever kernel computes it, and the full score adds the components
in one fixed order, so the candidate-major, vacancy-major and pairwise kernels give bit-identical
scores. Top-k pruning uses an upper bound that is computed with the same operations as the score
(every component replaced by its maximum, 1), so no pair that could enter the top-k is skipped.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import prange

from ._numba import jit

__all__ = ["rank_by_candidate", "rank_by_vacancy", "score_pairs"]

# Config vector indices (see _encode.CFG_*).
W_SKILL, W_LANGUAGE, W_EDUCATION, W_LOCATION, W_EXPERIENCE = 0, 1, 2, 3, 4
LEVEL_DECAY, LEVEL_UNKNOWN, CEFR_DECAY, LANGUAGE_UNKNOWN, LANG_SOFTEN = 5, 6, 7, 8, 9
EDU_BELOW_DECAY, EDU_UNKNOWN, LOC_PENALTY, REGION_SAME, REGION_DIFFERENT = 10, 11, 12, 13, 14
LOC_UNKNOWN, EXP_NEIGHBOUR, EXP_UNKNOWN, UNKNOWN_AUTH_OK = 15, 16, 17, 18

NO_DAY = -2147483648
LAST_DAY = 2147483647
EARTH_RADIUS_KM = 6371.0088


@jit
def level_factor(claim_level: int, min_level: int, cfg: Any) -> float:
    """Factor for a claim's proficiency against a requirement's minimum (1 when none is set)."""
    if min_level <= 0:
        return 1.0
    if claim_level <= 0:
        return float(cfg[LEVEL_UNKNOWN])
    if claim_level >= min_level:
        return 1.0
    return math.pow(cfg[LEVEL_DECAY], float(min_level - claim_level))


@jit
def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2.0) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@jit
def language_component(c: int, v: int, C: Any, V: Any, cfg: Any) -> float:
    """Mean CEFR fit over the vacancy's language requirements, weighted by importance."""
    lo, hi = V.lang_indptr[v], V.lang_indptr[v + 1]
    if hi == lo:
        return 1.0
    total = 0.0
    weights = 0.0
    soften = cfg[LANG_SOFTEN] if V.language_training[v] else 0.0
    for r in range(lo, hi):
        code = V.lang_code[r]
        entry = -1
        for e in range(C.lang_indptr[c], C.lang_indptr[c + 1]):
            if C.lang_code[e] == code:
                entry = e
                break
        fit_sum = 0.0
        n_act = 0
        for a in range(4):
            need = V.lang_min[r, a]
            if need <= 0:
                continue
            n_act += 1
            if entry < 0:
                fit = 0.0
            else:
                have = C.lang_level[entry, a]
                if have <= 0:
                    fit = cfg[LANGUAGE_UNKNOWN]
                elif have >= need:
                    fit = 1.0
                else:
                    fit = math.pow(cfg[CEFR_DECAY], float(need - have))
            fit = fit + (1.0 - fit) * soften
            fit_sum += fit
        f = V.lang_factor[r]
        if n_act > 0:
            total += f * (fit_sum / n_act)
        else:
            total += f * (1.0 if entry >= 0 else 0.0)
        weights += f
    if weights <= 0.0:
        return 1.0
    return total / weights


@jit
def education_component(c: int, v: int, C: Any, V: Any, cfg: Any) -> float:
    """Best credit over the candidate's qualifications against the vacancy's minimum ISCED."""
    need = V.min_isced[v]
    if need < 0:
        return 1.0
    lo, hi = C.edu_indptr[c], C.edu_indptr[c + 1]
    if hi == lo:
        return float(cfg[EDU_UNKNOWN])
    best = 0.0
    for e in range(lo, hi):
        credit = C.edu_credit[e]
        if C.edu_level[e] < need:
            credit = credit * math.pow(cfg[EDU_BELOW_DECAY], float(need - C.edu_level[e]))
        if credit > best:
            best = credit
    return best


@jit
def location_component(c: int, v: int, C: Any, V: Any, cfg: Any) -> tuple[float, bool]:
    """(S_location, within reach). Distance counts when both sides have coordinates."""
    if V.remote[v]:
        return 1.0, True
    if not (math.isnan(C.lat[c]) or math.isnan(V.lat[v])):
        reach = C.reach_km[c]
        d = haversine_km(C.lat[c], C.lon[c], V.lat[v], V.lon[v])
        if d > reach:
            return 0.0, False
        return 1.0 - cfg[LOC_PENALTY] * (d / reach), True
    if C.region[c] >= 0 and V.region[v] >= 0:
        if C.region[c] == V.region[v]:
            return float(cfg[REGION_SAME]), True
        return float(cfg[REGION_DIFFERENT]), True
    return float(cfg[LOC_UNKNOWN]), True


@jit
def _shares_parent(a: int, b: int, T: Any) -> bool:
    for i in range(T.broader_indptr[a], T.broader_indptr[a + 1]):
        pa = T.broader_indices[i]
        for j in range(T.broader_indptr[b], T.broader_indptr[b + 1]):
            if T.broader_indices[j] == pa:
                return True
    return False


@jit
def _is_parent(child: int, parent: int, T: Any) -> bool:
    for i in range(T.broader_indptr[child], T.broader_indptr[child + 1]):
        if T.broader_indices[i] == parent:
            return True
    return False


@jit
def experience_component(c: int, v: int, C: Any, V: Any, T: Any, cfg: Any) -> float:
    """Months in the vacancy's occupation (neighbours at a rate) against the minimum asked."""
    need = V.min_months[v]
    if need < 0.0:
        return 1.0
    if need == 0.0:
        return 1.0
    occ = V.occupation[v]
    months = 0.0
    unknown = False
    for e in range(C.exp_indptr[c], C.exp_indptr[c + 1]):
        o = C.exp_occupation[e]
        if occ < 0 or o == occ:
            rate = 1.0
        elif _is_parent(o, occ, T) or _is_parent(occ, o, T) or _shares_parent(o, occ, T):
            rate = cfg[EXP_NEIGHBOUR]
        else:
            continue
        if C.exp_months[e] < 0.0:
            unknown = True
        else:
            months += rate * C.exp_months[e]
    s = months / need
    if s > 1.0:
        s = 1.0
    if unknown and s < cfg[EXP_UNKNOWN]:
        s = cfg[EXP_UNKNOWN]
    return float(s)


@jit
def eligibility(c: int, v: int, C: Any, V: Any, cfg: Any, within_reach: bool) -> int:
    """Bitmask of reasons the pair is not eligible (0: eligible)."""
    reasons = 0
    day = V.start_day[v]
    before = C.auth_from[c] != NO_DAY and day < C.auth_from[c]
    after = day > C.auth_until[c]
    needs_date = C.auth_class[c] == 1 and C.auth_from[c] == NO_DAY
    unknown = (
        C.auth_class[c] == 2
        and C.auth_from[c] == NO_DAY
        and C.auth_until[c] == LAST_DAY
        and cfg[UNKNOWN_AUTH_OK] == 0.0
    )
    if before or after or needs_date or unknown:
        reasons |= 1
    if not within_reach:
        reasons |= 2
    if V.openings[v] <= 0:
        reasons |= 4
    return reasons


@jit
def full_score(
    c: int, v: int, s_skill: float, C: Any, V: Any, T: Any, cfg: Any
) -> tuple[float, int]:
    """(score, reasons) of a pair whose skill component is `s_skill`."""
    s_loc, within = location_component(c, v, C, V, cfg)
    reasons = eligibility(c, v, C, V, cfg, within)
    if reasons != 0:
        return 0.0, reasons
    s_lang = language_component(c, v, C, V, cfg)
    s_edu = education_component(c, v, C, V, cfg)
    s_exp = experience_component(c, v, C, V, T, cfg)
    score = (
        cfg[W_SKILL] * s_skill
        + cfg[W_LANGUAGE] * s_lang
        + cfg[W_EDUCATION] * s_edu
        + cfg[W_LOCATION] * s_loc
        + cfg[W_EXPERIENCE] * s_exp
    )
    return score, 0


@jit
def upper_bound(s_skill: float, cfg: Any) -> float:
    """The largest score a pair with this skill component can reach (same operation order)."""
    bound = (
        cfg[W_SKILL] * s_skill
        + cfg[W_LANGUAGE] * 1.0
        + cfg[W_EDUCATION] * 1.0
        + cfg[W_LOCATION] * 1.0
        + cfg[W_EXPERIENCE] * 1.0
    )
    return float(bound)


@jit
def _credit(a: int, b: int, R: Any) -> float:
    """Relation credit of claimed concept `a` for required concept `b` (binary search)."""
    lo = R.by_req_indptr[b]
    hi = R.by_req_indptr[b + 1]
    while lo < hi:
        mid = (lo + hi) // 2
        x = R.by_req_claim[mid]
        if x == a:
            return float(R.by_req_credit[mid])
        if x < a:
            lo = mid + 1
        else:
            hi = mid
    return 0.0


@jit
def skill_component_pair(c: int, v: int, C: Any, V: Any, R: Any, cfg: Any) -> float:
    """Skill component of one pair, by direct evaluation (slot order, as every kernel sums)."""
    w_total = V.total_weight[v]
    if w_total <= 0.0:
        return 1.0
    total = 0.0
    for s in range(V.slot_indptr[v], V.slot_indptr[v + 1]):
        b = V.slot_concept[s]
        best = 0.0
        seen = False
        for k in range(C.claim_indptr[c], C.claim_indptr[c + 1]):
            rc = _credit(C.claim_concept[k], b, R)
            if rc <= 0.0:
                continue
            cr = (C.claim_evidence[k] * rc) * level_factor(
                C.claim_level[k], V.slot_min_level[s], cfg
            )
            if not seen or cr > best:
                best = cr
                seen = True
        if seen:
            total += V.slot_weight[s] * best
    return float(total / w_total)


@jit(parallel=True)
def score_pairs(
    cand: Any, vac: Any, C: Any, V: Any, R: Any, T: Any, cfg: Any
) -> tuple[Any, Any, Any]:
    """Scores, reasons and skill components of explicit pairs ``(cand[i], vac[i])``."""
    n = cand.shape[0]
    scores = np.zeros(n, dtype=np.float64)
    reasons = np.zeros(n, dtype=np.int32)
    skills = np.zeros(n, dtype=np.float64)
    for i in prange(n):
        s = skill_component_pair(cand[i], vac[i], C, V, R, cfg)
        sc, why = full_score(cand[i], vac[i], s, C, V, T, cfg)
        scores[i] = sc
        reasons[i] = why
        skills[i] = s
    return scores, reasons, skills


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


@jit
def _threshold(top_s: Any, count: int, k: int) -> float:
    return top_s[count - 1] if count == k else -1.0


@jit(parallel=True)
def rank_by_candidate(
    C: Any, V: Any, R: Any, T: Any, cfg: Any, k: int, n_chunks: int
) -> tuple[Any, Any, Any]:
    """Exact top-k vacancies per candidate: (indices int32, scores float64, reasons int32)."""
    n_c = C.claim_indptr.shape[0] - 1
    n_v = V.slot_indptr.shape[0] - 1
    n_slots = V.slot_concept.shape[0]
    out_i = np.full((n_c, k), -1, dtype=np.int32)
    out_s = np.full((n_c, k), -1.0, dtype=np.float64)
    out_r = np.zeros((n_c, k), dtype=np.int32)
    free = np.flatnonzero(V.total_weight <= 0.0)
    chunk = (n_c + n_chunks - 1) // n_chunks
    for t in prange(n_chunks):
        lo = t * chunk
        hi = min(n_c, lo + chunk)
        best = np.zeros(n_slots, dtype=np.float64)
        slot_stamp = np.zeros(n_slots, dtype=np.int64)
        touched = np.empty(n_slots, dtype=np.int64)
        vac_stamp = np.zeros(n_v, dtype=np.int64)
        tvacs = np.empty(n_v, dtype=np.int64)
        s_skill = np.zeros(n_v, dtype=np.float64)
        done = np.zeros(n_v, dtype=np.int64)
        top_s = np.empty(k, dtype=np.float64)
        top_i = np.empty(k, dtype=np.int64)
        top_r = np.empty(k, dtype=np.int64)
        seed_s = np.empty(k, dtype=np.float64)
        seed_i = np.empty(k, dtype=np.int64)
        seed_r = np.empty(k, dtype=np.int64)
        for c in range(lo, hi):
            stamp = c + 1
            nt = 0
            for q in range(C.claim_indptr[c], C.claim_indptr[c + 1]):
                a = C.claim_concept[q]
                ev = C.claim_evidence[q]
                lv = C.claim_level[q]
                for e in range(R.by_claim_indptr[a], R.by_claim_indptr[a + 1]):
                    b = R.by_claim_req[e]
                    base = ev * R.by_claim_credit[e]
                    for p in range(V.post_indptr[b], V.post_indptr[b + 1]):
                        s = V.post_slot[p]
                        cr = base * level_factor(lv, V.slot_min_level[s], cfg)
                        if slot_stamp[s] != stamp:
                            slot_stamp[s] = stamp
                            best[s] = cr
                            touched[nt] = s
                            nt += 1
                        elif cr > best[s]:
                            best[s] = cr
            nv = 0
            for i in range(nt):
                v = V.slot_vacancy[touched[i]]
                if vac_stamp[v] != stamp:
                    vac_stamp[v] = stamp
                    tvacs[nv] = v
                    nv += 1
            for i in range(nv):
                v = tvacs[i]
                total = 0.0
                for s in range(V.slot_indptr[v], V.slot_indptr[v + 1]):
                    if slot_stamp[s] == stamp:
                        total += V.slot_weight[s] * best[s]
                s_skill[v] = total / V.total_weight[v]
            count = 0
            # Seed the threshold with the k best skill components (and vacancies asking nothing).
            for i in range(free.shape[0]):
                v = free[i]
                if vac_stamp[v] != stamp:
                    vac_stamp[v] = stamp
                    tvacs[nv] = v
                    nv += 1
                s_skill[v] = 1.0
            seed_n = 0
            for i in range(nv):
                v = tvacs[i]
                seed_n = _insert(seed_s, seed_i, seed_r, seed_n, k, s_skill[v], v, 0)
            for i in range(seed_n):
                v = seed_i[i]
                sc, why = full_score(c, v, s_skill[v], C, V, T, cfg)
                count = _insert(top_s, top_i, top_r, count, k, sc, v, why)
                done[v] = stamp
            for i in range(nv):
                v = tvacs[i]
                if done[v] == stamp:
                    continue
                if count == k and upper_bound(s_skill[v], cfg) < top_s[k - 1]:
                    continue
                sc, why = full_score(c, v, s_skill[v], C, V, T, cfg)
                count = _insert(top_s, top_i, top_r, count, k, sc, v, why)
                done[v] = stamp
            if count < k or upper_bound(0.0, cfg) >= top_s[k - 1]:
                for v in range(n_v):
                    if vac_stamp[v] == stamp:
                        continue
                    sc, why = full_score(c, v, 0.0, C, V, T, cfg)
                    count = _insert(top_s, top_i, top_r, count, k, sc, v, why)
            for i in range(count):
                out_i[c, i] = top_i[i]
                out_s[c, i] = top_s[i]
                out_r[c, i] = top_r[i]
    return out_i, out_s, out_r


@jit(parallel=True)
def rank_by_vacancy(
    C: Any, V: Any, R: Any, T: Any, cfg: Any, k: int, n_chunks: int
) -> tuple[Any, Any, Any]:
    """Exact top-k candidates per vacancy: (indices int32, scores float64, reasons int32)."""
    n_c = C.claim_indptr.shape[0] - 1
    n_v = V.slot_indptr.shape[0] - 1
    out_i = np.full((n_v, k), -1, dtype=np.int32)
    out_s = np.full((n_v, k), -1.0, dtype=np.float64)
    out_r = np.zeros((n_v, k), dtype=np.int32)
    chunk = (n_v + n_chunks - 1) // n_chunks
    for t in prange(n_chunks):
        lo = t * chunk
        hi = min(n_v, lo + chunk)
        best = np.zeros(n_c, dtype=np.float64)
        slot_stamp = np.zeros(n_c, dtype=np.int64)
        in_slot = np.empty(n_c, dtype=np.int64)
        cand_stamp = np.zeros(n_c, dtype=np.int64)
        tcands = np.empty(n_c, dtype=np.int64)
        acc = np.zeros(n_c, dtype=np.float64)
        done = np.zeros(n_c, dtype=np.int64)
        top_s = np.empty(k, dtype=np.float64)
        top_i = np.empty(k, dtype=np.int64)
        top_r = np.empty(k, dtype=np.int64)
        seed_s = np.empty(k, dtype=np.float64)
        seed_i = np.empty(k, dtype=np.int64)
        seed_r = np.empty(k, dtype=np.int64)
        for v in range(lo, hi):
            vstamp = v + 1
            nc = 0
            w_total = V.total_weight[v]
            for s in range(V.slot_indptr[v], V.slot_indptr[v + 1]):
                sstamp = s + 1
                b = V.slot_concept[s]
                mn = V.slot_min_level[s]
                ns = 0
                for e in range(R.by_req_indptr[b], R.by_req_indptr[b + 1]):
                    a = R.by_req_claim[e]
                    rc = R.by_req_credit[e]
                    for p in range(C.claim_post_indptr[a], C.claim_post_indptr[a + 1]):
                        c = C.claim_post_candidate[p]
                        q = C.claim_post_claim[p]
                        cr = (C.claim_evidence[q] * rc) * level_factor(C.claim_level[q], mn, cfg)
                        if slot_stamp[c] != sstamp:
                            slot_stamp[c] = sstamp
                            best[c] = cr
                            in_slot[ns] = c
                            ns += 1
                        elif cr > best[c]:
                            best[c] = cr
                for i in range(ns):
                    c = in_slot[i]
                    if cand_stamp[c] != vstamp:
                        cand_stamp[c] = vstamp
                        acc[c] = 0.0
                        tcands[nc] = c
                        nc += 1
                    acc[c] += V.slot_weight[s] * best[c]
            count = 0
            seed_n = 0
            if w_total <= 0.0:
                # A vacancy asking no skills: every candidate has skill component 1.
                for c in range(n_c):
                    sc, why = full_score(c, v, 1.0, C, V, T, cfg)
                    count = _insert(top_s, top_i, top_r, count, k, sc, c, why)
            else:
                for i in range(nc):
                    c = tcands[i]
                    acc[c] = acc[c] / w_total
                    seed_n = _insert(seed_s, seed_i, seed_r, seed_n, k, acc[c], c, 0)
                for i in range(seed_n):
                    c = seed_i[i]
                    sc, why = full_score(c, v, acc[c], C, V, T, cfg)
                    count = _insert(top_s, top_i, top_r, count, k, sc, c, why)
                    done[c] = vstamp
                for i in range(nc):
                    c = tcands[i]
                    if done[c] == vstamp:
                        continue
                    if count == k and upper_bound(acc[c], cfg) < top_s[k - 1]:
                        continue
                    sc, why = full_score(c, v, acc[c], C, V, T, cfg)
                    count = _insert(top_s, top_i, top_r, count, k, sc, c, why)
                    done[c] = vstamp
                if count < k or upper_bound(0.0, cfg) >= top_s[k - 1]:
                    for c in range(n_c):
                        if cand_stamp[c] == vstamp:
                            continue
                        sc, why = full_score(c, v, 0.0, C, V, T, cfg)
                        count = _insert(top_s, top_i, top_r, count, k, sc, c, why)
            for i in range(count):
                out_i[v, i] = top_i[i]
                out_s[v, i] = top_s[i]
                out_r[v, i] = top_r[i]
    return out_i, out_s, out_r
