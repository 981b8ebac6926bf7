"""The calendar as the companion uses it: what's on, add, move, cancel, find free time.

Changes are read-modify-write with the backend's ETag. When someone else changed the event in
between (412), the change is worked out again on the fresh copy — their edit is kept — unless
they changed the very occurrence we meant to change: then we stop and ask (CalendarConflict).
Nothing is overwritten blindly, so no update is lost.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

import icalendar

from os1.core.accounts import save_account
from os1.skills.calendar import ical, resolve
from os1.skills.calendar.backends import Backend, CalDAVCalendar, LocalCalendar, StaleCopy, Stored
from os1.skills.calendar.errors import CalendarConflict, EventNotFound, ICSError

log = logging.getLogger(__name__)
RETRIES = 3


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime


def day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """Midnight to midnight in the zone (23 or 25 hours on DST days)."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2 or w.isdigit()}


class CalendarService:
    def __init__(self, backends: list[Backend], zone: tzinfo, trash: Path | None = None) -> None:
        if not backends:
            raise ValueError("a calendar needs at least one backend")
        self.backends = backends
        self.zone = zone
        self.trash = trash
        self.skipped: list[str] = []  # events that could not be read (say so, never crash)

    @property
    def default(self) -> Backend:
        return self.backends[0]

    def backend(self, name: str) -> Backend:
        for b in self.backends:
            if b.name == name:
                return b
        raise EventNotFound(f"No calendar named {name}.")

    # -- reading ----------------------------------------------------------------------------
    async def agenda(self, start: datetime, end: datetime) -> list[ical.Occurrence]:
        out: list[ical.Occurrence] = []
        self.skipped = []
        for b in self.backends:
            for stored in await b.in_range(start, end):
                try:
                    cal = ical.parse(stored.text, what=f"event {stored.uid or stored.href}")
                    out.extend(ical.expand(cal, start, end, self.zone, b.name))
                except ICSError as exc:
                    log.warning("skipping an unreadable event: %s", exc)
                    self.skipped.append(str(exc))
        return sorted(out, key=lambda o: (o.start, o.title))

    async def day(self, day: date) -> list[ical.Occurrence]:
        return await self.agenda(*day_bounds(day, self.zone))

    async def find(
        self, query: str, now: datetime, on: date | None = None, horizon_days: int = 60
    ) -> ical.Occurrence:
        """The upcoming occurrence whose title best matches `query` (on a given day if said)."""
        if on is not None:
            start, end = day_bounds(on, self.zone)
        else:
            start, end = now - timedelta(hours=12), now + timedelta(days=horizon_days)
        wanted = _words(query)
        scored = []
        for occ in await self.agenda(start, end):
            title = _words(occ.title + " " + occ.location)
            score = len(wanted & title)
            if score:
                scored.append((score, occ))
        if not scored:
            where = f" on {on:%a %d %b}" if on else " in the next weeks"
            raise EventNotFound(f"I found no event matching '{query}'{where}.")
        best = max(s for s, _ in scored)
        top = [o for s, o in scored if s == best]
        distinct = {o.uid for o in top}
        if len(distinct) > 1:
            names = "; ".join(o.describe(self.zone) for o in top[:4])
            raise EventNotFound(f"More than one event matches '{query}': {names}. Which one?")
        return top[0]  # the earliest occurrence of that event

    async def free_slots(
        self, day: date, minutes: int, day_start: time = time(9), day_end: time = time(18)
    ) -> list[Slot]:
        """Gaps of at least `minutes` between events in the working part of the day."""
        begin = datetime.combine(day, day_start, tzinfo=self.zone).astimezone(UTC)
        finish = datetime.combine(day, day_end, tzinfo=self.zone).astimezone(UTC)
        busy = sorted(
            (max(o.start, begin), min(o.end, finish))
            for o in await self.agenda(begin, finish)
            if not o.all_day
        )
        slots, cursor = [], begin
        for s, e in busy:
            if s - cursor >= timedelta(minutes=minutes):
                slots.append(Slot(cursor, s))
            cursor = max(cursor, e)
        if finish - cursor >= timedelta(minutes=minutes):
            slots.append(Slot(cursor, finish))
        return slots

    # -- writing ----------------------------------------------------------------------------
    async def add(
        self,
        title: str,
        start: datetime | date,
        end: datetime | date,
        *,
        rrule: dict[str, Any] | None = None,
        location: str = "",
        backend: Backend | None = None,
        shape: Callable[[str], str] | None = None,
    ) -> ical.Occurrence:
        if rrule and "until" in rrule and isinstance(start, datetime):
            until = rrule["until"]
            if isinstance(until, date) and not isinstance(until, datetime):
                last = datetime.combine(until, time(23, 59, 59), tzinfo=start.tzinfo)
                rrule = {**rrule, "until": last.astimezone(UTC)}
        cal = ical.build_event(title, start, end, rrule=rrule, location=location)
        text = ical.to_text(cal)
        if shape is not None:  # e.g. made a meeting: organizer and attendees
            text = shape(text)
        ical.parse(text, what="the new event")  # the same checks as for anything we read
        uid = str(ical.master(cal)["UID"])
        target = backend or self.default
        await target.create(uid, text)
        s = ical._aware(start, self.zone).astimezone(UTC)
        e = ical._aware(end, self.zone).astimezone(UTC)
        all_day = not isinstance(start, datetime)
        return ical.Occurrence(uid, title, s, e, all_day, bool(rrule), location, target.name)

    async def import_ics(self, text: str, backend: Backend | None = None) -> list[str]:
        """Add every event of an .ics file (checked first: nothing is added from a bad file)."""
        cal = ical.parse(text, what="the file")
        groups: dict[str, icalendar.Calendar] = {}
        for ev in cal.walk("VEVENT"):
            uid = str(ev.get("UID", "")) or ical.new_uid()
            if "UID" not in ev:
                ev.add("uid", uid)
            if uid not in groups:
                one = icalendar.Calendar()
                one.add("prodid", ical.PRODID)
                one.add("version", "2.0")
                for tz in cal.walk("VTIMEZONE"):
                    one.add_component(tz)
                groups[uid] = one
            groups[uid].add_component(ev)
        target = backend or self.default
        for uid, one in groups.items():
            await target.create(uid, ical.to_text(one))
        return list(groups)

    async def move(self, occ: ical.Occurrence, new_start: datetime) -> ical.Occurrence:
        def change(cal: icalendar.Calendar, current: ical.Occurrence) -> icalendar.Calendar:
            return ical.move(cal, current, new_start)

        await self._modify(occ, change)
        length = occ.end - occ.start
        s = new_start.astimezone(UTC)
        return ical.Occurrence(
            occ.uid, occ.title, s, s + length, occ.all_day, occ.recurring, occ.location,
            occ.calendar, occ.recurrence_id or (occ.start if occ.recurring else None),
        )

    async def move_to(self, occ: ical.Occurrence, day_words: str, time_words: str, now: datetime) -> ical.Occurrence:
        """Move to the day and time as a person says them ("friday", "4pm"); an empty one keeps
        the event's own (the chat's move_event and the agenda page both move this way)."""
        old_local = occ.start.astimezone(self.zone)
        day = resolve.resolve_day(day_words, now.astimezone(self.zone).date()) if day_words.strip() else old_local.date()
        t = resolve.resolve_time(time_words, occ.title) if time_words.strip() else old_local.time()
        start = datetime.combine(day, t, tzinfo=self.zone)
        resolve._check_exists(start, self.zone)
        return await self.move(occ, start)

    async def cancel(self, occ: ical.Occurrence, *, whole_series: bool = False) -> str:
        """Cancel one occurrence, or the whole event. The removed text is kept in the trash
        folder, so `os1 calendar restore` can bring it back."""
        backend = self.backend(occ.calendar)
        if occ.recurring and not whole_series:
            await self._modify(occ, ical.cancel_occurrence)
            return f"Cancelled {occ.describe(self.zone)} (this occurrence only)."
        for attempt in range(RETRIES):
            stored = await backend.get(occ.uid)
            cal = ical.parse(stored.text, what=f"event {occ.uid}")
            if attempt and not whole_series:
                self._still_same(cal, occ)
            self._keep(stored)
            try:
                await backend.delete(stored)
                return f"Cancelled {occ.describe(self.zone)}."
            except StaleCopy:
                continue
        raise CalendarConflict(
            f"'{occ.title}' keeps changing on the server; I did not cancel it.", fix="Try again later."
        )

    def _keep(self, stored: Stored) -> None:
        if self.trash is None:
            return
        self.trash.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9@._-]", "_", stored.uid)[:100] or "event"
        (self.trash / f"{name}.ics").write_text(stored.text, encoding="utf-8")

    async def restore(self, uid: str) -> str:
        if self.trash is None:
            raise EventNotFound("There is no trash to restore from.")
        name = re.sub(r"[^A-Za-z0-9@._-]", "_", uid)[:100]
        path = self.trash / f"{name}.ics"
        if not path.exists():
            raise EventNotFound(f"No cancelled event {uid} to restore.")
        await self.default.create(uid, path.read_text(encoding="utf-8"))
        path.unlink()
        return uid

    def _still_same(self, cal: icalendar.Calendar, occ: ical.Occurrence) -> ical.Occurrence:
        try:
            current = ical.occurrence_at(cal, occ.start, self.zone, occ.calendar)
        except ICSError:
            current = None
        if current is None or (current.end, current.title) != (occ.end, occ.title):
            raise CalendarConflict(
                f"Someone else changed '{occ.title}' ({occ.describe(self.zone)}) just now, so I "
                "did not apply my change on top of theirs.",
                fix="Look at the event again and tell me what it should be.",
            )
        return current

    async def rewrite(
        self,
        backend: Backend,
        uid: str,
        change: Callable[[icalendar.Calendar, Any], icalendar.Calendar],
        first: Stored | None = None,
    ) -> Stored:
        """Change a whole event object by UID (e.g. an attendee's answer), reloading on 412."""
        stored = first
        for _ in range(RETRIES):
            stored = stored or await backend.get(uid)
            cal = ical.parse(stored.text, what=f"event {uid}")
            try:
                return await backend.update(stored, ical.to_text(change(cal, None)))
            except StaleCopy:
                log.info("event %s changed meanwhile; reloading", uid)
                stored = None
        raise CalendarConflict(f"The event {uid} keeps changing on the server; I did not change it.",
                               fix="Try again in a moment.")

    async def text_of(self, occ: ical.Occurrence) -> str:
        """The stored iCalendar text of an occurrence's event ('' if it is gone)."""
        try:
            return (await self.backend(occ.calendar).get(occ.uid)).text
        except EventNotFound:
            return ""

    async def _modify(
        self,
        occ: ical.Occurrence,
        change: Callable[[icalendar.Calendar, ical.Occurrence], icalendar.Calendar],
    ) -> Stored:
        backend = self.backend(occ.calendar)
        for _ in range(RETRIES):
            stored = await backend.get(occ.uid)
            cal = ical.parse(stored.text, what=f"event {occ.uid}")
            current = self._still_same(cal, occ)
            text = ical.to_text(change(cal, current))
            try:
                return await backend.update(stored, text)
            except StaleCopy:
                log.info("event %s changed meanwhile; reloading", occ.uid)
                continue
        raise CalendarConflict(
            f"'{occ.title}' keeps changing on the server; I did not change it.",
            fix="Try again in a moment.",
        )


async def connect_caldav(
    db: Any, data_dir: Path, user: str, url: str, username: str, password: str, calendar: str = ""
) -> None:
    """Use a CalDAV calendar from now on: checked by reading it first (a wrong address, login or
    calendar name raises CalendarUnavailable and nothing is saved), then saved with the password
    sealed (os1/core/accounts.py). `os1 calendar connect` and the agenda page both call this."""
    now = datetime.now(UTC)
    await CalDAVCalendar(url, username, password, calendar).in_range(now, now + timedelta(days=1))
    values = {"url": url, "username": username, "password": password, "calendar": calendar}
    await save_account(db, data_dir, user, "caldav", values)


def open_service(
    data_dir: Path, user: str, zone: tzinfo, caldav: dict[str, Any] | None = None
) -> CalendarService:
    """The user's calendar: the CalDAV calendar first when one is connected, then the local one."""
    base = data_dir / "calendar" / user
    backends: list[Backend] = []
    if caldav:
        backends.append(
            CalDAVCalendar(
                caldav["url"], caldav.get("username", ""), caldav.get("password", ""),
                caldav.get("calendar", ""),
            )
        )
    backends.append(LocalCalendar(base / "local"))
    return CalendarService(backends, zone, trash=base / "trash")
