"""Bad input, nothing lost: odd formats, silence, noise, clipping, truncation and input that
arrives faster or slower than real time give clear events, no crash, and a consistent log."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from os1.events import EventType
from os1.voice.agent import VoiceAgent
from os1.voice.audio import AudioError, read_wav, to_float_mono
from os1.voice.config import VoiceConfig
from os1.voice.frames import AudioFormat, AudioFrame
from os1.voice.talk import talk_file
from os1.voice.transports.file import FileSink, frames_of

pytestmark = pytest.mark.model


def _write(path: Path, x: np.ndarray, rate: int, channels: int = 1, width: int = 2) -> Path:
    if width == 1:
        pcm = (np.clip(x, -1, 1) * 127 + 128).astype(np.uint8).tobytes()
    else:
        pcm = (np.clip(x, -1, 1) * 32767).astype("<i2").tobytes()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(pcm)
    return path


async def _log_is_consistent(store, user: str = "tester") -> list:
    msgs = await store.messages(user)
    assert all(m.status in ("complete", "interrupted") for m in msgs), [m.status for m in msgs]
    talk = [m for m in msgs if m.role in ("user", "assistant") and m.content]
    assert all(a.role != b.role for a, b in zip(talk, talk[1:], strict=False)), "turns must alternate"
    return msgs


@pytest.mark.parametrize("kind", ["silence", "noise"])
async def test_silence_and_noise_start_no_turn(companion, voice_models, tmp_path: Path, kind):
    rng = np.random.default_rng(3)
    x = np.zeros(16000 * 3) if kind == "silence" else rng.normal(0, 0.2, 16000 * 3)
    result = await talk_file(companion, voice_models, _write(tmp_path / "in.wav", x, 16000), tmp_path / "out.wav")
    assert "no-speech" in result.issues()
    assert result.transcript == "" and result.seconds_out == 0
    assert await companion.store.messages("tester") == []


async def test_stereo_44k_clipped_question_is_understood(companion, voice_models, speak, tmp_path: Path):
    wav = read_wav(speak("What is the capital of France?"))
    x = to_float_mono(wav.frame) * 12  # far too loud: clipped
    rate = 44100
    t = np.linspace(0, len(x) / wav.frame.format.rate, int(len(x) * rate / wav.frame.format.rate))
    x = np.interp(t, np.arange(len(x)) / wav.frame.format.rate, x)
    stereo = np.stack([x, x * 0.9], axis=1).reshape(-1)
    path = _write(tmp_path / "loud.wav", stereo, rate, channels=2)
    result = await talk_file(companion, voice_models, path, tmp_path / "out.wav")
    assert {"resampled", "downmixed", "clipping"} <= set(result.issues())
    assert "capital" in result.transcript.lower() and result.reply
    await _log_is_consistent(companion.store)


async def test_8bit_8khz_truncated_question_still_answered(companion, voice_models, speak, tmp_path: Path):
    wav = read_wav(speak("What is two plus two?"))
    x = to_float_mono(wav.frame)
    x8 = np.interp(np.arange(0, len(x), wav.frame.format.rate / 8000), np.arange(len(x)), x)
    path = _write(tmp_path / "u8.wav", x8, 8000, width=1)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 800])  # the recording was cut off (0.1 s of silence lost)
    result = await talk_file(companion, voice_models, path, tmp_path / "out.wav")
    assert "truncated" in result.issues() and "resampled" in result.issues()
    assert "two" in result.transcript.lower() or "2" in result.transcript
    assert result.seconds_out > 0.3
    await _log_is_consistent(companion.store)


async def test_unreadable_file_is_a_clear_error(companion, voice_models, tmp_path: Path):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF\x00\x00")
    with pytest.raises(AudioError):
        await talk_file(companion, voice_models, bad, None)
    assert await companion.store.messages("tester") == []


async def test_input_faster_than_real_time_is_flagged_and_answered(companion, voice_models, speak, tmp_path: Path):
    wav = read_wav(speak("What is the capital of France?"))
    session = await companion.session()
    sink = FileSink(voice_models.tts.rate)
    agent = VoiceAgent(session, voice_models, sink, VoiceConfig(barge_in=False, partials=False))
    # ~11.6 s of audio in ~2.9 s: the rate is judged after 2 s (with 6 s of tail, ~1.9 s in
    # all, it was flagged only when the machine was slow enough)
    await agent.run(frames_of(wav.frame, speed=4.0, tail_silence_s=10.0), live=True)
    codes = [e.data["code"] for e in agent.events if e.type == EventType.AUDIO_ISSUE]
    assert "input-fast" in codes
    assert agent.turns == 1 and len(sink.audio()) > 0
    await _log_is_consistent(companion.store)


async def test_input_slower_than_real_time_is_flagged(companion, voice_models, tmp_path: Path):
    session = await companion.session()
    agent = VoiceAgent(session, voice_models, FileSink(), VoiceConfig(partials=False))
    silence = AudioFrame(bytes(16000 * 2), AudioFormat(16000))  # 1 s of audio, sent over 2.5 s
    await agent.run(frames_of(silence, speed=0.4), live=True)
    codes = [e.data["code"] for e in agent.events if e.type == EventType.AUDIO_ISSUE]
    assert "input-slow" in codes and "no-speech" in codes
    assert agent.turns == 0 and await companion.store.messages("tester") == []
