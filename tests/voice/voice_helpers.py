"""Speech for tests, made at test time with espeak-ng (no audio fixtures are committed)."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import numpy as np

from os1.voice.audio import STT_RATE, read_wav, resample, to_float_mono


def espeak_wav(path: Path, text: str, voice: str = "en-us", speed: int = 160) -> Path:
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
    return path


def espeak_16k(text: str, tmp: Path, voice: str = "en-us") -> np.ndarray:
    wav = read_wav(espeak_wav(tmp / "say.wav", text, voice))
    return resample(to_float_mono(wav.frame), wav.frame.format.rate, STT_RATE)


async def until(cond, timeout: float) -> bool:
    """Wait (bounded) until cond() holds; False if it never did."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not cond():
        if loop.time() > end:
            return False
        await asyncio.sleep(0.02)
    return True
