"""What the calendar skill offers other skills: its resolver of the user's date and time words
("Sunday", "7am", "in 20 minutes") into exact moments, and the error it raises when they are
unclear. The reminders skill uses it; nothing else of the calendar is public."""

from __future__ import annotations

from os1.skills.calendar.clock_times import _parse_clock as parse_clock
from os1.skills.calendar.errors import WhenError
from os1.skills.calendar.extract import ground, ground_hint
from os1.skills.calendar.resolve import resolve_when

__all__ = ["WhenError", "ground", "ground_hint", "parse_clock", "resolve_when"]
