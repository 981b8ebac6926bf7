"""End of turn: a pause mid-thought ("Can you tell me about ...") does not cut the user off,
while a finished question is answered after a short pause. The session here is a small fake
that records what it was asked (the real core turn is covered by the other voice tests)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
from voice_helpers import espeak_16k

from os1.events import Event, EventType, Trace
from os1.voice.agent import VoiceAgent, VoiceModels
from os1.voice.audio import STT_RATE
from os1.voice.config import VoiceConfig
from os1.voice.frames import AudioFrame
from os1.voice.transports.file import FileSink, frames_of


class RecordingSession:
    def __init__(self) -> None:
        self.asked: list[str] = []
        self.prefilled: list[str] = []
        self.retracted: list[str] = []
        self.last_trace: Trace | None = None

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

    async def offer(self, text: str) -> set[str]:
        return set()

    async def turn(self, text: str) -> AsyncIterator[Event]:
        self.asked.append(text)
        trace = self.last_trace = Trace()
        yield trace.emit(EventType.TURN_START)
        await asyncio.sleep(0)  # its first words come at once, as from a fast model
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
    a speaker pauses at a comma. With a model that answers at once, an answer started in that
    pause would be heard before the user goes on: the pause is shorter than the short silence,
    so no answer starts in it (docs/decisions/0005-end-of-turn-timing.md)."""
    first = _trimmed(espeak_16k("I keep forgetting to drink water,", tmp_path))
    second = _trimmed(espeak_16k("so please suggest a simple way to remember it.", tmp_path))
    pause = np.zeros(int(0.3 * STT_RATE), np.float32)
    session = RecordingSession()
    asked = await _ask(voice_models, np.concatenate([first, pause, second]), session)
    assert len(asked) == 1, asked
    assert "water" in asked[0].lower() and "remember" in asked[0].lower()
    assert session.retracted == []


async def test_two_finished_questions_with_a_long_pause_are_two_turns(voice_models, tmp_path: Path):
    a = espeak_16k("What time is it?", tmp_path)
    b = espeak_16k("What day is it?", tmp_path)
    asked = await _ask(voice_models, np.concatenate([a, np.zeros(int(1.6 * STT_RATE), np.float32), b]))
    assert len(asked) == 2, asked


def _silence(seconds: float) -> AudioFrame:
    return AudioFrame.from_float(np.zeros(int(seconds * STT_RATE), np.float32), STT_RATE)


def _said(text: str, tmp_path: Path, lead_s: float = 0.3) -> AudioFrame:
    """Words that end where the voice ends (the pause after them is the test's), after a
    moment of silence as a microphone hears before anyone speaks."""
    words = _trimmed(espeak_16k(text, tmp_path))
    return AudioFrame.from_float(np.concatenate([np.zeros(int(lead_s * STT_RATE), np.float32), words]), STT_RATE)


async def _pause_until_answered(agent: VoiceAgent, session: RecordingSession, most_s: float = 0.25) -> float:
    """Feed silence a chunk at a time, letting each transcription finish before the next chunk
    (so audio time stands still while whisper works, whatever the machine's speed): how much
    silence went by before the answer was started."""
    quiet = 0.0
    while not session.asked and quiet < most_s:
        task = agent.utt.stt_task if agent.utt is not None else None
        if task is not None and not task.done():
            await asyncio.wait([task], timeout=30)
        await agent.feed(_silence(0.032))
        quiet += 0.032
        await asyncio.sleep(0.01)
    return quiet


