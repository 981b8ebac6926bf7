"""The output side: sentences -> TTS -> audio frames -> the transport's sink.

Sentences and audio are data frames: `stop()` (barge-in) drops whatever is still queued and
clears the sink at once; it does not wait for a synthesis in flight to finish.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Protocol

import numpy as np

from os1.voice.audio import Resampler, audible, to_pcm16
from os1.voice.frames import AudioFormat, OutputAudioFrame, SentenceFrame
from os1.voice.tts import TTS, speakable, synthesize

FRAME_MS = 40
# The pause after a piece: between sentences as a person makes it; after a first clause cut at a
# comma or a joining word (os1/voice/text.py), a short one, as within a sentence.
SENTENCE_PAUSE_S = 0.35
CLAUSE_PAUSE_S = 0.12


class AudioSink(Protocol):
    """Where speech goes: a file, a simulated sound card, a WebSocket, a speaker."""

    format: AudioFormat

    async def play(self, frame: OutputAudioFrame) -> None:
        """Queue a frame for playback (may wait while the device buffer is full)."""
        ...

    async def clear(self) -> None:
        """Stop playback now and drop what is buffered."""
        ...

    async def drain(self) -> None:
        """Wait until everything queued has been played."""
        ...


class Speaker:
    def __init__(self, tts: TTS, sink: AudioSink) -> None:
        self.tts = tts
        self.sink = sink
        self.queue: asyncio.Queue[SentenceFrame | None] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None
        self.first_audio_at: float | None = None
        self.on_first_audio: Callable[[float, float], None] | None = None
        self.spoken: list[str] = []
        self._resampler: Resampler | None = None
        # A reply started before the user's pause was long enough: its first audio waits for
        # this (synthesized, ready to play the moment it is set)
        self.hold: asyncio.Event | None = None

    def start(self) -> None:
        self.first_audio_at = None
        self.spoken = []
        self.queue = asyncio.Queue()
        self.task = asyncio.create_task(self._speak())

    def say(self, text: str) -> None:
        text = speakable(text)
        if text and any(c.isalnum() for c in text):
            self.queue.put_nowait(SentenceFrame(text))

    async def finish(self) -> None:
        """Wait until everything said so far has been synthesized and played."""
        if self.task is None:
            return
        self.queue.put_nowait(None)
        await self.task
        await self.sink.drain()
        self.task = None

    async def play_sound(self, audio: np.ndarray) -> None:
        """Sound a tool made (a piece of music: float mono at the sink's rate), after the words,
        through the same output: the sink reports it as played, so the echo gate takes it out of
        the microphone, and `stop()` (barge-in) silences it as it silences speech."""
        self.task = asyncio.create_task(self._play(audio))
        await self.task
        await self.sink.drain()
        self.task = None

    async def _play(self, audio: np.ndarray) -> None:
        rate = self.sink.format.rate
        step = rate * FRAME_MS // 1000
        for i in range(0, len(audio), step):
            await self.sink.play(OutputAudioFrame(to_pcm16(audio[i : i + step]), AudioFormat(rate)))

    async def stop(self) -> None:
        """Barge-in: drop queued sentences and buffered audio; the sink goes quiet now."""
        while not self.queue.empty():
            self.queue.get_nowait()
        task, self.task = self.task, None
        if task is not None:
            task.cancel()
        await self.sink.clear()
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)

    async def _speak(self) -> None:
        rate = self.sink.format.rate
        while True:
            frame = await self.queue.get()
            if frame is None:
                return
            t0 = time.perf_counter()
            audio = await synthesize(self.tts, frame.text)
            tts_ms = (time.perf_counter() - t0) * 1000
            if self._resampler is None or self._resampler.src != self.tts.rate:
                self._resampler = Resampler(self.tts.rate, rate)
            pause = SENTENCE_PAUSE_S if frame.text.rstrip("\"')”»").endswith((".", "!", "?", "…")) else CLAUSE_PAUSE_S
            audio = audible(audio, self.tts.rate)
            audio = self._resampler(np.concatenate([audio, np.zeros(int(self.tts.rate * pause), np.float32)]))
            step = rate * FRAME_MS // 1000
            for i in range(0, len(audio), step):
                out = OutputAudioFrame(to_pcm16(audio[i : i + step]), AudioFormat(rate))
                if self.first_audio_at is None:
                    if self.hold is not None:
                        await self.hold.wait()
                    self.first_audio_at = time.perf_counter()
                    if self.on_first_audio is not None:
                        self.on_first_audio(self.first_audio_at, tts_ms)
                if i == 0:
                    self.spoken.append(frame.text)  # begun: heard, at least in part
                await self.sink.play(out)
