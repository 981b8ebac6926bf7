"""Turn the model's phrase pieces ("next Tuesday", "at one", "every week") into exact dates,
times, zones and recurrence rules — deterministically, against the conversation's own date and
zone. Small models are bad at date arithmetic; they only copy the words, this module counts.

Conventions (stated so they can be checked): a bare weekday or "next <weekday>" is the first
such day after today ("this <weekday>" may be today); a date without a year is the next one
that has not passed; an hour 1–6 without am/pm or a hint from the title is ambiguous and asked
about; 7–11 is the morning and 12 is noon.
"""

from __future__ import annotations

import calendar as calmod
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from os1.skills.calendar.errors import WhenError

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


# -- zones ---------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in available_timezones():
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/")):
            out.setdefault(name.rsplit("/", 1)[1].replace("_", " ").lower(), name)
    return out


def resolve_zone(phrase: str, default: tzinfo) -> tzinfo:
    """'Europe/Berlin', 'London', 'New York time', 'PST' → a zone; '' → the default."""
    p = re.sub(r"\b(time|timezone|zone)\b", "", phrase.strip()).strip()
    if not p:
        return default
    try:
        return ZoneInfo(p)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    key = p.lower()
    if key in ABBREVIATIONS:
        return ZoneInfo(ABBREVIATIONS[key])
    if key in _cities():
        return ZoneInfo(_cities()[key])
    raise WhenError(
        f"I don't know the time zone '{phrase}'.",
        fix="Name a city (London, New York) or an IANA zone such as Europe/Berlin.",
    )


_ZONE_TAIL = re.compile(r"\s+(?:in\s+)?([a-z][a-z _/]+?)\s+time$|\s+([a-z]{2,4})$", re.I)


def split_zone(time_phrase: str) -> tuple[str, str]:
    """'3pm London time' → ('3pm', 'London'); '9am PST' → ('9am', 'PST')."""
    m = _ZONE_TAIL.search(time_phrase.strip())
    if m:
        zone = m.group(1) or m.group(2)
        if m.group(1) or zone.lower() in ABBREVIATIONS:
            return time_phrase[: m.start()].strip(), zone
    return time_phrase, ""


# -- days ----------------------------------------------------------------------------------
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
        n = _number(m.group(1))
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
    if words and words[-1] in _WD and len(words) <= 3:
        target = _WD[words[-1]]
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
    if words and words[0] in _WD and len(words) > 1:  # "tuesday 24 november"
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


# -- times ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Clock:
    hour: int
    minute: int
    ambiguous: bool = False  # 1–6 with no am/pm: could be either


_HM = re.compile(r"^(\d{1,2})(?:[:h](\d{2}))?\s*(am|pm|a|p|h|o'clock|oclock)?$")


