"""The scoring engine: cohorts encoded once, and typed calls of the numba kernels.

A :class:`Scorer` owns what every score is computed from: the taxonomy's arrays, the relation
table (memoised credits between concepts), the configuration as a vector, the day eligibility is
judged on, and the kernel lock and thread count. It encodes both cohorts into arrays once
(:meth:`Scorer.encode` → :class:`EncodedCohort`), and then scores explicit pairs
(:meth:`Scorer.score_pairs`) or ranks every pair (:meth:`Scorer.top_k`, by candidate or by
vacancy) on that encoding. These two are the typed public twins of the kernels of ``_kernels/``:
they check the dtypes and shapes of what they pass (the kernels do not check bounds, so a wrong
index would read out of memory) and raise :class:`~labourint_match.errors.ConfigError` on a
mismatch. Nothing outside ``labourint_match.scoring`` calls the kernels directly.

How free text is read (skills given as words, job titles) is not the engine's business: the
:class:`TextReader` it is given says it (:class:`~labourint_match.Matcher` passes its memoised
resolvers); by default only concept URIs count.

Examples
--------
>>> from datetime import date
>>> import numpy as np
>>> from labourint_match import ScoringConfig, Taxonomy, synth
>>> from labourint_match.scoring.engine import Scorer
>>> taxonomy = Taxonomy.default()
>>> people, jobs = synth.cohort(taxonomy, 6, 4, seed=2)
>>> scorer = Scorer(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)))
>>> cohort = scorer.encode(people, jobs)
>>> cohort.n_candidates, cohort.n_vacancies
(6, 4)
>>> best = scorer.top_k(cohort, 2)
>>> best.indices.shape, best.scores.dtype.name
((6, 2), 'float64')
>>> again = scorer.score_pairs(cohort, np.arange(6), best.indices[:, 0].astype(np.int64))
>>> bool((again.scores == best.scores[:, 0]).all())
True
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, NamedTuple

import numba
import numpy as np
from numpy.typing import NDArray

from .._gc import gc_paused
from .._validate import positive_int
from ..errors import ConfigError
from ..profiles import CandidateProfile, Vacancy
from ..taxonomy import Taxonomy
from . import _kernels
from ._channels import LanguageChannels
from ._encode import (
    CandidateArrays,
    Codes,
    RelationArrays,
    RelationTable,
    TaxonomyArrays,
    VacancyArrays,
    config_vector,
    encode_candidates,
    encode_vacancies,
)
from ._kernels.details import pair_details as _pair_details
from ._layout import CF_WIDTH, CFG_SIZE, VF_WIDTH
from .config import ScoringConfig

__all__ = [
    "EncodedCohort", "PairDetails", "PairScores", "Scorer", "TextReader", "TopK", "gc_paused",
]  # fmt: skip

#: One lock for every kernel call in the process (see :meth:`Scorer.threads`).
_KERNEL_LOCK = threading.RLock()


def _no_uri(text: str) -> str | None:
    return None


def _no_index(text: str) -> int | None:
    return None


def _certain(text: str) -> float:
    return 1.0


def _nothing_to_prepare(
    candidates: Sequence[CandidateProfile], vacancies: Sequence[Vacancy]
) -> None:
    return None


@dataclass(frozen=True)
class TextReader:
    """How the encoder reads free text; the default reads none (only concept URIs count).

    Attributes
    ----------
    resolve_uri
        The concept a free-text skill is scored as, or ``None`` (also routes free-text language
        skills to the language channel).
    resolve_index
        The same concept's index in the taxonomy, or ``None``.
    confidence
        The confidence of a skill text's resolution (1 for a concept URI).
    title_index
        The occupation (concept index) a job title is read as, or ``None``.
    prepare
        Called with both (routed) cohorts before they are encoded: reads their titles in one
        batch.
    """

    resolve_uri: Callable[[str], str | None] = _no_uri
    resolve_index: Callable[[str], int | None] = _no_index
    confidence: Callable[[str], float] = _certain
    title_index: Callable[[str], int | None] = _no_index
    prepare: Callable[[Sequence[CandidateProfile], Sequence[Vacancy]], None] = field(
        default=_nothing_to_prepare
    )


class EncodedCohort(NamedTuple):
    """Both cohorts encoded against one taxonomy and configuration.

    ``C`` holds the candidates, ``V`` the vacancies and ``R`` the relation credits of the
    concepts the vacancies ask for (the kernels' named tuples of arrays).
    """

    C: CandidateArrays
    V: VacancyArrays
    R: RelationArrays

    @property
    def n_candidates(self) -> int:
        """Candidates encoded."""
        return int(self.C.features.shape[0])

    @property
    def n_vacancies(self) -> int:
        """Vacancies encoded."""
        return int(self.V.features.shape[0])

    @property
    def unjudged(self) -> NDArray[np.bool_]:
        """Per vacancy: it asks for no skill that resolves (its skill fit is unknown)."""
        found: NDArray[np.bool_] = self.V.total_weight <= 0.0
        return found


class PairScores(NamedTuple):
    """What :meth:`Scorer.score_pairs` gives for each pair, in the order asked."""

    scores: NDArray[np.float64]
    """The score in [0, 1] (0 for a pair that is not eligible)."""
    reasons: NDArray[np.int32]
    """The bitmask of why the pair is not eligible (0: eligible; see ``Ranking.reasons``)."""
    skill: NDArray[np.float64]
    """The skill component."""


class PairDetails(NamedTuple):
    """What :meth:`Scorer.pair_details` gives: what an explanation of each pair is made of."""

    components: NDArray[np.float64]
    """``[n, 5]``: skill, language, education, location, experience (``config.COMPONENTS``)."""
    reasons: NDArray[np.int32]
    """Why each pair is not eligible (0: eligible), as in :class:`PairScores`."""
    slot_at: NDArray[np.int64]
    """``[n + 1]``: pair ``i``'s slots are ``slot_credit[slot_at[i]:slot_at[i + 1]]``."""
    slot_credit: NDArray[np.float64]
    """The credit each requirement slot of the pair's vacancy earns (its best claim's; 0: none)."""
    lang_at: NDArray[np.int64]
    """``[n + 1]``: pair ``i``'s language rows are ``lang_fit[lang_at[i]:lang_at[i + 1]]``."""
    lang_fit: NDArray[np.float64]
    """``[rows, 4]``: each required activity's fit before support (2.0: not asked for)."""
    lang_have: NDArray[np.int8]
    """``[rows, 4]``: the CEFR code held there (0 unknown, 1..6 A1..C2; -1 language not listed)."""


class TopK(NamedTuple):
    """What :meth:`Scorer.top_k` gives: per row (candidate or vacancy), its best `k` of the other.

    Rows are padded with index -1 (score -1, reasons 0) where fewer than `k` exist.
    """

    indices: NDArray[np.int32]
    scores: NDArray[np.float64]
    reasons: NDArray[np.int32]


# The dtype of every array the kernels read, by field (and the number of dimensions, when not 1).
_DTYPES: dict[type[Any], dict[str, tuple[type[np.generic], int]]] = {
    CandidateArrays: {
        "claim_indptr": (np.int64, 1), "claim_concept": (np.int32, 1),
        "claim_evidence": (np.float64, 1), "claim_level": (np.int8, 1),
        "lang_indptr": (np.int64, 1), "lang_code": (np.int32, 1), "lang_level": (np.int8, 2),
        "edu_indptr": (np.int64, 1), "edu_level": (np.int8, 1), "edu_credit": (np.float64, 1),
        "exp_indptr": (np.int64, 1), "exp_occupation": (np.int32, 1),
        "exp_months": (np.float64, 1), "pref_indptr": (np.int64, 1),
        "pref_occupation": (np.int32, 1), "features": (np.float64, 2),
    },
    VacancyArrays: {
        "slot_indptr": (np.int64, 1), "slot_concept": (np.int32, 1),
        "slot_weight": (np.float64, 1), "slot_min_level": (np.int8, 1),
        "slot_vacancy": (np.int32, 1), "total_weight": (np.float64, 1),
        "lang_indptr": (np.int64, 1), "lang_code": (np.int32, 1), "lang_min": (np.int8, 2),
        "lang_factor": (np.float64, 1), "features": (np.float64, 2),
        "post_indptr": (np.int64, 1), "post_slot": (np.int64, 1),
    },
    RelationArrays: {
        "by_claim_indptr": (np.int64, 1), "by_claim_req": (np.int32, 1),
        "by_claim_credit": (np.float64, 1), "by_req_indptr": (np.int64, 1),
        "by_req_claim": (np.int32, 1), "by_req_credit": (np.float64, 1),
    },
}  # fmt: skip


def _check_arrays(bundle: Any, kind: type[Any], what: str) -> None:
    if not isinstance(bundle, kind):
        raise ConfigError(f"{what} must be {kind.__name__}, not {type(bundle).__name__}")
    for name, (dtype, ndim) in _DTYPES[kind].items():
        a = getattr(bundle, name)
        if not isinstance(a, np.ndarray) or a.dtype != dtype or a.ndim != ndim:
            got = f"{a.dtype}, {a.ndim}-d" if isinstance(a, np.ndarray) else type(a).__name__
            raise ConfigError(
                f"{what}.{name} must be a {ndim}-d {np.dtype(dtype).name} array, not {got}"
            )


class Scorer:
    """Encodes cohorts and scores them with the kernels, for one taxonomy and configuration.

    Parameters
    ----------
    taxonomy, config
        What the scores are computed from.
    as_of
        The day eligibility is judged on (``config.as_of``, else today).
    threads
        Number of numba threads for kernel calls (``None``: numba's default). Results do not
        depend on it.
    reader
        How free text is read (:class:`TextReader`); by default only concept URIs count.

    Raises
    ------
    ConfigError
        `taxonomy` is not a :class:`~labourint_match.taxonomy.Taxonomy`, `config` not a
        :class:`ScoringConfig`, or `threads` neither ``None`` nor an int ≥ 1.
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        config: ScoringConfig,
        *,
        as_of: date | None = None,
        threads: int | None = None,
        reader: TextReader | None = None,
    ) -> None:
        if not isinstance(taxonomy, Taxonomy):
            raise ConfigError(f"taxonomy must be a Taxonomy, not {type(taxonomy).__name__}")
        if not isinstance(config, ScoringConfig):
            raise ConfigError(f"config must be a ScoringConfig, not {type(config).__name__}")
        self.taxonomy = taxonomy
        self.config = config
        self.as_of: date = as_of or config.as_of or date.today()
        self.threads = None if threads is None else positive_int(threads, "threads")
        self.reader = reader or TextReader()
        self.channels = LanguageChannels(taxonomy, self.reader.resolve_uri)
        self.relations = RelationTable(taxonomy, config)
        self.cfg = config_vector(config)
        c = taxonomy.compiled
        self.T = TaxonomyArrays(c.broader_indptr, c.broader_indices)

    def __repr__(self) -> str:
        return f"<Scorer {self.taxonomy!r}, config {self.config.digest()}, as of {self.as_of}>"

    # -- encoding ------------------------------------------------------------------------------

    def encode(
        self, candidates: Sequence[CandidateProfile], vacancies: Sequence[Vacancy]
    ) -> EncodedCohort:
        """Both cohorts (validated records) as arrays: row ``i`` is record ``i`` of each."""
        with gc_paused():
            # ESCO language skills among the claims or requirements go to the language channel.
            candidates = self.channels.routed(candidates)
            vacancies = self.channels.routed(vacancies)
            codes = Codes()
            read = self.reader
            read.prepare(candidates, vacancies)
            cands = encode_candidates(
                candidates, self.taxonomy, self.config, codes, read.resolve_index,
                read.confidence, read.title_index,
            )  # fmt: skip
            vacs = encode_vacancies(
                vacancies, self.taxonomy, self.config, codes, read.resolve_index, self.as_of,
                read.confidence, read.title_index,
            )  # fmt: skip
            return EncodedCohort(cands, vacs, self.relations.arrays(vacs.slot_concept))

    def check(self, cohort: EncodedCohort) -> None:
        """Raise `ConfigError` unless `cohort` holds arrays of the dtypes and shapes expected."""
        if not isinstance(cohort, EncodedCohort):
            raise ConfigError(f"cohort must be an EncodedCohort, not {type(cohort).__name__}")
        _check_arrays(cohort.C, CandidateArrays, "cohort.C")
        _check_arrays(cohort.V, VacancyArrays, "cohort.V")
        _check_arrays(cohort.R, RelationArrays, "cohort.R")
        n_c, n_v = cohort.n_candidates, cohort.n_vacancies
        n_concepts = len(self.taxonomy)
        for name, a, rows in (
            ("C.claim_indptr", cohort.C.claim_indptr, n_c),
            ("C.lang_indptr", cohort.C.lang_indptr, n_c),
            ("C.edu_indptr", cohort.C.edu_indptr, n_c),
            ("C.exp_indptr", cohort.C.exp_indptr, n_c),
            ("C.pref_indptr", cohort.C.pref_indptr, n_c),
            ("V.slot_indptr", cohort.V.slot_indptr, n_v),
            ("V.lang_indptr", cohort.V.lang_indptr, n_v),
            ("V.post_indptr", cohort.V.post_indptr, n_concepts),
            ("R.by_claim_indptr", cohort.R.by_claim_indptr, n_concepts),
            ("R.by_req_indptr", cohort.R.by_req_indptr, n_concepts),
        ):
            if a.shape[0] != rows + 1:
                raise ConfigError(f"cohort.{name} must have {rows + 1} offsets, not {a.shape[0]}")
        if cohort.C.features.shape[1] != CF_WIDTH or cohort.V.features.shape[1] != VF_WIDTH:
            raise ConfigError(
                f"cohort feature matrices must have {CF_WIDTH} (candidates) and {VF_WIDTH} "
                f"(vacancies) columns, not {cohort.C.features.shape[1]} and "
                f"{cohort.V.features.shape[1]}"
            )
        if cohort.V.total_weight.shape[0] != n_v:
            raise ConfigError("cohort.V.total_weight must have one entry per vacancy")
        if self.cfg.shape != (CFG_SIZE,):  # pragma: no cover - built by config_vector
            raise ConfigError(f"the config vector must have {CFG_SIZE} entries")

    # -- kernels -------------------------------------------------------------------------------

    @contextmanager
    def threads_held(self) -> Iterator[None]:
        """Run kernels one call at a time, with this scorer's thread count.

        Each kernel call splits its rows over numba's thread count itself (serial kernels that
        release the GIL, run on a pool of Python threads: ``_kernels/_parallel.py``); the lock
        serialises the calls, so one call's threads do not compete with another's and the thread
        count set here holds for the whole call.
        """
        with _KERNEL_LOCK:
            if self.threads is None:
                yield
                return
            before = numba.get_num_threads()
            limit = int(numba.config.NUMBA_NUM_THREADS)  # type: ignore[attr-defined]
            numba.set_num_threads(min(self.threads, limit))
            try:
                yield
            finally:
                numba.set_num_threads(before)

    def score_pairs(self, cohort: EncodedCohort, cand: Any, vac: Any) -> PairScores:
        """Score the explicit pairs ``(cand[i], vac[i])`` of an encoded cohort.

        Parameters
        ----------
        cohort
            From :meth:`encode`.
        cand, vac
            1-d int64 arrays of equal length: row indices into the candidates and vacancies.

        Raises
        ------
        ConfigError
            Arrays of another dtype, shape or length, or an index outside the cohort.
        """
        self._check_pairs(cohort, cand, vac)
        with self.threads_held():
            s, r, k = _kernels.score_pairs(cand, vac, *cohort, self.T, self.cfg)
        return PairScores(s, r, k)

    def _check_pairs(self, cohort: EncodedCohort, cand: Any, vac: Any) -> None:
        self.check(cohort)
        for name, a, n in (("cand", cand, cohort.n_candidates), ("vac", vac, cohort.n_vacancies)):
            if not isinstance(a, np.ndarray) or a.dtype != np.int64 or a.ndim != 1:
                got = f"{a.dtype} {a.ndim}-d" if isinstance(a, np.ndarray) else type(a).__name__
                raise ConfigError(f"{name} must be a 1-d int64 array, not {got}")
            if a.size and (int(a.min()) < 0 or int(a.max()) >= n):
                raise ConfigError(f"{name} holds an index outside [0, {n})")
        if cand.shape != vac.shape:
            raise ConfigError(f"cand and vac differ in length: {cand.shape[0]} and {vac.shape[0]}")

    def pair_details(self, cohort: EncodedCohort, cand: Any, vac: Any) -> PairDetails:
        """Components, slot credits and language fits of the explicit pairs ``(cand[i], vac[i])``.

        The components and reasons are those :meth:`score_pairs` composes into a score (the same
        kernel functions, in the same order); slot credits and language fits are the terms the
        skill and language components are made of, as the explanation of a pair lists them.

        Raises
        ------
        ConfigError
            As :meth:`score_pairs`.
        """
        self._check_pairs(cohort, cand, vac)
        v = cohort.V
        slot_at = np.zeros(cand.shape[0] + 1, dtype=np.int64)
        np.cumsum(np.diff(v.slot_indptr)[vac], out=slot_at[1:])
        lang_at = np.zeros(cand.shape[0] + 1, dtype=np.int64)
        np.cumsum(np.diff(v.lang_indptr)[vac], out=lang_at[1:])
        with self.threads_held():
            comps, why, credit, fit, have = _pair_details(
                cand, vac, slot_at, lang_at, *cohort, self.T, self.cfg
            )
        return PairDetails(comps, why, slot_at, credit, lang_at, fit, have)

    def relation_credit(self, cohort: EncodedCohort, claim: Any, required: Any) -> Any:
        """The relation credit of claimed concepts for required ones, pair by pair (0: none).

        `claim` and `required` are int64 concept indices of equal shape; each `required` concept
        must be one the cohort's vacancies ask for (the relation arrays cover only those).
        """
        r = cohort.R
        n = np.int64(r.by_req_indptr.shape[0] - 1)
        owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(r.by_req_indptr))
        keys = owner * n + r.by_req_claim.astype(np.int64)  # sorted: by required, then claim
        want = np.asarray(required, dtype=np.int64) * n + np.asarray(claim, dtype=np.int64)
        at = np.searchsorted(keys, want)
        hit = at < keys.shape[0]
        hit[hit] = keys[at[hit]] == want[hit]
        out = np.zeros(want.shape, dtype=np.float64)
        out[hit] = r.by_req_credit[at[hit]]
        return out

    def top_k(
        self,
        cohort: EncodedCohort,
        k: int,
        by: Literal["candidate", "vacancy"] = "candidate",
        *,
        n_chunks: int | None = None,
    ) -> TopK:
        """The exact best `k` vacancies of each candidate (or candidates of each vacancy).

        Exactly the top-k that scoring every pair would give, ties broken by index; `k` larger
        than the other side is clamped to its size. An empty cohort gives rows of no columns (or
        no rows).

        Parameters
        ----------
        cohort
            From :meth:`encode`.
        k
            How many per row (an int ≥ 1).
        by
            ``"candidate"``: a row per candidate; ``"vacancy"``: a row per vacancy.
        n_chunks
            How many pieces the rows (by candidate) or the candidates (by vacancy) are cut into
            for the threads; ``None``: chosen from the thread count. Results do not depend on it.

        Raises
        ------
        ConfigError
            `k` or `n_chunks` not an int ≥ 1, `by` unknown, or arrays of another dtype or shape.
        """
        from .._validate import positive_int

        k = positive_int(k, "k")
        if by not in ("candidate", "vacancy"):
            raise ConfigError(f"by must be 'candidate' or 'vacancy', not {by!r}")
        if n_chunks is not None:
            n_chunks = positive_int(n_chunks, "n_chunks")
        self.check(cohort)
        n_c, n_v = cohort.n_candidates, cohort.n_vacancies
        other = n_v if by == "candidate" else n_c
        k = int(min(k, other))
        rows = n_c if by == "candidate" else n_v
        if rows == 0 or k == 0:  # an empty cohort: an empty ranking, no kernel to run
            return TopK(
                np.full((rows, k), -1, dtype=np.int32),
                np.zeros((rows, k), dtype=np.float64),
                np.zeros((rows, k), dtype=np.int32),
            )
        with self.threads_held():
            if by == "candidate":
                chunks = n_chunks or max(1, min(rows, 32 * numba.get_num_threads()))
                idx, sc, why = _kernels.rank_by_candidate(*cohort, self.T, self.cfg, k, chunks)
            else:
                # One run of candidates per thread: each run fills top-k lists of its own.
                chunks = n_chunks or max(1, min(n_c, numba.get_num_threads()))
                idx, sc, why = _kernels.rank_by_vacancy(*cohort, self.T, self.cfg, k, chunks)
        return TopK(idx, sc, why)
