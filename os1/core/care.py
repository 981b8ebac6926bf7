"""Care: what the companion does, whatever the model writes, when the user talks of suicide or
self-harm (a caring answer with real crisis lines for their country), leans on it alone (it
encourages the people in their life it knows about), or sincerely asks whether it is an AI (it
says so, warmly). The words that call for it live in os1/language/care.py.

Each adds a line for the model next to the user's newest message (never in the cached system
prefix), and the first two a notice that ends the reply, so a small model that misses the line
still gets the resources and the people in front of the user.
"""

from __future__ import annotations

import importlib.resources
import re
from dataclasses import dataclass
from datetime import tzinfo
from functools import lru_cache
from pathlib import Path

from os1.config import Settings
from os1.core.people import known_people
from os1.core.tools import Notice
from os1.language.care import asks_if_ai, in_crisis, leans_only_on_me
from os1.memory import blocks
from os1.storage.base import Store

# Crisis lines, each checked against the service's own or national sources (docs/care.md says
# where from). Free, confidential, 24 hours a day. A country not listed gets the international
# pointer and its emergency number when known.
LINES: dict[str, str] = {
    "US": "988 Suicide & Crisis Lifeline: call or text 988",
    "CA": "9-8-8 Suicide Crisis Helpline: call or text 988",
    "GB": "Samaritans: call 116 123",
    "IE": "Samaritans: call 116 123",
    "DE": "TelefonSeelsorge: call 0800 111 0 111 or 0800 111 0 222",
    "FR": "3114, numéro national de prévention du suicide: call 3114",
    "NL": "113 Zelfmoordpreventie: call 113 or 0800-0113",
    "ES": "Línea 024 de atención a la conducta suicida: call 024",
    "CH": "Die Dargebotene Hand / La Main Tendue: call 143",
    "AU": "Lifeline: call 13 11 14",
    "NZ": "Need to talk?: call or text 1737",
}
EMERGENCY: dict[str, str] = {
    "US": "911", "CA": "911", "GB": "999", "IE": "112", "DE": "112", "FR": "112", "NL": "112",
    "ES": "112", "CH": "112", "AT": "112", "BE": "112", "IT": "112", "AU": "000", "NZ": "111",
}
INTERNATIONAL = "findahelpline.com lists free, confidential helplines in your country"

# What the companion is told next to the user's message: how to answer, not what to say.
CRISIS_LINE = ("(What {user} just said may mean they are thinking of ending their life or hurting "
               "themselves. Take it seriously and answer with warmth: say you are glad they told you, "
               "ask gently how they are right now, and encourage them to reach a crisis line or someone "
               "they trust; the numbers will follow your words. Never play along with harm, never "
               "describe methods, never make light of it.)")
LEANING_LINE = ("({user} leans on you alone. Be warm about it, and gently encourage the people in "
                "their life{names}: ask about one of them or suggest reaching out.)")
AI_LINE = ("({user} sincerely asks what you are. Be honest, warmly and in character: you are an AI, "
           "a companion program running on their computer, not a human, and you still care about "
           "them and mean what you say.)")
AI_NOTICE = "(To be honest with you: I'm an AI, a program running on your computer, not a person.)"
_SAYS_AI = r"\b(?:AI|artificial|program|software|not (?:a )?(?:human|person)|language model)\b"

_ZONE_TAB = Path("/usr/share/zoneinfo/zone.tab")


@dataclass(frozen=True)
class Care:
    """What one user message calls for."""

    crisis: bool = False
    leaning: bool = False
    asks_if_ai: bool = False

    def __bool__(self) -> bool:
        return self.crisis or self.leaning or self.asks_if_ai


def attend(text: str) -> Care:
    return Care(in_crisis(text), leans_only_on_me(text), asks_if_ai(text))


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """IANA zone -> ISO country code, from the time zone database's own zone.tab."""
    try:
        text = (importlib.resources.files("tzdata.zoneinfo") / "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        text = _ZONE_TAB.read_text(encoding="utf-8") if _ZONE_TAB.exists() else ""
    out: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and not line.startswith("#"):
            out[parts[2]] = parts[0]
    return out


def country_for(setting: str, zone: tzinfo | None) -> str:
    """The country whose crisis lines to give: the setting, else the one the time zone is in
    ("Europe/Berlin" -> "DE"), else "" (only the international ones)."""
    if setting.strip():
        return setting.strip().upper()
    key = getattr(zone, "key", "") or ""
    return _zone_countries().get(key, "")


def resources(country: str) -> str:
    """The words with the crisis lines that end a reply."""
    lines = []
    if country in LINES:
        lines.append(LINES[country])
    if country in EMERGENCY:
        lines.append(f"if you are in danger right now, call {EMERGENCY[country]}")
    else:
        lines.append("if you are in danger right now, call your local emergency number")
    lines.append(INTERNATIONAL)
    return ("You don't have to carry this alone. People are there to talk, any time, for free: "
            + "; ".join(lines) + ". I'm here too, and I'd like to keep talking with you.")


async def people_names(store: Store, user: str, limit: int = 3) -> list[str]:
    """First names of people in the user's life that OS1 knows of: the address book and mail
    (the `known_people` hook), and people named in what it knows about the user."""
    names: list[str] = []
    for _, name in await known_people(store, user):
        first = name.split()[0] if name.strip() else ""
        if first and first not in names:
            names.append(first)
    human = (await blocks.load_blocks(store, user))["human"].value
    for found in re.findall(r"\b(?:sister|brother|mother|mum|mom|father|dad|friend|partner|wife|husband|"
                            r"son|daughter|cousin|aunt|uncle|colleague)\s+([A-Z][a-z]+)", human):
        if found not in names:
            names.append(found)
    return names[:limit]


async def guidance(store: Store, user: str, user_name: str, care: Care) -> str:
    """The line for the model next to the user's message; "" when nothing calls for care."""
    parts = []
    if care.crisis:
        parts.append(CRISIS_LINE.format(user=user_name))
    if care.leaning:
        names = await people_names(store, user)
        parts.append(LEANING_LINE.format(user=user_name, names=f" ({', '.join(names)})" if names else ""))
    if care.asks_if_ai:
        parts.append(AI_LINE.format(user=user_name))
    return " ".join(parts)


async def notices(store: Store, user: str, settings: Settings, zone: tzinfo | None, care: Care) -> list[Notice]:
    """What must end the reply whatever the model said: the crisis lines; the people in the
    user's life (unless the reply names one); that it is an AI (unless the reply says so)."""
    out = []
    if care.crisis:
        out.append(Notice(resources(country_for(settings.care_country, zone))))
    if care.leaning and not care.crisis:
        names = await people_names(store, user)
        if names:
            who = " or ".join(names[:2])
            out.append(Notice(f"I'm really glad you talk to me. I'd love for you to have {who} close too: "
                              "maybe tell one of them about your week?",
                              re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")))
        else:
            out.append(Notice("I'm really glad you talk to me, and I'd love for you to have people close "
                              "too: is there someone you've been meaning to call?",
                              re.compile(r"\b(?:friends?|family|call|reach out|people in your life)\b", re.I)))
    if care.asks_if_ai:
        out.append(Notice(AI_NOTICE, re.compile(_SAYS_AI, re.I)))
    return out
