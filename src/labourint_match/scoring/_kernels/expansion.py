"""A candidate's claims expanded over the relation table: skill components and their bounds.

:func:`_expand_claims` spreads a candidate's claims onto the required concepts they earn credit for
(the best credit per concept); :func:`_skill_from_expansion` adds a vacancy's requirements up from
it in slot order (the score's order); :func:`_skill_bounds` bounds each vacancy group's skill
component. :func:`_scratch` allocates the per-thread buffers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._numba import jit
from .._layout import (
    AUTH_NEEDS_DATE,
    AUTH_UNKNOWN,
    LAST_DAY,
    NO_DAY,
)
from .components import (
    level_factor,
)

# Added to every term of the product concept -> group: a group sharing a skill with a candidate
# gets a bound above 0 even if its terms are all 0, and it changes no bound of a realistic size
# (adding it to anything above 1e-285 rounds back to the same number).
TOUCHED = 2.0**-1000


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
