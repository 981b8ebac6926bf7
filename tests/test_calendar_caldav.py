"""The CalDAV backend against a real radicale on 127.0.0.1: create/move/cancel as another client
sees them, recurrence on the server, a concurrent edit (412) that loses nothing, and a server
that is down or refuses the login."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import caldav
import pytest

from os1.skills.calendar import ical
from os1.skills.calendar.backends import CalDAVCalendar, StaleCopy
from os1.skills.calendar.errors import CalendarConflict, CalendarUnavailable
from os1.skills.calendar.service import CalendarService

BERLIN = ZoneInfo("Europe/Berlin")


def server_event(radicale, uid: str, user: str = "ana"):
    """The event as the server holds it now, read by a fresh client (no cache of ours)."""
    with caldav.DAVClient(radicale.url, username=user, password=radicale.users[user]) as client:
        obj = client.principal().calendars()[0].object_by_uid(uid)
        return ical.master(ical.parse(obj.data))


def other_client(radicale, user="ana"):
    """Another program on the same account: what it sees is what the server really holds."""
    client = caldav.DAVClient(radicale.url, username=user, password=radicale.users[user])
    return client, client.principal().calendars()[0]


async def test_create_move_cancel_seen_by_another_client(radicale) -> None:
    radicale.make_calendar("ana")
    cal = CalendarService([CalDAVCalendar(radicale.url, "ana", "secret")], BERLIN)
    start = datetime(2026, 11, 24, 13, tzinfo=BERLIN)
    occ = await cal.add("Lunch with Amy", start, start + timedelta(hours=1), location="Luna")

    client, raw = other_client(radicale)
    [obj] = raw.search(start=start - timedelta(hours=1), end=start + timedelta(hours=2), event=True)
    ev = ical.master(ical.parse(obj.data))
    assert str(ev["SUMMARY"]) == "Lunch with Amy"
    assert ev["DTSTART"].dt == start and ev["DTSTART"].params["TZID"] == "Europe/Berlin"

    await cal.move(occ, datetime(2026, 11, 25, 12, 30, tzinfo=BERLIN))
    moved = server_event(radicale, occ.uid)
    assert moved["DTSTART"].dt == datetime(2026, 11, 25, 12, 30, tzinfo=BERLIN)
    assert "RECURRENCE-ID" not in moved and int(moved["SEQUENCE"]) == 1  # moved, not overridden
    assert [o.title for o in await cal.day(date(2026, 11, 25))] == ["Lunch with Amy"]
    assert await cal.day(date(2026, 11, 24)) == []

    [moved] = await cal.day(date(2026, 11, 25))
    await cal.cancel(moved)
    assert raw.search(start=datetime(2026, 11, 20, tzinfo=BERLIN), end=datetime(2026, 12, 1, tzinfo=BERLIN), event=True) == []
    client.close()


async def test_recurring_event_on_the_server_across_dst(radicale) -> None:
    radicale.make_calendar("ana")
    cal = CalendarService([CalDAVCalendar(radicale.url, "ana", "secret")], BERLIN)
    start = datetime(2026, 10, 20, 9, tzinfo=BERLIN)
    await cal.add("Standup", start, start + timedelta(minutes=15), rrule={"freq": "WEEKLY", "count": 3})
    occs = await cal.agenda(datetime(2026, 10, 19, tzinfo=BERLIN), datetime(2026, 11, 10, tzinfo=BERLIN))
    assert [o.start.astimezone(BERLIN).strftime("%d %H:%M") for o in occs] == ["20 09:00", "27 09:00", "03 09:00"]
    await cal.cancel(occs[1])  # this occurrence only: an EXDATE on the server
    left = await cal.agenda(datetime(2026, 10, 19, tzinfo=BERLIN), datetime(2026, 11, 10, tzinfo=BERLIN))
    assert [o.start.astimezone(BERLIN).day for o in left] == [20, 3]


class MeddlingCalDAV(CalDAVCalendar):
    """Between our read and our write, another client edits the same event on the server."""

    meddle = None

    async def update(self, old, text):
        if self.meddle is not None:
            fn, self.meddle = self.meddle, None
            fn()
        return await super().update(old, text)


async def test_stale_etag_gets_412_from_the_server(radicale) -> None:
    radicale.make_calendar("ana")
    backend = CalDAVCalendar(radicale.url, "ana", "secret")
    start = datetime(2026, 11, 24, 9, tzinfo=BERLIN)
    text = ical.to_text(ical.build_event("A", start, start + timedelta(hours=1), uid="u-412"))
    first = await backend.create("u-412", text)
    await backend.update(first, text.replace("SUMMARY:A", "SUMMARY:B"))
    with pytest.raises(StaleCopy):
        await backend.update(first, text.replace("SUMMARY:A", "SUMMARY:C"))
    assert "SUMMARY:B" in (await backend.get("u-412")).text


async def test_concurrent_edit_on_the_server_is_merged_not_lost(radicale) -> None:
    radicale.make_calendar("ana")
    backend = MeddlingCalDAV(radicale.url, "ana", "secret")
    cal = CalendarService([backend], BERLIN)
    start = datetime(2026, 11, 24, 9, tzinfo=BERLIN)
    occ = await cal.add("Review", start, start + timedelta(hours=1))
    client, raw = other_client(radicale)

    def add_location() -> None:
        obj = raw.object_by_uid(occ.uid)
        obj.load()
        obj.data = obj.data.replace("SUMMARY:Review", "SUMMARY:Review\r\nLOCATION:Room 4")
        obj.save()

    backend.meddle = add_location
    await cal.move(occ, start + timedelta(hours=2))
    ev = server_event(radicale, occ.uid)
    assert ev["DTSTART"].dt == start + timedelta(hours=2)  # our change
    assert str(ev["LOCATION"]) == "Room 4"  # and theirs
    client.close()


async def test_concurrent_move_on_the_server_is_not_overwritten(radicale) -> None:
    radicale.make_calendar("ana")
    backend = MeddlingCalDAV(radicale.url, "ana", "secret")
    cal = CalendarService([backend], BERLIN)
    start = datetime(2026, 11, 24, 9, tzinfo=BERLIN)
    occ = await cal.add("Review", start, start + timedelta(hours=1))
    client, raw = other_client(radicale)

    def move_it() -> None:
        obj = raw.object_by_uid(occ.uid)
        obj.load()
        obj.data = obj.data.replace("T090000", "T073000").replace("T100000", "T083000")
        obj.save()

    backend.meddle = move_it
    with pytest.raises(CalendarConflict, match="Someone else changed"):
        await cal.move(occ, start + timedelta(hours=2))
    [now] = await cal.day(date(2026, 11, 24))
    assert now.start.astimezone(BERLIN).strftime("%H:%M") == "07:30"
    client.close()


async def test_server_down_and_bad_password_are_clear_errors(radicale) -> None:
    radicale.make_calendar("ana")
    wrong = CalendarService([CalDAVCalendar(radicale.url, "ana", "nope")], BERLIN)
    with pytest.raises(CalendarUnavailable, match="refused the login"):
        await wrong.day(date(2026, 11, 24))
    url = radicale.url
    radicale.stop()
    down = CalendarService([CalDAVCalendar(url, "ana", "secret", timeout=3)], BERLIN)
    with pytest.raises(CalendarUnavailable, match="cannot be reached"):
        start = datetime(2026, 11, 24, 9, tzinfo=BERLIN)
        await down.add("x", start, start + timedelta(hours=1))


async def test_users_do_not_see_each_other(radicale) -> None:
    radicale.make_calendar("ana")
    radicale.make_calendar("bob")
    ana = CalendarService([CalDAVCalendar(radicale.url, "ana", "secret")], BERLIN)
    bob = CalendarService([CalDAVCalendar(radicale.url, "bob", "hunter2")], BERLIN)
    start = datetime(2026, 11, 24, 9, tzinfo=BERLIN)
    await ana.add("Ana's secret", start, start + timedelta(hours=1))
    assert await bob.day(date(2026, 11, 24)) == []
    assert len(await ana.day(date(2026, 11, 24))) == 1
