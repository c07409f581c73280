"""Encoding: cohorts and the taxonomy's skill relations into arrays of fixed dtype, once per cohort.

Nothing after this module sees pydantic models or the taxonomy object: the kernels get the named
tuples of arrays defined here (indices ``int32``, offsets ``int64``, credits and scores
``float64`` inside the kernels, ``float32`` in results).

Relation codes (``REL_*``, defined with the rules in ``_relations.py``) say how a claimed concept
``a`` meets a required concept ``b``: exactly, as a narrower (more specific) concept, a broader
one, a sibling (same direct parent) or an ESCO related skill. The credit of a pair is the largest
of the applicable relation credits.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, NamedTuple, TypeVar

import numpy as np
from numpy.typing import NDArray

from ..profiles import CandidateProfile, Vacancy, is_concept_uri
from ..profiles._columns import (
    NO_DAY,
    CandidateColumns,
    VacancyColumns,
    candidate_columns,
    vacancy_columns,
)
from ..taxonomy import Taxonomy
from ..taxonomy._languages import canonical_language_code
from ._layout import (
    AUTH_NEEDS_DATE,
    AUTH_NORMAL,
    AUTH_UNKNOWN,
    CF_AUTH_CLASS,
    CF_AUTH_FROM,
    CF_AUTH_UNTIL,
    CF_EXP_FLOOR,
    CF_HOURS,
    CF_LANG_ABSENT,
    CF_LAT,
    CF_LON,
    CF_REACH,
    CF_REGION,
    CF_WIDTH,
    CFG_POW_CEFR_N,
    CFG_POW_EDUCATION_N,
    CFG_POW_LEVEL_N,
    CFG_SIZE,
    HOURS_CODE,
    VF_HOURS,
    VF_LAT,
    VF_LON,
    VF_MIN_ISCED,
    VF_MIN_MONTHS,
    VF_OCCUPATION,
    VF_OPENINGS,
    VF_REGION,
    VF_REMOTE,
    VF_START,
    VF_TRAINING,
    VF_WIDTH,
)
from ._relations import (
    REL_BROADER,
    REL_EXACT,
    REL_NARROWER,
    REL_RELATED,
    REL_SIBLING,
    RELATED_DISTANCE,
    SIBLING_DISTANCE,
    hierarchy_credit,
    prefer,
    siblings_count,
)
from .config import COMPONENTS, ScoringConfig

__all__ = [
    "CandidateArrays",
    "RelationArrays",
    "RelationTable",
    "TaxonomyArrays",
    "VacancyArrays",
    "config_vector",
    "encode_candidate_columns",
    "encode_candidates",
    "encode_vacancies",
    "encode_vacancy_columns",
]


def config_vector(config: ScoringConfig) -> NDArray[np.float64]:
    """The scalar factors the kernels use, as one float64 vector (indices ``_layout.CFG_*``)."""
    w = config.weights()
    values = [w[name] for name in COMPONENTS] + [
        config.level_decay, config.level_unknown, config.cefr_decay, config.language_unknown,
        config.language_training_softening, config.education_below_decay,
        config.education_unknown, config.location_distance_penalty, config.region_same,
        config.region_different, config.location_unknown, config.experience_neighbour,
        config.experience_unknown, 1.0 if config.unknown_authorisation_eligible else 0.0,
    ]  # fmt: skip
    values += [math.pow(config.level_decay, float(n)) for n in range(CFG_POW_LEVEL_N)]
    values += [math.pow(config.cefr_decay, float(n)) for n in range(CFG_POW_CEFR_N)]
    values += [math.pow(config.education_below_decay, float(n)) for n in range(CFG_POW_EDUCATION_N)]
    values += [
        config.gate_floor, 1.0 - config.gate_floor, config.skill_unknown,
        1.0 if config.hours_must_match else 0.0, 1.0 if config.preferred_occupations_only else 0.0,
    ]  # fmt: skip
    vector = np.array(values, dtype=np.float64)
    assert vector.shape == (CFG_SIZE,)
    return vector


# -- taxonomy relations ---------------------------------------------------------------------------


class RelationArrays(NamedTuple):
    """For required concepts: which claimed concepts earn credit, both ways round (CSR).

    ``by_claim_*``: row ``a`` lists required concepts ``b`` that claim ``a`` earns credit for.
    ``by_req_*``: row ``b`` lists claimed concepts ``a`` that earn credit for requirement ``b``,
    sorted by ``a`` (so a pair's credit can be found by binary search).
    """

    by_claim_indptr: NDArray[np.int64]
    by_claim_req: NDArray[np.int32]
    by_claim_credit: NDArray[np.float64]
    by_req_indptr: NDArray[np.int64]
    by_req_claim: NDArray[np.int32]
    by_req_credit: NDArray[np.float64]


class TaxonomyArrays(NamedTuple):
    """The parts of the compiled taxonomy the kernels read (the occupation hierarchy)."""

    broader_indptr: NDArray[np.int64]
    broader_indices: NDArray[np.int32]


class RelationTable:
    """Relation credits between concepts, computed per required concept and memoised.

    Parameters
    ----------
    taxonomy, config
        The taxonomy and the relation factors of the configuration.
    """

    def __init__(self, taxonomy: Taxonomy, config: ScoringConfig) -> None:
        c = taxonomy.compiled
        self._n = len(c.uris)
        self._broader = (c.broader_indptr, c.broader_indices)
        self._narrower = (c.narrower_indptr, c.narrower_indices)
        self._related = (c.skill_rel_indptr, c.skill_rel_indices)
        rows = np.repeat(np.arange(self._n, dtype=np.int64), np.diff(c.skill_rel_indptr))
        order = np.lexsort((rows, c.skill_rel_indices))
        self._related_in = (
            np.concatenate(
                [[0], np.cumsum(np.bincount(c.skill_rel_indices, minlength=self._n))]
            ).astype(np.int64),
            rows[order].astype(np.int32),
        )
        self._config = config
        self._memo: dict[int, dict[int, tuple[float, int, int]]] = {}
        self._sorted_memo: dict[int, tuple[NDArray[np.int64], NDArray[np.float64]]] = {}

    @staticmethod
    def _row(csr: tuple[NDArray[np.int64], NDArray[np.int32]], i: int) -> list[int]:
        indptr, indices = csr
        return indices[indptr[i] : indptr[i + 1]].tolist()  # type: ignore[no-any-return]

    def claims_for(self, b: int) -> dict[int, tuple[float, int, int]]:
        """Claimed concept → (credit, relation code, distance) for the required concept `b`."""
        found = self._memo.get(b)
        if found is not None:
            return found
        cfg = self._config
        out: dict[int, tuple[float, int, int]] = {}

        def offer(a: int, credit: float, rel: int, dist: int) -> None:
            if credit <= 0.0:
                return
            old = out.get(a)
            if old is None or prefer(credit, rel, old[0], old[1]):
                out[a] = (credit, rel, dist)

        offer(b, cfg.credit_exact, REL_EXACT, 0)
        for rel, csr in ((REL_NARROWER, self._narrower), (REL_BROADER, self._broader)):
            seen = {b}
            frontier = [b]
            for dist in range(1, cfg.max_hierarchy_distance + 1):
                nxt: list[int] = []
                for node in frontier:
                    for a in self._row(csr, node):
                        if a not in seen:
                            seen.add(a)
                            nxt.append(a)
                credit = hierarchy_credit(cfg, rel, dist)
                for a in nxt:
                    offer(a, credit, rel, dist)
                frontier = nxt
        for parent in self._row(self._broader, b):
            siblings = self._row(self._narrower, parent)
            if not siblings_count(cfg, not self._row(self._broader, parent), len(siblings)):
                continue  # a top-level parent, or too large a family, makes no siblings
            for a in siblings:
                if a != b:
                    offer(a, cfg.credit_sibling, REL_SIBLING, SIBLING_DISTANCE)
        for a in self._row(self._related, b) + self._row(self._related_in, b):
            if a != b:
                offer(a, cfg.credit_related, REL_RELATED, RELATED_DISTANCE)
        self._memo[b] = out
        return out

    def _sorted_claims(self, b: int) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """The claimed concepts that earn credit for `b`, in increasing order, and the credits."""
        found = self._sorted_memo.get(b)
        if found is None:
            entries = self.claims_for(b)
            claims = sorted(entries)
            found = (
                np.array(claims, dtype=np.int64),
                np.array([entries[a][0] for a in claims], dtype=np.float64),
            )
            self._sorted_memo[b] = found
        return found

    def arrays(self, required: NDArray[np.int32]) -> RelationArrays:
        """Both CSR views for the required concepts `required` (unique concept indices)."""
        n = self._n
        wanted = np.unique(required).astype(np.int64)
        parts = [self._sorted_claims(b) for b in wanted.tolist()]
        rows = np.repeat(wanted, [len(claims) for claims, _ in parts])
        cols = np.concatenate([claims for claims, _ in parts] or [np.zeros(0, dtype=np.int64)])
        vals = np.concatenate([credits for _, credits in parts] or [np.zeros(0)])
        by_req_indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n), out=by_req_indptr[1:])
        order = np.lexsort((rows, cols))
        by_claim_indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols, minlength=n), out=by_claim_indptr[1:])
        return RelationArrays(
            by_claim_indptr=by_claim_indptr,
            by_claim_req=rows[order].astype(np.int32),
            by_claim_credit=vals[order],
            by_req_indptr=by_req_indptr,
            by_req_claim=cols.astype(np.int32),
            by_req_credit=vals,
        )


# -- cohorts --------------------------------------------------------------------------------------


class CandidateArrays(NamedTuple):
    """A candidate cohort as arrays (row ``i`` is candidate ``i``)."""

    claim_indptr: NDArray[np.int64]
    claim_concept: NDArray[np.int32]
    claim_evidence: NDArray[np.float64]
    claim_level: NDArray[np.int8]
    lang_indptr: NDArray[np.int64]
    lang_code: NDArray[np.int32]
    lang_level: NDArray[np.int8]  # [n_entries, 4]; 0 unknown, 1..6 = A1..C2
    edu_indptr: NDArray[np.int64]
    edu_level: NDArray[np.int8]
    edu_credit: NDArray[np.float64]
    exp_indptr: NDArray[np.int64]
    exp_occupation: NDArray[np.int32]
    exp_months: NDArray[np.float64]  # -1: unknown
    pref_indptr: NDArray[np.int64]
    pref_occupation: NDArray[np.int32]  # preferred occupations
    features: NDArray[np.float64]  # [n, CF_WIDTH]: columns CF_* (see _layout)


class VacancyArrays(NamedTuple):
    """A vacancy cohort as arrays (row ``j`` is vacancy ``j``)."""

    slot_indptr: NDArray[np.int64]
    slot_concept: NDArray[np.int32]
    slot_weight: NDArray[np.float64]
    slot_min_level: NDArray[np.int8]
    slot_vacancy: NDArray[np.int32]
    total_weight: NDArray[np.float64]
    lang_indptr: NDArray[np.int64]
    lang_code: NDArray[np.int32]
    lang_min: NDArray[np.int8]  # [n_entries, 4]; 0: not required
    lang_factor: NDArray[np.float64]
    features: NDArray[np.float64]  # [n, VF_WIDTH]: columns VF_* (see _layout)
    post_indptr: NDArray[np.int64]  # by concept: which requirement slots ask for it
    post_slot: NDArray[np.int64]


K = TypeVar("K")
V = TypeVar("V")


class _Memo(dict[K, V]):
    """A dict that fills itself: the value of a missing key is ``compute(key)``, computed once.

    Looking a column of values up through ``map(memo.__getitem__, values)`` runs the loop in C and
    calls `compute` once per distinct value, in order of first appearance.
    """

    def __init__(self, compute: Callable[[K], V]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key: K) -> V:
        value = self[key] = self._compute(key)
        return value


class Codes:
    """Interned strings (language codes, regions) shared by the two sides of one encoding.

    Integers are given in order of first appearance (candidates are encoded before vacancies).
    """

    def __init__(self) -> None:
        self.languages: dict[str, int] = {}
        self.regions: dict[str, int] = {}
        #: Integer for an ISO 639 code (``nb``/``nn`` and ``no`` alike): one dict lookup.
        self.language: Callable[[str], int] = _Memo(self._intern_language).__getitem__
        #: Integer for a region code, or -1 for none: one dict lookup.
        self.region: Callable[[str | None], int] = _Memo(self._intern_region).__getitem__

    def _intern_language(self, code: str) -> int:
        return self.languages.setdefault(canonical_language_code(code), len(self.languages))

    def _intern_region(self, code: str | None) -> int:
        if code is None:
            return -1
        return self.regions.setdefault(code.strip().upper(), len(self.regions))


Resolve = Callable[[str], int | None]
#: The occupation (concept index) a job title is read as, or None (Matcher's title resolver).
TitleOccupation = Callable[[str], int | None]
#: The confidence of a free-text skill's resolution (1 for a concept URI).
Confidence = Callable[[str], float]


def _certain(text: str) -> float:
    return 1.0


def _no_titles(title: str) -> int | None:
    return None


def _occupation_finder(
    taxonomy: Taxonomy, title_occupation: TitleOccupation
) -> Callable[[tuple[str | None, str | None]], int]:
    """Concept index of an (occupation URI, title) pair: the URI, else the title's reading; -1."""

    def find(key: tuple[str | None, str | None]) -> int:
        uri, title = key
        found: int | None
        if uri is not None:
            found = taxonomy.index(uri)
        else:
            found = title_occupation(title) if title else None
        return -1 if found is None else found

    return find


def _concepts(
    texts: list[str], taxonomy: Taxonomy, resolve: Resolve
) -> tuple[NDArray[np.int64], bool]:
    """Concept index of each skill text (-1: unresolved), and whether any text is free text."""
    memo = _Memo(_concept_finder(taxonomy, resolve))
    found = np.fromiter(map(memo.__getitem__, texts), dtype=np.int64, count=len(texts))
    return found, not all(map(is_concept_uri, memo))


def _concept_finder(taxonomy: Taxonomy, resolve: Resolve) -> Callable[[str], int]:
    """Concept index of a skill text (a URI, or free text through `resolve`), -1 if unresolved."""

    def find(text: str) -> int:
        found = taxonomy.index(text) if is_concept_uri(text) else resolve(text)
        return -1 if found is None else found

    return find


_AUTH_CLASS = {"asylum_seeker_without_permit": AUTH_NEEDS_DATE, "unknown": AUTH_UNKNOWN,
               "other": AUTH_UNKNOWN}  # fmt: skip


def _converted(
    values: list[Any], convert: Callable[[Any], Any], dtype: type[np.generic]
) -> NDArray[Any]:
    """``[convert(v) for v in values]`` as a 1-d array, `convert` called once per distinct value."""
    found = map(_Memo(convert).__getitem__, values)
    return np.fromiter(found, dtype=dtype, count=len(values))


def _resolved(
    concept: NDArray[np.int64], indptr: NDArray[np.int64], *columns: NDArray[Any]
) -> tuple[NDArray[np.int32], NDArray[np.int64], list[NDArray[Any]]]:
    """Drop the entries whose concept is -1 (unresolved free text): concepts, offsets, columns."""
    keep = concept >= 0
    if not bool(keep.all()):
        n = indptr.shape[0] - 1
        owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner[keep], minlength=n), out=indptr[1:])
        concept = concept[keep]
        columns = tuple(c[keep] for c in columns)
    return concept.astype(np.int32), indptr, list(columns)


