"""The calendar's date words: days, times and zones come from the one resolver in
os1/language/dates.py (memory and reminders use it too); repetitions ("every week") from
recurrence. Importers use this module."""

from __future__ import annotations

from os1.language.dates import (
    WhenError,
    check_exists,
    relative_moment,
    resolve_day,
    resolve_time,
    resolve_when,
    resolve_zone,
    split_zone,
)
from os1.language.times import Clock, _parse_clock, words_say_pm  # noqa: F401  (_parse_clock: as before)
from os1.language.words import MONTHS, WEEKDAYS
from os1.skills.calendar.recurrence import align, resolve_repeat

__all__ = [  # the public names, as before
    "MONTHS", "WEEKDAYS", "Clock", "WhenError", "align", "check_exists", "relative_moment",
    "resolve_day", "resolve_repeat", "resolve_time", "resolve_when", "resolve_zone", "split_zone",
    "words_say_pm",
]

_check_exists = check_exists
