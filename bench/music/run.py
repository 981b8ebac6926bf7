"""The music benchmark: how soon a piece sounds, and how its statistics sit beside human piano
music.

    .venv/bin/python -m bench.music.run [--pieces 32] [--runs 5] [--record]

1. First sound: from the request (the intent already chosen by the model) to the first
   phrase's audio ready to play, for a 60-second piece: compose, write the phrase's MIDI,
   render it with fluidsynth. The median of `--runs`; the whole piece's rendering beside it.
2. Statistics of the melody (the top voice) against the piano pieces music21 ships (Mozart's
   K. 545, Joplin's Maple Leaf Rag, a Chopin mazurka, Clara Schumann's four polonaises, C. P. E.
   Bach's H. 186): pitch-class entropy, melodic intervals, rhythms (note lengths relative to each piece's median) and repeated
   bars. Each is reported as a distance from the human pieces' centre divided by the human
   pieces' own spread around it: at most 1 is within the spread of the human pieces.
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from os1.skills.music.compose import Piece, compose
from os1.skills.music.intent import BY_MOOD, MODES, TONICS
from os1.skills.music.service import render_all, render_first

HUMAN = ("mozart/k545/movement1_exposition", "joplin/maple_leaf_rag", "chopin/mazurka06-2",
         "schumann_clara/polonaise_op1n1", "schumann_clara/polonaise_op1n2",
         "schumann_clara/polonaise_op1n3", "schumann_clara/polonaise_op1n4", "cpebach/h186")
INTERVALS = 13  # |semitones| 0..11, 12 and more
LENGTHS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 8.0)  # times the median length (nearest bin)
Line = list[tuple[float, float, int, int]]  # onset, length, pitch, bar of the top voice


def first_sound(runs: int) -> tuple[float, float]:
    intent = replace(BY_MOOD["tender"], seconds=60)
    firsts, wholes = [], []
    for seed in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            render_first(compose(intent, seed), Path(tmp))
            firsts.append(time.perf_counter() - start)
            start = time.perf_counter()
            render_all(compose(intent, seed), Path(tmp), "bench")
            wholes.append(time.perf_counter() - start)
    return statistics.median(firsts), statistics.median(wholes)


def ours(count: int) -> list[Line]:
    lines = []
    moods = sorted(BY_MOOD)
    for i in range(count):
        intent = replace(BY_MOOD[moods[i % len(moods)]], tonic=TONICS[i % len(TONICS)], mode=MODES[(i // 3) % 2])
        piece: Piece = compose(intent, i)
        lines.append([(n.start, n.dur, n.pitch, int(n.start // piece.beats_per_bar)) for n in piece.melody()])
    return lines


def human() -> list[Line]:
    from music21 import corpus

    lines = []
    for name in HUMAN:
        score = corpus.parse(name)
        top: dict[float, tuple[float, int, int]] = {}
        for n in score.parts[0].flatten().notes:
            pitch = max(p.midi for p in n.pitches)
            at = float(n.offset)
            if at not in top or pitch > top[at][1]:
                top[at] = (float(n.quarterLength), pitch, int(n.measureNumber or 0))
        lines.append([(at, length, pitch, bar) for at, (length, pitch, bar) in sorted(top.items())])
    return lines


def pc_entropy(line: Line) -> float:
    weights = Counter()
    for _, length, pitch, _ in line:
        weights[pitch % 12] += length
    total = sum(weights.values())
    return -sum(w / total * math.log2(w / total) for w in weights.values() if w)


def intervals(line: Line) -> list[float]:
    counts = [0.0] * INTERVALS
    for a, b in zip(line, line[1:], strict=False):
        counts[min(abs(b[2] - a[2]), INTERVALS - 1)] += 1
    return _normal(counts)


def rhythms(line: Line) -> list[float]:
    """Note lengths relative to the piece's median length: tempo-free, so a rag's sixteenths at
    speed and a lullaby's eighths compare as what they are, the piece's running notes."""
    median = statistics.median(length for _, length, _, _ in line)
    counts = [0.0] * len(LENGTHS)
    for _, length, _, _ in line:
        counts[min(range(len(LENGTHS)), key=lambda i: abs(LENGTHS[i] - length / median))] += 1
    return _normal(counts)


def repetition(line: Line) -> float:
    """The share of bars whose melody (its rhythm and intervals) some earlier bar already had."""
    bars: dict[int, list[tuple[float, int]]] = {}
    for _, length, pitch, bar in line:
        bars.setdefault(bar, []).append((length, pitch))
    seen, repeated = set(), 0
    for notes in bars.values():
        shape = tuple((length, b - a) for (length, a), (_, b) in zip(notes, notes[1:] + notes[-1:], strict=False))
        repeated += shape in seen
        seen.add(shape)
    return repeated / max(1, len(bars))


def _normal(counts: list[float]) -> list[float]:
    total = sum(counts) or 1.0
    return [c / total for c in counts]


def js_distance(p: list[float], q: list[float]) -> float:
    m = [(a + b) / 2 for a, b in zip(p, q, strict=True)]

    def kl(x: list[float]) -> float:
        return sum(a * math.log2(a / b) for a, b in zip(x, m, strict=True) if a > 0)

    return math.sqrt(max(0.0, (kl(p) + kl(q)) / 2))


def _mean(hists: list[list[float]]) -> list[float]:
    return [statistics.fmean(col) for col in zip(*hists, strict=True)]


def compare(mine: list[Line], theirs: list[Line]) -> dict[str, dict[str, float]]:
    """For each statistic: our distance from the human centre, the human spread around it, and
    their ratio (at most 1: within the human pieces' spread)."""
    out = {}
    for name, stat in (("pc_entropy", pc_entropy), ("repetition", repetition)):
        h = [stat(line) for line in theirs]
        centre, spread = statistics.fmean(h), statistics.pstdev(h)
        distance = abs(statistics.fmean(stat(line) for line in mine) - centre)
        out[name] = {"ours": statistics.fmean(stat(line) for line in mine), "human": centre,
                     "distance": distance, "spread": spread}
    for name, hist in (("intervals", intervals), ("rhythm", rhythms)):
        h = [hist(line) for line in theirs]
        centre = _mean(h)
        spread = statistics.fmean(js_distance(x, centre) for x in h)
        distance = js_distance(_mean([hist(line) for line in mine]), centre)
        out[name] = {"distance": distance, "spread": spread}
    for v in out.values():
        v["ratio"] = v["distance"] / v["spread"] if v["spread"] else float("inf")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pieces", type=int, default=32)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--record", action="store_true", help="write the figures to docs/benchmarks.json")
    args = parser.parse_args()
    first, whole = first_sound(args.runs)
    print(f"first sound of a 60-s piece: {first:.2f} s (median of {args.runs}); whole piece rendered: {whole:.2f} s")
    result = compare(ours(args.pieces), human())
    for name, v in result.items():
        extra = f" (ours {v['ours']:.3f}, human {v['human']:.3f})" if "ours" in v else ""
        print(f"{name:>11}: distance {v['distance']:.3f}, human spread {v['spread']:.3f},"
              f" ratio {v['ratio']:.2f}{extra}")
    if args.record:
        from bench.figures import record

        command = "make bench-music"
        engine = "OS1 composer + FluidR3_GM"
        record("music.first_sound_s", round(first, 2), "s", engine, command)
        for name, v in result.items():
            record(f"music.{name}_distance", round(v["ratio"], 2), "ratio", engine, command,
                   note=f"distance {v['distance']:.3f} / human spread {v['spread']:.3f} over {len(HUMAN)} pieces")


if __name__ == "__main__":
    main()
