"""`Matcher`: the facade that scores, ranks, explains and places candidate–vacancy pairs.

It validates cohorts at the edge (typed errors naming the record) once per call, and delegates:
the scoring engine (:class:`~labourint_match.scoring.engine.Scorer`) encodes them once and runs
the kernels; :mod:`~labourint_match.scoring.edges` builds a placement's edges from that encoding,
and :mod:`~labourint_match.assignment.plan` solves it from ids and arrays; explanations come from
the pure-Python reference.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterable, Iterator, Sequence, Sized
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import numpy as np
from numpy.typing import NDArray

from ._gc import gc_paused
from ._ids import Digests, id_digests
from ._placement_source import PlacementSource
from ._progress import Progress, check_progress, progress_bar, progress_stages
from ._validate import positive_int, unit_interval
from .assignment.overrides import Override, Overrides, check_overrides
from .assignment.plan import (
    DENSE_ASSIGN_PAIRS,
    METHODS,
    Provenance,
    check_log_path,
    exclusion,
    place,
)
from .errors import ConfigError, DuplicateIdError, ProfileError, UnjudgedVacancyWarning
from .profiles import (
    CandidateProfile,
    Vacancy,
    checked_records,
    is_concept_uri,
    validate_cohort,
)
from .profiles._columnar import ColumnarCohort
from .profiles._columns import (
    CandidateColumns,
    Columns,
    VacancyColumns,
    candidate_columns,
    check_columns,
    vacancy_columns,
)
from .scoring import edges as _edges
from .scoring._columnar import VacancySide, encode_columns, encode_vacancy_side, encode_with
from .scoring._reference import evaluate
from .scoring.config import ScoringConfig
from .scoring.engine import Scorer, TextReader
from .scoring.explain import Explanation, build_explanation
from .scoring.ranking import Ranking, reason_names
from .taxonomy import Taxonomy

if TYPE_CHECKING:
    from os import PathLike

    from .assignment.result import Assignment
    from .resolve import SkillResolver, TitleResolver

__all__ = ["Matcher"]

R = TypeVar("R", CandidateProfile, Vacancy)

_ID = attrgetter("id")
_EXPERIENCE = attrgetter("experience")

#: Above this many pairs, :meth:`Matcher.scores` refuses to build a dense matrix.
MAX_DENSE_PAIRS = 50_000_000

#: The stages ``progress=`` reports for :meth:`Matcher.rank` and :meth:`Matcher.assign`.
RANK_STAGES = ("validating", "encoding", "scoring")
ASSIGN_STAGES = ("validating", "encoding", "scoring pairs", "placing")


class Matcher:
    """Scores, ranks and explains matches between candidates and vacancies.

    Parameters
    ----------
    taxonomy
        The taxonomy that concept URIs in profiles refer to.
    config
        All factors of the score (see :class:`ScoringConfig` and docs/scoring.md).
    resolver
        Resolves free-text skills in profiles to concepts. Created on first need from `taxonomy`
        when omitted. Only a resolution scoring at least `min_resolution_score` is used; other
        free-text skills are left out of the score and reported in explanations.
    min_resolution_score
        The lowest resolution score accepted for free-text skills. An accepted resolution's
        score is its confidence: it multiplies the claim's evidence factor (or the
        requirement's weight), so free text never counts as much as the same skill given as a
        concept URI unless it resolved with full confidence.
    min_title_score
        The lowest confidence at which a job title (of an experience or a vacancy given without an
        occupation URI) is read as an occupation (:class:`~labourint_match.resolve.TitleResolver`);
        a title read less surely counts as no occupation.
    ambiguity_margin, confident_score
        A resolution whose runner-up (another concept) scores within `ambiguity_margin` of it
        is *ambiguous*, and one scoring below `confident_score` is *uncertain*: explanations
        mark the matches that rest on either, for an adviser to check.
    threads
        Number of numba threads for ranking (``None``: numba's default, all cores). Results do not
        depend on it.

    Examples
    --------
    >>> from labourint_match import Matcher, Taxonomy, CandidateProfile, Vacancy
    >>> t = Taxonomy.default()
    >>> cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
    >>> needed = [r.skill for r in t.occupation_skills(cook) if r.relation == "essential"]
    >>> amira = CandidateProfile(id="c-17", skills=needed[:6])
    >>> job = Vacancy(id="v-3", occupation=cook, skills=needed)
    >>> matcher = Matcher(t)
    >>> round(matcher.score(amira, job), 4) == round(matcher.explain(amira, job).score, 4)
    True
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        config: ScoringConfig | None = None,
        *,
        resolver: SkillResolver | None = None,
        min_resolution_score: float = 0.75,
        min_title_score: float = 0.2,
        ambiguity_margin: float = 0.05,
        confident_score: float = 0.9,
        threads: int | None = None,
    ) -> None:
        if not isinstance(taxonomy, Taxonomy):
            raise ConfigError(f"taxonomy must be a Taxonomy, not {type(taxonomy).__name__}")
        if config is None:
            config = ScoringConfig()
        if not isinstance(config, ScoringConfig):
            raise ConfigError(f"config must be a ScoringConfig, not {type(config).__name__}")
        min_resolution_score = unit_interval(min_resolution_score, "min_resolution_score")
        min_title_score = unit_interval(min_title_score, "min_title_score")
        ambiguity_margin = unit_interval(ambiguity_margin, "ambiguity_margin")
        confident_score = unit_interval(confident_score, "confident_score")
        if threads is not None:
            threads = positive_int(threads, "threads")
        self.taxonomy = taxonomy
        self.config = config
        self.as_of: date = config.as_of or date.today()
        self.threads = threads
        self.min_resolution_score = float(min_resolution_score)
        self.min_title_score = float(min_title_score)
        self._titles: TitleResolver | None = None
        self._title_readings: dict[str, tuple[str | None, float]] = {}
        self.ambiguity_margin = float(ambiguity_margin)
        self.confident_score = float(confident_score)
        self._resolver = resolver
        self._resolved: dict[str, int | None] = {}
        self._resolutions: dict[str, tuple[str | None, float, bool]] = {}
        reader = TextReader(
            resolve_uri=self.resolve,
            resolve_index=self._resolve_index,
            confidence=self._confidence,
            title_index=self._title_index,
            prepare=self._prepare_titles,
        )
        self._scorer = Scorer(taxonomy, config, as_of=self.as_of, threads=threads, reader=reader)
        self._channels = self._scorer.channels

    def __repr__(self) -> str:
        return f"<Matcher {self.taxonomy!r}, config {self.config.digest()}, as of {self.as_of}>"

    # -- free text ---------------------------------------------------------------------------

    def _resolve_index(self, text: str) -> int | None:
        if text in self._resolved:
            return self._resolved[text]
        uri = self.resolve(text)
        found = None if uri is None else self.taxonomy.index(uri)
        self._resolved[text] = found
        return found

    def resolve(self, text: str) -> str | None:
        """The concept a free-text skill is scored as, or ``None`` when it resolves too weakly."""
        return self._resolution(text)[0]

    def _resolution(self, text: str) -> tuple[str | None, float, bool]:
        """(concept or None, confidence, ambiguous) of a free-text skill, memoised."""
        found = self._resolutions.get(text)
        if found is not None:
            return found
        if self._resolver is None:
            from .resolve import SkillResolver

            self._resolver = SkillResolver(self.taxonomy)
        best = self._resolver.resolve(text, top_k=2)
        if best and best[0].score >= self.min_resolution_score:
            runner_up = next((r.score for r in best[1:] if r.uri != best[0].uri), 0.0)
            ambiguous = best[0].score - runner_up < self.ambiguity_margin
            found = (best[0].uri, float(best[0].score), ambiguous)
        else:
            found = (None, 0.0, False)
        self._resolutions[text] = found
        return found

    def read_title(self, title: str) -> tuple[str | None, float]:
        """The occupation a job title is read as, and its confidence; ``(None, 0.0)`` when none.

        Used for an experience or a vacancy given by its title only (below `min_title_score`, the
        title counts as no occupation).
        """
        return self._read_titles([title])[0]

    def _read_titles(self, titles: Sequence[str]) -> list[tuple[str | None, float]]:
        """:meth:`read_title` of many titles, the new ones resolved in one batch, memoised."""
        new = [t for t in dict.fromkeys(titles) if t not in self._title_readings]
        if new:
            if self._titles is None:
                from .resolve import SkillResolver, TitleResolver

                if self._resolver is None:
                    self._resolver = SkillResolver(self.taxonomy)
                self._titles = TitleResolver(self.taxonomy, resolver=self._resolver)
            for title, found in zip(new, self._titles.resolve_many(new, top_k=1), strict=True):
                ok = bool(found) and found[0].score >= self.min_title_score
                self._title_readings[title] = (
                    (found[0].uri, float(found[0].score)) if ok else (None, 0.0)
                )
        return [self._title_readings[t] for t in titles]

    def _title_uri(self, title: str) -> str | None:
        return self.read_title(title)[0]

    def _title_index(self, title: str) -> int | None:
        uri = self.read_title(title)[0]
        return None if uri is None else self.taxonomy.index(uri)

    def _prepare_titles(
        self, candidates: Sequence[CandidateProfile], vacancies: Sequence[Vacancy]
    ) -> None:
        """Read, in one batch, the titles that stand for an occupation in these cohorts."""
        experiences = itertools.chain.from_iterable(map(_EXPERIENCE, candidates))
        titles = [e.title for e in experiences if e.occupation is None and e.title]
        titles.extend(v.title for v in vacancies if v.occupation is None and v.title)
        if titles:
            self._read_titles(titles)

    def _confidence(self, text: str) -> float:
        """Confidence of a skill text's resolution: 1 for a concept URI."""
        return 1.0 if is_concept_uri(text) else self._resolution(text)[1]

    def _check(self, text: str) -> tuple[float, bool]:
        """(confidence, needs checking) of a free-text skill, for explanations."""
        _, confidence, ambiguous = self._resolution(text)
        return confidence, ambiguous or confidence < self.confident_score

    # -- validation and encoding ---------------------------------------------------------------

    def _cohort(self, records: Iterable[Any], model: type[R], what: str) -> tuple[R, ...]:
        items = checked_records(records, model, what)
        validate_cohort(items, taxonomy=self.taxonomy)
        return items

    def _columns(self, records: Any, model: type[R], what: str) -> Columns:
        """A cohort's columns, validated as :meth:`_cohort` validates records (same errors).

        Records are read into columns in one pass; a :class:`ColumnarCohort` is used as it is.
        """
        if isinstance(records, ColumnarCohort):
            if records.kind is not model:
                raise ProfileError(
                    f"{what} must be a ColumnarCohort of {model.__name__}, not of "
                    f"{records.kind.__name__}"
                )
            columns, label, where = records.columns, records.label, records.where
        else:
            items = checked_records(records, model, what)
            columns = (
                candidate_columns(items) if model is CandidateProfile else vacancy_columns(items)
            )
            ids = columns.id

            def label(i: int) -> str:
                return ids[i]

            where = "item {}".format
        check_columns(columns, self.taxonomy, label, where)
        return columns

    def _candidate_columns(self, records: Any) -> CandidateColumns:
        return cast(CandidateColumns, self._columns(records, CandidateProfile, "candidates"))

    def _vacancy_columns(self, records: Any) -> VacancyColumns:
        return cast(VacancyColumns, self._columns(records, Vacancy, "vacancies"))

    # -- scoring -------------------------------------------------------------------------------

    def score(self, candidate: CandidateProfile, vacancy: Vacancy) -> float:
        """The score of one pair, in [0, 1] (0 when the pair is not eligible)."""
        enc = self._scorer.encode(self._cohort([candidate], CandidateProfile, "candidate"),
                                  self._cohort([vacancy], Vacancy, "vacancy"))  # fmt: skip
        zero = np.zeros(1, dtype=np.int64)
        return float(self._scorer.score_pairs(enc, zero, zero).scores[0])

    def scores(
        self, candidates: Iterable[CandidateProfile], vacancies: Iterable[Vacancy]
    ) -> NDArray[np.float32]:
        """The dense score matrix ``[n_candidates, n_vacancies]`` (for small cohorts).

        An empty cohort gives a matrix with no rows or no columns.

        Raises
        ------
        ConfigError
            More than 50 million pairs: use :meth:`rank` instead.
        """
        cands = self._cohort(candidates, CandidateProfile, "candidates")
        vacs = self._cohort(vacancies, Vacancy, "vacancies")
        n = len(cands) * len(vacs)
        if n > MAX_DENSE_PAIRS:
            raise ConfigError(f"{n:,} pairs is too many for a dense matrix; use rank() instead")
        enc = self._scorer.encode(cands, vacs)
        ci = np.repeat(np.arange(len(cands), dtype=np.int64), len(vacs))
        vi = np.tile(np.arange(len(vacs), dtype=np.int64), len(cands))
        s = self._scorer.score_pairs(enc, ci, vi).scores
        matrix: NDArray[np.float32] = s.astype(np.float32).reshape(len(cands), len(vacs))
        return matrix

    def rank(
        self,
        candidates: Iterable[CandidateProfile],
        vacancies: Iterable[Vacancy],
        top_k: int = 10,
        *,
        by: Literal["candidate", "vacancy"] = "candidate",
        progress: bool | None = None,
    ) -> Ranking:
        """The exact top-k vacancies per candidate (or candidates per vacancy: ``by="vacancy"``).

        Exactly the top-k that scoring every pair would give, ties broken by input order; `top_k`
        larger than the other side is clamped to its size. An empty cohort gives an empty ranking:
        no rows when the ranked side is empty, rows of no columns when the other side is.

        Either side (or both) may be a :class:`~labourint_match.profiles.ColumnarCohort` of its
        kind in place of records: it is checked by the same rules, raises the same errors (rows
        named by position and source) and gives the same ranking.

        `progress` is a progress bar on standard error, counting the stages of the call
        (validating, encoding, scoring; see :mod:`labourint_match._progress`): ``None`` in
        notebooks only, ``True`` always, ``False`` never. It shows counts, never ids or profiles;
        the ranking is the same with or without it.

        Raises
        ------
        ProfileError
            An invalid record (also `DuplicateIdError`, `UnknownConceptError`).
        ConfigError
            `top_k` below 1, `by` unknown, or `progress` not True, False or None.

        Examples
        --------
        >>> from datetime import date
        >>> from labourint_match import Matcher, ScoringConfig, Taxonomy, synth
        >>> taxonomy = Taxonomy.default()
        >>> people, jobs = synth.cohort(taxonomy, 8, 4, seed=5)
        >>> matcher = Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)))
        >>> ranking = matcher.rank(people, jobs, top_k=2, progress=False)
        >>> ranking.indices.shape
        (8, 2)
        >>> quiet = matcher.rank(people, jobs, top_k=2)
        >>> bool((quiet.indices == ranking.indices).all())
        True
        """
        if by not in ("candidate", "vacancy"):
            raise ConfigError(f"by must be 'candidate' or 'vacancy', not {by!r}")
        top_k = positive_int(top_k, "top_k")
        check_progress(progress)
        with progress_stages(RANK_STAGES, "ranking", progress) as steps:
            steps.start("validating")
            with gc_paused():
                cands = self._candidate_columns(candidates)
                vacs = self._vacancy_columns(vacancies)
            steps.start("encoding")
            enc = encode_columns(self._scorer, cands, vacs, self._read_titles)
            steps.start("scoring")
            idx, sc, why = self._scorer.top_k(enc, top_k, by)
        unjudged = enc.unjudged
        found = tuple(vacs.id[j] for j in np.flatnonzero(unjudged).tolist())
        if found:
            self._warn_unjudged(found, len(vacs))
        return Ranking(
            by=by,
            candidate_ids=tuple(cands.id),
            vacancy_ids=tuple(vacs.id),
            indices=idx,
            scores=sc.astype(np.float32),
            reasons=why,
            unjudged=found,
        )

    def unjudged(self, vacancies: Iterable[Vacancy]) -> tuple[str, ...]:
        """The ids of the vacancies that cannot be judged on skills, in input order.

        A vacancy is unjudged when none of its skill requirements resolves to a concept with a
        weight above 0 (an empty list included): its skill fit is the *unknown*
        ``ScoringConfig.skill_unknown``, not a measure of the person's skills. :meth:`rank`
        reports them on the `Ranking` and warns once per call.

        Examples
        --------
        >>> from labourint_match import Matcher, Taxonomy, Vacancy
        >>> jobs = [Vacancy(id="v-1", skills=["friendly"]), Vacancy(id="v-2", skills=["dust"])]
        >>> Matcher(Taxonomy.default()).unjudged(jobs)
        ('v-1',)
        """
        vacs = self._cohort(vacancies, Vacancy, "vacancies")
        factor = {
            "essential": self.config.essential_factor,
            "optional": self.config.optional_factor,
        }
        found = []
        for vac in self._channels.routed(vacs):
            judged = any(
                r.weight * factor[r.importance] * self._confidence(r.skill) > 0.0
                and (is_concept_uri(r.skill) or self.resolve(r.skill) is not None)
                for r in vac.skills
            )
            if not judged:
                found.append(vac.id)
        return tuple(found)

    def _warn_unjudged(self, found: tuple[str, ...], n: int) -> None:
        warnings.warn(
            f"{len(found)} of {n} vacancies ask for no skill that resolves to the taxonomy "
            f"(first: {found[0][:100]!r}); their skill fit is unknown (scored "
            f"{self.config.skill_unknown:g}) and Ranking.unjudged lists them",
            UnjudgedVacancyWarning,
            stacklevel=3,
        )

    def rank_chunks(
        self,
        candidates: Iterable[CandidateProfile],
        vacancies: Iterable[Vacancy],
        top_k: int = 10,
        *,
        chunk_size: int = 20_000,
        progress: bool | None = None,
    ) -> Iterator[Ranking]:
        """Rank a stream of candidates chunk by chunk: one `Ranking` per `chunk_size` of them.

        The candidates are read lazily (a generator, or :func:`~labourint_match.load_candidates`
        shard by shard), so memory holds one chunk, the vacancies and the rankings the caller
        keeps — not the cohort. Each chunk's rows equal those of :meth:`rank` on the whole
        stream. Vacancies are validated once, when the call is made, and encoded once, before
        the first chunk is ranked (each chunk encodes only its candidates); an id seen in an
        earlier chunk is a
        `DuplicateIdError` (ids are remembered as 64-bit digests, 8 bytes each). An empty stream
        gives one empty `Ranking` (no rows, the vacancies' ids), so that a pipeline always has
        a result to write; no vacancies give rankings of no columns.

        Either side may be a :class:`~labourint_match.profiles.ColumnarCohort` of its kind in
        place of records: a cohort of candidates is ranked `chunk_size` rows at a time, with the
        same rankings and errors as its records would give.

        `progress` is a progress bar on standard error, counting the candidates ranked, chunk
        by chunk, out of the stream's length when it has one (see
        :mod:`labourint_match._progress`): ``None`` in notebooks only, ``True`` always,
        ``False`` never. It shows counts, never ids or profiles; the rankings are the same with
        or without it.

        Raises
        ------
        ProfileError
            An invalid record (named by id and by its chunk).
        ConfigError
            `top_k` or `chunk_size` below 1, or `progress` not True, False or None.

        Examples
        --------
        >>> from datetime import date
        >>> from labourint_match import Matcher, ScoringConfig, Taxonomy, synth
        >>> taxonomy = Taxonomy.default()
        >>> stream = synth.iter_candidates(taxonomy, 25, seed=3)
        >>> jobs = synth.cohort(taxonomy, 0, 6, seed=3).vacancies
        >>> matcher = Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)))
        >>> [len(r) for r in matcher.rank_chunks(stream, jobs, top_k=2, chunk_size=10)]
        [10, 10, 5]
        >>> [(len(r), r.top_k) for r in matcher.rank_chunks([], jobs, top_k=2)]
        [(0, 2)]
        >>> people = list(synth.iter_candidates(taxonomy, 25, seed=3))
        >>> [len(r) for r in matcher.rank_chunks(people, jobs, chunk_size=20, progress=False)]
        [20, 5]
        """
        top_k = positive_int(top_k, "top_k")
        chunk_size = positive_int(chunk_size, "chunk_size")
        check_progress(progress)
        if isinstance(candidates, (str, bytes)) or not isinstance(candidates, Iterable):
            kind = type(candidates).__name__
            raise ProfileError(f"candidates must be an iterable of CandidateProfile, not {kind}")
        with gc_paused():
            vacs = self._vacancy_columns(vacancies)
        total = len(candidates) if isinstance(candidates, Sized) else None
        if isinstance(candidates, ColumnarCohort):
            n, whole = len(candidates), candidates
            parts: Iterator[Any] = (
                whole.rows(lo, min(lo + chunk_size, n)) for lo in range(0, n, chunk_size)
            )
            return self._chunks(parts, vacs, top_k, chunk_size, total, progress, columnar=True)
        return self._chunks(iter(candidates), vacs, top_k, chunk_size, total, progress)

    def _chunks(
        self, stream: Iterator[Any], vacs: VacancyColumns, top_k: int, size: int,
        total: int | None, progress: bool | None, *, columnar: bool = False,
    ) -> Iterator[Ranking]:  # fmt: skip
        with progress_bar(total, "ranking in chunks", progress, unit="candidates") as bar:
            # The vacancies are encoded here, once, when the first chunk is asked for.
            side = encode_vacancy_side(self._scorer, vacs, self._read_titles)
            yield from self._ranked_chunks(stream, side, tuple(vacs.id), top_k, size, bar,
                                           columnar)  # fmt: skip

    def _ranked_chunks(
        self, stream: Iterator[Any], side: VacancySide, vacancy_ids: tuple[str, ...], top_k: int,
        size: int, bar: Progress, columnar: bool,
    ) -> Iterator[Ranking]:  # fmt: skip
        seen = Digests()
        number = 0
        while True:
            batch: Any = next(stream, []) if columnar else list(itertools.islice(stream, size))
            if not len(batch) and number > 0:
                return
            try:
                with gc_paused():
                    cands = self._candidate_columns(batch)
            except ProfileError as err:
                raise type(err)(
                    f"{err.message} (in chunk {number})", record=err.record, field=err.field
                ) from None
            digests = id_digests(cands.id)
            hits = seen.find(digests)
            if hits.size:
                raise DuplicateIdError(
                    f"this id was already given in an earlier chunk (chunk {number} repeats it); "
                    "ids must be unique across the stream",
                    record=cands.id[int(hits[0])],
                )
            seen.add(digests)
            enc = encode_with(self._scorer, side, cands, self._read_titles)
            idx, sc, why = self._scorer.top_k(enc, top_k, "candidate")
            bar.update(len(cands))
            yield Ranking(by="candidate", candidate_ids=tuple(cands.id),
                          vacancy_ids=vacancy_ids, indices=idx, scores=sc.astype(np.float32),
                          reasons=why)  # fmt: skip
            number += 1
            if not len(batch):  # an empty stream: its one, empty, ranking
                return

    def explain(
        self, candidate: CandidateProfile, vacancy: Vacancy, *, lang: str = "en"
    ) -> Explanation:
        """Why one pair scores what it does: components, requirements, gaps and the pathway.

        The sentences are written in `lang` when it is one of
        :data:`~labourint_match.scoring.explain.EXPLANATION_LANGUAGES` (``no`` and ``nn`` as
        Bokmål; English otherwise), and concept labels are given in `lang` where the taxonomy has
        them (English otherwise). ``str(explanation)`` is the text an adviser reads out;
        :meth:`Explanation.to_html` the same as an HTML fragment (right to left for Arabic).
        """
        cand = self._cohort([candidate], CandidateProfile, "candidate")[0]
        vac = self._cohort([vacancy], Vacancy, "vacancy")[0]
        routed_cand = self._channels.candidate(cand)
        routed_vac = self._channels.vacancy(vac)
        self._prepare_titles([cand], [vac])
        detail = evaluate(
            routed_cand, routed_vac, self.taxonomy, self.config, as_of=self.as_of,
            resolve=self.resolve, confidence=self._check, title_occupation=self._title_uri,
        )  # fmt: skip
        return build_explanation(
            detail, routed_cand, routed_vac, self.taxonomy, self.config, lang,
            original=(cand, vac), read_title=self.read_title,
        )  # fmt: skip

    # -- placement -----------------------------------------------------------------------------

    def assign(
        self,
        candidates: Iterable[CandidateProfile],
        vacancies: Iterable[Vacancy],
        method: Literal["optimal", "stable"] = "optimal",
        min_score: float = 0.0,
        *,
        top_k: int = 20,
        per_opening: int = 3,
        dense_max_pairs: int = DENSE_ASSIGN_PAIRS,
        log: str | PathLike[str] | None = None,
        fixed: Iterable[Override] = (),
        forbidden: Iterable[Override] = (),
        progress: bool | None = None,
    ) -> Assignment:
        """Place a cohort: each candidate on at most one vacancy, each vacancy up to its openings.

        Only eligible pairs scoring at least `min_score` (and more than 0) can be placed, and
        leaving people unplaced is allowed. Both cohorts are taken in id order, so ties are broken
        by id and the result does not depend on the order of the input.

        Parameters
        ----------
        candidates, vacancies
            The cohorts (validated as for :meth:`rank`; neither is changed): records, or a
            :class:`~labourint_match.profiles.ColumnarCohort` of its kind on either side (the
            same placement as its records would give).
        method
            ``"optimal"``: the largest total score (exact; scipy's ``linear_sum_assignment`` on
            small problems, a sparse LP on large ones). ``"stable"``: candidate-proposing
            deferred acceptance with capacities, preferences from the scores on both sides; no
            candidate and vacancy would both rather be together.
        min_score
            The lowest score of a pair that may be placed, in [0, 1].
        top_k, per_opening
            For cohorts above `dense_max_pairs` pairs: only each candidate's `top_k` best
            vacancies and each vacancy's ``per_opening × openings`` best candidates are
            considered (``Assignment.pruning`` says so). Ignored for smaller cohorts, where
            every pair is scored and the placement is exact.
        dense_max_pairs
            The largest cohort (candidates × vacancies) for which every pair is scored.
        log
            A file to which one JSON line per candidate is appended: the decision log
            (pseudonymous ids, score, method, configuration digest, taxonomy hash, library
            version, time; never profile content), and one per adviser override with its reason
            and adviser. See docs/placement.md.
        fixed
            Pairs an adviser fixes (:class:`~labourint_match.assignment.Override`, or dicts of
            its fields): each is placed whatever its score (below `min_score`, or outside the
            pairs pruning keeps) and takes one opening of its vacancy; the rest of the cohort is
            then placed on the openings and candidates left, by `method` (with ``"stable"``,
            stability holds among the pairs not fixed). A fixed pair must be eligible.
        forbidden
            Pairs an adviser forbids: never placed (left out of the problem before solving, and
            before pruning chooses the pairs it keeps); a person whose every eligible pair is
            forbidden is unplaced as ``"forbidden_by_adviser"``.
            Overrides equal in every field count once; their order changes nothing. Both lists
            are part of the run id, and ``Assignment.fixed`` / ``.forbidden`` list them.
        progress
            A progress bar on standard error, counting the stages of the call (validating,
            encoding, scoring pairs, placing; see :mod:`labourint_match._progress`): ``None`` in
            notebooks only, ``True`` always, ``False`` never. It shows counts, never ids or
            profiles; the placement is the same with or without it.

        Returns
        -------
        Assignment
            The placed pairs, the unplaced candidates with their reasons, the total score.

        Raises
        ------
        ProfileError
            An invalid record (also `DuplicateIdError`, `UnknownConceptError`). An empty cohort
            is not an error: it gives an assignment with no pairs.
        ConfigError
            An unknown `method`; `min_score` not in [0, 1]; `top_k` below 1; `per_opening` or
            `dense_max_pairs` below 0; `log` not a path to a file in an existing directory;
            `fixed` or `forbidden` not a list of overrides, naming a candidate or vacancy not in
            the cohort, a pair given twice with different reasons or advisers, a pair both fixed
            and forbidden, or a candidate fixed to two vacancies; `progress` not True, False or
            None.
        AssignmentError
            A fixed pair is not eligible (the error names it and what rules it out), or more
            pairs are fixed on a vacancy than it has openings; the decision log could not be
            written (nothing is returned unlogged).

        Examples
        --------
        >>> from datetime import date
        >>> from labourint_match import Matcher, ScoringConfig, Taxonomy, synth
        >>> taxonomy = Taxonomy.default()
        >>> people, jobs = synth.cohort(taxonomy, 20, 5, seed=11)
        >>> matcher = Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)))
        >>> best = matcher.assign(people, jobs)
        >>> fair = matcher.assign(people, jobs, "stable")
        >>> best.total_score >= fair.total_score
        True
        >>> sum(len(best.for_vacancy(j.id)) <= j.openings for j in jobs) == len(jobs)
        True

        An adviser fixes one pair and forbids another:

        >>> from labourint_match.assignment import Override
        >>> best.for_candidate("c000005").reason, best.for_candidate("c000001").vacancy_id
        ('outcompeted', 'v000004')
        >>> keep = Override(candidate_id="c000005", vacancy_id="v000002",
        ...                 reason="trial day agreed", adviser="adv-7")
        >>> ban = Override(candidate_id="c000001", vacancy_id="v000004",
        ...                reason="left this employer last year", adviser="adv-7")
        >>> plan = matcher.assign(people, jobs, fixed=[keep], forbidden=[ban])
        >>> plan.for_candidate("c000005").vacancy_id, plan.for_candidate("c000001").vacancy_id
        ('v000002', 'v000001')
        >>> plan.fixed == (keep,), plan.run_id != best.run_id
        (True, True)
        >>> matcher.assign(people, jobs, progress=False).run_id == best.run_id
        True
        """
        if method not in METHODS:
            raise ConfigError(f"method must be 'optimal' or 'stable', not {method!r}")
        threshold = unit_interval(min_score, "min_score")
        k = positive_int(top_k, "top_k")
        per = positive_int(per_opening, "per_opening", minimum=0)
        dense_max = positive_int(dense_max_pairs, "dense_max_pairs", minimum=0)
        log_path = None if log is None else check_log_path(log)
        check_progress(progress)
        with progress_stages(ASSIGN_STAGES, "assigning", progress) as steps:
            steps.start("validating")
            # Both cohorts in id order: the solvers break ties by index, so ties are broken by id.
            with gc_paused():
                cands = _in_id_order(self._candidate_columns(candidates))
                vacs = _in_id_order(self._vacancy_columns(vacancies))
            n_c, n_v = len(cands), len(vacs)
            cand_ids, vac_ids = tuple(cands.id), tuple(vacs.id)
            capacity = vacs.openings.astype(np.int64)
            overrides = check_overrides(fixed, forbidden, cand_ids, vac_ids, capacity)
            steps.start("encoding")
            enc = encode_columns(self._scorer, cands, vacs, self._read_titles)
            steps.start("scoring pairs")
            forbidden_score = None
            if overrides is not None:
                overrides = self._score_fixed(enc, overrides)
                scores, why = _edges.score_chunked(self._scorer, enc, overrides.forbidden_cand,
                                                   overrides.forbidden_vac)  # fmt: skip
                forbidden_score = np.where(why == 0, scores, 0.0)
            pruned = n_c * n_v > dense_max and k < n_v
            if pruned:
                # The forbidden pairs and the fixed people are left out before the best pairs
                # are chosen, so that they take no place in anyone's list.
                edges = _edges.pruned_edges(self._scorer, enc, capacity, threshold, k, per,
                                            exclusion(overrides, capacity))  # fmt: skip
            else:
                edges = _edges.dense_edges(self._scorer, enc)
            steps.start("placing")
            return place(self._provenance(), cand_ids, vac_ids, capacity, edges, method,
                         threshold, (k, per) if pruned else None, log_path,
                         _RowsSource(self._scorer, self.explain, cands, vacs),
                         overrides, forbidden_score)  # fmt: skip

    def _score_fixed(self, enc: Any, overrides: Overrides) -> Overrides:
        """The fixed pairs scored (whether pruning kept them or not); ineligible ones refused."""
        scores, why = _edges.score_chunked(self._scorer, enc, overrides.fixed_cand,
                                           overrides.fixed_vac)  # fmt: skip
        overrides.refuse_ineligible([reason_names(int(w)) for w in why])
        return overrides.scored(scores)

    def _provenance(self) -> Provenance:
        """What this matcher's scores are computed from, for a placement's run id and record."""
        return Provenance(self.config.digest(), self.taxonomy.content_hash, self.as_of)