def _or_zero(value: int | None) -> int:
    return value or 0


def _offsets(ends: list[int] | NDArray[np.int64]) -> NDArray[np.int64]:
    """CSR offsets from the end of each row: ``[0, *ends]`` as int64."""
    indptr = np.zeros(len(ends) + 1, dtype=np.int64)
    indptr[1:] = ends
    return indptr


def _postings(rows: NDArray[np.int64], n_concepts: int, concept: NDArray[np.int32]) -> tuple[
    NDArray[np.int64], NDArray[np.int64]
]:  # fmt: skip
    """CSR from concept to the positions (rows) holding it, positions in increasing order."""
    if rows.size == 0 or bool(np.all(rows[1:] >= rows[:-1])):
        # Rows in order already (the encoders' case): a stable sort by concept is the same order.
        # Concepts fitting in 16 bits are sorted as such: the same order, by radix sort.
        key = concept.astype(np.uint16) if n_concepts <= 1 << 16 else concept
        order = np.argsort(key, kind="stable").astype(np.int64)
    else:
        order = np.lexsort((rows, concept)).astype(np.int64)
    indptr = np.zeros(n_concepts + 1, dtype=np.int64)
    np.cumsum(np.bincount(concept, minlength=n_concepts), out=indptr[1:])
    return indptr, order