async def test_an_answer_starts_in_the_pause_and_is_heard_after_it(voice_models, tmp_path: Path):
    """Live input: once the words are transcribed and sound finished, the answer is started
    (its first words synthesized) but not heard until the short silence is over."""
    session = RecordingSession()
    agent = VoiceAgent(session, voice_models, FileSink(voice_models.tts.rate),  # type: ignore[arg-type]
                       VoiceConfig(partials=False, warm=False, short_silence_ms=300))
    agent.start(live=True)
    await agent.feed(_said("What time is it?", tmp_path))
    quiet = await _pause_until_answered(agent, session)
    assert session.asked and "time" in session.asked[0].lower()
    assert quiet < 0.25  # started well inside the 0.3-s pause
    await asyncio.sleep(0.5)  # the answer ("Sure.") is ready long before it may be heard
    assert agent.speaker.first_audio_at is None and not agent.sink.chunks  # type: ignore[attr-defined]
    for _ in range(12):  # the rest of the pause, and more
        await agent.feed(_silence(0.032))
    await asyncio.wait([agent.reply_task], timeout=10)  # type: ignore[list-item]
    assert agent.sink.chunks  # type: ignore[attr-defined]  # heard now
    await agent.close()


async def test_words_that_go_on_take_an_early_answer_back(voice_models, tmp_path: Path):
    """The user goes on while the early answer is held: it was never heard, so it is taken back
    and the whole thought is answered once."""
    session = RecordingSession()
    agent = VoiceAgent(session, voice_models, FileSink(voice_models.tts.rate),  # type: ignore[arg-type]
                       VoiceConfig(partials=False, warm=False, short_silence_ms=300))
    agent.start(live=True)
    await agent.feed(_said("What time is it?", tmp_path))
    await _pause_until_answered(agent, session)
    assert [t.lower() for t in session.asked] == ["what time is it?"]
    await asyncio.sleep(0.3)  # the answer is ready; the pause in the audio stays under 0.3 s
    await agent.feed(_said("in Tokyo right now?", tmp_path, lead_s=0.05))
    await agent.feed(_silence(0.2))
    assert [t.lower() for t in session.retracted] == ["what time is it?"]
    assert not agent.sink.chunks  # type: ignore[attr-defined]  # nothing of it was heard
    await _pause_until_answered(agent, session, most_s=1.5)
    for _ in range(12):
        await agent.feed(_silence(0.032))
    await asyncio.wait([agent.reply_task], timeout=10)  # type: ignore[list-item]
    assert len(session.asked) == 1 and "time" in session.asked[0].lower() and "tokyo" in session.asked[0].lower()
    assert agent.sink.chunks  # type: ignore[attr-defined]  # heard now
    await agent.close()


async def test_words_that_more_speech_made_stale_are_not_transcribed_to_the_end(voice_models, tmp_path: Path):
    """A dip in the voice starts a transcription of the words so far ("It's"); when speech
    goes on, that transcription is no longer wanted, so an unsure guess of it does not go on to
    whisper's full window while the user's next words wait (os1/voice/stt.py). The words of the
    whole utterance are still wanted, and answered."""
    stt = voice_models.stt
    seen: list[tuple[float, bool]] = []

    class Spy:
        name = stt.name

        async def transcribe(self, audio, prompt=None, *, draft=False, min_logprob=None, wanted=None):
            heard = await stt.transcribe(audio, prompt, draft=draft, min_logprob=min_logprob, wanted=wanted)
            if not draft:
                seen.append((len(audio) / STT_RATE, wanted()))
            return heard

    session = RecordingSession()
    agent = VoiceAgent(session, VoiceModels(Spy(), voice_models.tts), FileSink(voice_models.tts.rate),  # type: ignore[arg-type]
                       VoiceConfig(partials=False, warm=False, short_silence_ms=300))
    agent.start(live=True)
    await agent.feed(_said("It's", tmp_path))
    await agent.feed(_silence(0.064))  # the voice dips: its first silent chunk starts a transcription
    assert agent.seg.speaking and agent.transcriber.ahead is not None
    dip = agent.transcriber.ahead[1]
    await agent.feed(_said("a lovely day for a walk by the river.", tmp_path, lead_s=0.0))
    await asyncio.wait([dip], timeout=30)
    assert seen and seen[0][1] is False  # more speech came: not wanted
    await _pause_until_answered(agent, session, most_s=1.5)
    assert session.asked and "river" in session.asked[0].lower()
    assert seen[-1][1] is True and seen[-1][0] > seen[0][0]  # the whole utterance's words were
    await agent.close()
