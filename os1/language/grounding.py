"""Keep the model's day and time phrases (and message numbers) honest: they must be words the
user said.

Small models copy the time stamp of the message ("Sat 21 Nov 2026") or an example from a
tool's description ("next Tuesday") into a date field. A phrase that does not occur in the
user's message is replaced by the day or time phrase found in the message itself (or dropped
when the user named none), and then resolved as usual."""

from __future__ import annotations

import re

from os1.errors import WhenError
from os1.language.words import MONTH_NAMES, WEEKDAYS, spelled
from os1.language.words import MONTH_OR_SHORT as _MONTH
from os1.language.words import WEEKDAY as _WEEKDAY
from os1.language.zones import resolve_zone

_NUM = rf"(?:\d{{1,2}}|{spelled(12)})"
_COUNT = rf"(?:\d+|a|an|{spelled(10)}|a couple of|a few)"
_PART = r"(?:\s+in\s+the\s+(?:morning|afternoon|evening)|\s+at\s+night|\s+tonight)?"

DAY_PATTERNS = [
    r"\bday after tomorrow\b",
    r"\btomorrow\b",
    r"\btonight\b",
    r"\btoday\b",
    rf"\bnext\s+week\s+{_WEEKDAY}\b",
    rf"\b(?:(?:next|this|coming)\s+)?{_WEEKDAY}\b",
    r"\b(?:next|this)\s+week(?:end)?\b",
    rf"\bin\s+{_COUNT}\s+(?:day|week|month|year)s?\b",
    r"\b\d{4}-\d{1,2}-\d{1,2}\b",
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:\s+\d{{4}})?",
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?",
    r"\bthe\s+\d{1,2}(?:st|nd|rd|th)\b",
]
TIME_PATTERNS = [
    rf"\bin\s+(?:{_COUNT}|half an|\d+(?:\.\d+)?)\s+(?:minute|min|hour|hr)s?\b",
    r"\bin\s+half\s+an\s+hour\b",
    rf"\b(?:half past|quarter past|quarter to)\s+{_NUM}(?:\s*(?:am|pm))?{_PART}",
    rf"\b\d{{1,2}}[:.]\d{{2}}\s*(?:am|pm|a\.m\.|p\.m\.)?{_PART}",
    rf"\b\d{{1,2}}\s*(?:am|pm|a\.m\.|p\.m\.){_PART}",
    r"\b(?:noon|midday|midnight)\b",
    rf"\b(?:at|around|by)\s+{_NUM}(?:\s+(?:thirty|fifteen|forty-five))?(?:\s*o'?clock)?"
    rf"(?!\s*(?:am\b|pm\b|a\.m|p\.m|[:.]\d|\d)){_PART}",
]


def _norm(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9:]+", " ", text.lower()).strip() + " "


def find(patterns: list[str], text: str) -> str:
    """The earliest phrase in `text` that one of the patterns matches ('' if none)."""
    best: tuple[int, str] | None = None
    low = text.lower()
    for p in patterns:
        m = re.search(p, low)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.group(0).strip())
    return best[1] if best else ""


def said(phrase: str, user_text: str) -> bool:
    return bool(phrase.strip()) and _norm(phrase) in _norm(user_text)


def ground(day: str, time: str, user_text: str) -> tuple[str, str]:
    """The (day, time) phrases to resolve: the model's when the user said them, else what the
    user's own message contains. Without the user's text, the model's phrases stand."""
    if not user_text.strip():
        return day, time
    if not said(day, user_text):
        day = find(DAY_PATTERNS, user_text)
    elif re.search(r"\band\b|,|&", day):  # "Monday and Wednesday": the first day starts it
        day = find(DAY_PATTERNS, day) or day
    if not said(time, user_text):
        time = find(TIME_PATTERNS, user_text)
    elif find(DAY_PATTERNS, time):  # "6:30am tomorrow" in the time field: keep its time part
        time = find(TIME_PATTERNS, time) or time
    return day, time


def ground_hint(hint: str, user_text: str) -> str:
    """The words of the model's title that the user said: a '5pm' the model added to the title
    must not settle the user's ambiguous 'at 5' (the resolver asks instead)."""
    if not user_text.strip():
        return hint
    words = set(_norm(user_text).split())
    return " ".join(w for w in _norm(hint).split() if w in words)


_ZONE_ABBR = r"\b(utc|gmt|bst|cet|cest|est|edt|cst|cdt|mst|pst|pdt|jst|aest)\b"


def find_zone(user_text: str) -> str:
    """'… at 3pm London time' → 'London'; '11am PST' → 'PST'; an IANA name as written."""
    m = re.search(r"\b([A-Z][a-z]+/[A-Za-z_]+)\b", user_text)
    candidates = [m.group(1)] if m else []
    for m in re.finditer(r"\b(?:in\s+)?((?:[a-z]+\s)?[a-z]+)\s+time\b", user_text.lower()):
        words = m.group(1).split()
        candidates += [" ".join(words), words[-1]]
    m = re.search(_ZONE_ABBR, user_text.lower())
    if m:
        candidates.append(m.group(1))
    for c in candidates:
        try:
            resolve_zone(c, None)  # type: ignore[arg-type]
            return c
        except WhenError:
            continue
    return ""


