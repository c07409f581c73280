"""``labourint-match serve``: the library over HTTP, and the adviser page (the ``service`` extra).

The routes (docs/service.md is the guide, ``/openapi.json`` the reference):

- ``POST /resolve``, ``/extract``: stage 1, free text to concepts.
- ``POST /rank``, ``/explain``: matching, and why, in the adviser's language.
- ``POST /assign``: placement; ``POST /training-needs``: which training closes which gap.
- ``GET /schema``: the records' JSON Schema; ``GET /healthz``: liveness (no key).
- ``/adviser``: the adviser page (server-rendered, no JavaScript).

Every route but ``/healthz`` needs a key; keys are kept hashed (:func:`add_key`). The taxonomy,
matcher and resolver are loaded once and shared; plans and overrides live in SQLite.

The request and response models (``RankRequest`` … ``TrainingNeedsResponse``) are public, so a
client in Python can build requests and read answers with their types; their JSON Schemas are in
``/openapi.json``.

Nothing in the library imports this package: it is a caller, like the command line.
"""

from ._app import create_app, run
from ._auth import KeyRing, add_key, hash_key, new_key
from ._config import DEFAULT_LIMITS, Limits, ServiceConfig, is_loopback
from ._state import LoadedCohort, ServiceState
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
)

__all__ = [
    "DEFAULT_LIMITS",
    "AssignRequest",
    "AssignResponse",
    "ExplainRequest",
    "ExplainResponse",
    "ExtractRequest",
    "ExtractResponse",
    "Health",
    "KeyRing",
    "Limits",
    "LoadedCohort",
    "RankRequest",
    "RankResponse",
    "ResolveRequest",
    "ResolveResponse",
    "ServiceConfig",
    "ServiceState",
    "TrainingNeedsRequest",
    "TrainingNeedsResponse",
    "add_key",
    "create_app",
    "hash_key",
    "is_loopback",
    "new_key",
    "run",
]
