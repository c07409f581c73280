"""Stable placement: candidate-proposing deferred acceptance with capacities.

Preferences come from the scores of the edges, and only edges are acceptable (incomplete lists):

- a candidate prefers a vacancy with a higher score, ties to the lower vacancy index;
- a vacancy prefers a candidate with a higher score, ties to the lower candidate index.

Both sides thus have strict preferences, and the result is the candidate-optimal stable matching:
no candidate and vacancy would both rather be together than keep what they have (no blocking
pair), and every candidate does at least as well as in any other stable matching. It is unique,
so it does not depend on the order of the edges or on the number of threads (the kernel is
sequential). Zero capacities, candidates without edges and more candidates than openings need no
special treatment. The kernel runs in ``O(E log capacity)``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._common import SolverResult, make_result, validate_edges
from ._kernels import deferred_acceptance

__all__ = ["solve_stable"]


def solve_stable(
    cand: npt.ArrayLike,
    vac: npt.ArrayLike,
    score: npt.ArrayLike,
    n_candidates: int,
    capacity: npt.ArrayLike,
) -> SolverResult:
    """Place candidates by candidate-proposing deferred acceptance (Gale–Shapley with capacities).

    Parameters
    ----------
    cand : array_like of int, shape (E,)
        The candidate of each eligible pair, in ``[0, n_candidates)``.
    vac : array_like of int, shape (E,)
        The vacancy of each eligible pair, in ``[0, len(capacity))``.
    score : array_like of float, shape (E,)
        The score of each pair, in [0, 1]; both sides rank the pair by it (see the module
        documentation for ties). Each pair at most once.
    n_candidates : int
        The number of candidates, including those without any edge.
    capacity : array_like of int, shape (n_vacancies,)
        The openings of each vacancy (≥ 0).

    Returns
    -------
    SolverResult
        The candidate-optimal stable placement (``method="deferred_acceptance"``).

    Raises
    ------
    ConfigError
        When the input is malformed (lengths, index ranges, NaN, infinite or out-of-range scores,
        negative capacity, duplicate pairs).

    See Also
    --------
    solve_optimal : the placement with the largest total score.

    Examples
    --------
    Candidate 0 scores 0.9 at vacancy 0 and 0.8 at vacancy 1; candidate 1 scores 0.95 at
    vacancy 0. Vacancy 0 (one opening) prefers candidate 1, so candidate 0 moves on:

    >>> from labourint_match.assignment import Reason, solve_stable
    >>> result = solve_stable([0, 0, 1], [0, 1, 0], [0.9, 0.8, 0.95], 3, [1, 1])
    >>> result.assigned.tolist()
    [1, 0, -1]
    >>> Reason(result.reason[2]).name
    'NO_EDGE'

    Ties go to the lower candidate index:

    >>> solve_stable([0, 1], [0, 0], [0.5, 0.5], 2, [1]).assigned.tolist()
    [0, -1]
    """
    edges = validate_edges(cand, vac, score, n_candidates, capacity)
    n = edges.n_candidates
    # Each candidate's list: by score descending, then vacancy ascending (edges are already
    # sorted by candidate, then vacancy, and lexsort is stable).
    pref_edge = np.lexsort((edges.vac, -edges.score, edges.cand)).astype(np.int64)
    degree = np.bincount(edges.vac, minlength=edges.n_vacancies)
    room = np.minimum(edges.capacity, degree).astype(np.int64)
    heap_ptr = np.zeros(edges.n_vacancies + 1, dtype=np.int64)
    np.cumsum(room, out=heap_ptr[1:])
    if edges.cand.shape[0] == 0:
        held = np.full(n, -1, dtype=np.int64)
    else:
        held = deferred_acceptance(
            edges.ptr,
            np.ascontiguousarray(pref_edge),
            edges.cand,
            edges.vac,
            edges.score,
            heap_ptr,
        )
    return make_result(edges, held, "deferred_acceptance")
