"""Numba kernels: the matching score over arrays, exact top-k by candidate or by vacancy.

Only numpy, numba and the standard library's thread pool are imported here, and the array layout
(``.._layout``). Every function is
compiled lazily on first call (nothing compiles at import). The package's modules:

- ``components``: eligibility, the five components, their composition (:func:`pair_score`) and
  :func:`score_pairs`, the scores of explicit pairs;
- ``geo``: distances, reach tests and cells of latitude;
- ``expansion``: a candidate's claims spread over the relation table, skill components from it;
- ``topk``: sorted top-k lists and the bounded groups of vacancies;
- ``by_candidate`` and ``by_vacancy``: :func:`rank_by_candidate` and :func:`rank_by_vacancy`.
- ``details``: :func:`~.details.pair_details`, what an explanation of a pair is made of;
- ``_parallel``: the work of an entry point cut into contiguous parts, run on a pool of threads.

The entry points are Python functions: each builds what it shares once, then calls compiled
functions (``COMPILED``) on contiguous parts of the work, over threads (``_parallel``). No kernel
is compiled with ``parallel=True``: numba's parallel passes doubled the first call's compile time
(measured on the demo: 47 s of CPU for the first ``rank`` against 23 s serial), and the GIL-free
serial kernels on a pool of Python threads split the work the same way.

Nothing outside ``labourint_match.scoring`` calls these: the :class:`~..engine.Scorer` is their
typed public twin, which checks dtypes and shapes before a call.

The three entry points (:func:`score_pairs`, :func:`rank_by_candidate`, :func:`rank_by_vacancy`)
take the named tuples of ``_encode.py`` and unpack them into plain arrays once; the per-pair
helpers take plain arrays and scalars only, because passing a tuple of arrays to a function makes
numba reference-count every array in it on each call (measured: 1 µs per call, against a few ns
for plain arrays). Even plain arrays cost: a helper taking some twenty of them that LLVM does not
inline (:func:`pair_score`) spends about 250 ns per call on reference counts, more than the work,
so the per-pair helpers :func:`rank_by_candidate` calls on its hot path are marked
``@jit(inline=True)``, which numba inlines into it before compiling (the rest, such as
:func:`experience_component` for the few pairs outside groups, are plain calls).

Exactness: the skill component of a pair is the same sum, in the same order (the vacancy's
requirement slots in order), whichever kernel computes it, and the whole score adds the components
in one fixed order, so the three kernels give bit-identical scores. Top-k pruning uses an upper
bound computed with the same operations as the score (each non-skill component replaced by its
maximum, 1, or by a value it cannot exceed), so no pair that could enter the top-k is skipped; the
skill bounds of :func:`rank_by_candidate`, sums in another order, are inflated by ``BOUND_SLACK``
to stay bounds despite rounding. Ineligible pairs (score 0) are recognised by cheap checks before
any component is computed.
"""

from .by_candidate import _rank_chunks, rank_by_candidate
from .by_vacancy import _first_pass, _second_pass, rank_by_vacancy
from .components import _score_range, score_pairs
from .details import _details_range
from .geo import _cells
from .topk import _vacancy_rows

__all__ = ["COMPILED", "rank_by_candidate", "rank_by_vacancy", "score_pairs"]

#: The compiled functions the entry points call from Python, by entry point: what compiles on the
#: first call of each (their signatures are what numba caches).
COMPILED = {
    "rank_by_candidate": (_vacancy_rows, _cells, _rank_chunks),
    "rank_by_vacancy": (_vacancy_rows, _first_pass, _second_pass),
    "score_pairs": (_score_range,),
    "pair_details": (_details_range,),
}
