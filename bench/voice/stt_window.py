"""Speech-to-text A/B: the short encoder window (speech + 1 s; `draft=True`, what partial
transcripts use) against whisper's full 30-s window, with and without whisper's temperature
fallback, and what a turn's own transcript does ("final": the short window when it is sure of
2 s or more of speech, else the full one) (an unsure transcript decoded again at higher temperatures), on the voice bench's 40
utterances plus pure noise and silence (does either invent words?). Reports ms per transcription
(p50/p95), WER, how often the short window was unsure (such a draft is dropped: empty), and what
each made of noise.

    python bench/voice/stt_window.py [--stt tiny.en] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.common import machine, write_result  # noqa: E402
from bench.voice.run import corpus, pct, wer  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stt", default="tiny.en")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per utterance (the median is kept)")
    args = ap.parse_args()
    from os1.voice.stt import WhisperSTT

    stt = WhisperSTT(args.stt, short_final=False)
    no_fallback = WhisperSTT(args.stt, fallback=False, short_final=False)
    final = WhisperSTT(args.stt)
    with tempfile.TemporaryDirectory() as tmp:
        items = corpus(Path(tmp))
    rng = np.random.default_rng(3)
    extra = [("noise", rng.normal(0, 0.05, 3 * 16000).astype(np.float32)),
             ("silence", np.zeros(2 * 16000, np.float32))]
    stt.transcribe_sync(items[0]["audio"])  # load and warm
    rows = {}
    for mode in ("short", "full", "full-no-fallback", "final"):
        model = {"full-no-fallback": no_fallback, "final": final}.get(mode, stt)
        ms, wers, handed_over = [], [], 0
        for item in items:
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                t = model.transcribe_sync(item["audio"], draft=mode == "short")
                times.append((time.perf_counter() - t0) * 1000)
            ms.append(statistics.median(times))
            wers.append(wer(item["text"], t.text))
            if mode == "short" and stt._short_window(item["audio"], None) is None:
                handed_over += 1
        noise = {name: (t := model.transcribe_sync(a, draft=mode == "short")).text if t.usable else "(dropped)" for name, a in extra}
        rows[mode] = {
            "ms_p50": pct(ms, 50), "ms_p95": pct(ms, 95),
            "wer_mean": round(statistics.mean(wers), 3),
            "wer_clean": round(statistics.mean(w for w, i in zip(wers, items) if not i["noise"]), 3),
            "wer_noisy": round(statistics.mean(w for w, i in zip(wers, items) if i["noise"]), 3),
            "dropped_unsure": handed_over if mode == "short" else None,
            "noise_and_silence": noise,
        }
        print(mode, rows[mode], flush=True)
    write_result("stt-window", {"stt": args.stt, "utterances": len(items), "machine": machine(), "rows": rows})


if __name__ == "__main__":
    main()
