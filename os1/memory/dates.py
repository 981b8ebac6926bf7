"""Relative dates ("in May", "yesterday", "two years ago") resolved against when they were said.

Small models are poor at date arithmetic, so the model only copies the words that say when, and
this module does the arithmetic. Impossible dates ("February 30") resolve to nothing, never to a
guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from dateparser.date import DateDataParser

_LEADING = re.compile(r"^(?:last|this|in|on|at|since|back in|around|about)\s+", re.IGNORECASE)
_FORMATS = {"day": "%d %b %Y", "week": "week of %d %b %Y", "month": "%B %Y", "year": "%Y"}


@dataclass(frozen=True)
class When:
    at: datetime  # aware, in the conversation's zone
    period: str  # day | week | month | year: how precise the words were

    def label(self) -> str:
        return self.at.strftime(_FORMATS.get(self.period, _FORMATS["day"]))


def resolve(phrase: str, said_at: datetime, *, future: bool = False) -> When | None:
    """The date `phrase` means when said at `said_at` (aware), or None if it names no real date.
    An unanchored phrase ("in April") is taken as the last one, or the next one for `future`."""
    phrase = " ".join(phrase.split())[:80]
    if not phrase or said_at.tzinfo is None:
        return None
    base = said_at.replace(tzinfo=None)
    parser = DateDataParser(
        languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future" if future else "past"}
    )
    candidates = [phrase]
    if (stripped := _LEADING.sub("", phrase)) != phrase:
        candidates.append(stripped)  # "last May" is not understood, "May" is
    for text in candidates:
        try:
            data = parser.get_date_data(text)
        except (ValueError, OverflowError):
            continue
        if data.date_obj is not None:
            at, period = data.date_obj.replace(tzinfo=said_at.tzinfo), data.period or "day"
            midnight = {"hour": 0, "minute": 0, "second": 0, "microsecond": 0}
            if period == "month" and not re.search(r"(?<!\d)\d{1,2}(st|nd|rd|th)?(?!\d)", text):
                at = at.replace(day=1, **midnight)  # "in May": the month, not this day of it
            elif period == "year" and re.fullmatch(r"(?:in |since )?\d{4}", text, re.I):
                at = at.replace(month=1, day=1, **midnight)
            return When(at, period)
    return None
