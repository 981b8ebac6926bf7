"""File transport: a WAV in, a WAV out. For `os1 talk --in/--out`, tests and benchmarks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np

from os1.voice.audio import to_float_mono, write_wav
from os1.voice.frames import AudioFormat, AudioFrame, InputAudioFrame, OutputAudioFrame


async def frames_of(
    frame: AudioFrame, chunk_ms: int = 20, speed: float = 0.0, tail_silence_s: float = 0.0
) -> AsyncIterator[AudioFrame]:
    """Cut audio into chunks; `speed` 1.0 paces them in real time, 0 sends them at once."""
    fmt = frame.format
    step = max(1, fmt.rate * chunk_ms // 1000) * fmt.frame_bytes
    pad = int(tail_silence_s * fmt.rate) * fmt.frame_bytes
    audio = frame.audio + (bytes([128]) * pad if fmt.width == 1 else bytes(pad))  # u8 silence: 128
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    for k, i in enumerate(range(0, len(audio), step)):
        if speed > 0:
            await asyncio.sleep(max(0.0, t0 + k * chunk_ms / 1000 / speed - loop.time()))
        yield InputAudioFrame(audio[i : i + step], fmt)


class FileSink:
    """Collects the spoken reply; nothing is ever 'playing', so clear() has nothing to stop."""

    def __init__(self, rate: int = 24000) -> None:
        self.format = AudioFormat(rate)
        self.chunks: list[np.ndarray] = []

    async def play(self, frame: OutputAudioFrame) -> None:
        self.chunks.append(to_float_mono(frame))

    async def clear(self) -> None:
        return None

    async def drain(self) -> None:
        return None

    def audio(self) -> np.ndarray:
        return np.concatenate(self.chunks) if self.chunks else np.zeros(0, np.float32)

    def write(self, path: Path) -> float:
        """Write the reply as 16-bit mono WAV; returns its length in seconds."""
        audio = self.audio()
        write_wav(path, audio, self.format.rate)
        return len(audio) / self.format.rate
