"""A side effect asked for by voice is confirmed by voice: the companion speaks the question and
the user's next words answer it, over a simulated full-duplex sound card in real time, with
real speech recognition and synthesis. The model is scripted, so the call is known."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest
from voice_helpers import espeak_16k, until

from os1.core.conversation import Companion
from os1.core.tools import ConfirmationRequest, tool
from os1.events import EventType
from os1.models.base import ToolCall
from os1.plugins import tools as registered_tools
from os1.skills.notes.tools import save_note
from os1.voice import confirm
from os1.voice.agent import VoiceAgent
from os1.voice.config import VoiceConfig
from os1.voice.transports.stream import DuplexStream
from tests.fakes import ScriptedLLM


async def _ask_for_a_note(settings, store, voice_models, tmp_path: Path, answer: str | None,
                          timeout: float = 4.0):
    # save_note is offered only on words that speak of a note; how tiny.en hears espeak varies,
    # so the note is taken by a tool offered on any words (routing is tested in test_routing.py).
    @tool(confirm=True, name="save_note")
    def anywhere(ctx, title: str, text: str) -> str:
        """Save a note (asks first)."""
        return save_note.fn(ctx, title=title, text=text)

    call = ToolCall("a", "save_note", {"title": "Groceries", "text": "milk and eggs"})
    llm = ScriptedLLM(call, "All right.")
    companion = Companion(settings, llm, store, {**registered_tools(), "save_note": anywhere})
    session = await companion.session()
    duplex = DuplexStream(echo_gain=0.5, echo_delay_ms=60)
    agent = VoiceAgent(session, voice_models, duplex.sink,
                       VoiceConfig(partials=False, warm=False, prefill=False, answer_timeout_s=timeout))
    duplex.on_played = agent.played
    request = espeak_16k("Please save a note about groceries.", tmp_path)
    duplex.say(np.concatenate([np.zeros(4800, np.float32), request]))
    listening = asyncio.create_task(agent.run(duplex.frames(), live=True))
    asked = lambda: [e for e in agent.events if e.type == EventType.CONFIRM_ASKED]  # noqa: E731
    assert await until(asked, 60), f"the question was never asked: {[e.to_dict() for e in agent.events]}"
    assert await until(lambda: duplex.first_playing_tick() is not None, 30), "the question was not spoken"
    if answer is not None:
        await asyncio.sleep(0.5)  # the user answers over the end of the question
        duplex.say(espeak_16k(answer, tmp_path))
    assert await until(lambda: agent.turns == 1 and not agent.replying, 60)
    duplex.close()
    await asyncio.wait_for(listening, 30)
    await duplex.stop()
    notes = list((settings.data_dir / "notes").rglob("*.md")) if (settings.data_dir / "notes").exists() else []
    decided = [e for e in session.last_trace.events if e.type == EventType.CONFIRMATION]
    return agent, asked()[0], decided, notes


async def test_yes_said_aloud_lets_the_note_be_saved(settings, store, voice_models, tmp_path: Path):
    agent, asked, decided, notes = await _ask_for_a_note(settings, store, voice_models, tmp_path, "Yes, please.")
    assert asked.data["tool"] == "save_note" and "Groceries" in asked.data["text"]
    assert [e.data["approved"] for e in decided] == [True], _said(agent)
    assert len(notes) == 1 and "milk and eggs" in notes[0].read_text()
    assert agent.turns == 1 and agent.interruptions == []  # the answer is no new turn, nor a barge-in
    assert len([m for m in await store.messages("tester") if m.role == "user"]) == 1


async def test_no_said_aloud_or_silence_saves_nothing(settings, store, voice_models, tmp_path: Path):
    agent, _, decided, notes = await _ask_for_a_note(settings, store, voice_models, tmp_path, "No, don't.")
    # (failed in CI when whisper took over 4 s for the answer: it became a turn of its own; the
    # answer is now heard out, test_an_answer_begun_before_the_timeout_is_heard_out)
    assert [e.data["approved"] for e in decided] == [False] and notes == [], _said(agent)


async def test_an_answer_begun_before_the_timeout_is_heard_out(settings, store, voice_models, tmp_path: Path):
    # The answer starts ~0.8 s after the question is asked and speaks for ~2.5 s: the timeout
    # falls while it is said. Cut off there, it became a turn of its own and the question a no.
    agent, _, decided, notes = await _ask_for_a_note(
        settings, store, voice_models, tmp_path, "Yes please save that note for me right now", timeout=2.0)
    assert [e.data["approved"] for e in decided] == [True] and len(notes) == 1, _said(agent)
    assert agent.turns == 1


async def test_an_unanswered_question_is_a_no(settings, store, voice_models, tmp_path: Path):
    _, _, decided, notes = await _ask_for_a_note(settings, store, voice_models, tmp_path, None)
    assert [e.data["approved"] for e in decided] == [False] and notes == []


@pytest.mark.parametrize(("said", "ok"), [
    ("Yes.", True), ("Yeah, go ahead", True), ("Okay!", True), ("Sure, do it", True),
    ("No.", False), ("Yes, but not on Tuesday", False), ("Wait", False), ("", False),
    ("What did you say?", False), ("Nope", False),
])
def test_only_a_clear_yes_approves(said: str, ok: bool):
    assert confirm.approves(said) is ok


def test_the_question_names_the_action_and_its_values_briefly():
    q = confirm.question(ConfirmationRequest("add_event", {"title": "Lunch with Amy", "day": "Tuesday",
                                                           "note": "x " * 200, "where": ""}, ""))
    assert q.startswith("Shall I add event: title Lunch with Amy, day Tuesday, note x x")
    assert "where" not in q and len(q) < 160 and q.endswith("Yes or no?")


def _said(agent) -> str:
    """The agent's events, for a failure's message: was the answer a turn of its own?"""
    return "\n".join(f"{e.type.value} {e.at_ms:.0f} {e.data.get('text') or e.data.get('code') or ''}"
                     for e in agent.events) + f"\nturns {agent.turns}"
