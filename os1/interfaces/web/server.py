"""`os1 serve`: one process serving the web app and the OpenAI-compatible API for every account.

The process opens the companion once (model, store, tools, memory: os1.core.runtime) and each
page or API call talks to `Companion.session(user)` of the logged-in user, so the web layer
shows and forwards, and the core decides, exactly as in the terminal.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from os1.config import Settings
from os1.core.conversation import Companion, Session
from os1.core.runtime import close_companion, open_companion
from os1.core.tools import ConfirmationRequest
from os1.interfaces.web.accounts import Accounts
from os1.interfaces.web.jobs import Jobs
from os1.interfaces.web.security import (
    COOKIE,
    SESSION_MAX_AGE_S,
    RateLimit,
    SecurityHeaders,
    login_limit,
    session_secret,
    turn_limit,
)
from os1.interfaces.web.tls import ensure_certificate, fingerprint, machine_names
from os1.memory.index import MemoryIndex
from os1.models.embedder import shared_embedder
from os1.models.switch import SwitchableLLM
from os1.storage.base import Store

HERE = Path(__file__).parent
DEFAULT_PORT = 8000


@dataclass
class WebState:
    """What every request may use: the settings, the one companion, the accounts."""

    settings: Settings
    accounts: Accounts
    base_url: str
    companion: Companion | None = None
    logins: RateLimit = field(default_factory=login_limit)  # wrong passwords
    turns: RateLimit = field(default_factory=turn_limit)
    _turns: dict[str, asyncio.Lock] = field(default_factory=dict)
    _api: dict[str, Session] = field(default_factory=dict)
    voices: dict[str, Any] = field(default_factory=dict)  # loaded voice models, by voice (voice.py)
    jobs: Jobs = field(default_factory=Jobs)  # long work started from a page (jobs.py)
    model_lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # one model change at a time

    @property
    def core(self) -> Companion:
        assert self.companion is not None, "the companion opens when the server starts"
        return self.companion

    @property
    def db(self) -> Store:
        """The companion's store: its repositories and the database API the reminder schedule,
        the time preferences and the accounts of servers use."""
        return self.core.store

    @property
    def model(self) -> SwitchableLLM:
        """The companion's model, which the settings page may swap while the server runs."""
        llm = self.core.llm
        assert isinstance(llm, SwitchableLLM), "create_app and open_companion make it swappable"
        return llm

    @contextlib.asynccontextmanager
    async def turn(self, user: str) -> AsyncIterator[None]:
        """Around one turn of `user`: one at a time per user, whether it comes from a page or
        the API, and on one model from its start to its end, even if the model is changed
        meanwhile (the next turn uses the new one)."""
        async with self._turns.setdefault(user, asyncio.Lock()), self.model.pinned():
            yield

    async def api_session(self, user: str) -> Session:
        """The user's session for the API, kept between requests (its routing remembers the
        previous turn, which a conversation over the API needs too). Nobody is there to answer
        a consent question, so side effects are declined, unless the user turned them on for
        the API on the settings page (read at each question, so a change counts at once)."""
        if user not in self._api:
            async def confirm(_: ConfirmationRequest) -> bool:
                return self.accounts.api_acts(user)

            self._api[user] = await self.core.session(user, confirm=confirm)
        return self._api[user]

    def index(self) -> MemoryIndex:
        memory = self.core.memory
        return memory.index if memory is not None else MemoryIndex(self.core.store, shared_embedder())

    def setup_link(self) -> str:
        return f"{self.base_url}/setup?token={self.accounts.new_setup_token()}"


def create_app(
    settings: Settings, *, base_url: str = f"http://127.0.0.1:{DEFAULT_PORT}",
    companion: Companion | None = None, invite: bool = False,
) -> FastAPI:
    """The app. With `companion` (tests) it is used as it is and not closed; without one, the
    server opens the user's companion at start and closes it at the end."""
    from os1.interfaces.web import (
        agenda,
        events,
        files,
        letters,
        live,
        mail,
        music,
        openai_api,
        pages,
        rest,
        settings_page,
        voice,
    )

    if companion is not None and not isinstance(companion.llm, SwitchableLLM):
        companion.llm = SwitchableLLM(companion.llm)
    state = WebState(settings, Accounts(settings.data_dir), base_url.rstrip("/"), companion)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        own = state.companion is None
        if own:
            state.companion = await open_companion(settings)
        print(f"OS1 is at {state.base_url}/", flush=True)
        if invite or not state.accounts.any():
            what = "make an account" if state.accounts.any() else "make your account"
            print(f"Open this one-time link to {what}: {state.setup_link()}", flush=True)
        try:
            yield
        finally:
            await state.jobs.close()
            if own and state.companion is not None:
                await close_companion(state.companion)

    app = FastAPI(title="OS1", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.web = state
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.add_middleware(
        SessionMiddleware, secret_key=session_secret(settings.data_dir), session_cookie=COOKIE,
        max_age=SESSION_MAX_AGE_S, same_site="strict", https_only=True,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(pages.router)
    app.include_router(settings_page.router)
    app.include_router(agenda.router)
    app.include_router(events.router)
    app.include_router(music.router)
    app.include_router(mail.router)
    app.include_router(files.router)
    app.include_router(letters.router)
    app.include_router(live.router)
    app.include_router(openai_api.router)
    app.include_router(rest.router)
    app.include_router(voice.router)
    return app


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    settings: Settings, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *, invite: bool = False, tls: bool = False,
) -> int:
    """Run the server until Ctrl-C."""
    shown = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):  # every address: show one a phone on the network can reach
        shown = next((n for n in machine_names(host)[3:] if not is_loopback(n) and "." in n
                      and n.replace(".", "").isdigit()), socket.gethostname())
    base_url = f"{'https' if tls else 'http'}://{shown}:{port}"
    ssl: dict[str, str] = {}
    if tls:
        cert, key, ca = ensure_certificate(settings.data_dir, machine_names(host))
        ssl = {"ssl_certfile": str(cert), "ssl_keyfile": str(key)}
        print(f"HTTPS with this machine's own certificate authority. On a phone, install "
              f"{base_url}/tls/ca.pem once, after checking that its SHA-256 fingerprint is "
              f"{fingerprint(ca)}")
    elif not is_loopback(host):
        print(f"Listening on {host}: other machines can reach this page, but over plain HTTP their "
              "browsers will not keep the secure session cookie. Add --tls.")
    app = create_app(settings, base_url=base_url, invite=invite)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on",
                            ws="websockets-sansio", proxy_headers=False, **ssl)  # type: ignore[arg-type]
    asyncio.run(uvicorn.Server(config).serve())
    return 0
