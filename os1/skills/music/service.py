"""Composing for a moment, end to end: the intent (the model's, or the mood words'), the notes,
the files (MIDI, WAV, OGG, MusicXML, SVG under data_dir/music/<user>/), the row in
`music_pieces`, and a memory of it, so "the song you wrote for me in June" can be recalled.

Variations ("slower", "in a major key", "longer") are new pieces from the same seed with one
part of the intent changed; "again" is the same piece.
"""

from __future__ import annotations

import asyncio
import random
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from os1.core.media import note
from os1.skills.music.compose import Piece, compose
from os1.skills.music.intent import TEMPO, Intent, choose_intent, clamp_seconds
from os1.skills.music.performance import seconds, to_midi
from os1.skills.music.pieces import Pieces, StoredPiece
from os1.skills.music.render import render_audio
from os1.skills.music.score import write_pdf, write_score
from os1.storage.memories import NewMemory

if TYPE_CHECKING:
    from os1.config import Settings
    from os1.models.base import LLM
    from os1.storage.base import Store

FIRST_BARS = 4  # the first phrase, rendered alone so playing can start before the rest is ready


@dataclass(frozen=True)
class Made:
    stored: StoredPiece
    piece: Piece
    again: bool = False  # the same piece, asked for again

    def summary(self) -> str:
        """What the tool tells the model (and so the user) was made."""
        s = self.stored
        made = "Here it is again:" if self.again else "Composed"
        how = "" if s.chosen_by_model or self.again else " (from the mood of your words)"
        # The moment is cut short so the files' note stays within what the turn's event carries.
        moment = s.moment if len(s.moment) <= 80 else s.moment[:79] + "…"
        return (f"{made} piece #{s.id} for “{moment}”: {s.intent.describe()}, {s.seconds:.0f} seconds{how}."
                f" {note(s.file('ogg'), s.file('svg'))}")


async def score_pdf(piece: StoredPiece) -> Path:
    """The piece's score as PDF, made the first time it is asked for and kept beside the rest."""
    pdf = piece.file("pdf")
    if not pdf.exists():
        await asyncio.to_thread(write_pdf, piece.folder)
    return pdf


_NAMED = re.compile(r"piece #(\d+) for “(.*?)”")


def named_piece(result: str) -> tuple[int, str] | None:
    """The number and moment of the piece a music tool's result names (`Made.summary`): what
    the web chat shows beside the reply."""
    found = _NAMED.search(result)
    return (int(found.group(1)), found.group(2)) if found else None


def folder_for(settings: Settings, user: str, seed: int) -> Path:
    folder = settings.data_dir / "music" / user / f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def render_first(piece: Piece, folder: Path) -> Path:
    """The first phrase alone as WAV (blocking): what plays while the whole piece renders."""
    return render_audio(to_midi(piece, folder / "first.mid", upto_bar=FIRST_BARS), folder, "first")["wav"]


def render_all(piece: Piece, folder: Path, title: str) -> dict[str, Path]:
    """MIDI, WAV, OGG, MusicXML and SVG of the whole piece (blocking)."""
    files = render_audio(to_midi(piece, folder / "piece.mid"), folder)
    return files | write_score(piece, folder, title)


async def make(settings: Settings, store: Store, user: str, moment: str, *, llm: LLM | None = None,
               seed: int | None = None, intent: Intent | None = None, chosen: bool = False,
               variation_of: int | None = None, seconds_wanted: int = 60) -> Made:
    """Compose, render, store and remember a piece for `moment`."""
    if intent is None:
        intent, chosen = await choose_intent(llm, moment, seconds=seconds_wanted)
    seed = random.randrange(1, 1_000_000) if seed is None else seed
    piece = compose(intent, seed)
    folder = folder_for(settings, user, seed)
    await asyncio.to_thread(render_all, piece, folder, _title(moment))
    pieces = Pieces(store)
    length = seconds(piece)
    pid = await pieces.add(user, moment, intent, chosen, seed, length, folder, variation_of)
    text = (f"I composed a piano piece for the user, for “{moment}” (piece #{pid}: {intent.describe()},"
            f" {length:.0f} seconds). It can be played again with `os1 music play {pid}`.")
    memory = await store.memories.add(user, NewMemory(text, datetime.now(UTC), "fact", "", [{"music": pid}], 0.6))
    await pieces.set_memory(user, pid, memory)
    stored = await pieces.get(user, pid)
    assert stored is not None
    return Made(stored, piece)


def _title(moment: str) -> str:
    """The score's title: "For our day at the beach" (not "For for …")."""
    words = moment.strip().rstrip(".!")
    words = re.sub(r"^(?:for|to)\s+", "", words, flags=re.I)
    return f"For {words}"[:80]


CHANGES: tuple[tuple[str, str], ...] = (
    ("slower", r"slow|calmer|gentler"), ("faster", r"fast|quick|livel|upbeat"),
    ("major", r"\bmajor|happ|bright"), ("minor", r"\bminor|sad|dark"),
    ("longer", r"long|more of it|extend"), ("shorter", r"short|brief"),
    ("new", r"different|another|new|other"),
)


def changed(intent: Intent, change: str) -> Intent | None:
    """The intent with the asked change, or None for the same piece again ("play it again")."""
    asked = [name for name, words in CHANGES if re.search(words, change, re.I)]
    out = intent
    for name in asked:
        if name in ("slower", "faster"):
            tempo = round(intent.tempo * (0.8 if name == "slower" else 1.25))
            out = replace(out, tempo=max(TEMPO[0], min(TEMPO[1], tempo)))
        elif name in ("major", "minor"):
            out = replace(out, mode=name)
        elif name in ("longer", "shorter"):
            out = replace(out, seconds=clamp_seconds(intent.seconds + (30 if name == "longer" else -20)))
    if out == intent and "new" not in asked:
        return None
    return out


async def vary(settings: Settings, store: Store, user: str, which: str, change: str) -> Made | None:
    """A variation of the piece meant by `which`, or the piece itself when nothing changes."""
    original = await Pieces(store).find(user, which)
    if original is None:
        return None
    intent = changed(original.intent, change)
    if intent is None:
        return Made(original, compose(original.intent, original.seed), again=True)
    seed = original.seed if re.search(r"different|another|new|other", change, re.I) is None else original.seed + 1
    moment = original.moment if "variation" in original.moment else f"{original.moment} (variation: {change})"
    return await make(settings, store, user, moment, seed=seed, intent=intent, chosen=original.chosen_by_model,
                      variation_of=original.id)


