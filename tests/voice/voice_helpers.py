"""Speech for tests, made at test time with espeak-ng (no audio fixtures are committed)."""

from __future__ import annotations

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
