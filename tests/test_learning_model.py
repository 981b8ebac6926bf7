"""Long-term memory with the real embedded model (0.5B): facts learned in the background after a
conversation turn, with provenance and dates; a contradicting fact supersedes the old one and
keeps its history; forgetting reaches every index; reflection writes a diary grounded in turns."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from os1.core.conversation import Companion
from os1.memory.index import MemoryIndex
from os1.memory.learning import Learner
from os1.memory.recall import Remembering
from os1.memory.reflection import Reflector, read_diary
from os1.models.embedder import MiniLMEmbedder

pytestmark = pytest.mark.model
ZONE = ZoneInfo("UTC")


async def test_facts_supersession_forgetting_and_diary_with_the_real_model(settings, store, real_llm):
    await store.set_profile("tester", {"preferred_name": "Sam", "companion_name": "Iris"})
    index = MemoryIndex(store, MiniLMEmbedder())
    learner = Learner(index, real_llm, ZONE, delay=0)
    companion = Companion(settings, real_llm, store, {}, Remembering(index, learner))
    session = await companion.session()

    # A conversation turn; learning starts by itself once the reply is stored.
    [e async for e in session.turn("I live in Portland with my cat Miso.")]
    await learner.wait()
    portland = [m for m in await index.facts("tester") if "Portland" in m.content]
    assert portland, await index.facts("tester")
    said = {m.content: m.id for m in await store.messages("tester") if m.role == "user"}
    assert portland[0].sources == [{"message": said["I live in Portland with my cat Miso."]}]

    # Months later (as the model reads it): a move. The old home is superseded, not erased.
    [e async for e in session.turn("Big news: I moved to LA last May.")]
    await learner.wait()
    current = await index.facts("tester")
    la = [m for m in current if "LA" in m.content or "Los Angeles" in m.content]
    assert la and la[0].sources == [{"message": said["I live in Portland with my cat Miso."] + 2}]
    assert la[0].happened_at.astimezone(ZONE).month == 5  # "last May", resolved in code
    old = (await index.get("tester", [portland[0].id]))[portland[0].id]
    assert old.valid_to is not None and old.superseded_by == la[0].id, (current, await index.get("tester", [old.superseded_by or 0]))
    assert all("Portland" not in m.content for m in current)  # no longer among current facts

    # Reflection: a diary entry written from these turns, naming something from them.
    made = await Reflector(index, learner, real_llm, ZONE).maybe("tester", force=True)
    assert made is not None
    (when, text, sources), = await read_diary(store, "tester")
    grounded = await index.get("tester", [s["memory"] for s in sources])
    assert any("Portland" in m.content for m in grounded.values())
    assert re.search(r"\b(portland|miso|cat|la|los angeles|mov\w*)\b", text, re.I), text
    assert (datetime.now(ZONE) - when).total_seconds() < 3600

    # "Forget everything about Portland": gone from rows, BM25 and vectors; the log is blanked.
    gone = await index.forget_about("tester", "Portland")
    assert gone.memories >= 2 and gone.messages >= 1  # its reply may have mentioned it too
    rows = await store.query("SELECT id FROM memories WHERE content LIKE '%Portland%'")
    assert rows == []
    assert await store.query("SELECT rowid FROM memories_fts WHERE memories_fts MATCH 'portland'") == []
    vec_ids = {r[0] for r in await store.query("SELECT rowid FROM memories_vec")}
    mem_ids = {r[0] for r in await store.query("SELECT id FROM memories WHERE embedded=1")}
    assert vec_ids == mem_ids
    assert all("Portland" not in m.content for m in await store.messages("tester"))
