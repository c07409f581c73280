"""The API's routes: each turns a request into a library call, and its result into a wire model.

Every call runs in a worker thread under the state's compute lock and the request's time limit
(:func:`run_limited`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from .._version import __version__
from ..analysis import training_needs
from ..errors import AssignmentError, LabourintMatchError
from ..profiles import CandidateProfile, Vacancy, json_schema
from ._security import require_key, route_of
from ._state import ServiceState, TooLate
from ._state import run_limited as _run_limited
from ._wire import (
    AssignRequest,
    AssignResponse,
    ExplainRequest,
    ExplainResponse,
    ExtractRequest,
    ExtractResponse,
    Health,
    RankRequest,
    RankResponse,
    ResolveRequest,
    ResolveResponse,
    TrainingNeedsRequest,
    TrainingNeedsResponse,
    assignment_out,
    ranking_out,
)

__all__ = ["add_api", "add_error_handlers", "run_limited"]

T = TypeVar("T")
_log = logging.getLogger("labourint_match.service")


async def run_limited(state: ServiceState, fn: Callable[[], T]) -> T:
    """:func:`._state.run_limited`, with 503 when the time limit passes."""
    try:
        return await _run_limited(state, fn)
    except TooLate:
        limit = state.config.limits.time_limit_s
        raise HTTPException(
            503,
            f"the request took longer than the limit of {limit:g} s; send a smaller cohort or "
            "ask the operator to raise --time-limit",
        ) from None


def _cohort(
    state: ServiceState,
    candidates: Sequence[CandidateProfile] | None,
    vacancies: Sequence[Vacancy] | None,
) -> tuple[Sequence[CandidateProfile], Sequence[Vacancy]]:
    """The request's cohort, the loaded cohort where a side is omitted, within the limits."""
    if candidates is None or vacancies is None:
        loaded = state.cohort
        if loaded is None:
            raise HTTPException(
                422, "give candidates and vacancies: the service was started without a cohort"
            )
        if candidates is None:
            candidates = list(loaded.candidates.values())
        if vacancies is None:
            vacancies = list(loaded.vacancies.values())
    limits = state.config.limits
    n_c, n_v = len(candidates), len(vacancies)
    if n_c + n_v > limits.max_records:
        raise HTTPException(413, f"{n_c + n_v:,} records; this service takes at most "
                                 f"{limits.max_records:,} per request")  # fmt: skip
    if n_c * n_v > limits.max_pairs:
        raise HTTPException(413, f"{n_c:,} × {n_v:,} pairs; this service scores at most "
                                 f"{limits.max_pairs:,} per request")  # fmt: skip
    return candidates, vacancies