def encode_candidates(
    candidates: Sequence[CandidateProfile],
    taxonomy: Taxonomy,
    config: ScoringConfig,
    codes: Codes,
    resolve: Resolve,
    confidence: Confidence = _certain,
    title_occupation: TitleOccupation = _no_titles,
) -> CandidateArrays:
    """Encode candidates: their columns (one pass, ``profiles._columns``), then those."""
    return encode_candidate_columns(
        candidate_columns(candidates), taxonomy, config, codes, resolve, confidence,
        title_occupation,
    )  # fmt: skip


def encode_vacancies(
    vacancies: Sequence[Vacancy],
    taxonomy: Taxonomy,
    config: ScoringConfig,
    codes: Codes,
    resolve: Resolve,
    as_of: date,
    confidence: Confidence = _certain,
    title_occupation: TitleOccupation = _no_titles,
) -> VacancyArrays:
    """Encode vacancies: their columns (one pass, ``profiles._columns``), then those."""
    return encode_vacancy_columns(
        vacancy_columns(vacancies), taxonomy, config, codes, resolve, as_of, confidence,
        title_occupation,
    )  # fmt: skip


def _mapped(values: list[Any], lookup: Callable[[Any], Any], dtype: type[np.generic]) -> NDArray[
    Any
]:  # fmt: skip
    """``[lookup(v) for v in values]`` as a 1-d array (`lookup` a memo's ``__getitem__``)."""
    return np.fromiter(map(lookup, values), dtype=dtype, count=len(values))


