"""Consent words: whether an answer to "Shall I …?" is a yes. Typed ("y") or spoken ("yeah, go
ahead"), anything but a clear yes is a no, and a doubt anywhere ("yes, but not Tuesday") too."""

from __future__ import annotations

import re

YES = re.compile(
    r"^\W*(?:(?:oh |well |um |uh )?(?:y|yes|yeah|yep|yup|yah|sure|ok(?:ay)?|please(?: do)?|go ahead|"
    r"do it|confirm(?:ed)?|correct|right|of course|absolutely|definitely|that's right|sounds good))\b",
    re.I,
)
NO = re.compile(r"\b(?:no|not|don'?t|do not|never|nope|cancel|stop|wait|but|wrong)\b", re.I)


def approves(answer: str | None) -> bool:
    """True only for a clear yes."""
    text = answer or ""
    return bool(YES.search(text)) and not NO.search(text)


def new_message(answer: str | None) -> bool:
    """Whether an answer to "Shall I …?" that is no yes is the user moving on ("actually, what
    time is it?"), to be taken as their next message, rather than a plain no ("n", "nope",
    "no, leave it"). A clear no anywhere keeps it a no."""
    text = (answer or "").strip()
    if approves(text) or NO.search(text):
        return False
    return text.endswith("?") or len(text.split()) >= 3