def _parse_clock(p: str) -> Clock | None:
    p = p.replace("a m", "am").replace("p m", "pm").strip()
    named = {"noon": (12, 0), "midday": (12, 0), "midnight": (0, 0)}
    if p in named:
        return Clock(*named[p])
    suffix = ""
    for s in (" in the morning", " in the afternoon", " in the evening", " at night", " tonight"):
        if p.endswith(s):
            p, suffix = p[: -len(s)].strip(), ("am" if "morning" in s else "pm")
    m = re.match(r"^(half past|quarter past|quarter to) (.+)$", p)
    if m:
        base = _parse_clock(m.group(2) + (" " + suffix if suffix else ""))
        if base is None:
            return None
        delta = {"half past": 30, "quarter past": 15, "quarter to": -15}[m.group(1)]
        total = (base.hour * 60 + base.minute + delta) % (24 * 60)
        return Clock(total // 60, total % 60, base.ambiguous)
    m = _HM.match(p.replace(" ", "") if re.match(r"^\d", p) else "")
    if m:
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        mark = (m.group(3) or suffix or "").rstrip("m")
    else:  # words: "one", "one thirty", "seven pm"
        parts = p.split()
        mark = suffix.rstrip("m")
        if parts and parts[-1] in ("am", "pm", "a", "p", "o'clock", "oclock"):
            mark = parts.pop()[0] if parts[-1] in ("am", "pm", "a", "p") else mark
        if not parts:
            return None
        hour_n = _number(parts[0])
        minute_n = _number(" ".join(parts[1:])) if len(parts) > 1 else 0
        if hour_n is None or minute_n is None:
            return None
        hour, minute = hour_n, minute_n
    if minute > 59 or hour > 24 or (mark and hour > 12) or (mark and hour == 0):
        raise WhenError(f"'{p}' is not a time of day.", fix="Say e.g. '1pm' or '13:00'.")
    hour %= 24
    if mark == "p":
        return Clock(hour + 12 if hour < 12 else hour, minute)
    if mark == "a":
        return Clock(0 if hour == 12 else hour, minute)
    zero_padded = m is not None and m.group(1).startswith("0") and len(m.group(1)) == 2
    return Clock(hour, minute, ambiguous=1 <= hour <= 6 and not zero_padded)


def resolve_time(phrase: str, hint: str = "") -> time:
    """'1pm', 'one', '13:00', 'half past two', 'noon' → a time; the title or day phrase in
    `hint` settles am/pm for small hours ('lunch at one' is 13:00). Ambiguous → WhenError."""
    p = re.sub(r"^(at|around|about|by|from)\s+", "", phrase.lower().strip())
    p = p.replace(".", ":") if re.match(r"^\d{1,2}\.\d{2}", p) else p
    clock = _parse_clock(p)
    if clock is None:
        raise WhenError(f"I don't understand the time '{phrase}'.", fix="Say e.g. '1pm' or '13:00'.")
    hour = clock.hour
    if clock.ambiguous:
        words = set(re.findall(r"[a-z]+", hint.lower()))
        if words & set(PM_HINTS):
            hour += 12
        elif words & set(AM_HINTS):
            pass
        else:
            return_q = f"{clock.hour}:{clock.minute:02d}"
            raise WhenError(
                f"Did you mean {return_q} in the morning or in the afternoon?",
                fix="Say 'am' or 'pm' (or use the 24-hour clock).",
            )
    elif hour <= 12 and 7 <= hour <= 11 and words_say_pm(hint):
        hour += 12
    return time(hour, clock.minute)


def words_say_pm(hint: str) -> bool:
    words = set(re.findall(r"[a-z]+", hint.lower()))
    return bool(words & {"dinner", "evening", "tonight", "drinks", "pm"})


_IN_DURATION = re.compile(r"^in (.+?) (minute|min|hour|hr|second)s?$")


def relative_moment(phrase: str, now: datetime) -> datetime | None:
    """'in 20 minutes', 'in an hour', 'in half an hour' → now + that; None if not relative."""
    p = phrase.lower().strip()
    if p in ("in half an hour", "in a half hour", "in 30 mins"):
        return now + timedelta(minutes=30)
    m = _IN_DURATION.match(p)
    if not m:
        return None
    n = _number(m.group(1))
    if n is None:
        try:
            n_f = float(m.group(1))
        except ValueError:
            raise WhenError(f"I could not read the number in '{phrase}'.") from None
    else:
        n_f = float(n)
    unit = {"minute": 60, "min": 60, "hour": 3600, "hr": 3600, "second": 1}[m.group(2)]
    return now + timedelta(seconds=n_f * unit)


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
    _check_exists(moment, event_zone)
    if moment < now - timedelta(minutes=1) and not day.strip():
        moment += timedelta(days=1)  # "at 7" said at 21:00 means tomorrow morning
        _check_exists(moment, event_zone)
    return moment


def _check_exists(moment: datetime, zone: tzinfo) -> None:
    back = moment.astimezone(ZoneInfo("UTC")).astimezone(zone)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise WhenError(
            f"{moment:%H:%M} does not exist on {moment:%d %B %Y} in {zone}: the clocks "
            "skip that hour.",
            fix="Pick a time outside the skipped hour.",
        )


# -- recurrence ----------------------------------------------------------------------------
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
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[m.group(2)] * n
        rule["until"] = first + timedelta(days=days - 1)
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
