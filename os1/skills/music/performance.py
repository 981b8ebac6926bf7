"""How the piece is played: loudness, rubato and pedal, written as a MIDI file with mido.

The notes stay on the written grid; the playing lives in the tempo map (a phrase slows into its
cadence, the last one most), the velocities (the dynamic chosen, a swell toward the middle of
each phrase, the melody over the accompaniment) and the sustain pedal (CC64, lifted and caught
again at each change of chord, so harmonies never blur).
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import mido

from os1.skills.music.compose import Piece

TICKS = 480  # a quarter note
LEVELS = {"pp": 34, "p": 46, "mp": 58, "mf": 70, "f": 84}
PIANO = 0  # General MIDI acoustic grand


def tempo_map(piece: Piece) -> list[float]:
    """The tempo of each beat (quarter notes a minute): a ritardando into every cadence, a
    broader one at the end, and a breath of seeded unevenness elsewhere."""
    rng = random.Random(piece.seed)
    bpb = piece.beats_per_bar
    out = []
    for beat in range(int(piece.beats)):
        bar = beat // bpb
        factor = 1.0 + rng.uniform(-0.02, 0.02)
        phrase = next(p for p in piece.phrases if p.start_bar <= bar < p.start_bar + p.bars)
        if bar == phrase.start_bar + phrase.bars - 1:  # the cadence bar
            depth = 0.1 if phrase.cadence == "HC" else 0.14
            factor -= depth * ((beat % bpb) + 1) / bpb
        if bar >= piece.bars - 2:  # the last two bars broaden further
            factor -= 0.2 * (beat - (piece.bars - 2) * bpb + 1) / (2 * bpb)
        out.append(piece.tempo * factor)
    return out


def seconds(piece: Piece, upto: float | None = None) -> float:
    """How long the piece (or its first `upto` beats) lasts as played."""
    beats = piece.beats if upto is None else upto
    tempos = tempo_map(piece)
    whole = int(beats)
    total = sum(60 / t for t in tempos[:whole])
    if beats > whole and whole < len(tempos):
        total += (beats - whole) * 60 / tempos[whole]
    return total


def velocity(piece: Piece, start: float, voice: str) -> int:
    bpb = piece.beats_per_bar
    bar = int(start // bpb)
    phrase = next(p for p in piece.phrases if p.start_bar <= bar < p.start_bar + p.bars)
    where = (start - phrase.start_bar * bpb) / (phrase.bars * bpb)
    level = LEVELS[piece.intent.dynamics] + 10 * math.sin(math.pi * where)
    level += 4 if phrase.section == "B" else 0
    level += 12 if voice == "melody" else (0 if voice == "bass" else -8)
    level += 2 if start % 1 == 0 else -3  # beats a little heavier than what falls between
    return max(20, min(118, round(level)))


def to_midi(piece: Piece, path: Path, *, upto_bar: int | None = None) -> Path:
    """Write the performance (or its first `upto_bar` bars, for the first sound) as MIDI."""
    end = piece.beats if upto_bar is None else upto_bar * piece.beats_per_bar
    events: list[tuple[int, int, mido.Message | mido.MetaMessage]] = []  # (tick, order, message)

    def at(beat: float) -> int:
        return round(beat * TICKS)

    for beat, bpm in enumerate(tempo_map(piece)[: math.ceil(end)]):
        events.append((at(beat), 0, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm))))
    for c in piece.chords:
        if c.start >= end:
            continue
        events.append((at(c.start) + 2, 1, mido.Message("control_change", control=64, value=0)))
        events.append((at(c.start) + 40, 3, mido.Message("control_change", control=64, value=100)))
    for n in piece.notes:
        if n.start >= end:
            continue
        stop = min(n.start + max(n.dur, n.sound), end)
        events.append((at(n.start), 2, mido.Message("note_on", note=n.pitch, velocity=velocity(piece, n.start, n.voice))))
        events.append((at(stop) - 1, 0, mido.Message("note_off", note=n.pitch, velocity=0)))
    final = at(end) + TICKS  # the last chord rings a beat under the pedal, then it lifts
    events.append((final, 1, mido.Message("control_change", control=64, value=0)))
    track = mido.MidiTrack([mido.Message("program_change", program=PIANO)])
    now = 0
    for tick, _, message in sorted(events, key=lambda e: (e[0], e[1])):
        track.append(message.copy(time=tick - now))
        now = tick
    track.append(mido.MetaMessage("end_of_track", time=TICKS))
    midi = mido.MidiFile(ticks_per_beat=TICKS)
    midi.tracks.append(track)
    midi.save(str(path))
    return path
