"""The one event stream shared by text and voice: every turn yields typed events with timings.

Interfaces render these events; tests assert on the trace; benchmarks read timings from it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EventType(StrEnum):
    TURN_START = "turn-start"
    FIRST_TOKEN = "first-token"
    TEXT = "text"
    GENERATION = "generation"  # one model call finished: token counts and speed
    TOOL_CALL = "tool-call"
    CONFIRMATION = "confirmation"
    CONFIRM_ASKED = "confirm-asked"  # voice: the question spoken before a side effect
    TOOL_PROGRESS = "tool-progress"  # a long tool's step, while it runs ("Writing the PDF…")
    TOOL_RESULT = "tool-result"
    TURN_END = "turn-end"
    ERROR = "error"
    # voice stages (os1/voice): recorded in the same trace as the turn they belong to
    SPEECH_START = "speech-start"
    SPEECH_END = "speech-end"
    TRANSCRIPT = "transcript"
    FIRST_AUDIO = "first-audio"
    INTERRUPTION = "interruption"
    AUDIO_ISSUE = "audio-issue"
    WAKE = "wake"  # the wake phrase "Hey <name>" was heard (os1 talk --wake)
    TURN_RETRACTED = "turn-retracted"  # the user went on before any of the answer was heard
    SOUND = "sound"  # voice: a piece a tool made is played after the reply's words
    SAID = "said"  # voice: words spoken outside a turn (an interview question, what OS1 says first)


@dataclass(frozen=True)
class Event:
    type: EventType
    at_ms: float
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"type": str(self.type), "at_ms": round(self.at_ms, 2), **self.data}


class Trace:
    """Collects a turn's events; times are milliseconds since the turn started."""

    def __init__(self) -> None:
        self._t0 = time.perf_counter()
        self.events: list[Event] = []

    def emit(self, type_: EventType, **data: Any) -> Event:
        event = Event(type_, (time.perf_counter() - self._t0) * 1000.0, data)
        self.events.append(event)
        return event

    def record(self, type_: EventType, at: float, **data: Any) -> Event:
        """An event that happened at perf_counter time `at`, perhaps before the turn began
        (the user's speech ends before the turn starts); kept in time order."""
        event = Event(type_, (at - self._t0) * 1000.0, data)
        i = len(self.events)
        while i > 0 and self.events[i - 1].at_ms > event.at_ms:
            i -= 1
        self.events.insert(i, event)
        return event

    def first(self, type_: EventType) -> Event | None:
        return next((e for e in self.events if e.type == type_), None)

    def types(self, *, include_text: bool = False) -> list[EventType]:
        return [e.type for e in self.events if include_text or e.type != EventType.TEXT]

    def to_list(self) -> list[dict[str, Any]]:
        """Compact form for storage: the first text delta stands for all of them, with a count."""
        n_text = sum(1 for e in self.events if e.type == EventType.TEXT)
        out, seen_text = [], False
        for e in self.events:
            if e.type == EventType.TEXT:
                if seen_text:
                    continue
                seen_text = True
                out.append({"type": str(e.type), "at_ms": round(e.at_ms, 2), "chunks": n_text})
            else:
                out.append(e.to_dict())
        return out
