"""The CalDAV backend against a real radicale on 127.0.0.1: create/move/cancel as another client
sees them, recurrence on the server, a concurrent edit (412) that loses nothing, and a server
that is down or refuses the login."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import caldav
import pytest

from os1.skills.calendar import ical
from os1.skills.calendar.backends import CalDAVCalendar
from os1.skills.calendar.errors import CalendarConflict, CalendarUnavailable
from os1.skills.calendar.ical import Occurrence
from os1.skills.calendar.service import CalendarService
from tests.calendar_helpers import refuses_stale_copy

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


@dataclass
class Meddled:
    """A 'Review' event on ana's calendar, our backend that lets another client edit it between
    our read and our write, and that other client (closed after the test)."""

    backend: MeddlingCalDAV
    cal: CalendarService
    occ: Occurrence
    start: datetime
    client: caldav.DAVClient
    raw: caldav.Calendar


@pytest.fixture
async def meddled(radicale):
    radicale.make_calendar("ana")
    backend = MeddlingCalDAV(radicale.url, "ana", "secret")
    cal = CalendarService([backend], BERLIN)
    start = datetime(2026, 11, 24, 9, tzinfo=BERLIN)
    occ = await cal.add("Review", start, start + timedelta(hours=1))
    client, raw = other_client(radicale)
    yield Meddled(backend, cal, occ, start, client, raw)
    client.close()


async def test_stale_etag_gets_412_from_the_server(radicale) -> None:
    radicale.make_calendar("ana")
    await refuses_stale_copy(CalDAVCalendar(radicale.url, "ana", "secret"), "u-412")


async def test_concurrent_edit_on_the_server_is_merged_not_lost(radicale, meddled) -> None:
    backend, cal, occ, start, raw = meddled.backend, meddled.cal, meddled.occ, meddled.start, meddled.raw

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


async def test_concurrent_move_on_the_server_is_not_overwritten(radicale, meddled) -> None:
    backend, cal, occ, start, raw = meddled.backend, meddled.cal, meddled.occ, meddled.start, meddled.raw

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


async def test_event_moved_to_another_href_meanwhile_is_found_again_and_nothing_lost(radicale, meddled) -> None:
    """Another client rewrote the event under another name (same UID): our write gets 412, we
    look the UID up again, apply the move on its fresh copy; their change stays."""
    m = meddled
    backend, cal, occ, start, client, raw = m.backend, m.cal, m.occ, m.start, m.client, m.raw

    def rename() -> None:
        obj = raw.object_by_uid(occ.uid)
        obj.load()
        data = obj.data.replace("SUMMARY:Review", "SUMMARY:Review\r\nLOCATION:Room 9")
        obj.delete()
        r = client.put(str(raw.url) + "renamed-by-other-client.ics", data,
                       {"Content-Type": "text/calendar; charset=utf-8", "If-None-Match": "*"})
        assert r.status == 201

    backend.meddle = rename
    await cal.move(occ, start + timedelta(hours=3))
    ev = server_event(radicale, occ.uid)
    assert ev["DTSTART"].dt == start + timedelta(hours=3) and str(ev["LOCATION"]) == "Room 9"
    assert len(raw.search(event=True)) == 1


async def test_409_from_radicale_when_the_uid_exists_under_another_name(radicale, tmp_path) -> None:
    """Restoring a cancelled event whose UID another client has meanwhile used again: radicale
    answers 409 (no-uid-conflict); we stop with a clear question, overwrite nothing, keep the trash."""
    radicale.make_calendar("ana")
    cal = CalendarService([CalDAVCalendar(radicale.url, "ana", "secret")], BERLIN, trash=tmp_path / "trash")
    start = datetime(2026, 11, 24, 9, tzinfo=BERLIN)
    occ = await cal.add("Trip", start, start + timedelta(hours=1))
    await cal.cancel(occ)
    client, raw = other_client(radicale)
    theirs = ical.to_text(ical.build_event("Their trip", start, start + timedelta(hours=2), uid=occ.uid))
    assert client.put(str(raw.url) + "theirs.ics", theirs, {"Content-Type": "text/calendar"}).status == 201
    with pytest.raises(CalendarConflict, match=r"already exists on the server \(409\)"):
        await cal.restore(occ.uid)
    assert str(server_event(radicale, occ.uid)["SUMMARY"]) == "Their trip"
    assert list((tmp_path / "trash").glob("*.ics"))  # ours is still there to restore by hand
    client.close()


class Say409:
    """A minimal HTTP peer in front of radicale that answers the next N conditional PUTs with
    409 Conflict (radicale itself only says 409 for a UID clash, never for a concurrent change,
    which some servers do) and forwards everything else untouched."""

    def __init__(self, target_port: int, conflicts: int) -> None:
        import http.client
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        peer = self
        self.conflicts = conflicts
        self.seen_409 = 0

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                if self.command == "PUT" and self.headers.get("If-Match") and peer.conflicts > 0:
                    peer.conflicts -= 1
                    peer.seen_409 += 1
                    self.send_response(409)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                conn = http.client.HTTPConnection("127.0.0.1", target_port, timeout=10)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                conn.request(self.command, self.path, body or None, headers)
                r = conn.getresponse()
                data = r.read()
                self.send_response(r.status)
                for k, v in r.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = do_OPTIONS = do_HEAD = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


async def test_409_on_a_change_reloads_and_retries_then_asks(radicale) -> None:
    radicale.make_calendar("ana")
    peer = Say409(radicale.port, conflicts=1)
    try:
        cal = CalendarService([CalDAVCalendar(peer.url, "ana", "secret")], BERLIN)
        start = datetime(2026, 11, 24, 9, tzinfo=BERLIN)
        occ = await cal.add("Standup", start, start + timedelta(minutes=15))
        await cal.move(occ, start + timedelta(hours=1))  # one 409: reloaded, retried, done
        assert peer.seen_409 == 1
        assert server_event(radicale, occ.uid)["DTSTART"].dt == start + timedelta(hours=1)
        peer.conflicts = 10  # a server that keeps saying 409: stop and say so, change nothing
        [moved] = await cal.day(date(2026, 11, 24))
        with pytest.raises(CalendarConflict, match="keeps changing"):
            await cal.move(moved, start + timedelta(hours=2))
        assert server_event(radicale, occ.uid)["DTSTART"].dt == start + timedelta(hours=1)
    finally:
        peer.stop()
