"""The book plan: OS1 proposes it (with a scripted model, whose answer is checked, or plainly
without one), it is kept, and the user's edits change it in the CLI's way and in conversation."""

from datetime import date

import pytest

from os1.core.conversation import Companion
from os1.errors import ModelUnavailableError
from os1.models.base import ToolCall
from os1.plugins import tools as registered_tools
from os1.skills.letters import book_edits
from os1.skills.letters.errors import BookError
from os1.skills.letters.plans import BookPlans
from os1.skills.letters.proposing import propose
from os1.skills.letters.repository import LetterRepository
from tests.fakes import ScriptedLLM

PEOPLE = [("Amy", date(2026, 1, 10)), ("Paul", date(2026, 2, 3)), ("Loretta", date(2026, 6, 21)),
          ("Amy", date(2026, 7, 4)), ("Chris", date(2026, 10, 2)), ("Loretta", date(2026, 11, 30))]


@pytest.fixture
async def letters(store):
    repo = LetterRepository(store)
    for who, day in PEOPLE:
        await repo.add("tester", who, day, "", f"Dear {who},\n\nThe garden was quiet after the rain.\n\nTheo")
    return await repo.select("tester")


async def test_without_a_model_every_letter_goes_in_by_season_with_a_plain_introduction(letters):
    plan = await propose(letters, "Theo")
    assert [x.id for x in plan.letters] == [x.id for x in letters]
    assert [c.title for c in plan.chapters] == ["Winter 2026", "Summer 2026", "Autumn 2026"]
    assert plan.introduction == ("These are 6 letters I wrote between January 2026 and November 2026, "
                                 "to Amy, Paul, Loretta and Chris.")
    assert await propose(letters, "Theo", llm=ScriptedLLM(ModelUnavailableError("down"))) == plan


async def test_the_models_proposal_is_taken_only_where_it_holds(letters):
    paul = letters[1].id
    llm = ScriptedLLM({"title": "Dear Loretta", "leave_out": [paul, 999],
                       "chapter_titles": ["Cold", "Warm", "Falling"],
                       "introduction": "I wrote these to Amy and Loretta from our house on Elm Street."})
    plan = await propose(letters, "Theo", llm=llm)
    assert plan.title == "Dear Loretta"
    assert paul not in [x.id for x in plan.letters] and len(plan.letters) == 5  # 999 was never shown
    assert [c.title for c in plan.chapters] == ["Cold", "Warm", "Falling"]
    assert "[Elm?] [Street?]" in plan.introduction  # no letter says so: marked, not believed
    assert f"#{paul} (2026-02-03, to Paul)" in llm.prompts[0][1]["content"]

    greedy = ScriptedLLM({"title": "", "leave_out": [x.id for x in letters[:4]], "chapter_titles": ["One"],
                          "introduction": ""})
    plan = await propose(letters, "Theo", title="Mine", llm=greedy)
    assert plan.title == "Mine" and len(plan.letters) == 6  # leaving out most is no selection
    assert plan.chapters[0].title == "Winter 2026" and plan.introduction.startswith("These are 6 letters")


async def test_the_plan_is_kept_and_edited(store, letters):
    plans = BookPlans(store)
    assert await plans.load("tester") is None
    plan = await propose(letters, "Theo", chapters="recipient")
    await plans.save("tester", plan)
    kept = await plans.load("tester")
    assert kept == plan and await plans.load("someone else") is None

    amy1, paul, lor1, amy2, chris, lor2 = (x.id for x in letters)
    edited = book_edits.retitle(kept, "Dear Loretta")
    edited = book_edits.drop(edited, paul)
    edited = book_edits.move(edited, lor2, 1)  # first in its chapter
    edited = book_edits.move(edited, chris, 2, chapter=1)  # into Amy's chapter, second
    edited = book_edits.rename_chapter(edited, 2, "For Loretta")
    edited = book_edits.set_introduction(edited, "  For the people I write to.  ")
    await plans.save("tester", edited)
    kept = await plans.load("tester")
    assert kept is not None and kept.title == "Dear Loretta" and kept.introduction == "For the people I write to."
    assert [(c.title, [x.id for x in c.letters]) for c in kept.chapters] == [
        ("To Amy", [amy1, chris, amy2]), ("For Loretta", [lor2, lor1])]
    kept = book_edits.add(kept, letters[1], new_chapter="Postscript")
    assert kept.chapters[-1].title == "Postscript" and kept.letters[-1].id == paul
    with pytest.raises(BookError, match="already in the book"):
        book_edits.add(kept, letters[1])
    with pytest.raises(BookError, match="no chapter 9"):
        book_edits.rename_chapter(kept, 9, "x")
    await LetterRepository(store).delete("tester", amy1)  # a deleted letter leaves the book
    assert amy1 not in [x.id for x in (await plans.load("tester")).letters]  # type: ignore[union-attr]


async def test_in_conversation_the_book_is_renamed_and_a_letter_left_out(settings, store, letters):
    await BookPlans(store).save("tester", await propose(letters, "Theo"))
    calls = [ToolCall("a", "change_letter_book", {"title": "Dear Loretta"}), "Done.",
             ToolCall("b", "change_letter_book", {"leave_out": "Paul"}), "Done.",
             ToolCall("c", "change_letter_book", {"leave_out": "Bob"}), "There is no letter to Bob."]
    session = await Companion(settings, ScriptedLLM(*calls), store, registered_tools()).session()
    for text in ("Call the book 'Dear Loretta'", "Leave out the letter to Paul", "Leave out the letter to Bob"):
        [e async for e in session.turn(text)]
    results = [m.content for m in await store.messages("tester") if m.role == "tool"]
    assert results[0].startswith("Done: called it 'Dear Loretta'")
    assert f"left out #{letters[1].id} to Paul" in results[1] and "No letter to Bob" in results[2]
    plan = await BookPlans(store).load("tester")
    assert plan is not None and plan.title == "Dear Loretta" and "Paul" not in {x.recipient for x in plan.letters}
