"""A simulated full-duplex sound card, for tests and benchmarks.

Every tick (20 ms of real time, divided by `speed`) the speaker plays one tick of queued output
and the microphone delivers one tick of the user's scripted audio plus, optionally, the speaker's
own output fed back (delay, gain, noise): the echo a laptop's microphone hears. The log records
what was played and heard per tick, so tests can measure barge-in reaction in audio time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import numpy as np

from os1.voice.audio import to_float_mono, to_pcm16
from os1.voice.frames import AudioFormat, AudioFrame, InputAudioFrame, OutputAudioFrame


@dataclass
class Tick:
    index: int
    wall: float
    user: bool  # scripted user audio was audible in this tick
    output: float  # peak of what the speaker played


class DuplexSink:
    def __init__(self, rate: int, buffer_ms: int = 200) -> None:
        self.format = AudioFormat(rate)
        self.buf = np.zeros(0, np.float32)
        self.limit = rate * buffer_ms // 1000
        self.cleared_at: list[float] = []

    async def play(self, frame: OutputAudioFrame) -> None:
        while len(self.buf) > self.limit:  # a device buffer: back-pressure, not a backlog
            await asyncio.sleep(0.005)
        self.buf = np.concatenate([self.buf, to_float_mono(frame)])

    async def clear(self) -> None:
        self.buf = np.zeros(0, np.float32)
        self.cleared_at.append(asyncio.get_running_loop().time())

    async def drain(self) -> None:
        while len(self.buf):
            await asyncio.sleep(0.005)

    def take(self, n: int) -> np.ndarray:
        out, self.buf = self.buf[:n], self.buf[n:]
        return np.pad(out, (0, n - len(out)))


@dataclass
class DuplexStream:
    rate: int = 16000
    tick_ms: int = 20
    speed: float = 1.0
    echo_gain: float = 0.0
    echo_delay_ms: float = 60.0
    noise_dbfs: float | None = None
    on_played: Callable[[np.ndarray, int], None] | None = None
    log: list[Tick] = field(default_factory=list)
    heard: list[np.ndarray] = field(default_factory=list)  # what the speaker played, per tick

    def __post_init__(self) -> None:
        self.sink = DuplexSink(self.rate)
        self.n = self.rate * self.tick_ms // 1000
        self._user = np.zeros(0, np.float32)
        self._delay = np.zeros(int(self.echo_delay_ms / 1000 * self.rate), np.float32)
        self._closing = False
        self._rng = np.random.default_rng(0)
        self.said_at: list[int] = []  # tick index where each say() began
        self._clock: asyncio.Task[None] | None = None

    def say(self, audio: np.ndarray) -> None:
        """The user starts saying `audio` (float, at `rate`) at the next tick."""
        self.said_at.append(len(self.log))
        self._user = np.concatenate([self._user, audio.astype(np.float32)])

    def close(self) -> None:
        """End the input once the scripted audio has been heard."""
        self._closing = True

    @property
    def tick(self) -> int:
        return len(self.log)

    async def frames(self) -> AsyncIterator[AudioFrame]:
        """The microphone. The clock runs on its own task, like a sound card: the speaker goes
        on playing after the microphone input has ended, until stop()."""
        queue: asyncio.Queue[AudioFrame | None] = asyncio.Queue()
        self._clock = asyncio.create_task(self._tick(queue))
        while (frame := await queue.get()) is not None:
            yield frame

    async def _tick(self, queue: asyncio.Queue[AudioFrame | None]) -> None:
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        mic_open = True
        while True:
            k = len(self.log)
            await asyncio.sleep(max(0.0, t0 + k * self.tick_ms / 1000 / self.speed - loop.time()))
            played = self.sink.take(self.n)
            if self.on_played is not None:
                self.on_played(played, self.rate)
            self.heard.append(played)
            user, self._user = self._user[: self.n], self._user[self.n :]
            user = np.pad(user, (0, self.n - len(user)))
            line = np.concatenate([self._delay, played])
            echo, self._delay = line[: self.n], line[self.n :]
            mic = user + self.echo_gain * echo
            if self.noise_dbfs is not None:
                mic = mic + self._rng.normal(0, 10 ** (self.noise_dbfs / 20), self.n)
            peak = float(np.max(np.abs(played)))
            self.log.append(Tick(k, loop.time(), bool(np.max(np.abs(user)) > 0.02), peak))
            if mic_open:
                queue.put_nowait(InputAudioFrame(to_pcm16(mic), AudioFormat(self.rate)))
                if self._closing and len(self._user) == 0:
                    queue.put_nowait(None)
                    mic_open = False

    async def stop(self) -> None:
        if self._clock is not None:
            self._clock.cancel()
            await asyncio.gather(self._clock, return_exceptions=True)

    def first_playing_tick(self, after: int = 0) -> int | None:
        return next((t.index for t in self.log[after:] if t.output > 0.01), None)

    def last_playing_tick(self) -> int | None:
        return next((t.index for t in reversed(self.log) if t.output > 0.01), None)
