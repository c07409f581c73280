"""Array-level placement solvers: optimal (maximum total score) and stable (deferred acceptance).

The solvers work on a sparse bipartite edge list of eligible (candidate, vacancy) pairs — score
arrays and indices only — so no personal attribute can reach them. ``Matcher.assign`` (and
``DistributedMatcher.assign``) has the edges built by :mod:`labourint_match.scoring.edges` from
one encoding of the cohort (every eligible pair, or the pruned set on a large cohort) and hands
them to the placement plan, :mod:`labourint_match.assignment.plan`, with the ids and a small
provenance record but no profile: the plan solves, maps the indices back to ids and builds the
:class:`Assignment`.

- :func:`solve_optimal` — the exact maximum-total-score placement with capacities;
- :func:`solve_stable` — the candidate-optimal stable placement with capacities;
- :func:`prune_top_k` — keep each candidate's best edges before solving a national-scale cohort;
- :class:`SolverResult` and :class:`Reason` — what they return;
- :class:`Assignment` — what ``Matcher.assign`` returns: :class:`Placement` and :class:`Unplaced`
  records, the :class:`Pruning` used on a large cohort, and :class:`UnplacedExplanation`;
- :class:`Override` — an adviser's fixed or forbidden pair, with the reason
  (``Matcher.assign(..., fixed=..., forbidden=...)``);
- :func:`log_override` — write an override's recording or withdrawal to the decision log.

Examples
--------
>>> import numpy as np
>>> from labourint_match.assignment import solve_optimal, solve_stable
>>> cand = np.array([0, 0, 1, 2], dtype=np.int32)
>>> vac = np.array([0, 1, 0, 0], dtype=np.int32)
>>> score = np.array([0.9, 0.6, 0.8, 0.4], dtype=np.float32)
>>> capacity = np.array([1, 1], dtype=np.int64)
>>> optimal = solve_optimal(cand, vac, score, 4, capacity)
>>> optimal.assigned.tolist(), round(optimal.total_score, 4)
([1, 0, -1, -1], 1.4)
>>> stable = solve_stable(cand, vac, score, 4, capacity)
>>> stable.assigned.tolist(), round(stable.total_score, 4)
([0, -1, -1, -1], 0.9)
>>> [r.name for r in map(Reason, stable.reason)]
['ASSIGNED', 'OUTCOMPETED', 'OUTCOMPETED', 'NO_EDGE']
"""

from __future__ import annotations

from ._common import Reason, SolverResult, prune_top_k
from ._log import log_override
from .optimal import solve_optimal
from .overrides import Override
from .result import (
    UNPLACED_REASONS,
    Assignment,
    Placement,
    Pruning,
    Unplaced,
    UnplacedExplanation,
    VacancyOption,
)
from .stable import solve_stable

__all__ = [
    "UNPLACED_REASONS",
    "Assignment",
    "Override",
    "Placement",
    "Pruning",
    "Reason",
    "SolverResult",
    "Unplaced",
    "UnplacedExplanation",
    "VacancyOption",
    "log_override",
    "prune_top_k",
    "solve_optimal",
    "solve_stable",
]
