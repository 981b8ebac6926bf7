"""What a voice session tells: every event, in order, to the session's list and its listener.

Events outside any turn (input issues, partial transcripts, dropped speech, barge-in) go into the
session's own trace; a turn's events go into the turn's trace and pass through here as well, so
a transport sees one stream.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from os1.events import Event, EventType, Trace


class VoiceLog:
    """The session's events; each processor tells what it did through one of these."""

    def __init__(self, on_event: Callable[[Event], None] | None = None) -> None:
        self.trace = Trace()  # voice events outside any turn
        self.events: list[Event] = []
        self.on_event = on_event
        self._issues: set[str] = set()

    def emit(self, event: Event) -> Event:
        """Pass on an event already in a trace (a turn's, or the session's)."""
        self.events.append(event)
        if self.on_event is not None:
            self.on_event(event)
        return event

    def note(self, kind: EventType, **data: Any) -> Event:
        """An event of the session, outside any turn."""
        return self.emit(self.trace.emit(kind, **data))

    def issue(self, code: str, message: str) -> None:
        """Tell about a problem with the input once, as a clear event."""
        if code not in self._issues:
            self._issues.add(code)
            self.note(EventType.AUDIO_ISSUE, code=code, message=message)
