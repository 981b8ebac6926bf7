"""The reminder tool: "wake me at 7", "remind me to call my mother on Sunday", "in 20 minutes".
A reminder is the user's own and can be cancelled, so it needs no confirmation."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Annotated, Any

from pydantic import Field

from os1.core.context import local_zone
from os1.core.schedule import ReminderSchedule
from os1.core.scheduler import poke_all
from os1.core.tools import ToolContext, by_words, tool
from os1.core.turns import conversation_now, user_words
from os1.errors import WhenError
from os1.language.dates import resolve_when
from os1.language.grounding import ground, ground_hint

DEFAULT_TIME = time(9)  # "on Sunday" with no time: in the morning
STALE = {"alarm": 3600, "reminder": 12 * 3600}
# Offered only on turns that ask to be reminded or woken: the rule ("remind") and why are in
# os1/language/routing.py.


def kind_of(what: str) -> str:
    return "alarm" if re.search(r"\b(wake|alarm|get up)\b", what.lower()) else "reminder"


def when_of(day: str, time_phrase: str, now: datetime, zone: Any, what: str) -> datetime:
    if not day.strip() and not time_phrase.strip():  # not 9:00 today unasked
        raise WhenError("No day or time was given.", fix="When should I remind you?")
    moment = resolve_when(day, time_phrase, now, zone, hint=what)
    if not isinstance(moment, datetime):  # a day without a time
        moment = datetime.combine(moment, DEFAULT_TIME, tzinfo=zone)
        if moment <= now:
            raise WhenError("That is already past.", fix="At what time should I remind you?")
    if moment <= now - timedelta(minutes=1):
        raise WhenError(f"{moment:%a %d %b %H:%M} is in the past.", fix="When should it be?")
    return moment


@tool(prepare=by_words)
async def set_reminder(
    ctx: ToolContext,
    what: Annotated[str, Field(min_length=1, max_length=300, description="what to remind of, e.g. 'call my mother', 'wake up'")],
    day: Annotated[str, Field(description="the user's words for the day, e.g. 'Sunday'; empty for today")] = "",
    time: Annotated[str, Field(description="the user's words for the time, e.g. '7am', 'in 20 minutes'")] = "",
) -> str:
    """Only when asked to remind or wake the user: set a reminder or alarm."""
    zone = local_zone(ctx.settings)
    now = await conversation_now(ctx)
    said = await user_words(ctx)
    day, time = ground(day, time, said)  # only words the user said
    moment = when_of(day, time, now, zone, ground_hint(what, said))
    kind = kind_of(what)
    reminders = ReminderSchedule(ctx.store)
    text = "Time to wake up!" if kind == "alarm" else f"Reminder: {what.strip()}"
    rid = await reminders.add(
        ctx.user, kind, text, moment, zone=str(zone), stale_after_s=STALE[kind], now=now
    )
    poke_all()
    label = "Alarm" if kind == "alarm" else "Reminder"
    return f"{label} #{rid} set for {moment.astimezone(zone):%a %d %b %H:%M}: {what.strip()}."