def encode_candidate_columns(
    cols: CandidateColumns,
    taxonomy: Taxonomy,
    config: ScoringConfig,
    codes: Codes,
    resolve: Resolve,
    confidence: Confidence = _certain,
    title_occupation: TitleOccupation = _no_titles,
) -> CandidateArrays:
    """Encode a candidate cohort's columns; free-text claims go through `resolve`.

    Unresolved free-text claims are skipped. Each distinct skill text, evidence level,
    recognition status and occupation is converted once. A claim's evidence factor is multiplied
    by its resolution's `confidence` (1 for a URI). An experience without an occupation URI is
    read from its title (`title_occupation`; -1: none).
    """
    n = len(cols)
    texts = cols.claim_skill
    concepts, free = _concepts(texts, taxonomy, resolve)
    evidence_all = _converted(cols.claim_evidence, config.evidence_factor, np.float64)
    if free:
        # Evidence times the confidence of a free-text resolution, in this order (as the
        # reference); a URI's confidence is 1, so a cohort without free text skips it.
        evidence_all = evidence_all * _converted(texts, confidence, np.float64)
    concept_arr, indptr, (evidence, level) = _resolved(
        concepts, _offsets(cols.claim_end), evidence_all, cols.claim_level
    )
    experience_index = _Memo(_occupation_finder(taxonomy, title_occupation))
    exp_keys = list(zip(cols.exp_occupation, cols.exp_title, strict=True))
    features = np.empty((n, CF_WIDTH), dtype=np.float64)
    features[:, CF_LAT] = cols.lat
    features[:, CF_LON] = cols.lon
    features[:, CF_REACH] = np.where(np.isnan(cols.reach), config.default_commute_km, cols.reach)
    features[:, CF_REGION] = _mapped(cols.region, codes.region, np.float64)
    features[:, CF_AUTH_CLASS] = _mapped(
        cols.status, _Memo(lambda s: _AUTH_CLASS.get(s, AUTH_NORMAL)).__getitem__, np.float64
    )
    features[:, CF_AUTH_FROM] = cols.allowed_from
    features[:, CF_AUTH_UNTIL] = cols.allowed_until
    features[:, CF_LANG_ABSENT] = np.where(
        cols.languages_recorded, 0.0, config.language_not_recorded
    )
    features[:, CF_EXP_FLOOR] = np.where(
        cols.experience_recorded, 0.0, config.experience_not_recorded
    )
    features[:, CF_HOURS] = _mapped(cols.hours, HOURS_CODE.__getitem__, np.float64)
    lang_code = _mapped(cols.lang_code, codes.language, np.int32)
    return CandidateArrays(
        claim_indptr=indptr,
        claim_concept=concept_arr,
        claim_evidence=evidence,
        claim_level=level,
        lang_indptr=_offsets(cols.lang_end),
        lang_code=lang_code,
        lang_level=cols.lang_cefr,
        edu_indptr=_offsets(cols.edu_end),
        edu_level=cols.edu_level,
        edu_credit=_converted(cols.edu_recognition, config.recognition_credit, np.float64),
        exp_indptr=_offsets(cols.exp_end),
        exp_occupation=_mapped(exp_keys, experience_index.__getitem__, np.int32),
        exp_months=cols.exp_months,
        pref_indptr=_offsets(cols.pref_end),
        pref_occupation=_mapped(cols.pref_occupation, _Memo(taxonomy.index).__getitem__, np.int32),
        features=features,
    )


