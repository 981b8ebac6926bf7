"""A scripted LLM for unit tests of the core. It implements the real LLM interface; tests that
are about the model itself use the real embedded model instead."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from os1.errors import ModelUnavailableError
from os1.models.base import ChatChunk, Message, ModelInfo, ToolCall


class ScriptedLLM:
    """Each call pops the next scripted step: a str (streamed word by word), a ToolCall, or an
    Exception (raised). Records every prompt it was given."""

    def __init__(self, *steps: Any, delay: float = 0.0) -> None:
        self.steps = list(steps)
        self.delay = delay
        self.prompts: list[list[Message]] = []
        self.must_call: list[bool] = []  # per stream_chat call: whether a call was required
        self.tools_offered: list[list[dict[str, Any]] | None] = []  # those it may call, per call
        self.schemas_shown: list[list[dict[str, Any]] | None] = []  # those in the prompt
        self.info = ModelInfo("scripted", "scripted")
        self.stopped_early = False

    async def stream_chat(
        self,
        messages: list[Message],
        *,
        tools: list[dict[str, Any]] | None = None,
        allowed: Any = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        background: bool = False,
        must_call: bool = False,
    ) -> AsyncIterator[ChatChunk]:
        self.prompts.append([dict(m) for m in messages])
        self.must_call.append(must_call)
        self.schemas_shown.append(tools)
        if allowed is not None and tools:  # what the model may call; the prompt shows all
            tools = [t for t in tools if t["function"]["name"] in allowed] or None
        self.tools_offered.append(tools)
        step = self.steps.pop(0) if self.steps else "ok"
        if isinstance(step, Exception):
            raise step
        if isinstance(step, ToolCall):
            yield ChatChunk(tool_calls=[step], finish_reason="tool_calls")
            return
        words = step.split(" ")
        finished = False
        try:
            for i, word in enumerate(words):
                if self.delay:
                    await asyncio.sleep(self.delay)
                yield ChatChunk(text=word if i == 0 else " " + word)
            finished = True
            yield ChatChunk(finish_reason="stop", usage={"timings": {"predicted_n": len(words)}})
        finally:
            if not finished:
                self.stopped_early = True

    async def complete_json(self, messages: list[Message], schema: dict[str, Any], **_: Any) -> dict[str, Any]:
        self.prompts.append(messages)
        step = self.steps.pop(0) if self.steps else {}
        if isinstance(step, Exception):
            raise step
        return step

    async def aclose(self) -> None:
        return None


UNREACHABLE = ModelUnavailableError("Cannot reach the model server.", fix="Start it.")


async def interrupt_turn(session: Any, text: str, after: int = 3) -> None:
    """Run a turn and cancel it once `after` pieces of its reply have streamed (a user who
    speaks over the reply, or presses Ctrl-C)."""
    import pytest

    from os1.events import EventType

    got: list[str] = []

    async def consume() -> None:
        async for e in session.turn(text):
            if e.type == EventType.TEXT:
                got.append(e.data["text"])

    task = asyncio.create_task(consume())
    while len(got) < after:
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
