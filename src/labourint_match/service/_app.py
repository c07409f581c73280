"""The FastAPI application and the server that runs it."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .._version import __version__
from ..errors import ConfigError
from ..taxonomy import Taxonomy
from ._api import add_api, add_error_handlers
from ._config import LOOPBACK_NAMES, ServiceConfig, is_loopback
from ._page import add_page
from ._security import AccessLog, BodyLimit, KeyCheck
from ._state import ServiceState
from ._store import Store

__all__ = ["create_app", "run"]

_DESCRIPTION = """\
Matching people to jobs by their skills, over an ESCO-style taxonomy, with explanations an adviser
can repeat to the person concerned. Every route but `/healthz` needs an API key
(`Authorization: Bearer KEY` or `X-API-Key: KEY`). Errors are `{"detail": …}`; invalid records get
422 naming the record and field. See docs/service.md.
"""


def create_app(config: ServiceConfig, taxonomy: Taxonomy | None = None) -> FastAPI:
    """The service as an ASGI application (for uvicorn or any ASGI server).

    Parameters
    ----------
    config
        The cohort, database, keys and limits (:class:`ServiceConfig`).
    taxonomy
        The taxonomy to match over (default: the bundled one).

    Returns
    -------
    fastapi.FastAPI
        The application; ``app.state.service`` holds the shared :class:`ServiceState`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from fastapi.testclient import TestClient
    >>> from labourint_match.service import ServiceConfig, create_app
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> app = create_app(ServiceConfig(database=tmp / "db.sqlite3", decision_log=tmp / "log.jsonl",
    ...                                insecure_local=True))
    >>> client = TestClient(app, base_url="http://127.0.0.1")  # without keys: loopback names only
    >>> client.get("/healthz").json()["status"]
    'ok'
    """
    state = ServiceState(config, taxonomy if taxonomy is not None else Taxonomy.default())
    app = FastAPI(
        title="labourint_match", version=__version__, description=_DESCRIPTION,
        docs_url=None, redoc_url=None, openapi_url=None,  # /openapi.json is served with a key
    )  # fmt: skip
    app.state.service = state
    add_error_handlers(app)
    add_api(app, state)
    add_page(app, state, Store(config.database))
    # Outermost last: the access log (and the catch-all 500), the key (before any body is read),
    # then the body limit; without keys, only requests addressed to this machine by name (a page
    # elsewhere that rebinds its name to 127.0.0.1 gets 400).
    app.add_middleware(BodyLimit, max_bytes=config.limits.max_body_bytes)
    app.add_middleware(KeyCheck, keys=state.keys)
    if config.insecure_local:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(LOOPBACK_NAMES))
    app.add_middleware(AccessLog)
    return app


def run(
    config: ServiceConfig,
    taxonomy: Taxonomy | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
) -> None:
    """Serve until SIGINT or SIGTERM; then finish the requests in flight and stop.

    Refuses to serve without keys (``insecure_local``) on anything but a loopback address.

    Raises
    ------
    ConfigError
        ``insecure_local`` with a non-loopback `host`.
    """
    import uvicorn

    if config.insecure_local and not is_loopback(host):
        raise ConfigError(
            f"--insecure-local serves without keys, so only on a loopback address "
            f"(127.0.0.1, ::1, localhost), not {host!r}"
        )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_app(config, taxonomy)
    # Connections beyond limit_concurrency get 503. A public deployment belongs behind a reverse
    # proxy that buffers requests (docs/service.md), so slow clients hold the proxy, not this.
    server = uvicorn.Server(uvicorn.Config(
        app, host=host.strip("[]"), port=port, access_log=False, log_level="info",
        server_header=False, timeout_graceful_shutdown=int(config.limits.time_limit_s) + 5,
        limit_concurrency=1024, timeout_keep_alive=5,
    ))  # fmt: skip
    server.run()
