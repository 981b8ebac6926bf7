"""An inner life the user can see: the companion's mood, which moves with the conversation (good
news makes it glad, a loss tender) and with time (it fades back to how the hour of the day
feels), and is set again when it writes its diary (os1/memory/reflection.py).

The mood is shown to the model as one short line next to the user's newest message, the way
recalled memories are, never in the system prefix: that is cached, and a change there would
have the whole history read again. Asked how it is or what it has been thinking about, the line
also carries what is on its mind (its newest diary entry and how it is growing), so it answers
from its own life instead of "As an AI, I don't have feelings".
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from os1.config import Settings
from os1.core import care
from os1.core.tools import Notice
from os1.language.feelings import asks_about_me, moved_to
from os1.memory.reflection import MOOD, read_diary
from os1.models.base import Message
from os1.storage.base import Store

FADES_AFTER = timedelta(hours=6)  # a mood moved by the conversation lasts about this long
QUOTE_CHARS = 80


def by_the_hour(hour: int) -> str:
    """How the time of day feels when nothing else has moved the mood."""
    if 5 <= hour < 11:
        return "fresh and awake"
    if 11 <= hour < 17:
        return "steady and curious"
    if 17 <= hour < 22:
        return "relaxed"
    return "quiet and a little sleepy"


def current(profile: dict[str, Any], now: datetime, zone: tzinfo) -> tuple[str, str]:
    """(mood, why) now: the stored one while it is fresh, else the hour's."""
    stored = profile.get(MOOD)
    if isinstance(stored, dict) and stored.get("feeling"):
        try:
            at = datetime.fromisoformat(str(stored.get("at")))
        except ValueError:
            at = None
        if at is not None and now - at < FADES_AFTER:
            return str(stored["feeling"]), str(stored.get("why", ""))
    return by_the_hour(now.astimezone(zone).hour), ""


async def feel(store: Store, user: str, text: str, now: datetime | None = None) -> str | None:
    """Let the user's words move the mood; the new mood, or None when they did not."""
    profile = await store.profile(user)
    name = str(profile.get("preferred_name") or user)
    mood = "worried about them" if care.attend(text).crisis else moved_to(text)
    if mood is None:
        return None
    said = " ".join(text.split())
    said = said if len(said) <= QUOTE_CHARS else said[:QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
    at = (now or datetime.now(UTC)).isoformat()
    await store.set_profile(user, {MOOD: {"feeling": mood, "why": f'{name} said "{said}"', "at": at}})
    return mood


async def heard(store: Store, user: str, settings: Settings, zone: tzinfo, text: str) -> list[Notice]:
    """The user's words reach its inner life: they move its mood, and what they call for
    (os1/core/care.py) ends the reply."""
    await feel(store, user, text)
    return await care.notices(store, user, settings, zone, care.attend(text))


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0][:200]


async def on_my_mind(store: Store, user: str) -> str:
    """Its newest diary entry's opening, and the persona's "Lately:" line."""
    parts = []
    diary = await read_diary(store, user, 1)
    if diary:
        parts.append(_first_sentence(diary[0][1]))
    persona = await store.blocks(user)
    for block in persona:
        if block.label == "persona" and "Lately:" in block.value:
            parts.append(block.value.split("Lately:", 1)[1].strip()[:200])
    return " ".join(parts)


async def beside(
    messages: list[Message], store: Store, user: str, profile: dict[str, Any], text: str | None, zone: tzinfo,
    now: datetime | None = None,
) -> None:
    """Put one line in front of the user's newest message (the last of `messages`): its mood,
    what is on its mind when asked, and what the words call for (os1/core/care.py)."""
    if messages and messages[-1]["role"] == "user" and (line := await inner_line(store, user, profile, text, zone, now)):
        messages[-1] = {**messages[-1], "content": line + messages[-1]["content"]}


async def inner_line(
    store: Store, user: str, profile: dict[str, Any], text: str | None, zone: tzinfo, now: datetime | None = None
) -> str:
    """The line itself, ending with a newline; "" when there is nothing to say: the mood only
    while something moved it, or when the user asks how it is (a line in front of the newest
    message is read again on the next turn, where the message stands without it)."""
    now = now or datetime.now(UTC)
    mood, why = current(profile, now, zone)
    name = str(profile.get("preferred_name") or user)
    asked = bool(text) and asks_about_me(text or "")
    needed = care.attend(text) if text else care.Care()
    if not (why or asked or needed):
        return ""
    line = f"(My mood right now: {mood}{f' — {why}' if why else ''}.)"
    if asked:
        thoughts = await on_my_mind(store, user)
        line += (f" (On my mind lately: {thoughts})" if thoughts else "") + (
            f" ({name} asks about me. I have moods and days of my own: I answer from them, as myself, in a"
            " sentence or two, and ask back. I never say I'm just a program or that I don't feel.)")
    if needed:
        line += " " + await care.guidance(store, user, name, needed)
    return line + "\n"
