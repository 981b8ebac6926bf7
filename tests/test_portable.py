"""Export -> import -> export round-trips exactly; bad files change nothing."""

import json

import pytest

from os1.errors import InputError
from os1.memory import blocks
from os1.memory.index import MemoryIndex
from os1.models.embedder import MiniLMEmbedder
from os1.storage import portable
from os1.storage.sqlite import SqliteStore


async def seed(store, user="tester"):
    sid = await store.start_session(user)
    m1 = await store.add_message(user, sid, "user", "My sister Ingrid lives in Oslo. Ünïcödé ✓")
    m2 = await store.add_message(user, sid, "assistant", "", meta={"tool_calls": [{"id": "c1"}]})
    await store.add_message(user, sid, "tool", "Saved.", meta={"tool_call_id": "c1"})
    await store.add_message(user, sid, "assistant", "Half a repl", status="interrupted")
    await blocks.set_value(store, user, "human", "Sister: Ingrid (Oslo)")
    await store.set_profile(user, {"companion_name": "Iris", "interview": {"mother": "close"}})
    index = MemoryIndex(store, MiniLMEmbedder())
    old = await index.add(user, "I live in Portland.", kind="fact", sources=[{"message": m1}])
    new = await index.add(user, "I live in LA.", kind="fact", sources=[{"message": m2}, "D1:3"])
    await store.execute(
        "UPDATE memories SET superseded_by=?, valid_to=? WHERE id=?", (new, "2026-05-01T00:00:00+00:00", old))
    await index.add(user, "Dear diary: they moved.", kind="insight", speaker="diary",
                    sources=[{"memory": old}, {"memory": new}])
    await index.embed_pending()


def same(a, b):
    a, b = dict(a), dict(b)
    a.pop("exported_at"), b.pop("exported_at")
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


async def test_round_trip_into_another_database_is_exact(store, tmp_path):
    await seed(store)
    await seed(store, "someone-else")
    first = await store.export_user("tester")
    assert "someone-else" not in json.dumps(first)
    other = await SqliteStore.open(tmp_path / "other.db")
    await other.start_session("x")  # different ids in the new database
    counts = await other.import_user("tester", portable.parse(json.dumps(first)))
    again = await other.export_user("tester")
    index = MemoryIndex(other, MiniLMEmbedder())
    assert await index.embed_pending() == 3  # vectors are rebuilt
    found = await index.search("tester", "where does my sister live", k=1)
    await other.close()
    assert counts == {"messages": 4, "memories": 3, "blocks": 1}
    assert first["memories"][2]["sources"] == [{"memory": 0}, {"memory": 1}]
    assert same(first, again)
    assert first["memories"][0]["superseded_by"] == 1 and first["memories"][1]["sources"] == [{"message": 1}, "D1:3"]
    assert found


async def test_import_refuses_to_mix_and_can_replace(store):
    await seed(store)
    doc = portable.parse(json.dumps(await store.export_user("tester")))
    with pytest.raises(InputError, match="--replace"):
        await store.import_user("tester", doc)
    await store.import_user("tester", doc, replace=True)
    assert same(doc, await store.export_user("tester"))


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"format": "os1-export", "version": 1, "profile": {', "truncated"),
        ('{"format": "something"}', "not an OS1 export"),
        ('{"format": "os1-export", "version": 99}', "newer OS1"),
        ('{"format": "os1-export", "version": 1, "profile": {}}', "'blocks'"),
    ],
)
def test_bad_files_are_clear_errors(text, message):
    with pytest.raises(InputError, match=message):
        portable.parse(text)


async def test_a_damaged_document_changes_nothing(store):
    await seed(store)
    before = await store.export_user("tester")
    doc = json.loads(json.dumps(before))
    doc["messages"][2]["session"] = 7  # points at a session that does not exist
    with pytest.raises(InputError, match="nothing was imported"):
        await store.import_user("tester", portable.parse(json.dumps(doc)), replace=True)
    assert same(before, await store.export_user("tester"))
