"""iCalendar in and out: parse and check untrusted .ics text, build events, and expand
recurrences into occurrences in a window — bounded, time-zone and DST correct.

Every event is stored as its own VCALENDAR object (one per UID, as CalDAV does), so a change to
one event never rewrites another.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, cast

import icalendar
import recurring_ical_events

from os1.skills.calendar.errors import ICSError, TooManyOccurrences

PRODID = "-//OS1//calendar//EN"
MAX_ICS_BYTES = 1_000_000  # one event object; a bigger one is hostile or broken
MAX_COMPONENTS = 2_000  # VEVENTs (a master and its overrides) in one object
MAX_OCCURRENCES = 1_000  # expanded from one event in one window
RECUR_CHECK_DAYS = 7  # a new recurrence may yield at most MAX_OCCURRENCES in its first week


@dataclass(frozen=True)
class Occurrence:
    """One concrete happening of an event, in UTC (all-day ones keep their dates)."""

    uid: str
    title: str
    start: datetime
    end: datetime
    all_day: bool = False
    recurring: bool = False
    location: str = ""
    calendar: str = "local"
    recurrence_id: datetime | None = None

    def local(self, zone: tzinfo) -> tuple[datetime, datetime]:
        return self.start.astimezone(zone), self.end.astimezone(zone)

    def describe(self, zone: tzinfo) -> str:
        start, end = self.local(zone)
        if self.all_day:
            when = start.strftime("%a %d %b (all day)")
        else:
            when = f"{start:%a %d %b %H:%M}–{end:%H:%M}"
        where = f" at {self.location}" if self.location else ""
        again = " (repeats)" if self.recurring else ""
        return f"{when} {self.title}{where}{again}"


def _aware(value: date | datetime, zone: tzinfo) -> datetime:
    """A property value as an aware datetime (floating times and dates are in the user's zone)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=zone)
    return datetime.combine(value, time(0), tzinfo=zone)


def vevents(cal: icalendar.Calendar) -> list[icalendar.Event]:
    """The VEVENTs of `cal`, as Events (icalendar parses them as Events but types `walk` as Components)."""
    return cast("list[icalendar.Event]", cal.walk("VEVENT"))


def date_value(comp: icalendar.Component, name: str) -> date | datetime:
    """The date or date-time of DTSTART, DTEND or RECURRENCE-ID. icalendar types a property as any
    of its value classes; these are vDDDTypes (a broken value raises when it is read)."""
    return cast("date | datetime", cast(icalendar.vDDDTypes, comp[name]).dt)


def parse(text: str | bytes, *, what: str = "the calendar data") -> icalendar.Calendar:
    """Parse untrusted iCalendar text and check what OS1 relies on; raise ICSError otherwise."""
    raw = text.encode() if isinstance(text, str) else text
    if len(raw) > MAX_ICS_BYTES:
        raise ICSError(
            f"{what} is {len(raw):,} bytes; one event may have at most {MAX_ICS_BYTES:,}.",
            fix="Split it into separate events.",
        )
    try:
        cal = icalendar.Calendar.from_ical(raw)
    except (ValueError, KeyError, IndexError) as exc:
        raise ICSError(f"{what} is not valid iCalendar: {exc}.", fix="Check the file.") from exc
    if not isinstance(cal, icalendar.Calendar):
        raise ICSError(f"{what} does not start with BEGIN:VCALENDAR.", fix="Check the file.")
    events = vevents(cal)
    if len(events) > MAX_COMPONENTS:
        raise ICSError(f"{what} holds {len(events):,} events; at most {MAX_COMPONENTS:,} at once.")
    zones = {str(tz.get("TZID")) for tz in cal.walk("VTIMEZONE")}
    for ev in events:
        uid = str(ev.get("UID", "")) or "(no UID)"
        if "DTSTART" not in ev:
            raise ICSError(
                f"The event {uid} in {what} has no start time (DTSTART).",
                fix="Every event needs a DTSTART; add one or leave the event out.",
            )
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE"):
            for prop in _props(ev, name):
                tzid = prop.params.get("TZID")
                values = prop.dts if hasattr(prop, "dts") else [prop]
                if tzid and any(
                    isinstance(v.dt, datetime) and v.dt.tzinfo is None for v in values
                ) and tzid not in zones:
                    raise ICSError(
                        f"The event {uid} in {what} uses the unknown time zone '{tzid}'.",
                        fix="Use an IANA zone name such as Europe/Berlin, or include a VTIMEZONE.",
                    )
        if "RRULE" in ev:
            start = _aware(date_value(ev, "DTSTART"), UTC)
            _expand_one(cal, uid, start, start + timedelta(days=RECUR_CHECK_DAYS), UTC)
    return cal


def _props(ev: icalendar.Event, name: str) -> list[Any]:
    value = ev.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _expand_one(
    cal: icalendar.Calendar, uid: str, start: datetime, end: datetime, zone: tzinfo
) -> list[Any]:
    try:
        found = list(itertools.islice(_after(cal, start, end), MAX_OCCURRENCES + 1))
    except (ValueError, TypeError, KeyError) as exc:
        raise ICSError(f"The recurrence of event {uid} cannot be expanded: {exc}.") from exc
    if len(found) > MAX_OCCURRENCES:
        raise TooManyOccurrences(
            f"The event {uid} repeats more than {MAX_OCCURRENCES:,} times between "
            f"{start:%Y-%m-%d} and {end:%Y-%m-%d}; OS1 will not expand it.",
            fix="Give it a sensible RRULE (e.g. FREQ=DAILY) or a COUNT/UNTIL.",
        )
    return found


def _after(cal: icalendar.Calendar, start: datetime, end: datetime) -> Iterable[Any]:
    for component in recurring_ical_events.of(cal, skip_bad_series=False).after(start):
        s = component["DTSTART"].dt
        if _aware(s, UTC) >= end:
            return
        yield component


def expand(
    cal: icalendar.Calendar, start: datetime, end: datetime, zone: tzinfo, calendar: str = "local"
) -> list[Occurrence]:
    """Occurrences of the events in `cal` that overlap [start, end), at most MAX_OCCURRENCES."""
    lead = timedelta(days=1)  # an event that started before `start` may still be going on
    out: list[Occurrence] = []
    repeating = {
        str(ev.get("UID", ""))
        for ev in cal.walk("VEVENT")
        if "RRULE" in ev or "RDATE" in ev or "RECURRENCE-ID" in ev
    }
    for comp in _expand_one(cal, _uid(cal), start - lead, end, zone):
        occ = _occurrence(comp, zone, calendar, str(comp.get("UID", "")) in repeating)
        if occ.end > start and occ.start < end:
            out.append(occ)
    return out


def _uid(cal: icalendar.Calendar) -> str:
    events = cal.walk("VEVENT")
    return str(events[0].get("UID", "")) if events else ""


def _occurrence(comp: Any, zone: tzinfo, calendar: str, recurring: bool) -> Occurrence:
    raw_start = comp["DTSTART"].dt
    all_day = not isinstance(raw_start, datetime)
    start = _aware(raw_start, zone)
    if "DTEND" in comp:
        end = _aware(comp["DTEND"].dt, zone)
    elif "DURATION" in comp:
        end = start + comp["DURATION"].dt
    else:
        end = start + (timedelta(days=1) if all_day else timedelta(0))
    rid = comp.get("RECURRENCE-ID") if recurring else None
    return Occurrence(
        uid=str(comp.get("UID", "")),
        title=str(comp.get("SUMMARY", "")) or "(untitled)",
        start=start.astimezone(UTC),
        end=max(end, start).astimezone(UTC),
        all_day=all_day,
        recurring=recurring,
        location=str(comp.get("LOCATION", "")),
        calendar=calendar,
        recurrence_id=_aware(rid.dt, zone).astimezone(UTC) if rid is not None else None,
    )


def new_uid() -> str:
    return f"{uuid.uuid4()}@os1"


def build_event(
    title: str,
    start: datetime | date,
    end: datetime | date,
    *,
    uid: str | None = None,
    rrule: dict[str, Any] | None = None,
    location: str = "",
    description: str = "",
) -> icalendar.Calendar:
    """A one-event VCALENDAR. `start`/`end` are aware datetimes, whose zone becomes the event's
    TZID, or dates for an all-day event."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    ev = icalendar.Event()
    ev.add("uid", uid or new_uid())
    ev.add("dtstamp", datetime.now(UTC))
    ev.add("summary", title)
    ev.add("dtstart", start)
    ev.add("dtend", end)
    if rrule:
        ev.add("rrule", rrule)
    if location:
        ev.add("location", location)
    if description:
        ev.add("description", description)
    cal.add_component(ev)
    cal.add_missing_timezones()
    return cal


def master(cal: icalendar.Calendar) -> icalendar.Event:
    for ev in vevents(cal):
        if "RECURRENCE-ID" not in ev:
            return ev
    raise ICSError("The event has no master component (only overrides).")


def _touch(ev: icalendar.Event) -> None:
    seq = int(ev.get("SEQUENCE", 0)) + 1
    ev.pop("SEQUENCE", None)
    ev.add("sequence", seq)
    ev.pop("DTSTAMP", None)
    ev.add("dtstamp", datetime.now(UTC))


def _set(ev: icalendar.Event, name: str, value: Any) -> None:
    ev.pop(name, None)
    ev.add(name, value)


def move(cal: icalendar.Calendar, occ: Occurrence, new_start: datetime) -> icalendar.Calendar:
    """Move one occurrence (a recurring event gets an override) or a single event, keeping its
    length. `new_start` is aware, in the zone the event should keep."""
    length = occ.end - occ.start
    ev = target = master(cal)
    if occ.recurring:
        rid, override = _occurrence_of(cal, occ)
        if override is not None:
            target = override
        else:
            target = icalendar.Event()
            for name in ("UID", "SUMMARY", "LOCATION", "DESCRIPTION"):
                if name in ev:
                    target.add(name.lower(), ev[name])
            target.add("recurrence-id", _in_master_zone(ev, rid))
            cal.add_component(target)
    _set(target, "dtstart", new_start)
    target.pop("DURATION", None)
    _set(target, "dtend", new_start + length)
    _touch(target)
    cal.add_missing_timezones()
    return cal


def _find_override(cal: icalendar.Calendar, rid: datetime) -> icalendar.Event | None:
    for ev in vevents(cal):
        r = ev.get("RECURRENCE-ID")
        if r is not None and _aware(r.dt, UTC) == rid:
            return ev
    return None


def _occurrence_of(cal: icalendar.Calendar, occ: Occurrence) -> tuple[datetime, icalendar.Event | None]:
    """The RECURRENCE-ID that names this occurrence, and its override if it has one."""
    rid = occ.recurrence_id or occ.start
    return rid, _find_override(cal, rid)


def _in_master_zone(ev: icalendar.Event, moment: datetime) -> datetime:
    """A RECURRENCE-ID or EXDATE is written in the zone of the master's DTSTART (RFC 5545)."""
    master_start = date_value(ev, "DTSTART")
    zone = master_start.tzinfo if isinstance(master_start, datetime) else None
    return moment.astimezone(zone) if zone else moment


def cancel_occurrence(cal: icalendar.Calendar, occ: Occurrence) -> icalendar.Calendar:
    """Take one occurrence out of a recurring event (an EXDATE; an override is removed)."""
    ev = master(cal)
    rid, override = _occurrence_of(cal, occ)
    if override is not None:
        cal.subcomponents.remove(override)
    ev.add("exdate", _in_master_zone(ev, rid))
    _touch(ev)
    return cal


def occurrence_at(cal: icalendar.Calendar, when: datetime, zone: tzinfo, calendar: str) -> Occurrence:
    """The occurrence of this event that starts exactly at `when` (to find it again after a
    reload, e.g. when retrying a change that met a conflict)."""
    for occ in expand(cal, when - timedelta(minutes=1), when + timedelta(minutes=1), zone, calendar):
        if occ.start == when:
            return occ
    raise ICSError("That occurrence of the event no longer exists.")


def to_text(cal: icalendar.Calendar) -> str:
    data: bytes = cal.to_ical()
    return data.decode("utf-8")
