"""The conversation, traces and profile contract (os1/storage/base.py), for every backend."""

from __future__ import annotations

from os1.storage.base import Block, Store, Trace


async def said(db: Store, user: str, *lines: tuple[str, str]) -> list[int]:
    sid = await db.start_session(user)
    return [await db.add_message(user, sid, role, text) for role, text in lines]


async def test_messages_come_back_in_order_with_their_fields(db: Store) -> None:
    sid = await db.start_session("amy")
    first = await db.add_message("amy", sid, "user", "Hello ✓ Ünïcödé")
    second = await db.add_message(
        "amy", sid, "assistant", "", status="streaming", meta={"tool_calls": [{"id": "c1"}]}
    )
    await db.update_message("amy", second, "Hi Amy", "complete")
    got = await db.messages("amy")
    assert [m.id for m in got] == [first, second] and first < second
    assert (got[0].session_id, got[0].role, got[0].content, got[0].status) == (sid, "user", "Hello ✓ Ünïcödé", "complete")
    assert (got[1].content, got[1].status, got[1].meta) == ("Hi Amy", "complete", {"tool_calls": [{"id": "c1"}]})
    assert got[0].created_at <= got[1].created_at and got[0].created_at.tzinfo is not None
    assert [m.id for m in await db.messages("amy", offset=1, limit=5)] == [second]
    assert [m.id for m in await db.messages("amy", limit=1)] == [first]
    assert await db.count_messages("amy") == 2


async def test_one_users_messages_are_never_anothers(db: Store) -> None:
    (amy,) = await said(db, "amy", ("user", "amy's secret"))
    (bob,) = await said(db, "bob", ("user", "bob's note"))
    assert [m.content for m in await db.messages("bob")] == ["bob's note"]
    assert await db.count_messages("bob") == 1
    assert await db.messages_by_id("bob", [amy, bob]) == {bob: (await db.messages("bob"))[0]}
    await db.update_message("bob", amy, "hacked", "complete")
    assert await db.delete_messages("bob", [amy]) == 0
    assert [m.content for m in await db.messages("amy")] == ["amy's secret"]
    assert await db.user_messages_after("bob", 0, 10) == await db.messages("bob")
    assert await db.last_reply_before("bob", amy + 1000) is None
    assert await db.blank_mentioning("bob", ["secret"]) == 0
    assert [m.content for m in await db.messages("amy")] == ["amy's secret"]


async def test_deleting_messages_takes_their_traces_only(db: Store) -> None:
    a, b, c = await said(db, "amy", ("user", "one"), ("assistant", "two"), ("user", "three"))
    for mid in (a, b, c):
        await db.save_trace("amy", mid, [{"event": "reply", "id": mid}])
    await db.save_trace("amy", None, [{"event": "startup"}])
    assert await db.delete_messages("amy", [b, c]) == 2
    assert await db.delete_messages("amy", []) == 0
    assert [m.id for m in await db.messages("amy")] == [a]
    assert sorted(t.message_id or 0 for t in await db.traces("amy")) == [0, a]


async def test_learning_reads_what_the_user_said_and_the_reply_before(db: Store) -> None:
    ids = await said(
        db, "amy", ("user", "u1"), ("assistant", "a1"), ("tool", "t1"), ("user", "u2"), ("user", "u3")
    )
    sid = await db.start_session("amy")
    broken = await db.add_message("amy", sid, "assistant", "half", status="error")
    last = await db.add_message("amy", sid, "user", "u4")
    assert [m.content for m in await db.user_messages_after("amy", 0, 10)] == ["u1", "u2", "u3", "u4"]
    assert [m.content for m in await db.user_messages_after("amy", ids[3], 1)] == ["u3"]
    before = await db.last_reply_before("amy", last)
    assert before is not None and before.content == "a1"  # the failed reply is not one
    assert broken > ids[-1]
    assert await db.last_reply_before("amy", ids[0]) is None
    found = await db.messages_by_id("amy", [ids[0], ids[3], 10**9])
    assert sorted(found) == [ids[0], ids[3]] and found[ids[3]].content == "u2"
    assert await db.messages_by_id("amy", []) == {}


