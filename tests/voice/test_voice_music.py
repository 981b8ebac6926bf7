"""A piece a tool composed plays in `os1 talk` through the voice's own output, over a simulated
full-duplex sound card in real time: its echo in the microphone is never taken for the user,
and "stop" said over it stops it within a quarter of a second (seen: 200–220 ms; speech alone:
under 200 ms, tests/voice/test_voice_bargein.py), as a barge-in stops speech. The session is a
small fake whose turn calls the music tool (the real tool and its turn are covered by
tests/test_music_pieces.py); the piano is real (fluidsynth, the first phrase of a piece)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest
import soundfile
from voice_helpers import espeak_16k, until

from os1.core.media import note
from os1.events import Event, EventType, Trace
from os1.skills.music.compose import compose
from os1.skills.music.intent import BY_MOOD
from os1.skills.music.service import render_first
from os1.voice.agent import VoiceAgent
from os1.voice.config import VoiceConfig
from os1.voice.transports.stream import DuplexStream

TICK = 20  # ms
PIECE_S = 6.0


@pytest.fixture(scope="module")
def piece(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first phrase of a real piece, cut to six seconds: piano as fluidsynth renders it."""
    folder = tmp_path_factory.mktemp("piece")
    wav = render_first(compose(BY_MOOD["joyful"], 4), folder)
    audio, rate = soundfile.read(str(wav), always_2d=True)
    soundfile.write(str(folder / "piece.wav"), audio[: int(PIECE_S * rate)], rate)
    return folder / "piece.ogg"  # as the tool names it; the WAV beside it is what plays


class ComposingSession:
    """Its first turn composes (the tool's result names the piece), the next ones answer."""

    def __init__(self, audio: Path) -> None:
        self.audio = audio
        self.asked: list[str] = []
        self.last_trace: Trace | None = None

    @property
    def retractable(self) -> bool:
        return False

    async def retract(self) -> bool:
        return False

    async def warm(self) -> None:
        return None

    async def prefill(self, text: str) -> None:
        return None

    async def offer(self, text: str) -> set[str]:
        return set()

    async def turn(self, text: str) -> AsyncIterator[Event]:
        self.asked.append(text)
        trace = self.last_trace = Trace()
        yield trace.emit(EventType.TURN_START)
        if len(self.asked) == 1:
            yield trace.emit(EventType.TOOL_CALL, tool="compose_music", arguments={}, id="c1")
            result = f"Composed piece #1 for “our evening”: joyful, 60 seconds. {note(self.audio, self.audio.with_name('score-1.svg'))}"
            yield trace.emit(EventType.TOOL_RESULT, tool="compose_music", ok=True, result=result, id="c1")
            yield trace.emit(EventType.TEXT, text="Here it is.")
        else:
            yield trace.emit(EventType.TEXT, text="All right.")
        yield trace.emit(EventType.GENERATION, finish="stop")
        yield trace.emit(EventType.TURN_END, status="complete")


def _music_ticks(duplex: DuplexStream, after: int) -> int:
    return sum(1 for t in duplex.log[after:] if t.output > 0.01)


async def _start(voice_models, piece: Path, tmp_path: Path, duplex: DuplexStream):
    session = ComposingSession(piece)
    agent = VoiceAgent(session, voice_models, duplex.sink, VoiceConfig(partials=False, warm=False))  # type: ignore[arg-type]
    duplex.on_played = agent.played
    question = espeak_16k("Play me something for our evening.", tmp_path)
    duplex.say(np.concatenate([np.zeros(4800, np.float32), question]))
    listening = asyncio.create_task(agent.run(duplex.frames(), live=True))
    assert await until(lambda: any(e.type == EventType.SOUND for e in agent.events), 60), "the piece never started"
    return session, agent, listening


async def test_the_piece_plays_after_the_words_and_its_echo_is_not_the_user(voice_models, piece, tmp_path):
    duplex = DuplexStream(echo_gain=0.8, echo_delay_ms=70, noise_dbfs=-65)
    session, agent, listening = await _start(voice_models, piece, tmp_path, duplex)
    started = duplex.tick
    assert agent.replying  # the piece is part of the reply: a turn of the user's would be a barge-in
    assert await until(lambda: not agent.replying, PIECE_S + 10)
    await asyncio.sleep(1.0)  # the echo tail has passed too
    duplex.close()
    await asyncio.wait_for(listening, 30)
    await duplex.stop()

    played_s = _music_ticks(duplex, started) * TICK / 1000
    print(f"{played_s:.1f} s of the piece played and echoed back")
    assert played_s > PIECE_S - 1.0  # the whole piece (its last chord fades below the threshold)
    starts = [e for e in agent.events if e.type == EventType.SPEECH_START]
    assert len(starts) == 2  # the user's question: once live, once in the turn's trace
    assert session.asked == [session.asked[0]] and agent.interruptions == []
    [sound] = [e for e in agent.events if e.type == EventType.SOUND]
    assert sound.data["path"].endswith("piece.wav") and sound.data["seconds"] == pytest.approx(PIECE_S, abs=0.1)


async def test_stop_said_over_the_piece_stops_it_within_250_ms(voice_models, piece, tmp_path):
    duplex = DuplexStream(echo_gain=0.5, echo_delay_ms=70, noise_dbfs=-65)
    session, agent, listening = await _start(voice_models, piece, tmp_path, duplex)
    started = duplex.tick
    assert await until(lambda: duplex.tick - started >= 75, 5)  # let it play for 1.5 s
    stop = espeak_16k("Stop.", tmp_path)
    duplex.say(stop)
    onset = duplex.said_at[-1] + int(np.argmax(np.abs(stop) > 0.02)) // duplex.n
    assert await until(lambda: agent.interruptions, 5), "the interruption was not noticed"
    assert await until(lambda: len(session.asked) == 2, 20), "the words over the piece were not a turn"
    duplex.close()
    await asyncio.wait_for(listening, 30)
    await duplex.stop()

    quiet = onset
    while quiet < len(duplex.log) and duplex.log[quiet].output > 0.01:
        quiet += 1
    print(f"the piece stopped {(quiet - onset) * TICK} ms after the user's onset")
    assert (quiet - onset) * TICK <= 250  # the piano hides the start of the word a little
    assert "stop" in session.asked[1].lower()
    assert _music_ticks(duplex, started) * TICK / 1000 < PIECE_S - 2.0  # not played to its end
