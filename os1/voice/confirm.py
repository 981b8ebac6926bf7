"""Asking aloud before a side effect: a voice has no [y/N] prompt, so the companion speaks the
question and the user's next words answer it. Anything but a clear yes is a no."""

from __future__ import annotations

import re
from typing import Any

from os1.core.tools import ConfirmationRequest

YES = re.compile(
    r"^\W*(?:(?:oh |well |um |uh )?(?:yes|yeah|yep|yup|yah|sure|ok(?:ay)?|please(?: do)?|go ahead|do it|"
    r"confirm(?:ed)?|correct|right|of course|absolutely|definitely|that's right|sounds good))\b",
    re.I,
)
# "Yes, but not on Tuesday", "yeah no": a doubt anywhere makes it a no.
NO = re.compile(r"\b(?:no|not|don'?t|do not|never|nope|cancel|stop|wait|but|wrong)\b", re.I)
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


def approves(answer: str) -> bool:
    return bool(YES.search(answer)) and not NO.search(answer)
