"""The ASGI layer every request passes before reaching a route.

In order: the Host check (a page on another site cannot reach a loopback server by DNS rebinding),
the access token, the request-size limit (413 before the app sees a byte of an oversized body),
security headers on every response (CSP: the page loads nothing from elsewhere; no caching of
results, which hold note text), and one access-log line: method, path, status and milliseconds.
Never the query string, headers or body: notes are PHI. An unexpected exception is logged by its
type only and answered with E704.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from starlette.responses import JSONResponse, RedirectResponse, Response

from nlp.errors import Errors

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("neurocode.web.access")

TOKEN_COOKIE = "neurocode_token"
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                                 b"frame-ancestors 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


def error_body(error: Errors, **kwargs: object) -> dict[str, str]:
    """The JSON body of every error answer: the numbered error and its message."""
    return {"error": error.name, "message": error.format(**kwargs)}


class Guard:
    def __init__(self, app: ASGIApp, *, token: str | None, max_bytes: int,
                 allowed_hosts: frozenset[str] | None = None) -> None:
        self.app = app
        self.token = token
        self.max_bytes = max_bytes
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = {"code": 0}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        try:
            refusal = self._refuse(scope)
            body = await self._read_body(scope, receive) if refusal is None else refusal
            if isinstance(body, Response):
                await body(scope, receive, send_with_headers)
            else:
                await self.app(scope, _replay(body, receive), send_with_headers)
        except Exception as e:  # the one place that turns any crash into E704 without its message
            log.error("%s %s failed: %s", scope["method"], scope["path"], type(e).__name__)
            if status["code"] == 0:
                resp = JSONResponse(error_body(Errors.E704, kind=type(e).__name__, path=scope["path"]), 500)
                await resp(scope, receive, send_with_headers)
        finally:
            log.info("%s %s %d %.1fms", scope["method"], scope["path"], status["code"],
                     (time.perf_counter() - start) * 1000)

    def _refuse(self, scope: Scope) -> Response | None:
        """A 400 for a foreign Host, a 401 without the token, or the page's token hand-off."""
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        if self.allowed_hosts is not None:
            host = headers.get("host", "").rsplit(":", 1)[0].strip("[]").lower()
            if host not in self.allowed_hosts:
                return JSONResponse(error_body(Errors.E702, detail="the Host header is not this server's"), 400)
        if self.token is None:
            return None
        if _matches(_presented_tokens(scope, headers), self.token):
            return None
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if scope["method"] == "GET" and scope["path"] == "/" and _matches(query.get("token", []), self.token):
            # the printed address carries the token once: keep it in a same-site cookie, drop it from the URL
            redirect = RedirectResponse("/", status_code=303)
            redirect.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
            return redirect
        return JSONResponse(error_body(Errors.E703), 401, headers={"www-authenticate": "Bearer"})

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | Response:
        """The whole body, or a 413 as soon as it is known to be over the limit."""
        too_large = JSONResponse(error_body(Errors.E701, limit=self.max_bytes), 413)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            return too_large
        chunks: list[bytes] = []
        size = 0
        more = scope["method"] not in ("GET", "HEAD")
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return too_large
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)


def _presented_tokens(scope: Scope, headers: dict[str, str]) -> list[str]:
    found = []
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        found.append(auth[7:].strip())
    if "x-neurocode-token" in headers:
        found.append(headers["x-neurocode-token"])
    if "cookie" in headers:
        jar: SimpleCookie = SimpleCookie()
        jar.load(headers["cookie"])
        if TOKEN_COOKIE in jar:
            found.append(jar[TOKEN_COOKIE].value)
    return found


def _matches(candidates: list[str], token: str) -> bool:
    return any(hmac.compare_digest(c.encode(), token.encode()) for c in candidates)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
