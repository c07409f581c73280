"""Training needs: the skills and language levels that, trained, would move most people to a job.

:func:`training_needs` serves stage 2 of the Labour-INT method (which training closes which gap):
it ranks the skills and language levels that, trained, would move the most candidates to a job
they are ready for, with the people concerned. It counts on the engine's arrays
(``_training_arrays``); ``_training_reference`` keeps the algorithm that explained every pair in
pure Python, which the tests and the benchmark compare it with.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from .._progress import check_progress, progress_bar
from .._validate import positive_int, unit_interval
from ..errors import ConfigError
from ..profiles import CandidateProfile, Vacancy, checked_records
from ._common import _check_as_frame, _matcher_type, _table
from ._needs import TRAINING_NEEDS_COLUMNS, NeedKey, _need_text, _NeedStats, _Trainer
from ._training_arrays import count_needs

if TYPE_CHECKING:
    from ..matcher import Matcher

__all__ = ["TRAINING_NEEDS_COLUMNS", "NeedKey", "training_needs"]


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
    progress: bool | None = None,
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
    tried on every candidate whose gaps it could close, by judging the trained profile's pairs
    again, so the counts are exact: the candidates listed are those that retraining each profile
    and explaining it again finds (the tests check this by brute force, and that the table is
    the one explaining every pair gives). Candidates with no eligible vacancy cannot be moved;
    their needs are not counted.

    Parameters
    ----------
    matcher
        Scores and explains the pairs.
    candidates, vacancies
        The cohorts (validated as for :meth:`Matcher.rank`; neither is changed).
    top_k
        Vacancies considered per candidate; ``None``: every vacancy (every pair is then judged:
        keep it for small cohorts).
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
    progress
        A progress bar on standard error (counting candidates; see
        :mod:`labourint_match._progress`): ``None`` in notebooks only, ``True`` always,
        ``False`` never.

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
        or `as_frame` unknown; `placement_gain` negative; `min_score` not in [0, 1]; `progress`
        not True, False or None.
    ProfileError
        An invalid record (also `DuplicateIdError`, `UnknownConceptError`); an empty cohort
        gives a table with no rows.

    Notes
    -----
    The cohort is ranked and encoded once, and the considered pairs' details (components,
    requirement credits, language fits) come from one call of the engine; a pair's gaps,
    pathway and lost score follow the explanation's formulas. A need is tried only on the pairs
    where it could close every blocking gap (or, for ``ready_with_support``, enough of them), and
    a trial re-judges only what the need changes: the pair's blocking skill slots (a skill) or
    the language's activities (a language). On the bundled taxonomy a cohort of 2,000 candidates
    and 300 vacancies takes well under a second with ``top_k=3`` (the pure-Python reference it
    replaces took minutes; ``python -m benchmarks`` measures both, ``bench_training``). Only
    essential skill and language gaps count: optional ones never block a pathway, and the
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
    check_progress(progress)
    cands = checked_records(candidates, CandidateProfile, "candidates")
    vacs = checked_records(vacancies, Vacancy, "vacancies")
    k = len(vacs) if top_k is None else min(top_k, len(vacs))
    ranking = matcher.rank(cands, vacs, top_k=max(k, 1), by="candidate")  # no vacancies: k is 0
    with progress_bar(len(cands), "training needs", progress, unit="candidates") as bar:
        found, skill_levels = count_needs(
            matcher, cands, vacs, ranking, languages=languages, lang=lang, bar=bar
        )

    def order(s: _NeedStats) -> tuple[Any, ...]:
        first, second = (s.ready, s.supported) if target == "ready" else (s.supported, s.ready)
        return (-len(first), -len(second), -len(s.needed_by), -s.score_lost, _need_text(s.key))

    ranked = sorted(found, key=order)
    gains: dict[NeedKey, tuple[float, int]] = {}
    if placement_gain and ranked:
        train = _Trainer(skill_levels)
        base = matcher.assign(cands, vacs, "optimal", float(min_score))
        with progress_bar(
            min(placement_gain, len(ranked)), "placement gains", progress, unit="needs"
        ) as bar:
            for s in ranked[:placement_gain]:
                trained_cohort = [
                    train(c, s.key) if i in s.needed_by else c for i, c in enumerate(cands)
                ]
                plan = matcher.assign(trained_cohort, vacs, "optimal", float(min_score))
                gains[s.key] = (plan.total_score - base.total_score, plan.n_placed - base.n_placed)
                bar.update()
    return _table(_rows(ranked, gains, [c.id for c in cands], skill_levels),
                  TRAINING_NEEDS_COLUMNS, as_frame)  # fmt: skip


def _rows(
    ranked: list[_NeedStats],
    gains: dict[NeedKey, tuple[float, int]],
    ids: list[str],
    skill_levels: dict[str, int],
) -> list[dict[str, Any]]:
    """The report's rows, in rank order (as the reference writes them)."""
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
    return rows
