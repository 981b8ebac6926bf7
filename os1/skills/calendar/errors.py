"""Calendar errors. They subclass ToolError, so a tool that raises one tells the model (and the
user) what went wrong and the turn goes on."""

from __future__ import annotations

from os1.errors import ToolError


class CalendarError(ToolError):
    code = "calendar_error"


class ICSError(CalendarError):
    """An iCalendar text that cannot be used as it is (malformed, hostile, incomplete)."""

    code = "ics_invalid"


class TooManyOccurrences(ICSError):
    code = "recurrence_too_large"


from os1.errors import WhenError as WhenError  # noqa: E402  (the date words' error, os1/language)


class EventNotFound(CalendarError):
    code = "event_not_found"


class CalendarConflict(CalendarError):
    """Someone else changed the same event at the same time; we stop rather than overwrite."""

    code = "calendar_conflict"


class CalendarUnavailable(CalendarError):
    code = "calendar_unavailable"
