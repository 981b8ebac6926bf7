"""Sound a tool made, named in its result: "… Audio: /…/piece.ogg; score: /…/score-1.svg."

A tool's result reaches the interfaces as its text only (the TOOL_RESULT event), so the text is
the seam: the tool writes the note with `note`, and whichever interface can play or show it
finds it with `media_in`: the terminal chat plays it on the speaker, `os1 talk` through the
voice's own output (so barge-in stops it), the web chat shows a player and the score. The model
reads the same words, so it can tell the user where the files are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_NOTE = re.compile(r"Audio: (.+?\.(?:ogg|wav)); score: (.+?\.svg)\.")


@dataclass(frozen=True)
class Media:
    audio: Path  # what the result names (OGG: small enough to send to a browser)
    score: Path

    @property
    def playable(self) -> Path:
        """The file to play here: the WAV beside the OGG when there is one (no decoding)."""
        wav = self.audio.with_suffix(".wav")
        return wav if wav.exists() else self.audio


def note(audio: Path, score: Path) -> str:
    """The words a tool's result ends with when it made sound (and its score)."""
    return f"Audio: {audio}; score: {score}."


def media_in(result: str) -> Media | None:
    """The sound a tool's result names, or None."""
    found = _NOTE.search(result)
    return Media(Path(found.group(1)), Path(found.group(2))) if found else None
