"""The browser voice's first sound beside `os1 talk`'s: from the end of a spoken request to the
first frame of the reply's audio back, over the real server's `/ws/voice` (logged in as a
browser) and over `os1 talk`'s own WebSocket voice server (the same VoiceServer, without the web
app), in the same run: the same companion, the same loaded models (the language model at
temperature 0, tiny.en, the profile's voice), the same recordings. The two paths take turns,
request by request (which goes first alternates), and the microphone not in use is paused, so
that neither path has the machine's quiet minutes to itself.

A real WAV per request (espeak-ng, at its own 22.05 kHz, stated in audio-start) is sent as a
microphone does: 20-ms chunks in real time, silence between requests, the connection kept open.
The end of the request is when its last voiced chunk was sent (espeak's trailing silence cut).
Each reply is heard to its end before the next request, so no request barges in.

    python -m bench.web.voice [--model qwen2.5-coder-0.5b] [--requests 10] [--record]
    python -m bench.web.voice --requests 2     # a quick check that it runs
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import tempfile
import time
import wave
from pathlib import Path
from typing import Any

from bench.common import USER, aprepare_data_dir, isolate_env, machine, settings_for, write_result
from bench.voice.run import SHORT
from bench.web.server import connect, log_in, serving_app

MODEL = "qwen2.5-coder-0.5b"
TICK_S = 0.02
QUIET_S = 1.0  # no reply audio for this long after turn-end: the reply was heard to its end
LEAD_TICKS = 15  # 300 ms of silence before each request, after the microphone's pause


def spoken(text: str, tmp: Path) -> tuple[int, bytes]:
    """espeak-ng's recording of `text`: its rate and PCM16, trailing silence cut."""
    path = tmp / "said.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "165", "-w", str(path), text], check=True)
    with wave.open(str(path), "rb") as w:
        rate, pcm = w.getframerate(), w.readframes(w.getnframes())
    samples = memoryview(pcm).cast("h")
    last = max((i for i in range(len(samples)) if abs(samples[i]) > 300), default=len(samples) - 1)
    return rate, pcm[: (last + 1) * 2]


class Microphone:
    """Sends 20 ms every 20 ms: the request queued, else silence; notes when a request ended."""

    def __init__(self, ws: Any, rate: int) -> None:
        self.ws, self.step = ws, int(rate * TICK_S) * 2
        self.pending = b""
        self.ended: asyncio.Future[float] | None = None
        self.paused = True  # sends nothing: the other path is being measured

    def say(self, pcm: bytes) -> asyncio.Future[float]:
        self.pending = b"\0" * (self.step * LEAD_TICKS) + pcm  # a moment of silence first, as after a pause
        self.ended = asyncio.get_running_loop().create_future()
        self.paused = False
        return self.ended

    async def run(self) -> None:
        next_at = time.perf_counter()
        while True:
            if self.pending:
                chunk, self.pending = self.pending[: self.step], self.pending[self.step :]
                await self.ws.send(chunk.ljust(self.step, b"\0"))
                if not self.pending and self.ended is not None:
                    self.ended.set_result(time.perf_counter())
            elif not self.paused:
                await self.ws.send(b"\0" * self.step)
            next_at += TICK_S
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))


class Line:
    """One voice connection (the page's or `os1 talk`'s) with its microphone and what came back."""

    def __init__(self, ws: Any, rate: int) -> None:
        self.ws, self.mic = ws, Microphone(ws, rate)
        self.heard: list[tuple[float, str]] = []  # (when, "audio" or the event's type)
        self.tasks: list[asyncio.Task[None]] = []

    async def start(self, rate: int) -> None:
        ready = json.loads(await self.ws.recv())  # after the voice models loaded
        if ready.get("type") != "ready":
            raise SystemExit(f"no voice: {ready}")
        await self.ws.send(json.dumps({"type": "audio-start", "rate": rate, "width": 2, "channels": 1}))
        self.tasks = [asyncio.create_task(self._listen()), asyncio.create_task(self.mic.run())]

    async def _listen(self) -> None:
        async for m in self.ws:
            self.heard.append((time.perf_counter(), "audio" if isinstance(m, bytes) else json.loads(m)["type"]))

    async def ask(self, pcm: bytes) -> dict[str, Any]:
        """Say one request; its first audio's delay, once the reply was heard to its end."""
        heard, seen = self.heard, len(self.heard)
        end = await self.mic.say(pcm)
        async with asyncio.timeout(600):
            while not any(k == "audio" and t > end for t, k in heard[seen:]):
                await asyncio.sleep(0.01)
            first = next(t for t, k in heard[seen:] if k == "audio" and t > end)
            while not (any(k == "turn-end" for _, k in heard[seen:])
                       and time.perf_counter() - max(t for t, k in heard if k == "audio") > QUIET_S):
                await asyncio.sleep(0.05)
        self.mic.paused = True
        return {"first_audio_s": round(first - end, 3), "interrupted": "interruption" in [k for _, k in heard[seen:]]}

    def stop(self) -> None:
        for task in self.tasks:
            task.cancel()


