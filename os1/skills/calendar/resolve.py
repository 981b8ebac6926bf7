"""Turn the model's phrase pieces ("next Tuesday", "at one", "every week") into exact dates,
times, zones and recurrence rules — deterministically, against the conversation's own date and
zone. Small models are bad at date arithmetic; they only copy the words, this module counts.

Conventions (stated so they can be checked): a bare weekday or "next <weekday>" is the first
such day after today ("this <weekday>" may be today); a date without a year is the next one
that has not passed; an hour 1–6 without am/pm or a hint from the title is ambiguous and asked
about; 7–11 is the morning and 12 is noon.

The pieces live in their own modules — vocabulary, days, clock_times, zones, recurrence — and
this one puts a day, a time and a zone together (resolve_when). Importers use this module.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from os1.skills.calendar.clock_times import (  # noqa: F401  (the public names, as before)
    Clock, _parse_clock, relative_moment, resolve_time, words_say_pm,
)
from os1.skills.calendar.days import resolve_day  # noqa: F401
from os1.skills.calendar.errors import WhenError
from os1.skills.calendar.recurrence import align, resolve_repeat  # noqa: F401
from os1.skills.calendar.vocabulary import MONTHS, WEEKDAYS  # noqa: F401
from os1.skills.calendar.zones import resolve_zone, split_zone  # noqa: F401


def resolve_when(
    day: str, time_phrase: str, now: datetime, zone: tzinfo, *, hint: str = "", zone_phrase: str = ""
) -> datetime | date:
    """A day and a time phrase → an aware datetime in the event's zone (a date if no time).

    `now` is the moment of the conversation; relative phrases count from it. A local time that
    does not exist (skipped by a DST change) or happens twice is refused with a question."""
    rel = relative_moment(time_phrase, now) or relative_moment(day, now)
    if rel is not None:
        return rel.astimezone(zone)
    time_part, zone_in_time = split_zone(time_phrase)
    event_zone = resolve_zone(zone_phrase or zone_in_time, zone)
    today = now.astimezone(zone).date()
    the_day = resolve_day(day, today)
    if not time_part.strip():
        return the_day
    t = resolve_time(time_part, f"{hint} {day} {time_phrase}")
    # An explicit other zone: the day is understood in that zone, as the user said it.
    moment = datetime.combine(the_day, t, tzinfo=event_zone)
    _check_exists(moment, event_zone)
    if moment < now - timedelta(minutes=1) and not day.strip():
        moment += timedelta(days=1)  # "at 7" said at 21:00 means tomorrow morning
        _check_exists(moment, event_zone)
    return moment


def _check_exists(moment: datetime, zone: tzinfo) -> None:
    back = moment.astimezone(ZoneInfo("UTC")).astimezone(zone)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise WhenError(
            f"{moment:%H:%M} does not exist on {moment:%d %B %Y} in {zone}: the clocks "
            "skip that hour.",
            fix="Pick a time outside the skipped hour.",
        )
