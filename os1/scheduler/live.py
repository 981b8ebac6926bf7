"""Keeping time for one user while an interface is open: the scheduler and the planner run in
the background and proactive messages come out of `channel.next()`. The CLI chat uses this;
voice and web can use the same."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Awaitable, Callable

from os1.config import Settings
from os1.core.context import local_zone
from os1.scheduler.clock import Clock, SystemClock
from os1.scheduler.planner import Planner, renderer
from os1.scheduler.proactive import ProactiveChannel
from os1.scheduler.scheduler import Scheduler
from os1.scheduler.store import OutboxItem, ReminderStore
from os1.scheduler.tools import RUNNING
from os1.errors import OS1Error
from os1.skills.calendar.invite_notices import Notice, notices
from os1.skills.calendar.prefs import account
from os1.skills.calendar.service import CalendarService, open_service
from os1.storage.sqlite import SqliteStore

log = logging.getLogger(__name__)
MAIL_EVERY = timedelta(minutes=5)  # how often mail is read for invitations


@dataclass
class Timekeeper:
    scheduler: Scheduler
    planner: Planner
    channel: ProactiveChannel
    task: asyncio.Task[None] | None = None
    stop_event: asyncio.Event = field(default_factory=asyncio.Event)
    last_shown: OutboxItem | None = None
    mail_task: asyncio.Task[None] | None = None

    async def stop(self) -> None:
        self.stop_event.set()
        self.scheduler.poke()
        for task in (self.task, self.mail_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    async def snooze_last(self, minutes: int = 9) -> datetime | None:
        item = self.last_shown
        if item is None or item.reminder_id is None:
            return None
        return await self.scheduler.snooze(item.reminder_id, minutes)


async def start_timekeeper(
    settings: Settings, store: SqliteStore, user: str, clock: Clock | None = None,
    zone: tzinfo | None = None,
) -> Timekeeper:
    clock = clock or SystemClock()
    zone = zone or local_zone(settings)
    reminders = ReminderStore(store)

    async def calendar() -> CalendarService:
        return open_service(settings.data_dir, user, zone, await account(store, settings.data_dir, user, "caldav"))

    async def last_heard() -> datetime | None:
        total = await store.count_messages(user)
        if not total:
            return None
        for m in reversed(await store.messages(user, offset=max(0, total - 20))):
            if m.role == "user":
                return m.created_at
        return None

    birthdays = None
    try:
        from os1.skills.contacts.service import birthdays_for

        async def birthdays():  # type: ignore[no-untyped-def]
            return await birthdays_for(settings, store, user)
    except ImportError:
        pass
    channel = ProactiveChannel(reminders, user, clock, zone)
    scheduler = Scheduler(reminders, user, clock, zone, channel, renderer(calendar, zone))
    async def insights() -> list[tuple[int, str]]:  # what reflection wrote, never the diary
        rows = await store._run(
            store._rows,
            "SELECT id, content FROM memories WHERE user_id=? AND kind='insight' AND speaker='reflection'"
            " AND valid_to IS NULL ORDER BY id DESC LIMIT 5", (user,))
        return [(int(i), str(t)) for i, t in rows]

    async def invitations() -> list[Notice]:
        return await notices(store, user, zone)

    planner = Planner(reminders, user, zone, calendar, birthdays, last_heard, insights, invitations)
    scheduler.before_tick = planner.maybe_plan
    keeper = Timekeeper(scheduler, planner, channel)
    keeper.task = asyncio.create_task(scheduler.run(keeper.stop_event))
    keeper.mail_task = asyncio.create_task(
        watch_invitations(settings, store, user, calendar, keeper, clock))
    RUNNING.add(scheduler)
    return keeper


async def watch_invitations(
    settings: Settings, store: SqliteStore, user: str,
    calendar: Callable[[], Awaitable[CalendarService]], keeper: Timekeeper, clock: Clock,
) -> None:
    """Every MAIL_EVERY, read the invitations that came by mail (when a mail account exists) and
    let the planner announce new ones at once. Runs beside the scheduler, not in its tick: a
    slow or unreachable mail server must never make an alarm late."""
    from os1.skills.calendar.invites import check_mail, mail_account

    wake = asyncio.Event()
    while not keeper.stop_event.is_set():
        try:
            if await mail_account(settings, store, user) is not None:
                report = await check_mail(settings, store, user, await calendar())
                if report.new_invitations:
                    await keeper.planner.plan_invitations(clock.now())
                    keeper.scheduler.poke()
        except OS1Error as exc:  # mail or calendar down: try again next round
            log.warning("invitations not checked: %s", exc)
        await clock.sleep_until(clock.now() + MAIL_EVERY, wake)


async def show_while_idle(
    keeper: Timekeeper,
    busy: Callable[[], bool],
    say: Callable[[OutboxItem], Awaitable[None]],
) -> None:
    """Hand each proactive message to `say` when no turn is running, then mark it delivered
    (a message shown just before a crash may be shown again: never lost)."""
    while True:
        item = await keeper.channel.next()
        while busy():
            await asyncio.sleep(0.2)
        await say(item)
        await keeper.channel.delivered(item)
        keeper.last_shown = item