async def run(model: str, requests: int) -> dict[str, Any]:
    import websockets

    from os1.core.conversation import Companion
    from os1.models.factory import create_llm
    from os1.plugins import migrations
    from os1.plugins import tools as registered_tools
    from os1.storage.sqlite import SqliteStore
    from os1.voice.transports.websocket import VoiceServer

    root = await aprepare_data_dir()
    settings = settings_for(model, root, temperature=0.0, max_reply_tokens=48)
    store = await SqliteStore.open(root / "os1.db", migrations())
    llm = create_llm(settings)
    companion = Companion(settings, llm, store, registered_tools())
    rows: list[dict[str, Any]] = []
    tmp = Path(tempfile.mkdtemp(prefix="os1-bench-web-voice-"))
    items = ["Hello there!", *(SHORT * (requests // len(SHORT) + 1))[:requests]]  # the first: warm-up
    try:
        async with serving_app(companion, [USER]) as (base, app):
            cookie = await log_in(base, USER)
            rate, _ = spoken("Hello.", tmp)
            async with connect(base, "/ws/voice", cookie) as page_ws:
                page = Line(page_ws, rate)
                await page.start(rate)
                models = next(iter(app.state.web.voices.values()))  # loaded by the page's connection
                talk_server = await VoiceServer(companion, models).serve("127.0.0.1", 0)  # as `os1 talk --websocket`
                port = talk_server.sockets[0].getsockname()[1]
                try:
                    async with websockets.connect(f"ws://127.0.0.1:{port}", max_size=2**22) as talk_ws:
                        talk = Line(talk_ws, rate)
                        await talk.start(rate)
                        for i, text in enumerate(items):
                            _, pcm = spoken(text, tmp)
                            order = [("web", page), ("talk", talk)] if i % 2 == 0 else [("talk", talk), ("web", page)]
                            row: dict[str, Any] = {"text": text, "first": order[0][0]}
                            for name, line in order:
                                got = await line.ask(pcm)
                                row[f"{name}_s"] = got["first_audio_s"]
                                row["interrupted"] = row.get("interrupted", False) or got["interrupted"]
                            row["vs_talk_ms"] = round((row["web_s"] - row["talk_s"]) * 1000)
                            row["loadavg"] = round(os.getloadavg()[0], 2)
                            print(f"  {i:2d}/{requests} web {row['web_s']:6.2f} s  talk {row['talk_s']:6.2f} s  "
                                  f"{row['vs_talk_ms']:+5d} ms  {text}", flush=True)
                            if i:
                                rows.append(row)
                        talk.stop()
                finally:
                    talk_server.close()
                    await talk_server.wait_closed()
                page.stop()
    finally:
        await llm.aclose()
        await store.close()
    return {
        "requests": len(rows),
        "first_audio_p50_s": round(statistics.median(r["web_s"] for r in rows), 2),
        "first_audio_max_s": max(r["web_s"] for r in rows),
        "talk_first_audio_p50_s": round(statistics.median(r["talk_s"] for r in rows), 2),
        "vs_talk_p50_ms": round(statistics.median(r["vs_talk_ms"] for r in rows)),
        "loadavg_range": [min(r["loadavg"] for r in rows), max(r["loadavg"] for r in rows)],
        "rows": rows,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=MODEL)
    ap.add_argument("--requests", type=int, default=10)
    ap.add_argument("--record", action="store_true", help="write the figure into docs/benchmarks.json")
    args = ap.parse_args()
    isolate_env()
    mach = machine()
    result = asyncio.run(run(args.model, args.requests))
    result["machine"] = {**mach, "loadavg_after": [round(x, 2) for x in os.getloadavg()]}
    print("  ->", write_result(f"web-voice-{args.model}", result))
    print(f"end of request to first audio back: p50 {result['first_audio_p50_s']} s through the page, "
          f"{result['talk_first_audio_p50_s']} s through os1 talk's server; the page later by "
          f"{result['vs_talk_p50_ms']} ms (p50 of the differences) over {result['requests']} requests "
          f"(page max {result['first_audio_max_s']} s; load {result['loadavg_range']})")
    if args.record:
        from bench.figures import record

        if result["requests"] < 10:
            print("fewer than 10 requests: not recorded")
            return 1
        command = f"python -m bench.web.voice --model {args.model}"
        load = (f"{result['requests']} requests; load average {result['loadavg_range'][0]}–"
                f"{result['loadavg_range'][1]} on a machine shared with other jobs")
        record("web.voice_first_audio_p50_s", result["first_audio_p50_s"], "s", f"{args.model} + tiny.en", command,
               f"end of a spoken request (a WAV sent in real time over /ws/voice) to the first reply audio back, {load}")
        record("web.voice_talk_first_audio_p50_s", result["talk_first_audio_p50_s"], "s", f"{args.model} + tiny.en",
               command, f"the same requests in the same run through os1 talk's WebSocket voice server, {load}")
        record("web.voice_first_audio_vs_talk_ms", result["vs_talk_p50_ms"], "ms", f"{args.model} + tiny.en", command,
               f"the page's first audio minus os1 talk's for the same request, p50 over {load}; goal ≤ 50 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
