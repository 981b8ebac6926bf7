"""Time phrases → a time of day ('one', '3pm', 'half past seven', 'noon'), with am/pm taken from
the title's words when the user left it out, or asked about; and 'in 20 minutes' → a moment."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from os1.errors import WhenError
from os1.language.words import AM_HINTS, PM_HINTS, number


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
        hour_n = number(parts[0])
        minute_n = number(" ".join(parts[1:])) if len(parts) > 1 else 0
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
    n = number(m.group(1))
    if n is None:
        try:
            n_f = float(m.group(1))
        except ValueError:
            raise WhenError(f"I could not read the number in '{phrase}'.") from None
    else:
        n_f = float(n)
    unit = {"minute": 60, "min": 60, "hour": 3600, "hr": 3600, "second": 1}[m.group(2)]
    return now + timedelta(seconds=n_f * unit)
