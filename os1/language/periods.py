"""Dates said in passing ("in May", "yesterday", "two years ago") resolved against when they
were said, and the stretch of time a question names; the public names are in dates.py.

Small models are poor at date arithmetic, so the model only copies the words that say when, and
this module does the arithmetic. Impossible dates ("February 30") resolve to nothing, never to a
guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from dateparser.date import DateDataParser

from os1.language.words import MONTH, WEEKDAY, spelled

_LEADING = re.compile(r"^(?:last|this|in|on|at|since|back in|around|about)\s+", re.IGNORECASE)
_FORMATS = {"day": "%d %b %Y", "week": "week of %d %b %Y", "month": "%B %Y", "year": "%Y"}
# The same dates as words that read on in a sentence, long after it was said.
_PHRASES = {"day": "on %-d %B %Y", "week": "in the week of %-d %B %Y", "month": "in %B %Y", "year": "in %Y"}


@dataclass(frozen=True)
class When:
    at: datetime  # aware, in the conversation's zone
    period: str  # day | week | month | year: how precise the words were

    def label(self) -> str:
        return self.at.strftime(_FORMATS.get(self.period, _FORMATS["day"]))

    def phrase(self, *, since: bool = False) -> str:
        """"on 3 December 2026", "in May 2026": what "yesterday" or "in May" meant when said,
        to stand in their place ("since May 2026" with `since`)."""
        text = self.at.strftime(_PHRASES.get(self.period, _PHRASES["day"]))
        return "since " + text.split(" ", 1)[1] if since else text


def said_date(phrase: str, said_at: datetime, *, future: bool = False) -> When | None:
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


_NUMBER = r"\d+|an?|" + spelled(12)
# Words in a question that name a time. A month alone needs a word before it ("in May"), a year
# alone a preposition ("in 2022"): "may" is also a verb, and a bare number is often no year.
_PERIOD = re.compile(
    rf"\b(?:(?:(?:in|on|during|from|early|late|mid)\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?"
    rf"{MONTH}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?,?\s+(?:19|20)\d\d"
    rf"|(?:in|during|back in|from)\s+(?:19|20)\d\d"
    rf"|(?:in|during|last|this|early|late|mid)\s+{MONTH}"
    rf"|(?:last|this)\s+weekend"
    rf"|yesterday|today|tonight|last night|this (?:morning|afternoon|evening)"
    rf"|(?:last|this|past)\s+(?:week|month|year)"
    rf"|(?:{_NUMBER})\s+(?:days?|weeks?|months?|years?)\s+ago"
    rf"|(?:on|last|this)\s+{WEEKDAY})\b",
    re.IGNORECASE,
)
_SOFT_START = re.compile(r"^(?:during|from|back in|early|late|mid)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """A stretch of time a query names, [start, end) in the zone of the moment it was asked."""

    start: datetime
    end: datetime
    phrase: str  # the words that named it, as written
    span: tuple[int, int]  # where they are in the query

    def __contains__(self, when: datetime) -> bool:
        return self.start <= when < self.end


def period_in(query: str, now: datetime) -> Period | None:
    """The first stretch of time `query` names ("yesterday", "last week", "in May", "October
    2023", "July 12, 2022"), resolved against `now` (aware), or None where it names none."""
    if now.tzinfo is None:
        return None
    for match in _PERIOD.finditer(query):
        phrase = match.group(0)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        if phrase.lower().endswith("weekend"):  # the last Saturday and Sunday, or this one
            saturday = midnight - timedelta(days=(now.weekday() - 5) % 7)
            if phrase.lower().startswith("last") and now.weekday() >= 5:
                saturday -= timedelta(days=7)
            return Period(saturday, saturday + timedelta(days=2), phrase, match.span())
        when = said_date(_SOFT_START.sub("", phrase), now)
        if when is None:
            continue
        at = when.at.replace(hour=0, minute=0, second=0, microsecond=0)
        if when.period == "year":
            start = at.replace(month=1, day=1)
            end = start.replace(year=start.year + 1)
        elif when.period == "month":
            start = at.replace(day=1)
            end = (start + timedelta(days=32)).replace(day=1)
        elif when.period == "week":
            start = at - timedelta(days=at.weekday())
            end = start + timedelta(days=7)
        else:
            start, end = at, at + timedelta(days=1)
        return Period(start, end, phrase, match.span())
    return None
