"""One spoken turn, one model: a model swapped in while a spoken turn runs (the web app's
settings page) answers from the next turn on; the turn in flight finishes on the model it began
on, as a typed turn does (tests/test_model_switch.py). The voice is faked (a scripted recogniser
and a recording TTS); the session, its tool call and the swappable model are the real ones."""

from __future__ import annotations

from typing import Any

from test_talk_services import voice

from os1.core.conversation import Companion
from os1.models.base import ToolCall
from os1.models.switch import SwitchableLLM
from os1.plugins import tools as registered_tools
from os1.voice.agent import VoiceAgent
from os1.voice.config import VoiceConfig
from os1.voice.stt import Transcript
from os1.voice.transports.file import FileSink
from os1.voice.utterance import Utterance
from tests.fakes import ScriptedLLM


class SwappedMidTurn(ScriptedLLM):
    """The old model: while it writes its first step (a tool call), the new one is swapped in."""

    def __init__(self, *steps: Any) -> None:
        super().__init__(*steps)
        self.switch: SwitchableLLM | None = None
        self.new: ScriptedLLM | None = None

    def stream_chat(self, messages: Any, **kw: Any) -> Any:
        if self.switch is not None and self.new is not None:
            self.switch.swap(self.new)
            self.switch = None
        return super().stream_chat(messages, **kw)


async def spoken(agent: VoiceAgent, words: str) -> None:
    utt = Utterance(0.0, transcript=Transcript(words, 0.0, -0.1, 1.0))
    await agent.responder.answer(utt, early=False)
    assert agent.responder.task is not None
    await agent.responder.task


async def test_a_spoken_turn_finishes_on_the_model_it_began_on(settings, store):
    call = ToolCall("a", "core_memory_append", {"block": "human", "text": "Likes tea."})
    old = SwappedMidTurn(call, "Noted, you like tea.")
    new = ScriptedLLM("A new model answers.")
    switch = SwitchableLLM(old)
    old.switch, old.new = switch, new
    session = await Companion(settings, switch, store, registered_tools()).session()
    agent = VoiceAgent(session, voice("unused"), FileSink(16000), VoiceConfig(warm=False, prefill=False))

    await spoken(agent, "Remember that I like tea.")
    assert switch.current is new  # swapped while the turn ran...
    assert len(old.prompts) == 2 and new.prompts == []  # ...which finished on the old model
    assert " ".join(agent.models.tts.said) == "Noted, you like tea."  # type: ignore[attr-defined]
    await switch.settled()

    await spoken(agent, "And what now?")
    assert len(new.prompts) == 1 and len(old.prompts) == 2  # the next turn: the new model
    assert " ".join(agent.models.tts.said).endswith("A new model answers.")  # type: ignore[attr-defined]
    await agent.close()
