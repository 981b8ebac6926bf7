"""An embedded model chosen on the settings page starts loading as soon as it is saved, in the
background: the save answers at once, every page answers while it loads, the settings page says
"loading…" then "ready" (or why not), and its first reply does not wait for it. The engine's
construction is held by the test (a gate), then the real engine loads (marked `model`)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from conftest import account

from os1.errors import ModelError
from os1.models.embedded import EmbeddedLLM

EMBEDDED = "qwen2.5-coder-0.5b"
STATE = '<dd id="model-state" role="status">'


async def shown_state(visitor: Any) -> str:
    page = (await visitor.get("/settings")).text
    return page.split(STATE, 1)[1].split("</dd>", 1)[0] if STATE in page else ""


async def until_state(visitor: Any, prefix: str, seconds: float) -> str:
    for _ in range(int(seconds * 10)):  # bounded
        if (state := await shown_state(visitor)).startswith(prefix):
            return state
        await asyncio.sleep(0.1)
    raise AssertionError(f"the page never said {prefix!r} (it says {await shown_state(visitor)!r})")


async def test_a_saved_embedded_model_loads_in_the_background(served, monkeypatch):
    gate, built = threading.Event(), threading.Event()
    engine = object()

    def build(self: EmbeddedLLM) -> object:  # the engine takes as long as the test says
        built.set()
        assert gate.wait(20)
        return engine

    monkeypatch.setattr(EmbeddedLLM, "_build", build)
    alice = await account(served, "alice")
    state = served["app"].state.web
    assert await shown_state(alice) == ""  # the tests' scripted model: nothing to load

    saved = await alice.post("/settings/model", {"pick": f"embedded:{EMBEDDED}"})
    assert saved.status_code == 303  # saved without waiting for the model
    assert await asyncio.to_thread(built.wait, 10)  # ...which is loading meanwhile
    page = (await alice.get("/settings")).text
    assert f"{STATE}loading…</dd>" in page and 'http-equiv="refresh"' in page
    assert (await alice.get("/memory")).status_code == 200  # the server answers while it loads
    llm = state.model.current
    assert isinstance(llm, EmbeddedLLM) and not llm.loaded

    gate.set()
    assert await until_state(alice, "ready", 10) == "ready"
    assert llm.loaded and await llm.load() is engine  # the first reply finds it loaded
    assert 'http-equiv="refresh"' not in (await alice.get("/settings")).text

    def broken(self: EmbeddedLLM) -> object:
        raise ModelError("llama.cpp could not load the file.", fix="Run 'os1 models check'.")

    monkeypatch.setattr(EmbeddedLLM, "_build", broken)
    assert (await alice.post("/settings/model", {"pick": f"embedded:{EMBEDDED}"})).status_code == 303
    said = await until_state(alice, "not loaded", 10)
    assert "llama.cpp could not load the file." in said
    await alice.aclose()


async def test_choosing_again_while_it_loads_stops_that_load(served, monkeypatch):
    gate = threading.Event()
    started = []

    def build(self: EmbeddedLLM) -> object:
        started.append(self)
        assert gate.wait(20)
        return object()

    monkeypatch.setattr(EmbeddedLLM, "_build", build)
    alice = await account(served, "alice")
    state = served["app"].state.web
    await alice.post("/settings/model", {"pick": f"embedded:{EMBEDDED}"})
    first = state.model.current
    await alice.post("/settings/model", {"pick": f"embedded:{EMBEDDED}"})
    second = state.model.current
    assert first is not second and await shown_state(alice) == "loading…"
    gate.set()
    assert await until_state(alice, "ready", 10) == "ready"
    await state.model.settled()
    assert second.loaded and not first.loaded  # the first one's engine was dropped, not kept
    await alice.aclose()


@pytest.mark.model
async def test_the_real_model_is_ready_before_its_first_reply(served):
    alice = await account(served, "alice")
    state = served["app"].state.web
    assert (await alice.post("/settings/model", {"pick": f"embedded:{EMBEDDED}"})).status_code == 303
    assert await until_state(alice, "ready", 60) == "ready"
    llm = state.model.current
    assert isinstance(llm, EmbeddedLLM) and llm.loaded and llm.listening_address
    await alice.aclose()
