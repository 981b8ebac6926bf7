"""Speech-to-text A/B: whisper's short encoder window (12 s, or the speech and a second;
`draft=True`, what partial transcripts use) against its full 30-s window, with and without
whisper's temperature fallback (an unsure transcript decoded again at higher temperatures), and
what a turn's own transcript does ("final": the short window when whisper is sure enough of it,
else the full one; the bar is lower for noisy input, which here is the corpus's own label where
the agent measures the levels), on the voice bench's 40 utterances plus pure noise and silence
(does either invent words?). Reports ms per transcription (p50/p95), WER, how often the short
window was unsure (such a draft is dropped: empty), how often "final" went on to the full
window, and what each made of noise.

    python -m bench.voice.stt_window [--stt tiny.en] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import machine, write_result
from bench.voice.run import corpus, pct, wer


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stt", default="tiny.en")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per utterance (the median is kept)")
    args = ap.parse_args()
    from os1.voice.stt import SURE_LOGPROB, UNSURE_LOGPROB, WhisperSTT

    stt = WhisperSTT(args.stt)
    no_fallback = WhisperSTT(args.stt, fallback=False)
    with tempfile.TemporaryDirectory() as tmp:
        items = corpus(Path(tmp))
    rng = np.random.default_rng(3)
    extra = [("noise", rng.normal(0, 0.05, 3 * 16000).astype(np.float32)),
             ("silence", np.zeros(2 * 16000, np.float32))]
    stt.transcribe_sync(items[0]["audio"])  # load and warm
    rows = {}
    full_calls = 0

    def counted_full(audio: np.ndarray, prompt: str | None):  # type: ignore[no-untyped-def]
        nonlocal full_calls
        full_calls += 1
        return full_window(audio, prompt)

    full_window = stt._full_window

    def run(mode: str, item: dict) -> object:  # type: ignore[type-arg]
        if mode == "short":
            return stt.transcribe_sync(item["audio"], draft=True)
        if mode == "full":
            return stt.transcribe_sync(item["audio"], min_logprob=None)
        if mode == "full-no-fallback":
            return no_fallback.transcribe_sync(item["audio"], min_logprob=None)
        return stt.transcribe_sync(item["audio"], min_logprob=UNSURE_LOGPROB if item.get("noise") else SURE_LOGPROB)

    for mode in ("short", "full", "full-no-fallback", "final"):
        ms, wers, dropped, went_full = [], [], 0, 0
        for item in items:
            times = []
            for _ in range(args.repeat):
                stt._full_window = counted_full  # type: ignore[method-assign]
                full_calls = 0
                t0 = time.perf_counter()
                t = run(mode, item)
                times.append((time.perf_counter() - t0) * 1000)
                stt._full_window = full_window  # type: ignore[method-assign]
            ms.append(statistics.median(times))
            wers.append(wer(item["text"], t.text))  # type: ignore[attr-defined]
            dropped += mode == "short" and not t.text  # type: ignore[attr-defined]
            went_full += mode == "final" and full_calls > 0
        noise = {name: (t := run(mode, {"audio": a})).text if t.usable else "(dropped)"  # type: ignore[attr-defined]
                 for name, a in extra}
        rows[mode] = {
            "ms_p50": pct(ms, 50), "ms_p95": pct(ms, 95),
            "wer_mean": round(statistics.mean(wers), 3),
            "wer_clean": round(statistics.mean(w for w, i in zip(wers, items, strict=False) if not i["noise"]), 3),
            "wer_noisy": round(statistics.mean(w for w, i in zip(wers, items, strict=False) if i["noise"]), 3),
            "dropped_unsure": dropped if mode == "short" else None,
            "went_to_full_window": went_full if mode == "final" else None,
            "noise_and_silence": noise,
        }
        print(mode, rows[mode], flush=True)
    write_result("stt-window", {"stt": args.stt, "utterances": len(items), "machine": machine(), "rows": rows})


if __name__ == "__main__":
    main()
