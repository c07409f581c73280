"""Encoding: cohorts and the taxonomy's skill relations into arrays of fixed dtype, once per cohort.

Nothing after this module sees pydantic models or the taxonomy object: the kernels get the named
tuples of arrays defined here (indices ``int32``, offsets ``int64``, credits and scores
``float64`` inside the kernels, ``float32`` in results).

Relation codes (``REL_*``) say how a claimed concept ``a`` meets a required concept ``b``: exactly,
as a narrower (more specific) concept, a broader one, a sibling (same direct parent) or an ESCO
related skill. The credit of a pair is the largest of the applicable relation credits.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from ..profiles import (
    CEFR_LEVELS,
    CandidateProfile,
    LanguageRequirement,
    LanguageSkill,
    Vacancy,
    is_concept_uri,
)
from ..taxonomy import Taxonomy
from ..taxonomy._languages import canonical_language_code
from .config import COMPONENTS, ScoringConfig

__all__ = [
    "ACTIVITIES",
    "NO_DAY",
    "REASON_AUTHORISATION",
    "REASON_NO_OPENINGS",
    "REASON_OUT_OF_REACH",
    "RELATION_NAMES",
    "CandidateArrays",
    "RelationArrays",
    "RelationTable",
    "TaxonomyArrays",
    "VacancyArrays",
    "config_vector",
    "encode_candidates",
    "encode_vacancies",
]

REL_NONE, REL_EXACT, REL_NARROWER, REL_BROADER, REL_SIBLING, REL_RELATED = range(6)
#: Relation names by code; on equal credit the lower code wins.
RELATION_NAMES: tuple[str, ...] = ("none", "exact", "narrower", "broader", "sibling", "related")

REASON_AUTHORISATION = 1
REASON_OUT_OF_REACH = 2
REASON_NO_OPENINGS = 4

ACTIVITIES: tuple[str, ...] = ("listening", "reading", "spoken_interaction", "writing")
NO_DAY = np.iinfo(np.int32).min  # "no date" sentinel for day ordinals (exact as float64)
_LAST_DAY = np.iinfo(np.int32).max

# Authorisation classes used by the kernel.
AUTH_NORMAL, AUTH_NEEDS_DATE, AUTH_UNKNOWN = 0, 1, 2

# Columns of the per-record feature matrices (all float64; days as ordinals, ids as integers).
CF_LAT, CF_LON, CF_REACH, CF_REGION, CF_AUTH_CLASS, CF_AUTH_FROM, CF_AUTH_UNTIL = range(7)
(
    VF_LAT, VF_LON, VF_REGION, VF_REMOTE, VF_START, VF_OPENINGS, VF_MIN_ISCED, VF_MIN_MONTHS,
    VF_OCCUPATION, VF_TRAINING,
) = range(10)  # fmt: skip

# Indices into the config vector the kernels receive.
(
    CFG_W_SKILL, CFG_W_LANGUAGE, CFG_W_EDUCATION, CFG_W_LOCATION, CFG_W_EXPERIENCE,
    CFG_LEVEL_DECAY, CFG_LEVEL_UNKNOWN, CFG_CEFR_DECAY, CFG_LANGUAGE_UNKNOWN, CFG_LANG_SOFTEN,
    CFG_EDU_BELOW_DECAY, CFG_EDU_UNKNOWN, CFG_LOC_PENALTY, CFG_REGION_SAME, CFG_REGION_DIFFERENT,
    CFG_LOC_UNKNOWN, CFG_EXP_NEIGHBOUR, CFG_EXP_UNKNOWN, CFG_UNKNOWN_AUTH_OK,
) = range(19)  # fmt: skip
# Tables of powers, so that the kernels look decays up instead of calling pow per pair:
# entry CFG_POW_*+n is math.pow(decay, n), the very value the reference computes.
CFG_POW_LEVEL, CFG_POW_CEFR, CFG_POW_EDUCATION = 19, 28, 35  # 9, 7 and 9 entries


def config_vector(config: ScoringConfig) -> NDArray[np.float64]:
    """The scalar factors the kernels use, as one float64 vector (indices ``CFG_*``)."""
    w = config.weights()
    values = [w[name] for name in COMPONENTS] + [
        config.level_decay, config.level_unknown, config.cefr_decay, config.language_unknown,
        config.language_training_softening, config.education_below_decay,
        config.education_unknown, config.location_distance_penalty, config.region_same,
        config.region_different, config.location_unknown, config.experience_neighbour,
        config.experience_unknown, 1.0 if config.unknown_authorisation_eligible else 0.0,
    ]  # fmt: skip
    values += [math.pow(config.level_decay, float(n)) for n in range(9)]
    values += [math.pow(config.cefr_decay, float(n)) for n in range(7)]
    values += [math.pow(config.education_below_decay, float(n)) for n in range(9)]
    return np.array(values, dtype=np.float64)


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
            if old is None or credit > old[0] or (credit == old[0] and rel < old[1]):
                out[a] = (credit, rel, dist)

        offer(b, cfg.credit_exact, REL_EXACT, 0)
        for rel, csr, first, decay in (
            (REL_NARROWER, self._narrower, cfg.credit_narrower, cfg.narrower_decay),
            (REL_BROADER, self._broader, cfg.credit_broader, cfg.broader_decay),
        ):
            seen = {b}
            frontier = [b]
            for dist in range(1, cfg.max_hierarchy_distance + 1):
                nxt: list[int] = []
                for node in frontier:
                    for a in self._row(csr, node):
                        if a not in seen:
                            seen.add(a)
                            nxt.append(a)
                credit = first * decay ** (dist - 1)
                for a in nxt:
                    offer(a, credit, rel, dist)
                frontier = nxt
        for parent in self._row(self._broader, b):
            siblings = self._row(self._narrower, parent)
            if not self._row(self._broader, parent) or len(siblings) > cfg.sibling_max_children:
                continue  # a top-level parent, or too large a family, makes no siblings
            for a in siblings:
                if a != b:
                    offer(a, cfg.credit_sibling, REL_SIBLING, 2)
        for a in self._row(self._related, b) + self._row(self._related_in, b):
            if a != b:
                offer(a, cfg.credit_related, REL_RELATED, 1)
        self._memo[b] = out
        return out

    def arrays(self, required: NDArray[np.int32]) -> RelationArrays:
        """Both CSR views for the required concepts `required` (unique concept indices)."""
        n = self._n
        req_rows: list[int] = []
        claim_cols: list[int] = []
        credits: list[float] = []
        for b in np.unique(required).tolist():
            entries = self.claims_for(int(b))
            for a in sorted(entries):
                req_rows.append(int(b))
                claim_cols.append(a)
                credits.append(entries[a][0])
        rows = np.asarray(req_rows, dtype=np.int64)
        cols = np.asarray(claim_cols, dtype=np.int64)
        vals = np.asarray(credits, dtype=np.float64)
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
    features: NDArray[np.float64]  # [n, 7]: columns CF_*
    claim_post_indptr: NDArray[np.int64]  # by concept: which (candidate, claim) hold it
    claim_post_candidate: NDArray[np.int32]
    claim_post_claim: NDArray[np.int64]


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
    features: NDArray[np.float64]  # [n, 10]: columns VF_*
    post_indptr: NDArray[np.int64]  # by concept: which requirement slots ask for it
    post_slot: NDArray[np.int64]


class Codes:
    """Interned strings (language codes, regions) shared by the two sides of one encoding."""

    def __init__(self) -> None:
        self.languages: dict[str, int] = {}
        self.regions: dict[str, int] = {}
        self._as_given: dict[str, int] = {}

    def language(self, code: str) -> int:
        """Integer for an ISO 639 code (``nb``/``nn`` and ``no`` alike)."""
        found = self._as_given.get(code)
        if found is None:
            canonical = canonical_language_code(code)
            found = self.languages.setdefault(canonical, len(self.languages))
            self._as_given[code] = found
        return found

    def region(self, code: str | None) -> int:
        """Integer for a region code, or -1 for none."""
        if code is None:
            return -1
        return self.regions.setdefault(code.strip().upper(), len(self.regions))


Resolve = Callable[[str], int | None]


class _Concepts:
    """Concept index of a skill text (a URI, or free text through `resolve`), memoised."""

    def __init__(self, taxonomy: Taxonomy, resolve: Resolve) -> None:
        self._taxonomy = taxonomy
        self._resolve = resolve
        self.memo: dict[str, int | None] = {}  # read directly in hot loops

    def __call__(self, text: str) -> int | None:
        if text in self.memo:
            return self.memo[text]
        found = self._taxonomy.index(text) if is_concept_uri(text) else self._resolve(text)
        self.memo[text] = found
        return found


def _cefr(level: str | None) -> int:
    return 0 if level is None else CEFR_LEVELS.index(level) + 1


_CEFR_CODE: dict[str | None, int] = {None: 0} | {x: i + 1 for i, x in enumerate(CEFR_LEVELS)}
_NATIVE_ROW = [_cefr("C2")] * len(ACTIVITIES)


def _cefr_row(entry: LanguageSkill | LanguageRequirement) -> list[int]:
    """``[_cefr(entry.level_for(a)) for a in ACTIVITIES]``, without the per-activity calls.

    The same rule as ``level_for``: C2 for a native language, else the activity's own level, else
    the overall level.
    """
    if isinstance(entry, LanguageSkill) and entry.native:
        return list(_NATIVE_ROW)
    overall = entry.level
    return [
        _CEFR_CODE[overall if own is None else own]
        for own in (entry.listening, entry.reading, entry.spoken_interaction, entry.writing)
    ]


def _day(value: date | None, default: int) -> int:
    return default if value is None else value.toordinal()


def _postings(rows: NDArray[np.int64], n_concepts: int, concept: NDArray[np.int32]) -> tuple[
    NDArray[np.int64], NDArray[np.int64]
]:  # fmt: skip
    """CSR from concept to the positions (rows) holding it, positions in increasing order."""
    if rows.size == 0 or bool(np.all(rows[1:] >= rows[:-1])):
        # Rows in order already (the encoders' case): a stable sort by concept is the same order.
        order = np.argsort(concept, kind="stable").astype(np.int64)
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
) -> CandidateArrays:
    """Encode candidates; free-text claims go through `resolve` (unresolved ones are skipped)."""
    n = len(candidates)
    claim_indptr = [0]
    concept: list[int] = []
    evidence: list[float] = []
    level: list[int] = []
    lang_indptr = [0]
    lang_code: list[int] = []
    lang_level: list[list[int]] = []
    edu_indptr = [0]
    edu_level: list[int] = []
    edu_credit: list[float] = []
    exp_indptr = [0]
    exp_occ: list[int] = []
    exp_months: list[float] = []
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    region = np.full(n, -1, dtype=np.int32)
    reach = np.full(n, config.default_commute_km)
    auth_class = np.zeros(n, dtype=np.int8)
    auth_from = np.full(n, NO_DAY, dtype=np.int32)
    auth_until = np.full(n, _LAST_DAY, dtype=np.int32)
    concept_of = _Concepts(taxonomy, resolve)
    evidence_factor = {
        e: config.evidence_factor(e)
        for e in ("self_declared", "adviser_mapped", "validated", "certified")
    }
    known = concept_of.memo
    recognition_credit: dict[str, float] = {}
    for i, cand in enumerate(candidates):
        for claim in cand.skills:
            text = claim.skill
            idx = known[text] if text in known else concept_of(text)
            if idx is not None:
                concept.append(idx)
                evidence.append(evidence_factor[claim.evidence])
                level.append(claim.level or 0)
        claim_indptr.append(len(concept))
        for lang in cand.languages:
            lang_code.append(codes.language(lang.language))
            lang_level.append(_cefr_row(lang))
        lang_indptr.append(len(lang_code))
        for edu in cand.education:
            edu_level.append(edu.isced_level)
            recognition = edu.recognition
            credit = recognition_credit.get(recognition)
            if credit is None:
                credit = recognition_credit[recognition] = config.recognition_credit(recognition)
            edu_credit.append(credit)
        edu_indptr.append(len(edu_level))
        for exp in cand.experience:
            exp_occ.append(taxonomy.index(exp.occupation))
            exp_months.append(-1.0 if exp.months is None else float(exp.months))
        exp_indptr.append(len(exp_occ))
        if cand.location is not None:
            if cand.location.lat is not None and cand.location.lon is not None:
                lat[i], lon[i] = cand.location.lat, cand.location.lon
            region[i] = codes.region(cand.location.region)
        if cand.max_commute_km is not None:
            reach[i] = cand.max_commute_km
        auth = cand.work_authorisation
        auth_from[i] = _day(auth.work_allowed_from, NO_DAY)
        auth_until[i] = _day(auth.work_allowed_until, _LAST_DAY)
        if auth.status == "asylum_seeker_without_permit":
            auth_class[i] = AUTH_NEEDS_DATE
        elif auth.status in ("unknown", "other"):
            auth_class[i] = AUTH_UNKNOWN
    n_concepts = len(taxonomy)
    concept_arr = np.asarray(concept, dtype=np.int32)
    indptr = np.asarray(claim_indptr, dtype=np.int64)
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    post_indptr, post_order = _postings(owner, n_concepts, concept_arr)
    return CandidateArrays(
        claim_indptr=indptr,
        claim_concept=concept_arr,
        claim_evidence=np.asarray(evidence, dtype=np.float64),
        claim_level=np.asarray(level, dtype=np.int8),
        lang_indptr=np.asarray(lang_indptr, dtype=np.int64),
        lang_code=np.asarray(lang_code, dtype=np.int32),
        lang_level=np.asarray(lang_level, dtype=np.int8).reshape(len(lang_code), 4),
        edu_indptr=np.asarray(edu_indptr, dtype=np.int64),
        edu_level=np.asarray(edu_level, dtype=np.int8),
        edu_credit=np.asarray(edu_credit, dtype=np.float64),
        exp_indptr=np.asarray(exp_indptr, dtype=np.int64),
        exp_occupation=np.asarray(exp_occ, dtype=np.int32),
        exp_months=np.asarray(exp_months, dtype=np.float64),
        features=np.column_stack(
            [lat, lon, reach, region, auth_class, auth_from, auth_until]
        ).astype(np.float64),
        claim_post_indptr=post_indptr,
        claim_post_candidate=owner[post_order].astype(np.int32),
        claim_post_claim=post_order,
    )


def encode_vacancies(
    vacancies: Sequence[Vacancy],
    taxonomy: Taxonomy,
    config: ScoringConfig,
    codes: Codes,
    resolve: Resolve,
    as_of: date,
) -> VacancyArrays:
    """Encode vacancies; free-text requirements go through `resolve` (unresolved: skipped)."""
    n = len(vacancies)
    factor = {"essential": config.essential_factor, "optional": config.optional_factor}
    slot_indptr = [0]
    slot_concept: list[int] = []
    slot_weight: list[float] = []
    slot_min: list[int] = []
    lang_indptr = [0]
    lang_code: list[int] = []
    lang_min: list[list[int]] = []
    lang_factor: list[float] = []
    total = np.zeros(n)
    training = np.zeros(n, dtype=np.bool_)
    min_isced = np.full(n, -1, dtype=np.int8)
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    region = np.full(n, -1, dtype=np.int32)
    remote = np.zeros(n, dtype=np.bool_)
    occupation = np.full(n, -1, dtype=np.int32)
    min_months = np.full(n, -1.0)
    openings = np.zeros(n, dtype=np.int64)
    start = np.full(n, as_of.toordinal(), dtype=np.int32)
    concept_of = _Concepts(taxonomy, resolve)
    for j, vac in enumerate(vacancies):
        w_total = 0.0
        for req in vac.skills:
            idx = concept_of(req.skill)
            if idx is None:
                continue
            w = req.weight * factor[req.importance]
            slot_concept.append(idx)
            slot_weight.append(w)
            slot_min.append(req.min_level or 0)
            w_total += w
        total[j] = w_total
        slot_indptr.append(len(slot_concept))
        for lreq in vac.languages:
            lang_code.append(codes.language(lreq.language))
            lang_min.append(_cefr_row(lreq))
            lang_factor.append(factor[lreq.importance])
        lang_indptr.append(len(lang_code))
        training[j] = vac.support.language_training
        if vac.min_isced is not None:
            min_isced[j] = vac.min_isced
        if vac.location is not None:
            if vac.location.lat is not None and vac.location.lon is not None:
                lat[j], lon[j] = vac.location.lat, vac.location.lon
            region[j] = codes.region(vac.location.region)
        remote[j] = vac.remote
        if vac.occupation is not None:
            occupation[j] = taxonomy.index(vac.occupation)
        if vac.min_experience_months is not None:
            min_months[j] = float(vac.min_experience_months)
        openings[j] = vac.openings
        if vac.start_date is not None:
            start[j] = vac.start_date.toordinal()
    concept_arr = np.asarray(slot_concept, dtype=np.int32)
    indptr = np.asarray(slot_indptr, dtype=np.int64)
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    post_indptr, post_slot = _postings(owner, len(taxonomy), concept_arr)
    return VacancyArrays(
        slot_indptr=indptr,
        slot_concept=concept_arr,
        slot_weight=np.asarray(slot_weight, dtype=np.float64),
        slot_min_level=np.asarray(slot_min, dtype=np.int8),
        slot_vacancy=owner.astype(np.int32),
        total_weight=total,
        lang_indptr=np.asarray(lang_indptr, dtype=np.int64),
        lang_code=np.asarray(lang_code, dtype=np.int32),
        lang_min=np.asarray(lang_min, dtype=np.int8).reshape(len(lang_code), 4),
        lang_factor=np.asarray(lang_factor, dtype=np.float64),
        features=np.column_stack(
            [lat, lon, region, remote, start, openings, min_isced, min_months, occupation, training]
        ).astype(np.float64),
        post_indptr=post_indptr,
        post_slot=post_slot,
    )
