"""The web layer's guards: who is logged in, CSRF, login and turn rate limits and protective headers.

Sessions are signed cookies (Starlette's SessionMiddleware, itsdangerous): HTTP-only, Secure,
SameSite=strict, holding the user's name, the account's session generation (logging out bumps
it, which ends every session of the account) and a CSRF token. Every state-changing request
carries that token back (a form field or the X-CSRF-Token header), compared in constant time;
the WebSocket checks its Origin. No CORS headers are ever sent, so other sites cannot read
anything. Why this design: docs/decisions/0017-web-app.md.
"""

from __future__ import annotations

import hmac
import os
import secrets
import time
from collections import deque
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, WebSocket
from fastapi import Path as InPath
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from os1.interfaces.web.accounts import Accounts

# An id in a URL as the database can hold it: a larger number is a clear 422, never a 500.
RowId = Annotated[int, InPath(ge=1, le=2**63 - 1)]

COOKIE = "os1_session"
SESSION_MAX_AGE_S = 14 * 24 * 3600
LOGIN_FAILURES = 5  # wrong passwords allowed per window, per address and per account name
LOGIN_WINDOW_S = 300.0
TURNS_PER_MINUTE = 20
HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
     b"base-uri 'none'; form-action 'self'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


def session_secret(data_dir: Path) -> str:
    """The key that signs session cookies, made once (mode 0600); deleting it logs everyone out."""
    path = data_dir / "web" / "session.key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text("ascii").strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return path.read_text("ascii").strip()


class SecurityHeaders:
    """Adds the protective headers to every HTTP response (a pure ASGI middleware, so streamed
    replies stay streamed)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


def csrf_token(request: Request) -> str:
    """This session's CSRF token (made on first need, also before login: the login form has one)."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(24)
    return str(token)


def check_csrf(request: Request, given: str | None) -> None:
    expected = request.session.get("csrf")
    given = given or request.headers.get("x-csrf-token", "")
    if not expected or not hmac.compare_digest(str(expected), given):
        raise HTTPException(403, "The form was stale or not from this page: reload it and try again.")


def log_in(request: Request, user: str, generation: int) -> None:
    request.session.clear()
    request.session.update({"user": user, "gen": generation, "csrf": secrets.token_urlsafe(24)})


def session_user(conn: Request | WebSocket, accounts: Accounts) -> str | None:
    """The logged-in user, or None (no cookie, a forged one, or a session ended by logout)."""
    user = conn.session.get("user")
    if not isinstance(user, str):
        return None
    gen = accounts.generation(user)
    return user if gen is not None and gen == conn.session.get("gen") else None


def same_origin(ws: WebSocket) -> bool:
    """A WebSocket opened by this site's own page (browsers always send Origin on one)."""
    origin = ws.headers.get("origin")
    host = ws.headers.get("host")
    return bool(origin and host) and urlsplit(origin).netloc == host


class RateLimit:
    """At most `limit` events per `window_s` for each key (a sliding window, kept in memory:
    a restart forgets it, which costs an attacker a restart of someone else's server)."""

    def __init__(self, limit: int, window_s: float) -> None:
        self.limit = limit
        self.window_s = window_s
        self._seen: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        times = self._seen.setdefault(key, deque())
        while times and times[0] < time.monotonic() - self.window_s:
            times.popleft()
        return times

    def retry_after(self, *keys: str) -> int:
        """Seconds to wait before the next event of any of `keys`, 0 when it may happen now."""
        waits = [self.window_s - (time.monotonic() - times[0])
                 for times in map(self._recent, keys) if len(times) >= self.limit]
        return int(max(waits)) + 1 if waits else 0

    def hit(self, *keys: str) -> None:
        for key in keys:
            self._recent(key).append(time.monotonic())


def login_limit() -> RateLimit:
    """Wrong passwords, counted per address and per account name (so neither one client nor a
    crowd can guess one password quickly)."""
    return RateLimit(LOGIN_FAILURES, LOGIN_WINDOW_S)


def turn_limit() -> RateLimit:
    """Turns per user, from the page and the API together: a leaked key cannot keep the model
    busy for everyone."""
    return RateLimit(TURNS_PER_MINUTE, 60.0)
