"""Training needs: the skills and language levels that, trained, would move most people to a job.

:func:`training_needs` serves stage 2 of the Labour-INT method (which training closes which gap):
it ranks the skills and language levels that, trained, would move the most candidates to a job
they are ready for, with the people concerned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .._validate import positive_int, unit_interval
from ..errors import ConfigError
from ..profiles import (
    CEFR_LEVELS,
    CandidateProfile,
    LanguageSkill,
    SkillClaim,
    Vacancy,
    checked_records,
    is_concept_uri,
)
from ..scoring.explain import Explanation, Gap, language_name
from ..taxonomy import Taxonomy
from ..taxonomy._languages import canonical_language_code
from ._cached import _explainer
from ._common import _check_as_frame, _matcher_type, _table

if TYPE_CHECKING:
    from ..matcher import Matcher

__all__ = ["TRAINING_NEEDS_COLUMNS", "training_needs"]

#: Columns of :func:`training_needs`, in order.
TRAINING_NEEDS_COLUMNS: tuple[str, ...] = (
    "rank",
    "need",
    "kind",
    "label",
    "language",
    "activity",
    "level",
    "skill_level",
    "n_ready",
    "ready_ids",
    "n_ready_or_supported",
    "ready_or_supported_ids",
    "n_gap",
    "needed_by",
    "n_vacancies",
    "score_lost",
    "placement_gain",
    "placed_gain",
)

_PATHWAY_RANK = {"not_eligible": 0, "training_first": 1, "ready_with_support": 2, "ready": 3}
_READY = _PATHWAY_RANK["ready"]
_SUPPORTED = _PATHWAY_RANK["ready_with_support"]
_ACTIVITY_TEXT = {
    "listening": "understanding speech",
    "reading": "reading",
    "spoken_interaction": "speaking with others",
    "writing": "writing",
}


def _cefr(level: str | None) -> int:
    return 0 if level is None else CEFR_LEVELS.index(level) + 1


NeedKey = tuple[str, ...]


@dataclass
class _NeedStats:
    """What is known of one need while counting."""

    key: NeedKey
    label: str
    needed_by: set[int] = field(default_factory=set)
    vacancies: set[int] = field(default_factory=set)
    score_lost: float = 0.0
    ready: set[int] = field(default_factory=set)
    supported: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class _Pair:
    """One considered pair before training: its pathway and its blocking (essential) gaps."""

    vacancy: int
    pathway: int
    gaps: tuple[Gap, ...]
    keys: tuple[NeedKey, ...]


def _need_key(gap: Gap, explanation: Explanation, unit: str) -> NeedKey:
    if gap.kind == "skill":
        return ("skill", gap.what)
    code, activity = gap.what.split(":", 1)
    need = next(
        m.need for m in explanation.languages if m.language == code and m.activity == activity
    )
    if unit == "level":
        return ("language", code, need)
    return ("language", code, activity, need)


def _need_label(key: NeedKey, taxonomy: Taxonomy, lang: str) -> str:
    if key[0] == "skill":
        return taxonomy.label(key[1], lang) if key[1] in taxonomy else key[1]
    if len(key) == 3:
        return f"{language_name(key[1])} to {key[2]}"
    return f"{language_name(key[1])}, {_ACTIVITY_TEXT[key[2]]}, to {key[3]}"


def _need_text(key: NeedKey) -> str:
    return key[1] if key[0] == "skill" else ":".join(key[1:])


def _gap_target(gap: Gap, unit: str) -> NeedKey:
    """What a gap is about: its skill, or its language (and activity, per activity)."""
    if gap.kind == "skill":
        return ("skill", gap.what)
    code, activity = gap.what.split(":", 1)
    return ("language", code) if unit == "level" else ("language", code, activity)


def _neighbourhood(taxonomy: Taxonomy, uri: str, depth: int) -> set[str]:
    """Concepts that may earn credit for a requirement of `uri`.

    A superset of the scoring's relations: exact, narrower and broader within `depth`, siblings
    (whatever the family's size) and ESCO-related skills (the reverse direction is added by the
    caller).
    """
    out = {uri}
    if uri not in taxonomy:
        return out
    for step in (taxonomy.narrower, taxonomy.broader):
        frontier = [uri]
        for _ in range(depth):
            frontier = [o for node in frontier for o in step(node) if o not in out]
            out.update(frontier)
    for parent in taxonomy.broader(uri):
        out.update(taxonomy.narrower(parent))
    out.update(r.skill for r in taxonomy.related_skills(uri))
    return out


class _Trainer:
    """Applies one need to a profile: a certified skill claim, or a raised language level."""

    def __init__(self, skill_levels: Mapping[str, int]) -> None:
        self.skill_levels = skill_levels

    def __call__(self, candidate: CandidateProfile, key: NeedKey) -> CandidateProfile:
        if key[0] == "skill":
            claim = SkillClaim(
                skill=key[1], evidence="certified", level=self.skill_levels.get(key[1])
            )
            return candidate.model_copy(update={"skills": (*candidate.skills, claim)})
        code = key[1]
        activity = key[2] if len(key) == 4 else None
        level = key[-1]
        entries = list(candidate.languages)
        at = next(
            (i for i, e in enumerate(entries) if canonical_language_code(e.language) == code), None
        )
        if at is None:
            data: dict[str, Any] = {"language": code}
            data[activity or "level"] = level
            entries.append(LanguageSkill.model_validate(data))
        else:
            entry = entries[at]
            if entry.native:
                return candidate
            current = entry.model_dump()
            names = (activity,) if activity else ("level", *_ACTIVITY_TEXT)
            for name in names:
                held = current[name]
                if (name == "level" or name == activity or held is not None) and _cefr(
                    held
                ) < _cefr(level):
                    current[name] = level
            entries[at] = LanguageSkill.model_validate(current)
        return candidate.model_copy(update={"languages": tuple(entries)})


def training_needs(
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
    """The skills and language levels that, trained, would move the most candidates to a job.

    Each candidate is matched to their `top_k` best *eligible* vacancies (as :meth:`Matcher.rank
    <labourint_match.Matcher.rank>` ranks them before any training; training does not change
    which vacancies are considered). A candidate's status is the best pathway over those pairs
    (``ready`` above ``ready_with_support`` above ``training_first``).

    A *need* is a blocking gap of some considered pair (an essential skill or language
    requirement the candidate falls short of): a skill concept, or a language and CEFR level.
    *Training* a need means adding the skill to the profile as a ``certified`` claim at the
    highest minimum level any of the vacancies asks of that skill, or raising the language to
    the level (every activity, or with ``languages="activity"`` the one activity). A need
    *moves* a candidate when, trained in it alone, their status reaches the target. Each need is
    tried on every candidate whose gaps it could close, by explaining the trained profile again,
    so the counts are exact: the candidates listed are those that retraining each profile and
    explaining it again finds (the tests check this by brute force). Candidates with no eligible
    vacancy cannot be moved; their needs are not counted.

    Parameters
    ----------
    matcher
        Scores and explains the pairs.
    candidates, vacancies
        The cohorts (validated as for :meth:`Matcher.rank`; neither is changed).
    top_k
        Vacancies considered per candidate; ``None``: every vacancy (each pair is explained,
        about 2–5 ms a pair, so keep it for small cohorts).
    target
        What counts as moved, and so the ranking: ``"ready"`` (the best pathway becomes
        ``ready``, from anything below) or ``"ready_with_support"`` (it becomes ``ready`` or
        ``ready_with_support``, from ``training_first``). Both counts are reported either way.
    languages
        ``"level"``: a language need is a language and a CEFR level (``sv:B1``, a course to B1:
        every activity raised to at least B1). ``"activity"``: one activity and level
        (``sv:writing:B1``), as vacancies state them.
    placement_gain
        For the first this many needs (after ranking), also place the cohort optimally with every
        candidate in ``needed_by`` trained, and report the gain in total score and in people
        placed against the untrained placement (one :meth:`Matcher.assign
        <labourint_match.Matcher.assign>` each; 0: not computed, ``None`` in the columns).
    min_score
        The placements' minimum score (for `placement_gain`).
    lang
        Language of the skill labels.
    as_frame
        ``None``: a DataFrame if pandas is installed, else records; ``True``: a DataFrame (or a
        ConfigError); ``False``: records.

    Returns
    -------
    pandas.DataFrame or list of dict
        One row per need, best first, with the columns of :data:`TRAINING_NEEDS_COLUMNS`:
        ``rank``; ``need`` (the skill's URI, or ``sv:B1`` / ``sv:writing:B1``); ``kind``
        (``skill`` or ``language``); ``label``; ``language``, ``activity``, ``level`` (language
        needs); ``skill_level`` (the trained claim's level, skill needs); ``n_ready`` and
        ``ready_ids`` (candidates moved to ``ready``); ``n_ready_or_supported`` and
        ``ready_or_supported_ids`` (candidates moved from ``training_first`` to ``ready`` or
        ``ready_with_support``); ``n_gap`` and ``needed_by`` (candidates with this blocking gap in
        a considered pair); ``n_vacancies`` (vacancies where it is a blocking gap of a considered
        pair); ``score_lost`` (the score the gap costs, summed over those pairs);
        ``placement_gain`` and ``placed_gain`` (see `placement_gain`). Rows are ordered by the
        target's count, then the other count, ``n_gap``, ``score_lost`` and ``need``. Ids are
        tuples in input order.

    Raises
    ------
    ConfigError
        `matcher` is not a Matcher; `top_k` not a positive int or None; `target`, `languages`
        or `as_frame` unknown; `placement_gain` negative; `min_score` not in [0, 1].
    ProfileError
        An invalid record (also `DuplicateIdError`, `UnknownConceptError`); an empty cohort
        gives a table with no rows.

    Notes
    -----
    The work is one explanation per considered pair, and one more per candidate, need and pair
    where the need could close every blocking gap (or, for ``ready_with_support``, enough of
    them); a need that addresses none of a pair's gaps is never tried on it. On the bundled
    taxonomy a cohort of 300 candidates and 80 vacancies takes about 2 s with ``top_k=5``.
    Only essential skill and language gaps count: optional ones never block a pathway, and the
    recognition of a qualification is not training (a pair it blocks stays blocked).

    Examples
    --------
    >>> from datetime import date
    >>> from labourint_match import (
    ...     CandidateProfile, Matcher, ScoringConfig, Taxonomy, Vacancy)
    >>> taxonomy = Taxonomy.default()
    >>> cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
    >>> needed = [r.skill for r in taxonomy.occupation_skills(cook)
    ...           if r.relation == "essential"][:3]
    >>> jobs = [Vacancy(id="v1", occupation=cook, skills=needed)]
    >>> people = [CandidateProfile(id=f"c{i}", skills=[{"skill": s, "evidence": "certified"}
    ...           for s in needed[:2]]) for i in range(2)]
    >>> matcher = Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)))
    >>> needs = training_needs(matcher, people, jobs, as_frame=False)
    >>> needs[0]["need"] == needed[2], needs[0]["ready_ids"]
    (True, ('c0', 'c1'))
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


def _skill_levels(matcher: Matcher, vacancies: Sequence[Vacancy]) -> dict[str, int]:
    """The highest minimum level any vacancy asks of each skill concept."""
    out: dict[str, int] = {}
    for v in vacancies:
        for r in v.skills:
            if r.min_level is None:
                continue
            concept = r.skill if is_concept_uri(r.skill) else matcher.resolve(r.skill)
            if concept is not None:
                out[concept] = max(out.get(concept, 0), r.min_level)
    return out
