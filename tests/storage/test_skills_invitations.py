"""The calendar's invitations repository contract (os1.skills.calendar.invitations), for every
backend: an iTIP message is kept once, a newer one supersedes the waiting one, answers stick."""

from __future__ import annotations

from datetime import UTC, datetime

from os1.skills.calendar.invitations import Invitations
from os1.skills.calendar.itip import Itip

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def itip(method: str = "REQUEST", sequence: int = 0, start: datetime | None = START) -> Itip:
    return Itip(method, "lunch-1@amy", sequence, "Lunch", start, "amy@example.org", [], f"BEGIN:VCALENDAR…{sequence}")


async def test_kept_once_and_listed_while_waiting(db) -> None:
    kept = Invitations(db)
    assert await kept.remember("sam", "<m1>", "amy@example.org", itip(), "pending")
    assert not await kept.remember("sam", "<m1>", "amy@example.org", itip(), "pending")
    assert await kept.known_keys("sam") == {"<m1>"} and await kept.known_keys("bob") == set()
    [inv] = await kept.pending("sam")
    assert (inv.uid, inv.organizer, inv.summary, inv.status) == ("lunch-1@amy", "amy@example.org", "Lunch", "pending")
    assert inv.starts_at.startswith("2026-11-24T12:00") and "Lunch" in inv.describe()
    [(uid, seq, org, summary, starts, ics)] = await kept.waiting("sam")
    assert (uid, seq, org, summary, ics) == ("lunch-1@amy", 0, "amy@example.org", "Lunch", "BEGIN:VCALENDAR…0")
    assert starts is not None and await kept.pending("bob") == []


async def test_an_update_supersedes_and_answers_and_cancellations_stick(db) -> None:
    kept = Invitations(db)
    await kept.remember("sam", "<m1>", "amy@example.org", itip(), "pending")
    await kept.remember("sam", "<m2>", "amy@example.org", itip(sequence=1, start=None), "pending")
    await kept.supersede("sam", "lunch-1@amy", 1, "<m2>")
    [newer] = await kept.pending("sam")
    assert newer.starts_at == "" and [w[1] for w in await kept.waiting("sam")] == [1]
    await kept.set_status("sam", newer.id, "accepted")
    assert await kept.pending("sam") == []
    await kept.remember("sam", "<m3>", "amy@example.org", itip(sequence=2), "pending")
    await kept.cancel("sam", "lunch-1@amy")
    assert await kept.pending("sam") == []
    await kept.remember("sam", "<m4>", "amy@example.org", itip("REPLY"), "applied")
    assert await kept.pending("sam") == [] and "<m4>" in await kept.known_keys("sam")
