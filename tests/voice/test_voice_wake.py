"""The optional wake phrase: "Hey <name>, ..." is a turn (the words after the phrase), speech
without it is not, a bare "Hey <name>" makes the next words the turn, and the ways a recogniser
mishears a name are forgiven while everyday words are not taken for it. Speech is synthetic
(espeak-ng), heard by the real VAD and whisper tiny.en; the session records what it was asked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_voice_turns import RecordingSession
from voice_helpers import espeak_16k

from os1.events import EventType
from os1.voice.agent import VoiceAgent
from os1.voice.audio import STT_RATE
from os1.voice.config import VoiceConfig
from os1.voice.frames import AudioFrame
from os1.voice.transports.file import FileSink, frames_of
from os1.voice.wake import WakePhrase


async def _hear(voice_models, audio: np.ndarray, name: str) -> tuple[list[str], VoiceAgent]:
    session = RecordingSession()
    agent = VoiceAgent(session, voice_models, FileSink(voice_models.tts.rate),  # type: ignore[arg-type]
                       VoiceConfig(barge_in=False, partials=False, warm=False, wake=name))
    await agent.run(frames_of(AudioFrame.from_float(audio, STT_RATE), tail_silence_s=1.5))
    return session.asked, agent


def _codes(agent: VoiceAgent) -> list[str]:
    return [str(e.data.get("code")) for e in agent.events if e.type == EventType.AUDIO_ISSUE]


@pytest.mark.parametrize(("name", "voice"), [("Samantha", "en-us"), ("Samantha", "en-gb-x-rp"), ("Nova", "en-us+f3")])
async def test_the_wake_phrase_makes_the_rest_a_turn(voice_models, tmp_path: Path, name: str, voice: str):
    asked, agent = await _hear(voice_models, espeak_16k(f"Hey {name}, tell me a joke.", tmp_path, voice), name)
    assert len(asked) == 1, asked
    assert "joke" in asked[0].lower() and name.lower() not in asked[0].lower()
    (wake,) = [e for e in agent.events if e.type == EventType.WAKE]
    assert wake.data["score"] >= 0.7


async def test_speech_without_the_wake_phrase_is_not_answered(voice_models, tmp_path: Path):
    audio = np.concatenate([
        espeak_16k("What time is it?", tmp_path), np.zeros(int(1.6 * STT_RATE), np.float32),
        espeak_16k("Hey, tell me a joke.", tmp_path),
    ])
    asked, agent = await _hear(voice_models, audio, "Samantha")
    assert asked == []
    assert _codes(agent).count("not-addressed") >= 2  # "Hey," may be heard apart from the rest
    assert not any(e.type == EventType.WAKE for e in agent.events)


async def test_a_bare_wake_phrase_makes_the_next_words_the_turn(voice_models, tmp_path: Path):
    pause = np.zeros(int(1.5 * STT_RATE), np.float32)
    audio = np.concatenate([
        espeak_16k("Hey Samantha.", tmp_path), pause, espeak_16k("Tell me a joke.", tmp_path),
        pause, espeak_16k("What time is it?", tmp_path),  # the window is used up: not a turn
    ])
    asked, agent = await _hear(voice_models, audio, "Samantha")
    assert len(asked) == 1 and "joke" in asked[0].lower(), asked
    assert "not-addressed" in _codes(agent)


async def test_a_wake_window_closes(voice_models, tmp_path: Path):
    silence = np.zeros(int(2.5 * STT_RATE), np.float32)
    audio = np.concatenate([espeak_16k("Hey Samantha.", tmp_path), silence, espeak_16k("Tell me a joke.", tmp_path)])
    session = RecordingSession()
    agent = VoiceAgent(session, voice_models, FileSink(voice_models.tts.rate),  # type: ignore[arg-type]
                       VoiceConfig(barge_in=False, partials=False, warm=False, wake="Samantha", wake_window_s=1.0))
    await agent.run(frames_of(AudioFrame.from_float(audio, STT_RATE), tail_silence_s=1.5))
    assert session.asked == []


@pytest.mark.parametrize(
    ("name", "heard", "rest"),
    [
        ("Samantha", "Hey Samantha, what time is it?", "What time is it?"),
        ("Samantha", "Hey Samanta what time is it?", "What time is it?"),  # misheard by a letter
        ("Samantha", "Okay, Samantha's there?", "There?"),
        ("Samantha", "Hey Sam Antha, tell me a joke.", "Tell me a joke."),  # split in two
        ("Samantha", "Samantha, stop.", "Stop."),  # the name alone, when it is clear
        ("Nova", "Hey Nava, what day is it?", "What day is it?"),  # a vowel misheard
        ("Ari", "Hey Harry, what's new?", "What's new?"),
        ("Theo", "Hey Teo.", ""),
    ],
)
def test_misheard_names_are_forgiven(name: str, heard: str, rest: str):
    match = WakePhrase(name).match(heard)
    assert match is not None and match.rest == rest


@pytest.mark.parametrize(
    ("name", "heard"),
    [
        ("Samantha", "What time is it?"),
        ("Samantha", "Hey, what time is it?"),
        ("Samantha", "Hey Summer, what is up?"),  # another name
        ("Samantha", "Hey, some answer please."),
        ("Samantha", "Say Samantha"),
        ("Nova", "Now what?"),  # without "hey" only a close match counts
        ("Nova", "Hey, no way."),
        ("Ari", "Hey, are you there?"),  # everyday words are never the name
        ("Theo", "Hey, the old man."),
    ],
)
def test_everyday_words_are_not_the_name(name: str, heard: str):
    assert WakePhrase(name).match(heard) is None


def test_the_prompt_spells_the_name():
    assert WakePhrase("Samantha").prompt == "Hey Samantha."
    with pytest.raises(ValueError):
        WakePhrase("  ")
