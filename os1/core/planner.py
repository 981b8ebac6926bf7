"""What OS1 plans to say on its own. The core plans a check-in after quiet days and (at most once
a day) something its reflection came to think (an 'insight' memory; the private diary is never
shared); skills add their own plans through the `register_planners` hook (the calendar: meeting
reminders, the morning plan and invitations; contacts: birthdays). Each plan schedules reminders
with a source key, so planning again (every few minutes, after a restart) never schedules
anything twice, and a meeting that moved or was cancelled takes its reminder with it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from os1.core.clock import Clock
from os1.core.preferences import get_prefs
from os1.core.schedule import Reminder, ReminderSchedule
from os1.errors import OS1Error
from os1.storage.base import Database

log = logging.getLogger(__name__)
Insights = Callable[[], Awaitable[list[tuple[int, str]]]]  # newest first: (memory id, text)


@dataclass(frozen=True)
class Planning:
    """What a skill's planner factory gets: whose time it plans, and where."""

    settings: Any
    store: Any
    user: str
    zone: tzinfo
    clock: Clock


class Plan:
    """One skill's part of the planning. Every method may be left as it is."""

    async def plan(self, planner: Planner, now: datetime) -> None:
        """Schedule what is due soon (through planner.add; at most once per source key)."""

    async def render(self, reminder: Reminder, now: datetime) -> str | None:
        """The words of one of this plan's reminders as it fires (None: not this plan's)."""
        return None

    async def watch(self, planner: Planner, stop: asyncio.Event) -> None:
        """Background work beside the scheduler (e.g. reading mail for invitations)."""


class Planner:
    def __init__(self, db: Database, user: str, zone: tzinfo, plans: Sequence[Plan] = ()) -> None:
        self.db = db
        self.reminders = ReminderSchedule(db)
        self.user = user
        self.zone = zone
        self.plans = list(plans)
        self.poke: Callable[[], None] = lambda: None  # the timekeeper's scheduler looks again
        self._last_plan: datetime | None = None

    async def prefs(self) -> dict[str, Any]:
        return await get_prefs(self.db, self.user)

    async def maybe_plan(self, now: datetime, every: timedelta = timedelta(minutes=5)) -> None:
        if self._last_plan is None or now - self._last_plan >= every or now < self._last_plan:
            self._last_plan = now
            await self.plan(now)

    async def plan(self, now: datetime) -> None:
        for p in self.plans:
            try:
                await p.plan(self, now)
            except OS1Error as exc:  # a calendar server that is down must not stop reminders
                log.warning("planning skipped: %s", exc)

    async def render(self, reminder: Reminder, now: datetime) -> str:
        for p in self.plans:
            text = await p.render(reminder, now)
            if text is not None:
                return text
        return reminder.text

    async def add(self, kind: str, text: str, at: datetime, key: str, stale: int, now: datetime) -> None:
        await self.reminders.add(
            self.user, kind, text, at, zone=str(self.zone), stale_after_s=stale, source_key=key, now=now,
        )

    async def cancel_keys(self, prefix: str, keep: set[str], before: datetime) -> int:
        return await self.reminders.cancel_keys(self.user, prefix, keep, before)


class CheckIn(Plan):
    """Say hello after `checkin_days` without a word from the user."""

    def __init__(self, last_heard: Callable[[], Awaitable[datetime | None]]) -> None:
        self.last_heard = last_heard

    async def plan(self, planner: Planner, now: datetime) -> None:
        days = (await planner.prefs())["checkin_days"]
        if not days:
            return
        heard = await self.last_heard()
        if heard is not None and now - heard >= timedelta(days=days):
            text = "It has been a few days. How are you doing?"
            await planner.add("checkin", text, now, f"checkin:{heard.date()}", 24 * 3600, now)


class SharedInsight(Plan):
    """The newest reflection not shared yet, at most one a day (held in quiet hours)."""

    def __init__(self, insights: Insights) -> None:
        self.insights = insights

    async def plan(self, planner: Planner, now: datetime) -> None:
        start = datetime.combine(now.astimezone(planner.zone).date(), time(0), tzinfo=planner.zone)
        if await planner.reminders.scheduled_since(planner.user, "insight", start):
            return
        for memory_id, text in (await self.insights())[:5]:
            key = f"insight:{memory_id}"
            if text.strip() and not await planner.reminders.known(planner.user, key):
                said = f"Something I have been thinking about: {text.strip()}"
                await planner.add("insight", said, now, key, 12 * 3600, now)
                return
