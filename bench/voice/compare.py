"""Compare voice bench runs: the figures docs/benchmarks.md gives for each run.

"To sound" is end of speech -> the first output a listener can hear (since session 12); "to
first-audio event" is the agent's own event, the first frame handed to the sink, which with
hibari's leading silence (trimmed since session 12) came ~0.3 s before any sound.

    .venv/bin/python -m bench.voice.compare bench/results/voice-qwen2.5-coder-0.5b-s11a.json ...

Runs of one machine differ by up to ~0.5 s p50 with the same code, so compare runs of the same
hour, interleaved, and look at the stages and at single utterances, not only at the p50.
"Simple" utterances are those offered no tool and calling none in every run given: the turns
the voice pipeline alone decides. Stage columns are medians over them.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

STAGES = ("eot_stt_ms", "turn_wait_ms", "model_first_token_ms", "first_sentence_tts_ms")
# the model's pace in the first piece, ms between streamed pieces (since session 13)
PACE = "token_gap_ms"


def load(path: Path) -> dict[int, dict[str, Any]]:
    return {r["index"]: r for r in json.loads(path.read_text())["rows"]}


def idle_pace(path: Path) -> str:
    """The model's idle pace measured before the run (since session 13): the machine's speed."""
    paces = [p["idle_token_gap_ms"] for p in json.loads(path.read_text())["parts"] if "idle_token_gap_ms" in p]
    return f" (idle pace {', '.join(f'{v:.0f}' for v in paces)} ms a token)" if paces else ""


def simple_set(runs: dict[str, dict[int, dict[str, Any]]]) -> list[int]:
    common = set.intersection(*(set(rows) for rows in runs.values()))
    return sorted(i for i in common if all(not rows[i]["offered"] and not rows[i]["tool_calls"] for rows in runs.values()))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary(rows: dict[int, dict[str, Any]], simple: list[int]) -> str:
    timed = [r["e2e_ms"] for r in rows.values() if "e2e_ms" in r]
    sound = [r["sound_e2e_ms"] for r in rows.values() if "sound_e2e_ms" in r]
    easy = [rows[i] for i in simple if "e2e_ms" in rows[i]]
    easy_sound = [r["sound_e2e_ms"] for r in easy if "sound_e2e_ms" in r]
    heard = (f"to sound p50 {statistics.median(sound) / 1000:.2f} s | p95 {percentile(sound, 95) / 1000:.1f} s | "
             f"simple {statistics.median(easy_sound) / 1000:.2f} s | ≤ 0.8 s {sum(v <= 800 for v in sound)} of {len(sound)} || "
             if sound and easy_sound else "to sound: not measured (before session 12) || ")
    if not timed or not easy:
        return "no timed utterances"
    stage = {k: statistics.median(r[k] for r in easy if r.get(k) is not None) for k in STAGES}
    wer = [statistics.mean(r["wer"] for r in rows.values() if bool(r["noise"]) == noisy) * 100 for noisy in (False, True)]
    playback = [r["bargein_playback_ms"] for r in rows.values() if r.get("bargein_playback_ms") is not None]
    stop = [r["bargein_generation_ms"] for r in rows.values() if r.get("bargein_generation_ms") is not None]
    barge = f"{min(playback):.0f}–{max(playback):.0f} / {min(stop):.0f}–{max(stop):.0f} ms" if playback and stop else "—"
    return (heard + f"to first-audio event p50 {statistics.median(timed) / 1000:.2f} s | p95 {percentile(timed, 95) / 1000:.1f} s | "
            f"simple p50 {statistics.median(r['e2e_ms'] for r in easy) / 1000:.2f} s | "
            f"≤ 0.8 s {sum(v <= 800 for v in timed)} of {len(timed)} | "
            + " | ".join(f"{k.removesuffix('_ms')} {v / 1000:.2f} s" for k, v in stage.items())
            + (f" | token gap {statistics.median(pace):.0f} ms" if (pace := [r[PACE] for r in easy if PACE in r]) else "")
            + f" | WER {wer[0]:.1f} / {wer[1]:.1f} % | barge-in playback / generation {barge}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", type=Path, help="voice-<model>-<tag>.json files")
    parser.add_argument("--each", action="store_true", help="also end of speech → first sound (→ first-audio event) per utterance")
    args = parser.parse_args()
    runs = {p.stem.removeprefix("voice-"): load(p) for p in args.results}
    simple = simple_set(runs)
    print(f"simple: {len(simple)} utterances {simple}")
    for (name, rows), path in zip(runs.items(), args.results, strict=False):
        print(f"{name}{idle_pace(path)}: {summary(rows, simple)}")
    if args.each:
        first = next(iter(runs.values()))
        for i in sorted(first):
            times = "  ".join(f"{rows[i].get('sound_e2e_ms', float('nan')) / 1000:5.2f} ({rows[i].get('e2e_ms', float('nan')) / 1000:5.2f})"
                              for rows in runs.values() if i in rows)
            print(f"{i:3} {first[i]['text'][:44]:44} {times}")


if __name__ == "__main__":
    main()
