"""A long tool's steps (ToolContext.report) reach the turn's event stream while the tool still
runs, from its worker thread too; the model never sees them; stopping the turn stops the tool."""

import asyncio
import threading

from os1.core.conversation import Companion
from os1.core.tools import tool
from os1.events import EventType
from os1.models.base import ToolCall
from os1.plugins import tools as registered_tools
from tests.fakes import ScriptedLLM

gate = threading.Event()
stopped: list[bool] = []


@tool
async def long_job(ctx) -> str:
    """Make something that takes a while."""
    def work() -> str:
        ctx.report("Choosing the letters…")
        opened = gate.wait(10)  # opened by the test on seeing the first step: it came while running
        ctx.report("Writing the PDF (212 pages)…")
        return "made it" if opened else "the first step was not seen in time"
    return await asyncio.to_thread(work)


@tool
async def endless(ctx) -> str:
    """Never finishes on its own."""
    ctx.report("Started…")
    try:
        await asyncio.sleep(60)
    except asyncio.CancelledError:
        stopped.append(True)
        raise
    return "never"


def make(settings, store, *steps):
    tools = {**registered_tools(), "long_job": long_job, "endless": endless}
    return Companion(settings, ScriptedLLM(*steps), store, tools)


async def test_steps_arrive_while_the_tool_runs_and_stay_out_of_the_prompt(settings, store):
    gate.clear()
    c = make(settings, store, ToolCall("a", "long_job", {}), "Your book is made.")
    events = []
    async for event in (await c.session()).turn("make my book"):
        events.append(event)
        if event.type == EventType.TOOL_PROGRESS and event.data["step"] == "Choosing the letters…":
            assert not any(e.type == EventType.TOOL_RESULT for e in events)  # the tool still runs
            gate.set()
    kinds = [e.type for e in events if e.type != EventType.TEXT]
    start = kinds.index(EventType.TOOL_CALL)
    assert kinds[start:start + 4] == [EventType.TOOL_CALL, EventType.TOOL_PROGRESS,
                                      EventType.TOOL_PROGRESS, EventType.TOOL_RESULT]
    steps = [e.data for e in events if e.type == EventType.TOOL_PROGRESS]
    assert steps[1] == {"tool": "long_job", "id": "a", "step": "Writing the PDF (212 pages)…"}
    assert [e.data["result"] for e in events if e.type == EventType.TOOL_RESULT] == ["made it"]
    assert not any("Choosing" in str(m.get("content")) for m in c.llm.prompts[-1])
    stored = (await store.traces("tester"))[0]["events"]
    assert [e["step"] for e in stored if e["type"] == "tool-progress"] == [s["step"] for s in steps]


async def test_a_tool_without_steps_runs_as_before(settings, store):
    c = make(settings, store, ToolCall("a", "core_memory_append", {"block": "human", "text": "Likes tea."}), "Noted.")
    events = [e async for e in (await c.session()).turn("I like tea")]
    assert not any(e.type == EventType.TOOL_PROGRESS for e in events)
    assert [e.data["ok"] for e in events if e.type == EventType.TOOL_RESULT] == [True]


async def test_stopping_the_turn_stops_the_running_tool(settings, store):
    stopped.clear()
    c = make(settings, store, ToolCall("a", "endless", {}), "never said")
    turn = (await c.session()).turn("run forever")
    async for event in turn:
        if event.type == EventType.TOOL_PROGRESS:
            break
    await turn.aclose()
    assert stopped == [True]
