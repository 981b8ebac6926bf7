"""Add, move and cancel an event from conversation with the real embedded model (0.5B,
temperature 0): the model copies the user's words into the tool call, OS1's resolver does the
date arithmetic, and every change is confirmed."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from os1.events import EventType
from os1.skills.calendar.service import open_service

BERLIN = ZoneInfo("Europe/Berlin")


def next_weekday(today, weekday: int):
    """The first such weekday after today (the stated convention), computed independently."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


@pytest.mark.model
async def test_add_move_cancel_from_conversation(companion, settings) -> None:
    companion.settings.timezone = "Europe/Berlin"
    asked = []

    async def yes(request):
        asked.append(request.tool)
        return True

    session = await companion.session(confirm=yes)
    cal = open_service(settings.data_dir, "tester", BERLIN)
    today = datetime.now(BERLIN).date()

    async def say(text):
        return [e async for e in session.turn(text)]

    await say("Add lunch with Amy next Tuesday at one to my calendar.")
    tuesday = next_weekday(today, 1)
    [occ] = [o for o in await cal.day(tuesday) if "amy" in o.title.lower()]
    assert occ.start.astimezone(BERLIN).strftime("%H:%M") == "13:00"
    assert asked == ["add_event"]

    await say("Move lunch with Amy to Wednesday at 2pm.")
    wednesday = next_weekday(today, 2)
    [moved] = [o for o in await cal.day(wednesday) if "amy" in o.title.lower()]
    assert moved.start.astimezone(BERLIN).strftime("%H:%M") == "14:00"
    assert not [o for o in await cal.day(tuesday) if "amy" in o.title.lower()]

    events = await say("Cancel lunch with Amy.")
    calls = [e.data["tool"] for e in events if e.type == EventType.TOOL_CALL]
    assert "change_event" in calls
    assert not [o for o in await cal.day(wednesday) if "amy" in o.title.lower()]
    assert asked == ["add_event", "change_event", "change_event"]