C = TypeVar("C", CandidateColumns, VacancyColumns)


def _in_id_order(columns: C) -> C:
    """The rows in id order (stable: equal ids cannot occur in a validated cohort)."""
    ids = columns.id
    order = sorted(range(len(ids)), key=ids.__getitem__)
    if order == list(range(len(ids))):
        return columns
    return columns.take(np.asarray(order, dtype=np.int64))


class _LazyRows(Sequence[Any]):
    """The records of a cohort's columns, each built when it is first asked for."""

    def __init__(self, columns: Columns) -> None:
        self._columns = columns
        self._built: dict[int, Any] = {}

    def __len__(self) -> int:
        return len(self._columns)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return tuple(self[j] for j in range(*i.indices(len(self))))
        if not 0 <= i < len(self._columns):
            raise IndexError(i)
        found = self._built.get(i)
        if found is None:
            found = self._built[i] = self._columns.record(i)
        return found


class _ById(dict[str, Any]):
    """Id → record, each record built from its row when it is first asked for."""

    def __init__(self, columns: Columns) -> None:
        super().__init__()
        self._rows = _LazyRows(columns)
        self._at = {record_id: i for i, record_id in enumerate(columns.id)}

    def __missing__(self, record_id: str) -> Any:
        value = self[record_id] = self._rows[self._at[record_id]]
        return value


class _RowsSource(PlacementSource):
    """A :class:`PlacementSource` over columns: a record is built only when an explanation asks.

    The placement's explanations (``Assignment.explain``, ``scan``) read one candidate and, for a
    scan, the vacancies: only those are built, never the whole cohort up front.
    """

    def __init__(
        self, scorer: Scorer, explain: Any, cands: CandidateColumns, vacs: VacancyColumns
    ) -> None:
        self.scorer = scorer
        self.explain = explain
        self.cands = _ById(cands)
        self.vacs = _LazyRows(vacs)  # type: ignore[assignment]
        self.vac_pos = {record_id: j for j, record_id in enumerate(vacs.id)}
