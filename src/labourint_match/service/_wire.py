"""Request and response models of the HTTP API.

Requests carry the library's own records (:class:`~labourint_match.CandidateProfile`,
:class:`~labourint_match.Vacancy`), so the service validates exactly as the library does and its
OpenAPI document holds their JSON Schemas. Results are the library's dataclasses where they have a
schema already (:class:`~labourint_match.Explanation`, :class:`~labourint_match.resolve.Resolution`,
:class:`~labourint_match.resolve.Extraction`) and wire models here where they hold arrays
(:class:`~labourint_match.Ranking`) or private state (:class:`~labourint_match.Assignment`).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..assignment.overrides import Override
from ..assignment.result import Assignment
from ..profiles import CandidateProfile, Vacancy
from ..resolve import Extraction, Resolution
from ..scoring.explain import Explanation
from ..scoring.ranking import Ranking

__all__ = [
    "REQUEST_MODELS",
    "AssignRequest",
    "AssignResponse",
    "ExplainRequest",
    "ExplainResponse",
    "ExtractRequest",
    "ExtractResponse",
    "Health",
    "MatchOut",
    "PlacementOut",
    "Problem",
    "Problems",
    "RankRequest",
    "RankResponse",
    "RankRow",
    "Refusal",
    "ResolveRequest",
    "ResolveResponse",
    "TrainingNeedsRequest",
    "TrainingNeedsResponse",
    "TrainingNeedsRow",
    "UnplacedOut",
    "assignment_out",
    "ranking_out",
]

_STRICT = ConfigDict(extra="forbid", frozen=True)
_COHORT_NOTE = (
    "Omit to use the cohort the service was started on (an error when it was started without one)."
)


class RankRequest(BaseModel):
    """``POST /rank``: the exact top-k of each candidate (or of each vacancy, ``by="vacancy"``)."""

    model_config = _STRICT
    candidates: list[CandidateProfile] | None = Field(None, description=_COHORT_NOTE)
    vacancies: list[Vacancy] | None = Field(None, description=_COHORT_NOTE)
    top_k: int = Field(10, ge=1, le=1000)
    by: Literal["candidate", "vacancy"] = "candidate"


class MatchOut(BaseModel):
    """One ranked pair (:class:`~labourint_match.Match`)."""

    candidate_id: str
    vacancy_id: str
    score: float
    rank: int
    eligible: bool
    reasons: list[str]
    unjudged: bool


class RankRow(BaseModel):
    """The matches of one candidate (or vacancy), best first."""

    id: str
    matches: list[MatchOut]


class RankResponse(BaseModel):
    """A :class:`~labourint_match.Ranking` on the wire: one row per ranked record, input order."""

    by: Literal["candidate", "vacancy"]
    top_k: int
    rows: list[RankRow]
    unjudged: list[str] = Field(
        description="Vacancies asking no skill that resolves: their skill fit is unknown."
    )


def ranking_out(ranking: Ranking) -> RankResponse:
    """`ranking` as a wire model."""
    ids = ranking.candidate_ids if ranking.by == "candidate" else ranking.vacancy_ids
    rows = []
    for rid in ids:
        matches = (
            ranking.for_candidate(rid) if ranking.by == "candidate" else ranking.for_vacancy(rid)
        )
        rows.append(RankRow(id=rid, matches=[
            MatchOut(candidate_id=m.candidate_id, vacancy_id=m.vacancy_id, score=m.score,
                     rank=m.rank, eligible=m.eligible, reasons=list(m.reasons),
                     unjudged=m.unjudged)
            for m in matches
        ]))  # fmt: skip
    return RankResponse(
        by=ranking.by, top_k=ranking.top_k, rows=rows, unjudged=list(ranking.unjudged)
    )


class ExplainRequest(BaseModel):
    """``POST /explain``: why one pair scores what it does, in the adviser's language."""

    model_config = _STRICT
    candidate: CandidateProfile
    vacancy: Vacancy
    lang: str = Field(
        "en", min_length=2, max_length=8, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,4})?$"
    )


class ExplainResponse(BaseModel):
    """The explanation, its score, and its text and HTML forms."""

    score: float
    text: str = Field(description="The plain text an adviser can read out.")
    html: str = Field(description="An escaped HTML fragment of the same explanation.")
    explanation: Explanation


class ResolveRequest(BaseModel):
    """``POST /resolve``: free-text skill names to concept URIs, best first."""

    model_config = _STRICT
    texts: list[str] = Field(min_length=1, max_length=10_000)
    lang: str | None = Field(None, max_length=8)
    top_k: int = Field(5, ge=1, le=100)


class ResolveResponse(BaseModel):
    """For each text, in order, its candidates (empty when nothing resolves)."""

    results: list[list[Resolution]]


class ExtractRequest(BaseModel):
    """``POST /extract``: the skills a job ad or CV mentions."""

    model_config = _STRICT
    text: str = Field(max_length=10_000)
    lang: str | None = Field(None, max_length=8)
    top_k: int = Field(10, ge=1, le=200)


