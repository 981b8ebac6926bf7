"""The swappable model: new calls go to the new backend, a pinned turn and a call in flight
finish on the old one, and the old one is closed only when nothing uses it any more."""

from __future__ import annotations

import asyncio

from os1.models.switch import SwitchableLLM
from tests.fakes import ScriptedLLM


class Closing(ScriptedLLM):
    def __init__(self, *steps: object, delay: float = 0.0) -> None:
        super().__init__(*steps, delay=delay)
        self.closed = False

    async def aclose(self) -> None:
        self.closed = True


async def words(llm: SwitchableLLM, text: str = "hi") -> str:
    return "".join([c.text async for c in llm.stream_chat([{"role": "user", "content": text}])])


async def test_a_pinned_turn_finishes_on_its_model_and_the_next_uses_the_new_one():
    old, new = Closing("first step", "second step"), Closing("new model")
    llm = SwitchableLLM(old)
    async with llm.pinned():
        assert await words(llm) == "first step"
        assert llm.swap(new) is old and llm.info is new.info
        assert await words(llm) == "second step"  # the turn's next step: still the old model
        await asyncio.sleep(0.05)
        assert not old.closed  # the turn still holds it
    await llm.settled()
    assert old.closed and not new.closed
    assert await words(llm) == "new model"
    assert len(old.prompts) == 2 and len(new.prompts) == 1


async def test_a_stream_in_flight_ends_on_the_old_model_which_is_closed_after():
    old, new = Closing("one two three four five", delay=0.02), Closing("fresh")
    llm = SwitchableLLM(old)
    stream = llm.stream_chat([{"role": "user", "content": "count"}])
    first = await anext(stream)
    llm.swap(new)
    assert await words(llm) == "fresh"  # a call begun after the swap: the new model
    rest = "".join([c.text async for c in stream])
    assert first.text + rest == "one two three four five"
    await llm.settled()
    assert old.closed


async def test_a_task_outliving_its_pinned_turn_moves_to_the_new_model():
    """Background work started within a turn (memory learning) inherits the turn's pin; once
    the old model is closed it must not be called."""
    old, new = Closing("old"), Closing("new")
    llm = SwitchableLLM(old)
    started = asyncio.Event()
    go = asyncio.Event()

    async def later() -> str:
        started.set()
        await go.wait()
        return await words(llm)

    async with llm.pinned():
        task = asyncio.create_task(later())
        await started.wait()
    llm.swap(new)
    await llm.settled()
    go.set()
    assert await task == "new" and old.closed and old.prompts == []


async def test_json_calls_and_closing():
    old = Closing({"ok": 1})
    llm = SwitchableLLM(old)
    assert await llm.complete_json([{"role": "user", "content": "x"}], {"type": "object"}) == {"ok": 1}
    await llm.aclose()
    assert old.closed
