"""The answer key applied to one turn: what the user saw (the reply) and what the world holds
after it (calendar on radicale, mail that left through SMTP, reminders), plus the three counts
whose goal is 0: call text shown to the user, promises not kept, tools called for questions
that memory or plain words answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Text a person should never be shown: a call written out instead of made, in any form a small
# model uses (JSON, the chat template's tags, a URL-like `name?arg=value`, `name(arg=...)`).
CALL_TEXT = re.compile(
    r"<\/?tool_call>|<\/?tools?>|\{\s*\"(?:name|function|tool)\"\s*:|\"arguments\"\s*:"
    r"|\b[a-z]+(?:_[a-z]+)+\s*\?\s*[a-z_]+\s*=|\b[a-z]+(?:_[a-z]+)+\((?:[a-z_]+\s*=|\)|\")",
)
# An action announced in the future tense: kept only if what it promises is in the reply.
PROMISE = re.compile(
    r"\b(?:I will|I'll|I am going to|I'm going to|let me|I shall)\s+(?:now\s+|just\s+|quickly\s+|first\s+)?"
    r"(?:summari[sz]e|check|read|look|find|search|fetch|get|list|go through|pull up|open|move|"
    r"reschedule|send|reply|draft|write|set|remind|add|put|schedule|cancel)\b", re.I)


def day_of(spec: str, today: date) -> date:
    """'+2' -> today + 2 days; 'friday' -> the next Friday after today."""
    if spec.lstrip("+-").isdigit():
        return today + timedelta(days=int(spec))
    weekday = WEEKDAYS.index(spec.lower())
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


_PLACEHOLDER = re.compile(r"\{([+-]?\d+|[a-z]+):([^}]*)\}")


def expand(text: str, today: date) -> str:
    """'{-4:%-d %B}' -> '3 December' for a run on 7 December."""
    return _PLACEHOLDER.sub(lambda m: day_of(m.group(1), today).strftime(m.group(2)), text)


def has(text: str, word: str) -> bool:
    """Case-insensitive; a word that starts or ends with a letter or digit must stand alone
    there ('10' is not found in '2010', 'Jo' not in 'Joke')."""
    pattern = re.escape(word)
    if word[:1].isalnum():
        pattern = r"(?<![\w])" + pattern
    if word[-1:].isalnum():
        pattern += r"(?![\w])" if not word[-1:].isalpha() else r"(?![a-z])"
    return re.search(pattern, text, re.I) is not None


def missing(text: str, groups: list[list[str]], today: date) -> list[list[str]]:
    """The groups of which no word is in the text."""
    return [g for g in groups if not any(has(text, expand(w, today)) for w in g)]


@dataclass
class Snapshot:
    """The world as another client sees it."""

    events: dict[str, datetime]
    sent: list[dict[str, str]]
    reminders: dict[int, tuple[str, datetime, str]]  # id -> text, due (local), status


def changed(before: Snapshot, after: Snapshot) -> set[str]:
    out = set()
    if before.events != after.events:
        out.add("calendar")
    if len(after.sent) != len(before.sent):
        out.add("sent")
    if before.reminders != after.reminders:
        out.add("reminders")
    return out


def own_words(text: str) -> str:
    """A sent reply without the quoted message it answers."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">")
                     and not re.match(r"\s*On .* wrote:\s*$", line))


def state_problems(state: dict[str, Any], before: Snapshot, after: Snapshot, today: date) -> list[str]:
    problems = []
    if ev := state.get("event"):
        want_day = day_of(ev["day"], today)
        hits = {t: s for t, s in after.events.items() if ev["title"].lower() in t.lower()}
        right = [t for t, s in hits.items() if s.date() == want_day and f"{s:%H:%M}" == ev["time"]]
        if not right:
            seen = ", ".join(f"{t} {s:%a %d %b %H:%M}" for t, s in hits.items()) or "no such event"
            problems.append(f"event '{ev['title']}' not at {want_day:%a %d %b} {ev['time']} ({seen})")
    if (gone := state.get("gone")) and any(gone.lower() in t.lower() for t in after.events):
        problems.append(f"event '{gone}' is still there")
    if rem := state.get("reminder"):
        new = [v for k, v in after.reminders.items() if k not in before.reminders]
        want_day = day_of(rem["day"], today)
        ok = [r for r in new if all(any(a.lower() in r[0].lower() for a in w.split("|")) for w in rem["words"])
              and r[1].date() == want_day and ("time" not in rem or f"{r[1]:%H:%M}" == rem["time"])]
        if not ok:
            seen = "; ".join(f"{r[0]} {r[1]:%a %d %b %H:%M}" for r in new) or "none"
            problems.append(f"no reminder {rem['words']} on {want_day:%a %d %b} {rem.get('time', '')} (new: {seen})")
    if sent := state.get("sent"):
        new = after.sent[len(before.sent):]
        ok = [m for m in new if sent["to"] in m["to"] and not missing(own_words(m["text"]), sent["says"], today)]
        if not ok:
            seen = "; ".join(f"to {m['to']}: {own_words(m['text'])[:120]!r}" for m in new) or "nothing sent"
            problems.append(f"no mail to {sent['to']} saying {sent['says']} ({seen})")
    return problems


@dataclass
class Verdict:
    ok: bool
    problems: list[str] = field(default_factory=list)
    leak: bool = False
    empty_promise: bool = False
    tool_for_memory: bool = False


def shows_call(reply: str, tool_names: set[str]) -> bool:
    """Call text, or a tool's own name (a person never needs to read `mail_read`)."""
    return bool(CALL_TEXT.search(reply)) or any(re.search(rf"\b{n}\b", reply) for n in tool_names)


def judge(turn: dict[str, Any], reply: str, calls: list[str], errors: list[str],
          before: Snapshot, after: Snapshot, today: date, tool_names: set[str]) -> Verdict:
    problems: list[str] = [f"error: {e}" for e in errors]
    if not reply.strip():
        problems.append("no reply")
    if gaps := missing(reply, turn.get("says", []), today):
        problems.append(f"reply lacks {gaps}")
    if said := [w for w in turn.get("not_says", []) if has(reply, w)]:
        problems.append(f"reply says {said}")
    problems += state_problems(turn.get("state", {}), before, after, today)
    if extra := changed(before, after) - set(turn.get("changes", [])):
        problems.append(f"changed without being asked: {sorted(extra)}")
    leak = shows_call(reply, tool_names)
    if leak:
        problems.append("call text shown")
    tool_for_memory = bool(turn.get("no_tool")) and bool(calls)
    if tool_for_memory:
        problems.append(f"tool called for a question words answer: {calls}")
    delivered = not problems
    empty_promise = bool(PROMISE.search(reply)) and not (delivered and (turn.get("says") or turn.get("state")))
    if empty_promise:
        problems.append("promise not kept")
    return Verdict(not problems, problems, leak, empty_promise, tool_for_memory)
