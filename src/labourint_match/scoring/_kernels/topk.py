"""Top-k bookkeeping and the vacancy groups the ranking kernels bound.

:func:`_insert` and :func:`_floor` keep a sorted top-k list (ties: the lower index first);
:func:`_vacancy_groups` cuts the vacancies into groups of at most ``GROUP_MAX`` sharing
requirements, with a bound on each group's skill component (inflated by ``BOUND_SLACK``), and
:func:`_vacancy_rows` lays the vacancies out as rows of ``VR_*`` columns in group order.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..._numba import jit
from .._layout import (
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
    VR_COS,
    VR_HOURS,
    VR_ISCED,
    VR_LAT,
    VR_LON,
    VR_MONTHS,
    VR_OCC,
    VR_OPENINGS,
    VR_RAD,
    VR_REGION,
    VR_REMOTE,
    VR_START,
    VR_TRAINING,
    VR_WIDTH,
    VR_X,
    VR_Y,
    VR_Z,
)
from .geo import (
    _anywhere,
    _unit_vector,
)

# A skill sum added up in another order than the score's differs from it by at most
# (n - 1) × 2**-53 relatively (n terms, all >= 0): this factor covers any realistic n.
# The same holds for dividing each weight by the total before adding instead of the sum after.
BOUND_SLACK = 1.0 + 1e-9
N_BUCKETS = 64  # ranking by candidate visits groups in this many bands of skill bound
GROUP_MAX = 64  # ranking by candidate bounds vacancies in groups of at most this many


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

    Written for a short first compile (every numba function used costs its own compilation, the
    first time in a process): rows are copied element by element, as a slice assignment compiles
    numba's shape-mismatch error formatting (some 2 s), and the start days are sorted with the
    merge argsort compiled for the groups' keys rather than a quicksort of their own.
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
            for a in range(vl_mn.shape[1]):  # not a slice: see _vacancy_rows' docstring
                rl_mn[x + d, a] = vl_mn[x, a]
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
    starts = vf[:, VF_START].copy()
    start_sorted = starts[np.argsort(starts, kind="mergesort")]  # see the docstring
    return (
        grp_ip, grp_v, grp_of, gp_ip, gp_g, gp_w, grp_occ, grp_need, grp_any, m_lat, free, pos_of,
        vr, rs_ip, rs_cn, rs_w, rs_mn, rw_tot, rl_ip, rl_cd, rl_mn, rl_fa, max_isced, anywhere,
        placed, start_sorted,
    )  # fmt: skip


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
