"""The API's routes: each turns a request into a library call, and its result into a wire model.

A request's key is checked by :class:`~._security.KeyCheck` before its body is read; the body is
read (bounded by :class:`~._security.BodyLimit`) and validated in a worker thread, off the event
loop, so a large cohort never stalls other clients; the work runs under the compute lock within the
request's time limit (:func:`run_limited`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import anyio
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from .._version import __version__
from ..analysis import training_needs
from ..errors import AssignmentError, ConfigError, LabourintMatchError, ProfileError
from ..profiles import CandidateProfile, Vacancy, id_problem, json_schema
from ._security import require_key, route_of
from ._state import ServiceState, TooLate
from ._state import run_limited as _run_limited
from ._wire import (
    REQUEST_MODELS,
    AssignRequest,
    AssignResponse,
    ExplainRequest,
    ExplainResponse,
    ExtractRequest,
    ExtractResponse,
    Health,
    Problems,
    RankRequest,
    RankResponse,
    Refusal,
    ResolveRequest,
    ResolveResponse,
    TrainingNeedsRequest,
    TrainingNeedsResponse,
    assignment_out,
    ranking_out,
)

__all__ = ["add_api", "add_error_handlers", "run_limited"]

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
_log = logging.getLogger("labourint_match.service")

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Refusal, "description": "No key, or not one of the service's keys."},
    403: {"model": Refusal, "description": "An override names another adviser than the key's."},
    409: {"model": Problems, "description": "A placement that cannot be made as asked."},
    413: {"model": Refusal, "description": "Over the body, record or pair limit."},
    415: {"model": Refusal, "description": "The body is not application/json."},
    422: {"model": Problems, "description": "Invalid input: the record and field are named."},
    503: {"model": Refusal, "description": "Over the time limit."},
}


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


async def parsed(request: Request, model: type[M]) -> M:
    """The request's body as `model`, validated in a worker thread (422 naming the record)."""
    body = await request.body()

    def validate() -> M:
        try:
            return model.model_validate_json(body or b"{}")
        except ValidationError as exc:
            try:
                raw: Any = json.loads(body)
            except ValueError:
                raw = None
            raise RequestValidationError(
                exc.errors(include_url=False, include_input=False, include_context=False), body=raw
            ) from None

    return await anyio.to_thread.run_sync(validate)


