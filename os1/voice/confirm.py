"""Asking aloud before a side effect: a voice has no [y/N] prompt, so the companion speaks the
question and the user's next words answer it. Anything but a clear yes is a no."""

from __future__ import annotations

from typing import Any

from os1.core.tools import ConfirmationRequest
from os1.language.consent import approves

__all__ = ["approves", "question", "spoken_value"]

VALUE_CHARS = 80


def spoken_value(value: Any) -> str:
    text = value if isinstance(value, str) else ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= VALUE_CHARS else text[:VALUE_CHARS].rsplit(" ", 1)[0] + "…"


def question(request: ConfirmationRequest) -> str:
    """'Shall I add event: title Lunch with Amy, day next Tuesday, time one? Yes or no?'"""
    details = ", ".join(
        f"{name.replace('_', ' ')} {spoken_value(value)}"
        for name, value in request.arguments.items()
        if value not in (None, "", [], {})
    )
    return f"Shall I {request.tool.replace('_', ' ')}{': ' + details if details else ''}? Yes or no?"


