"""The composition engine: from an Intent and a seed, the notes of a short piano piece.

Craft is built in rather than hoped for: every section is a period (a four-bar antecedent that
ends on a half cadence, a four-bar consequent that ends on an authentic one); the melody is a
one-bar motif, repeated, sequenced and inverted; each melody note that starts with a new chord
is checked against the bass for parallel fifths and octaves and moved to another chord tone if
it would make them; the accompaniment is a pattern chosen by the mood. The same intent and seed
give the same notes (one seeded random generator drives every choice).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from os1.skills.music.intent import Intent
from os1.skills.music.theory import ANTECEDENTS, CONSEQUENTS, Chord, Key, parallel
from os1.skills.music.voicing import accompany, melody_window

PHRASE_BARS = 4
BASS_LOW = 40  # E2
# One-bar motif rhythms, in beats, in two families: running eighths closed by a longer note, and
# broad quarters. A piece keeps to one running value, as the human pieces do: dotted and mixed
# values (1.5 + 0.5, 0.75 + 0.25) were most of the distance from their rhythms (bench/music).
E = 0.5
RUNNING = {
    "4/4": ((E, E, E, E, 1.0, 1.0), (E,) * 6 + (1.0,), (1.0, E, E, E, E, 1.0), (E, E, 1.0, E, E, 1.0),
            (E, E, E, E, 2.0)),  # at most seven notes: a contour has six steps
    "3/4": ((E, E, E, E, 1.0), (E,) * 6, (1.0, E, E, E, E), (E, E, 1.0, 1.0)),
}
BROAD = {"4/4": ((1.0, 1.0, 1.0, 1.0), (1.0, 1.0, 2.0), (2.0, 1.0, 1.0)), "3/4": ((1.0, 1.0, 1.0), (2.0, 1.0))}
# How often a mood's motif moves in quarters. Seldom: fewer, longer notes also narrow the
# melody's pitch classes (measured: quarters half the time put its entropy outside the human spread).
BROAD_SHARE = {"solemn": 0.25, "calm": 0.2, "melancholy": 0.15, "tender": 0.15, "wistful": 0.1, "hopeful": 0.1,
               "joyful": 0.05, "playful": 0.0}
CONTOURS = {  # diatonic steps between the motif's notes
    "rising": (1, 1, 1, -1, 1, 1), "falling": (-1, -1, -1, 1, -1, -1), "arch": (1, 2, -1, -1, -1, 1),
    "valley": (-1, -1, 2, 1, -1, 1), "leap": (4, -1, -1, -1, 1, -1), "repeated": (0, 0, 1, -1, 0, 1),
}
COLOURED = {"playful": 0.8, "joyful": 0.5, "wistful": 0.5, "tender": 0.4, "hopeful": 0.4, "melancholy": 0.5,
            "calm": 0.2}


@dataclass(frozen=True)
class Note:
    start: float  # beats from the start of the piece
    dur: float  # the notated length in beats
    pitch: int
    hand: str  # "right" | "left"
    voice: str  # "melody" | "bass" | "inner"
    chromatic: bool = False  # a tone outside the key, on purpose
    sound: float = 0.0  # how long it sounds, when longer than written (a held bass)


@dataclass(frozen=True)
class Phrase:
    section: str  # "A" | "B"
    start_bar: int
    cadence: str  # "HC" (half) | "PAC" (perfect authentic)
    key: Key
    bars: int = PHRASE_BARS


@dataclass
class Piece:
    intent: Intent
    seed: int
    key: Key
    beats_per_bar: int
    tempo: float  # quarter notes a minute, before rubato
    sections: str
    motif: tuple[tuple[float, ...], tuple[int, ...]]  # its rhythm and its steps
    notes: list[Note] = field(default_factory=list)
    chords: list[Chord] = field(default_factory=list)
    phrases: list[Phrase] = field(default_factory=list)

    @property
    def bars(self) -> int:
        return sum(p.bars for p in self.phrases)

    @property
    def beats(self) -> float:
        return float(self.bars * self.beats_per_bar)

    def key_at(self, beat: float) -> Key:
        """The key at a beat: the home key, or the contrasting key of a middle section."""
        bar = int(beat // self.beats_per_bar)
        return next((p.key for p in self.phrases if p.start_bar <= bar < p.start_bar + p.bars), self.key)

    def melody(self) -> list[Note]:
        return sorted((n for n in self.notes if n.voice == "melody"), key=lambda n: n.start)

    def bass(self) -> list[Note]:
        return sorted((n for n in self.notes if n.voice == "bass"), key=lambda n: n.start)


def plan_length(intent: Intent, beats_per_bar: int) -> tuple[int, float]:
    """How many eight-bar sections fill the wanted seconds, and the tempo that makes them fit
    (within a fifth of the chosen one, so the character stays)."""
    period_s = 2 * PHRASE_BARS * beats_per_bar * 60 / intent.tempo
    count = max(1, round(intent.seconds / period_s))
    tempo = intent.tempo * count * period_s / intent.seconds
    return count, max(intent.tempo * 0.8, min(intent.tempo * 1.25, tempo))


def compose(intent: Intent, seed: int) -> Piece:
    """The piece for `intent`; the same intent and seed always give the same notes."""
    rng = random.Random(f"{seed}:{sorted(intent.as_dict().items())}")
    beats_per_bar = int(intent.meter.split("/")[0])
    count, tempo = plan_length(intent, beats_per_bar)
    sections = (intent.form * 4)[:count]
    family = BROAD if rng.random() < BROAD_SHARE.get(intent.mood, 0.1) else RUNNING
    rhythm = rng.choice(family[intent.meter])
    steps = CONTOURS[intent.motif][: len(rhythm) - 1]
    piece = Piece(intent, seed, Key(intent.tonic, intent.mode), beats_per_bar, tempo, sections, (rhythm, steps))
    bar, lead = 0, None
    for index, section in enumerate(sections):
        last = index == len(sections) - 1
        # A middle section moves to a related key (a last one stays home to end there).
        key = piece.key.contrast() if section == "B" and not last else piece.key
        # A return brings the motif back over new harmony and a new continuation.
        chords, melody = _section(piece, rng, section, last, key, lead)
        lead = (melody[-1].pitch, bass_line(key, chords[-1:])[chords[-1].start])
        shift = bar * beats_per_bar - chords[0].start
        for c in chords:
            piece.chords.append(Chord(c.start + shift, c.length, c.root, c.inversion, c.bar + bar - chords[0].bar))
        piece.notes += [_moved(n, shift) for n in melody]
        piece.phrases += [Phrase(section, bar, "HC", key), Phrase(section, bar + PHRASE_BARS, "PAC", key)]
        bar += 2 * PHRASE_BARS
    piece.notes += accompany(piece, rng)
    piece.notes.sort(key=lambda n: (n.start, n.hand, n.pitch))
    return piece


def _moved(n: Note, shift: float) -> Note:
    return Note(n.start + shift, n.dur, n.pitch, n.hand, n.voice, n.chromatic, n.sound)


def _section(piece: Piece, rng: random.Random, section: str, last: bool, key: Key,
             lead: tuple[int, int] | None) -> tuple[list[Chord], list[Note]]:
    """One period (antecedent + consequent) written from beat 0: its chords and its melody."""
    bpb = piece.beats_per_bar
    plans = [rng.choice(ANTECEDENTS[section]), rng.choice(CONSEQUENTS[section])]
    chords: list[Chord] = []
    for p, plan in enumerate(plans):
        for b, root in enumerate(plan):
            bar = p * PHRASE_BARS + b
            if isinstance(root, tuple):  # the cadence bar: predominant, then dominant
                first = bpb - 1 if bpb == 3 else bpb // 2
                chords.append(Chord(bar * bpb, first, root[0], 1 if root[0] == 1 else 0, bar))
                chords.append(Chord(bar * bpb + first, bpb - first, root[1], 0, bar))
            else:
                chords.append(Chord(bar * bpb, bpb, root, 0, bar))
    return chords, _melody(piece, rng, section, chords, last, key, lead)


def _melody(piece: Piece, rng: random.Random, section: str, chords: list[Chord], last: bool, key: Key,
            lead: tuple[int, int] | None) -> list[Note]:
    """The motif in bar 1 of each phrase, its sequence in bar 2, a variation leading to the
    cadence in bar 3, and a held cadence note in bar 4; the B section inverts the motif."""
    bpb = piece.beats_per_bar
    rhythm, steps = piece.motif
    if section == "B":
        steps = tuple(-s for s in steps)
    low, high = melody_window(piece.intent.register, key, lift=3 if section == "B" else 0)
    bass_of = bass_line(key, chords)
    # What sounded last (the melody and bass that ended the section before), so the first
    # notes make no parallels with it either; the first section starts from silence.
    notes: list[Note] = []
    if lead is not None:
        notes.append(Note(-1.0, 1.0, lead[0], "right", "melody"))
        bass_of[-1.0] = lead[1]
    prev = (low + high) // 2
    for phrase in range(2):
        cadence = "PAC" if phrase else "HC"
        for b in range(PHRASE_BARS):
            bar = phrase * PHRASE_BARS + b
            if b == PHRASE_BARS - 1:  # the cadence note, then (but at the very end) a lead-in
                ends = last and phrase == 1
                shape: tuple[tuple[float, ...], tuple[int, ...]] = (
                    ((float(bpb),), ()) if ends else rng.choice(_cadence_shapes(bpb)))
            elif b == 2:  # the variation: the motif's rhythm, its steps turned or widened
                widen = 2 if rng.random() < 0.5 else 1
                shape = (rhythm, tuple((-s if rng.random() < 0.5 else s) * widen for s in steps))
            elif b == 1 and phrase == 1:  # the sequence again, its last two notes made one
                shape = (rhythm[:-2] + (rhythm[-2] + rhythm[-1],), steps) if len(rhythm) > 2 else (rhythm, steps)
            else:
                shape = (rhythm, steps)
            bar_notes = _bar(key, chords, bass_of, bar * bpb, shape, prev, (low, high), notes,
                             target=cadence if b == PHRASE_BARS - 1 else "")
            if phrase == 1 and b == 2:
                bar_notes = _approach_tonic(key, chords, bass_of, notes, bar_notes)
            notes += bar_notes
            prev = bar_notes[-1].pitch
    notes = notes[1:] if lead is not None else notes
    if piece.intent.mood in COLOURED:
        notes = _chromatic_neighbours(key, notes, chords, rng, COLOURED[piece.intent.mood])
    if last:  # the final note: the tonic, under a chord of the right hand
        end = notes[-1]
        under = max(p for p in range(end.pitch - 9, end.pitch - 2) if p % 12 in {key.pc(2), key.pc(4)})
        notes.append(Note(end.start, end.dur, under, "right", "inner"))
    return notes


def _cadence_shapes(bpb: int) -> list[tuple[tuple[float, ...], tuple[int, ...]]]:
    """The cadence bar: the cadence note held, or held and followed by notes that lead on."""
    return [((float(bpb),), ()), ((bpb - 1.0, 1.0), (1,)), ((bpb - 1.0, 1.0), (-1,)), ((bpb - 1.0, 1.0), (4,)),
            ((bpb - 1.0, 1.0), (-3,)),
            ((bpb - 1.0, 0.5, 0.5), (-1, -1)), ((bpb - 1.0, 0.5, 0.5), (1, 1))]


def bass_line(key: Key, chords: list[Chord]) -> dict[float, int]:
    """The bass pitch of each chord: its bass tone in the octave E2-D#3 (one place per pitch
    class, so a section's bass is the same wherever it is played)."""
    return {c.start: next(p for p in range(BASS_LOW, BASS_LOW + 12) if p % 12 == key.pc(c.bass_degree, c.root))
            for c in chords}


