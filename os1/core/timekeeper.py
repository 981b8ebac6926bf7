"""Keeping time for one user while an interface is open: the scheduler and the planner run in
the background and proactive messages come out of `channel.next()`. Every interface gets it
through os1.core.presence; `os1 reminders run` uses it alone."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from os1.config import Settings
from os1.core.clock import Clock, SystemClock
from os1.core.context import local_zone
from os1.core.planner import CheckIn, Plan, Planner, Planning, SharedInsight
from os1.core.proactive import ProactiveChannel
from os1.core.schedule import OutboxItem
from os1.core.scheduler import RUNNING, Scheduler
from os1.plugins.manager import planners

log = logging.getLogger(__name__)


@dataclass
class Timekeeper:
    scheduler: Scheduler
    planner: Planner
    channel: ProactiveChannel
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    stop_event: asyncio.Event = field(default_factory=asyncio.Event)
    last_shown: OutboxItem | None = None

    async def stop(self) -> None:
        self.stop_event.set()
        self.scheduler.poke()
        for task in self.tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def snooze_last(self, minutes: int = 9) -> datetime | None:
        item = self.last_shown
        if item is None or item.reminder_id is None:
            return None
        return await self.scheduler.snooze(item.reminder_id, minutes)


def core_plans(store: Any, user: str) -> list[Plan]:
    """The core's own: a check-in after quiet days, and an insight of reflection now and then."""

    async def last_heard() -> datetime | None:
        total = await store.count_messages(user)
        if not total:
            return None
        for m in reversed(await store.messages(user, offset=max(0, total - 20))):
            if m.role == "user":
                return m.created_at  # type: ignore[no-any-return]
        return None

    async def insights() -> list[tuple[int, str]]:  # what reflection wrote, never the diary
        rows = await store.query(
            "SELECT id, content FROM memories WHERE user_id=? AND kind='insight' AND speaker='reflection'"
            " AND valid_to IS NULL ORDER BY id DESC LIMIT 5", (user,))
        return [(int(i), str(t)) for i, t in rows]

    return [CheckIn(last_heard), SharedInsight(insights)]


def skill_plans(planning: Planning) -> list[Plan]:
    """What the installed skills plan (through the `register_planners` hook)."""
    out: list[Plan] = []
    for factory in planners():
        plan = factory(planning)
        if plan is not None:
            out.append(plan)
    return out


async def start_timekeeper(
    settings: Settings, store: Any, user: str, clock: Clock | None = None,
    zone: tzinfo | None = None, plans: Sequence[Plan] | None = None,
) -> Timekeeper:
    """Start keeping time; `plans` replaces the core's and the skills' (tests)."""
    clock = clock or SystemClock()
    zone = zone or local_zone(settings)
    if plans is None:
        plans = [*skill_plans(Planning(settings, store, user, zone, clock)), *core_plans(store, user)]
    planner = Planner(store, user, zone, plans)
    channel = ProactiveChannel(store, user, clock, zone)
    scheduler = Scheduler(store, user, clock, zone, channel, planner.render)
    scheduler.before_tick = planner.maybe_plan
    planner.poke = scheduler.poke
    keeper = Timekeeper(scheduler, planner, channel)
    keeper.tasks.append(asyncio.create_task(scheduler.run(keeper.stop_event)))
    for plan in planner.plans:
        keeper.tasks.append(asyncio.create_task(plan.watch(planner, keeper.stop_event)))
    RUNNING.add(scheduler)
    return keeper
