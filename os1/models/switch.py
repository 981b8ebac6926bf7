"""A model that can be replaced while the companion runs (the web app's settings page).

Everything that uses the model (sessions, their tools, the memory learner, reflection) holds
this one object, so a swap reaches all of them at once without a restart. What was already
under way finishes on the model it began on: a call in flight, and a turn that `pinned()` its
model; the old model is closed only once nothing uses it any more.

A turn is pinned wherever a model may be swapped under it: the web page's and the API's text
turns (WebState.turn), and spoken turns (the page's voice and `os1 talk`, `pinned_turn`).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import AsyncGenerator, AsyncIterator, Collection, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from os1.models.base import LLM, ChatChunk, Message, ModelInfo


@dataclass(eq=False)
class _Slot:
    """One backend with the number of calls and pinned turns using it."""

    llm: LLM
    uses: int = 0
    retired: bool = False
    idle: asyncio.Event = field(default_factory=asyncio.Event)


_pinned: contextvars.ContextVar[_Slot | None] = contextvars.ContextVar("os1_pinned_model", default=None)


def pinned_turn(llm: object) -> contextlib.AbstractAsyncContextManager[None]:
    """Around one turn: one turn, one model. The swappable model's pin; any other model cannot
    change under the turn, so there is nothing to hold."""
    return llm.pinned() if isinstance(llm, SwitchableLLM) else contextlib.nullcontext()


class SwitchableLLM:
    """An LLM that delegates to the backend in use, which `swap` replaces."""

    def __init__(self, llm: LLM) -> None:
        self._slot = _Slot(llm)
        self._retiring: set[asyncio.Task[None]] = set()
        self.info: ModelInfo = llm.info  # the backend in use (a swap changes it)

    @property
    def current(self) -> LLM:
        return self._slot.llm

    def _pick(self) -> _Slot:
        """The turn's own model while it is not closed (a task started within a pinned turn
        inherits the pin, and may outlive it), else the one in use now."""
        slot = _pinned.get()
        return slot if slot is not None and not slot.retired else self._slot

    @contextlib.contextmanager
    def _using(self, slot: _Slot) -> Iterator[None]:
        slot.uses += 1
        slot.idle.clear()
        try:
            yield
        finally:
            slot.uses -= 1
            if slot.uses == 0:
                slot.idle.set()

    @contextlib.asynccontextmanager
    async def pinned(self) -> AsyncIterator[None]:
        """Within the block (a turn), every call goes to the model in use when it began, even
        if another is swapped in meanwhile."""
        slot = self._pick()
        token = _pinned.set(slot)
        try:
            with self._using(slot):
                yield
        finally:
            _pinned.reset(token)

    async def stream_chat(
        self,
        messages: list[Message],
        *,
        tools: list[dict[str, Any]] | None = None,
        allowed: Collection[str] | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        background: bool = False,
        must_call: bool = False,
    ) -> AsyncIterator[ChatChunk]:
        slot = self._pick()
        with self._using(slot):
            stream = slot.llm.stream_chat(
                messages, tools=tools, allowed=allowed, temperature=temperature, max_tokens=max_tokens,
                background=background, must_call=must_call,
            )
            async with contextlib.aclosing(cast(AsyncGenerator[ChatChunk, None], stream)):
                async for chunk in stream:  # closing this stream early closes the backend's
                    yield chunk

    async def complete_json(
        self,
        messages: list[Message],
        schema: dict[str, Any],
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
        background: bool = False,
    ) -> dict[str, Any]:
        slot = self._pick()
        with self._using(slot):
            return await slot.llm.complete_json(
                messages, schema, temperature=temperature, max_tokens=max_tokens, background=background
            )

    def swap(self, llm: LLM) -> LLM:
        """Use `llm` from the next call on; the previous backend is closed in the background
        once what uses it has finished. Returns the previous backend."""
        old = self._slot
        self._slot = _Slot(llm)
        self.info = llm.info
        task = asyncio.create_task(self._retire(old))
        self._retiring.add(task)
        task.add_done_callback(self._retiring.discard)
        return old.llm

    async def _retire(self, slot: _Slot) -> None:
        if slot.uses:
            await slot.idle.wait()
        slot.retired = True
        await slot.llm.aclose()

    async def settled(self) -> None:
        """Wait until every replaced backend is closed (tests, shutdown)."""
        if self._retiring:
            await asyncio.gather(*self._retiring, return_exceptions=True)

    async def aclose(self) -> None:
        await self.settled()
        await self._slot.llm.aclose()
