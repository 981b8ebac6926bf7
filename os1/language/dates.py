"""One date and time resolver for memory, the calendar and reminders: the model copies the
user's words, this code counts. Why one module and two engines behind it
(docs/decisions/0009-one-date-resolver.md): hand-written rules (days.py, times.py, zones.py) place
what the user asks to be done, forward, exactly, and refuse with a question what does not exist
or is ambiguous ("at 5": am or pm?); the scheduling accuracy rests on them, and dateparser
guesses where they ask. dateparser (periods.py) dates what was said in the past ("two years
ago", "last May"), phrasing the rules never covered. Each question has one entry point here.

Conventions: a bare weekday or "next <weekday>" is the first such day after today ("this
<weekday>" may be today); a date without a year is the next one that has not passed; an hour 1-6
without am/pm or a hint from the title is asked about; 7-11 is the morning and 12 is noon.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from os1.errors import WhenError
from os1.language.days import resolve_day
from os1.language.periods import Period, When, period_in, said_date
from os1.language.times import relative_moment, resolve_time
from os1.language.zones import resolve_zone, split_zone

__all__ = [
    "Period", "When", "WhenError", "check_exists", "period_in", "relative_moment", "resolve_day",
    "resolve_time", "resolve_when", "resolve_zone", "said_date", "split_zone",
]
# The questions and their entry points:
#   a day to do something on ("next Tuesday", "the 3rd")    resolve_day(phrase, today)
#   a time of day ("one", "half past seven", "noon")        resolve_time(phrase, hint)
#   a moment: a day, a time and maybe a zone                resolve_when(day, time, now, zone)
#   the date of something said ("two years ago", "in May")  said_date(phrase, said_at)
#   the stretch of time a question names ("last week")      period_in(query, now)


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
    check_exists(moment, event_zone)
    if moment < now - timedelta(minutes=1) and not day.strip():
        moment += timedelta(days=1)  # "at 7" said at 21:00 means tomorrow morning
        check_exists(moment, event_zone)
    return moment


def check_exists(moment: datetime, zone: tzinfo) -> None:
    """Refuse a local time that the clocks skip in `zone` (a DST change)."""
    back = moment.astimezone(ZoneInfo("UTC")).astimezone(zone)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise WhenError(
            f"{moment:%H:%M} does not exist on {moment:%d %B %Y} in {zone}: the clocks "
            "skip that hour.",
            fix="Pick a time outside the skipped hour.",
        )
