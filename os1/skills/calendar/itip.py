"""iTIP (RFC 5546) with the icalendar library: the REQUEST/CANCEL we send for our own meetings,
the REPLY we send to someone else's invitation, and reading what arrives by mail.

Everything read here is untrusted data from other people's mail: it is parsed with the same
checks as any .ics (`ical.parse`), and its text (SUMMARY, DESCRIPTION) is only ever shown as
quoted data, never acted upon. Only the PARTSTAT of a REPLY changes a stored event.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import icalendar

from os1.skills.calendar import ical
from os1.skills.calendar.errors import ICSError

PARTSTATS = ("ACCEPTED", "DECLINED", "TENTATIVE", "NEEDS-ACTION")


def address(value: Any) -> str:
    """'mailto:Amy@X.org' -> 'amy@x.org'."""
    text = str(value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower()


def _events(cal: icalendar.Calendar) -> list[icalendar.Event]:
    return ical.vevents(cal)


def _attendee_props(ev: icalendar.Event) -> list[Any]:
    value = ev.get("ATTENDEE")
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def attendees(cal: icalendar.Calendar) -> list[tuple[str, str, str]]:
    """(address, name, PARTSTAT) of the event's attendees (from its master)."""
    out = []
    for prop in _attendee_props(ical.master(cal)):
        out.append((address(prop), str(prop.params.get("CN", "")), str(prop.params.get("PARTSTAT", "NEEDS-ACTION"))))
    return out


def organizer(cal: icalendar.Calendar) -> str:
    return address(ical.master(cal).get("ORGANIZER", ""))


def invite(cal: icalendar.Calendar, me: str, my_name: str, people: list[tuple[str, str]]) -> icalendar.Calendar:
    """Make the event a meeting: we organize it, `people` (address, name) are asked to come."""
    for ev in _events(cal):
        ev.pop("ORGANIZER", None)
        ev.pop("ATTENDEE", None)
        org = icalendar.vCalAddress(f"mailto:{me}")
        if my_name:
            org.params["CN"] = my_name
        ev.add("organizer", org)
        for addr, name in people:
            att = icalendar.vCalAddress(f"mailto:{addr}")
            if name:
                att.params["CN"] = name
            att.params["ROLE"] = "REQ-PARTICIPANT"
            att.params["PARTSTAT"] = "NEEDS-ACTION"
            att.params["RSVP"] = "TRUE"
            ev.add("attendee", att)
    return cal


def message(cal: icalendar.Calendar, method: str) -> str:
    """The iTIP object to mail: a copy with METHOD set; CANCEL marks it cancelled, one newer."""
    out = copy.deepcopy(cal)
    out.pop("METHOD", None)
    out.add("method", method)
    if method == "CANCEL":
        for ev in _events(out):
            ev.pop("STATUS", None)
            ev.add("status", "CANCELLED")
            seq = int(ev.get("SEQUENCE", 0)) + 1
            ev.pop("SEQUENCE", None)
            ev.add("sequence", seq)
    return ical.to_text(out)


@dataclass(frozen=True)
class Itip:
    """An iTIP message found in mail (untrusted: shown as data only)."""

    method: str
    uid: str
    sequence: int
    summary: str
    start: datetime | None
    organizer: str
    attendees: list[tuple[str, str, str]]
    text: str

    def partstat_of(self, who: str) -> str | None:
        for addr, _, status in self.attendees:
            if addr == who.lower():
                return status
        return None


def read(text: str | bytes) -> Itip:
    """Parse a text/calendar part from mail (checked like any untrusted .ics)."""
    cal = ical.parse(text, what="the invitation")
    method = str(cal.get("METHOD", "")).upper()
    if method not in ("REQUEST", "REPLY", "CANCEL"):
        raise ICSError(f"The calendar part has METHOD '{method or '(none)'}'; only REQUEST, REPLY and CANCEL are read.")
    events = _events(cal)
    if not events:
        raise ICSError("The invitation has no event in it.")
    ev = next((e for e in events if "RECURRENCE-ID" not in e), events[0])
    start = ical.date_value(ev, "DTSTART") if "DTSTART" in ev else None
    if start is not None and not isinstance(start, datetime):
        start = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    people = [(address(p), str(p.params.get("CN", "")), str(p.params.get("PARTSTAT", "NEEDS-ACTION")).upper())
              for p in _attendee_props(ev)]
    raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return Itip(method, str(ev.get("UID", "")), int(ev.get("SEQUENCE", 0)), str(ev.get("SUMMARY", "")),
                start, address(ev.get("ORGANIZER", "")), people, raw)


def apply_reply(cal: icalendar.Calendar, who: str, partstat: str) -> bool:
    """Set `who`'s PARTSTAT in our stored meeting (master and overrides); False if not invited."""
    partstat = partstat.upper()
    if partstat not in PARTSTATS:
        raise ICSError(f"'{partstat}' is not a participation status.")
    changed = False
    for ev in _events(cal):
        for prop in _attendee_props(ev):
            if address(prop) == who.lower():
                prop.params["PARTSTAT"] = partstat
                changed = True
    return changed


def reply(invitation: Itip, me: str, partstat: str) -> str:
    """Our METHOD:REPLY to someone else's REQUEST: only our own ATTENDEE line, with our answer."""
    src = ical.parse(invitation.text, what="the invitation")
    out = icalendar.Calendar()
    out.add("prodid", ical.PRODID)
    out.add("version", "2.0")
    out.add("method", "REPLY")
    for tz in src.walk("VTIMEZONE"):
        out.add_component(tz)
    ev = next((e for e in _events(src) if "RECURRENCE-ID" not in e), _events(src)[0])
    answer = icalendar.Event()
    for name in ("UID", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY", "ORGANIZER"):
        if name in ev:
            answer.add(name.lower(), ev[name])
    answer.add("dtstamp", datetime.now(UTC))
    att = icalendar.vCalAddress(f"mailto:{me}")
    att.params["PARTSTAT"] = partstat.upper()
    answer.add("attendee", att)
    out.add_component(answer)
    return ical.to_text(out)


def accepted_copy(invitation: Itip, me: str, partstat: str) -> str:
    """The invitation as we keep it in our calendar once answered (METHOD removed)."""
    cal = ical.parse(invitation.text, what="the invitation")
    cal.pop("METHOD", None)
    apply_reply(cal, me, partstat)
    return ical.to_text(cal)