class ExtractResponse(BaseModel):
    """The skills found, with the span of text each was read from."""

    extractions: list[Extraction]


class TrainingNeedsRequest(BaseModel):
    """``POST /training-needs``: which training would move most people to a ready match."""

    model_config = _STRICT
    candidates: list[CandidateProfile] | None = Field(None, description=_COHORT_NOTE)
    vacancies: list[Vacancy] | None = Field(None, description=_COHORT_NOTE)
    top_k: int | None = Field(5, ge=1, le=1000)
    target: Literal["ready", "ready_with_support"] = "ready"
    lang: str = Field("en", max_length=8)


class TrainingNeedsRow(BaseModel):
    """One need (:data:`labourint_match.analysis.TRAINING_NEEDS_COLUMNS`; ids in input order)."""

    model_config = ConfigDict(extra="forbid")
    rank: int
    need: str = Field(description="The skill's URI, or sv:B1 / sv:writing:B1 for a language.")
    kind: Literal["skill", "language"]
    label: str
    language: str | None
    activity: str | None
    level: str | None
    skill_level: int | None = Field(description="The trained claim's level (skill needs).")
    n_ready: int
    ready_ids: list[str]
    n_ready_or_supported: int
    ready_or_supported_ids: list[str]
    n_gap: int
    needed_by: list[str]
    n_vacancies: int
    score_lost: float
    placement_gain: float | None = Field(
        description="The total placement score the need would add (with placement_gain > 0)."
    )
    placed_gain: int | None = Field(description="The people it would add to the placement.")


class TrainingNeedsResponse(BaseModel):
    """The training-needs table, one row per need, best first."""

    rows: list[TrainingNeedsRow]


class AssignRequest(BaseModel):
    """``POST /assign``: place a cohort, optimal or stable."""

    model_config = _STRICT
    candidates: list[CandidateProfile] | None = Field(None, description=_COHORT_NOTE)
    vacancies: list[Vacancy] | None = Field(None, description=_COHORT_NOTE)
    method: Literal["optimal", "stable"] = "optimal"
    min_score: float = Field(0.0, ge=0.0, le=1.0)
    fixed: list[Override] = Field(
        default_factory=list,
        description="Pairs an adviser fixes: placed whatever their score (they must be eligible).",
    )
    forbidden: list[Override] = Field(
        default_factory=list, description="Pairs an adviser forbids: never placed."
    )


class PlacementOut(BaseModel):
    """One placed pair."""

    candidate_id: str
    vacancy_id: str
    score: float


class UnplacedOut(BaseModel):
    """A candidate left unplaced, and why."""

    candidate_id: str
    reason: str
    best_score: float | None


class AssignResponse(BaseModel):
    """An :class:`~labourint_match.Assignment` on the wire."""

    run_id: str
    method: str
    solver: str
    total_score: float
    min_score: float
    pairs: list[PlacementOut]
    unassigned: list[UnplacedOut]
    pruned: bool
    fixed: list[Override]
    forbidden: list[Override]
    as_of: date
    config_digest: str
    taxonomy_hash: str
    n_candidates: int
    n_vacancies: int
    n_openings: int


def assignment_out(result: Assignment) -> AssignResponse:
    """`result` as a wire model."""
    return AssignResponse(
        run_id=result.run_id, method=result.method, solver=result.solver,
        total_score=result.total_score, min_score=result.min_score,
        pairs=[PlacementOut(candidate_id=p.candidate_id, vacancy_id=p.vacancy_id, score=p.score)
               for p in result.pairs],
        unassigned=[UnplacedOut(candidate_id=u.candidate_id, reason=u.reason,
                                best_score=u.best_score) for u in result.unassigned],
        pruned=result.pruning is not None, fixed=list(result.fixed),
        forbidden=list(result.forbidden), as_of=result.as_of,
        config_digest=result.config_digest, taxonomy_hash=result.taxonomy_hash,
        n_candidates=result.n_candidates, n_vacancies=result.n_vacancies,
        n_openings=result.n_openings,
    )  # fmt: skip


class Problem(BaseModel):
    """One problem with a request: where, what, and which record (by id) and field."""

    msg: str
    loc: list[str | int] | None = None
    type: str | None = None
    record: str | None = Field(None, description="The record's id, when it has a valid one.")
    field: str | None = Field(None, description="The field inside the record, dotted.")


class Problems(BaseModel):
    """``{"detail": [...]}``: 422 (invalid input) and 409 (a placement that cannot be made)."""

    detail: list[Problem]


class Refusal(BaseModel):
    """``{"detail": "..."}``: 401, 403, 413, 415 and 503."""

    detail: str


class Health(BaseModel):
    """``GET /healthz``."""

    status: Literal["ok"]
    version: str
    taxonomy: str
    cohort: dict[str, int] | None


#: The request models, whose JSON Schemas the OpenAPI document carries.
REQUEST_MODELS: tuple[type[BaseModel], ...] = (
    RankRequest, ExplainRequest, ResolveRequest, ExtractRequest, TrainingNeedsRequest,
    AssignRequest,
)  # fmt: skip