def add_api(app: FastAPI, state: ServiceState) -> None:
    """Add the API's routes to `app`."""
    authed = APIRouter(dependencies=[Depends(require_key)])

    @app.get("/healthz", response_model=Health, tags=["service"])
    async def healthz() -> Health:
        """Liveness: the version, the taxonomy's hash, the loaded cohort's size. No key needed."""
        c = state.cohort
        size = (
            None if c is None else {"candidates": len(c.candidates), "vacancies": len(c.vacancies)}
        )
        return Health(status="ok", version=__version__, taxonomy=state.taxonomy.content_hash,
                      cohort=size)  # fmt: skip

    @authed.get("/openapi.json", include_in_schema=False)
    async def openapi() -> dict[str, Any]:
        return app.openapi()

    @authed.get("/schema", tags=["records"])
    async def schema() -> dict[str, Any]:
        """The JSON Schema of candidate and vacancy records."""
        return json_schema()

    @authed.post("/resolve", response_model=ResolveResponse, tags=["stage 1"])
    async def resolve(body: ResolveRequest) -> ResolveResponse:
        """Free-text skill names to concept URIs, best first."""

        def work() -> ResolveResponse:
            return ResolveResponse(results=[
                state.resolver.resolve(t, body.lang, top_k=body.top_k) for t in body.texts
            ])  # fmt: skip

        return await run_limited(state, work)

    @authed.post("/extract", response_model=ExtractResponse, tags=["stage 1"])
    async def extract(body: ExtractRequest) -> ExtractResponse:
        """The skills a job ad or CV mentions, each with its span."""

        def work() -> ExtractResponse:
            found = state.resolver.extract(body.text, top_k=body.top_k, lang=body.lang)
            return ExtractResponse(extractions=found)

        return await run_limited(state, work)

    @authed.post("/rank", response_model=RankResponse, tags=["matching"])
    async def rank(body: RankRequest) -> RankResponse:
        """The exact top-k vacancies of each candidate, or candidates of each vacancy."""
        cands, vacs = _cohort(state, body.candidates, body.vacancies)

        def work() -> RankResponse:
            return ranking_out(state.matcher.rank(cands, vacs, body.top_k, by=body.by))

        return await run_limited(state, work)

    @authed.post("/explain", response_model=ExplainResponse, tags=["matching"])
    async def explain(body: ExplainRequest) -> ExplainResponse:
        """Why one pair scores what it does, with gaps and the pathway, in `lang`."""

        def work() -> ExplainResponse:
            e = state.matcher.explain(body.candidate, body.vacancy, lang=body.lang)
            html = e.to_html() if hasattr(e, "to_html") else e._repr_html_()
            return ExplainResponse(score=e.score, text=str(e), html=html, explanation=e)

        return await run_limited(state, work)

    @authed.post("/assign", response_model=AssignResponse, tags=["placement"])
    async def assign(body: AssignRequest) -> AssignResponse:
        """Place a cohort: optimal (largest total score) or stable."""
        cands, vacs = _cohort(state, body.candidates, body.vacancies)

        def work() -> AssignResponse:
            result = state.matcher.assign(cands, vacs, body.method, body.min_score,
                                          fixed=body.fixed, forbidden=body.forbidden)  # fmt: skip
            return assignment_out(result)

        return await run_limited(state, work)

    @authed.post("/training-needs", response_model=TrainingNeedsResponse, tags=["analysis"])
    async def needs(body: TrainingNeedsRequest) -> TrainingNeedsResponse:
        """Which skills, if trained, would move most people to a match.

        Bounded by the request time limit: slow on large cohorts.
        """
        cands, vacs = _cohort(state, body.candidates, body.vacancies)

        def work() -> TrainingNeedsResponse:
            rows = training_needs(state.matcher, cands, vacs, top_k=body.top_k,
                                  target=body.target, lang=body.lang, as_frame=False)  # fmt: skip
            return TrainingNeedsResponse(rows=rows)

        return await run_limited(state, work)

    @authed.post("/reload", tags=["service"])
    async def reload() -> dict[str, int]:
        """Read the cohort files again (the old cohort stays when they no longer load)."""
        loaded = await run_limited(state, state.reload)
        return {"candidates": len(loaded.candidates), "vacancies": len(loaded.vacancies)}

    app.include_router(authed)


def _clean(error: dict[str, Any], body: object) -> dict[str, Any]:
    """One pydantic error without its input (which may be personal), with the record's id."""
    loc = list(error.get("loc", ()))
    out: dict[str, Any] = {"loc": loc, "msg": error.get("msg", ""), "type": error.get("type", "")}
    # ("body", "candidates", 3, "skills", 0, "uri") → record "c-7" (its id, if it has one), field
    if len(loc) >= 3 and loc[0] == "body" and isinstance(loc[2], int) and isinstance(body, dict):
        records = body.get(loc[1])
        if isinstance(records, list) and 0 <= loc[2] < len(records):
            rid = records[loc[2]].get("id") if isinstance(records[loc[2]], dict) else None
            if isinstance(rid, str) and len(rid) <= 200:
                out["record"] = rid
            out["field"] = ".".join(str(p) for p in loc[3:])
    elif (
        len(loc) >= 3
        and loc[0] == "body"
        and loc[1] in ("candidate", "vacancy")
        and isinstance(body, dict)
    ):
        record = body.get(loc[1])
        rid = record.get("id") if isinstance(record, dict) else None
        if isinstance(rid, str) and len(rid) <= 200:
            out["record"] = rid
        out["field"] = ".".join(str(p) for p in loc[2:])
    return out


def add_error_handlers(app: FastAPI) -> None:
    """Errors as ``{"detail": …}``.

    422 for invalid input (naming the record and field, never echoing what it held), 409 for a
    placement that cannot be made as asked.
    """

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        body = exc.body
        return JSONResponse({"detail": [_clean(dict(e), body) for e in exc.errors()]}, 422)

    @app.exception_handler(LabourintMatchError)
    async def library(request: Request, exc: LabourintMatchError) -> JSONResponse:
        # A placement that cannot be made as asked conflicts with the cohort; the rest
        # (ProfileError, UnknownConceptError, ConfigError, ResolutionError) is invalid input.
        status = 409 if isinstance(exc, AssignmentError) else 422
        detail: dict[str, Any] = {"msg": str(exc) if not isinstance(exc, KeyError) else exc.args[0]}
        for attr in ("record", "field"):
            value = getattr(exc, attr, None)
            if value is not None:
                detail[attr] = value
        return JSONResponse({"detail": [detail]}, status)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        _log.error("internal error on %s %s: %s", request.method, route_of(request),
                   exc.__class__.__name__)  # fmt: skip
        return JSONResponse({"detail": "internal error; the service log has its class"}, 500)
