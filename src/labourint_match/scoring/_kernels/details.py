"""``pair_details``: what an explanation of a pair is made of, for many pairs at once.

For explicit pairs ``(cand[i], vac[i])`` it gives the five components and the reasons (as
:func:`~.components.score_pairs` computes them, with the same functions in the same order), the
credit each of the vacancy's requirement slots earns (the best claim's, 0 when none), and the fit
of each required language activity before language-training support. Reports that would otherwise
explain every pair in pure Python (the training-needs report) read these instead. Additive: no
other kernel calls it, and it changes none.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._numba import jit
from .._layout import (
    CF_EXP_FLOOR,
    CF_LANG_ABSENT,
    CFG_LANGUAGE_UNKNOWN,
    CFG_POW_CEFR,
    CFG_SKILL_UNKNOWN,
    VF_MIN_ISCED,
    VF_MIN_MONTHS,
    VF_OCCUPATION,
    VF_TRAINING,
)
from ._parallel import PARTS_PER_THREAD, split_run
from .components import (
    _credit,
    education_component,
    eligibility,
    experience_component,
    language_component,
    level_factor,
    location_component,
)

__all__ = ["NOT_ASKED", "pair_details"]

#: The fit written for an activity a language requirement does not ask for.
NOT_ASKED = 2.0


def pair_details(
    cand: Any, vac: Any, slot_at: Any, lang_at: Any, C: Any, V: Any, R: Any, T: Any, cfg: Any
) -> tuple[Any, Any, Any, Any, Any]:
    """Components, reasons, slot credits, language fits, levels held: pairs ``(cand[i], vac[i])``.

    ``components[i]``: skill, language, education, location, experience (the order of
    ``config.COMPONENTS``; all five computed also for a pair that is not eligible).
    ``slot_credit[slot_at[i] + k]``: the credit of slot ``k`` of vacancy ``vac[i]``.
    ``lang_fit[lang_at[i] + k, a]``: the fit before support of activity `a` of the vacancy's
    language row `k` (``NOT_ASKED`` where that activity is not asked for); ``lang_have`` at the
    same place: the CEFR code held (0 unknown, 1..6 A1..C2; -1: the language is not listed).
    :func:`_details_range` on contiguous ranges of the pairs, handed out to threads as they
    come free.
    """
    n = cand.shape[0]
    comps = np.zeros((n, 5), dtype=np.float64)
    reasons = np.zeros(n, dtype=np.int32)
    slot_credit = np.zeros(slot_at[n], dtype=np.float64)
    lang_fit = np.full((lang_at[n], 4), NOT_ASKED, dtype=np.float64)
    lang_have = np.full((lang_at[n], 4), -1, dtype=np.int8)

    def pairs(lo: int, hi: int) -> None:
        _details_range(
            cand, vac, slot_at, lang_at, C, V, R, T, cfg, lo, hi,
            comps, reasons, slot_credit, lang_fit, lang_have,
        )  # fmt: skip

    if n:
        split_run(pairs, n, per_thread=PARTS_PER_THREAD)
    return comps, reasons, slot_credit, lang_fit, lang_have


@jit
def _details_range(
    cand: Any, vac: Any, slot_at: Any, lang_at: Any, C: Any, V: Any, R: Any, T: Any, cfg: Any,
    lo: int, hi: int, comps: Any, reasons: Any, slot_credit: Any, lang_fit: Any, lang_have: Any,
) -> None:  # fmt: skip
    """Pairs `lo` to `hi` of :func:`pair_details`, written to the same places of its outputs."""
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
        total = 0.0
        at = slot_at[i]
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
            slot_credit[at + s - sl_ip[v]] = best
        s_skill = cfg[CFG_SKILL_UNKNOWN]
        if w_tot[v] > 0.0:
            s_skill = total / w_tot[v]
        why, distance = eligibility(cf, vf, c, v, cfg, p_ip, p_oc, b_ip, b_ix)
        training = vf[v, VF_TRAINING] != 0.0
        absent = cf[c, CF_LANG_ABSENT]
        comps[i, 0] = s_skill
        comps[i, 1] = language_component(
            c, v, la_ip, la_cd, la_lv, vl_ip, vl_cd, vl_mn, vl_fa, training, absent, cfg
        )
        comps[i, 2] = education_component(c, int(vf[v, VF_MIN_ISCED]), ed_ip, ed_lv, ed_cr, cfg)
        comps[i, 3] = location_component(cf, vf, c, v, distance, cfg)
        comps[i, 4] = experience_component(
            c, int(vf[v, VF_OCCUPATION]), vf[v, VF_MIN_MONTHS], ex_ip, ex_oc, ex_mo,
            b_ip, b_ix, cfg, cf[c, CF_EXP_FLOOR],
        )  # fmt: skip
        reasons[i] = why
        row = lang_at[i]
        for r in range(vl_ip[v], vl_ip[v + 1]):
            entry = -1
            for e in range(la_ip[c], la_ip[c + 1]):
                if la_cd[e] == vl_cd[r]:
                    entry = e
                    break
            for a in range(4):
                need = vl_mn[r, a]
                if need <= 0:
                    continue
                if entry < 0:
                    fit = absent
                else:
                    have = la_lv[entry, a]
                    lang_have[row + r - vl_ip[v], a] = have
                    if have <= 0:
                        fit = cfg[CFG_LANGUAGE_UNKNOWN]
                    elif have >= need:
                        fit = 1.0
                    else:
                        fit = cfg[CFG_POW_CEFR + need - have]
                lang_fit[row + r - vl_ip[v], a] = fit
