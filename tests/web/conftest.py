"""Web fixtures: the app around a companion, served for real on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from web_helpers import Visitor, free_port, running

from os1.config import Settings
from os1.core.conversation import Companion
from os1.interfaces.web.server import create_app
from os1.plugins import tools as registered_tools
from os1.storage.sqlite import SqliteStore
from tests.fakes import ScriptedLLM

PASSWORD = "correct horse battery"


@pytest.fixture
def llm() -> ScriptedLLM:
    return ScriptedLLM()


@pytest.fixture
async def served(settings: Settings, store: SqliteStore, llm: ScriptedLLM, capsys: Any) -> AsyncIterator[dict[str, Any]]:
    """A running server around a scripted companion; `link` is the setup link it printed."""
    port = free_port()
    companion = Companion(settings, llm, store, registered_tools())
    app = create_app(settings, base_url=f"http://127.0.0.1:{port}", companion=companion)
    async with running(app, port) as base:
        printed = capsys.readouterr().out
        link = next(w for w in printed.split() if "/setup?token=" in w)
        yield {"base": base, "link": link, "app": app, "store": store, "llm": llm, "settings": settings}


@pytest.fixture
async def visitor(served: dict[str, Any]) -> AsyncIterator[Visitor]:
    v = Visitor(served["base"])
    yield v
    await v.aclose()


async def account(served: dict[str, Any], name: str) -> Visitor:
    """A visitor logged in to a new account `name` (made with a fresh one-time link)."""
    state = served["app"].state.web
    v = Visitor(served["base"])
    response = await v.setup(state.setup_link(), name, PASSWORD)
    assert response.status_code == 303, response.text
    await v.get("/settings")  # as a browser follows the redirect: the new session's CSRF token
    return v


async def logged_in(served: dict[str, Any], name: str) -> Visitor:
    """A visitor logged in to the existing account `name`."""
    v = Visitor(served["base"])
    assert (await v.login(name, PASSWORD)).status_code == 303
    await v.get("/settings")
    return v
