"""The placement plan: scored edges → solver → :class:`Assignment`, from ids and arrays only.

What :meth:`Matcher.assign <labourint_match.Matcher.assign>` and
:meth:`DistributedMatcher.assign <labourint_match.distributed.DistributedMatcher.assign>` hand
over once the cohort is scored: the candidates' and vacancies' ids (in id order, so that the
solvers' ties, broken by index, are broken by id), the openings, the edges (plain arrays, from
:mod:`labourint_match.scoring.edges`) and a small :class:`Provenance` record (the configuration
digest, the taxonomy hash, the day). The solvers see no profile, so audit attributes cannot
reach a placement; the profiles travel only inside the optional `source` (a
:class:`~labourint_match._placement_source.PlacementSource`, opaque here), handed to the
`Assignment` so that it can explain itself on demand, never read by this module.

:func:`place` solves and builds; :func:`build` builds the `Assignment` of a solver's result
(also of one merged from groups solved apart), with its run id and decision log.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import numpy as np
from numpy.typing import NDArray

from .._version import __version__
from ..scoring.edges import Edges, Exclusion
from ._common import Reason
from ._log import check_log_path, write_decision_log
from .optimal import solve_optimal
from .overrides import Overrides
from .result import Assignment, Placement, Pruning, Unplaced, UnplacedReason
from .stable import solve_stable

if TYPE_CHECKING:
    from pathlib import Path

    from .result import _Source

__all__ = [
    "DENSE_ASSIGN_PAIRS",
    "METHODS",
    "Provenance",
    "build",
    "check_log_path",
    "exclusion",
    "place",
]

METHODS: Final = ("optimal", "stable")
"""The values `method` of :meth:`Matcher.assign` accepts."""

DENSE_ASSIGN_PAIRS: Final = 4_000_000
"""Up to this many pairs (candidates × vacancies), :meth:`Matcher.assign` scores every pair."""


class Provenance(NamedTuple):
    """What the scores of a placement were computed from (part of its run id and its record)."""

    config_digest: str
    taxonomy_hash: str
    """The taxonomy's full content hash."""
    as_of: date


def _problem_digest(
    capacity: NDArray[np.int64], best: NDArray[np.float64], edges: Edges | None
) -> str:
    """A hash of what the placement is solved from: every scored pair, each one's best, openings.

    This is where the profiles' content enters the run id: a change to a record that changes any
    score (or eligibility, or a vacancy's openings) changes the digest. Profile fields are not
    hashed one by one: audit attributes must not reach anything a placement returns.
    """
    h = hashlib.sha256()
    arrays: list[NDArray[Any]] = [capacity.astype(np.int64), best.astype(np.float64)]
    if edges is not None:
        cand, vac = edges.cand.astype(np.int64), edges.vac.astype(np.int64)
        score = edges.score.astype(np.float64)
        key = cand * max(int(capacity.shape[0]), 1) + vac
        if key.size > 1 and bool(np.any(key[1:] < key[:-1])):  # in (candidate, vacancy) order
            order = np.argsort(key, kind="stable")
            cand, vac, score = cand[order], vac[order], score[order]
        arrays += [cand, vac, score]
    for a in arrays:
        h.update(a.shape[0].to_bytes(8, "little"))
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def _run_id(
    provenance: Provenance,
    cand_ids: tuple[str, ...],
    vacancy_ids: tuple[str, ...],
    method: str,
    min_score: float,
    pruning: tuple[int, int] | None,
    grouping: str | None = None,
    problem: str | None = None,
    solver: str | None = None,
    overrides: Overrides | None = None,
) -> str:
    """The run id: a hash of everything the placement was decided from.

    `overrides` (the adviser's fixed and forbidden pairs, every field of each) are hashed only
    when there are some, so the ids of runs without them stay what they were.

    `solver` is hashed only when it names the min-cost flow (OR-Tools, which ``"auto"`` picks
    above the dense threshold when it is installed): with tied scores the flow may return another
    optimal plan than the LP, so two machines must not log the same id for different decisions.
    The ids of runs solved by scipy stay what they were.
    """
    payload: dict[str, Any] = {
        "candidates": list(cand_ids),
        "vacancies": list(vacancy_ids),
        "config": provenance.config_digest,
        "as_of": provenance.as_of.isoformat(),
        "taxonomy": provenance.taxonomy_hash,
        "method": method,
        "min_score": min_score,
        "pruning": pruning,
        "library_version": __version__,
    }
    if grouping is not None:
        payload["grouping"] = grouping
    if problem is not None:
        payload["problem"] = problem
    if solver is not None and "mincostflow" in solver:
        payload["solver"] = solver
    if overrides is not None:
        payload["overrides"] = overrides.payload()
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def exclusion(overrides: Overrides | None, capacity: NDArray[np.int64]) -> Exclusion | None:
    """What a pruned problem must leave out before choosing its pairs (``None``: nothing).

    The forbidden pairs, the fixed candidates (placed apart), and each vacancy's openings once
    the fixed pairs have taken theirs: :func:`~labourint_match.scoring.edges.pruned_edges`
    chooses each candidate's and each vacancy's best pairs among what is left.
    """
    if overrides is None:
        return None
    return Exclusion(overrides.forbidden_cand, overrides.forbidden_vac, overrides.fixed_cand,
                     overrides.openings_left(capacity))  # fmt: skip


