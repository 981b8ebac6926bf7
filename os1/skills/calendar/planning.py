"""What the calendar has OS1 say first: a reminder N minutes before each meeting, the morning
plan (written when it is said, so it shows the day as it is by then), and each invitation that
came by mail and waits for an answer. Registered with the core's timekeeper by plugin.py."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from os1.core.accounts import account
from os1.core.clock import Clock
from os1.core.mailer import open_mailer
from os1.core.planner import Plan, Planner, Planning
from os1.core.proactive import parse_hhmm
from os1.core.schedule import Reminder
from os1.errors import OS1Error
from os1.skills.calendar.errors import CalendarError

if TYPE_CHECKING:
    from os1.skills.calendar.ical import Occurrence
    from os1.skills.calendar.invite_notices import Notice
    from os1.skills.calendar.service import CalendarService

log = logging.getLogger(__name__)
MEETING_HORIZON = timedelta(hours=36)
INVITATION_STALE_S = 3 * 24 * 3600  # an invitation without a start time: said within 3 days
MAIL_EVERY = timedelta(minutes=5)  # how often mail is read for invitations
Calendar = Callable[[], Awaitable["CalendarService"]]
Invitations = Callable[[], Awaitable[list["Notice"]]]  # waiting for the user's answer
CheckMail = Callable[[], Awaitable[bool]]  # read mail for invitations; True if new ones came


class CalendarPlan(Plan):
    def __init__(self, calendar: Calendar | None, zone: tzinfo, invitations: Invitations | None = None,
                 check_mail: CheckMail | None = None, clock: Clock | None = None) -> None:
        self.calendar = calendar
        self.zone = zone
        self.invitations = invitations
        self.check_mail = check_mail
        self.clock = clock

    async def plan(self, planner: Planner, now: datetime) -> None:
        prefs = await planner.prefs()
        if prefs["morning_at"]:
            for d in (now.astimezone(self.zone).date(), now.astimezone(self.zone).date() + timedelta(days=1)):
                at = datetime.combine(d, parse_hhmm(prefs["morning_at"]), tzinfo=self.zone)
                if at >= now - timedelta(hours=2):
                    await planner.add("morning", "Good morning!", at, f"morning:{d}", 3 * 3600, now)
        await self.plan_invitations(planner, now)
        if self.calendar is not None and prefs["meeting_minutes"]:
            await self._meetings(planner, now, int(prefs["meeting_minutes"]))

    async def plan_invitations(self, planner: Planner, now: datetime) -> None:
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
            await planner.add("invitation", notice.text, now, notice.key, stale, now)
        await planner.cancel_keys("invitation:", keep, now + timedelta(days=1))

    async def _meetings(self, planner: Planner, now: datetime, minutes: int) -> None:
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
            await planner.add("meeting", text, at, key, minutes * 60, now)
        await planner.cancel_keys("meeting:", keep, now + MEETING_HORIZON)

    async def render(self, reminder: Reminder, now: datetime) -> str | None:
        if reminder.kind != "morning" or self.calendar is None:
            return None
        try:
            return await morning_text(await self.calendar(), now.astimezone(self.zone).date())
        except CalendarError as exc:
            return f"Good morning! (I could not read your calendar: {exc.message})"

    async def watch(self, planner: Planner, stop: asyncio.Event) -> None:
        """Every MAIL_EVERY, read the invitations that came by mail and let the planner announce
        new ones at once. Runs beside the scheduler, not in its tick: a slow or unreachable mail
        server must never make an alarm late."""
        if self.check_mail is None or self.clock is None:
            return
        wake = asyncio.Event()
        while not stop.is_set():
            try:
                if await self.check_mail():
                    await self.plan_invitations(planner, self.clock.now())
                    planner.poke()
            except OS1Error as exc:  # mail or calendar down: try again next round
                log.warning("invitations not checked: %s", exc)
            await self.clock.sleep_until(self.clock.now() + MAIL_EVERY, wake)


async def morning_text(cal: CalendarService, day: date) -> str:
    from os1.skills.calendar.service import day_bounds

    occs = await cal.agenda(*day_bounds(day, cal.zone))
    if not occs:
        return "Good morning! Your calendar is free today."
    lines = "; ".join(_short(o, cal.zone) for o in occs)
    return f"Good morning! Today: {lines}."


def _short(occ: Occurrence, zone: tzinfo) -> str:
    if occ.all_day:
        return occ.title
    return f"{occ.start.astimezone(zone):%H:%M} {occ.title}"


def plan_for(p: Planning) -> CalendarPlan:
    """The user's calendar plan: their calendar (CalDAV when connected) and their mail."""
    from os1.skills.calendar import invites
    from os1.skills.calendar.invite_notices import notices
    from os1.skills.calendar.service import open_service

    async def calendar() -> CalendarService:
        return open_service(p.settings.data_dir, p.user, p.zone,
                            await account(p.store, p.settings.data_dir, p.user, "caldav"))

    async def waiting() -> list[Notice]:
        return await notices(p.store, p.user, p.zone)

    async def check_mail() -> bool:
        if await open_mailer(p.settings, p.store, p.user) is None:
            return False
        report = await invites.check_mail(p.settings, p.store, p.user, await calendar())
        return bool(report.new_invitations)

    return CalendarPlan(calendar, p.zone, waiting, check_mail, p.clock)
