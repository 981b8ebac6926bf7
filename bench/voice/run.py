"""Voice latency benchmark: a corpus of spoken utterances made at bench time (espeak-ng voices
and hibari, with and without noise, short commands and long sentences) played in real time
through the simulated duplex sound card into the voice agent, for each model.

Reports p50/p95 of end of speech -> first audio out (the first output a listener can hear, on
the simulated sound card's clock; and the agent's own first-audio event) with the stage breakdown, WER of the
recogniser, and barge-in reaction (user speech onset -> OS1's playback stopped).

    python -m bench.voice.run [--models qwen2.5-coder-0.5b ...] [--limit N] [--bargein N]
                              [--part K/N] [--baseline] [--cut] [--tag NAME] [--plot-only]

--baseline runs the pipeline as it was before the latency work (no prefill, no partial
transcripts, 160 ms VAD hangover, first clause cut at 40 characters) for an A/B comparison.
--part K/N runs the K-th of N slices of the corpus (so each locked job stays short); the parts'
rows are merged into voice-<model><tag>.json and the plot is drawn from those files.
Each reply is heard to its end before the next item (so the history holds whole replies);
--cut ends each item at its first sound instead, as runs before session 12 did.
The companion's clock is frozen at Sat 21 Nov 2026, 14:05 UTC (since session 13; --clock now
for the real one).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import re
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import MODELS, RESULTS, aprepare_data_dir, isolate_env, machine, settings_for, write_result

SHORT = [
    "What time is it?", "Stop the music.", "Remind me to call my mother.", "What is two plus two?",
    "Tell me a joke.", "Turn off the lights.", "How are you today?", "What day is it?",
    "Say something nice.", "What is the capital of France?",
]
LONG = [
    "I had a really long day at work and I would like to hear something calm before I sleep.",
    "Can you help me plan a small dinner party for six friends next Saturday evening?",
    "My sister is moving to a new city and I want to send her a thoughtful message.",
    "Explain in simple words why the sky looks blue during the day and red at sunset.",
    "I keep forgetting to drink water, so please suggest a simple way to remember it.",
    "Tell me about a good book to read on a rainy weekend when I feel a bit lonely.",
    "What should I pack for a three day hiking trip in the mountains in early autumn?",
    "I am learning to cook and I would like an easy recipe with rice and vegetables.",
    "Could you remind me what we talked about yesterday regarding my new job interview?",
    "Describe the ocean at night for me, as if you were standing on the beach.",
]
VOICES = ["espeak:en-us", "espeak:en-gb-x-rp", "espeak:en-us+f3", "hibari"]
SNR_DB = 15.0
TICK_MS = 20


def corpus(tmp: Path) -> list[dict[str, Any]]:
    """40 utterances: every text twice, in two different voices, once clean and once noisy."""
    from os1.voice.audio import STT_RATE, read_wav, resample, to_float_mono
    from os1.voice.tts import HibariTTS

    hibari = HibariTTS()
    rng = np.random.default_rng(7)
    items = []
    for i, text in enumerate(SHORT + LONG):
        for j, noisy in enumerate((False, True)):
            voice = VOICES[(i + j) % len(VOICES)]
            if voice == "hibari":
                audio = resample(hibari.synthesize(text), hibari.rate, STT_RATE)
            else:
                path = tmp / f"u{i}-{j}.wav"
                subprocess.run(["espeak-ng", "-v", voice.split(":")[1], "-s", "165", "-w", str(path), text], check=True)
                wav = read_wav(path)
                audio = resample(to_float_mono(wav.frame), wav.frame.format.rate, STT_RATE)
            clean, sigma = audio.astype(np.float32), 0.0
            if noisy:
                rms = float(np.sqrt(np.mean(audio[np.abs(audio) > 0.01] ** 2)))
                sigma = rms / 10 ** (SNR_DB / 20)
                audio = audio + rng.normal(0, sigma, len(audio)).astype(np.float32)
            # "audio" has the noise over the utterance only (the STT benches); the voice bench
            # plays "clean" in a room with noise of `noise_sigma` throughout, as a microphone hears it
            items.append({"text": text, "voice": voice, "noise": noisy, "kind": "short" if i < 10 else "long",
                          "audio": audio.astype(np.float32), "clean": clean, "noise_sigma": sigma})
    return items


NUMBERS = "zero one two three four five six seven eight nine ten".split()


def words(text: str) -> list[str]:
    """Lower-case words; small numbers as words, so '2' and 'two' are the same word."""
    found = re.findall(r"[a-z0-9']+", text.lower().replace("-", " "))
    return [NUMBERS[int(w)] if w.isdigit() and int(w) <= 10 else w for w in found]


def wer(ref: str, hyp: str) -> float:
    r, h = words(ref), words(hyp)
    d = list(range(len(h) + 1))
    for i in range(1, len(r) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(h) + 1):
            cur = min(d[j] + 1, d[j - 1] + 1, prev + (r[i - 1] != h[j - 1]))
            prev, d[j] = d[j], cur
    return d[len(h)] / max(1, len(r))


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    return round(float(np.percentile(values, q)), 1)


FROZEN = datetime(2026, 11, 21, 14, 5, tzinfo=UTC)


def freeze_clock() -> None:
    """Every run sees the same time, so replies that tell it are as long in each: a run at
    00:05 heard "The time is 00:05 on Mon 23 Nov 2026." (2.3 s to its first sound) where one
    at 21:51 heard "The time is 21:51." Each stamp is a microsecond on, to keep the order."""
    from os1.core import conversation
    from os1.storage import sqlite

    tick = itertools.count()

    def now() -> datetime:
        return FROZEN + timedelta(microseconds=next(tick))

    conversation._now = now  # type: ignore[attr-defined]
    sqlite._now = lambda: now().isoformat(timespec="microseconds")  # type: ignore[attr-defined]


FIRST_WORDS_AFTER_S: list[float | None] = []  # --first-words-after: an A/B of VoiceConfig's


def voice_config(baseline: bool) -> Any:
    from os1.voice.config import VoiceConfig

    if FIRST_WORDS_AFTER_S:
        return VoiceConfig(first_words_after_s=FIRST_WORDS_AFTER_S[0])
    if baseline:
        return VoiceConfig(partials=False, prefill=False, vad_hangover_ms=160.0, first_clause_chars=40,
                           first_words_after_s=None)
    return VoiceConfig()  # as a live session runs: partial transcripts and prefill on


def first_sound(duplex: Any) -> tuple[int, int] | None:
    """(the user's last audible tick, the speaker's first audible tick after it)."""
    user = [t.index for t in duplex.log if t.user]
    if not user:
        return None
    out = duplex.first_playing_tick(after=user[-1] + 1)
    return None if out is None else (user[-1], out)


async def one(companion: Any, models: Any, item: dict[str, Any], interrupt: Any, baseline: bool = False,
              hear_out: bool = True) -> dict[str, Any]:
    from os1.events import EventType
    from os1.voice.agent import VoiceAgent
    from os1.voice.transports.stream import DuplexStream

    session = await companion.session()
    # the noise is the room's: it is there before the user speaks and after (the agent
    # measures the background between speech); until session 8 it came with the words only
    sigma = item.get("noise_sigma", 0.0)
    duplex = DuplexStream(noise_dbfs=20 * float(np.log10(sigma)) if sigma else None)
    agent = VoiceAgent(session, models, duplex.sink, voice_config(baseline))
    duplex.on_played = agent.played
    await session.warm()  # as in a live session: the persona is cached before the user speaks
    duplex.say(np.concatenate([np.zeros(4800, np.float32), item.get("clean", item["audio"])]))
    listening = asyncio.create_task(agent.run(duplex.frames(), live=True))
    loop = asyncio.get_running_loop()
    end = loop.time() + 120
    row: dict[str, Any] = {k: item[k] for k in ("text", "voice", "noise", "kind")}
    while loop.time() < end and not any(e.type == EventType.FIRST_AUDIO for e in agent.events):
        if listening.done() or (agent.turns == 0 and loop.time() > end - 60 and not agent.seg.speaking and agent.utt is None and duplex.tick > 400):
            break
        await asyncio.sleep(0.02)
    # what a listener hears: the first tick the speaker is audible after the user's last audible
    # tick (the scripted clean voice), on the sound card's clock; a reply that begins with
    # silence (hibari's ~0.3 s before session 12) counts from its sound, not from its first frame
    heard_by = loop.time() + 3
    while loop.time() < heard_by and not listening.done() and first_sound(duplex) is None and any(
            e.type == EventType.FIRST_AUDIO for e in agent.events):
        await asyncio.sleep(0.02)
    # a turn taken back (the user went on before any of its answer was heard) does not count:
    # the row is the turn that answered the whole thought
    retracted = [k for k, e in enumerate(agent.events) if e.type == EventType.TURN_RETRACTED]
    events = agent.events[retracted[-1] + 1:] if retracted else agent.events
    at = {}
    for e in events:
        at.setdefault(e.type, e)
    final = [e for e in events if e.type == EventType.TRANSCRIPT and e.data.get("final")]
    row["transcript"] = final[0].data["text"] if final else ""
    row["reply"] = "".join(e.data.get("text", "") for e in events if e.type == EventType.TEXT)[:200]
    row["tool_calls"] = sum(1 for e in events if e.type == EventType.TOOL_CALL)
    row["retracted"] = len(retracted)
    # a side effect is asked about aloud (as a live session does); the bench gives no answer, so
    # the first audio of such a turn is that question
    row["offered"] = sorted(session.offered)
    row["asked"] = [e.data["tool"] for e in events if e.type == EventType.CONFIRM_ASKED]
    # per model step: prompt tokens read (llama.cpp's prompt_n) and taken from its cache (cache_n)
    row["read_cached_tokens"] = [(e.data.get("prompt_tokens"), e.data.get("cached_tokens"))
                                 for e in events if e.type == EventType.GENERATION]
    row["wer"] = round(wer(item["text"], row["transcript"]), 3)
    if EventType.FIRST_AUDIO in at and final:
        se = [e for e in events if e.type == EventType.SPEECH_END][-1].at_ms
        tr, ft, fa = final[0].at_ms, at[EventType.FIRST_TOKEN].at_ms, at[EventType.FIRST_AUDIO].at_ms
        row |= {"e2e_ms": round(fa - se, 1), "eot_stt_ms": round(tr - se, 1), "stt_ms": final[0].data.get("stt_ms"),
                "llm_first_token_ms": round(ft - tr, 1), "first_sentence_tts_ms": round(fa - ft, 1)}
        # the model's pace while the first piece is written: ms between its first streamed pieces
        texts = [e.at_ms for e in events if e.type == EventType.TEXT][:12]
        if len(texts) > 2:
            row["token_gap_ms"] = round(float(np.median(np.diff(texts))), 1)
        if EventType.TURN_START in at:  # the first token's wait: for the end of the turn, then the model
            st = at[EventType.TURN_START].at_ms
            row |= {"turn_wait_ms": round(st - tr, 1), "model_first_token_ms": round(ft - st, 1)}
    if (sound := first_sound(duplex)) is not None:
        row["sound_e2e_ms"] = (sound[1] - sound[0]) * TICK_MS
    if interrupt is not None and EventType.FIRST_AUDIO in at:
        start = duplex.first_playing_tick() or duplex.tick
        while duplex.tick - start < 20 and not listening.done():
            await asyncio.sleep(0.01)
        duplex.say(interrupt)
        onset = duplex.said_at[-1] + int(np.argmax(np.abs(interrupt) > 0.02)) // duplex.n
        t_end = loop.time() + 5
        while not agent.interruptions and loop.time() < t_end:
            await asyncio.sleep(0.01)
        stop = onset
        while stop < len(duplex.log) and duplex.log[stop].output > 0.01:
            stop += 1
        if agent.interruptions:
            row["bargein_playback_ms"] = (stop - onset) * TICK_MS
            row["bargein_generation_ms"] = agent.interruptions[0].generation_stop_ms
    if hear_out:
        # the reply is heard to its end, as a listener hears it (bounded; a question asked aloud
        # gets no answer): the next items' history then holds whole replies. Cut at their first
        # sound (before session 12), it held fragments marked as interrupted, and the 0.5B
        # copied fragment and mark alike.
        done_by = loop.time() + 40
        while agent.replying and not agent.asking and not listening.done() and loop.time() < done_by:
            await asyncio.sleep(0.05)
        row["whole_reply"] = "".join(e.data.get("text", "") for e in agent.events[retracted[-1] + 1 if retracted else 0:]
                                     if e.type == EventType.TEXT)[:400]
    await agent.abort("benchmark item done")
    duplex.close()
    listening.cancel()
    await asyncio.gather(listening, return_exceptions=True)
    await duplex.stop()
    return row


def save(model: str, tag: str, rows: list[dict[str, Any]], part: dict[str, Any], merge: bool) -> Path:
    """Merge these rows into voice-<model><tag>.json (a row per corpus index), part info beside."""
    import json

    path = RESULTS / f"voice-{model}{tag}.json"
    old = json.loads(path.read_text()) if path.exists() and merge else {"rows": [], "parts": []}
    done = {r["index"] for r in rows}
    merged = sorted([r for r in old["rows"] if r["index"] not in done] + rows, key=lambda r: r["index"])
    parts = [p for p in old["parts"] if p.get("run") != part.get("run")] + [part]
    return write_result(f"voice-{model}{tag}", {"rows": merged, "parts": parts})


async def idle_pace(llm: Any, tokens: int = 32) -> float:
    """The model's own pace on this machine now, nothing else running: median ms between its
    streamed pieces. The machine's speed drifts (session 13: 43-47 ms a token at 23:33, 48-61
    at 00:43, same script), so each run records it beside its figures."""
    stamps = []
    async for chunk in llm.stream_chat([{"role": "user", "content": "Count from one to fifty in words."}],
                                       temperature=0.0, max_tokens=tokens):
        if chunk.text:
            stamps.append(time.perf_counter())
    return round(float(np.median(np.diff(stamps))) * 1000, 1) if len(stamps) > 2 else float("nan")


async def bench_model(model: str, items: list[dict[str, Any]], bargein: int, stt: str, baseline: bool = False,
                      cut: bool = False,
                      on_row: Any = None, info: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    from os1.core.runtime import close_companion, open_companion
    from os1.voice.talk import load_models

    data_dir = await aprepare_data_dir()
    settings = settings_for(model, data_dir, temperature=0.0, max_reply_tokens=96)
    settings = settings.model_copy(update={"history_min_messages": 2, "history_max_messages": 4})
    models = await load_models(settings, stt)
    companion = await open_companion(settings)
    companion.memory = None  # measure the voice path, not background embedding
    if info is not None:
        info["idle_token_gap_ms"] = await idle_pace(companion.llm)
    with tempfile.TemporaryDirectory() as tmp:
        from os1.voice.audio import STT_RATE, read_wav, resample, to_float_mono

        p = Path(tmp) / "stop.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(p), "Wait, stop please."], check=True)
        w = read_wav(p)
        interrupt = resample(to_float_mono(w.frame), w.frame.format.rate, STT_RATE)
    rows = []
    try:
        for item in items:
            i = item["index"]
            row = await one(companion, models, item, interrupt if i % max(1, 40 // max(1, bargein)) == 0 and bargein else None, baseline,
                            hear_out=not cut)
            row["index"] = i
            row["loadavg"] = round(__import__("os").getloadavg()[0], 2)
            rows.append(row)
            if on_row is not None:
                on_row(rows)  # a run cut short keeps its rows
            print(f"  {i + 1:2}/{len(items)} {row.get('sound_e2e_ms', '—'):>6} ms to sound ({row.get('e2e_ms', '—')} to audio)  wer {row['wer']:.2f}  "
                  f"{'bargein ' + str(row.get('bargein_playback_ms')) + ' ms  ' if 'bargein_playback_ms' in row else ''}"
                  f"{item['voice']}{' +noise' if item['noise'] else ''}: {row['transcript'][:60]}", flush=True)
    finally:
        await close_companion(companion)
    return rows


def summarize(model: str, stt: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    e2e = [r["e2e_ms"] for r in rows if "e2e_ms" in r]
    sound = [r["sound_e2e_ms"] for r in rows if "sound_e2e_ms" in r]
    stage = lambda k: pct([r[k] for r in rows if r.get(k) is not None], 50)  # noqa: E731
    return {
        "model": model, "stt": stt, "utterances": len(rows), "answered": len(e2e),
        "e2e_p50_ms": pct(e2e, 50), "e2e_p95_ms": pct(e2e, 95),
        # end of speech -> the first output a listener can hear (the clock of the sound card)
        "sound_e2e_p50_ms": pct(sound, 50), "sound_e2e_p95_ms": pct(sound, 95),
        # items with no such figure, left out of it: the answer was heard before the user's last
        # word (cut off mid-thought, then barged in: session 17), or nothing within the wait
        "no_sound": [r["index"] for r in rows if "sound_e2e_ms" not in r],
        "stages_p50_ms": {k: stage(k) for k in ("eot_stt_ms", "stt_ms", "llm_first_token_ms", "turn_wait_ms",
                                                "model_first_token_ms", "first_sentence_tts_ms", "token_gap_ms")},
        "asked_aloud": sum(1 for r in rows if r.get("asked")),
        "with_tool_calls": sum(1 for r in rows if r.get("tool_calls")),
        "no_call_p50_ms": pct([r["e2e_ms"] for r in rows if "e2e_ms" in r and not r.get("tool_calls")], 50),
        "by_kind_p50_ms": {k: pct([r["e2e_ms"] for r in rows if "e2e_ms" in r and r["kind"] == k], 50) for k in ("short", "long")},
        "noise_p50_ms": {str(n): pct([r["e2e_ms"] for r in rows if "e2e_ms" in r and r["noise"] == n], 50) for n in (False, True)},
        "loadavg_range": [min(r["loadavg"] for r in rows), max(r["loadavg"] for r in rows)] if rows else None,
        "wer_mean": round(statistics.mean(r["wer"] for r in rows), 3),
        "wer_clean": round(statistics.mean([r["wer"] for r in rows if not r["noise"]] or [0]), 3),
        "wer_noisy": round(statistics.mean([r["wer"] for r in rows if r["noise"]] or [0]), 3),
        "bargein_playback_ms": [r["bargein_playback_ms"] for r in rows if "bargein_playback_ms" in r],
        "bargein_generation_ms": [r["bargein_generation_ms"] for r in rows if "bargein_generation_ms" in r],
        "rows": rows,
    }


def plot(results: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for r in results:
        e2e = sorted(x["sound_e2e_ms"] for x in r["rows"] if "sound_e2e_ms" in x)
        if e2e:
            axes[0].plot(e2e, np.linspace(0, 1, len(e2e)), marker=".", label=r["model"])
    axes[0].axvline(800, color="grey", linestyle="--", label="goal p50 800 ms")
    axes[0].set(xlabel="end of speech → first sound out (ms, log scale)", ylabel="fraction of utterances",
                title="Latency CDF", xscale="log")
    axes[0].legend()
    stages = ["eot_stt_ms", "llm_first_token_ms", "first_sentence_tts_ms"]
    labels = ["silence wait + STT", "LLM first token", "first sentence + TTS"]
    bottom = np.zeros(len(results))
    for s, label in zip(stages, labels, strict=True):
        vals = np.array([r["stages_p50_ms"].get(s) or 0 for r in results])
        axes[1].bar([r["model"] for r in results], vals, bottom=bottom, label=label)
        bottom += vals
    axes[1].set(ylabel="ms (median per stage)", title="Where the time goes")
    axes[1].legend()
    fig.suptitle("OS1 voice on a 2-core CPU, under the CPU lock (load in docs/benchmarks.md)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", nargs="+", default=MODELS)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--bargein", type=int, default=8, help="how many utterances also get interrupted")
    ap.add_argument("--stt", default="tiny.en")
    ap.add_argument("--part", default="1/1", help="K/N: run the K-th of N slices of the corpus")
    ap.add_argument("--baseline", action="store_true", help="the pipeline before the latency work")
    ap.add_argument("--tag", default="", help="suffix of the result files (e.g. -baseline)")
    ap.add_argument("--cut", action="store_true",
                    help="end each item at its first sound, as before session 12 (the history then holds cut replies)")
    ap.add_argument("--clock", choices=("frozen", "now"), default="frozen",
                    help="the time the companion sees: frozen (Sat 21 Nov 2026, 14:05 UTC) or the real one")
    ap.add_argument("--plot-only", action="store_true")
    ap.add_argument("--first-words-after", type=float, default=None,
                    help="VoiceConfig.first_words_after_s for this run (a negative value: never)")
    args = ap.parse_args()
    if args.first_words_after is not None:
        FIRST_WORDS_AFTER_S.append(None if args.first_words_after < 0 else args.first_words_after)
    isolate_env()
    if args.clock == "frozen":
        freeze_clock()
    import json
    import os

    k, n = (int(x) for x in args.part.split("/"))
    results = []
    if not args.plot_only:
        mach = machine()
        with tempfile.TemporaryDirectory() as tmp:
            items = corpus(Path(tmp))
        for i, item in enumerate(items):
            item["index"] = i
        if args.limit:
            items = items[:: max(1, len(items) // args.limit)][: args.limit]
        items = items[k - 1 :: n]
        print(f"corpus: {len(items)} utterances (part {k}/{n}){' baseline' if args.baseline else ''}", flush=True)
        for model in args.models:
            print(f"\n== voice — {model}", flush=True)
            t0 = time.time()
            run_id = f"{args.part}@{mach['date']}"

            info: dict[str, Any] = {}  # the model's idle pace, measured before the first utterance

            def on_row(rows: list[dict[str, Any]], model: str = model, t0: float = t0, run_id: str = run_id,
                       info: dict[str, Any] = info) -> None:
                part = mach | info | {"run": run_id, "part": args.part, "wall_s": round(time.time() - t0),
                               "baseline": args.baseline, "cut": args.cut, "clock": args.clock, "utterances": len(rows),
                               "loadavg_after": [round(x, 2) for x in os.getloadavg()]}
                save(model, args.tag, rows, part, merge=n > 1 or bool(args.limit))

            rows = await bench_model(model, items, args.bargein, args.stt, args.baseline, args.cut, on_row, info)
            r = summarize(model, args.stt, rows)
            print(f"  this part: e2e p50 {r['e2e_p50_ms']} ms, p95 {r['e2e_p95_ms']} ms; stages {r['stages_p50_ms']}; "
                  f"WER {r['wer_mean']}; barge-in {r['bargein_playback_ms']}; load {r['loadavg_range']}", flush=True)
    for model in MODELS:
        path = RESULTS / f"voice-{model}{args.tag}.json"
        if path.exists():
            data = json.loads(path.read_text())
            results.append(summarize(model, args.stt, data["rows"]) | {"parts": data["parts"]})
    if not results:
        return
    for r in results:
        print(f"{r['model']}: {r['utterances']} utterances, to sound p50 {r['sound_e2e_p50_ms']} ms, p95 "
              f"{r['sound_e2e_p95_ms']} ms (no sound figure: items {r['no_sound'] or 'none'}); "
              f"e2e p50 {r['e2e_p50_ms']} ms, p95 {r['e2e_p95_ms']} ms; "
              f"stages {r['stages_p50_ms']}; WER {r['wer_mean']} (clean {r['wer_clean']}, noisy {r['wer_noisy']}); "
              f"barge-in playback {r['bargein_playback_ms']} generation {r['bargein_generation_ms']}; load {r['loadavg_range']}")
    print("  ->", write_result(f"voice{args.tag}", {"results": results}))
    RESULTS.mkdir(parents=True, exist_ok=True)
    plot(results, RESULTS / f"voice-latency{args.tag}.png")
    print("  ->", RESULTS / f"voice-latency{args.tag}.png")


if __name__ == "__main__":
    asyncio.run(main())
