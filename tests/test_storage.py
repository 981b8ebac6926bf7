import apsw
import pytest

from os1.errors import StorageFullError
from os1.storage.base import Block
from os1.storage.migrations import MIGRATIONS
from os1.storage.sqlite import SqliteStore


async def test_wal_and_migrations_recorded_once(settings):
    store = await SqliteStore.open(settings.db_path)
    await store.close()
    store = await SqliteStore.open(settings.db_path)  # reopening applies nothing twice
    rows = await store.query("SELECT name FROM _migrations")
    mode = await store.query("PRAGMA journal_mode")
    await store.close()
    assert [r[0] for r in rows] == [name for name, _ in MIGRATIONS]
    assert mode[0][0] == "wal"


async def test_users_never_see_each_other(store):
    a = await store.start_session("alice")
    b = await store.start_session("bob")
    await store.add_message("alice", a, "user", "alice's secret")
    await store.add_message("bob", b, "user", "bob's note")
    await store.set_block("alice", Block("human", "Alice likes tea", 100))
    await store.set_profile("alice", {"companion_name": "Iris"})
    assert [m.content for m in await store.messages("bob")] == ["bob's note"]
    assert await store.blocks("bob") == []
    assert await store.profile("bob") == {}
    export = await store.export_user("bob")
    assert "alice" not in str(export)
    # a user cannot update another user's message either
    alice_msg = (await store.messages("alice"))[0]
    await store.update_message("bob", alice_msg.id, "hacked", "complete")
    assert (await store.messages("alice"))[0].content == "alice's secret"


async def test_reply_left_streaming_by_a_crash_is_marked_interrupted(settings):
    store = await SqliteStore.open(settings.db_path)
    sid = await store.start_session("u")
    mid = await store.add_message("u", sid, "assistant", "half a rep", status="streaming")
    await store.close()  # the process "dies" here
    store = await SqliteStore.open(settings.db_path)
    msg = (await store.messages("u"))[0]
    await store.close()
    assert (msg.id, msg.content, msg.status) == (mid, "half a rep", "interrupted")


async def test_disk_full_is_a_clear_error_and_keeps_committed_data(store):
    sid = await store.start_session("u")
    await store.add_message("u", sid, "user", "kept")
    pages = (await store.query("PRAGMA page_count"))[0][0]
    await store.read(lambda conn: list(conn.execute(f"PRAGMA max_page_count={pages}")))
    with pytest.raises(StorageFullError) as err:
        await store.add_message("u", sid, "user", "x" * 200_000)
    assert "disk is full" in err.value.message and "Free some space" in err.value.fix
    assert [m.content for m in await store.messages("u")] == ["kept"]
    assert apsw  # the error came through apsw's FullError


async def test_roles_are_checked_by_the_database(store):
    sid = await store.start_session("u")
    with pytest.raises(apsw.ConstraintError):
        await store.add_message("u", sid, "system", "not a stored role")
