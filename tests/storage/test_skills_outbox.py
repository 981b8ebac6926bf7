"""The outbox's contract (os1.core.schedule.Outbox), for every backend: what OS1 says first waits
until shown, urgent first, and is counted once delivered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from os1.core.schedule import Outbox

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


async def test_urgent_first_then_in_order_and_per_user(db) -> None:
    box = Outbox(db)
    a = await box.post("amy", "checkin", "hello", NOW)
    b = await box.post("amy", "alarm", "wake up", NOW, urgent=True)
    c = await box.post("amy", "birthday", "Bo's birthday", NOW)
    await box.post("bob", "checkin", "bob's", NOW)
    got = await box.undelivered("amy")
    assert [i.id for i in got] == [b, a, c]
    assert (got[0].kind, got[0].urgent, got[0].created_at, got[0].reminder_id) == ("alarm", True, NOW, None)
    assert [i.text for i in await box.undelivered("bob")] == ["bob's"]


async def test_delivered_once_and_counted(db) -> None:
    box = Outbox(db)
    a = await box.post("amy", "checkin", "hello", NOW)
    await box.post("amy", "alarm", "wake", NOW, urgent=True)
    await box.mark_delivered("amy", a, NOW + timedelta(minutes=1))
    await box.mark_delivered("amy", a, NOW + timedelta(minutes=30))  # once: the first time stays
    assert [i.text for i in await box.undelivered("amy")] == ["wake"]
    assert await box.delivered_since("amy", NOW) == 1
    assert await box.delivered_since("amy", NOW + timedelta(minutes=2)) == 0
    assert await box.delivered_since("amy", NOW, urgent=True) == 0
    await box.mark_delivered("bob", a, NOW)  # not bob's to mark
    assert await box.delivered_since("bob", NOW) == 0
