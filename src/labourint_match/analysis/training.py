"""Cohort analysis: training needs, demand against supply, and disparity between groups.

:func:`training_needs` serves stage 2 of the Labour-INT method (which training closes which gap):
it ranks the skills and language levels that, trained, would move the most candidates to a job
they are ready for, with the people concerned. :func:`demand_supply` sets the skills vacancies ask
for against the skills the cohort holds, overall, per occupation group or per region.
:func:`disparity` compares placement rates, mean scores and top-k exposure between the groups of
one audit attribute, with the four-fifths flag.

Return values
    Every function returns a pandas DataFrame when pandas is installed and a list of dicts (one
    per row, keyed by the DataFrame's column names) otherwise. ``as_frame=True`` insists on a
    DataFrame (a :class:`~labourint_match.errors.ConfigError` with the install hint when pandas is
    missing); ``as_frame=False`` always gives the records.
Audit attributes
    :func:`disparity` is the only code in the library that reads
    :class:`~labourint_match.profiles.AuditAttributes`; nothing here feeds them back into a score.

Examples
--------
>>> from datetime import date
>>> from labourint_match import Matcher, ScoringConfig, Taxonomy, synth
>>> from labourint_match.analysis import demand_supply, disparity
>>> taxonomy = Taxonomy.default()
>>> people, jobs = synth.cohort(taxonomy, 20, 5, seed=3)
>>> matcher = Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)))
>>> report = disparity(matcher.assign(people, jobs), people, "group", as_frame=False)
>>> [row["group"] for row in report]
['domestic', 'newcomer']
>>> top = demand_supply(people, jobs, taxonomy, as_frame=False)[0]
>>> top["openings_essential"] >= 1
True
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from ..errors import ConfigError, ProfileError
from ..profiles import (
    CEFR_LEVELS,
    AuditAttributes,
    CandidateProfile,
    LanguageSkill,
    SkillClaim,
    Vacancy,
    checked_records,
    is_concept_uri,
    validate_cohort,
)
from ..scoring.explain import Explanation, Gap, language_name
from ..taxonomy import ConceptKind, SkillRelation, Taxonomy
from ..taxonomy._languages import canonical_language_code

if TYPE_CHECKING:
    from ..assignment.result import Assignment
    from ..matcher import Matcher
    from ..scoring.ranking import Ranking

__all__ = [
    "DEMAND_SUPPLY_COLUMNS",
    "DISPARITY_COLUMNS",
    "TRAINING_NEEDS_COLUMNS",
    "UNKNOWN_GROUP",
    "demand_supply",
    "disparity",
    "training_needs",
]

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

#: Columns of :func:`demand_supply` (``group`` and ``group_label`` only with ``by``), in order.
DEMAND_SUPPLY_COLUMNS: tuple[str, ...] = (
    "group",
    "group_label",
    "skill",
    "label",
    "resolved",
    "vacancies",
    "vacancies_essential",
    "openings",
    "openings_essential",
    "candidates",
    "candidates_or_narrower",
    "candidates_per_opening",
)

#: Columns of :func:`disparity`, in order.
DISPARITY_COLUMNS: tuple[str, ...] = (
    "attribute",
    "group",
    "n",
    "placed",
    "placement_rate",
    "placement_rate_ratio",
    "mean_score",
    "mean_score_ratio",
    "exposure",
    "exposure_ratio",
    "reference",
    "four_fifths_flag",
)

#: The label of candidates whose audit attribute is not recorded.
UNKNOWN_GROUP = "unknown"

_PATHWAY_RANK = {"not_eligible": 0, "training_first": 1, "ready_with_support": 2, "ready": 3}
_READY = _PATHWAY_RANK["ready"]
_SUPPORTED = _PATHWAY_RANK["ready_with_support"]
_AUDIT_FIELDS: tuple[str, ...] = tuple(AuditAttributes.model_fields)
_ACTIVITY_TEXT = {
    "listening": "understanding speech",
    "reading": "reading",
    "spoken_interaction": "speaking with others",
    "writing": "writing",
}

R = TypeVar("R", CandidateProfile, Vacancy)


# -- shared helpers -------------------------------------------------------------------------------


def _check_as_frame(as_frame: object) -> None:
    if as_frame is not None and not isinstance(as_frame, bool):
        raise ConfigError(f"as_frame must be True, False or None, not {type(as_frame).__name__}")


def _table(rows: list[dict[str, Any]], columns: Sequence[str], as_frame: bool | None) -> Any:
    """`rows` as a DataFrame (pandas installed, or insisted on) or as the records themselves."""
    if as_frame is False:
        return rows
    try:
        import pandas as pd
    except ImportError:
        if as_frame:
            raise ConfigError(
                "as_frame=True needs pandas: pip install 'labourint-match[notebook]', or pass "
                "as_frame=False for a list of dicts"
            ) from None
        return rows
    return pd.DataFrame.from_records(rows, columns=list(columns))


def _matcher_type() -> type[Matcher]:
    from ..matcher import Matcher

    return Matcher


def _cefr(level: str | None) -> int:
    return 0 if level is None else CEFR_LEVELS.index(level) + 1


# -- training needs -------------------------------------------------------------------------------

NeedKey = tuple[str, ...]
SkillKey = tuple[str, bool]  # a concept URI (True), or free text that does not resolve (False)


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


class _CachedTaxonomy(Taxonomy):
    """The same compiled taxonomy, with the queries the reference walks memoised.

    The pure-Python reference behind :meth:`Matcher.explain` asks for the same parents, children,
    related skills and labels many times per pair; a taxonomy is immutable, so the answers keep.
    """

    def __init__(self, base: Taxonomy) -> None:
        super().__init__(base.compiled, source=base.source)
        self._up: dict[str, tuple[str, ...]] = {}
        self._down: dict[str, tuple[str, ...]] = {}
        self._related: dict[str, tuple[SkillRelation, ...]] = {}
        self._labels: dict[tuple[str, str], str] = {}

    def broader(self, uri: str) -> tuple[str, ...]:
        try:
            return self._up[uri]
        except KeyError:
            found = self._up[uri] = super().broader(uri)
            return found

    def narrower(self, uri: str) -> tuple[str, ...]:
        try:
            return self._down[uri]
        except KeyError:
            found = self._down[uri] = super().narrower(uri)
            return found

    def related_skills(self, uri: str) -> tuple[SkillRelation, ...]:
        try:
            return self._related[uri]
        except KeyError:
            found = self._related[uri] = super().related_skills(uri)
            return found

    def label(self, uri: str, lang: str = "en") -> str:
        try:
            return self._labels[uri, lang]
        except KeyError:
            found = self._labels[uri, lang] = super().label(uri, lang)
            return found


def _explainer(matcher: Matcher) -> Matcher:
    """A twin of `matcher` for explaining many pairs, over a memoised view of its taxonomy.

    Same configuration, reference day and resolver: the same explanations, about three times
    faster.
    """
    config = matcher.config
    if config.as_of is None:
        config = config.replace(as_of=matcher.as_of)
    return type(matcher)(
        _CachedTaxonomy(matcher.taxonomy),
        config,
        resolver=getattr(matcher, "_resolver", None),
        min_resolution_score=matcher.min_resolution_score,
    )


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
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
        raise ConfigError(f"top_k must be a positive int or None, not {top_k!r}")
    if target not in ("ready", "ready_with_support"):
        raise ConfigError(f"target must be 'ready' or 'ready_with_support', not {target!r}")
    if languages not in ("level", "activity"):
        raise ConfigError(f"languages must be 'level' or 'activity', not {languages!r}")
    if (
        isinstance(placement_gain, bool)
        or not isinstance(placement_gain, int)
        or placement_gain < 0
    ):
        raise ConfigError(f"placement_gain must be an int >= 0, not {placement_gain!r}")
    if (
        isinstance(min_score, bool)
        or not isinstance(min_score, (int, float))
        or not (0.0 <= float(min_score) <= 1.0)
    ):
        raise ConfigError(f"min_score must be a number in [0, 1], not {min_score!r}")
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


# -- demand and supply ----------------------------------------------------------------------------


def _descendants(taxonomy: Taxonomy, uri: str) -> set[str]:
    out: set[str] = set()
    queue = deque([uri])
    while queue:
        for child in taxonomy.narrower(queue.popleft()):
            if child not in out:
                out.add(child)
                queue.append(child)
    return out


def _occupation_group(
    taxonomy: Taxonomy, occupation: str | None, level: int, lang: str
) -> tuple[str, str]:
    """The ISCO group of `occupation` at `level` digits, as (code or URI, label)."""
    if occupation is None or occupation not in taxonomy:
        return UNKNOWN_GROUP, UNKNOWN_GROUP
    groups = [
        a
        for a in taxonomy.ancestors(occupation)
        if taxonomy.kind(a) == ConceptKind.OCCUPATION_GROUP
    ]
    if not groups:
        return UNKNOWN_GROUP, UNKNOWN_GROUP
    for a in groups:
        code = taxonomy.concept(a).code
        if code is not None and code.isdigit() and len(code) == level:
            return code, taxonomy.label(a, lang)
    top = groups[-1]
    return taxonomy.concept(top).code or top, taxonomy.label(top, lang)


def demand_supply(
    candidates: Iterable[CandidateProfile],
    vacancies: Iterable[Vacancy],
    taxonomy: Taxonomy | Matcher,
    *,
    by: Literal["occupation_group", "region"] | None = None,
    isco_level: int = 1,
    lang: str = "en",
    as_frame: bool | None = None,
) -> Any:
    """The skills vacancies ask for most, set against how many candidates hold them.

    Demand counts vacancies and their openings per skill concept (a vacancy listing a skill
    twice counts once, as essential if either entry is). Supply counts candidates who claim the
    skill exactly (any evidence), and those who claim it or a narrower skill (a more specific one,
    at any depth below it). Free-text skills are resolved as a :class:`~labourint_match.Matcher`
    resolves them (pass a Matcher to use its resolver and threshold); free text that does not
    resolve is kept as its own row (``resolved`` False), compared by exact text.

    Parameters
    ----------
    candidates, vacancies
        The cohorts (validated against the taxonomy; neither is changed).
    taxonomy
        The taxonomy the profiles refer to, or a Matcher (its taxonomy and resolver are used).
    by
        ``None``: one table for the whole cohort. ``"occupation_group"``: demand per ISCO group of
        the vacancy's occupation (at `isco_level`), against the whole cohort's supply.
        ``"region"``: demand per vacancy region code against the supply of the candidates of that
        region (``location.region``). Vacancies and candidates with no occupation group or region
        form the group ``"unknown"``.
    isco_level
        Digits of the ISCO code of the occupation groups: 1 (major group) to 4 (unit group). An
        occupation with no group of that level goes to its most general group.
    lang
        Language of labels.
    as_frame
        As in :func:`training_needs`.

    Returns
    -------
    pandas.DataFrame or list of dict
        One row per demanded skill (per group), with the columns of
        :data:`DEMAND_SUPPLY_COLUMNS` (``group`` and ``group_label`` only with `by`):
        ``skill`` (URI, or the free text), ``label``, ``resolved``, ``vacancies``,
        ``vacancies_essential``, ``openings``, ``openings_essential``, ``candidates``,
        ``candidates_or_narrower``, and ``candidates_per_opening`` (``candidates / openings``;
        ``None`` when there are no openings). Groups in code order (``unknown`` last); within a
        group, most essential openings first, then openings, vacancies and label.

    Raises
    ------
    ConfigError
        `taxonomy` is neither a Taxonomy nor a Matcher; `by`, `isco_level` or `as_frame` invalid.
    ProfileError
        An invalid record (also `DuplicateIdError`, `UnknownConceptError`); an empty cohort
        gives a table with no rows.

    Examples
    --------
    >>> from labourint_match import CandidateProfile, Taxonomy, Vacancy
    >>> taxonomy = Taxonomy.default()
    >>> cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
    >>> skills = [r.skill for r in taxonomy.occupation_skills(cook)][:2]
    >>> jobs = [Vacancy(id="v1", occupation=cook, skills=skills, openings=3)]
    >>> people = [CandidateProfile(id="c1", skills=skills[:1])]
    >>> rows = demand_supply(people, jobs, taxonomy, by="occupation_group", as_frame=False)
    >>> [(r["group"], r["openings"], r["candidates"]) for r in rows]
    [('5', 3, 1), ('5', 3, 0)]
    """
    matcher_type = _matcher_type()
    if isinstance(taxonomy, matcher_type):
        matcher: Matcher | None = taxonomy
        tax = taxonomy.taxonomy
    elif isinstance(taxonomy, Taxonomy):
        matcher, tax = None, taxonomy
    else:
        raise ConfigError(
            f"taxonomy must be a Taxonomy or a Matcher, not {type(taxonomy).__name__}"
        )
    if by not in (None, "occupation_group", "region"):
        raise ConfigError(f"by must be None, 'occupation_group' or 'region', not {by!r}")
    if (
        isinstance(isco_level, bool)
        or not isinstance(isco_level, int)
        or not (1 <= isco_level <= 4)
    ):
        raise ConfigError(f"isco_level must be an int from 1 to 4, not {isco_level!r}")
    _check_as_frame(as_frame)
    cands = validate_cohort(
        checked_records(candidates, CandidateProfile, "candidates"), taxonomy=tax
    )
    vacs = validate_cohort(checked_records(vacancies, Vacancy, "vacancies"), taxonomy=tax)

    resolved: dict[str, str | None] = {}

    def concept(text: str) -> SkillKey:
        if is_concept_uri(text):
            return text, True
        nonlocal matcher
        if text not in resolved:
            if matcher is None:
                matcher = matcher_type(tax)
            resolved[text] = matcher.resolve(text)
        found = resolved[text]
        return (text, False) if found is None else (found, True)

    def region(loc: Any) -> str:
        return loc.region if loc is not None and loc.region else UNKNOWN_GROUP

    holders: dict[SkillKey, set[int]] = {}
    members: dict[str, set[int]] = {}
    for i, cand in enumerate(cands):
        for claim in cand.skills:
            holders.setdefault(concept(claim.skill), set()).add(i)
        if by == "region":
            members.setdefault(region(cand.location), set()).add(i)
    labels: dict[str, str] = {}
    demand: dict[tuple[str, SkillKey], list[int]] = {}
    for v in vacs:
        if by == "occupation_group":
            group, labels_value = _occupation_group(tax, v.occupation, isco_level, lang)
            labels[group] = labels_value
        elif by == "region":
            group = region(v.location)
            labels[group] = group
        else:
            group = ""
        asked: dict[SkillKey, bool] = {}
        for r in v.skills:
            key = concept(r.skill)
            asked[key] = asked.get(key, False) or r.importance == "essential"
        for key, essential in asked.items():
            tally = demand.setdefault((group, key), [0, 0, 0, 0])
            tally[0] += 1
            tally[1] += int(essential)
            tally[2] += v.openings
            tally[3] += v.openings if essential else 0

    or_narrower: dict[SkillKey, set[int]] = {}
    rows: list[dict[str, Any]] = []
    for (group, key), (n_vac, n_ess, openings, openings_ess) in demand.items():
        if key not in or_narrower:
            found = set(holders.get(key, ()))
            if key[1] and key[0] in tax:
                for d in _descendants(tax, key[0]):
                    found.update(holders.get((d, True), ()))
            or_narrower[key] = found
        exact_set, wide_set = holders.get(key, set()), or_narrower[key]
        if by == "region":
            pool = members.get(group, set())
            exact, wider = len(exact_set & pool), len(wide_set & pool)
        else:
            exact, wider = len(exact_set), len(wide_set)
        uri, is_resolved = key
        row: dict[str, Any] = {}
        if by is not None:
            row["group"] = group
            row["group_label"] = labels[group]
        row.update(
            {
                "skill": uri,
                "label": tax.label(uri, lang) if is_resolved and uri in tax else uri,
                "resolved": is_resolved,
                "vacancies": n_vac,
                "vacancies_essential": n_ess,
                "openings": openings,
                "openings_essential": openings_ess,
                "candidates": exact,
                "candidates_or_narrower": wider,
                "candidates_per_opening": exact / openings if openings else None,
            }
        )
        rows.append(row)
    rows.sort(
        key=lambda r: (
            r.get("group", "") == UNKNOWN_GROUP,
            r.get("group", ""),
            -r["openings_essential"],
            -r["openings"],
            -r["vacancies"],
            r["label"],
            r["skill"],
        )
    )
    columns = DEMAND_SUPPLY_COLUMNS if by is not None else DEMAND_SUPPLY_COLUMNS[2:]
    return _table(rows, columns, as_frame)


# -- disparity ------------------------------------------------------------------------------------


def _group_of(candidate: CandidateProfile, attribute: str) -> str:
    # The one place in the library that reads AuditAttributes (DESIGN §2).
    audit = candidate.audit
    value = None if audit is None else getattr(audit, attribute)
    return UNKNOWN_GROUP if value is None else str(value)


def _ratio(value: float | None, best: float | None) -> float | None:
    if value is None or best is None or best <= 0:
        return None
    return value / best


def disparity(
    result: Assignment,
    candidates: Iterable[CandidateProfile],
    attribute: str = "group",
    *,
    ranking: Ranking | None = None,
    k: int = 10,
    as_frame: bool | None = None,
) -> Any:
    """Placement rate, mean score and top-k exposure per group of one audit attribute.

    Groups are the values of ``candidate.audit.<attribute>`` (booleans as ``"True"`` /
    ``"False"``); candidates without audit attributes, or without this one, form the group
    ``"unknown"``. Per group:

    - ``placement_rate``: members placed by `result` / members;
    - ``mean_score``: the mean score of the members' placements (``None`` when none is placed);
    - ``exposure`` (with `ranking`): by vacancy, the share of members who appear, eligible, in
      at least one vacancy's top `k`; by candidate, the members' mean best eligible score within
      their own top `k` (0 for a member with none).

    Each measure is divided by that of the best-off group (the highest value among the groups
    other than ``"unknown"``, unless it is the only group) to give the ``*_ratio`` columns
    (``None`` when the best value is 0 or missing). ``four_fifths_flag`` marks a placement-rate
    ratio under 0.8 (the four-fifths rule of thumb for adverse impact); ``reference`` marks the
    group the placement-rate ratios are taken against.

    This is the only function of the library that reads
    :class:`~labourint_match.profiles.AuditAttributes`.

    Parameters
    ----------
    result
        A placement of the cohort (:meth:`Matcher.assign <labourint_match.Matcher.assign>`).
    candidates
        The cohort the placement was made for: the same candidate ids, in any order.
    attribute
        A field of :class:`~labourint_match.profiles.AuditAttributes`: ``gender``, ``age_band``,
        ``nationality``, ``country_of_birth``, ``disability`` or ``group``.
    ranking
        Optional: a :meth:`Matcher.rank <labourint_match.Matcher.rank>` result over the same
        candidates, for the exposure columns (``None`` without it).
    k
        The top positions that count as exposure (at most the ranking's own top-k).
    as_frame
        As in :func:`training_needs`.

    Returns
    -------
    pandas.DataFrame or list of dict
        One row per group, in label order (``unknown`` last), with the columns of
        :data:`DISPARITY_COLUMNS`.

    Raises
    ------
    ConfigError
        `result` is not an Assignment; `ranking` not a Ranking; `attribute` unknown; `k` not a
        positive int; `as_frame` invalid.
    ProfileError
        An invalid cohort (also `DuplicateIdError`), or candidate ids that differ from the
        placement's or the ranking's; an empty cohort gives a table with no rows.

    Examples
    --------
    >>> from datetime import date
    >>> from labourint_match import Assignment, CandidateProfile, Placement, Unplaced
    >>> people = [
    ...     CandidateProfile(id=f"c{i}", skills=["cooking"], audit={"gender": g})
    ...     for i, g in enumerate(["f", "f", "m", "m"])
    ... ]
    >>> plan = Assignment(
    ...     method="optimal", pairs=(Placement("c0", "v1", 0.8), Placement("c2", "v2", 0.6),
    ...     Placement("c3", "v3", 0.4)), unassigned=(Unplaced("c1", "outcompeted"),),
    ...     total_score=1.8, min_score=0.0, pruning=None, solver="dense", config_digest="-",
    ...     taxonomy_hash="-", as_of=date(2026, 1, 1), n_candidates=4, n_vacancies=3,
    ...     n_openings=3, run_id="-")
    >>> rows = disparity(plan, people, "gender", as_frame=False)
    >>> [(r["group"], r["placement_rate"], r["placement_rate_ratio"], r["four_fifths_flag"])
    ...  for r in rows]
    [('f', 0.5, 0.5, True), ('m', 1.0, 1.0, False)]
    """
    from ..assignment.result import Assignment
    from ..scoring.ranking import Ranking

    if not isinstance(result, Assignment):
        raise ConfigError(
            f"result must be an Assignment (Matcher.assign), not {type(result).__name__}"
        )
    if ranking is not None and not isinstance(ranking, Ranking):
        raise ConfigError(f"ranking must be a Ranking (Matcher.rank), not {type(ranking).__name__}")
    if not isinstance(attribute, str) or attribute not in _AUDIT_FIELDS:
        raise ConfigError(
            f"attribute must be one of {', '.join(_AUDIT_FIELDS)}, not {str(attribute)[:40]!r}"
        )
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ConfigError(f"k must be a positive int, not {k!r}")
    _check_as_frame(as_frame)
    cands = validate_cohort(checked_records(candidates, CandidateProfile, "candidates")).records
    ids = {c.id for c in cands}
    placed = {p.candidate_id: p.score for p in result.pairs}
    in_result = set(placed) | {u.candidate_id for u in result.unassigned}
    _same_ids(ids, in_result, "the assignment")

    exposure: dict[str, float] | None = None
    if ranking is not None:
        _same_ids(ids, set(ranking.candidate_ids), "the ranking")
        exposure = _exposure(ranking, min(k, max(ranking.top_k, 1)))

    members: dict[str, list[str]] = {}
    for c in cands:
        members.setdefault(_group_of(c, attribute), []).append(c.id)
    groups = sorted(members, key=lambda g: (g == UNKNOWN_GROUP, g))
    if not groups:  # an empty cohort: no group to compare
        return _table([], DISPARITY_COLUMNS, as_frame)
    stats: dict[str, dict[str, Any]] = {}
    for g in groups:
        who = members[g]
        scores = [placed[cid] for cid in who if cid in placed]
        stats[g] = {
            "n": len(who),
            "placed": len(scores),
            "placement_rate": len(scores) / len(who),
            "mean_score": math.fsum(scores) / len(scores) if scores else None,
            "exposure": (
                None if exposure is None else math.fsum(exposure[cid] for cid in who) / len(who)
            ),
        }
    known = [g for g in groups if g != UNKNOWN_GROUP] or groups

    def best(name: str) -> float | None:
        values = [stats[g][name] for g in known if stats[g][name] is not None]
        return max(values) if values else None

    best_rate, best_score, best_exposure = (
        best("placement_rate"),
        best("mean_score"),
        best("exposure"),
    )
    reference = next(g for g in known if stats[g]["placement_rate"] == best_rate)
    rows = []
    for g in groups:
        s = stats[g]
        rate_ratio = _ratio(s["placement_rate"], best_rate)
        rows.append(
            {
                "attribute": attribute,
                "group": g,
                "n": s["n"],
                "placed": s["placed"],
                "placement_rate": s["placement_rate"],
                "placement_rate_ratio": rate_ratio,
                "mean_score": s["mean_score"],
                "mean_score_ratio": _ratio(s["mean_score"], best_score),
                "exposure": s["exposure"],
                "exposure_ratio": _ratio(s["exposure"], best_exposure),
                "reference": g == reference,
                "four_fifths_flag": rate_ratio is not None and rate_ratio < 0.8,
            }
        )
    return _table(rows, DISPARITY_COLUMNS, as_frame)


def _same_ids(ids: set[str], other: set[str], what: str) -> None:
    missing = sorted(other - ids)
    if missing:
        raise ProfileError(
            f"{len(missing)} candidate(s) of {what} are not among the candidates passed "
            f"(first: {missing[0][:100]!r}); pass the cohort {what} was computed for"
        )
    extra = sorted(ids - other)
    if extra:
        raise ProfileError(
            f"{len(extra)} candidate(s) passed are not in {what} (first: {extra[0][:100]!r}); "
            f"pass the cohort {what} was computed for"
        )


def _exposure(ranking: Ranking, k: int) -> dict[str, float]:
    """Per candidate id: in some vacancy's top k (1.0 or 0.0), or the best score in their own."""
    out = dict.fromkeys(ranking.candidate_ids, 0.0)
    cols = slice(0, k)
    indices = ranking.indices[:, cols]
    eligible = (ranking.reasons[:, cols] == 0) & (indices >= 0)
    if ranking.by == "vacancy":
        for i in set(indices[eligible].tolist()):
            out[ranking.candidate_ids[int(i)]] = 1.0
    else:
        scores = ranking.scores[:, cols]
        for row, cid in enumerate(ranking.candidate_ids):
            found = scores[row][eligible[row]]
            out[cid] = float(found.max()) if found.size else 0.0
    return out
