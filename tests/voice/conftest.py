"""Voice fixtures: models loaded once per run; test speech made with espeak-ng at test time
(no audio fixtures are committed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from voice_helpers import espeak_wav

from os1.config import Settings
from os1.voice.agent import VoiceModels
from os1.voice.stt import WhisperSTT
from os1.voice.tts import create_tts


@pytest.fixture(scope="session")
def voice_models() -> VoiceModels:
    tts = create_tts("hibari")
    assert tts.name == "hibari"
    tts.synthesize("Warm up.")
    return VoiceModels(WhisperSTT("tiny.en", Settings(_env_file=None).models_dir), tts)


@pytest.fixture
def speak(tmp_path: Path) -> Callable[..., Path]:
    """speak(text, name=..., voice=...) -> a WAV file spoken by espeak-ng."""

    def make(text: str, name: str = "q.wav", voice: str = "en-us") -> Path:
        return espeak_wav(tmp_path / name, text, voice)

    return make
