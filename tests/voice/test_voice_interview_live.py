"""A first live conversation (os1 talk with a microphone) begins with the interview, spoken, over
a simulated full-duplex sound card in real time with its own voice fed back into the
microphone: real speech recognition and synthesis, the real (0.5B) model choosing the name.
The user answers the first question over it (barge-in), the others after them; then the
companion goes on under the name it chose, in the voice asked for."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from voice_helpers import espeak_16k, until

from os1.core.interview import QUESTIONS
from os1.events import EventType
from os1.voice.agent import VoiceAgent
from os1.voice.config import VoiceConfig
from os1.voice.live_presence import converse
from os1.voice.transports.stream import DuplexStream
from os1.voice.tts import open_voice, voice_from_profile

pytestmark = pytest.mark.model
ANSWERS = ["Call me Sam.", "I am rather private.", "We are very close.", "I would like a male voice.",
           "Planning my days."]


async def _quiet(duplex: DuplexStream, ticks: int = 20, since: int = -1) -> bool:
    """Wait (bounded) until the speaker has played something after tick `since` and then been
    silent for `ticks` (the next question may come seconds after the last one ended, once the
    model has written its reaction to the answer)."""
    def quiet() -> bool:
        last = duplex.last_playing_tick()
        return last is not None and last > since and duplex.tick - last >= ticks
    return await until(quiet, 120)


async def test_a_first_live_conversation_begins_with_the_spoken_interview(companion, voice_models, tmp_path: Path):
    store = companion.store
    assert (await store.profile("tester")).get("companion_name") is None  # a fresh install
    session = await companion.session()
    duplex = DuplexStream(echo_gain=0.5, echo_delay_ms=60)
    agent = VoiceAgent(session, voice_models, duplex.sink, VoiceConfig(partials=False))
    duplex.on_played = agent.played
    notes: list[str] = []
    running = asyncio.create_task(converse(session, agent, duplex.frames(), on_note=notes.append))

    def questions() -> list[str]:
        return [e.data["text"] for e in agent.events if e.type == EventType.SAID and e.data.get("question")]

    # the first answer over the question, a second into it: the question stops, the answer is heard
    assert await until(lambda: questions() and agent.asking, 60), _said(agent)
    assert await until(lambda: duplex.first_playing_tick() is not None, 30), "the question was not spoken"
    start = duplex.first_playing_tick() or 0
    assert await until(lambda: duplex.tick - start >= 50, 10)
    duplex.say(espeak_16k(ANSWERS[0], tmp_path))
    onset = duplex.said_at[-1]
    assert await until(lambda: duplex.sink.cleared_at, 10), "speaking over the question did not stop it"
    cut_at = len(duplex.log)
    for k, answer in enumerate(ANSWERS[1:], start=1):  # the others once the question was heard
        assert await until(lambda k=k: len(questions()) == k + 1 and agent.asking, 60), (k, _said(agent))
        asked_at = duplex.tick  # the question is being said from about now on
        assert await _quiet(duplex, since=asked_at), f"question {k + 1} was not spoken"
        duplex.say(espeak_16k(answer, tmp_path))
    # each question in turn, after the companion's short reaction to the answer before it, if any
    assert len(questions()) == len(QUESTIONS)
    assert all(said.endswith(q) for said, (_, q) in zip(questions(), QUESTIONS, strict=True)), questions()
    assert agent.turns == 0  # the answers were no turns

    # the name is chosen and said; then a question to the companion it has become
    said_name = lambda: [e for e in agent.events if e.type == EventType.SAID and e.data.get("name")]  # noqa: E731
    assert await until(lambda: said_name() and not agent.interviewing, 240), _said(agent)
    assert await _quiet(duplex)
    duplex.say(espeak_16k("What is your name?", tmp_path))
    assert await until(lambda: agent.turns == 1 and not agent.replying, 120), _said(agent)
    duplex.close()
    identity = await asyncio.wait_for(running, 60)
    await duplex.stop()

    profile = await store.profile("tester")
    assert identity is not None and profile["companion_name"] == identity.name == said_name()[0].data["name"]
    answers = profile["interview"]
    assert list(answers) == [key for key, _ in QUESTIONS] and all(a and a != "(no answer)" for a in answers.values())
    assert "sam" in answers["preferred_name"].lower() and profile["voice"] == "male", answers
    users = [m.content for m in await store.messages("tester") if m.role == "user"]
    assert users[:5] == list(answers.values()) and "name" in users[5].lower()
    # the voice asked for speaks from the introduction on (piper, or espeak-ng with a note)
    chosen, note = open_voice(voice_from_profile(profile))
    assert agent.models.tts.name == chosen.name and agent.speaker.tts is agent.models.tts
    assert notes == ([note] if note else [])
    reply = [m for m in await store.messages("tester") if m.role == "assistant"][-1]
    assert identity.name.lower() in reply.content.lower(), reply.content
    # the first question's audio stopped within 300 ms of the answer's onset (barge-in)
    playing_after = [t.index for t in duplex.log[onset:cut_at] if t.output > 0.01]
    assert not playing_after or playing_after[-1] - onset <= 15, playing_after[-1] - onset


def _said(agent: VoiceAgent) -> str:
    """The agent's events, for a failure's message."""
    return "\n".join(f"{e.type.value} {e.at_ms:.0f} {e.data.get('text') or e.data.get('code') or ''}"
                     for e in agent.events)