def encode_vacancy_columns(
    cols: VacancyColumns,
    taxonomy: Taxonomy,
    config: ScoringConfig,
    codes: Codes,
    resolve: Resolve,
    as_of: date,
    confidence: Confidence = _certain,
    title_occupation: TitleOccupation = _no_titles,
) -> VacancyArrays:
    """Encode a vacancy cohort's columns; free-text requirements go through `resolve`.

    Unresolved ones are skipped. A requirement's weight is multiplied by its resolution's
    `confidence` (1 for a URI). A vacancy without an occupation URI is read from its title
    (`title_occupation`; -1: none).
    """
    n = len(cols)
    factor = {"essential": config.essential_factor, "optional": config.optional_factor}
    # Codes are interned in order of first appearance: each vacancy's languages, then its region.
    lang_code = _mapped(cols.lang_code, codes.language, np.int32)
    place = _mapped(cols.region, codes.region, np.float64)
    texts = cols.slot_skill
    concepts, free = _concepts(texts, taxonomy, resolve)
    weight_all = cols.slot_weight * _converted(cols.slot_importance, factor.__getitem__, np.float64)
    if free:  # times the confidence of a free-text resolution (a URI's is 1)
        weight_all = weight_all * _converted(texts, confidence, np.float64)
    concept_arr, indptr, (weight, slot_min) = _resolved(
        concepts, _offsets(cols.slot_end), weight_all, cols.slot_min_level
    )
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    # bincount adds each vacancy's weights one by one, in order, to 0.0: the sum a loop makes. (It
    # gives float64, except int64 zeros when there are no slots at all.)
    total = np.bincount(owner, weights=weight, minlength=n).astype(np.float64, copy=False)
    post_indptr, post_slot = _postings(owner, len(taxonomy), concept_arr)
    occupation_index = _Memo(_occupation_finder(taxonomy, title_occupation))
    features = np.empty((n, VF_WIDTH), dtype=np.float64)
    features[:, VF_LAT] = cols.lat
    features[:, VF_LON] = cols.lon
    features[:, VF_REGION] = place
    features[:, VF_REMOTE] = cols.remote
    features[:, VF_START] = np.where(cols.start == NO_DAY, as_of.toordinal(), cols.start)
    features[:, VF_OPENINGS] = cols.openings
    features[:, VF_MIN_ISCED] = cols.min_isced
    features[:, VF_MIN_MONTHS] = cols.min_months
    features[:, VF_OCCUPATION] = _mapped(
        list(zip(cols.occupation, cols.title, strict=True)), occupation_index.__getitem__,
        np.float64,
    )  # fmt: skip
    features[:, VF_TRAINING] = cols.language_training
    features[:, VF_HOURS] = _mapped(cols.hours, HOURS_CODE.__getitem__, np.float64)
    return VacancyArrays(
        slot_indptr=indptr,
        slot_concept=concept_arr,
        slot_weight=weight,
        slot_min_level=slot_min,
        slot_vacancy=owner.astype(np.int32),
        total_weight=total,
        lang_indptr=_offsets(cols.lang_end),
        lang_code=lang_code,
        lang_min=cols.lang_cefr,
        lang_factor=_converted(cols.lang_importance, factor.__getitem__, np.float64),
        features=features,
        post_indptr=post_indptr,
        post_slot=post_slot,
    )
