"""The text chat through os1.core.presence, in-process with a scripted model: the interview on
the first run, "not now" answered without the model, a turn, and a reminder shown between turns."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

from os1.core.conversation import Companion
from os1.core.preferences import set_prefs
from os1.core.schedule import ReminderSchedule
from os1.interfaces.cli import chat
from os1.language.consent import new_message
from os1.models.base import ToolCall
from os1.plugins import tools as registered_tools
from tests.fakes import ScriptedLLM

IDENTITY = {"name": "Juno", "personality": "I am curious.", "why_this_name": "It felt bright."}
ANSWERS = ["Call me Sam", "Private", "Warm", "Female please", "Planning my days"]
QUIET = [{}] * 5  # the model's reactions to the five answers: none usable, the questions go on


class BySchema(ScriptedLLM):
    """Answers each JSON request by the first of its schema's properties it has an answer for,
    whatever the order (the warm-up runs beside the first lines)."""

    def __init__(self, answers: dict[str, dict[str, object]]) -> None:
        super().__init__()
        self.answers = answers

    async def complete_json(self, messages, schema, **_):  # type: ignore[no-untyped-def]
        keys = list(schema["properties"])
        return next((self.answers[k] for k in reversed(keys) if k in self.answers), {})


def scripted_chat(monkeypatch, settings, store, llm: ScriptedLLM, lines: Iterator[str | None], pause: float = 0.0):
    async def open_companion(_settings):  # type: ignore[no-untyped-def]
        return Companion(settings, llm, store, registered_tools())

    async def close_companion(_companion):  # type: ignore[no-untyped-def]
        return None

    class Reader:
        interactive = False

        def __init__(self, _loop) -> None:  # type: ignore[no-untyped-def]
            pass

        async def read(self, _prompt: str) -> str | None:
            line = next(lines)
            if line == "…":  # the user is idle for a moment
                await asyncio.sleep(pause)
                line = next(lines)
            return line

        def interrupt(self) -> None:
            return None

    monkeypatch.setattr(chat, "open_companion", open_companion)
    monkeypatch.setattr(chat, "close_companion", close_companion)
    monkeypatch.setattr(chat, "LineReader", Reader)
    return chat.Chat(settings)


async def test_first_run_interview_then_not_now_then_a_turn(monkeypatch, settings, store, capsys) -> None:
    # no usable reactions to the five answers, the identity, no usable voice card (two tries); the warm-up
    # reads the prompt too
    llm = ScriptedLLM(*QUIET, IDENTITY, {}, {}, "Hello Sam.", "Hello Sam.")
    lines = iter([*ANSWERS, "not now", "hi there", None])
    assert await scripted_chat(monkeypatch, settings, store, llm, lines).main() == 0
    shown = capsys.readouterr().out
    assert "I'd like to be called Juno." in shown and "keep quiet until" in shown and "Hello Sam." in shown
    assert (await store.profile("tester"))["companion_name"] == "Juno"
    said = [m.content for m in await store.messages("tester") if m.role == "user"]
    assert said[-1] == "hi there" and "not now" not in said  # "not now" is not a turn


async def test_a_due_reminder_is_shown_between_turns_and_kept(monkeypatch, settings, store, capsys) -> None:
    await store.set_profile("tester", {"companion_name": "Ari"})
    await set_prefs(store, "tester", {"quiet_start": "", "quiet_end": ""})
    await ReminderSchedule(store).add("tester", "reminder", "Reminder: stretch", datetime.now(UTC))
    lines = iter(["…", None])
    assert await scripted_chat(monkeypatch, settings, store, ScriptedLLM(), lines, pause=1.5).main() == 0
    assert "Ari: Reminder: stretch" in capsys.readouterr().out
    [shown] = [m for m in await store.messages("tester") if m.role == "assistant"]
    assert shown.content == "Reminder: stretch" and shown.meta == {"proactive": "reminder"}


async def test_words_at_the_consent_question_are_a_no_and_the_next_message(monkeypatch, settings, store, capsys) -> None:
    await store.set_profile("tester", {"companion_name": "Ari"})
    save = ToolCall("a", "save_note", {"title": "Milk", "text": "buy milk"})
    llm = ScriptedLLM("", save, "All right, I left it.", "It is just past noon.")
    lines = iter(["Save a note titled Milk: buy milk", "actually, what time is it?", None])
    assert await scripted_chat(monkeypatch, settings, store, llm, lines).main() == 0
    shown = capsys.readouterr().out
    assert "Not done." in shown and "It is just past noon." in shown
    assert not (settings.data_dir / "notes").exists()  # nothing was saved
    said = [m.content for m in await store.messages("tester") if m.role == "user"]
    assert said == ["Save a note titled Milk: buy milk", "actually, what time is it?"]
    [refused] = [m.content for m in await store.messages("tester") if m.role == "tool"]
    assert "did not confirm" in refused


def test_what_counts_as_moving_on_at_a_consent_question() -> None:
    assert new_message("actually, what time is it?") and new_message("what about Friday?")
    assert not new_message("y") and not new_message("n") and not new_message("nope")
    assert not new_message("no, leave it for now") and not new_message("")


async def test_asked_in_the_chat_it_changes_one_part_or_chooses_again(monkeypatch, settings, store, capsys) -> None:
    from os1.core.identity import Identity, save_identity

    await store.set_profile("tester", {"preferred_name": "Sam", "interview": dict(zip(
        ["preferred_name", "social", "mother", "voice", "help_with"], ANSWERS, strict=True))})
    await save_identity(store, "tester", Identity("Clara", "I am calm and kind.", "It sounds clear.", True, "female"))
    playful = {"personality": "I am playful and kind.", "how_i_talk": "I talk with jokes and warmth."}
    llm = BySchema({"name": IDENTITY, "examples": {}, "how_i_talk": playful})
    lines = iter(["be more playful", "choose again", None])
    assert await scripted_chat(monkeypatch, settings, store, llm, lines).main() == 0
    shown = capsys.readouterr().out
    assert "Clara: All right. I am playful and kind." in shown
    assert "Juno: All right, I chose again. I'd like to be called Juno." in shown
    profile = await store.profile("tester")
    assert profile["companion_name"] == "Juno" and profile["identity"]["voice"] == "female"
    assert [m.content for m in await store.messages("tester") if m.role == "user"] == ["be more playful", "choose again"]


async def test_a_long_tool_shows_its_steps_in_the_terminal_before_the_reply(monkeypatch, settings, store, capsys) -> None:
    from datetime import date

    from os1.skills.letters.repository import LetterRepository

    await store.set_profile("tester", {"companion_name": "Ari"})
    await LetterRepository(store).add("tester", "Amy", date.today(), "", "Dear Amy,\n\nThe bus stop in the rain.\n\nTheo")
    book = ToolCall("a", "make_letter_book", {"years": "this year", "title": "My Letters"})
    proposal = {"title": "x", "leave_out": [], "chapter_titles": [], "introduction": "I wrote to Amy."}
    llm = ScriptedLLM("", book, proposal, "Your book is made.")
    lines = iter(["Put my letters from this year into a book", "y", None])
    assert await scripted_chat(monkeypatch, settings, store, llm, lines).main() == 0
    shown = capsys.readouterr().out
    steps = ["· using make_letter_book", f"Choosing the letters of {date.today().year}…",
             "Setting 1 letter in 1 chapter…", "Writing the PDF (", "Writing the EPUB…",
             "Making page previews…", "Ari: Your book is made."]
    at = [shown.find(step) for step in steps]
    assert -1 not in at and at == sorted(at), shown
