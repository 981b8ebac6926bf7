"""Background learning: facts from new messages, then reflection when enough has happened.

It runs after a reply, on the model's second slot, and gives way whenever the conversation needs
the model (ModelBusyError), so a reply never waits for it. Progress is a per-user watermark
advanced in the same transaction as the facts it produced: a crash loses nothing and repeats
nothing. A message whose extraction keeps failing (invalid JSON twice) is skipped and noted.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, tzinfo
from typing import Any

from os1.errors import ModelBusyError, ModelProtocolError, OS1Error
from os1.memory import facts
from os1.memory.index import MemoryIndex
from os1.memory.model import LLM
from os1.storage.memories import NewMemory, Progress

__all__ = ["Learner", "Progress"]

log = logging.getLogger(__name__)

TASK = "facts"
MAX_ATTEMPTS = 2
EARLIER_CHARS = 400  # the message before, so "Portland." can be read as an answer


class Learner:
    """Turns conversation into facts (and, through `after`, reflections) in the background."""

    def __init__(
        self,
        index: MemoryIndex,
        llm: LLM,
        zone: tzinfo,
        *,
        delay: float = 2.0,
        after: Callable[[str], Awaitable[Any]] | None = None,
    ) -> None:
        self.index = index
        self.store = index.store
        self.llm = llm
        self.zone = zone
        self.delay = delay  # let the user start typing before the model is used again
        self.after = after  # e.g. reflection, run once the facts are up to date
        self._tasks: dict[str, asyncio.Task[int]] = {}
        self._reading: dict[str, asyncio.Lock] = {}

    # -- progress -----------------------------------------------------------------------------
    async def progress(self, user: str, task: str = TASK) -> Progress:
        return await self.index.memories.progress(user, task)

    async def unread(self, user: str, after_id: int, limit: int = 16) -> list[tuple[int, str, datetime]]:
        rows = await self.store.user_messages_after(user, after_id, limit)
        return [(m.id, m.content, m.created_at) for m in rows]

    async def earlier(self, user: str, message_id: int) -> str:
        reply = await self.store.last_reply_before(user, message_id)
        return f"The companion said: {reply.content[:EARLIER_CHARS]}" if reply else ""

    async def user_name(self, user: str) -> str:
        profile = await self.store.profile(user)
        return str(profile.get("preferred_name") or user)

    # -- work ---------------------------------------------------------------------------------
    async def run(self, user: str) -> int:
        """Read every unread message of `user` for facts. Returns how many facts were stored.
        One reading per user at a time: the background one and `os1 diary` started together
        read the same messages and stored each fact twice."""
        async with self._reading.setdefault(user, asyncio.Lock()):
            stored = 0
            name = await self.user_name(user)
            progress = await self.progress(user)
            while batch := await self.unread(user, progress.last_id):
                for message in batch:
                    found = await self._extract(user, name, message, progress)
                    progress.last_id = message[0]
                    stored += len(await self._commit(user, message[0], found, progress))
            return stored

    async def _extract(
        self, user: str, name: str, message: tuple[int, str, datetime], progress: Progress
    ) -> list[facts.Extracted]:
        """The facts of one message; after MAX_ATTEMPTS invalid answers it is skipped, noted."""
        earlier = await self.earlier(user, message[0])
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return await facts.extract(
                    self.llm, self.index, user, name, message, earlier, self.zone
                )
            except ModelProtocolError as exc:
                log.warning("fact extraction, message %s, attempt %s: %s", message[0], attempt, exc)
        progress.state.setdefault("skipped", []).append(message[0])
        return []

    async def _commit(
        self, user: str, message_id: int, found: list[facts.Extracted], progress: Progress
    ) -> list[int]:
        # a turn taken back while it was read (Session.retract) teaches nothing: the repository
        # writes no fact for a message that is gone, and saves the progress all the same
        new = [
            NewMemory(f.content, f.happened_at, "fact", "", [{"message": message_id}], f.importance,
                      list(f.replaces))
            for f in found
        ]
        ids = await self.index.memories.add_facts(user, message_id, new, task=TASK, progress=progress)
        if ids:
            await self.index.embed_pending()
        return ids

    # -- scheduling ---------------------------------------------------------------------------
    def soon(self, user: str) -> None:
        """Learn from `user`'s new messages in the background, if not already doing so."""
        task = self._tasks.get(user)
        if task is None or task.done():
            self._tasks[user] = asyncio.create_task(self._background(user))

    async def _background(self, user: str) -> int:
        stored = 0
        for attempt in range(20):  # bounded: a busy conversation just postpones the work
            await asyncio.sleep(self.delay * (1 + attempt))
            try:
                stored += await self.run(user)
                if self.after is not None:
                    await self.after(user)
                return stored
            except ModelBusyError:
                continue  # the user is talking: try again when they pause
            except OS1Error as exc:
                log.warning("background learning paused: %s", exc)
                return stored
        return stored

    async def wait(self) -> None:
        """Let running work finish (tests, benchmarks)."""
        for task in list(self._tasks.values()):
            await task

    async def close(self) -> None:
        """Stop now; the watermark says where to resume next time."""
        for task in self._tasks.values():
            task.cancel()
        for task in self._tasks.values():
            try:
                await task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - shutting down
                pass
