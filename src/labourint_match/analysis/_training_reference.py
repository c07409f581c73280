"""The reference algorithm of the training-needs report: every pair explained in pure Python.

:func:`_training_needs_reference` is :func:`~._training.training_needs` as it was before it ran
on the engine's arrays (issue 22): it explains each considered pair, and each trained profile on
each pair a need could move, with the pure-Python reference behind ``Matcher.explain``. The fast
algorithm must give the very same table; the tests and the training benchmark check it against
this one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from .._validate import positive_int, unit_interval
from ..errors import ConfigError
from ..profiles import CandidateProfile, Vacancy, checked_records
from ._cached import _explainer
from ._common import _check_as_frame, _matcher_type, _table
from ._needs import (
    _PATHWAY_RANK,
    _READY,
    _SUPPORTED,
    TRAINING_NEEDS_COLUMNS,
    NeedKey,
    _gap_target,
    _need_key,
    _need_label,
    _need_text,
    _NeedStats,
    _neighbourhood,
    _Pair,
    _skill_levels,
    _Trainer,
)

if TYPE_CHECKING:
    from ..matcher import Matcher
    from ..scoring.explain import Gap

__all__: list[str] = []


def _training_needs_reference(
    matcher: Matcher,
    candidates: Iterable[CandidateProfile],
    vacancies: Iterable[Vacancy],
    *,
    top_k: int | None = 5,
    target: Literal["ready", "ready_with_support"] = "ready",
    languages: Literal["level", "activity"] = "level",
    placement_gain: int = 0,
    min_score: float = 0.0,
    lang: str = "en",
    as_frame: bool | None = None,
) -> Any:
    """The parent commit's :func:`~._training.training_needs`, kept as the reference.

    Explains every considered pair, and every trained profile on each pair it could move, with
    :meth:`Matcher.explain <labourint_match.Matcher.explain>` (pure Python): slow, obviously
    faithful to the documented semantics. The tests and ``benchmarks/bench_training.py`` compare
    the fast algorithm's table with this one's on the same cohorts; it must stay unchanged.
    """
    matcher_type = _matcher_type()
    if not isinstance(matcher, matcher_type):
        raise ConfigError(f"matcher must be a Matcher, not {type(matcher).__name__}")
    if top_k is not None:
        top_k = positive_int(top_k, "top_k")
    if target not in ("ready", "ready_with_support"):
        raise ConfigError(f"target must be 'ready' or 'ready_with_support', not {target!r}")
    if languages not in ("level", "activity"):
        raise ConfigError(f"languages must be 'level' or 'activity', not {languages!r}")
    placement_gain = positive_int(placement_gain, "placement_gain", minimum=0)
    min_score = unit_interval(min_score, "min_score")
    _check_as_frame(as_frame)
    cands = checked_records(candidates, CandidateProfile, "candidates")
    vacs = checked_records(vacancies, Vacancy, "vacancies")
    k = len(vacs) if top_k is None else min(top_k, len(vacs))
    ranking = matcher.rank(cands, vacs, top_k=max(k, 1), by="candidate")  # no vacancies: k is 0
    taxonomy = matcher.taxonomy
    config = matcher.config
    explain = _explainer(matcher).explain

    # 1. The considered pairs, explained once: pathways, blocking gaps, needs.
    stats: dict[NeedKey, _NeedStats] = {}
    pairs: list[list[_Pair]] = []
    status: list[int] = []
    for i, cand in enumerate(cands):
        own: list[_Pair] = []
        for col in range(ranking.top_k):
            j = int(ranking.indices[i, col])
            if j < 0 or int(ranking.reasons[i, col]) != 0 or float(ranking.scores[i, col]) <= 0:
                continue
            e = explain(cand, vacs[j], lang=lang)
            if not e.eligible:  # pragma: no cover - the ranking listed it as eligible
                continue
            # Recognition of a qualification is not training: a pair it blocks stays blocked.
            blocking = tuple(
                g for g in e.gaps if g.importance == "essential" and g.kind != "recognition"
            )
            keys = tuple(_need_key(g, e, languages) for g in blocking)
            for g, key in zip(blocking, keys, strict=True):
                s = stats.get(key)
                if s is None:
                    s = stats[key] = _NeedStats(key, _need_label(key, taxonomy, lang))
                s.needed_by.add(i)
                s.vacancies.add(j)
                s.score_lost += g.lost
            own.append(_Pair(j, _PATHWAY_RANK[e.pathway.kind], blocking, keys))
        pairs.append(own)
        status.append(max((p.pathway for p in own), default=-1))

    # 2. Which needs can address which gaps. A skill need addresses a skill gap when the scoring
    #    could credit it for that requirement (a superset: verified below by explaining again).
    depth = config.max_hierarchy_distance
    skill_needs = {key[1] for key in stats if key[0] == "skill"}
    reverse_related: dict[str, set[str]] = {}
    for x in skill_needs:
        if x in taxonomy:
            for r in taxonomy.related_skills(x):
                reverse_related.setdefault(r.skill, set()).add(x)
    addressers: dict[NeedKey, frozenset[NeedKey]] = {}
    for key in stats:
        if key[0] == "skill":
            near = _neighbourhood(taxonomy, key[1], depth) | reverse_related.get(key[1], set())
            addressers[key] = frozenset(("skill", x) for x in near & skill_needs)
        else:
            group = key[:-1]
            addressers.setdefault(group, frozenset())
            addressers[group] = addressers[group] | {key}

    def who(gap: Gap, key: NeedKey) -> frozenset[NeedKey]:
        return addressers[key] if gap.kind == "skill" else addressers[_gap_target(gap, languages)]

    # 3. For each candidate below the target, the needs worth trying on each pair, then the try.
    train = _Trainer(_skill_levels(matcher, vacs))
    max_gaps = config.max_supported_gaps
    for i, cand in enumerate(cands):
        if status[i] < 0 or status[i] >= _READY:
            continue
        trials: dict[NeedKey, set[int]] = {}
        for p in pairs[i]:
            per_gap = [who(g, key) for g, key in zip(p.gaps, p.keys, strict=True)]
            if not per_gap:  # pragma: no cover - a pair below ready has a blocking gap
                continue
            hopeful = set(frozenset.intersection(*per_gap))  # could close every gap: ready
            if status[i] < _SUPPORTED:
                uncovered = [s for g, s in zip(p.gaps, per_gap, strict=True) if not g.covered_by]
                skills = [s for g, s in zip(p.gaps, per_gap, strict=True) if g.kind == "skill"]
                pool = (
                    frozenset.intersection(*uncovered) if uncovered else frozenset().union(*skills)
                )
                hopeful.update(
                    n for n in pool if len(skills) - sum(n in s for s in skills) <= max_gaps
                )
            for need in hopeful:
                trials.setdefault(need, set()).add(p.vacancy)
        for key, vac_indices in trials.items():
            trained = train(cand, key)
            best = max(
                _PATHWAY_RANK[explain(trained, vacs[j], lang=lang).pathway.kind]
                for j in sorted(vac_indices)
            )
            if best >= _READY:
                stats[key].ready.add(i)
            if best >= _SUPPORTED and status[i] < _SUPPORTED:
                stats[key].supported.add(i)

    # 4. Rank, then the placement gains of the first few.
    def order(s: _NeedStats) -> tuple[Any, ...]:
        first, second = (s.ready, s.supported) if target == "ready" else (s.supported, s.ready)
        return (-len(first), -len(second), -len(s.needed_by), -s.score_lost, _need_text(s.key))

    ranked = sorted(stats.values(), key=order)
    gains: dict[NeedKey, tuple[float, int]] = {}
    if placement_gain and ranked:
        base = matcher.assign(cands, vacs, "optimal", float(min_score))
        for s in ranked[:placement_gain]:
            trained_cohort = [
                train(c, s.key) if i in s.needed_by else c for i, c in enumerate(cands)
            ]
            plan = matcher.assign(trained_cohort, vacs, "optimal", float(min_score))
            gains[s.key] = (plan.total_score - base.total_score, plan.n_placed - base.n_placed)

    ids = [c.id for c in cands]
    skill_levels = train.skill_levels
    rows: list[dict[str, Any]] = []
    for rank, s in enumerate(ranked, start=1):
        key = s.key
        gain = gains.get(key)
        rows.append(
            {
                "rank": rank,
                "need": _need_text(key),
                "kind": key[0],
                "label": s.label,
                "language": None if key[0] == "skill" else key[1],
                "activity": key[2] if len(key) == 4 else None,
                "level": None if key[0] == "skill" else key[-1],
                "skill_level": skill_levels.get(key[1]) if key[0] == "skill" else None,
                "n_ready": len(s.ready),
                "ready_ids": tuple(ids[i] for i in sorted(s.ready)),
                "n_ready_or_supported": len(s.supported),
                "ready_or_supported_ids": tuple(ids[i] for i in sorted(s.supported)),
                "n_gap": len(s.needed_by),
                "needed_by": tuple(ids[i] for i in sorted(s.needed_by)),
                "n_vacancies": len(s.vacancies),
                "score_lost": s.score_lost,
                "placement_gain": None if gain is None else gain[0],
                "placed_gain": None if gain is None else gain[1],
            }
        )
    return _table(rows, TRAINING_NEEDS_COLUMNS, as_frame)
