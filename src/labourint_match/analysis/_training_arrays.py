"""The training-needs counts on the engine's arrays: pairs scored once, trained pairs re-judged.

:func:`count_needs` computes what the reference (``_training_reference``) computes by explaining
every considered pair and every trained profile in pure Python, from arrays instead:

1. the considered pairs' details come from one call of the engine
   (:meth:`~labourint_match.scoring.engine.Scorer.pair_details`: components, the credit of each
   requirement slot, the fit of each required language activity); each pair's blocking gaps, the
   score each loses and the pathway are derived from them with the explanation's own formulas, in
   the explanation's order of operations (so ``score_lost`` is the same float);
2. a trained need changes only what it can change: a skill need only the credit of the pair's
   blocking skill slots (its relation credit for each, times the certified evidence factor and
   the level factor, against the threshold), a language need only the fits of that language's
   activities; everything else of the pair (the other gaps, support, recognition, eligibility)
   is kept, so a trial is a few array operations instead of an explanation.

A profile whose skills name ESCO language concepts (routed to its languages before scoring) is
trained in languages the reference's way (profile trained, pair explained), since routing may
merge the trained entry with the routed one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .._progress import Progress
from ..profiles import CEFR_LEVELS, CandidateProfile, Vacancy, is_concept_uri
from ..scoring.config import COMPONENTS
from ..taxonomy._languages import canonical_language_code
from ._cached import _CachedTaxonomy, _explainer
from ._needs import (
    _ACTIVITY_TEXT,
    _PATHWAY_RANK,
    _READY,
    _SUPPORTED,
    NeedKey,
    _need_label,
    _NeedStats,
    _neighbourhood,
    _skill_levels,
    _Trainer,
)

if TYPE_CHECKING:
    from ..matcher import Matcher
    from ..scoring.engine import EncodedCohort, Scorer
    from ..scoring.ranking import Ranking

__all__ = ["count_needs"]

_ACTIVITIES = tuple(_ACTIVITY_TEXT)
_SKILL_SUPPORTS = ("on_the_job_training", "mentor", "wage_subsidy")

Int = NDArray[np.int64]


def _expand(at: Int, rows_start: Int) -> tuple[Int, Int]:
    """Each entry's pair and row, for offsets `at` per pair over rows from `rows_start` on."""
    counts = np.diff(at)
    pair = np.repeat(np.arange(counts.shape[0], dtype=np.int64), counts)
    row = np.repeat(rows_start, counts) + (np.arange(int(at[-1]), dtype=np.int64) - at[pair])
    return pair, row


