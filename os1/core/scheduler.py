"""The reminder scheduler: sleeps until the next reminder is due, fires it exactly once into
the outbox, and after downtime delivers what was missed with a note that it is late — or drops
it when it no longer means anything (stale_after_s). Quiet hours hold everything but alarms.

All state is in the database, so a restart (even after kill -9) simply carries on."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, tzinfo
from weakref import WeakSet

from os1.core.clock import Clock
from os1.core.preferences import get_prefs
from os1.core.proactive import ProactiveChannel, in_quiet, quiet_end
from os1.core.schedule import Reminder, ReminderSchedule
from os1.storage.base import Database

log = logging.getLogger(__name__)
LATE_NOTE_S = 120  # later than this, the message says so
URGENT_KINDS = {"alarm", "reminder", "meeting"}
LOOK_AGAIN_S = 5.0  # another process (the CLI) may add reminders: look at the table this often

Renderer = Callable[[Reminder, datetime], Awaitable[str]]
RUNNING: WeakSet[Scheduler] = WeakSet()  # schedulers in this process, poked when something is added


def poke_all() -> None:
    """Something was scheduled (a reminder tool, a command): every running scheduler looks again."""
    for scheduler in list(RUNNING):
        scheduler.poke()


class Scheduler:
    def __init__(
        self,
        db: Database,
        user: str,
        clock: Clock,
        zone: tzinfo,
        channel: ProactiveChannel | None = None,
        render: Renderer | None = None,
    ) -> None:
        self.db = db
        self.reminders = ReminderSchedule(db)
        self.user = user
        self.clock = clock
        self.zone = zone
        self.channel = channel or ProactiveChannel(db, user, clock, zone)
        self.render = render  # e.g. the morning plan is written when it fires, not before
        self._wake = asyncio.Event()
        self.fired: list[Reminder] = []  # this process's firings (tests and benchmarks read it)
        self.before_tick: Callable[[datetime], Awaitable[None]] | None = None

    def poke(self) -> None:
        """Something was scheduled: look again now."""
        self._wake.set()

    async def tick(self) -> int:
        """Fire everything due now; return how many fired."""
        now = self.clock.now()
        if self.before_tick is not None:
            await self.before_tick(now)
        prefs = await get_prefs(self.db, self.user)
        quiet = in_quiet(now, self.zone, prefs["quiet_start"], prefs["quiet_end"])
        fired = 0
        for r in await self.reminders.due(self.user, now):
            late = (now - r.due_at).total_seconds()
            if late > r.stale_after_s:
                await self.reminders.set_status(self.user, r.id, "dropped", now, late)
                log.info("dropped reminder %s: %.0f s late, stale after %s s", r.id, late, r.stale_after_s)
                continue
            if quiet and r.kind != "alarm":
                until = quiet_end(now, self.zone, prefs["quiet_end"])
                await self.reminders.reschedule(self.user, r.id, until)
                continue
            text = await self.render(r, now) if self.render else r.text
            if late > LATE_NOTE_S:
                text += f" (late: this was due at {r.due_at.astimezone(self.zone):%a %H:%M})"
            item = await self.reminders.fire(
                self.user, r.id, now, late, text, r.kind, r.kind in URGENT_KINDS
            )
            if item is not None:
                fired += 1
                self.fired.append(r)
        if fired:
            self.channel.notify()
        return fired

    async def run(self, stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        while not stop.is_set():
            try:
                await self.tick()
            except Exception:  # one bad row or a busy disk must not end the scheduler
                log.exception("scheduler tick failed")
            nxt = await self.reminders.next_due(self.user)
            horizon = self.clock.now() + timedelta(seconds=LOOK_AGAIN_S)
            await self.clock.sleep_until(min(nxt, horizon) if nxt else horizon, self._wake)

    async def snooze(self, rid: int, minutes: int = 9) -> datetime:
        until = self.clock.now() + timedelta(minutes=minutes)
        await self.reminders.reschedule(self.user, rid, until, snooze=True)
        self.poke()
        return until
