"""Barge-in and echo, over a simulated full-duplex sound card running in real time, with the
real model answering: speaking over OS1 stops it within 200 ms; its own voice fed back into the
microphone never starts a turn."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest
from voice_helpers import espeak_16k, until

from os1.events import EventType
from os1.voice.agent import VoiceAgent
from os1.voice.config import VoiceConfig
from os1.voice.transports.stream import DuplexStream

pytestmark = pytest.mark.model
TICK = 20  # ms


def _onset(audio: np.ndarray, n: int) -> int:
    """Ticks from the start of `audio` to its first audible sample."""
    return int(np.argmax(np.abs(audio) > 0.02)) // n


async def test_speaking_over_the_reply_stops_it_within_200_ms(companion, voice_models, tmp_path: Path):
    session = await companion.session()
    duplex = DuplexStream()
    agent = VoiceAgent(session, voice_models, duplex.sink, VoiceConfig(partials=False))
    duplex.on_played = agent.played
    question = espeak_16k("Tell me a long story about a dragon who guards a library.", tmp_path)
    interruption = espeak_16k("Wait, stop please.", tmp_path)
    duplex.say(np.concatenate([np.zeros(4800, np.float32), question]))
    listening = asyncio.create_task(agent.run(duplex.frames(), live=True))

    assert await until(lambda: duplex.first_playing_tick() is not None, 90), "OS1 never spoke"
    speaking_from = duplex.first_playing_tick()
    assert await until(lambda: duplex.tick - speaking_from >= 40, 10)  # let it talk for 0.8 s
    duplex.say(interruption)
    onset = duplex.said_at[-1] + _onset(interruption, duplex.n)
    assert await until(lambda: agent.interruptions, 5), "the interruption was not noticed"
    duplex.close()
    await asyncio.wait_for(listening, 180)
    await duplex.stop()

    # playback: the last tick with OS1's voice after the user's onset
    ticks = duplex.log
    stop = onset
    while stop < len(ticks) and ticks[stop].output > 0.01:
        stop += 1
    reaction_ms = (stop - onset) * TICK
    info = agent.interruptions[0]
    print(f"playback stopped {reaction_ms} ms after speech onset; interruption: {info}")
    assert reaction_ms <= 200
    assert info.generation_stop_ms is not None and info.generation_stop_ms <= 200 + 150  # the reply's stream is closed, not drained
    # the conversation log: the cut reply is stored as interrupted, the interruption answered
    msgs = [m for m in await companion.store.messages("tester") if m.role in ("user", "assistant")]
    assert msgs[0].role == "user" and "dragon" in msgs[0].content.lower()
    cut = [m for m in msgs if m.role == "assistant" and m.status == "interrupted"]
    assert len(cut) == 1 and cut[0].content
    # the interruption is the last thing said; the model may use a tool before answering it
    assert "stop" in [m for m in msgs if m.role == "user"][-1].content.lower()
    assert msgs[-1].role == "assistant" and msgs[-1].status == "complete"
    traces = await companion.store.traces("tester")
    interrupted = [t for t in traces if any(e["type"] == "interruption" for e in t["events"])]
    assert len(interrupted) == 1
    ends = [e for e in interrupted[0]["events"] if e["type"] == "turn-end"]
    assert ends[0]["status"] == "interrupted"


async def test_own_voice_fed_back_never_starts_a_turn(companion, voice_models, tmp_path: Path):
    session = await companion.session()
    duplex = DuplexStream(echo_gain=0.8, echo_delay_ms=70, noise_dbfs=-65)
    agent = VoiceAgent(session, voice_models, duplex.sink, VoiceConfig(partials=False))
    duplex.on_played = agent.played
    question = espeak_16k("Please describe the ocean in three sentences.", tmp_path)
    duplex.say(np.concatenate([np.zeros(4800, np.float32), question]))
    listening = asyncio.create_task(agent.run(duplex.frames(), live=True))
    assert await until(lambda: agent.turns == 1, 60)
    assert await until(lambda: not agent.replying, 120)
    await asyncio.sleep(1.0)  # the echo tail has passed too
    duplex.close()
    await asyncio.wait_for(listening, 60)
    await duplex.stop()

    played = sum(1 for t in duplex.log if t.output > 0.01)
    assert played * TICK > 1500, "OS1 should have spoken for a while"
    starts = [e for e in agent.events if e.type == EventType.SPEECH_START]
    print(f"{played * TICK} ms of OS1's voice echoed back; speech starts seen: {len(starts)}")
    assert len(starts) == 2  # the user's question: once live, once recorded in the turn trace
    assert agent.interruptions == [] and agent.turns == 1
    msgs = await companion.store.messages("tester")
    assert [m.role for m in msgs if m.role != "tool"][:2] == ["user", "assistant"]
    assert sum(1 for m in msgs if m.role == "user") == 1