def ground_zone(zone: str, user_text: str) -> str:
    """The model's zone if the user said it as a zone: a known one, or one they called a time
    ("Narnia time": then the resolver asks). An ordinary word ("at school") is no zone."""
    if not user_text.strip():
        return zone
    if not said(zone, user_text):
        return find_zone(user_text)
    try:
        resolve_zone(zone, None)  # type: ignore[arg-type]
        return zone
    except WhenError:
        named = re.search(rf"\b{re.escape(zone.strip().lower())}\s+time\b", user_text.lower())
        return zone if named else find_zone(user_text)


_REPEAT = (
    rf"\b(?:every|each)\s+(?:other\s+|\d+\s+|two\s+|three\s+|four\s+)?"
    rf"(?:weekday|day|week|month|year|{_WEEKDAY})s?(?:\s+and\s+{_WEEKDAY})?"
    r"|\b(?:daily|weekly|monthly|yearly|annually|fortnightly|weekdays)\b"
)


def find_repeat(user_text: str) -> str:
    low = user_text.lower()
    m = re.search(_REPEAT, low)
    if not m:
        return ""
    phrase = m.group(0)
    n = re.search(r"\b(\d+|\w+) times\b", low)
    return f"{phrase} {n.group(0)}" if n else phrase


def ground_repeat(repeat: str, user_text: str) -> str:
    """A repetition counts only if the user asked for one (small models fill every field)."""
    if not user_text.strip():
        return repeat
    if not said(repeat, user_text):
        return find_repeat(user_text)
    count = re.search(r"\b(\d+|\w+) times\b", user_text.lower())  # "daily … for 10 times"
    if count and "times" not in repeat.lower():
        return f"{repeat} {count.group(0)}"
    return repeat


_MESSAGE_NUMBER = re.compile(r"#\s?(\d+)\b|\b(?:e-?mail|mail|message|letter)\s+(?:number\s+|no\.?\s*)?(\d+)\b", re.I)


def ground_number(number: int, user_text: str) -> int:
    """The message number the user said when they named exactly one ("summarize email #6"):
    asked for #6 right after #3 was read, the 1.5B called for #3 again. As given otherwise."""
    said = {int(a or b) for a, b in _MESSAGE_NUMBER.findall(user_text)}
    return said.pop() if len(said) == 1 else number


# A capitalised word inside a sentence is a name ("What does Amy say?"); the words that open
# a sentence, days and months are not.
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+)\b")
_NOT_NAMES = {"I", "Any", "Anything", "Email", "Mail", "Message", "Reply", "Read", "Summarize",
              "Summarise", "Show", "What", "Who", "Did", "Does", "Is", "Are", "OK", "Okay",
              *(w.capitalize() for w in WEEKDAYS), *(m.capitalize() for m in MONTH_NAMES)}


def named(user_text: str) -> list[str]:
    """The names in the user's words, in order ("What does Amy say?" -> ["Amy"]). Only words
    inside a sentence count: the first word of a sentence is capitalised whatever it is."""
    return [w for w in dict.fromkeys(_CAPITALISED.findall(user_text.strip())) if w not in _NOT_NAMES]


def said_number(user_text: str) -> bool:
    """Whether the user named a message by its number ("email #2", "message 3")."""
    return bool(_MESSAGE_NUMBER.search(user_text))


# "And the day after?", "Anything on the day after that?": a day counted from the day the
# conversation was just about, not from today ("the day after tomorrow" is a day of its own).
_DAY_AFTER = re.compile(r"\b(?:day|one)\s+after\b(?!\s+tomorrow)|\b(?:next|following)\s+day\b", re.I)
_DAY_BEFORE = re.compile(r"\bday\s+before\b(?!\s+yesterday)|\bprevious\s+day\b", re.I)


def day_step(user_text: str) -> int:
    """+1 for "the day after (that)", -1 for "the day before", else 0."""
    return 1 if _DAY_AFTER.search(user_text) else -1 if _DAY_BEFORE.search(user_text) else 0


# A question that points back at the turn before: "And the one before that?", "Who sent it?",
# "What does he want?". Its own words are too few to find anything by.
_LEANS_BACK = re.compile(
    r"^\s*(?:and|or|but|so|also|what about|how about)\b"
    r"|\b(?:it|its|that|this|those|them|he|him|his|she|her|they|their|there|then|we|us|one)\b",
    re.IGNORECASE,
)
LEANING_WORDS = 9  # longer than this, a question says enough on its own


def leans_back(text: str) -> bool:
    """Whether `text` needs the turn before it to be understood (short, and pointing back)."""
    return len(text.split()) <= LEANING_WORDS and bool(_LEANS_BACK.search(text))
