"""The words date and time phrases are made of: weekdays, months, numbers written out, ordinals,
the title words that say morning or evening, and zone abbreviations (shared by the resolvers)."""

from __future__ import annotations

import calendar as calmod
import re

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WD = {d: i for i, d in enumerate(WEEKDAYS)} | {d[:3]: i for i, d in enumerate(WEEKDAYS)}
_WD |= {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
MONTHS = {m.lower(): i for i, m in enumerate(calmod.month_name) if m}
MONTHS |= {m.lower(): i for i, m in enumerate(calmod.month_abbr) if m} | {"sept": 9}
NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45,
    "fifty": 50, "a": 1, "an": 1, "a couple of": 2, "couple of": 2, "few": 3, "a few": 3,
}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fifteenth": 15, "twentieth": 20, "last": -1,
}
PM_HINTS = ("lunch", "dinner", "drinks", "evening", "tonight", "afternoon", "party", "pm", "supper")
AM_HINTS = ("breakfast", "morning", "wake", "alarm", "am", "brunch")
ABBREVIATIONS = {
    "utc": "UTC", "gmt": "Europe/London", "bst": "Europe/London", "cet": "Europe/Berlin",
    "cest": "Europe/Berlin", "est": "America/New_York", "edt": "America/New_York",
    "et": "America/New_York", "cst": "America/Chicago", "cdt": "America/Chicago",
    "mst": "America/Denver", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles", "jst": "Asia/Tokyo", "ist": "Asia/Kolkata",
    "aest": "Australia/Sydney",
}


def _clean(text: str) -> str:
    text = text.lower().strip().replace(",", " ").replace(".", " ")
    text = re.sub(r"\b(the|of|on|at|around|about|by|from|for)\b", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _number(word: str) -> int | None:
    word = word.strip()
    if word.isdigit():
        return int(word)
    if word in NUMBERS:
        return NUMBERS[word]
    parts = word.replace("-", " ").split()
    if len(parts) == 2 and parts[0] in NUMBERS and parts[1] in NUMBERS:
        return NUMBERS[parts[0]] + NUMBERS[parts[1]]
    return None
