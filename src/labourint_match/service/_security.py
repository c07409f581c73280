"""Who gets in, how much they may send, and what the access log keeps.

- :func:`require_key`: a FastAPI dependency; ``Authorization: Bearer KEY`` or ``X-API-Key: KEY``,
  checked against the hashed keys (401 otherwise). With ``insecure_local`` every request is the
  adviser ``local``.
- :class:`BodyLimit`: refuses a body over the limit with 413, by its ``Content-Length`` or, when
  streamed, as soon as the bytes read pass it — before the whole body is held.
- :class:`AccessLog`: one line per request — method, the route's *template*
  (``/adviser/candidates/{candidate_id}``, never the path or query, which can hold ids or free
  text), status and milliseconds — plus security headers on every response.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["AccessLog", "BodyLimit", "require_key", "route_of"]

access_log = logging.getLogger("labourint_match.service.access")

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


def bearer(request: Request) -> str | None:
    """The key a request carries, from ``Authorization: Bearer`` or ``X-API-Key``."""
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    key = request.headers.get("x-api-key", "").strip()
    return key or None


def require_key(request: Request) -> str:
    """The adviser id of the request's key (401 when it has none or an unknown one)."""
    state: Any = request.app.state.service
    if state.keys is None:  # insecure_local: a laptop, loopback only
        return "local"
    key = bearer(request)
    adviser = state.keys.check(key) if key is not None else None
    if adviser is None:
        raise HTTPException(
            401,
            "a valid API key is required: 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    request.state.adviser = adviser
    return str(adviser)


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = ('{"detail":"' + detail + '"}').encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"), *SECURITY_HEADERS,
    ]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


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
        finally:
            route = getattr(scope.get("route"), "path", None) or "(no route)"
            access_log.info("%s %s %d %.1fms", scope.get("method", "-"), route, status,
                            (time.perf_counter() - start) * 1000)  # fmt: skip
