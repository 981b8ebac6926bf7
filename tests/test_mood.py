"""The companion's inner life: a mood moved by the conversation, faded by time, set by the diary,
shown to the model beside the newest message (never in the cached system prefix), answered
from when the user asks how it is, and shown by `os1 diary`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from os1.core import mood
from os1.core.conversation import Companion
from os1.events import EventType
from os1.memory import blocks
from os1.memory.index import MemoryIndex
from os1.memory.learning import Learner
from os1.memory.reflection import MOOD, Reflector
from os1.models.embedder import MiniLMEmbedder
from os1.plugins import tools as registered_tools
from tests.cli_helpers import os1, out, prepare_user
from tests.fakes import ScriptedLLM

ZONE = ZoneInfo("Europe/Berlin")
NOON = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)  # 12:00 in Berlin


def test_the_mood_fades_to_the_hours_own() -> None:
    fresh = {MOOD: {"feeling": "glad", "why": 'Sam said "I got the job"', "at": NOON.isoformat()}}
    assert mood.current(fresh, NOON + timedelta(hours=2), ZONE) == ("glad", 'Sam said "I got the job"')
    assert mood.current(fresh, NOON + timedelta(hours=7), ZONE) == ("relaxed", "")  # 19:00, faded
    assert mood.current({}, NOON, ZONE) == ("steady and curious", "")
    assert mood.current({}, NOON + timedelta(hours=13), ZONE)[0] == "quiet and a little sleepy"  # 01:00


async def test_the_users_words_move_it(store) -> None:
    await store.set_profile("tester", {"preferred_name": "Sam"})
    assert await mood.feel(store, "tester", "I got the job!!", NOON) == "glad"
    assert (await store.profile("tester"))[MOOD]["why"] == 'Sam said "I got the job!!"'
    assert await mood.feel(store, "tester", "What's the capital of Peru?", NOON) is None  # left as it was
    assert (await store.profile("tester"))[MOOD]["feeling"] == "glad"
    assert await mood.feel(store, "tester", "I'm feeling lonely since the divorce", NOON) == "sympathetic"


async def test_asked_how_it_is_it_answers_from_its_diary_and_growth(settings, store) -> None:
    await store.set_profile("tester", {"companion_name": "Ari", "preferred_name": "Sam"})
    await blocks.set_value(store, "tester", "persona", "My name is Ari.\n\nLately: I am learning patience.")
    index = MemoryIndex(store, MiniLMEmbedder())
    await index.add("tester", "Sam is planning a trip to Lisbon.", speaker="user")
    await index.add("tester", "Sam loves octopuses.", speaker="user")
    llm = ScriptedLLM(
        {"insight": "Sam loves the sea.", "diary": "Sam told me about Lisbon today. I keep imagining the tiles.",
         "lately": "I am learning patience.", "mood": "wistful and warm"},
        "Honestly? A bit wistful. I keep thinking about your Lisbon trip.", "Sure.",
    )
    reflector = Reflector(index, Learner(index, llm, ZONE, delay=0), llm, ZONE)
    assert await reflector.maybe("tester", force=True) is not None
    assert (await store.profile("tester"))[MOOD]["feeling"] == "wistful and warm"  # kept with the diary
    s = await Companion(settings, llm, store, registered_tools()).session()
    [e async for e in s.turn("How are you?")]
    told = llm.prompts[-1][-1]["content"]
    assert told.startswith("(My mood right now: wistful and warm — after writing my diary.)")
    assert "On my mind lately: Sam told me about Lisbon today. I am learning patience.)" in told
    assert "Sam asks about me. I have moods and days of my own" in told
    assert "Lisbon" not in llm.prompts[-1][0]["content"].split("Lately:")[0]  # not in the system prefix
    [e async for e in s.turn("Can you say ok?")]
    assert "asks about me" not in llm.prompts[-1][-1]["content"]  # only when asked


async def test_the_system_prefix_never_carries_the_mood(settings, store) -> None:
    llm = ScriptedLLM("Congratulations!", "Good.")
    s = await Companion(settings, llm, store, registered_tools()).session()
    events = [e async for e in s.turn("I got the job!")]
    assert any(e.type == EventType.TEXT for e in events)
    [e async for e in s.turn("thanks")]
    first, second = llm.prompts
    assert first[0] == second[0]  # the system message did not change with the mood
    assert "glad" in first[-1]["content"] and "glad" not in first[0]["content"]


def test_os1_diary_shows_the_mood(settings) -> None:
    import asyncio

    from os1.storage.sqlite import SqliteStore

    prepare_user(settings.db_path)

    async def moved() -> None:
        db = await SqliteStore.open(settings.db_path)
        await db.set_profile("tester", {MOOD: {"feeling": "glad", "why": 'Sam said "hi"',
                                               "at": datetime.now(UTC).isoformat()}})
        await db.close()

    asyncio.run(moved())
    r = os1("diary")
    assert r.returncode == 0 and "Mood now: glad" in out(r) and "Sam said" in out(r)


@pytest.mark.model
async def test_the_small_model_answers_how_it_is_as_itself(companion, store) -> None:
    await store.set_profile("tester", {"companion_name": "Ari", "preferred_name": "Sam"})
    await blocks.set_value(store, "tester", "persona", "My name is Ari. I am warm and curious.\n\n"
                           "Lately: I am learning to enjoy quiet mornings with Sam.")
    await store.set_profile("tester", {MOOD: {"feeling": "cheerful", "why": 'Sam said "I passed my exam"',
                                              "at": datetime.now(UTC).isoformat()}})
    s = await companion.session()
    events = [e async for e in s.turn("How are you today?")]
    reply = "".join(e.data.get("text", "") for e in events if e.type == EventType.TEXT)
    assert reply.strip() and "as an ai" not in reply.lower() and "language model" not in reply.lower()
