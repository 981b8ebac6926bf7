"""Facts, supersession, crash safety and reflection, with a model that answers by rule (the
real model is exercised in test_learning_model.py). Storage, FTS, vectors and the embedder are real."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from os1.errors import ModelBusyError, ModelProtocolError, ModelUnavailableError
from os1.language.dates import said_date as resolve
from os1.memory import blocks
from os1.memory.facts import parse_lines
from os1.memory.index import MemoryIndex
from os1.memory.learning import Learner
from os1.memory.recall import Remembering, render
from os1.memory.reflection import Reflector, read_diary
from os1.models.base import ChatChunk
from os1.models.embedder import MiniLMEmbedder

ZONE = ZoneInfo("Europe/Berlin")
SAID = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


class RuleLLM:
    """Answers extraction prompts by looking up the message; yes/no questions with `judge`."""

    def __init__(self, notes: dict[str, Any], judge: Callable[[str], str] = lambda q: "no",
                 reflection: Any = None) -> None:
        self.notes = notes
        self.judge = judge
        self.reflection = reflection
        self.calls: list[str] = []

    async def stream_chat(self, messages, *, tools=None, allowed=None, temperature=None,
                          max_tokens=None, background=False) -> AsyncIterator[ChatChunk]:
        assert background, "memory work must run in the background"
        last = messages[-1]["content"]
        if last.startswith("OLD:"):
            self.calls.append("judge")
            yield ChatChunk(text=self.judge(last))
            return
        said = last.split(")\n")[-1]
        self.calls.append(said)
        answer = self.notes.get(said, "none")
        if isinstance(answer, Exception):
            raise answer
        yield ChatChunk(text=answer)

    async def complete_json(self, messages, schema, **kw) -> dict[str, Any]:
        assert kw.get("background"), "reflection must run in the background"
        if isinstance(self.reflection, Exception):
            raise self.reflection
        self.calls.append("reflect")
        if callable(self.reflection):  # something happens while the model writes
            return await self.reflection()
        return self.reflection

    async def aclose(self) -> None:
        return None


@pytest.fixture(scope="module")
def embedder():
    return MiniLMEmbedder()


@pytest.fixture
async def index(store, embedder):
    await store.set_profile("tester", {"preferred_name": "Sam", "companion_name": "Iris"})
    return MemoryIndex(store, embedder)


async def say(store, *texts: str) -> list[int]:
    sid = await store.start_session("tester")
    ids = []
    for text in texts:
        ids.append(await store.add_message("tester", sid, "user", text))
        await store.execute("UPDATE messages SET created_at=? WHERE id=?", (SAID.isoformat(), ids[-1]))
    return ids


async def facts(store):
    return await store.query(
        "SELECT id, content, sources, happened_at, valid_to, superseded_by FROM memories"
        " WHERE user_id='tester' AND kind='fact' ORDER BY id")


def test_lines_become_clean_third_person_facts():
    out = "Here you go:\n- I live in Portland with my cat.\n- I'm a nurse\n- I study law.\n* Sam has a dog.\n- ```json\n- " + "x" * 400 + "\n- Sam has a dog."
    assert parse_lines(out, "Sam") == [
        "Sam lives in Portland with Sam's cat.", "Sam is a nurse.", "Sam studies law.", "Sam has a dog.",
    ]
    assert parse_lines("none", "Sam") == []
    assert parse_lines("{\"facts\": [1, 2", "Sam") == []  # not lines at all: nothing, no error


def test_relative_dates_resolve_against_when_they_were_said():
    said = datetime(2026, 11, 21, 14, 0, tzinfo=ZONE)
    assert resolve("in May", said).at == datetime(2026, 5, 1, tzinfo=ZONE)
    assert resolve("last May", said).label() == "May 2026"
    assert resolve("yesterday", said).at.date().isoformat() == "2026-11-20"
    assert resolve("two years ago", said).label() == "2024"
    assert resolve("February 30", said) is None  # impossible: no date rather than a guess
    assert resolve("", said) is None


async def test_facts_have_provenance_dates_and_supersede_with_history(store, index):
    m1, m2, m3 = await say(store, "I live in Portland.", "hi there", "Big news, I moved to LA in May!")
    llm = RuleLLM({
        "I live in Portland.": "- I live in Portland.",
        "Big news, I moved to LA in May!": "- Sam moved to LA in May.",
    })
    learner = Learner(index, llm, ZONE, delay=0)
    assert await learner.run("tester") == 2
    (old, old_text, old_src, _, old_to, old_by), (new, new_text, new_src, new_at, new_to, _) = await facts(store)
    assert old_text == "Sam lives in Portland." and json.loads(old_src) == [{"message": m1}]
    assert new_text == "Sam moved to LA in May 2026." and json.loads(new_src) == [{"message": m3}]
    assert datetime.fromisoformat(new_at) == datetime(2026, 5, 1, tzinfo=ZONE)
    assert old_by == new and old_to == new_at and new_to is None  # history kept, marked ended
    assert llm.calls.count("hi there") == 1
    # Nothing is read twice: a second run has nothing to do.
    assert await learner.run("tester") == 0 and len(llm.calls) == 3
    # Recall shows both, the old one as no longer true, with where it was heard.
    remembering = Remembering(index)
    found = await remembering.recall("tester", "What do you remember about me?", set())
    note = render(found, ZONE)
    assert "Sam moved to LA in May 2026" in note
    assert "Sam lives in Portland. [no longer true since 01 May 2026]" in note
    assert 'told you on 21 Nov 2026: "I live in Portland."' in note


async def test_the_model_decides_what_rules_do_not_cover(store, index):
    await say(store, "I love pizza.", "Honestly sushi is my favourite food now.")
    llm = RuleLLM(
        {"I love pizza.": "- Sam's favourite food is pizza.",
         "Honestly sushi is my favourite food now.": "- Sam's favourite food is sushi."},
        judge=lambda q: "yes" if "pizza" in q and "sushi" in q else "no",
    )
    await Learner(index, llm, ZONE, delay=0).run("tester")
    (old, *_, old_by), (new, *_) = await facts(store)
    assert old_by == new and "judge" in llm.calls


async def test_a_relatives_move_does_not_end_where_the_user_lives(store, index):
    await say(store, "I live in Oslo.", "My sister moved to Denver.")
    llm = RuleLLM({"I live in Oslo.": "- Sam lives in Oslo.",
                   "My sister moved to Denver.": "- Sam's sister moved to Denver."})
    await Learner(index, llm, ZONE, delay=0).run("tester")
    assert [r[4] for r in await facts(store)] == [None, None]


async def test_a_crash_mid_way_loses_nothing_and_repeats_nothing(store, index):
    await say(store, "I have a dog called Rex.", "I play the cello.", "I work as a nurse.")
    broken = RuleLLM({"I have a dog called Rex.": "- Sam has a dog called Rex.",
                      "I play the cello.": ModelUnavailableError("server gone")})
    learner = Learner(index, broken, ZONE, delay=0)
    with pytest.raises(ModelUnavailableError):
        await learner.run("tester")
    assert [r[1] for r in await facts(store)] == ["Sam has a dog called Rex."]
    # A new process (new learner) resumes after the last message whose facts were committed.
    fixed = RuleLLM({"I play the cello.": "- Sam plays the cello.", "I work as a nurse.": "- Sam works as a nurse."})
    assert await Learner(index, fixed, ZONE, delay=0).run("tester") == 2
    assert "I have a dog called Rex." not in fixed.calls
    assert [r[1] for r in await facts(store)] == [
        "Sam has a dog called Rex.", "Sam plays the cello.", "Sam works as a nurse."]
    assert await index.embed_pending() == 0  # facts were embedded as they were stored


async def test_a_turn_taken_back_while_it_is_read_teaches_nothing(store, index):
    """Voice takes a turn back when the user went on before its answer was heard
    (Session.retract). If learning was reading that message then, its facts are not stored."""
    (mid,) = await say(store, "I live in Oslo and I")

    class Retracting(RuleLLM):
        async def stream_chat(self, messages, **kw):
            await store.delete_messages("tester", [mid])  # taken back while the model reads it
            async for chunk in super().stream_chat(messages, **kw):
                yield chunk

    llm = Retracting({"I live in Oslo and I": "- Sam lives in Oslo."})
    learner = Learner(index, llm, ZONE, delay=0)
    assert await learner.run("tester") == 0 and llm.calls == ["I live in Oslo and I"]
    assert await facts(store) == []
    assert (await learner.progress("tester")).last_id == mid  # read: not read again


async def test_busy_model_postpones_and_bad_output_is_skipped(store, index):
    await say(store, "I grow tomatoes.")
    busy = RuleLLM({"I grow tomatoes.": ModelBusyError("talking")})
    learner = Learner(index, busy, ZONE, delay=0)
    with pytest.raises(ModelBusyError):
        await learner.run("tester")
    assert (await learner.progress("tester")).last_id == 0  # still to do
    bad = RuleLLM({"I grow tomatoes.": ModelProtocolError("not JSON")})
    learner = Learner(index, bad, ZONE, delay=0)
    assert await learner.run("tester") == 0
    progress = await learner.progress("tester")
    assert progress.last_id > 0 and progress.state["skipped"] == [progress.last_id]
    assert bad.calls.count("I grow tomatoes.") == 2  # tried twice, then skipped and noted


async def test_forget_everything_about_x_is_really_gone(store, index):
    ids = await say(store, "My ex Jamie called me.", "Jamie wants the records back.", "I like tea.")
    await Learner(index, RuleLLM({"My ex Jamie called me.": "- Sam's ex is called Jamie."}), ZONE, delay=0).run("tester")
    for mid, text in zip(ids, ["My ex Jamie called me.", "Jamie wants the records back.", "I like tea."], strict=True):
        await index.add("tester", text, speaker="user", sources=[{"message": mid}])
    await index.add("someone-else", "Jamie is my brother.", speaker="user")
    await store.save_trace("tester", ids[0], [{"type": "text", "text": "Jamie?"}])
    await index.embed_pending()
    gone = await index.forget_about("tester", "jamie")
    assert (gone.memories, gone.messages) == (3, 2)
    count = lambda sql, *a: store.query(sql, a)  # noqa: E731
    assert await count("SELECT content FROM memories WHERE user_id='tester'") == [("I like tea.",)]
    assert await count("SELECT rowid FROM memories_fts WHERE memories_fts MATCH 'jamie'") == [
        (r[0],) for r in await count("SELECT id FROM memories WHERE user_id='someone-else'")]
    assert len(await count("SELECT rowid FROM memories_vec WHERE user_id='tester'")) == 1
    assert [m.content for m in await store.messages("tester")][:2] == ["[forgotten at the user's request]"] * 2
    assert await store.traces("tester") == []
    assert await index.search("someone-else", "Jamie")  # another user's memory is untouched


async def test_reflection_writes_a_grounded_diary_and_bounded_persona(store, index):
    await blocks.set_value(store, "tester", "persona", "I am Iris: warm, curious and direct.")
    await say(store, "I finished my novel about a lighthouse keeper!", "I adopted a cat named Miso.")
    llm = RuleLLM(
        {"I finished my novel about a lighthouse keeper!": "- Sam finished a novel about a lighthouse keeper.",
         "I adopted a cat named Miso.": "- Sam adopted a cat named Miso."},
        reflection={"insight": "Sam is entering a new chapter.", "diary": "Sam finished the lighthouse novel today.",
                    "lately": "I am learning to celebrate with Sam." + " really" * 100},
    )
    learner = Learner(index, llm, ZONE, delay=0)
    for turn in await store.messages("tester"):
        await index.add("tester", turn.content, speaker="user", sources=[{"message": turn.id}])
    await learner.run("tester")
    reflector = Reflector(index, learner, llm, ZONE)
    made = await reflector.maybe("tester", force=True)
    assert made is not None
    (when, text, sources), = await read_diary(store, "tester")
    assert text == "Sam finished the lighthouse novel today."
    grounded = await index.get("tester", [s["memory"] for s in sources])
    assert any("lighthouse" in m.content for m in grounded.values())
    persona = (await blocks.load_blocks(store, "tester"))["persona"].value
    assert persona.startswith("I am Iris: warm, curious and direct.\n\nLately: I am learning to celebrate")
    assert len(persona) <= 2000
    # Nothing new since: no second entry. A second reflection rewrites only the Lately line.
    assert await reflector.maybe("tester", force=True) is None
    await say(store, "I start a new job on Monday.")
    await index.add("tester", "I start a new job on Monday.", speaker="user")
    llm.reflection = {"insight": "x", "diary": "A new job!", "lately": "Steadier."}
    await reflector.maybe("tester", force=True)
    persona = (await blocks.load_blocks(store, "tester"))["persona"].value
    assert persona == "I am Iris: warm, curious and direct.\n\nLately: Steadier."


async def test_a_failed_reflection_writes_nothing(store, index):
    await say(store, "I moved to Rome.")
    await index.add("tester", "I moved to Rome.", speaker="user")
    learner = Learner(index, RuleLLM({}, reflection=ModelProtocolError("bad JSON")), ZONE, delay=0)
    reflector = Reflector(index, learner, learner.llm, ZONE)
    with pytest.raises(ModelProtocolError):
        await reflector.maybe("tester", force=True)
    learner.llm.reflection = {"insight": "", "diary": "   ", "lately": ""}
    with pytest.raises(ModelProtocolError):
        await reflector.maybe("tester", force=True)
    # An entry that names nothing it heard (the 0.5B once wrote only the date) is asked again,
    # three times at most.
    entries = ["Today is Monday 23 November 2026.", "Sam and I talked today. It was really nice."] * 2

    async def next_entry() -> dict[str, Any]:
        return {"insight": "", "diary": entries.pop(0), "lately": ""}

    learner.llm.reflection = next_entry
    with pytest.raises(ModelProtocolError, match="named nothing"):
        await reflector.maybe("tester", force=True)
    assert await read_diary(store, "tester") == []
    assert (await learner.progress("tester", "reflect")).last_id == 0
    entries[:] = ["Today is Monday.", "Sam moved to Rome, and I am glad for him."]
    assert await reflector.maybe("tester", force=True) is not None
    assert [text for _, text, _ in await read_diary(store, "tester")] == ["Sam moved to Rome, and I am glad for him."]
    assert entries == []


async def test_a_memory_forgotten_while_reflecting_is_not_written_into_the_diary(store, index):
    await say(store, "I moved to Rome.", "My ex is called Dana.")
    for turn in await store.messages("tester"):
        await index.add("tester", turn.content, speaker="user", sources=[{"message": turn.id}])
    dana = (await index.search("tester", "Dana", k=1))[0].id
    entry = {"insight": "Sam is starting over.", "diary": "Sam moved to Rome; Dana is in the past.", "lately": ""}

    async def forgotten_meanwhile() -> dict[str, Any]:
        await index.forget("tester", [dana])  # "forget that", while the model writes
        return entry

    learner = Learner(index, RuleLLM({}, reflection=forgotten_meanwhile), ZONE, delay=0)
    reflector = Reflector(index, learner, learner.llm, ZONE)
    assert await reflector.maybe("tester", force=True) is None
    assert await read_diary(store, "tester") == []
    assert (await learner.progress("tester", "reflect")).last_id == 0
    learner.llm.reflection = {**entry, "diary": "Sam moved to Rome."}  # the next one reads what is left
    assert await reflector.maybe("tester", force=True) is not None
    (_, text, sources), = await read_diary(store, "tester")
    assert text == "Sam moved to Rome." and dana not in {s["memory"] for s in sources}


def test_a_plan_dates_forward_and_a_past_event_back():
    from os1.memory.facts import date_of

    said = datetime(2026, 11, 21, 14, 0, tzinfo=ZONE)
    assert date_of("Sam is planning a trip to Kyoto in April.", said).label() == "April 2027"
    assert date_of("Sam moved to LA in April.", said).label() == "April 2026"


async def test_a_repeated_worked_example_is_not_taken_for_a_fact(store, index):
    await say(store, "Can you tell me a joke?")
    echo = "- Sam moved to Denver last month.\n- Sam's sister Jo had a baby girl yesterday."
    await Learner(index, RuleLLM({"Can you tell me a joke?": echo}), ZONE, delay=0).run("tester")
    assert await facts(store) == []


def test_a_fact_of_a_statement_shares_its_words_and_a_short_answer_takes_the_context() -> None:
    from os1.memory.facts import grounded

    said = "Big news: I moved to LA last May."
    assert grounded("Sam moved to Los Angeles in May.", said)
    assert not grounded("Portland is a beautiful city with lots of places to visit.", said)
    assert grounded("Sam has two sisters.", "Yes, two.")  # the companion had asked about siblings


async def test_a_changed_fact_is_recalled_with_the_one_that_ended_it(store, index):
    """Asked where the user lives now, search finds the old city by its words; the move that
    ended it shares none of them and must come along, before it."""
    await say(store, "I live in Leeds, in a little flat near the station.",
              "I work as a barista at Bean There.", "We packed everything and I moved to Bristol last week!",
              "I started a new job as a junior designer at Studio Nine.")
    llm = RuleLLM({
        "I live in Leeds, in a little flat near the station.": "- Sam lives in Leeds.",
        "I work as a barista at Bean There.": "- Sam works as a barista at Bean There.",
        "We packed everything and I moved to Bristol last week!": "- Sam moved to Bristol last week.",
        "I started a new job as a junior designer at Studio Nine.":
            "- Sam started a new job as a junior designer at Studio Nine.",
    })
    assert await Learner(index, llm, ZONE, delay=0).run("tester") == 4
    rows = {text: (fid, by) for fid, text, _, _, _, by in await facts(store)}
    # the date the words meant stands in their place: read later, "last week" is wrong
    moved = "Sam moved to Bristol in the week of 14 November 2026."
    assert moved in rows
    # one job at a time, though the two facts share no word but the name
    assert rows["Sam works as a barista at Bean There."][1] == rows[
        "Sam started a new job as a junior designer at Studio Nine."][0]
    found = await Remembering(index).recall("tester", "Which city is my little flat near the station in?", set())
    texts = [m.content for m in found]
    assert "Sam lives in Leeds." in texts and moved in texts
    assert texts.index(moved) < texts.index("Sam lives in Leeds.")
    # the user's own words are quoted by the fact; the turn itself is not shown again
    assert not any(m.kind == "turn" and m.content.startswith("I live in Leeds") for m in found)
    # and the other way: a new job found by its words brings the old one along, after it
    new = (await index.get("tester", [rows["Sam started a new job as a junior designer at Studio Nine."][0]])).popitem()[1]
    texts = [m.content for m in await Remembering(index)._with_history("tester", [new])]
    assert texts == [new.content, "Sam works as a barista at Bean There."]


async def test_two_readings_at_once_store_each_fact_once(store, index):
    import asyncio

    await say(store, "I adopted a cat called Miso.")
    learner = Learner(index, RuleLLM({"I adopted a cat called Miso.": "- Sam adopted a cat called Miso."}),
                      ZONE, delay=0)
    assert sorted(await asyncio.gather(learner.run("tester"), learner.run("tester"))) == [0, 1]
    assert len(await facts(store)) == 1
