"""The chat page's WebSocket with a scripted model: the interview on the core's own service,
streamed turns, consent answered yes and no, and a reminder that falls due while it is open."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import websockets
from conftest import account

from os1.core.preferences import set_prefs
from os1.core.schedule import ReminderSchedule
from os1.core.scheduler import poke_all
from os1.interfaces.web.security import COOKIE
from os1.interfaces.web.server import WebState
from os1.models.base import ToolCall


async def connect(served: dict[str, Any], cookie: str) -> Any:
    return await websockets.connect(
        served["base"].replace("http", "ws") + "/ws", origin=served["base"],
        additional_headers={"Cookie": f"{COOKIE}={cookie}"},
    )


async def until(ws: Any, kind: str, seen: list[dict[str, Any]] | None = None, timeout: float = 20) -> dict[str, Any]:
    """The next message of `kind`; everything before it is appended to `seen`."""
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await ws.recv())
            if seen is not None:
                seen.append(message)
            if message["type"] == kind:
                return message


async def named(served: dict[str, Any], user: str, name: str = "Samantha") -> None:
    await served["store"].set_profile(user, {"companion_name": name})


async def test_interview_in_the_page_uses_the_core_interview(served):
    reactions = [{}] * 5  # the model's reactions to the answers: none usable, the questions go on
    served["llm"].steps[:] = [*reactions, {"name": "Juniper", "personality": "I am calm and curious.",
                                           "why_this_name": "It sounds like a quiet morning to me."}]
    alice = await account(served, "alice")
    ws = await connect(served, alice.cookie)
    answers = ["Call me Theo", "Private", "Good", "Female", "My mail"]
    for answer in answers:
        question = await until(ws, "ask")
        assert question["text"].endswith("?")
        await ws.send(json.dumps({"type": "say", "text": answer}))
    said = await until(ws, "said")
    assert "Juniper" in said["text"]
    ready = await until(ws, "ready")
    assert ready["name"] == "Juniper"
    profile = await served["store"].profile("alice")
    assert profile["companion_name"] == "Juniper" and profile["preferred_name"] == "Theo"
    await ws.close()
    page = await alice.get("/")
    assert "Call me Theo" in page.text and "Juniper" in page.text  # the history, server-rendered
    await alice.aclose()


async def test_a_turn_streams_and_is_kept(served):
    served["llm"].steps[:] = ["(warm)", "Hello Theo, it is good to hear from you."]
    served["llm"].delay = 0.01
    alice = await account(served, "alice")
    await named(served, "alice")
    ws = await connect(served, alice.cookie)
    await until(ws, "ready")
    await ws.send(json.dumps({"type": "say", "text": "Hi there"}))
    seen: list[dict[str, Any]] = []
    end = await until(ws, "turn-end", seen)
    pieces = [m["text"] for m in seen if m["type"] == "text"]
    assert len(pieces) > 3 and "".join(pieces) == "Hello Theo, it is good to hear from you."
    assert end["status"] == "complete" and seen[0]["type"] == "turn-start"
    stored = [(m.role, m.content) for m in await served["store"].messages("alice")]
    assert stored[-2:] == [("user", "Hi there"), ("assistant", "Hello Theo, it is good to hear from you.")]
    await ws.close()
    await alice.aclose()


async def test_consent_yes_and_no_do_what_they_say(served):
    notes = served["settings"].data_dir / "notes" / "alice"
    call = ToolCall("c1", "save_note", {"title": "Groceries", "text": "milk and eggs"})
    served["llm"].steps[:] = ["(warm)", call, "I did not save it.", call, "Saved."]
    alice = await account(served, "alice")
    await named(served, "alice")
    ws = await connect(served, alice.cookie)
    await until(ws, "ready")
    ask = "Please save a note titled Groceries with the text: milk and eggs."
    for approved in (False, True):
        await ws.send(json.dumps({"type": "say", "text": ask}))
        seen: list[dict[str, Any]] = []
        question = await until(ws, "confirm", seen)
        assert any(m["type"] == "tool" and m["tool"] == "save_note" for m in seen)
        assert "Groceries" in question["summary"] and "milk and eggs" in question["summary"]
        assert not notes.exists() or not list(notes.glob("*.md")), "nothing before the answer"
        await ws.send(json.dumps({"type": "confirm", "id": question["id"], "approved": approved}))
        decided = await until(ws, "confirmed")
        assert decided["approved"] is approved
        await until(ws, "turn-end")
        written = list(notes.glob("*.md")) if notes.exists() else []
        assert len(written) == (1 if approved else 0)
    assert "milk and eggs" in written[0].read_text()
    await ws.close()
    await alice.aclose()


async def test_a_reminder_due_while_the_page_is_open_appears(served):
    alice = await account(served, "alice")
    await named(served, "alice")
    await set_prefs(served["store"], "alice", {"quiet_start": "", "quiet_end": ""})  # any hour of the run
    ws = await connect(served, alice.cookie)
    await until(ws, "ready")
    now = datetime.now(UTC)
    await ReminderSchedule(served["store"]).add("alice", "reminder", "Reminder: stretch your legs",
                                                now + timedelta(seconds=1), now=now)
    poke_all()
    shown = await until(ws, "proactive", timeout=15)
    assert shown["text"] == "Reminder: stretch your legs"
    await asyncio.sleep(0.2)
    stored = await served["store"].messages("alice")
    assert stored[-1].content == "Reminder: stretch your legs"  # kept in the conversation
    await ws.close()
    await alice.aclose()


async def test_a_closed_page_says_no_to_a_pending_question(served):
    call = ToolCall("c1", "save_note", {"title": "Secret", "text": "never written"})
    served["llm"].steps[:] = ["(warm)", call, "Nothing saved."]
    alice = await account(served, "alice")
    await named(served, "alice")
    ws = await connect(served, alice.cookie)
    await until(ws, "ready")
    await ws.send(json.dumps({"type": "say", "text": "Save a note titled Secret: never written"}))
    await until(ws, "confirm")
    await ws.close()
    state: WebState = served["app"].state.web
    async with asyncio.timeout(10):
        async with state.turn("alice"):  # the turn ended
            pass
    assert not (served["settings"].data_dir / "notes" / "alice").exists()
    await alice.aclose()


async def test_stop_ends_a_reply_and_keeps_it_as_interrupted(served):
    served["llm"].steps[:] = ["(warm)", " ".join(["word"] * 200)]
    served["llm"].delay = 0.02
    alice = await account(served, "alice")
    await named(served, "alice")
    ws = await connect(served, alice.cookie)
    await until(ws, "ready")
    await ws.send(json.dumps({"type": "say", "text": "Tell me a long story"}))
    await until(ws, "text")
    await ws.send(json.dumps({"type": "stop"}))
    end = await until(ws, "turn-end")
    assert end["status"] == "interrupted"
    reply = (await served["store"].messages("alice"))[-1]
    assert reply.role == "assistant" and reply.status == "interrupted"
    assert 0 < len(reply.content.split()) < 200
    await ws.close()
    await alice.aclose()


async def test_a_long_tool_shows_its_steps_while_it_runs(served):
    from datetime import date

    from os1.skills.letters.repository import LetterRepository

    alice = await account(served, "alice")
    await named(served, "alice")
    letter = "Dear Amy,\n\nWe met at the bus stop in the rain, and I still remember it.\n\nLove,\nTheo"
    await LetterRepository(served["store"]).add("alice", "Amy", date.today(), "", letter)
    call = ToolCall("b1", "make_letter_book", {"years": "this year", "title": "My Letters"})
    proposal = {"title": "x", "leave_out": [], "chapter_titles": [], "introduction": "I wrote to Amy."}
    served["llm"].steps[:] = ["(warm)", call, proposal, "Your book is made."]
    ws = await connect(served, alice.cookie)
    await until(ws, "ready")
    await ws.send(json.dumps({"type": "say", "text": "Put my letters from this year into a book"}))
    question = await until(ws, "confirm")
    await ws.send(json.dumps({"type": "confirm", "id": question["id"], "approved": True}))
    seen: list[dict[str, Any]] = []
    await until(ws, "turn-end", seen, timeout=60)
    steps = [m["step"] for m in seen if m["type"] == "tool-step"]
    assert steps and all(m["tool"] == "make_letter_book" for m in seen if m["type"] == "tool-step")
    assert any(s.startswith("Writing the PDF (") for s in steps) and "Making page previews…" in steps
    kinds = [m["type"] for m in seen]
    assert kinds.index("tool-step") < kinds.index("text")  # shown before the words about the book
    await ws.close()
    await alice.aclose()
