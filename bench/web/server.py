"""The web benches' server: `os1 serve`'s app around a companion with the embedded model, on
127.0.0.1 in the bench's own event loop, and a client that logs in as a browser does (the
session cookie, the CSRF token of the login form) and opens the app's WebSockets."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import uvicorn
import websockets

from os1.core.conversation import Companion
from os1.interfaces.web.security import COOKIE, RateLimit
from os1.interfaces.web.server import create_app

PASSWORD = "bench password"
CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def serving(companion: Companion, users: list[str]) -> AsyncIterator[str]:
    """The app on 127.0.0.1 around `companion`, with an account for each of `users`; its address.
    The turn limit is lifted: a bench sends more turns a minute than a person."""
    async with serving_app(companion, users) as (base, _):
        yield base


@contextlib.asynccontextmanager
async def serving_app(companion: Companion, users: list[str]) -> AsyncIterator[tuple[str, Any]]:
    """`serving`, with the app too (a bench that reads its state: the loaded voice models)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app(companion.settings, base_url=base, companion=companion)
    state = app.state.web
    state.turns = RateLimit(10_000, 60)
    for user in users:
        await state.accounts.create(state.accounts.new_setup_token(), user, PASSWORD)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    for _ in range(200):  # bounded: 10 s
        if server.started or task.done():
            break
        await asyncio.sleep(0.05)
    if not server.started:
        raise SystemExit("the web server did not start")
    try:
        yield base, app
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)


async def log_in(base: str, user: str) -> str:
    """The session cookie of `user`, from the login form as a browser sends it."""
    async with httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=30) as http:
        form = await http.get("/login")
        found = CSRF_RE.search(form.text)
        cookie = form.cookies.get(COOKIE, "")
        http.cookies.clear()  # sent by hand: the cookie is Secure, httpx keeps it for https only
        answer = await http.post("/login", data={"name": user, "password": PASSWORD, "csrf": found.group(1) if found else ""},
                                 headers={"Cookie": f"{COOKIE}={cookie}"})
        if answer.status_code != 303:
            raise SystemExit(f"login as {user} failed: {answer.status_code}")
        return str(answer.cookies.get(COOKIE))


def connect(base: str, path: str, cookie: str) -> Any:
    """A WebSocket to the app, from the page's own origin, as the logged-in browser."""
    return websockets.connect(base.replace("http", "ws") + path, origin=base,  # type: ignore[arg-type]
                              additional_headers={"Cookie": f"{COOKIE}={cookie}"}, max_size=2**22)
