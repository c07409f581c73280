"""Disparity between groups: placement rate, mean score and exposure per audit attribute group.

:func:`disparity` compares placement rates, mean scores and top-k exposure between the groups of
one audit attribute, with the four-fifths flag. This is the only module of the library that
reads :class:`~labourint_match.profiles.AuditAttributes`; nothing here feeds them back into a
score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .._validate import positive_int
from ..errors import ConfigError, ProfileError
from ..profiles import AuditAttributes, CandidateProfile, checked_records, validate_cohort
from ._common import UNKNOWN_GROUP, _check_as_frame, _table

if TYPE_CHECKING:
    from ..assignment.result import Assignment
    from ..scoring.ranking import Ranking

__all__ = ["DISPARITY_COLUMNS", "disparity"]

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

_AUDIT_FIELDS: tuple[str, ...] = tuple(AuditAttributes.model_fields)


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
    k = positive_int(k, "k")
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
