"""A real server for web tests: uvicorn on 127.0.0.1 in the test's own event loop, and a small
HTTP client that logs in and keeps its session cookie and CSRF token the way a browser does."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from os1.interfaces.web.security import COOKIE

CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')
CHROMIUM = "/usr/bin/chromium"  # Debian's (scripts/debian-packages.txt); never `playwright install`
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def running(app: FastAPI, port: int, **config: Any) -> AsyncIterator[str]:
    """Serve `app` on 127.0.0.1:`port` until the block ends (`config`: more uvicorn settings)."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **config))
    task = asyncio.create_task(server.serve())
    for _ in range(200):  # bounded: 10 s
        if server.started or task.done():
            break
        await asyncio.sleep(0.05)
    assert server.started, "the server did not start"
    try:
        yield f"{'https' if 'ssl_certfile' in config else 'http'}://127.0.0.1:{port}"
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


@contextlib.asynccontextmanager
async def serve_process(root: Path, user: str, home: Path | None = None) -> AsyncIterator[dict[str, Any]]:
    """`os1 serve` as a user starts it, with the real test model, in a data dir under `root`:
    its address, the setup link it printed, and the settings to read its data with. `home`:
    the user's home folder for it (the files page plans only inside it)."""
    from os1.config import load_settings
    from tests.conftest import REAL_MODELS, TEST_MODEL, model_installed

    if not model_installed():
        raise AssertionError(f"The test model {TEST_MODEL} is not installed: run 'make test'.")
    data = root / "data"
    data.mkdir()
    (data / "models").symlink_to(REAL_MODELS, target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS1_") or k == "OS1_LLM__THREADS"}
    env.update(OS1_DATA_DIR=str(data), OS1_CONFIG=str(root / "config.toml"), OS1_USER=user,
               OS1_LLM__MODEL=TEST_MODEL, OS1_LLM__TEMPERATURE="0", OS1_LLM__MAX_REPLY_TOKENS="96",
               OS1_LLM__SEED=os.environ.get("OS1_LLM__SEED", "7"))  # the same draws as the other tests
    if home is not None:
        env["HOME"] = str(home)
    port = free_port()
    log = root / "serve.log"
    with open(log, "wb") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "os1", "serve", "--port", str(port), env=env, stdout=out, stderr=out)
    try:
        link = ""
        for _ in range(600):  # bounded: 60 s
            if found := re.search(r"http://\S+/setup\?token=\S+", log.read_text()):
                link = found.group(0)
                break
            if proc.returncode is not None:
                break
            await asyncio.sleep(0.1)
        assert link, log.read_text()
        for _ in range(100):  # the link is printed as the app starts; the port opens right after
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            except OSError:
                await asyncio.sleep(0.1)
        yield {"base": f"http://127.0.0.1:{port}", "link": link, "log": log,
               "settings": load_settings(data_dir=data, user=user)}
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(proc.wait(), 30)
        except TimeoutError:
            proc.kill()
            await proc.wait()