class _Vacancies:
    """What the pathway of a pair needs of its vacancy, per requirement slot and language row."""

    def __init__(
        self,
        scorer: Scorer,
        vacancies: Sequence[Vacancy],
        cohort: EncodedCohort,
        n_codes: dict[str, int],
    ) -> None:
        config = scorer.config
        factor = {"essential": config.essential_factor, "optional": config.optional_factor}
        routed = scorer.channels.routed(vacancies)
        find = scorer.reader.resolve_index
        taxonomy = scorer.taxonomy
        essential: list[bool] = []
        row_essential: list[bool] = []
        row_factor: list[float] = []
        row_weight: list[float] = []
        row_code: list[int] = []
        n = len(routed)
        self.training = np.zeros(n, dtype=bool)
        self.skill_cover = np.zeros(n, dtype=bool)
        self.min_isced = np.full(n, -1, dtype=np.int64)
        codes = n_codes
        for j, v in enumerate(routed):
            for r in v.skills:
                text = r.skill
                found = taxonomy.index(text) if is_concept_uri(text) else find(text)
                if found is not None:
                    essential.append(r.importance == "essential")
            weight = sum(factor[lr.importance] for lr in v.languages)
            for lr in v.languages:
                code = canonical_language_code(lr.language)
                row_code.append(codes.setdefault(code, len(codes)))
                row_essential.append(lr.importance == "essential")
                row_factor.append(factor[lr.importance])
                row_weight.append(weight)
            support = v.support
            self.training[j] = support.language_training
            self.skill_cover[j] = any(getattr(support, s) for s in _SKILL_SUPPORTS)
            self.min_isced[j] = -1 if v.min_isced is None else v.min_isced
        va = cohort.V
        if len(essential) != va.slot_concept.shape[0]:  # pragma: no cover - the encoder's rule
            raise RuntimeError("requirement slots differ from the encoder's")
        self.essential = np.asarray(essential, dtype=bool)
        self.row_essential = np.asarray(row_essential, dtype=bool)
        self.row_factor = np.asarray(row_factor, dtype=np.float64)
        self.row_weight = np.asarray(row_weight, dtype=np.float64)
        self.row_code = np.asarray(row_code, dtype=np.int64)
        need = va.lang_min.astype(np.int64)
        asked = need > 0
        # Per language row: the activities the pair's explanation lists for its language (all of
        # the vacancy's rows of that language), and per activity the level of the first row of
        # that language asking for it (the need a gap is keyed by).
        owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(va.lang_indptr))
        self.row_activities = np.zeros(need.shape[0], dtype=np.float64)
        self.key_need = need.copy()
        first: dict[tuple[int, int], list[int]] = {}
        for at in range(need.shape[0]):
            first.setdefault((int(owner[at]), int(self.row_code[at])), []).append(at)
        for rows in first.values():
            self.row_activities[rows] = float(asked[rows].sum())
            if len(rows) > 1:
                for a in range(4):
                    one = next((r for r in rows if asked[r, a]), None)
                    if one is not None:
                        self.key_need[rows, a] = need[one, a]


def _recognition_blocks(
    candidates: Sequence[CandidateProfile], config: Any, levels: Int
) -> NDArray[np.bool_]:
    """``[n_candidates, 9]``: whether an essential recognition gap blocks a job asking ISCED m."""
    out = np.zeros((len(candidates), 9), dtype=bool)
    wanted = sorted({int(m) for m in levels.tolist() if m >= 0})
    for i, c in enumerate(candidates):
        if not c.education:
            continue
        for m in wanted:
            reaching = [e for e in c.education if e.isced_level >= m]
            if not reaching or any(e.recognition == "recognised" for e in reaching):
                continue
            best = max(reaching, key=lambda e: config.recognition_credit(e.recognition))
            out[i, m] = best.recognition == "not_recognised"
    return out


def _level_factors(config: Any) -> NDArray[np.float64]:
    """``[claim level, minimum]`` → the level factor (as ``_reference._level_factor``)."""
    table = np.ones((10, 10), dtype=np.float64)
    for have in range(10):
        for need in range(1, 10):
            if not have:
                table[have, need] = config.level_unknown
            elif have < need:
                table[have, need] = math.pow(config.level_decay, float(need - have))
    return table


def _language_fits(config: Any) -> NDArray[np.float64]:
    """``[level held, level asked]`` → the fit of a listed language (held 0: unknown)."""
    table = np.ones((7, 7), dtype=np.float64)
    for have in range(7):
        for need in range(1, 7):
            if have <= 0:
                table[have, need] = config.language_unknown
            elif have < need:
                table[have, need] = math.pow(config.cefr_decay, float(need - have))
    return table


def _trained_levels(
    candidate: CandidateProfile, code: str, activity: str | None, level: int
) -> tuple[int, ...] | None:
    """The levels held per activity (codes 0..6) once `candidate` is trained as ``_Trainer`` does.

    None when training leaves the profile as it is (a native language).
    """
    entry = next(
        (e for e in candidate.languages if canonical_language_code(e.language) == code), None
    )
    if entry is None:
        if activity is None:
            return (level,) * 4
        return tuple(level if a == activity else 0 for a in _ACTIVITIES)
    if entry.native:
        return None

    def held(a: str) -> int:
        value = entry.level_for(a)
        return 0 if value is None else CEFR_LEVELS.index(value) + 1

    if activity is None:
        return tuple(max(held(a), level) for a in _ACTIVITIES)
    own = getattr(entry, activity)
    mine = level if own is None else max(CEFR_LEVELS.index(own) + 1, level)
    return tuple(mine if a == activity else held(a) for a in _ACTIVITIES)


