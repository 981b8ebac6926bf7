"""Calendar events from the agenda page through the real server against a real radicale: added
with the words a person uses, moved, cancelled after a confirmation and brought back, each on
the CalDAV server; another user can neither see nor touch them."""

from __future__ import annotations

import html
import re
from datetime import datetime, time, timedelta
from urllib.parse import unquote

from conftest import account
from test_web_agenda import connect_calendar

from os1.core.context import local_zone


def links(page: str, kind: str) -> list[str]:
    return [html.unescape(u) for u in re.findall(rf'href="(/agenda/events/{kind}\?[^"]+)"', page)]


async def test_add_move_cancel_and_restore_an_event_on_the_server(served, radicale):
    alice, bob = await account(served, "alice"), await account(served, "bob")
    cal = await connect_calendar(served, radicale, "alice")
    zone = local_zone(served["settings"])
    tomorrow = datetime.now(zone).date() + timedelta(days=1)

    added = await alice.post("/agenda/events", {"title": "Dentist", "day": "tomorrow", "time": "9am", "minutes": "30"})
    assert added.status_code == 303, added.text
    on_server = await cal.day(tomorrow)
    assert [(o.title, o.start.astimezone(zone).time(), o.end - o.start) for o in on_server] == [
        ("Dentist", time(9), timedelta(minutes=30))]
    page = (await alice.get(added.headers["location"])).text
    assert "09:00–09:30 Dentist" in page and 'id="event-done"' in page

    wrong = await alice.post("/agenda/events", {"title": "Party", "day": "the day after never", "time": ""})
    assert wrong.status_code == 400 and 'id="event-error"' in wrong.text and 'value="Party"' in wrong.text

    move_link = links(page, "move")[0]
    assert (await bob.get(move_link)).status_code == 404  # alice's event is not bob's
    form = await alice.get(move_link)
    assert form.status_code == 200 and "Dentist" in form.text
    uid, at = re.search(r"uid=([^&]+)&at=(.+)$", move_link).groups()
    uid, at = unquote(uid), unquote(at)
    assert (await bob.post("/agenda/events/move", {"uid": uid, "at": at, "time": "4pm"})).status_code == 404
    moved = await alice.post("/agenda/events/move", {"uid": uid, "at": at, "time": "4pm"})
    assert moved.status_code == 303, moved.text
    assert [o.start.astimezone(zone).time() for o in await cal.day(tomorrow)] == [time(16)]  # same day
    empty = await alice.post("/agenda/events/move", {"uid": uid, "at": at})
    assert empty.status_code == 404  # the old start is gone: it was moved

    page = (await alice.get("/agenda")).text
    cancel_link = links(page, "cancel")[0]
    assert "Yes, cancel it" in (await alice.get(cancel_link)).text
    assert len(await cal.day(tomorrow)) == 1  # asking is not cancelling
    _, at = (unquote(x) for x in re.search(r"uid=([^&]+)&at=(.+)$", cancel_link).groups())
    assert (await bob.post("/agenda/events/cancel", {"uid": uid, "at": at})).status_code == 404
    cancelled = await alice.post("/agenda/events/cancel", {"uid": uid, "at": at})
    assert cancelled.status_code == 303 and await cal.day(tomorrow) == []
    page = (await alice.get(cancelled.headers["location"])).text
    assert "Cancelled" in page and 'id="restore"' in page
    assert (await bob.post("/agenda/events/restore", {"uid": uid})).status_code == 404  # bob's trash is his
    restored = await alice.post("/agenda/events/restore", {"uid": uid})
    assert restored.status_code == 303
    assert [o.title for o in await cal.day(tomorrow)] == ["Dentist"]
    for c in (alice, bob):
        await c.aclose()
