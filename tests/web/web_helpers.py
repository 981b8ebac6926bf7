"""A real server for web tests: uvicorn on 127.0.0.1 in the test's own event loop, and a small
HTTP client that logs in and keeps its session cookie and CSRF token the way a browser does."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from os1.interfaces.web.security import COOKIE

CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def running(app: FastAPI, port: int) -> AsyncIterator[str]:
    """Serve `app` on 127.0.0.1:`port` until the block ends."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    for _ in range(200):  # bounded: 10 s
        if server.started or task.done():
            break
        await asyncio.sleep(0.05)
    assert server.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


class Visitor:
    """One browser-like visitor: its own cookie, sent back by hand (the cookie is Secure, and
    Python's cookie jar keeps Secure cookies for https only; browsers keep them for 127.0.0.1)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=30)
        self.cookie = ""
        self.csrf = ""

    async def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = {**kw.pop("headers", {}), **({"Cookie": f"{COOKIE}={self.cookie}"} if self.cookie else {})}
        response = await self.http.request(method, path, headers=headers, **kw)
        self.http.cookies.clear()
        for header in response.headers.get_list("set-cookie"):
            if header.startswith(COOKIE + "="):
                self.cookie = header.split(";", 1)[0].split("=", 1)[1]
        if found := CSRF_RE.search(response.text if "text/html" in response.headers.get("content-type", "") else ""):
            self.csrf = found.group(1)
        return response

    async def get(self, path: str, **kw: Any) -> httpx.Response:
        return await self.request("GET", path, **kw)

    async def post(self, path: str, data: dict[str, str] | None = None, *, csrf: bool = True) -> httpx.Response:
        form = dict(data or {})
        if csrf:
            form.setdefault("csrf", self.csrf)
        return await self.request("POST", path, data=form)

    async def setup(self, link: str, name: str, password: str) -> httpx.Response:
        token = link.split("token=", 1)[1]
        await self.get(f"/setup?token={token}")
        return await self.post("/setup", {"token": token, "name": name, "password": password, "again": password})

    async def login(self, name: str, password: str) -> httpx.Response:
        await self.get("/login")
        return await self.post("/login", {"name": name, "password": password})

    async def aclose(self) -> None:
        await self.http.aclose()