def count_needs(
    matcher: Matcher,
    cands: Sequence[CandidateProfile],
    vacs: Sequence[Vacancy],
    ranking: Ranking,
    *,
    languages: str,
    lang: str,
    bar: Progress,
) -> tuple[list[_NeedStats], dict[str, int]]:
    """Every need of the considered pairs with its counts, as the reference counts them.

    Returns the needs (in no particular order) and the skill levels training uses.
    """
    scorer: Scorer = matcher._scorer
    config = scorer.config
    taxonomy = matcher.taxonomy
    n_c = len(cands)
    levels = _skill_levels(matcher, vacs)
    if not n_c or not vacs:
        bar.update(n_c)
        return [], levels

    # 1. The considered pairs (candidate order, then rank), their details in one engine call.
    idx = ranking.indices
    keep = (idx >= 0) & (ranking.reasons == 0) & (ranking.scores > 0)
    rows, cols = np.nonzero(keep)
    ci = rows.astype(np.int64)
    vj = idx[rows, cols].astype(np.int64)
    n_p = ci.shape[0]
    enc = scorer.encode(cands, vacs)
    codes: dict[str, int] = {}
    info = _Vacancies(scorer, vacs, enc, codes)
    det = scorer.pair_details(enc, ci, vj)
    va = enc.V
    weights = config.weights()
    comp = {name: det.components[:, k] for k, name in enumerate(COMPONENTS)}
    rest = weights["language"] * comp["language"]
    for name in COMPONENTS[2:]:
        rest = rest + weights[name] * comp[name]
    gate = config.gate_floor + (1.0 - config.gate_floor) * comp["skill"]
    skill_worth = weights["skill"] + rest * (1.0 - config.gate_floor)
    threshold = config.gap_threshold

    # Skill slots of each pair: credit, gap, the score lost.
    ps_pair, ps_slot = _expand(det.slot_at, va.slot_indptr[vj])
    credit = det.slot_credit
    w_total = va.total_weight[vj][ps_pair]
    safe = np.where(w_total > 0.0, w_total, 1.0)
    worth = np.where(w_total > 0.0, (skill_worth[ps_pair] * va.slot_weight[ps_slot]) / safe, 0.0)
    s_lost = worth * (1.0 - credit)
    s_block = (credit < threshold) & info.essential[ps_slot]
    n_skill = np.bincount(ps_pair[s_block], minlength=n_p)

    # Language rows of each pair: fit, gap, cover, the score lost.
    pl_pair, pl_row = _expand(det.lang_at, va.lang_indptr[vj])
    need = va.lang_min[pl_row].astype(np.int64)
    asked = need > 0
    fit = det.lang_fit
    have = det.lang_have.astype(np.int64)
    training = info.training[vj]
    soften = np.where(training, config.language_training_softening, 0.0)[pl_pair][:, None]
    supported = fit + (1.0 - fit) * soften
    short = np.where(have > 0, need - have, 0)
    max_levels = config.max_supported_language_levels
    l_cover = training[pl_pair][:, None] & (have >= 0) & (short <= max_levels)
    l_block = asked & (fit < 1.0) & info.row_essential[pl_row][:, None]
    share = ((weights["language"] * gate[pl_pair]) * info.row_factor[pl_row]) / np.where(
        info.row_weight[pl_row] > 0.0, info.row_weight[pl_row], 1.0
    )
    l_lost = (share[:, None] * (1.0 - supported)) / np.where(
        info.row_activities[pl_row] > 0, info.row_activities[pl_row], 1.0
    )[:, None]
    pair4 = np.repeat(pl_pair, 4)
    n_lang = np.bincount(pair4[l_block.ravel()], minlength=n_p)
    n_uncovered = np.bincount(pair4[(l_block & ~l_cover).ravel()], minlength=n_p)
    rec_table = _recognition_blocks(cands, config, info.min_isced)
    isced = info.min_isced[vj]
    rec = np.where(isced >= 0, rec_table[ci, np.clip(isced, 0, 8)], False)
    cover = info.skill_cover[vj]
    max_gaps = config.max_supported_gaps

    def pathway(n_s: Int, n_l: Int, n_u: Int, p: Int) -> Int:
        ready = (n_s == 0) & (n_l == 0) & ~rec[p]
        covered = ~rec[p] & (n_u == 0) & ((n_s == 0) | cover[p]) & (n_s <= max_gaps)
        return np.where(
            ready, _READY, np.where(covered, _SUPPORTED, _PATHWAY_RANK["training_first"])
        )

    path = pathway(n_skill, n_lang, n_uncovered, np.arange(n_p, dtype=np.int64))
    status = np.full(n_c, -1, dtype=np.int64)
    np.maximum.at(status, ci, path)

    # 2. The blocking gaps (recognition aside): pair, need, score lost, cover, kind.
    n_concepts = len(taxonomy)
    code_names = list(codes)
    sg = np.flatnonzero(s_block)
    lr, la = np.nonzero(l_block)
    act = la if languages == "activity" else np.full(la.shape, 4, dtype=np.int64)
    l_key = n_concepts + (info.row_code[pl_row[lr]] * 8 + act) * 8 + info.key_need[pl_row[lr], la]
    g_pair = np.concatenate([ps_pair[sg], pl_pair[lr]])
    g_key = np.concatenate([va.slot_concept[ps_slot[sg]].astype(np.int64), l_key])
    g_lost = np.concatenate([s_lost[sg], l_lost[lr, la]])
    g_cover = np.concatenate([cover[ps_pair[sg]], l_cover[lr, la]])
    g_skill = np.concatenate([np.ones(sg.shape[0], dtype=bool), np.zeros(lr.shape[0], dtype=bool)])
    g_group = np.concatenate([np.full(sg.shape[0], -1, dtype=np.int64),
                              info.row_code[pl_row[lr]] * 8 + act])  # fmt: skip
    order = np.lexsort((-g_lost, g_pair))  # pair by pair; within one, most lost first
    g_pair, g_key, g_lost = g_pair[order], g_key[order], g_lost[order]
    g_cover, g_skill, g_group = g_cover[order], g_skill[order], g_group[order]
    ukeys, g_need = np.unique(g_key, return_inverse=True)
    g_need = g_need.astype(np.int64)
    n_needs = ukeys.shape[0]
    score_lost = np.bincount(g_need, weights=g_lost, minlength=n_needs)

    def key_of(u: int) -> NeedKey:
        if u < n_concepts:
            return ("skill", taxonomy.uris[u])
        rest_ = u - n_concepts
        level = CEFR_LEVELS[rest_ % 8 - 1]
        a = (rest_ // 8) % 8
        code = code_names[rest_ // 64]
        return ("language", code, level) if a == 4 else ("language", code, _ACTIVITIES[a], level)

    keys = [key_of(int(u)) for u in ukeys.tolist()]
    stats = [_NeedStats(key, _need_label(key, taxonomy, lang)) for key in keys]
    for arr, attr in ((ci[g_pair], "needed_by"), (vj[g_pair], "vacancies")):
        both = np.unique(g_need * max(n_c, len(vacs)) + arr)
        owner = both // max(n_c, len(vacs))
        value = both % max(n_c, len(vacs))
        starts = np.searchsorted(owner, np.arange(n_needs + 1))
        values = value.tolist()
        for u in range(n_needs):
            getattr(stats[u], attr).update(values[starts[u] : starts[u + 1]])
    for u, lost in enumerate(score_lost.tolist()):
        stats[u].score_lost = lost

    # 3. Which needs address which gaps (the reference's superset), then the trials.
    cached = _CachedTaxonomy(taxonomy)
    depth = config.max_hierarchy_distance
    position = {key: u for u, key in enumerate(keys)}
    skill_needs = {key[1] for key in keys if key[0] == "skill"}
    reverse: dict[str, set[str]] = {}
    for x in skill_needs:
        if x in cached:
            for r in cached.related_skills(x):
                reverse.setdefault(r.skill, set()).add(x)
    who: dict[int, frozenset[int]] = {}
    groups: dict[int, set[int]] = {}
    for u, key in enumerate(keys):
        if key[0] == "skill":
            near = _neighbourhood(cached, key[1], depth) | reverse.get(key[1], set())
            who[u] = frozenset(position["skill", x] for x in near & skill_needs)
        else:
            g = int(ukeys[u] - n_concepts) // 8
            groups.setdefault(g, set()).add(u)
    group_sets = {g: frozenset(s) for g, s in groups.items()}
    g_who = np.where(g_skill, g_need, -1 - g_group)  # skill gaps: their need; else -1 - group

    def addressers(w: int) -> frozenset[int]:
        return who[w] if w >= 0 else group_sets[-1 - w]

    p_start = np.searchsorted(g_pair, np.arange(n_p + 1))
    t_pair: list[int] = []
    t_need: list[int] = []
    memo: dict[tuple[Any, ...], tuple[int, ...]] = {}
    whos, covs, skills_ = g_who.tolist(), g_cover.tolist(), g_skill.tolist()
    c_start = np.searchsorted(ci, np.arange(n_c + 1)).tolist()
    starts_ = p_start.tolist()
    status_ = status.tolist()
    for i in range(n_c):
        bar.update()
        st = status_[i]
        if st < 0 or st >= _READY:
            continue
        below = st < _SUPPORTED
        for p in range(c_start[i], c_start[i + 1]):
            lo, hi = starts_[p], starts_[p + 1]
            if lo == hi:
                continue  # ready, or blocked by recognition only
            pattern = (below, tuple(whos[lo:hi]), tuple(covs[lo:hi]), tuple(skills_[lo:hi]))
            hopeful = memo.get(pattern)
            if hopeful is None:
                hopeful = memo[pattern] = _hopeful(pattern, addressers, max_gaps)
            t_pair.extend([p] * len(hopeful))
            t_need.extend(hopeful)
    tp = np.asarray(t_pair, dtype=np.int64)
    tn = np.asarray(t_need, dtype=np.int64)
    best = np.zeros(tp.shape[0], dtype=np.int64)
    is_skill = ukeys[tn] < n_concepts

    # Skill trials: only the pair's blocking skill slots can change.
    sk = np.flatnonzero(is_skill)
    s_pos = np.flatnonzero(s_block)  # blocking slots, pair by pair
    s_start = np.searchsorted(ps_pair[s_pos], np.arange(n_p + 1))
    counts = s_start[tp[sk] + 1] - s_start[tp[sk]]
    trial = np.repeat(sk, counts)
    first = np.repeat(s_start[tp[sk]] - np.cumsum(counts) + counts, counts)
    slot = ps_slot[s_pos[first + np.arange(trial.shape[0], dtype=np.int64)]]
    xc = ukeys[tn[trial]]
    rc = scorer.relation_credit(enc, xc, va.slot_concept[slot].astype(np.int64))
    level_of = np.zeros(n_concepts, dtype=np.int64)
    for uri, lv in levels.items():
        level_of[taxonomy.index(uri)] = lv
    lf = _level_factors(config)[level_of[xc], va.slot_min_level[slot].astype(np.int64)]
    evidence = config.evidence_factor("certified") * 1.0
    new = np.where(rc > 0.0, (evidence * rc) * lf, 0.0)
    still = np.bincount(trial[new < threshold], minlength=tp.shape[0])[sk]
    sp = tp[sk]
    best[sk] = pathway(still, n_lang[sp], n_uncovered[sp], sp)

    # Language trials: only the fits of the trained language's activities change.
    lg = np.flatnonzero(~is_skill)
    routed = scorer.channels.routed(cands)
    slow: list[int] = []
    trained = np.zeros((lg.shape[0], 4), dtype=np.int64)
    same_as_before = np.zeros(lg.shape[0], dtype=bool)
    level_memo: dict[tuple[int, int], tuple[int, ...] | None] = {}
    for k, (t, u) in enumerate(zip(lg.tolist(), tn[lg].tolist(), strict=True)):
        i = int(ci[tp[t]])
        if routed[i] is not cands[i]:
            slow.append(k)
            continue
        got = level_memo.get((i, u), ())
        if got == ():
            key = keys[u]
            activity = key[2] if len(key) == 4 else None
            got = level_memo[i, u] = _trained_levels(
                cands[i], key[1], activity, CEFR_LEVELS.index(key[-1]) + 1
            )
        if got is None:
            same_as_before[k] = True
        else:
            trained[k] = got
    counts = det.lang_at[tp[lg] + 1] - det.lang_at[tp[lg]]
    trial = np.repeat(np.arange(lg.shape[0], dtype=np.int64), counts)
    at = np.repeat(det.lang_at[tp[lg]] - np.cumsum(counts) + counts, counts)
    at = at + np.arange(trial.shape[0], dtype=np.int64)
    row = pl_row[at]
    t_code = (ukeys[tn[lg]] - n_concepts) // 64
    same = (info.row_code[row] == t_code[trial])[:, None]
    held = trained[trial]
    new_fit = _language_fits(config)[held, need[at]]
    new_gap = asked[at] & (new_fit < 1.0) & info.row_essential[row][:, None]
    new_cover = training[pl_pair[at]][:, None] & (
        np.where(held > 0, need[at] - held, 0) <= max_levels
    )
    block = np.where(same, new_gap, l_block[at])
    uncovered = block & ~np.where(same, new_cover, l_cover[at])
    t4 = np.repeat(trial, 4)
    n_l = np.bincount(t4[block.ravel()], minlength=lg.shape[0])
    n_u = np.bincount(t4[uncovered.ravel()], minlength=lg.shape[0])
    lp = tp[lg]
    best[lg] = np.where(same_as_before, path[lp], pathway(n_skill[lp], n_l, n_u, lp))
    if slow:
        explain = _explainer(matcher).explain
        train = _Trainer(levels)
        for k in slow:
            t = int(lg[k])
            i, j, key = int(ci[tp[t]]), int(vj[tp[t]]), keys[int(tn[t])]
            e = explain(train(cands[i], key), vacs[j], lang=lang)
            best[t] = _PATHWAY_RANK[e.pathway.kind]

    # Each candidate's best pathway per need over the pairs tried.
    cand_of = ci[tp]
    group = np.unique(cand_of * n_needs + tn)
    slot_of = np.searchsorted(group, cand_of * n_needs + tn)
    top = np.zeros(group.shape[0], dtype=np.int64)
    np.maximum.at(top, slot_of, best)
    g_cand = (group // n_needs).tolist()
    g_u = (group % n_needs).tolist()
    for i, u, b in zip(g_cand, g_u, top.tolist(), strict=True):
        if b >= _READY:
            stats[u].ready.add(i)
        if b >= _SUPPORTED and status_[i] < _SUPPORTED:
            stats[u].supported.add(i)
    return stats, levels


def _hopeful(pattern: tuple[Any, ...], addressers: Any, max_gaps: int) -> tuple[int, ...]:
    """The needs worth trying on a pair with these gaps (the reference's rule, on need ids)."""
    below, whos, covs, skills = pattern
    per_gap = [addressers(w) for w in whos]
    hopeful = set(frozenset.intersection(*per_gap))
    if below:
        uncovered = [s for s, c in zip(per_gap, covs, strict=True) if not c]
        skill_sets = [s for s, k in zip(per_gap, skills, strict=True) if k]
        pool = frozenset.intersection(*uncovered) if uncovered else frozenset().union(*skill_sets)
        hopeful.update(
            n for n in pool if len(skill_sets) - sum(n in s for s in skill_sets) <= max_gaps
        )
    return tuple(sorted(hopeful))
