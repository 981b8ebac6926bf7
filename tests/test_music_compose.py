"""The composer's craft, checked on 104 generated pieces across moods, keys, meters and seeds
(composition only: fast). The cadences are named by music21's own roman-numeral analysis."""

from collections import defaultdict
from dataclasses import replace

import pytest
from music21 import chord as m21chord
from music21 import roman

from os1.skills.music.compose import Piece, compose
from os1.skills.music.intent import BY_MOOD, FORMS, METERS, MODES, MOTIFS, REGISTERS, TONICS
from os1.skills.music.score import m21_key, spell
from os1.skills.music.theory import STEPS, parallel

MOODS = sorted(BY_MOOD)
CASES = [(mood, seed) for mood in MOODS for seed in range(13)]  # 104 pieces


def intent_for(mood: str, seed: int):
    """The mood's intent, turned through the keys, modes, meters, forms, registers and motifs."""
    return replace(BY_MOOD[mood], tonic=TONICS[seed % len(TONICS)], mode=MODES[(seed // 2) % 2],
                   meter=METERS[seed % 2], form=FORMS[seed % 3], register=REGISTERS[seed % 3],
                   motif=MOTIFS[(seed + len(mood)) % len(MOTIFS)], tempo=56 + 7 * seed,
                   seconds=30 + (seed * 7) % 91)


@pytest.fixture(scope="module")
def pieces() -> dict[tuple[str, int], Piece]:
    return {(mood, seed): compose(intent_for(mood, seed), seed) for mood, seed in CASES}


def test_the_same_intent_and_seed_give_the_same_notes():
    intent = intent_for("tender", 3)
    assert compose(intent, 3).notes == compose(intent, 3).notes
    assert compose(intent, 3).notes != compose(intent, 4).notes


def test_every_note_is_in_the_key_unless_marked_chromatic(pieces):
    """The key of the moment: a middle section that is not the last moves to a related key."""
    marked = 0
    for piece in pieces.values():
        for n in piece.notes:
            assert n.chromatic or n.pitch % 12 in piece.key_at(n.start).pitch_classes(), (piece.intent, n)
            marked += n.chromatic
    assert marked > 0  # the playful pieces do use them
    assert sum(any(p.key != piece.key for p in piece.phrases) for piece in pieces.values()) > 20  # modulations


def test_notes_fit_the_piano_and_each_chord_fits_a_hand(pieces):
    for piece in pieces.values():
        assert all(21 <= n.pitch <= 108 for n in piece.notes)
        together = defaultdict(list)
        for n in piece.notes:
            together[(n.hand, n.start)].append(n.pitch)
        assert all(max(ps) - min(ps) <= 12 for ps in together.values()), piece.intent
        for c in piece.chords:  # the left hand's notes of one chord lie under one hand
            left = [n.pitch for n in piece.notes if n.hand == "left" and c.start <= n.start < c.start + c.length]
            assert max(left) - min(left) <= 12, (piece.intent, c)


def _sounding(piece: Piece, beat: float, hand: str) -> list[int]:
    return [n.pitch for n in piece.notes if n.hand == hand and n.start <= beat < n.start + max(n.dur, n.sound)]


def _roman(piece: Piece, beat: float, upto: float) -> roman.RomanNumeral:
    """The chord the left hand plays from `beat` to `upto`, named in the key of that moment."""
    key = piece.key_at(beat)
    left = {n.pitch for n in piece.notes if n.hand == "left" and beat <= n.start < upto}
    return roman.romanNumeralFromChord(m21chord.Chord([spell(key, p) for p in sorted(left)]), m21_key(key))


def test_every_phrase_ends_on_a_cadence(pieces):
    for piece in pieces.values():
        bpb = piece.beats_per_bar
        for phrase in piece.phrases:
            end = (phrase.start_bar + phrase.bars - 1) * bpb
            final = _roman(piece, end, end + bpb)
            assert final.inversion() == 0, (piece.intent, phrase)
            if phrase.cadence == "HC":
                assert final.romanNumeral == "V", (piece.intent, phrase, final.figure)
            else:
                before = next(c for c in reversed(piece.chords) if c.start < end)
                dominant = _roman(piece, before.start, end)
                assert final.romanNumeral.upper() == "I", (piece.intent, phrase, final.figure)
                assert dominant.romanNumeral == "V" and dominant.inversion() == 0, dominant.figure
                top = max(_sounding(piece, end, "right"))
                assert top % 12 == phrase.key.tonic_pc, (piece.intent, phrase)


def test_outer_voices_move_without_parallel_fifths_or_octaves(pieces):
    for piece in pieces.values():
        melody, bass = piece.melody(), piece.bass()
        times = sorted({n.start for n in melody} | {n.start for n in bass})
        pairs = []
        for t in times:
            top = [n.pitch for n in melody if n.start <= t < n.start + n.dur]
            low = [n.pitch for n in bass if n.start <= t < n.start + max(n.dur, n.sound)]
            if top and low:
                pairs.append((t, top[-1], low[-1]))
        for (t0, s0, b0), (t1, s1, b1) in zip(pairs, pairs[1:], strict=False):
            assert not parallel(s0, b0, s1, b1), (piece.intent, piece.seed, t0, t1, s0, b0, s1, b1)


def test_every_measure_sums_to_the_meter(pieces):
    for piece in pieces.values():
        bpb = piece.beats_per_bar
        for hand in ("right", "left"):
            onsets: dict[float, set[float]] = defaultdict(set)
            for n in piece.notes:
                if n.hand == hand:
                    onsets[n.start].add(n.dur)
                    assert int(n.start // bpb) == int((n.start + n.dur - 1e-9) // bpb), n  # no barline crossed
            assert all(len(d) == 1 for d in onsets.values())  # a chord's notes are written alike
            per_bar: dict[int, float] = defaultdict(float)
            for start, durs in onsets.items():
                per_bar[int(start // bpb)] += durs.pop()
            assert sorted(per_bar) == list(range(piece.bars))
            assert all(abs(v - bpb) < 1e-9 for v in per_bar.values()), (piece.intent, hand, per_bar)


def _position(key, pitch: int) -> int:
    step = (pitch - key.tonic_pc) % 12
    scale = STEPS[key.mode]
    degree = scale.index(step) if step in scale else scale.index(step - 1)  # a raised 6th or 7th
    return (pitch - key.tonic_pc) // 12 * 7 + degree


def test_the_motif_returns_and_develops(pieces):
    for piece in pieces.values():
        rhythm, steps = piece.motif
        melody = piece.melody()
        where = [_position(piece.key_at(n.start), n.pitch) for n in melody]
        # a chromatic neighbour stands for the scale step beside the note it leads to
        where = [where[i + 1] + (1 if n.pitch > melody[i + 1].pitch else -1) if n.chromatic else where[i]
                 for i, n in enumerate(melody)]
        bars: dict[int, list] = defaultdict(list)
        for n, w in zip(melody, where, strict=True):
            bars[int(n.start // piece.beats_per_bar)].append((n.dur, w))
        exact = inverted = 0
        for notes in bars.values():
            if tuple(d for d, _ in notes) != rhythm:
                continue
            moves = tuple(b - a for (_, a), (_, b) in zip(notes, notes[1:], strict=False))
            exact += moves == steps
            inverted += moves == tuple(-s for s in steps) and any(steps)
        assert exact >= 2, (piece.intent, piece.seed, exact)
        if "B" in piece.sections and any(steps):
            assert inverted >= 1, (piece.intent, piece.seed)
