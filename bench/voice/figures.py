"""Record the voice run's headline figures in docs/benchmarks.json, from its result file.

    .venv/bin/python -m bench.voice.run                 # writes bench/results/voice.json
    .venv/bin/python -m bench.voice.figures             # then this (make bench-voice runs both)

A step of its own so the run itself stays as it is; run it on the machine and commit that ran
the bench, right after it.
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from bench.common import RESULTS
from bench.figures import DEFAULT_MODEL, record

COMMAND = "python -m bench.voice.run"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tag", default="", help="the --tag the run was given")
    ap.add_argument("--model", default=DEFAULT_MODEL, help="whose figures are the headline")
    args = ap.parse_args()
    path = RESULTS / f"voice{args.tag}.json"
    results = {r["model"]: r for r in json.loads(path.read_text())["results"]}
    if args.model not in results:
        print(f"{path} has no run of {args.model}")
        return 1
    r = results[args.model]
    if r["utterances"] < 40:
        print(f"{args.model} ran {r['utterances']} of 40 utterances: not a headline figure")
        return 1
    record("voice.first_audio_p50_s", round(r["sound_e2e_p50_ms"] / 1000, 2), "s", args.model, COMMAND,
           "end of speech to the first sound out, 40 utterances heard in real time")
    record("voice.first_audio_p95_s", round(r["sound_e2e_p95_ms"] / 1000, 2), "s", args.model, COMMAND)
    record("voice.wer", r["wer_mean"], "ratio", "faster-whisper " + r["stt"], COMMAND,
           f"clean {r['wer_clean']}, noisy (15 dB SNR) {r['wer_noisy']}")
    if r["bargein_playback_ms"]:
        p95 = round(float(np.percentile(r["bargein_playback_ms"], 95)))
        record("voice.bargein_stop_p95_ms", p95, "ms", args.model, COMMAND,
               f"user's first syllable to playback stopped, {len(r['bargein_playback_ms'])} barge-ins")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
