"""What OS1 plans to say on its own: a reminder N minutes before each meeting, the morning
plan, birthdays, a check-in after quiet days, and (at most once a day) something its
reflection came to think (an 'insight' memory; the private diary is never shared). Each is a reminder with a source key, so
planning again (every few minutes, after a restart) never schedules anything twice, and a
meeting that moved or was cancelled takes its reminder with it."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Awaitable, Callable

from os1.scheduler.proactive import parse_hhmm
from os1.scheduler.store import Reminder, ReminderStore
from os1.skills.calendar.errors import CalendarError
from os1.skills.calendar.ical import Occurrence
from os1.skills.calendar.prefs import get_prefs
from os1.skills.calendar.service import CalendarService, day_bounds

if TYPE_CHECKING:
    from os1.skills.calendar.invite_notices import Notice

log = logging.getLogger(__name__)
MEETING_HORIZON = timedelta(hours=36)
Birthdays = Callable[[], Awaitable[list[tuple[str, str, date]]]]  # (key, name, birthday)
Insights = Callable[[], Awaitable[list[tuple[int, str]]]]  # newest first: (memory id, text)
Invitations = Callable[[], Awaitable[list["Notice"]]]  # waiting for the user's answer
INVITATION_STALE_S = 3 * 24 * 3600  # an invitation without a start time: said within 3 days


class Planner:
    def __init__(
        self,
        reminders: ReminderStore,
        user: str,
        zone: tzinfo,
        calendar: Callable[[], Awaitable[CalendarService]] | None = None,
        birthdays: Birthdays | None = None,
        last_heard: Callable[[], Awaitable[datetime | None]] | None = None,
        insights: Insights | None = None,
        invitations: Invitations | None = None,
    ) -> None:
        self.reminders = reminders
        self.user = user
        self.zone = zone
        self.calendar = calendar
        self.birthdays = birthdays
        self.last_heard = last_heard
        self.insights = insights
        self.invitations = invitations
        self._last_plan: datetime | None = None

    async def maybe_plan(self, now: datetime, every: timedelta = timedelta(minutes=5)) -> None:
        if self._last_plan is None or now - self._last_plan >= every or now < self._last_plan:
            self._last_plan = now
            try:
                await self.plan(now)
            except CalendarError as exc:  # a calendar server that is down must not stop reminders
                log.warning("planning skipped: %s", exc)

    async def plan(self, now: datetime) -> None:
        prefs = await get_prefs(self.reminders.db, self.user)
        if self.calendar is not None and prefs["meeting_minutes"]:
            await self._meetings(now, int(prefs["meeting_minutes"]))
        if prefs["morning_at"]:
            for d in (now.astimezone(self.zone).date(), now.astimezone(self.zone).date() + timedelta(days=1)):
                at = datetime.combine(d, parse_hhmm(prefs["morning_at"]), tzinfo=self.zone)
                if at >= now - timedelta(hours=2):
                    await self._add("morning", "Good morning!", at, f"morning:{d}", 3 * 3600, now)
        if self.birthdays is not None:
            await self._birthdays(now)
        if self.last_heard is not None and prefs["checkin_days"]:
            heard = await self.last_heard()
            if heard is not None and now - heard >= timedelta(days=prefs["checkin_days"]):
                text = "It has been a few days. How are you doing?"
                await self._add("checkin", text, now, f"checkin:{heard.date()}", 24 * 3600, now)
        if self.insights is not None:
            await self._insight(now)
        await self.plan_invitations(now)

    async def plan_invitations(self, now: datetime) -> None:
        """Say each waiting invitation once (again for an update). One answered, cancelled or
        replaced by an update before it was said is not said any more."""
        if self.invitations is None:
            return
        keep: set[str] = set()
        for notice in await self.invitations():
            keep.add(notice.key)
            stale = INVITATION_STALE_S
            if notice.starts_at is not None:  # after the event has begun, asking is noise
                stale = int((notice.starts_at - now).total_seconds())
                if stale <= 0:
                    continue
            await self._add("invitation", notice.text, now, notice.key, stale, now)
        await self.reminders.cancel_keys(self.user, "invitation:", keep, now + timedelta(days=1))

    async def _add(self, kind: str, text: str, at: datetime, key: str, stale: int, now: datetime) -> None:
        await self.reminders.add(
            self.user, kind, text, at, zone=str(self.zone), stale_after_s=stale,
            source_key=key, now=now,
        )

    async def _meetings(self, now: datetime, minutes: int) -> None:
        assert self.calendar is not None
        cal = await self.calendar()
        keep: set[str] = set()
        for occ in await cal.agenda(now, now + MEETING_HORIZON):
            if occ.all_day or occ.start <= now:
                continue
            key = f"meeting:{occ.uid}:{occ.start.isoformat()}"
            keep.add(key)
            at = occ.start - timedelta(minutes=minutes)
            local = occ.start.astimezone(self.zone)
            text = f"In {minutes} minutes: {occ.title} at {local:%H:%M}" + (
                f" ({occ.location})" if occ.location else ""
            )
            # stale once the meeting has started: a reminder after the fact is noise
            await self._add("meeting", text, at, key, minutes * 60, now)
        await self.reminders.cancel_keys(self.user, "meeting:", keep, now + MEETING_HORIZON)

    async def _birthdays(self, now: datetime) -> None:
        assert self.birthdays is not None
        today = now.astimezone(self.zone).date()
        for key, name, born in await self.birthdays():
            for year in (today.year, today.year + 1):
                try:
                    day = born.replace(year=year)
                except ValueError:  # 29 February in a common year: the 28th
                    day = date(year, 2, 28)
                if today <= day <= today + timedelta(days=2):
                    at = datetime.combine(day, time(9), tzinfo=self.zone)
                    text = f"Today is {name}'s birthday."
                    await self._add("birthday", text, at, f"birthday:{key}:{year}", 14 * 3600, now)


    async def _insight(self, now: datetime) -> None:
        """The newest reflection not shared yet, at most one a day (held in quiet hours)."""
        from os1.scheduler.store import iso

        assert self.insights is not None
        start = datetime.combine(now.astimezone(self.zone).date(), time(0), tzinfo=self.zone)
        db = self.reminders.db
        shared_today = await db._run(
            db._rows, "SELECT 1 FROM reminders WHERE user_id=? AND kind='insight' AND created_at>=? LIMIT 1",
            (self.user, iso(start)))
        if shared_today:
            return
        for memory_id, text in (await self.insights())[:5]:
            key = f"insight:{memory_id}"
            known = await db._run(db._rows, "SELECT 1 FROM reminders WHERE user_id=? AND source_key=?",
                                  (self.user, key))
            if not known and text.strip():
                said = f"Something I have been thinking about: {text.strip()}"
                await self._add("insight", said, now, key, 12 * 3600, now)
                return


async def morning_text(cal: CalendarService, day: date) -> str:
    occs = await cal.agenda(*day_bounds(day, cal.zone))
    if not occs:
        return "Good morning! Your calendar is free today."
    lines = "; ".join(_short(o, cal.zone) for o in occs)
    return f"Good morning! Today: {lines}."


def _short(occ: Occurrence, zone: tzinfo) -> str:
    if occ.all_day:
        return occ.title
    return f"{occ.start.astimezone(zone):%H:%M} {occ.title}"


def renderer(
    calendar: Callable[[], Awaitable[CalendarService]] | None, zone: tzinfo
) -> Callable[[Reminder, datetime], Awaitable[str]]:
    """The morning plan is written when it is said, so it shows the day as it is by then."""

    async def render(r: Reminder, now: datetime) -> str:
        if r.kind == "morning" and calendar is not None:
            try:
                return await morning_text(await calendar(), now.astimezone(zone).date())
            except CalendarError as exc:
                return f"Good morning! (I could not read your calendar: {exc.message})"
        return r.text

    return render
