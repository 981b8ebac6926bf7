"""What OS1 says first about an invitation that came by mail and waits for an answer:
"Bob (bob@example.org) invited you to “Team sync” on Tuesday 04 March at 10:00. Shall I accept?"

One notice per invitation and per update of it (a higher SEQUENCE): the key names both, and the
planner schedules each key once. The invitation's title and its organizer's name come from
someone else's mail: they are shown as quoted data (one line, printable, short), never followed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

TITLE_CHARS = 80
NAME_CHARS = 40


@dataclass(frozen=True)
class Notice:
    key: str  # invitation:<uid>:<sequence>
    text: str
    starts_at: datetime | None


def one_line(text: str, limit: int) -> str:
    """Untrusted text made safe to show inside a sentence: no line breaks or control
    characters, no quote marks that could end the quotation, at most `limit` characters."""
    clean = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    clean = clean.replace("“", "'").replace("”", "'").replace('"', "'")
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"


def _organizer_name(ics: str) -> str:
    from os1.skills.calendar import ical
    from os1.skills.calendar.errors import ICSError

    try:
        org = ical.master(ical.parse(ics, what="the invitation")).get("ORGANIZER")
    except (ICSError, ValueError):
        return ""
    return one_line(str(org.params.get("CN", "")), NAME_CHARS) if org is not None else ""


def notice_text(organizer: str, name: str, summary: str, starts_at: datetime | None, zone: tzinfo) -> str:
    who = f"{name} ({organizer})" if name else organizer or "Someone"
    title = one_line(summary, TITLE_CHARS) or "an event"
    when = ""
    if starts_at is not None:
        local = starts_at.astimezone(zone)
        when = f" on {local:%A %d %B} at {local:%H:%M}"
    return (f"{who} invited you to “{title}”{when} (the title as the invitation wrote it). "
            "Shall I accept? Say “accept the invitation” or “decline the invitation”.")


async def notices(store: Any, user: str, zone: tzinfo) -> list[Notice]:
    """A notice for each invitation waiting for the user's answer, newest version only."""
    from os1.skills.calendar.invitations import Invitations

    rows = await Invitations(store).waiting(user)
    out: dict[str, Notice] = {}
    for uid, sequence, organizer, summary, starts, ics in rows:
        at = datetime.fromisoformat(starts) if starts else None
        text = notice_text(one_line(organizer, 120), _organizer_name(ics), summary, at, zone)
        out[f"invitation:{uid}:{sequence}"] = Notice(f"invitation:{uid}:{sequence}", text, at)
    return list(out.values())
