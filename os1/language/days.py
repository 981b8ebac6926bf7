"""Day phrases → a date, counted from the conversation's date ('next Tuesday', 'the 3rd',
'in two weeks', '24 December'); dates that do not exist are refused with a question."""

from __future__ import annotations

import calendar as calmod
import re
from datetime import date, timedelta

from os1.errors import WhenError
from os1.language.words import MONTHS, ORDINALS, WEEKDAY_NUMBERS, number


def _clean(text: str) -> str:
    """A phrase without the little words that do not change the day ("on the 3rd of May")."""
    text = text.lower().strip().replace(",", " ").replace(".", " ")
    text = re.sub(r"\b(the|of|on|at|around|about|by|from|for)\b", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _safe_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        last = calmod.monthrange(year, month)[1]
        raise WhenError(
            f"{calmod.month_name[month]} {year} has no day {day} (it has {last} days).",
            fix="Which day did you mean?",
        ) from None


def _next_of(month: int, day: int, today: date, year: int | None) -> date:
    if year is not None:
        d = _safe_date(year, month, day)
        if d < today:
            raise WhenError(f"{d:%d %B %Y} is in the past.", fix="Which date did you mean?")
        return d
    if month == 2 and day == 29:  # the next 29 February that exists
        y = today.year
        while not calmod.isleap(y) or date(y, 2, 29) < today:
            y += 1
        return date(y, 2, 29)
    d = _safe_date(today.year, month, day)
    return d if d >= today else _safe_date(today.year + 1, month, day)


_REL = re.compile(r"^in (.+?) (day|week|month|year)s?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DM = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)(?: (\d{4}))?$")
_MD = re.compile(r"^([a-z]+) (\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?$")
_NTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$")


def resolve_day(phrase: str, today: date) -> date:
    """A day phrase → a date. Raises WhenError for what it cannot place exactly."""
    p = _clean(phrase)
    p = re.sub(r"\b(morning|afternoon|evening|night)\b", "", p).strip()
    if p in ("", "today", "tonight", "this", "now"):
        return today
    if p in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1)
    if p in ("day after tomorrow",):
        return today + timedelta(days=2)
    if p in ("yesterday",):
        raise WhenError("That day is in the past.", fix="Which day did you mean?")
    if p in ("weekend", "this weekend"):
        return today + timedelta(days=(5 - today.weekday()) % 7) if today.weekday() < 6 else today
    if p == "next weekend":  # the weekend of next week
        return today + timedelta(days=7 - today.weekday() + 5)
    if p in ("next week", "week"):
        return today + timedelta(days=7 - today.weekday())
    if p == "next month":
        return date(today.year + today.month // 12, today.month % 12 + 1, 1)
    if p == "next year":
        return date(today.year + 1, 1, 1)
    m = _REL.match(p)
    if m:
        n = number(m.group(1))
        if n is None:
            raise WhenError(f"I could not read the number in '{phrase}'.")
        unit = m.group(2)
        if unit == "day":
            return today + timedelta(days=n)
        if unit == "week":
            return today + timedelta(weeks=n)
        months = today.month - 1 + n * (12 if unit == "year" else 1)
        y, mo = today.year + months // 12, months % 12 + 1
        return date(y, mo, min(today.day, calmod.monthrange(y, mo)[1]))
    words = p.split()
    if words and words[-1] in WEEKDAY_NUMBERS and len(words) <= 3:
        target = WEEKDAY_NUMBERS[words[-1]]
        ahead = (target - today.weekday()) % 7
        head = " ".join(words[:-1])
        if head in ("this", "coming", "this coming") and ahead == 0:
            return today
        if head in ("next week", "week after next"):
            monday = today + timedelta(days=7 - today.weekday())
            extra = 7 if head == "week after next" else 0
            return monday + timedelta(days=target + extra)
        if head not in ("", "this", "next", "coming", "this coming", "upcoming"):
            raise WhenError(f"I don't understand the day '{phrase}'.", fix="Say e.g. 'next Tuesday'.")
        return today + timedelta(days=ahead or 7)
    if words and words[0] in WEEKDAY_NUMBERS and len(words) > 1:  # "tuesday 24 november"
        return resolve_day(" ".join(words[1:]), today)
    if p in MONTHS:
        return _next_of(MONTHS[p], 1, today, None)
    m = _ISO.match(p)
    if m:
        return _next_of(int(m.group(2)), int(m.group(3)), today, int(m.group(1)))
    for rx, d_i, m_i in ((_DM, 1, 2), (_MD, 2, 1)):
        m = rx.match(p)
        if m and m.group(m_i) in MONTHS:
            year = int(m.group(3)) if m.group(3) else None
            return _next_of(MONTHS[m.group(m_i)], int(m.group(d_i)), today, year)
    m = _NTH.match(p) or (re.match(r"^(\w+)$", p) if p in ORDINALS and p != "last" else None)
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else ORDINALS[p]
        y, mo = today.year, today.month
        for _ in range(13):
            if n <= calmod.monthrange(y, mo)[1] and date(y, mo, n) >= today:
                return date(y, mo, n)
            y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    raise WhenError(
        f"I don't understand the day '{phrase}'.",
        fix="Say it like 'tomorrow', 'next Tuesday', '3 December' or '2026-12-03'.",
    )
