"""The English words that dates, times and counts are made of, each list once: weekdays, months,
numbers written out, ordinals, parts of the day and the words that say morning or evening.

The date resolver (dates.py), the routing rules (routing.py), memory's dating of facts and the
grounding of a model's day and time phrases all build their patterns from these lists, so a
word added here is understood everywhere at once.
"""

from __future__ import annotations

import calendar as _cal

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A weekday's name and its short forms -> 0 (Monday) .. 6 (Sunday).
WEEKDAY_NUMBERS = (
    {d: i for i, d in enumerate(WEEKDAYS)} | {d[:3]: i for i, d in enumerate(WEEKDAYS)}
    | {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
)
MONTH_NAMES = tuple(m.lower() for m in _cal.month_name if m)
# A month's name and its short forms -> 1..12.
MONTHS = (
    {m: i for i, m in enumerate(MONTH_NAMES, 1)}
    | {m.lower(): i for i, m in enumerate(_cal.month_abbr) if m} | {"sept": 9}
)
NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45,
    "fifty": 50, "a": 1, "an": 1, "a couple of": 2, "couple of": 2, "few": 3, "a few": 3,
}
# "one" .. "twelve", in order: the hours of a clock and the counts of "three weeks ago".
COUNTING = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve")
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fifteenth": 15, "twentieth": 20, "last": -1,
}
PARTS_OF_DAY = ("morning", "afternoon", "evening", "night")
# Words in an event's title or day that settle an hour said without am or pm ("lunch at one").
PM_HINTS = ("lunch", "dinner", "drinks", "evening", "tonight", "afternoon", "party", "pm", "supper")
AM_HINTS = ("breakfast", "morning", "wake", "alarm", "am", "brunch")

# Regular expression pieces (no groups that capture, no flags: callers add their own).
WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"  # a weekday's full name
MONTH = "(?:" + "|".join(MONTH_NAMES) + ")"  # a month's full name
# A month's name or any short form of it: "dec", "Sept", "december".
MONTH_OR_SHORT = "(?:" + "|".join(sorted({m[:3] for m in MONTH_NAMES} | {"sept"})) + ")[a-z]*"


def spelled(upto: int = 12) -> str:
    """The numbers one..`upto` written out, as alternatives of a pattern: "one|two|…"."""
    return "|".join(COUNTING[:upto])


def number(word: str) -> int | None:
    """A count written in digits or words ("3", "three", "twenty-five", "a couple of"), or
    None if it is none."""
    word = word.strip()
    if word.isdigit():
        return int(word)
    if word in NUMBERS:
        return NUMBERS[word]
    parts = word.replace("-", " ").split()
    if len(parts) == 2 and parts[0] in NUMBERS and parts[1] in NUMBERS:
        return NUMBERS[parts[0]] + NUMBERS[parts[1]]
    return None