def chord_at(chords: list[Chord], beat: float) -> Chord:
    return next(c for c in reversed(chords) if c.start <= beat + 1e-9)


def _bar(key: Key, chords: list[Chord], bass_of: dict[float, int], start: float,
         shape: tuple[tuple[float, ...], tuple[int, ...]], prev: int, window: tuple[int, int],
         before: list[Note], target: str) -> list[Note]:
    """One bar of melody: the shape from the chord tone that fits best, each note that starts
    with a chord kept free of parallels with the bass (else moved to another chord tone)."""
    rhythm, steps = shape
    low, high = window
    chord = chord_at(chords, start)
    wanted = {"PAC": [0], "HC": [1, 6, 4]}.get(target) or list(chord.degrees)
    near = {key.position_near(prev, d) for d in wanted}
    firsts = sorted(near | {p + 7 for p in near} | {p - 7 for p in near}, key=lambda p: abs(key.pitch(p) - prev))
    for first in firsts + [None]:
        out: list[Note] = []
        position, t, bent = first, start, False
        for i, length in enumerate(rhythm):
            here = chord_at(chords, t)
            if position is None or not low - 2 <= key.pitch(position, here.root) <= high + 2:
                bent = True
                ref = min(max(prev if not out else out[-1].pitch, low + 4), high - 4)  # back inside
                position = key.position_near(ref, here.degrees[i % 3])
            pitch = key.pitch(position, here.root)
            if t in bass_of and _clashes(before + out, bass_of, t, pitch):
                pitch = _safe_tone(key, here, bass_of, before + out, t, pitch)
                position = key.position_near(pitch, _degree_of(key, here, pitch))
            out.append(Note(t, length, pitch, "right", "melody"))
            if i < len(steps):
                position += steps[i]
            t += length
        if first is None or not bent:
            return out
    raise AssertionError("unreachable")  # the last try (first=None) always returns