async def test_blanking_keeps_the_log_shape_and_drops_the_traces(db: Store) -> None:
    a, b, c = await said(
        db, "amy", ("user", "My ex Jamie called"), ("assistant", "How was Jamie?"), ("user", "fine")
    )
    await db.save_trace("amy", b, [{"tool": "note", "args": {"text": "Jamie called"}}])
    await db.save_trace("amy", c, [{"tool": "none"}])
    assert await db.blank_mentioning("amy", ["jamie", "called"]) == 1
    got = await db.messages("amy")
    assert [m.id for m in got] == [a, b, c]
    assert "Jamie" not in got[0].content and got[1].content == "How was Jamie?"
    assert [t.message_id for t in await db.traces("amy")] == [c]


async def test_traces_newest_first_limited_and_per_user(db: Store) -> None:
    (mid,) = await said(db, "amy", ("user", "hi"))
    for n in range(3):
        await db.save_trace("amy", mid, [{"n": n}])
    await db.save_trace("bob", None, [{"n": "bob"}])
    got = await db.traces("amy", limit=2)
    assert all(isinstance(t, Trace) for t in got)
    assert [t.events for t in got] == [[{"n": 2}], [{"n": 1}]]
    assert [t.events for t in await db.traces("bob")] == [[{"n": "bob"}]]


async def test_profile_merges_and_blocks_upsert_per_user(db: Store) -> None:
    await db.set_profile("amy", {"companion_name": "Iris", "interview": {"mother": "close"}, "n": 3})
    await db.set_profile("amy", {"n": 4, "preferred_name": "Amy"})
    assert await db.profile("amy") == {
        "companion_name": "Iris", "interview": {"mother": "close"}, "n": 4, "preferred_name": "Amy"
    }
    assert await db.profile("bob") == {}
    await db.set_block("amy", Block("persona", "I am Iris.", 2000, "who"))
    await db.set_block("amy", Block("human", "Amy likes tea.", 100))
    await db.set_block("amy", Block("human", "Amy likes coffee.", 120, "about Amy"))
    assert await db.blocks("amy") == [
        Block("human", "Amy likes coffee.", 120, "about Amy"), Block("persona", "I am Iris.", 2000, "who")
    ]
    assert await db.blocks("bob") == []


async def test_everything_survives_a_reopen(backend) -> None:  # type: ignore[no-untyped-def]
    db = await backend.open()
    sid = await db.start_session("amy")
    done = await db.add_message("amy", sid, "user", "kept")
    half = await db.add_message("amy", sid, "assistant", "half a rep", status="streaming")
    await db.save_trace("amy", done, [{"kept": True}])
    await db.set_profile("amy", {"companion_name": "Iris"})
    await db.set_block("amy", Block("human", "Amy", 100))
    await db.close()  # the process ends (or dies) here
    again = await backend.open()
    got = await again.messages("amy")
    assert [(m.id, m.content, m.status) for m in got] == [
        (done, "kept", "complete"), (half, "half a rep", "interrupted")  # never left streaming
    ]
    assert [t.events for t in await again.traces("amy")] == [[{"kept": True}]]
    assert await again.profile("amy") == {"companion_name": "Iris"}
    assert await again.blocks("amy") == [Block("human", "Amy", 100)]
    assert await again.start_session("amy") > sid


async def test_export_holds_one_user_only(db: Store) -> None:
    await said(db, "amy", ("user", "amy's secret"))
    await said(db, "bob", ("user", "bob's note"))
    doc = await db.export_user("bob")
    assert "amy" not in str(doc) and [m["content"] for m in doc["messages"]] == ["bob's note"]
