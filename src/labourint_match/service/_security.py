"""Who gets in, how much they may send, and what the access log keeps.

- :class:`KeyCheck`: every API route but ``/healthz`` needs ``Authorization: Bearer KEY`` or
  ``X-API-Key: KEY``, checked against the hashed keys from the headers alone, before a byte of
  the body is read (401 otherwise); an API ``POST`` must be ``application/json`` (415), which a
  cross-site form cannot send. With ``insecure_local`` every request is the adviser ``local``.
  :func:`require_key` is the route's dependency that reads the result (and documents the schemes
  in OpenAPI). The adviser page (``/adviser``) has its own sessions.
- :class:`BodyLimit`: refuses a body over the limit with 413, by its ``Content-Length`` or, when
  streamed, as soon as the bytes read pass it — before the whole body is held.
- :class:`AccessLog`: one line per request — method, the route's *template*
  (``/adviser/candidates/{candidate_id}``, never the path or query, which can hold ids or free
  text), status and milliseconds — plus security headers on every response.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from fastapi import HTTPException, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["AccessLog", "BodyLimit", "KeyCheck", "require_key", "route_of"]

access_log = logging.getLogger("labourint_match.service.access")
_log = logging.getLogger("labourint_match.service")

#: Routes open without a key: liveness, and the adviser page (which signs advisers in itself).
_OPEN = ("/healthz",)
_PAGE = "/adviser"
_BEARER = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer KEY`.")
_HEADER = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key.")

#: Sent on every response: no framing, no sniffing, no referrer, no scripts from anywhere.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; "
        b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
)


def route_of(request: Request) -> str:
    """The route's template, never the raw path (which can hold ids or text)."""
    return getattr(request.scope.get("route"), "path", "-")


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def bearer(scope: Scope) -> str | None:
    """The key a request carries, from ``Authorization: Bearer`` or ``X-API-Key``."""
    scheme, _, token = _header(scope, b"authorization").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    key = _header(scope, b"x-api-key").strip()
    return key or None


_KEY_REQUIRED = "a valid API key is required: 'Authorization: Bearer KEY' or 'X-API-Key: KEY'"


def require_key(
    request: Request,
    _bearer: HTTPAuthorizationCredentials | None = Security(_BEARER),  # noqa: B008 - FastAPI
    _header_key: str | None = Security(_HEADER),
) -> str:
    """The adviser id of the request's key, as :class:`KeyCheck` found it (401 otherwise)."""
    adviser = request.scope.get("state", {}).get("adviser")
    if not isinstance(adviser, str):
        raise HTTPException(401, _KEY_REQUIRED, headers={"WWW-Authenticate": "Bearer"})
    return adviser


async def _refuse(
    send: Send, status: int, detail: str, headers: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"), *headers, *SECURITY_HEADERS,
    ]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


class KeyCheck:
    """ASGI middleware: the key (from the headers) and the content type, before the body is read."""

    def __init__(self, app: ASGIApp, keys: Any) -> None:
        self.app = app
        self.keys = keys  # a KeyRing, or None for insecure_local

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if (
            scope["type"] != "http"
            or path in _OPEN
            or path == _PAGE
            or path.startswith(_PAGE + "/")
        ):
            await self.app(scope, receive, send)
            return
        if self.keys is None:
            adviser: str | None = "local"
        else:
            key = bearer(scope)
            adviser = self.keys.check(key) if key is not None else None
        if adviser is None:
            await _refuse(send, 401, _KEY_REQUIRED, ((b"www-authenticate", b"Bearer"),))
            return
        if scope.get("method") == "POST":
            kind = _header(scope, b"content-type").split(";")[0].strip().lower()
            if kind != "application/json":
                await _refuse(send, 415, "send the body as application/json")
                return
        scope.setdefault("state", {})["adviser"] = adviser
        await self.app(scope, receive, send)


class BodyLimit:
    """ASGI middleware: bodies over `max_bytes` get 413 before they are held whole."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        detail = f"the body is over the limit of {self.max_bytes:,} bytes"
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _refuse(send, 400, "Content-Length is not a number")
                    return
                if declared > self.max_bytes:
                    await _refuse(send, 413, detail)
                    return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLargeError
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except _TooLargeError:
            if not started:
                await _refuse(send, 413, detail)


class _TooLargeError(Exception):
    """A streamed body passed the limit."""


class AccessLog:
    """ASGI middleware: one access-log line per request (no ids, no query), security headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", ()))
                present = {name for name, _ in headers}
                headers += [h for h in SECURITY_HEADERS if h[0] not in present]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:  # the class only: a message may hold input
            # Caught here, inside Starlette's outermost error middleware, which would log the
            # traceback (and with it whatever the exception's message or chain holds).
            _log.error("internal error on %s %s: %s", scope.get("method", "-"),
                       getattr(scope.get("route"), "path", None) or "(no route)",
                       exc.__class__.__name__)  # fmt: skip
            if status == 0:
                await _refuse(send, 500, "internal error; the service log has its class")
                status = 500
        finally:
            route = getattr(scope.get("route"), "path", None) or "(no route)"
            access_log.info("%s %s %d %.1fms", scope.get("method", "-"), route, status,
                            (time.perf_counter() - start) * 1000)  # fmt: skip
