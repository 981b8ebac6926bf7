"""The proactive channel: what OS1 says first (a wake-up, a meeting, a birthday, a check-in).

Messages wait in the outbox (SQLite) until an interface shows them, so nothing is lost when no
interface is open. The channel decides what may be shown now: urgent ones (alarms and the
user's own reminders) always; the rest not during quiet hours, not while the user said
"not now", and at most `max_per_hour` of them in any hour. Every interface gets them through
os1.core.presence, which awaits `next()` and calls `delivered()` once the message was shown.
Why these rules: docs/decisions/0008-proactive-channel.md.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta, tzinfo

from os1.core.clock import Clock
from os1.core.preferences import get_prefs, set_prefs
from os1.core.schedule import Outbox, OutboxItem
from os1.storage.base import Database

NOT_NOW_WORDS = ("not now", "later", "stop", "be quiet", "quiet", "shh", "not now please")


def parse_hhmm(text: str) -> time:
    h, m = text.split(":")
    return time(int(h), int(m))


def in_quiet(moment: datetime, zone: tzinfo, start: str, end: str) -> bool:
    """Quiet hours may wrap midnight (22:00–07:00)."""
    if not start or not end or start == end:
        return False
    t = moment.astimezone(zone).time()
    s, e = parse_hhmm(start), parse_hhmm(end)
    return s <= t < e if s < e else (t >= s or t < e)


def quiet_end(moment: datetime, zone: tzinfo, end: str) -> datetime:
    """The next time quiet hours end after `moment`."""
    local = moment.astimezone(zone)
    e = datetime.combine(local.date(), parse_hhmm(end), tzinfo=zone)
    return e if e > local else datetime.combine(local.date() + timedelta(days=1), parse_hhmm(end), tzinfo=zone)


class ProactiveChannel:
    def __init__(self, db: Database, user: str, clock: Clock, zone: tzinfo) -> None:
        self.db = db
        self.outbox = Outbox(db)
        self.user = user
        self.clock = clock
        self.zone = zone
        self._news = asyncio.Event()
        self.retry_s = 30.0  # how often held messages are looked at again

    def notify(self) -> None:
        self._news.set()

    async def post(self, kind: str, text: str, *, urgent: bool = False) -> int:
        item = await self.outbox.post(self.user, kind, text, self.clock.now(), urgent)
        self.notify()
        return item

    async def not_now(self, minutes: int = 60) -> datetime:
        """Hold everything but alarms and the user's own reminders for a while."""
        until = self.clock.now() + timedelta(minutes=minutes)
        await set_prefs(self.db, self.user, {"muted_until": until.isoformat()})
        return until

    async def ready(self) -> list[OutboxItem]:
        """What may be shown now, in order (urgent first)."""
        items = await self.outbox.undelivered(self.user)
        if not items:
            return []
        prefs = await get_prefs(self.db, self.user)
        now = self.clock.now()
        muted = prefs.get("muted_until") or ""
        held = bool(muted) and datetime.fromisoformat(muted) > now
        held = held or in_quiet(now, self.zone, prefs["quiet_start"], prefs["quiet_end"])
        budget: int = prefs["max_per_hour"] - await self.outbox.delivered_since(
            self.user, now - timedelta(hours=1)
        )
        out: list[OutboxItem] = []
        for item in items:
            if item.urgent:
                out.append(item)
            elif not held and budget > 0:
                out.append(item)
                budget -= 1
        return out

    async def next(self) -> OutboxItem:
        """Wait for the next message that may be shown now."""
        while True:
            self._news.clear()
            items = await self.ready()
            if items:
                return items[0]
            await self.clock.sleep_until(self.clock.now() + timedelta(seconds=self.retry_s), self._news)

    async def delivered(self, item: OutboxItem) -> None:
        await self.outbox.mark_delivered(self.user, item.id, self.clock.now())


def is_not_now(line: str) -> bool:
    return line.strip().lower().rstrip("!.") in NOT_NOW_WORDS
