"""Time zones named in words: 'Europe/Berlin', 'London', 'New York time', 'PST' → a zone, and the
zone split off the end of a time phrase ('3pm London time')."""

from __future__ import annotations

import re
from datetime import tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from os1.errors import WhenError

# Zone abbreviations people say, -> the zone they mean where they say it.
ABBREVIATIONS = {
    "utc": "UTC", "gmt": "Europe/London", "bst": "Europe/London", "cet": "Europe/Berlin",
    "cest": "Europe/Berlin", "est": "America/New_York", "edt": "America/New_York",
    "et": "America/New_York", "cst": "America/Chicago", "cdt": "America/Chicago",
    "mst": "America/Denver", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles", "jst": "Asia/Tokyo", "ist": "Asia/Kolkata",
    "aest": "Australia/Sydney",
}


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
