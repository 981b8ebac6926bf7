"""Where the hands play: the melody's register, and the left hand's accompaniment pattern.

The left hand plays each chord as its bass note (held, under the pedal) and the chord's other
tones within an octave above it, so one hand always reaches them; the pattern that spreads them
over the bar is chosen by the mood (a broken chord for tender moments, an Alberti bass for
joyful ones, block chords for solemn ones, a slow arpeggio for sad ones).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from os1.skills.music.theory import Chord, Key

if TYPE_CHECKING:
    from os1.skills.music.compose import Note, Piece

WINDOWS = {"low": (58, 74), "middle": (64, 79), "high": (70, 86)}  # the melody's pitch range
# Pattern: (slot length in beats, which of [bass, tone 1, tone 2, tone 3] each slot plays).
# "block" plays them all at once.
PATTERNS: dict[str, dict[str, tuple[float, tuple[int, ...]]]] = {
    "arpeggio": {"4/4": (0.5, (0, 1, 2, 3, 2, 1, 2, 1)), "3/4": (0.5, (0, 1, 2, 3, 2, 1))},
    "alberti": {"4/4": (0.5, (0, 2, 1, 2, 3, 2, 1, 2)), "3/4": (0.5, (0, 2, 1, 2, 3, 2))},
    "waltz": {"4/4": (1.0, (0, -1, 1, -1)), "3/4": (1.0, (0, -1, -1))},
    "broken": {"4/4": (1.0, (0, 1, 2, 3)), "3/4": (1.0, (0, 1, 2))},
    "block": {"4/4": (2.0, (-1, -1)), "3/4": (3.0, (-1,))},
}
BY_MOOD = {
    "tender": ("arpeggio", "broken"), "calm": ("arpeggio", "broken"), "hopeful": ("arpeggio", "alberti"),
    "joyful": ("alberti", "waltz"), "playful": ("alberti", "waltz"), "solemn": ("block",),
    "wistful": ("broken", "arpeggio"), "melancholy": ("broken",),
}


def melody_window(register: str, key: Key, *, lift: int = 0) -> tuple[int, int]:
    low, high = WINDOWS[register]
    return low + lift, high + lift


def chord_tones(key: Key, chord: Chord, bass: int) -> list[int]:
    """The bass and the chord's three tones in the octave above it: [bass, t1, t2, t3]."""
    pcs = chord.pcs(key)
    above = [p for p in range(bass + 1, bass + 13) if p % 12 in pcs]
    return [bass] + above[:3]


def accompany(piece: Piece, rng: random.Random) -> list[Note]:
    """The left hand: each chord's bass (held for the chord) and its pattern above it."""
    from os1.skills.music.compose import Note

    pattern = PATTERNS[rng.choice(BY_MOOD[piece.intent.mood])][piece.intent.meter]
    final_bar = piece.bars - 1
    basses = _bass_pitches(piece)
    out: list[Note] = []
    for chord, bass in zip(piece.chords, basses, strict=True):
        tones = chord_tones(piece.key_at(chord.start), chord, bass)
        slot, order = pattern
        if chord.bar == final_bar or chord.length / slot < 3:  # the end, or no room to spread it
            out.append(Note(chord.start, chord.length, bass, "left", "bass"))
            out += [Note(chord.start, chord.length, p, "left", "inner") for p in tones[1:]]
            continue
        t, i = chord.start, 0
        while t < chord.start + chord.length - 1e-9:
            length = min(slot, chord.start + chord.length - t)
            which = order[i % len(order)]
            if t == chord.start:  # the bass begins every chord and sounds through it
                out.append(Note(t, length, bass, "left", "bass", sound=chord.length))
                if which == -1:
                    out += [Note(t, length, p, "left", "inner") for p in tones[1:]]
            elif which == -1:
                out += [Note(t, length, p, "left", "inner") for p in tones[1:]]
            else:
                out.append(Note(t, length, tones[max(1, which)], "left", "inner"))
            t += length
            i += 1
    return out


def _bass_pitches(piece: Piece) -> list[int]:
    """The bass written by the melody's composer (one per chord), read back from its line."""
    from os1.skills.music.compose import bass_line

    return [bass_line(piece.key_at(c.start), [c])[c.start] for c in piece.chords]