def _allowed_best(
    edges: Edges, overrides: Overrides, n_c: int, n_v: int,
    forbidden_score: NDArray[np.float64] | None,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:  # fmt: skip
    """Each candidate's best score without the forbidden pairs, and who had only those.

    The second array marks the candidates with an eligible forbidden pair (a positive score:
    among `edges`, or in `forbidden_score`, the forbidden pairs' scores in their order) and no
    eligible pair left.
    """
    n = max(n_v, 1)
    f_key = overrides.forbidden_cand * n + overrides.forbidden_vac
    is_forbidden = np.isin(edges.cand * n + edges.vac, f_key)
    hit = np.unique(overrides.forbidden_cand)
    best = np.array(edges.best, dtype=np.float64, copy=True)
    best[hit] = 0.0
    again = ~is_forbidden & np.isin(edges.cand, hit)
    np.maximum.at(best, edges.cand[again], edges.score[again])
    had = np.zeros(n_c, dtype=bool)
    had[edges.cand[is_forbidden & (edges.score > 0.0)]] = True
    if forbidden_score is not None:
        had[overrides.forbidden_cand[np.asarray(forbidden_score) > 0.0]] = True
    only: NDArray[np.bool_] = had & (best <= 0.0)
    return best, only


def place(
    provenance: Provenance,
    cand_ids: tuple[str, ...],
    vacancy_ids: tuple[str, ...],
    capacity: NDArray[np.int64],
    edges: Edges,
    method: str,
    threshold: float,
    pruned: tuple[int, int] | None,
    log_path: Path | None,
    source: _Source | None,
    overrides: Overrides | None = None,
    forbidden_score: NDArray[np.float64] | None = None,
) -> Assignment:
    """Solve the placement over scored `edges` and build the `Assignment` (ids in id order).

    With `overrides` (checked, the fixed pairs scored): the forbidden pairs and every edge of a
    fixed candidate leave the problem, each fixed pair takes one opening of its vacancy, the
    rest is solved on what is left, and the fixed pairs are put back into the result. (Pruned
    `edges` are chosen without them already: :func:`exclusion`.) Each candidate's best score
    leaves the forbidden pairs out; a candidate whose every eligible pair is forbidden is
    unplaced as ``forbidden_by_adviser``. `forbidden_score` holds the forbidden pairs' scores
    (0 where not eligible), for those that `edges` may not hold (pruned edges).
    """
    n_c = len(cand_ids)
    use = edges.score >= threshold
    openings = capacity
    best = edges.best
    forbidden_only = None
    if overrides is not None:
        use &= ~overrides.removed(edges.cand, edges.vac, len(vacancy_ids))
        openings = overrides.openings_left(capacity)
        if overrides.forbidden:
            best, forbidden_only = _allowed_best(edges, overrides, n_c, len(vacancy_ids),
                                                 forbidden_score)  # fmt: skip
    n_edges = int(np.count_nonzero(use))
    e_cand = edges.cand[use].astype(np.int32)
    e_vac = edges.vac[use].astype(np.int32)
    e_score = edges.score[use]
    result: Any
    if method == "optimal":
        result = solve_optimal(e_cand, e_vac, e_score, n_c, openings)
    else:
        result = solve_stable(e_cand, e_vac, e_score, n_c, openings)
    if overrides is not None:
        result = overrides.merge(result)
    return build(provenance, cand_ids, vacancy_ids, capacity, best, result,
                 n_edges, method, threshold, pruned, log_path, source,
                 edges=edges, overrides=overrides, forbidden_only=forbidden_only)  # fmt: skip


def build(
    provenance: Provenance,
    cand_ids: tuple[str, ...],
    vacancy_ids: tuple[str, ...],
    capacity: NDArray[np.int64],
    best_scores: NDArray[np.float64],
    result: Any,
    n_edges: int,
    method: str,
    threshold: float,
    pruned: tuple[int, int] | None,
    log_path: Path | None,
    source: _Source | None,
    *,
    grouping: str | None = None,
    edges: Edges | None = None,
    overrides: Overrides | None = None,
    forbidden_only: NDArray[np.bool_] | None = None,
) -> Assignment:
    """The `Assignment` of a solver's `result`, logged when `log_path` is given.

    `result` holds ``assigned``, ``score`` and ``reason`` per candidate (in id order),
    ``total_score`` and ``method``; `best_scores` is each candidate's best eligible score;
    `grouping` names how the problem was cut into groups (part of the run id), if it was;
    `edges` are the scored pairs the problem was solved from (part of the run id); the solver
    (``result.method``) is part of the run id when it is the min-cost flow; `overrides`, the
    adviser's fixed and forbidden pairs, are part of the run id, the result and the log;
    `forbidden_only` marks the candidates whose every eligible pair an adviser forbade (reason
    ``forbidden_by_adviser``).
    """
    n_c, n_v = len(cand_ids), len(vacancy_ids)
    pairs: list[Placement] = []
    unplaced: list[Unplaced] = []
    for i in range(n_c):
        j = int(result.assigned[i])
        cid = cand_ids[i]
        if j >= 0:
            pairs.append(Placement(cid, vacancy_ids[j], float(result.score[i])))
            continue
        best = float(best_scores[i])
        reason: UnplacedReason
        if result.reason[i] == Reason.OUTCOMPETED:
            reason = "outcompeted"
        elif best > 0.0 and best < threshold:
            reason = "below_min_score"
        elif forbidden_only is not None and bool(forbidden_only[i]):
            reason = "forbidden_by_adviser"
        else:
            reason = "no_eligible_vacancy"
        unplaced.append(Unplaced(cid, reason, best if best > 0.0 else None))

    pruning = None
    if pruned is not None:
        pruning = Pruning(
            top_k=pruned[0], per_opening=pruned[1], n_edges=n_edges, n_pairs=n_c * n_v
        )
    run_id = _run_id(provenance, cand_ids, vacancy_ids, method, threshold, pruned, grouping,
                     _problem_digest(capacity, best_scores, edges), result.method,
                     overrides)  # fmt: skip
    assignment = Assignment(
        method=method,
        pairs=tuple(pairs),
        unassigned=tuple(unplaced),
        total_score=result.total_score,
        min_score=threshold,
        pruning=pruning,
        solver=result.method,
        config_digest=provenance.config_digest,
        taxonomy_hash=provenance.taxonomy_hash[:16],
        as_of=provenance.as_of,
        n_candidates=n_c,
        n_vacancies=n_v,
        n_openings=int(capacity.sum()),
        run_id=run_id,
        fixed=() if overrides is None else overrides.fixed,
        forbidden=() if overrides is None else overrides.forbidden,
        _source=source,
    )
    if log_path is not None:
        write_decision_log(log_path, assignment)
    return assignment
