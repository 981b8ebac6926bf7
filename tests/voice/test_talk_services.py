"""Voice gets what the text chat gets (os1.core.presence): the first-run interview, spoken and
answered by voice (from files, live, over a WebSocket), and what OS1 says first (a reminder that
fell due), spoken between turns and kept in the conversation. Words are faked: a recording TTS
and a scripted recogniser (the live path with real ones: test_voice_interview_live.py)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from voice_helpers import espeak_16k, espeak_wav, until

from os1.core.clock import ManualClock
from os1.core.conversation import Companion
from os1.core.interview import QUESTIONS
from os1.core.preferences import set_prefs
from os1.core.presence import Presence
from os1.core.schedule import Outbox, ReminderSchedule
from os1.events import EventType
from os1.plugins import tools as registered_tools
from os1.voice.agent import VoiceAgent, VoiceModels
from os1.voice.audio import write_wav
from os1.voice.config import VoiceConfig
from os1.voice.live_presence import converse
from os1.voice.stt import Transcript
from os1.voice.talk import (
    interview_by_voice,
    speak_waiting,
    speak_while_idle,
    start_presence,
    talk_file,
    wav_listener,
)
from os1.voice.transports.file import FileSink
from os1.voice.transports.stream import DuplexStream
from os1.voice.utterance import Utterance
from tests.fakes import ScriptedLLM

IDENTITY = {"name": "Juno", "personality": "I am curious.", "why_this_name": "It felt bright."}
QUIET = [{}] * 5  # the model's reactions to the five answers: none usable, the questions go on
ANSWERS = ["Call me Sam.", "Rather private.", "Warm.", "Female, please.", "Remembering things."]


class RecordingTTS:
    name = "fake"
    rate = 16000

    def __init__(self) -> None:
        self.said: list[str] = []

    def synthesize(self, text: str) -> np.ndarray:
        self.said.append(text)
        return np.full(160, 0.1, np.float32)


class ScriptedSTT:
    """Hears the scripted words in order; the last one again once the script is done."""

    name = "scripted"

    def __init__(self, *heard: str) -> None:
        self.heard = list(heard)

    async def transcribe(self, audio: np.ndarray, prompt: str | None = None, **_: object) -> Transcript:
        text = self.heard.pop(0) if len(self.heard) > 1 else self.heard[0]
        return Transcript(text, 0.0, -0.1, len(audio) / 16000)

    def transcribe_sync(self, audio: np.ndarray, prompt: str | None = None, **_: object) -> Transcript:
        return Transcript(self.heard[0], 0.0, -0.1, len(audio) / 16000)


def voice(*heard: str) -> VoiceModels:
    return VoiceModels(ScriptedSTT(*heard), RecordingTTS())  # type: ignore[arg-type]


async def test_the_interview_is_spoken_and_answered_by_voice(settings, store) -> None:
    companion = Companion(settings, ScriptedLLM(*QUIET, IDENTITY), store, registered_tools())
    presence = Presence(await companion.session())
    assert await presence.name() is None
    models, sink = voice(), FileSink(16000)
    answers = list(ANSWERS)

    async def listen() -> str:
        return answers.pop(0)

    identity = await interview_by_voice(presence, models, sink, listen)
    assert identity.name == "Juno" and await presence.name() == "Juno"
    said = models.tts.said  # type: ignore[attr-defined]
    assert said[:5] == [q for _, q in QUESTIONS]
    assert said[5].startswith("I'd like to be called Juno.")
    assert len(sink.audio()) == 6 * 160
    profile = await store.profile("tester")
    assert profile["preferred_name"] == "Sam" and profile["voice"] == "female"


async def test_answers_from_wav_files_and_too_few_of_them(settings, store, tmp_path: Path) -> None:
    wavs = []
    for i in range(2):
        wavs.append(tmp_path / f"a{i}.wav")
        write_wav(wavs[-1], np.zeros(1600, np.float32), 16000)
    listen = wav_listener(voice("first", "second"), wavs)
    assert [await listen(), await listen()] == ["first", "second"]
    try:
        await listen()
        raise AssertionError("no third answer")
    except EOFError:
        pass


async def test_a_reminder_that_fell_due_is_spoken_and_kept_in_the_conversation(settings, store) -> None:
    companion = Companion(settings, ScriptedLLM(), store, registered_tools())
    session = await companion.session()
    presence = Presence(session)
    now = datetime.now(UTC)
    await set_prefs(store, "tester", {"quiet_start": "", "quiet_end": ""})
    await ReminderSchedule(store).add("tester", "reminder", "Reminder: call mum", now - timedelta(minutes=1))
    models, sink = voice(), FileSink(16000)
    await presence.start(ManualClock(now), plans=[])
    try:
        assert presence.keeper is not None
        await presence.keeper.scheduler.tick()
        assert await speak_waiting(presence, models, sink) == ["Reminder: call mum"]
    finally:
        await presence.stop()
    assert models.tts.said == ["Reminder: call mum"]  # type: ignore[attr-defined]
    assert await Outbox(store).undelivered("tester") == []
    [last] = [m for m in await store.messages("tester") if m.role == "assistant"]
    assert last.content == "Reminder: call mum"


async def test_live_voice_speaks_first_only_between_turns(settings, store) -> None:
    companion = Companion(settings, ScriptedLLM(), store, registered_tools())
    presence = Presence(await companion.session())
    await set_prefs(store, "tester", {"quiet_start": "", "quiet_end": ""})
    models, sink = voice(), FileSink(16000)
    await presence.start(ManualClock(datetime.now(UTC)), plans=[])
    turn_running = True
    speaking = asyncio.create_task(speak_while_idle(presence, models, sink, lambda: turn_running))
    try:
        assert presence.keeper is not None
        await presence.keeper.channel.post("checkin", "How are you doing?")
        await asyncio.sleep(0.5)
        assert models.tts.said == []  # type: ignore[attr-defined]  # not over the user's turn
        turn_running = False
        assert await until(lambda: models.tts.said == ["How are you doing?"], 5)  # type: ignore[attr-defined]
        assert await until(lambda: presence.keeper is not None and presence.keeper.last_shown is not None, 5)
    finally:
        speaking.cancel()
        await presence.stop()


async def test_os1_talk_file_interviews_then_says_what_is_due_then_answers(settings, store, tmp_path: Path) -> None:
    """The headless `os1 talk --in a1 … a5 --in question`: the whole path with the voice agent."""
    companion = Companion(settings, ScriptedLLM(*QUIET, IDENTITY, {}, {}, "It is noon."), store, registered_tools())
    await set_prefs(store, "tester", {"quiet_start": "", "quiet_end": ""})
    await ReminderSchedule(store).add("tester", "reminder", "Reminder: water the plants",
                                      datetime.now(UTC) - timedelta(minutes=1))
    answers = []
    for i in range(5):
        answers.append(tmp_path / f"a{i}.wav")
        write_wav(answers[-1], np.zeros(1600, np.float32), 16000)
    question = espeak_wav(tmp_path / "q.wav", "What time is it?")
    models = voice(*ANSWERS, "What time is it?")
    result = await talk_file(companion, models, question, tmp_path / "out.wav", interview=answers)
    assert result.interviewed is not None and result.interviewed.name == "Juno"
    assert result.said_first == ["Reminder: water the plants"]
    assert "what time is it" in result.transcript.lower() and result.reply.strip()
    said = models.tts.said  # type: ignore[attr-defined]
    assert said.index("Reminder: water the plants") > said.index(QUESTIONS[-1][1])
    assert result.seconds_out > 0


async def test_a_live_transport_gets_the_same_with_one_call(settings, store) -> None:
    companion = Companion(settings, ScriptedLLM(), store, registered_tools())
    await set_prefs(store, "tester", {"quiet_start": "", "quiet_end": ""})
    models, sink = voice(), FileSink(16000)
    presence, task = await start_presence(await companion.session(), models, sink, lambda: False)
    try:
        assert presence.keeper is not None
        await presence.keeper.channel.post("checkin", "Still there?")
        assert await until(lambda: models.tts.said == ["Still there?"], 5)  # type: ignore[attr-defined]
    finally:
        task.cancel()
        await presence.stop()


async def test_the_websocket_transport_speaks_what_fell_due_to_its_client(settings, store) -> None:
    """A real server on 127.0.0.1 and a real client that says nothing: a reminder that fell due
    reaches it as audio, between turns, and stays in the conversation."""
    import json

    from websockets.asyncio.client import connect

    from os1.voice.config import VoiceConfig
    from os1.voice.transports.websocket import VoiceServer

    companion = Companion(settings, ScriptedLLM(), store, registered_tools())
    await store.set_profile("tester", {"companion_name": "Juno"})  # interviewed before
    await set_prefs(store, "tester", {"quiet_start": "", "quiet_end": ""})
    await ReminderSchedule(store).add("tester", "reminder", "Reminder: call mum",
                                      datetime.now(UTC) - timedelta(minutes=1))
    models = voice()
    srv = await VoiceServer(companion, models, VoiceConfig(warm=False)).serve("127.0.0.1", 0)
    url = f"ws://127.0.0.1:{srv.sockets[0].getsockname()[1]}"
    audio = bytearray()
    try:
        async with connect(url) as ws:
            assert json.loads(await ws.recv())["type"] == "ready"
            async with asyncio.timeout(30):
                while not audio:
                    message = await ws.recv()
                    if isinstance(message, bytes):
                        audio += message
                said: list[str] = []
                while not said:  # kept in the conversation once spoken, while the client listens
                    await asyncio.sleep(0.05)
                    said = [m.content for m in await store.messages("tester") if m.role == "assistant"]
    finally:
        srv.close()
        await srv.wait_closed()
    assert models.tts.said == ["Reminder: call mum"]  # type: ignore[attr-defined]
    assert said == ["Reminder: call mum"]
    assert await Outbox(store).undelivered("tester") == []


async def test_live_a_first_conversation_is_the_interview_then_turns_as_the_chosen_companion(
        settings, store, tmp_path: Path) -> None:
    """The live path of `os1 talk` (converse) on the simulated sound card: each question is
    spoken and answered by the next utterance; nothing is read into the model and no turn is
    taken until the name is chosen; the next words are a turn of the companion it became."""
    llm = ScriptedLLM(*QUIET, IDENTITY, {}, {}, "I am Juno.")
    companion = Companion(settings, llm, store, registered_tools())
    session = await companion.session()
    models = voice(*ANSWERS, "Who are you?")
    duplex = DuplexStream()
    agent = VoiceAgent(session, models, duplex.sink, VoiceConfig(partials=False, warm=False))
    duplex.on_played = agent.played
    running = asyncio.create_task(converse(session, agent, duplex.frames(), voice="fake"))
    speech = espeak_16k("Some words of an answer.", tmp_path)
    for k in range(len(ANSWERS)):
        assert await until(lambda k=k: agent.asking and len(models.tts.said) == k + 1, 20), models.tts.said  # type: ignore[attr-defined]
        duplex.say(speech)
    assert await until(lambda: not agent.interviewing, 20)
    assert agent.turns == 0 and models.tts.said[:5] == [q for _, q in QUESTIONS]  # type: ignore[attr-defined]
    assert models.tts.said[5].startswith("I'd like to be called Juno.")  # type: ignore[attr-defined]
    duplex.say(speech)
    assert await until(lambda: agent.turns == 1 and not agent.replying, 20)
    duplex.close()
    identity = await asyncio.wait_for(running, 20)
    await duplex.stop()
    assert identity is not None and identity.name == "Juno" == (await store.profile("tester"))["companion_name"]
    assert (await store.profile("tester"))["interview"]["help_with"] == ANSWERS[-1]
    # The interview's own prompts (reactions, the choice) come first: nothing of a turn before them.
    first_turn = next(i for i, p in enumerate(llm.prompts) if "You are Juno" in p[0]["content"])
    assert any("Now choose who you will be" in p[0]["content"] for p in llm.prompts[:first_turn])
    assert all("You are Juno" in p[0]["content"] for p in llm.prompts[first_turn:])
    users = [m.content for m in await store.messages("tester") if m.role == "user"]
    assert users == [*ANSWERS, "Who are you?"]
    said = [e.data for e in agent.events if e.type == EventType.SAID]
    assert [d["text"] for d in said if d.get("question")] == [q for _, q in QUESTIONS] and said[-1]["name"] == "Juno"


async def test_live_words_between_the_interviews_questions_are_no_turn(settings, store) -> None:
    companion = Companion(settings, ScriptedLLM(), store, registered_tools())
    agent = VoiceAgent(await companion.session(), voice("Hello there."), FileSink(16000))
    agent.interviewing = True  # the name is being chosen: no question waits for an answer
    await agent.on_turn(Utterance(0.0, speech_s=1.0), Transcript("Hello there.", 0.0, -0.1, 1.0), early=False)
    assert agent.turns == 0 and not agent.replying and await store.messages("tester") == []
    assert [e.data["code"] for e in agent.events if e.type == EventType.AUDIO_ISSUE] == ["interviewing"]


async def test_a_websocket_client_is_interviewed_first_and_may_leave_midway(settings, store) -> None:
    """A fresh install: the client hears the first question (audio and a 'said' event); it ends
    its input unanswered, so no name is chosen and the interview starts again next time."""
    import json

    from websockets.asyncio.client import connect

    from os1.voice.transports.websocket import VoiceServer

    companion = Companion(settings, ScriptedLLM(IDENTITY), store, registered_tools())
    models = voice()
    srv = await VoiceServer(companion, models, VoiceConfig(warm=False)).serve("127.0.0.1", 0)
    url = f"ws://127.0.0.1:{srv.sockets[0].getsockname()[1]}"
    events: list[dict[str, object]] = []
    audio = bytearray()
    try:
        async with connect(url) as ws, asyncio.timeout(30):
            assert json.loads(await ws.recv())["type"] == "ready"
            while not audio or not events:
                message = await ws.recv()
                if isinstance(message, bytes):
                    audio += message
                else:
                    events.append(json.loads(message))
            await ws.send(json.dumps({"type": "audio-stop"}))
            while events[-1]["type"] != "done":
                message = await ws.recv()
                if isinstance(message, str):
                    events.append(json.loads(message))
    finally:
        srv.close()
        await srv.wait_closed()
    assert events[0] == {**events[0], "type": "said", "text": QUESTIONS[0][1], "question": True}
    assert models.tts.said == [QUESTIONS[0][1]]  # type: ignore[attr-defined]
    assert (await store.profile("tester")).get("companion_name") is None
    assert [m.content for m in await store.messages("tester")] == [QUESTIONS[0][1]]