def _approach_tonic(key: Key, chords: list[Chord], bass_of: dict[float, int], before: list[Note],
                    bar: list[Note]) -> list[Note]:
    """Before an authentic cadence the melody leaves the dominant's root (which would move in
    octaves with the bass to the tonic) for the leading tone or the second degree."""
    end = bar[-1]
    dominant = chord_at(chords, end.start)
    if end.pitch % 12 != key.pc(4):
        return bar
    for degree in (6, 1):
        pitch = key.pitch(key.position_near(end.pitch, degree), dominant.root)
        if end.start not in bass_of or not _clashes(before + bar[:-1], bass_of, end.start, pitch):
            return bar[:-1] + [Note(end.start, end.dur, pitch, end.hand, end.voice)]
    return bar


def _clashes(before: list[Note], bass_of: dict[float, int], t: float, pitch: int) -> bool:
    if not before:
        return False
    starts = [s for s in bass_of if s < t]
    return bool(starts) and parallel(before[-1].pitch, bass_of[max(starts)], pitch, bass_of[t])


def _safe_tone(key: Key, chord: Chord, bass_of: dict[float, int], before: list[Note], t: float, pitch: int) -> int:
    """The chord tone nearest `pitch` that makes no parallel with the bass (a third or sixth
    above the bass always qualifies, so one exists)."""
    tones = [p for p in range(pitch - 7, pitch + 8) if p % 12 in chord.pcs(key)]
    return min((p for p in tones if not _clashes(before, bass_of, t, p)), key=lambda p: (abs(p - pitch), p))


def _degree_of(key: Key, chord: Chord, pitch: int) -> int:
    return next(d for d in range(7) if key.pc(d, chord.root) == pitch % 12)


def _chromatic_neighbours(key: Key, notes: list[Note], chords: list[Chord], rng: random.Random,
                          rate: float) -> list[Note]:
    """Colour: a short note off the beat that steps to the next one becomes that note's chromatic
    neighbour, below it or above (marked, so it is known to leave the key on purpose)."""
    out = list(notes)
    for i in range(len(out) - 1):
        n, nxt = out[i], out[i + 1]
        weak = n.start % 1 != 0 and n.dur <= 0.5
        step = nxt.pitch - n.pitch
        below = nxt.pitch - 1 if step > 0 else nxt.pitch + 1
        if (weak and 1 <= abs(step) <= 2 and below % 12 not in key.pitch_classes()
                and rng.random() < rate):
            if chord_at(chords, n.start).start != n.start:
                out[i] = Note(n.start, n.dur, below, n.hand, n.voice, chromatic=True)
    return out
