"""End of turn: a pause mid-thought ("Can you tell me about ...") does not cut the user off,
while a finished question is answered after a short pause. The session here is a small fake
that records what it was asked (the real core turn is covered by the other voice tests)."""

from __future__ import annotations

import asyncio

from pathlib import Path
from typing import AsyncIterator

import numpy as np

from os1.events import Event, EventType, Trace
from os1.voice.agent import VoiceAgent, VoiceConfig
from os1.voice.audio import STT_RATE
from os1.voice.frames import AudioFrame
from os1.voice.transports.file import FileSink, frames_of
from voice_helpers import espeak_16k


class RecordingSession:
    def __init__(self, think_s: float = 0.0) -> None:
        self.asked: list[str] = []
        self.prefilled: list[str] = []
        self.retracted: list[str] = []
        self.last_trace: Trace | None = None
        self.think_s = think_s  # before the first words, as a model reads its prompt

    @property
    def retractable(self) -> bool:
        return bool(self.asked)

    async def retract(self) -> bool:
        self.retracted.append(self.asked.pop())
        return True

    async def warm(self) -> None:
        return None

    async def prefill(self, text: str) -> None:
        self.prefilled.append(text)

    def offer(self, text: str) -> set[str]:
        return set()

    async def turn(self, text: str) -> AsyncIterator[Event]:
        self.asked.append(text)
        trace = self.last_trace = Trace()
        yield trace.emit(EventType.TURN_START)
        await asyncio.sleep(self.think_s)
        yield trace.emit(EventType.FIRST_TOKEN)
        yield trace.emit(EventType.TEXT, text="Sure.")
        yield trace.emit(EventType.GENERATION, finish="stop")
        yield trace.emit(EventType.TURN_END, status="complete")


async def _ask(voice_models, audio: np.ndarray, session: RecordingSession | None = None) -> list[str]:
    session = session or RecordingSession()
    agent = VoiceAgent(session, voice_models, FileSink(voice_models.tts.rate),  # type: ignore[arg-type]
                       VoiceConfig(barge_in=False, partials=False, warm=False))
    frame = AudioFrame.from_float(audio, STT_RATE)
    await agent.run(frames_of(frame, speed=0.0, tail_silence_s=1.5))
    return session.asked


def _trimmed(audio: np.ndarray) -> np.ndarray:
    """Without espeak's own leading and trailing silence, so the pause is what the test says."""
    loud = np.flatnonzero(np.abs(audio) > 0.01)
    return audio[loud[0] : loud[-1] + 1]


async def test_a_pause_mid_thought_is_waited_out(voice_models, tmp_path: Path):
    first = _trimmed(espeak_16k("Can you tell me about", tmp_path))
    second = _trimmed(espeak_16k("the history of Rome?", tmp_path))
    pause = np.zeros(int(0.7 * STT_RATE), np.float32)
    asked = await _ask(voice_models, np.concatenate([first, pause, second]))
    assert len(asked) == 1, asked
    assert "tell me about" in asked[0].lower() and "rome" in asked[0].lower()


async def test_a_pause_between_two_clauses_is_waited_out(voice_models, tmp_path: Path):
    """The first clause sounds finished ("I keep forgetting to drink water."), and the pause
    after it is not the end: 0.3 s of silence here, which the VAD hears as ~0.35 s, as long as
    the voice bench's voices pause at a comma. The answer starts after the short silence; the
    user goes on before any of it is heard, so that turn is taken back."""
    first = _trimmed(espeak_16k("I keep forgetting to drink water,", tmp_path))
    second = _trimmed(espeak_16k("so please suggest a simple way to remember it.", tmp_path))
    pause = np.zeros(int(0.3 * STT_RATE), np.float32)
    session = RecordingSession(think_s=0.3)  # a model takes a while to its first words
    asked = await _ask(voice_models, np.concatenate([first, pause, second]), session)
    assert len(asked) == 1, asked
    assert "water" in asked[0].lower() and "remember" in asked[0].lower()
    # answered at first (the pause was as long as the short silence), taken back, nothing heard
    assert [t.lower() for t in session.retracted] == ["i keep forgetting to drink water."]


async def test_two_finished_questions_with_a_long_pause_are_two_turns(voice_models, tmp_path: Path):
    a = espeak_16k("What time is it?", tmp_path)
    b = espeak_16k("What day is it?", tmp_path)
    asked = await _ask(voice_models, np.concatenate([a, np.zeros(int(1.6 * STT_RATE), np.float32), b]))
    assert len(asked) == 2, asked
