"""Voice fixtures: models loaded once per run; test speech made with espeak-ng at test time
(no audio fixtures are committed)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from os1.config import Settings
from os1.voice.agent import VoiceModels
from os1.voice.audio import STT_RATE, read_wav, resample, to_float_mono
from os1.voice.stt import WhisperSTT
from os1.voice.tts import create_tts


@pytest.fixture(scope="session")
def voice_models() -> VoiceModels:
    tts = create_tts("hibari")
    assert tts.name == "hibari"
    tts.synthesize("Warm up.")
    return VoiceModels(WhisperSTT("tiny.en", Settings(_env_file=None).models_dir), tts)


def espeak_wav(path: Path, text: str, voice: str = "en-us", speed: int = 160) -> Path:
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
    return path


def espeak_16k(text: str, tmp: Path, voice: str = "en-us") -> np.ndarray:
    wav = read_wav(espeak_wav(tmp / "say.wav", text, voice))
    return resample(to_float_mono(wav.frame), wav.frame.format.rate, STT_RATE)


@pytest.fixture
def speak(tmp_path: Path) -> Callable[..., Path]:
    """speak(text, name=..., voice=...) -> a WAV file spoken by espeak-ng."""

    def make(text: str, name: str = "q.wav", voice: str = "en-us") -> Path:
        return espeak_wav(tmp_path / name, text, voice)

    return make
