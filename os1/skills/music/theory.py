"""The harmony a piece is built on: keys, chords by scale degree, the progressions of its
phrases, and the voice-leading rule the outer voices keep.

Pitches are MIDI numbers; a diatonic position is `octave * 7 + degree` so a motif can move by
scale steps in any key. In minor the leading tone is raised over the dominant (harmonic minor),
so a minor-key cadence has its V; those raised tones belong to the key, not to chromaticism.
"""

from __future__ import annotations

from dataclasses import dataclass

NAMES = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")  # a key's tonic by pitch class
TONIC_PC = {name: pc for pc, name in enumerate(NAMES)}
STEPS = {"major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 10)}
DOMINANTS = (4, 6)  # V and vii°: over them the minor's seventh degree is raised

# Four-bar phrases, one chord a bar by scale degree of its root; a tuple is a bar of two chords
# (a predominant, then the dominant: the cadence). An antecedent ends on V (a half cadence), a
# consequent on I after V (an authentic cadence). "B" phrases start away from the tonic.
Plan = tuple[int | tuple[int, int], ...]  # a phrase's bars: a chord's root, or two in one bar
ANTECEDENTS: dict[str, tuple[Plan, ...]] = {
    "A": ((0, 3, 1, 4), (0, 5, 3, 4), (0, 3, 0, 4), (0, 5, 1, 4)),
    "B": ((5, 3, 1, 4), (3, 0, 1, 4), (5, 2, 3, 4), (3, 5, 1, 4)),
}
CONSEQUENTS: dict[str, tuple[Plan, ...]] = {
    "A": ((0, 3, (1, 4), 0), (0, 5, (3, 4), 0), (0, 3, (3, 4), 0), (0, 5, (1, 4), 0)),
    "B": ((3, 0, (1, 4), 0), (5, 3, (1, 4), 0), (3, 5, (3, 4), 0), (5, 1, (3, 4), 0)),
}


@dataclass(frozen=True)
class Key:
    tonic: str
    mode: str

    @property
    def tonic_pc(self) -> int:
        return TONIC_PC[self.tonic]

    def pc(self, degree: int, over: int | None = None) -> int:
        """The pitch class of scale degree `degree` (0-6), raised in minor over a dominant."""
        step = STEPS[self.mode][degree % 7]
        if self.mode == "minor" and degree % 7 == 6 and over is not None and over % 7 in DOMINANTS:
            step = 11
        return (self.tonic_pc + step) % 12

    def pitch(self, position: int, over: int | None = None) -> int:
        """The MIDI pitch of a diatonic position (position 35 = the tonic of octave 5, near C4)."""
        octave, degree = divmod(position, 7)
        step = self.pc(degree, over) - self.tonic_pc
        return 12 * octave + self.tonic_pc + step % 12

    def position_near(self, pitch: int, degree: int) -> int:
        """The diatonic position of `degree` whose pitch is closest to `pitch`."""
        base = (pitch // 12) * 7 + degree
        return min((base - 7, base, base + 7), key=lambda p: abs(self.pitch(p) - pitch))

    def contrast(self) -> Key:
        """The key a middle section moves to: the dominant of a major key, the relative major
        of a minor one."""
        if self.mode == "major":
            return Key(NAMES[(self.tonic_pc + 7) % 12], "major")
        return Key(NAMES[(self.tonic_pc + 3) % 12], "major")

    def pitch_classes(self) -> frozenset[int]:
        """Every pitch class that belongs to the key (in minor: the raised sixth and seventh too)."""
        pcs = {self.pc(d) for d in range(7)}
        if self.mode == "minor":
            pcs |= {(self.tonic_pc + 9) % 12, (self.tonic_pc + 11) % 12}
        return frozenset(pcs)


@dataclass(frozen=True)
class Chord:
    """A chord over a span of beats: its root's scale degree and inversion (0 root, 1 first)."""

    start: float
    length: float
    root: int
    inversion: int = 0
    bar: int = 0

    @property
    def degrees(self) -> tuple[int, int, int]:
        return (self.root % 7, (self.root + 2) % 7, (self.root + 4) % 7)

    @property
    def bass_degree(self) -> int:
        return self.degrees[self.inversion]

    def pcs(self, key: Key) -> set[int]:
        return {key.pc(d, self.root) for d in self.degrees}


def parallel(prev_top: int, prev_bass: int, top: int, bass: int) -> bool:
    """Consecutive perfect fifths or octaves (unisons) between two voices that both move."""
    if prev_top == top or prev_bass == bass:
        return False
    before, after = (prev_top - prev_bass) % 12, (top - bass) % 12
    return before == after and after in (0, 7)


def nearest(pitch: int, choices: list[int]) -> int:
    return min(choices, key=lambda p: (abs(p - pitch), p))
