"""Repetition phrases → an RRULE ('every week', 'every Tuesday and Thursday', 'weekdays',
'every 2 weeks for 5 times', 'monthly until March'), and a start aligned to the rule's days."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from os1.errors import WhenError
from os1.language.dates import resolve_day
from os1.language.words import WEEKDAY_NUMBERS as _WD
from os1.language.words import number as _number

_WORDFREQ = {"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY", "yearly": "YEARLY",
             "annually": "YEARLY", "fortnightly": "WEEKLY"}
_UNIT = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}
_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def resolve_repeat(phrase: str, start: date | datetime | None = None) -> dict[str, Any] | None:
    """'every week', 'every Tuesday and Thursday', 'weekdays', 'every 2 weeks for 5 times',
    'monthly until March' → an RRULE dict for icalendar; '' or 'never' → None."""
    p = re.sub(r"\s+", " ", phrase.lower().replace(",", " ")).strip()
    if p in ("", "none", "never", "once", "no"):
        return None
    rule: dict[str, Any] = {}
    first = start.date() if isinstance(start, datetime) else (start or date.today())
    m = re.search(r"\b(\w+) times\b|\bfor (\w+) occurrences\b", p)
    if m:
        n = _number(m.group(1) or m.group(2))
        if n is None or n < 1:
            raise WhenError(f"I could not read how many times in '{phrase}'.")
        rule["count"] = n
        p = (p[: m.start()] + p[m.end():]).strip()
    m = re.search(r"\bfor (?:the next )?(\w+) (day|week|month|year)s?\b", p)
    if m:
        n = _number(m.group(1))
        if n is None or n < 1:
            raise WhenError(f"I could not read how long in '{phrase}'.")
        span = {"day": 1, "week": 7, "month": 30, "year": 365}[m.group(2)] * n
        rule["until"] = first + timedelta(days=span - 1)
        p = (p[: m.start()] + p[m.end():]).strip()
    m = re.search(r"\buntil (.+)$", p)
    if m:
        rule["until"] = resolve_day(m.group(1), first)
        p = p[: m.start()].strip()
    p = re.sub(r"\b(on|at|starting.*|from.*|for)\b", " ", p)
    p = re.sub(r"\s+", " ", p).strip()
    p = re.sub(r"^(repeat|repeating|recurring)\s+", "", p).strip()
    p = re.sub(r"^every\s+other\s+", "every 2 ", p)
    if p in ("weekdays", "every weekday", "each weekday", "weekday", "every work day"):
        rule |= {"freq": "WEEKLY", "byday": _CODES[:5]}
        return rule
    if p in ("weekends", "every weekend"):
        rule |= {"freq": "WEEKLY", "byday": ["SA", "SU"]}
        return rule
    if p in _WORDFREQ:
        rule["freq"] = _WORDFREQ[p]
        if p == "fortnightly":
            rule["interval"] = 2
        return rule
    m = re.match(r"^(?:every|each) (?:(\w+) )?(day|week|month|year)s?$", p)
    if m:
        rule["freq"] = _UNIT[m.group(2)]
        if m.group(1):
            n = _number(m.group(1))
            if n is None or n < 1:
                raise WhenError(f"I could not read the interval in '{phrase}'.")
            if n > 1:
                rule["interval"] = n
        return rule
    m = re.match(r"^(?:every|each) (\d+) ([a-z].*)$", p)
    if m and int(m.group(1)) > 1:  # "every 2 mondays"
        rule["interval"] = int(m.group(1))
        p = "every " + m.group(2)
    m = re.match(r"^(?:(?:every|each) )?(.+)$", p)
    days = re.findall(r"[a-z]+", m.group(1)) if m else []
    days = [d.rstrip("s") if d.rstrip("s") in _WD else d for d in days if d != "and"]
    if days and all(d in _WD for d in days):
        rule |= {"freq": "WEEKLY", "byday": sorted({_CODES[_WD[d]] for d in days}, key=_CODES.index)}
        return rule
    raise WhenError(
        f"I don't understand the repetition '{phrase}'.",
        fix="Say e.g. 'every week', 'every Tuesday', 'weekdays' or 'monthly'.",
    )


def align(start: datetime | date, rule: dict[str, Any] | None) -> datetime | date:
    """Move a start to the first day its BYDAY allows (RFC 5545 counts DTSTART as an
    occurrence even when it does not match the rule: 'every Monday' must not begin on a Sunday)."""
    days = (rule or {}).get("byday")
    if not days:
        return start
    wanted = {_CODES.index(d) for d in days}
    for _ in range(7):
        if start.weekday() in wanted:
            return start
        start = start + timedelta(days=1)
    return start
