"""The reminder schedule's contract (os1.core.schedule.ReminderSchedule), for every backend:
a reminder fires once, into the outbox, in the same transaction; source keys schedule once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from os1.core.schedule import Outbox, ReminderSchedule

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


async def test_added_reminders_come_back_due_in_order(db) -> None:
    s = ReminderSchedule(db)
    later = await s.add("amy", "reminder", "later", NOW + timedelta(hours=1), zone="Europe/Berlin")
    sooner = await s.add("amy", "alarm", "sooner", NOW - timedelta(minutes=1), stale_after_s=60)
    assert [r.id for r in await s.list("amy")] == [sooner, later]
    [due] = await s.due("amy", NOW)
    assert (due.id, due.kind, due.text, due.status, due.stale_after_s) == (sooner, "alarm", "sooner", "pending", 60)
    assert due.due_at == NOW - timedelta(minutes=1) and (await s.get("amy", later)).zone == "Europe/Berlin"
    assert await s.next_due("amy") == NOW - timedelta(minutes=1)
    assert await s.list("bob") == [] and await s.get("bob", later) is None


async def test_firing_is_once_and_puts_the_message_in_the_outbox(db) -> None:
    s, box = ReminderSchedule(db), Outbox(db)
    rid = await s.add("amy", "reminder", "call mum", NOW)
    item = await s.fire("amy", rid, NOW, 1.5, "Reminder: call mum", "reminder", True)
    assert item is not None
    assert await s.fire("amy", rid, NOW, 2.0, "again", "reminder", True) is None
    [r] = await s.list("amy", "fired")
    assert r.fired_at == NOW and r.late_s == 1.5
    [waiting] = await box.undelivered("amy")
    assert (waiting.id, waiting.text, waiting.urgent, waiting.reminder_id) == (item, "Reminder: call mum", True, rid)


async def test_source_keys_schedule_once_and_unwanted_ones_are_cancelled(db) -> None:
    s = ReminderSchedule(db)
    assert await s.add("amy", "meeting", "A", NOW, source_key="meeting:a") is not None
    assert await s.add("amy", "meeting", "A again", NOW, source_key="meeting:a") is None
    await s.add("amy", "meeting", "B", NOW, source_key="meeting:b")
    assert await s.known("amy", "meeting:a") and not await s.known("bob", "meeting:a")
    assert await s.cancel_keys("amy", "meeting:", {"meeting:a"}, NOW + timedelta(days=1)) == 1
    assert [r.text for r in await s.list("amy", "pending")] == ["A"]
    assert await s.scheduled_since("amy", "meeting", NOW - timedelta(days=1))
    assert not await s.scheduled_since("amy", "insight", NOW - timedelta(days=1))


async def test_status_reschedule_and_snooze(db) -> None:
    s = ReminderSchedule(db)
    rid = await s.add("amy", "reminder", "x", NOW)
    assert await s.reschedule("amy", rid, NOW + timedelta(hours=8))
    assert (await s.get("amy", rid)).due_at == NOW + timedelta(hours=8)
    await s.fire("amy", rid, NOW + timedelta(hours=8), 0.0, "x", "reminder", True)
    assert await s.reschedule("amy", rid, NOW + timedelta(hours=9), snooze=True)
    again = await s.get("amy", rid)
    assert (again.status, again.snoozes, again.fired_at) == ("pending", 1, None)
    assert await s.set_status("amy", rid, "cancelled")
    assert not await s.set_status("amy", rid, "dropped")  # only a pending one changes
    assert not await s.reschedule("bob", rid, NOW)
