"""`os1 calendar …`, `os1 reminders …` and `os1 contacts …` as a user runs them."""

from __future__ import annotations

import asyncio

from tests.cli_helpers import os1, out


def test_calendar_reminders_contacts_commands(settings, monkeypatch) -> None:
    monkeypatch.setenv("OS1_TIMEZONE", "Europe/Berlin")
    r = os1("calendar", "add", "Standup", "--day", "monday", "--time", "9:30", "--repeat", "weekdays")
    assert r.returncode == 0 and "09:30–10:30 Standup (repeats)" in out(r)
    r = os1("calendar", "add", "Call", "--day", "tomorrow", "--time", "5")
    assert r.returncode == 2 and "morning or in the afternoon" in out(r)
    r = os1("calendar", "agenda", "next week")
    assert out(r).count("Standup") == 5
    r = os1("reminders", "add", "call mum", "--day", "sunday", "--time", "10am")
    assert r.returncode == 0
    assert "[reminder] call mum (pending)" in out(os1("reminders", "list"))
    r = os1("contacts", "add", "Amy Lee", "--email", "amy@example.org", "--birthday", "1990-11-24")
    assert r.returncode == 0
    assert "Amy Lee  amy@example.org  birthday 24 Nov" in out(os1("contacts", "list"))
    bad = settings.data_dir / "bad.ics"
    bad.write_text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:no start\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    r = os1("calendar", "import", str(bad))
    assert r.returncode == 2 and "no start time" in out(r)


async def test_end_of_input_is_said_to_every_later_read(monkeypatch) -> None:
    """A confirmation that met the end of piped input must not leave the chat waiting forever
    for one more line (the chat reads again after the answer): every read after EOF is None."""
    import io

    from os1.interfaces.cli.lines import LineReader

    monkeypatch.setattr("sys.stdin", io.StringIO("only line\n"))
    reader = LineReader(asyncio.get_running_loop())
    assert await asyncio.wait_for(reader.read(), 5) == "only line\n"
    assert await asyncio.wait_for(reader.read(), 5) is None
    assert await asyncio.wait_for(reader.read(), 5) is None
