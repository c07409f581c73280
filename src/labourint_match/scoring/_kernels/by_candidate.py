"""``rank_by_candidate``: the exact top-k vacancies of each candidate."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..._numba import jit
from .._layout import (
    CF_AUTH_CLASS,
    CF_AUTH_FROM,
    CF_AUTH_UNTIL,
    CF_EXP_FLOOR,
    CF_LANG_ABSENT,
    CF_LAT,
    CF_LON,
    CF_REACH,
    CF_REGION,
    CFG_GATE_FLOOR,
    CFG_HOURS_MATCH,
    CFG_LANG_SOFTEN,
    CFG_LANGUAGE_UNKNOWN,
    CFG_LOC_PENALTY,
    CFG_POW_CEFR,
    CFG_PREFERRED_ONLY,
    CFG_SKILL_UNKNOWN,
    CFG_UNKNOWN_AUTH_OK,
    CFG_W_LOCATION,
    NO_DAY,
    REASON_AUTHORISATION,
    REASON_NO_OPENINGS,
    VF_MIN_MONTHS,
    VF_OCCUPATION,
    VR_HOURS,
    VR_ISCED,
    VR_LAT,
    VR_MONTHS,
    VR_OCC,
    VR_OPENINGS,
    VR_REGION,
    VR_REMOTE,
    VR_START,
    VR_TRAINING,
)
from ._parallel import PARTS_PER_THREAD, split_run
from .components import (
    _bound,
    _experience_months,
    _experience_score,
    _location_cfg,
    _location_of,
    _wishes,
    education_component,
    experience_component,
    upper_bound,
)
from .expansion import (
    _clear,
    _never_authorised,
    _scratch,
    _skill_bounds,
    _skill_from_expansion,
)
from .geo import (
    EARTH_RADIUS_KM,
    KM_PER_DEGREE_LAT,
    _cells,
    _chord2,
    _haversine_limit,
    _near,
    _reach,
    _unit_vector,
)
from .topk import (
    N_BUCKETS,
    _bucket,
    _bucket_top,
    _floor,
    _insert,
    _vacancy_rows,
)


def rank_by_candidate(
    C: Any, V: Any, R: Any, T: Any, cfg: Any, k: int, n_chunks: int
) -> tuple[Any, Any, Any]:
    """Exact top-k vacancies per candidate: (indices int32, scores float64, reasons int32).

    The vacancies' rows and cells are built once (:func:`_vacancy_rows`, :func:`_cells`), then
    the `n_chunks` chunks of candidates are ranked by :func:`_rank_chunks`, in contiguous runs of
    chunks (``PARTS_PER_THREAD`` runs per thread) that each thread takes as it comes free
    (:func:`._parallel.split_run`); see :func:`_rank_chunks` for how. One fixed run per thread
    (as ``prange`` split it) left a thread idle whenever its run ended first.
    """
    n_c = C.claim_indptr.shape[0] - 1
    vf = V.features
    rows = _vacancy_rows(
        V.slot_indptr, V.slot_concept, V.slot_weight, V.slot_min_level, V.total_weight, vf,
        V.lang_indptr, V.lang_code, V.lang_min, V.lang_factor, V.post_indptr.shape[0] - 1,
    )  # fmt: skip
    cells = _cells(vf, rows[24])  # the vacancies placed on site, with coordinates
    out_i = np.full((n_c, k), -1, dtype=np.int32)
    out_s = np.full((n_c, k), -1.0, dtype=np.float64)
    out_r = np.zeros((n_c, k), dtype=np.int32)

    def chunks(lo: int, hi: int) -> None:
        _rank_chunks(C, V, R, T, cfg, k, n_chunks, lo, hi, rows, cells, out_i, out_s, out_r)

    split_run(chunks, n_chunks, per_thread=PARTS_PER_THREAD)
    return out_i, out_s, out_r


@jit
def _rank_chunks(
    C: Any, V: Any, R: Any, T: Any, cfg: Any, k: int, n_chunks: int, t_lo: int, t_hi: int,
    rows: Any, cells: Any, out_i: Any, out_s: Any, out_r: Any,
) -> None:  # fmt: skip
    """Rank the candidates of chunks `t_lo` to `t_hi` (of `n_chunks`) into rows of `out_*`.

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
    candidates are split between them. `rows` and `cells` are what :func:`_vacancy_rows` and
    :func:`_cells` give; the chunks write disjoint rows of `out_*`.
    """
    cl_ip, cl_cn, cl_ev, cl_lv = C.claim_indptr, C.claim_concept, C.claim_evidence, C.claim_level
    sl_ip = V.slot_indptr
    w_tot = V.total_weight
    bc_ip, bc_rq, bc_cr = R.by_claim_indptr, R.by_claim_req, R.by_claim_credit
    cf, vf = C.features, V.features
    la_ip, la_cd, la_lv = C.lang_indptr, C.lang_code, C.lang_level
    ed_ip, ed_lv, ed_cr = C.edu_indptr, C.edu_level, C.edu_credit
    ex_ip, ex_oc, ex_mo = C.exp_indptr, C.exp_occupation, C.exp_months
    b_ip, b_ix = T.broader_indptr, T.broader_indices
    p_ip, p_oc = C.pref_indptr, C.pref_occupation
    n_c = cl_ip.shape[0] - 1
    n_v = sl_ip.shape[0] - 1
    n_x = V.post_indptr.shape[0] - 1
    (
        grp_ip, grp_v, grp_of, gp_ip, gp_g, gp_w, grp_occ, grp_need, grp_any, m_lat, free, pos_of,
        vr, rs_ip, rs_cn, rs_w, rs_mn, rw_tot, rl_ip, rl_cd, rl_mn, rl_fa, max_isced, anywhere,
        _placed, start_sorted,
    ) = rows  # fmt: skip
    cell_ip, cell_v, cell_lon = cells
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
    # What the hot loop reads of cfg, read once (helpers taking cfg cost reference counts).
    lang_soften = cfg[CFG_LANG_SOFTEN]
    lang_unknown = cfg[CFG_LANGUAGE_UNKNOWN]
    loc = _location_cfg(cfg)
    chunk = (n_c + n_chunks - 1) // n_chunks
    for t in range(t_lo, t_hi):
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
                        s_exp_g = _experience_score(months_g, low_g, grp_need[g])
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
                            s_loc = _location_of(0.0, d_lo, reach, c_region, vr[ri, VR_REGION], loc)
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
                            s_loc = _location_of(
                                vr[ri, VR_REMOTE], distance, reach, c_region, vr[ri, VR_REGION], loc
                            )
                            s_edu = edu_of[int(vr[ri, VR_ISCED]) + 1]
                            if _bound(sb, 1.0, s_edu, s_loc, 1.0, cfg) < floor:
                                continue
                            if phase == 1:
                                s_exp = _experience_score(months_g, low_g, vr[ri, VR_MONTHS])
                            else:
                                s_exp = experience_component(
                                    c, int(vf[v, VF_OCCUPATION]), vf[v, VF_MIN_MONTHS], ex_ip,
                                    ex_oc, ex_mo, b_ip, b_ix, cfg, exp_floor,
                                )  # fmt: skip
                            if _bound(sb, 1.0, s_edu, s_loc, s_exp, cfg) < floor:
                                continue
                            # language_component(c, ri, la_ip, ..., rl_fa, training, absent,
                            # cfg) written out, the same operations: as an inlined call it cost
                            # a reference count per array on every pair.
                            s_lang = 1.0
                            l_lo, l_hi = rl_ip[ri], rl_ip[ri + 1]
                            if l_hi != l_lo:
                                l_total = 0.0
                                l_weights = 0.0
                                soften = lang_soften if vr[ri, VR_TRAINING] != 0.0 else 0.0
                                for r in range(l_lo, l_hi):
                                    entry = -1
                                    for e in range(la_ip[c], la_ip[c + 1]):
                                        if la_cd[e] == rl_cd[r]:
                                            entry = e
                                            break
                                    fit_sum = 0.0
                                    n_act = 0
                                    for a in range(4):
                                        need = rl_mn[r, a]
                                        if need <= 0:
                                            continue
                                        n_act += 1
                                        if entry < 0:
                                            fit = lang_absent
                                        else:
                                            have = la_lv[entry, a]
                                            if have <= 0:
                                                fit = lang_unknown
                                            elif have >= need:
                                                fit = 1.0
                                            else:
                                                fit = cfg[CFG_POW_CEFR + need - have]
                                        fit = fit + (1.0 - fit) * soften
                                        fit_sum += fit
                                    f = rl_fa[r]
                                    if n_act > 0:
                                        l_total += f * (fit_sum / n_act)
                                    else:
                                        l_total += f * (1.0 if entry >= 0 else lang_absent)
                                    l_weights += f
                                if l_weights > 0.0:
                                    s_lang = float(l_total / l_weights)
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
