"""The memories a letter touches: the remembered facts about the people it names, shown with the
letter and given to the model when a letter is written."""

from datetime import UTC, date, datetime

from os1.core.conversation import Companion
from os1.models.base import ToolCall
from os1.plugins import tools as registered_tools
from os1.skills.letters.links import names_in, touched_memories
from os1.skills.letters.repository import LetterRepository
from os1.storage.memories import NewMemory
from tests.cli_helpers import os1, out
from tests.fakes import ScriptedLLM

LETTER = "Dear Loretta,\n\nSince the summer Chris and I think of Lisbon often.\n\nLove,\nTheo"


async def _fact(store, user: str, text: str) -> int:
    return await store.memories.add(user, NewMemory(text, datetime.now(UTC), "fact"))


def test_the_names_a_letter_mentions():
    assert names_in(LETTER, "Loretta") == ["Loretta", "Chris", "Lisbon", "Theo"]  # not Dear, Since, Love


async def test_a_letter_lists_the_facts_about_whom_it_names_and_the_cli_shows_them(store):
    met = await _fact(store, "tester", "Chris and Loretta met at a bus stop in 1974.")
    await _fact(store, "tester", "Paul plays the trumpet.")
    await _fact(store, "someone else", "Loretta is my aunt.")
    lid = await LetterRepository(store).add("tester", "Loretta", date(2026, 3, 1), "", LETTER)
    letter = await LetterRepository(store).get("tester", lid)
    assert [m.id for m in await touched_memories(store, "tester", letter)] == [met]
    r = os1("letters", "show", str(lid))
    assert r.returncode == 0, out(r)
    assert "What I remember of what it touches:\n- Chris and Loretta met at a bus stop in 1974." in out(r)
    assert "trumpet" not in out(r) and "aunt" not in out(r)


async def test_writing_a_letter_uses_what_is_remembered_of_the_people(settings, store):
    await _fact(store, "tester", "Loretta's garden in Sintra is full of roses.")
    draft = "Dear Loretta,\n\nI think of your garden in Sintra and its roses.\n\nChris"
    llm = ScriptedLLM(ToolCall("a", "write_letter", {"recipient": "Loretta", "notes": "thanks for the visit",
                                                     "for_whom": "Chris"}), draft, "Here it is.")
    session = await Companion(settings, llm, store, registered_tools()).session()
    [e async for e in session.turn("Write a letter for Chris to Loretta to thank her for the visit")]
    assert "Loretta's garden in Sintra is full of roses." in llm.prompts[1][0]["content"]
    result = [m.content for m in await store.messages("tester") if m.role == "tool"][0]
    assert "Using 1 remembered fact(s)" in result and "garden in Sintra" in result and "[Sintra?]" not in result