def _body(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads `model` itself."""
    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


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
    authed = APIRouter(dependencies=[Depends(require_key)], responses=_ERRORS)

    @app.get("/healthz", response_model=Health, tags=["service"])
    async def healthz() -> Health:
        """Liveness: the version, the taxonomy's hash, the loaded cohort's size. No key needed."""
        c = state.cohort
        size = None if c is None else {"candidates": len(c.candidates),
                                       "vacancies": len(c.vacancies)}  # fmt: skip
        return Health(status="ok", version=__version__, taxonomy=state.taxonomy.content_hash,
                      cohort=size)  # fmt: skip

    @authed.get("/openapi.json", include_in_schema=False)
    async def openapi() -> dict[str, Any]:
        return app.openapi()

    @authed.get("/schema", tags=["records"])
    async def schema() -> dict[str, Any]:
        """The JSON Schema of candidate and vacancy records."""
        return json_schema()

    @authed.post("/resolve", response_model=ResolveResponse, tags=["stage 1"],
                 openapi_extra=_body(ResolveRequest))  # fmt: skip
    async def resolve(request: Request) -> ResolveResponse:
        """Free-text skill names to concept URIs, best first."""
        body = await parsed(request, ResolveRequest)

        def work() -> ResolveResponse:
            return ResolveResponse(results=[
                state.resolver.resolve(t, body.lang, top_k=body.top_k) for t in body.texts
            ])  # fmt: skip

        return await run_limited(state, work)

    @authed.post("/extract", response_model=ExtractResponse, tags=["stage 1"],
                 openapi_extra=_body(ExtractRequest))  # fmt: skip
    async def extract(request: Request) -> ExtractResponse:
        """The skills a job ad or CV mentions, each with its span."""
        body = await parsed(request, ExtractRequest)

        def work() -> ExtractResponse:
            found = state.resolver.extract(body.text, top_k=body.top_k, lang=body.lang)
            return ExtractResponse(extractions=found)

        return await run_limited(state, work)

    @authed.post("/rank", response_model=RankResponse, tags=["matching"],
                 openapi_extra=_body(RankRequest))  # fmt: skip
    async def rank(request: Request) -> RankResponse:
        """The exact top-k vacancies of each candidate, or candidates of each vacancy."""
        body = await parsed(request, RankRequest)
        cands, vacs = _cohort(state, body.candidates, body.vacancies)

        def work() -> RankResponse:
            return ranking_out(state.matcher.rank(cands, vacs, body.top_k, by=body.by))

        return await run_limited(state, work)

    @authed.post("/explain", response_model=ExplainResponse, tags=["matching"],
                 openapi_extra=_body(ExplainRequest))  # fmt: skip
    async def explain(request: Request) -> ExplainResponse:
        """Why one pair scores what it does, with gaps and the pathway, in `lang`."""
        body = await parsed(request, ExplainRequest)

        def work() -> ExplainResponse:
            e = state.matcher.explain(body.candidate, body.vacancy, lang=body.lang)
            return ExplainResponse(score=e.score, text=str(e), html=e.to_html(), explanation=e)

        return await run_limited(state, work)

    @authed.post("/assign", response_model=AssignResponse, tags=["placement"],
                 openapi_extra=_body(AssignRequest))  # fmt: skip
    async def assign(request: Request, adviser: str = Depends(require_key)) -> AssignResponse:
        """Place a cohort, optimal or stable, with an adviser's overrides.

        The placement is appended to the service's decision log. Each override's `adviser` must
        be the id of the key that sends it.
        """
        body = await parsed(request, AssignRequest)
        if state.keys is not None:
            others = {o.adviser for o in (*body.fixed, *body.forbidden)} - {adviser}
            if others:
                raise HTTPException(403, "an override's adviser must be the id of the key that "
                                         "sends it")  # fmt: skip
        cands, vacs = _cohort(state, body.candidates, body.vacancies)

        def work() -> AssignResponse:
            result = state.matcher.assign(cands, vacs, body.method, body.min_score,
                                          fixed=body.fixed, forbidden=body.forbidden,
                                          log=state.config.decision_log)  # fmt: skip
            return assignment_out(result)

        return await run_limited(state, work)

    @authed.post("/training-needs", response_model=TrainingNeedsResponse, tags=["analysis"],
                 openapi_extra=_body(TrainingNeedsRequest))  # fmt: skip
    async def needs(request: Request) -> TrainingNeedsResponse:
        """Which skills, if trained, would move most people to a match.

        Bounded by the request time limit: slow on large cohorts.
        """
        body = await parsed(request, TrainingNeedsRequest)
        cands, vacs = _cohort(state, body.candidates, body.vacancies)

        def work() -> TrainingNeedsResponse:
            rows = training_needs(state.matcher, cands, vacs, top_k=body.top_k,
                                  target=body.target, lang=body.lang, as_frame=False)  # fmt: skip
            return TrainingNeedsResponse.model_validate({"rows": rows})

        return await run_limited(state, work)

    @authed.post("/reload", tags=["service"])
    async def reload() -> dict[str, int]:
        """Read the cohort files again (the old cohort stays when they no longer load)."""
        try:
            loaded = await run_limited(state, state.reload)
        except ProfileError:
            raise
        except (ConfigError, OSError) as exc:  # the files: the operator's problem, not the client's
            _log.error("reload failed: %s", exc.__class__.__name__)
            raise HTTPException(
                503, "the cohort files could not be read; the old cohort stays (see the log)"
            ) from None
        return {"candidates": len(loaded.candidates), "vacancies": len(loaded.vacancies)}

    app.include_router(authed)
    _document(app)


def _document(app: FastAPI) -> None:
    """The OpenAPI document, with the request models the routes read themselves."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        doc = original()
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        for model in REQUEST_MODELS:
            found = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, sub in found.pop("$defs", {}).items():
                schemas.setdefault(name, sub)
            schemas[model.__name__] = found
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]


def _record_id(record: object) -> str | None:
    """A record's id when it is a valid one (an invalid id is not echoed: it may be anything)."""
    rid = record.get("id") if isinstance(record, dict) else None
    return rid if isinstance(rid, str) and id_problem(rid) is None else None


def _clean(error: dict[str, Any], body: object) -> dict[str, Any]:
    """One pydantic error without its input (which may be personal), with the record's id.

    An unknown field's name is not repeated either (it is what the client sent, and may be
    anything); it reads ``(unknown field)``.
    """
    loc = list(error.get("loc", ()))
    if error.get("type") == "extra_forbidden" and loc:
        loc[-1] = "(unknown field)"
    out: dict[str, Any] = {"loc": loc, "msg": error.get("msg", ""), "type": error.get("type", "")}
    # ("body", "candidates", 3, "skills", 0, "skill") → record "c-7" (a valid id), field
    # "skills.0.skill"; without "body" when the route read the body itself.
    path = loc[1:] if loc[:1] == ["body"] else loc
    data = body.get(path[0]) if path and isinstance(body, dict) else None
    if len(path) >= 2 and isinstance(path[1], int) and isinstance(data, list):
        if 0 <= path[1] < len(data):
            rid = _record_id(data[path[1]])
            if rid is not None:
                out["record"] = rid
        out["field"] = ".".join(str(p) for p in path[2:])
    elif len(path) >= 1 and path[0] in ("candidate", "vacancy"):
        rid = _record_id(data)
        if rid is not None:
            out["record"] = rid
        out["field"] = ".".join(str(p) for p in path[1:])
    return out


def add_error_handlers(app: FastAPI) -> None:
    """Errors as ``{"detail": …}``.

    422 for invalid input (naming the record and field, never echoing what it held), 409 for a
    placement that cannot be made as asked. Anything else is caught by
    :class:`~._security.AccessLog`: 500, the exception's class in the log and nothing more.
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
        _log.info("%s %s: %s", request.method, route_of(request), exc.__class__.__name__)
        return JSONResponse({"detail": [detail]}, status)
