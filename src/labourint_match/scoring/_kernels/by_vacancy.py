"""``rank_by_vacancy``: the exact top-k candidates of each vacancy."""

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
    CFG_HOURS_MATCH,
    CFG_PREFERRED_ONLY,
    CFG_SKILL_UNKNOWN,
    CFG_UNKNOWN_AUTH_OK,
    NO_DAY,
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
    _location,
    _wishes,
    education_component,
    language_component,
    pair_score,
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
    _chord2,
    _haversine_limit,
    _reach,
    _unit_vector,
)
from .topk import (
    _floor,
    _insert,
    _vacancy_rows,
)

RUNS_BYTES = 2**28  # ranking by vacancy: memory for the runs' top-k in its first pass
PASS2_BLOCKS = 256  # ranking by vacancy: blocks of vacancies in its second pass


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

    The vacancies' rows are built once (:func:`_vacancy_rows`); the runs of pass 1
    (:func:`_first_pass`) and the blocks of vacancies of pass 2 (:func:`_second_pass`) are
    split over the threads (:func:`._parallel.split_run`): one run per thread in pass 1, the blocks
    of pass 2 handed out to threads as they come free.
    """
    n_c = C.claim_indptr.shape[0] - 1
    n_v = V.slot_indptr.shape[0] - 1
    rows = _vacancy_rows(
        V.slot_indptr, V.slot_concept, V.slot_weight, V.slot_min_level, V.total_weight,
        V.features, V.lang_indptr, V.lang_code, V.lang_min, V.lang_factor,
        V.post_indptr.shape[0] - 1,
    )  # fmt: skip
    # Pass 1: each run's top-k per vacancy (scores, candidates, how many), at most RUNS_BYTES
    # for all of them, counting each run's working copy (32 bytes per entry): fewer runs also
    # means higher floors sooner.
    n_runs = max(1, min(n_chunks, n_c, RUNS_BYTES // max(1, 32 * n_v * k)))
    h_s = np.empty((n_runs, n_v, k), dtype=np.float64)
    h_i = np.empty((n_runs, n_v, k), dtype=np.int64)
    h_n = np.zeros((n_runs, n_v), dtype=np.int64)

    def first(lo: int, hi: int) -> None:
        _first_pass(C, V, R, T, cfg, k, n_runs, lo, hi, rows, h_s, h_i, h_n)

    split_run(first, n_runs)
    # Pass 2: merge the runs per vacancy, then score what pass 1 left out where it could enter.
    # In blocks of vacancies, so that the few needing every candidate are spread over threads.
    out_i = np.full((n_v, k), -1, dtype=np.int32)
    out_s = np.full((n_v, k), -1.0, dtype=np.float64)
    out_r = np.zeros((n_v, k), dtype=np.int32)
    n_blocks = min(n_v, PASS2_BLOCKS)

    def second(lo: int, hi: int) -> None:
        _second_pass(C, V, T, cfg, k, n_blocks, lo, hi, h_s, h_i, h_n, out_i, out_s, out_r)

    split_run(second, n_blocks, per_thread=PARTS_PER_THREAD)
    return out_i, out_s, out_r


@jit
def _first_pass(
    C: Any, V: Any, R: Any, T: Any, cfg: Any, k: int, n_runs: int, t_lo: int, t_hi: int,
    rows: Any, h_s: Any, h_i: Any, h_n: Any,
) -> None:  # fmt: skip
    """Pass 1 of :func:`rank_by_vacancy` for runs `t_lo` to `t_hi` of `n_runs`: ``h_*[t]``.

    `rows` is what :func:`_vacancy_rows` gives; each run writes its own ``h_s[t]``, ``h_i[t]``
    and ``h_n[t]``.
    """
    cl_ip, cl_cn, cl_ev, cl_lv = C.claim_indptr, C.claim_concept, C.claim_evidence, C.claim_level
    sl_ip = V.slot_indptr
    bc_ip, bc_rq, bc_cr = R.by_claim_indptr, R.by_claim_req, R.by_claim_credit
    cf = C.features
    la_ip, la_cd, la_lv = C.lang_indptr, C.lang_code, C.lang_level
    ed_ip, ed_lv, ed_cr = C.edu_indptr, C.edu_level, C.edu_credit
    ex_ip, ex_oc, ex_mo = C.exp_indptr, C.exp_occupation, C.exp_months
    b_ip, b_ix = T.broader_indptr, T.broader_indices
    p_ip, p_oc = C.pref_indptr, C.pref_occupation
    n_c = cl_ip.shape[0] - 1
    n_v = sl_ip.shape[0] - 1
    n_x = V.post_indptr.shape[0] - 1
    (
        grp_ip, grp_v, _grp_of, gp_ip, gp_g, gp_w, grp_occ, grp_need, grp_any, m_lat, _free,
        _pos_of, vr, rs_ip, rs_cn, rs_w, rs_mn, rw_tot, rl_ip, rl_cd, rl_mn, rl_fa, max_isced,
        _anywhere, _placed, start_sorted,
    ) = rows  # fmt: skip
    n_g = grp_ip.shape[0] - 1
    unknown_ok = cfg[CFG_UNKNOWN_AUTH_OK] != 0.0
    wishes = cfg[CFG_HOURS_MATCH] != 0.0 or cfg[CFG_PREFERRED_ONLY] != 0.0  # see rank_by_candidate
    chunk = (n_c + n_runs - 1) // n_runs
    for t in range(t_lo, t_hi):
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
                s_exp_g = _experience_score(months_g, low_g, grp_need[g])
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
                    s_exp = _experience_score(months_g, low_g, vr[ri, VR_MONTHS])
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
        for v in range(n_v):  # element by element: see _vacancy_rows' docstring
            h_n[t, v] = top_n[v]
            for j in range(top_n[v]):
                h_s[t, v, j] = top_s[v, j]
                h_i[t, v, j] = top_i[v, j]


@jit
def _second_pass(
    C: Any, V: Any, T: Any, cfg: Any, k: int, n_blocks: int, t_lo: int, t_hi: int,
    h_s: Any, h_i: Any, h_n: Any, out_i: Any, out_s: Any, out_r: Any,
) -> None:  # fmt: skip
    """Pass 2 of :func:`rank_by_vacancy` for blocks `t_lo` to `t_hi` of `n_blocks` vacancies.

    Merges the runs' top-k (``h_*``) of each vacancy of the blocks, scores what pass 1 left out
    where it could enter, and writes the vacancy's row of `out_*`.
    """
    cf, vf = C.features, V.features
    w_tot = V.total_weight
    la_ip, la_cd, la_lv = C.lang_indptr, C.lang_code, C.lang_level
    ed_ip, ed_lv, ed_cr = C.edu_indptr, C.edu_level, C.edu_credit
    ex_ip, ex_oc, ex_mo = C.exp_indptr, C.exp_occupation, C.exp_months
    vl_ip, vl_cd, vl_mn, vl_fa = V.lang_indptr, V.lang_code, V.lang_min, V.lang_factor
    b_ip, b_ix = T.broader_indptr, T.broader_indices
    p_ip, p_oc = C.pref_indptr, C.pref_occupation
    n_c = C.claim_indptr.shape[0] - 1
    n_v = V.slot_indptr.shape[0] - 1
    n_runs = h_n.shape[0]
    no_skill_bound = upper_bound(0.0, cfg)
    v_chunk = (n_v + n_blocks - 1) // n_blocks
    for t in range(t_lo, t_hi):
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
                # Scored exactly in pass 1: skipped below (sorted with the merge argsort that
                # _vacancy_rows compiles anyway, rather than a quicksort of its own).
                kept = top_i[:count][np.argsort(top_i[:count], kind="mergesort")]
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
