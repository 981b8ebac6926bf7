"""The tool-call benchmark's toolset (realistic companion tools plus OS1's built-ins) and the
normalised comparison of a call's arguments with the expected ones."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from os1.core.tools import Tool, ToolContext, tool
from os1.skills.notes.tools import save_note
from os1.skills.remembering.core_memory import core_memory_append, core_memory_replace


@tool
def get_weather(ctx: ToolContext, city: Annotated[str, Field(description="the city's name")]) -> str:
    """Get the current weather and today's forecast for a city."""
    return f"Sunny, 18 °C in {city}."


@tool
def set_timer(ctx: ToolContext,
              minutes: Annotated[int, Field(gt=0, le=1440, description="length in minutes")]) -> str:
    """Start a countdown timer that rings after the given number of minutes."""
    return f"Timer set for {minutes} minutes."


@tool
def set_alarm(ctx: ToolContext,
              time: Annotated[str, Field(description="time of day, 24-hour HH:MM")]) -> str:
    """Set an alarm clock that rings at a time of day."""
    return f"Alarm set for {time}."


@tool(confirm=True)
def send_email(ctx: ToolContext,
               to: Annotated[str, Field(description="recipient's email address")],
               subject: Annotated[str, Field(description="the subject line")],
               body: Annotated[str, Field(description="the message text")]) -> str:
    """Send an email from the user's account (asks the user first)."""
    return f"Email to {to} sent."


@tool(confirm=True)
def add_calendar_event(ctx: ToolContext,
                       title: Annotated[str, Field(description="what the event is")],
                       date: Annotated[str, Field(description="date as YYYY-MM-DD")],
                       time: Annotated[str, Field(description="start time, 24-hour HH:MM")]) -> str:
    """Add an event to the user's calendar (asks the user first)."""
    return f"Added {title} on {date} at {time}."


@tool
def play_music(ctx: ToolContext,
               query: Annotated[str, Field(description="song, artist, album or genre")]) -> str:
    """Play music matching a search."""
    return f"Playing {query}."


@tool
def search_notes(ctx: ToolContext,
                 query: Annotated[str, Field(description="words to look for")]) -> str:
    """Search the user's saved notes and return the matching ones."""
    return "No notes found."


@tool
def convert_currency(ctx: ToolContext,
                     amount: Annotated[float, Field(description="the amount of money")],
                     from_currency: Annotated[str, Field(description="three-letter ISO code, e.g. USD")],
                     to_currency: Annotated[str, Field(description="three-letter ISO code, e.g. EUR")]) -> str:
    """Convert an amount of money from one currency to another at today's rate."""
    return f"{amount} {from_currency} is about {amount} {to_currency}."


@tool
def call_contact(ctx: ToolContext,
                 name: Annotated[str, Field(description="the contact's name as the user says it")]) -> str:
    """Start a phone call with one of the user's contacts."""
    return f"Calling {name}."


def bench_tools() -> dict[str, Tool]:
    """Bench tools plus OS1's real built-ins (memory tools and save_note)."""
    tools = [get_weather, set_timer, set_alarm, send_email, add_calendar_event, play_music,
             search_notes, save_note, convert_currency, call_contact, core_memory_append,
             core_memory_replace]
    return {t.name: t for t in tools}


# -- comparing arguments ------------------------------------------------------------------------

_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.h](\d{2}))?(?::\d{2})?\s*([ap])?\.?\s*m?\.?\s*$", re.I)
_DATE_FORMATS = ["%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y",
                 "%A, %B %d, %Y", "%Y/%m/%d", "%d.%m.%Y"]


def norm_time(value: Any) -> str | None:
    """'7am', '7:00 AM', '07:00', '19:00:00' -> 'HH:MM'."""
    m = _TIME.match(str(value))
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if m.group(3):
        hour = hour % 12 + (12 if m.group(3).lower() == "p" else 0)
    return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None


def norm_date(value: Any) -> str | None:
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", str(value).strip())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text[:40], fmt).date().isoformat()
        except ValueError:
            continue
    m = re.match(r"^(\d{4}-\d{2}-\d{2})T", text)
    return m.group(1) if m else None


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9@.]+", text.lower())


def arg_matches(key: str, expected: Any, actual: Any) -> bool:
    """Case-insensitive; numbers as numbers; times and dates normalised; free text by its words.
    A list of expected values means any one of them will do."""
    if isinstance(expected, list):
        return any(arg_matches(key, e, actual) for e in expected)
    if actual is None:
        return False
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        try:
            return abs(float(actual) - float(expected)) < 1e-6
        except (TypeError, ValueError):
            return False
    if key == "time":
        return norm_time(actual) == norm_time(expected)
    if key == "date":
        return norm_date(actual) == norm_date(expected)
    have = str(actual).lower()
    return all(word in have for word in _words(str(expected)))


def args_match(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    """The keys whose values do not match (empty when all do)."""
    return [k for k, v in expected.items() if not arg_matches(k, v, actual.get(k))]
