"""The calendar's date words: days, times and zones come from the one resolver in
os1/language/dates.py (memory and reminders use it too); repetitions ("every week") from
recurrence. Importers use this module."""

from __future__ import annotations

from os1.language.dates import (  # noqa: F401  (the public names, as before)
    WhenError,
    check_exists,
    relative_moment,
    resolve_day,
    resolve_time,
    resolve_when,
    resolve_zone,
    split_zone,
)
from os1.language.times import Clock, _parse_clock, words_say_pm  # noqa: F401
from os1.language.words import MONTHS, WEEKDAYS  # noqa: F401
from os1.skills.calendar.recurrence import align, resolve_repeat  # noqa: F401

_check_exists = check_exists
