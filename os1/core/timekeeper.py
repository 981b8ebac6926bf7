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
from os1.core.tools import last_turn
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


# Insights that a newer one superseded are skipped: read this many to find five current ones.
INSIGHTS_READ = 50


def core_plans(store: Any, user: str) -> list[Plan]:
    """The core's own: a check-in after quiet days, and an insight of reflection now and then."""

    async def last_heard() -> datetime | None:
        turn = await last_turn(store, user)
        return turn[0].created_at if turn else None

    async def insights() -> list[tuple[int, str]]:  # what reflection wrote, never the diary
        written = await store.memories.insights(user, "reflection", INSIGHTS_READ)
        return [(m.id, m.content) for m in written if m.valid_to is None][:5]

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
