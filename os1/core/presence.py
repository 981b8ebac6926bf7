"""Being there for one user through one interface: the interview when the companion has no name
yet, then what it says first (reminders, meetings, the morning plan…) when the user is not in
the middle of a turn, and the user's "not now" and "snooze". The CLI chat, `os1 talk` and any
future interface share this, so they behave the same; each only shows or speaks the words."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import tzinfo
from typing import Any

from os1.core.clock import Clock
from os1.core.identity import change_identity
from os1.core.interview import Ask, Identity, choose_again, run_interview
from os1.core.planner import Plan
from os1.core.proactive import is_not_now
from os1.core.schedule import OutboxItem
from os1.core.timekeeper import Timekeeper, start_timekeeper
from os1.language.persona import persona_request

IDLE_POLL_S = 0.2  # how often a busy interface is looked at again before speaking first


def is_snooze(line: str) -> bool:
    return re.sub(r"[^a-z ]", "", line.strip().lower()).strip() == "snooze"


class Presence:
    """One user's companion in one interface (a CLI chat, a voice conversation)."""

    def __init__(self, session: Any) -> None:
        self.session = session  # an os1.core.conversation.Session
        self.keeper: Timekeeper | None = None

    @property
    def store(self) -> Any:
        return self.session.c.store

    @property
    def zone(self) -> tzinfo:
        return self.session.zone  # type: ignore[no-any-return]

    async def name(self) -> str | None:
        """The companion's name, or None before the interview."""
        name = (await self.store.profile(self.session.user)).get("companion_name")
        return str(name) if name else None

    async def interview(self, ask: Ask, *, follow_ups: bool = False) -> Identity:
        """The first-run interview; `ask` puts a question and returns the answer (EOFError: the
        user left, and it starts again next time). `follow_ups`: a person answers as it goes."""
        s = self.session
        return await run_interview(s.c.llm, self.store, s.user, s.session_id, ask, follow_ups=follow_ups)

    async def start(self, clock: Clock | None = None, plans: Sequence[Plan] | None = None) -> None:
        """Start keeping time (the scheduler and the planners) for as long as the interface is open."""
        s = self.session
        self.keeper = await start_timekeeper(s.c.settings, self.store, s.user, clock, self.zone, plans)

    async def stop(self) -> None:
        if self.keeper is not None:
            await self.keeper.stop()
            self.keeper = None

    async def aside(self, line: str) -> str | None:
        """An answer when `line` is for the presence, not a turn ("not now", "snooze", "choose
        again", "be more playful"); else None."""
        if (asked := persona_request(line)) is not None and await self.name() is not None:
            return await self.reshape(asked, line)
        if self.keeper is None:
            return None
        if is_not_now(line):
            until = await self.keeper.channel.not_now()
            return f"Of course. I'll keep quiet until {until.astimezone(self.zone):%H:%M}."
        if is_snooze(line) and (back := await self.keeper.snooze_last()):
            return f"Snoozed until {back.astimezone(self.zone):%H:%M}."
        return None

    async def reshape(self, asked: str, line: str) -> str:
        """The user asked it to choose again ('redo') or to change one part ('change')."""
        s = self.session
        if asked == "redo":
            identity = await choose_again(s.c.llm, self.store, s.user)
            if identity is None:
                return "I can't choose again without the answers from our first conversation."
            said = f"All right, I chose again. {identity.intro}"
        else:
            changed = await change_identity(s.c.llm, self.store, s.user, line)
            if changed is None:
                return "I tried, but I couldn't put that change into words. Could you say it another way?"
            said = f"All right. {changed.personality}"
        await self.store.add_message(s.user, s.session_id, "user", line)
        await self.store.add_message(s.user, s.session_id, "assistant", said)
        return said

    async def waiting(self) -> list[OutboxItem]:
        """What may be said now, without waiting for more."""
        return await self.keeper.channel.ready() if self.keeper is not None else []

    async def said(self, item: OutboxItem) -> None:
        """The interface showed or spoke `item`: keep it in the conversation (so a reply to it
        makes sense) and mark it delivered (shown just before a crash, it is shown again)."""
        s = self.session
        await self.store.add_message(s.user, s.session_id, "assistant", item.text, meta={"proactive": item.kind})
        assert self.keeper is not None
        await self.keeper.channel.delivered(item)
        self.keeper.last_shown = item

    async def speak_first(self, busy: Callable[[], bool], say: Callable[[OutboxItem], Awaitable[None]]) -> None:
        """Forever: hand each proactive message to `say` when no turn is running (`busy`)."""
        assert self.keeper is not None
        while True:
            item = await self.keeper.channel.next()
            while busy():
                await asyncio.sleep(IDLE_POLL_S)
            await say(item)
            await self.said(item)
