"""The long-term memory contract (os1/storage/memories.py), for every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from os1.storage.base import Store
from os1.storage.memories import NewMemory, Progress

DIM = 384
T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def vec(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)


def turn(text: str, hours: int = 0, **kw) -> NewMemory:  # type: ignore[no-untyped-def]
    return NewMemory(text, T0 + timedelta(hours=hours), **kw)


async def test_a_memory_comes_back_as_written_to_its_user_only(db: Store) -> None:
    m = db.memories
    mid = await m.add("amy", NewMemory(
        "Ünïcödé ✓ I adopted a cat.", T0, "fact", "", [{"message": 3}, "D1:2"], 0.8
    ))
    got = (await m.get("amy", [mid]))[mid]
    assert (got.kind, got.content, got.sources, got.importance) == ("fact", "Ünïcödé ✓ I adopted a cat.", [{"message": 3}, "D1:2"], 0.8)
    assert got.happened_at == T0 and got.valid_to is None and got.superseded_by is None
    assert await m.get("bob", [mid]) == {}
    assert await m.get("amy", []) == {}
    assert await m.recent("bob", 10) == [] and await m.facts("bob", 10) == []


async def test_recent_newest_first_and_facts_by_importance(db: Store) -> None:
    m = db.memories
    a = await m.add("amy", turn("one"))
    b = await m.add("amy", NewMemory("likes tea", T0, "fact", importance=0.5))
    c = await m.add("amy", NewMemory("has a sister", T0, "fact", importance=0.8))
    d = await m.add("amy", NewMemory("likes coffee", T0, "fact", importance=0.5))
    await m.add("bob", NewMemory("bob's fact", T0, "fact", importance=1.0))
    assert [x.id for x in await m.recent("amy", 3)] == [d, c, b]
    assert [x.id for x in await m.facts("amy", 10)] == [c, d, b]
    assert await m.newest_facts("amy", 2) == [d, c]
    assert a not in [x.id for x in await m.facts("amy", 10)]


async def test_a_new_fact_ends_the_old_one_and_never_another_users(db: Store) -> None:
    m = db.memories
    sid = await db.start_session("amy")
    msg = await db.add_message("amy", sid, "user", "I moved to LA")
    old = await m.add("amy", NewMemory("Amy lives in Portland.", T0, "fact"))
    bobs = await m.add("bob", NewMemory("Bob lives in Portland.", T0, "fact"))
    moved = T0 + timedelta(days=30)
    new = NewMemory("Amy lives in LA.", moved, "fact", sources=[{"message": msg}], replaces=[old, bobs])
    (nid,) = await m.add_facts("amy", msg, [new], task="facts", progress=Progress(msg, {"skipped": [1]}))
    got = await m.get("amy", [old, nid])
    assert got[old].valid_to == moved and got[old].superseded_by == nid
    assert got[nid].valid_to is None and got[nid].sources == [{"message": msg}]
    assert (await m.get("bob", [bobs]))[bobs].valid_to is None
    assert [x.id for x in await m.facts("amy", 10)] == [nid]
    assert {x.id for x in await m.facts("amy", 10, current=False)} == {old, nid}
    assert await m.progress("amy", "facts") == Progress(msg, {"skipped": [1]})


async def test_facts_of_a_message_taken_back_are_not_written_but_progress_is(db: Store) -> None:
    m = db.memories
    sid = await db.start_session("amy")
    msg = await db.add_message("amy", sid, "user", "I live in Rome")
    await db.delete_messages("amy", [msg])
    assert await m.add_facts("amy", msg, [NewMemory("Amy lives in Rome.", T0, "fact")],
                             task="facts", progress=Progress(msg, {})) == []
    assert await m.facts("amy", 10) == []
    assert (await m.progress("amy", "facts")).last_id == msg


async def test_derived_memories_are_written_only_while_their_sources_last(db: Store) -> None:
    m = db.memories
    a = await m.add("amy", turn("we went hiking", speaker="user"))
    b = await m.add("amy", NewMemory("Amy loves hills.", T0, "fact"))
    diary = NewMemory("Dear diary: hills.", T0, "insight", "diary", [{"memory": a}, {"memory": b}], 0.4)
    ids = await m.add_derived("amy", [diary], derived_from=[a, b], task="reflect", progress=Progress(b, {"day": "x"}))
    assert ids is not None and [x.content for x in await m.insights("amy", "diary", 5)] == ["Dear diary: hills."]
    await m.forget("amy", [a])
    assert await m.add_derived("amy", [diary], derived_from=[a, b], task="reflect", progress=Progress(99, {})) is None
    assert len(await m.insights("amy", "diary", 5)) == 1
    assert (await m.progress("amy", "reflect")).last_id == b  # nothing written, not even progress
    assert await m.add_derived("bob", [diary], derived_from=[b], task="reflect", progress=Progress(1, {})) is None


async def test_the_progress_watermark_is_per_user_and_task_and_durable(backend) -> None:  # type: ignore[no-untyped-def]
    db = await backend.open()
    m = db.memories
    assert await m.progress("amy", "facts") == Progress(0, {})
    await m.save_progress("amy", "facts", Progress(7, {"skipped": [3]}))
    await m.save_progress("amy", "facts", Progress(9, {"skipped": [3, 8]}))
    await m.save_progress("amy", "reflect", Progress(2, {"day": "2026-05-01"}))
    await db.close()
    again = (await backend.open()).memories
    assert await again.progress("amy", "facts") == Progress(9, {"skipped": [3, 8]})
    assert await again.progress("amy", "reflect") == Progress(2, {"day": "2026-05-01"})
    assert await again.progress("bob", "facts") == Progress(0, {})


async def test_vectors_wait_then_are_written_once_per_user(db: Store) -> None:
    m = db.memories
    a = await m.add("amy", turn("one"))
    b = await m.add("bob", turn("two"))
    c = await m.add("amy", turn("three"))
    pending = await m.pending(10)
    assert [(p.id, p.user, p.content) for p in pending] == [(a, "amy", "one"), (b, "bob", "two"), (c, "amy", "three")]
    assert [p.id for p in await m.pending(1)] == [a]
    await m.forget("amy", [c])  # forgotten before its vector came: it gets none
    assert await m.save_vectors([(a, "amy", vec(1)), (b, "bob", vec(2)), (c, "amy", vec(3))]) == [a, b]
    assert await m.pending(10) == []
    # Two callers read the same pending rows: the second's vectors are not written again.
    assert await m.save_vectors([(a, "amy", vec(4))]) == []
    ids, matrix = await m.vectors("amy", DIM)
    assert ids.tolist() == [a] and matrix.shape == (1, DIM)
    assert np.allclose(matrix[0], vec(1))
    ids, matrix = await m.vectors("carol", DIM)
    assert ids.tolist() == [] and matrix.shape == (0, DIM)


async def test_forgetting_is_for_good_and_only_ones_own(db: Store) -> None:
    m = db.memories
    a = await m.add("amy", turn("My sister Ingrid lives in Oslo.", speaker="user"))
    await m.save_vectors([(a, "amy", vec(1))])
    assert await m.forget("bob", [a]) == []
    assert await m.by_words("amy", ["ingrid"], 5, context_weight=0.5) != []
    assert await m.forget("amy", [a, 10**9]) == [a]
    assert await m.get("amy", [a]) == {}
    assert await m.by_words("amy", ["ingrid"], 5, context_weight=0.5) == []
    assert await m.matching_all("amy", ["ingrid"]) == []
    assert (await m.vectors("amy", DIM))[0].tolist() == []


async def test_forgetting_a_turn_can_take_its_message_and_traces_along(db: Store) -> None:
    sid = await db.start_session("amy")
    msg = await db.add_message("amy", sid, "user", "forget me")
    keep = await db.add_message("amy", sid, "user", "keep me")
    await db.save_trace("amy", msg, [{"x": 1}])
    mem = await db.memories.add("amy", turn("forget me", sources=[{"message": msg}]))
    assert await db.memories.turns_of("amy", [msg]) == [mem]
    assert await db.memories.turns_of("bob", [msg]) == []
    assert await db.memories.forget("amy", [mem], messages=[msg]) == [mem]
    assert [x.id for x in await db.messages("amy")] == [keep]
    assert await db.traces("amy") == []


async def test_words_rank_the_users_own_memories_best_first(db: Store) -> None:
    m = db.memories
    for i in range(30):
        await m.add("crowd", turn(f"apple apple {i}"))
    pie = await m.add("amy", turn("We baked an apple pie with grandma."))
    tart = await m.add("amy", turn("An apple tart, and an apple crumble, and apple juice."))
    ranked = await m.by_words("amy", ["apple"], 5, context_weight=0.0)
    assert [mid for mid, _ in ranked] == [tart, pie]
    assert ranked[0][1] > ranked[1][1] > 0
    assert len(await m.by_words("crowd", ["apple"], 5, context_weight=0.0)) == 5
    assert await m.by_words("amy", [], 5, context_weight=0.5) == []
    assert await m.matching_all("amy", ["apple", "grandma"]) == [pie]


async def test_a_turn_is_found_by_its_neighbours_words_while_they_last(db: Store) -> None:
    m = db.memories
    q = await m.add("amy", turn("Did you ever go to the Lofoten islands?", speaker="Iris"))
    answer = await m.add("amy", turn("Yes! Last summer, with my brother.", speaker="user"))
    ranked = dict(await m.by_words("amy", ["lofoten"], 5, context_weight=0.5))
    assert answer in ranked and ranked[q] > ranked[answer]
    await m.forget("amy", [q])
    assert await m.by_words("amy", ["lofoten"], 5, context_weight=0.5) == []


async def test_facts_matching_are_current_facts_with_the_words(db: Store) -> None:
    m = db.memories
    old = await m.add("amy", NewMemory("Amy lives in Portland.", T0, "fact"))
    sid = await db.start_session("amy")
    msg = await db.add_message("amy", sid, "user", "moved")
    (new,) = await m.add_facts("amy", msg, [NewMemory("Amy lives in Portland, Maine.", T0, "fact", replaces=[old])],
                               task="facts", progress=Progress(msg, {}))
    await m.add("amy", turn("Portland was rainy."))
    await m.add("bob", NewMemory("Bob lives in Portland.", T0, "fact"))
    assert await m.facts_matching("amy", ["portland", "maine"], 5) == [new]
    assert await m.facts_matching("amy", [], 5) == []


async def test_between_is_a_half_open_range_newest_first(db: Store) -> None:
    m = db.memories
    ids = [await m.add("amy", turn(f"t{h}", hours=h)) for h in (0, 1, 2, 3)]
    await m.add("bob", turn("bob", hours=1))
    got = await m.between("amy", T0 + timedelta(hours=1), T0 + timedelta(hours=3), 10)
    assert got == [(ids[2], T0 + timedelta(hours=2)), (ids[1], T0 + timedelta(hours=1))]
    assert len(await m.between("amy", T0, T0 + timedelta(days=1), 2)) == 2


async def test_learned_since_reads_facts_and_the_users_words_in_order(db: Store) -> None:
    m = db.memories
    first = await m.add("amy", turn("hi", speaker="user"))
    iris = await m.add("amy", turn("hello", speaker="Iris"))
    fact = await m.add("amy", NewMemory("Amy likes tea.", T0, "fact"))
    said = await m.add("amy", turn("tea!", speaker="user"))
    await m.add("amy", NewMemory("insight", T0, "insight", "reflection"))
    await m.add("bob", turn("bob", speaker="user"))
    assert [x.id for x in await m.learned_since("amy", first)] == [fact, said]
    assert iris not in [x.id for x in await m.learned_since("amy", 0)]


async def test_another_connections_write_changes_the_version(backend) -> None:  # type: ignore[no-untyped-def]
    one = await backend.open()
    two = await backend.open()
    before = await one.memories.version()
    await two.memories.add("amy", turn("written elsewhere"))
    assert await one.memories.version() != before
    assert [x.content for x in await one.memories.recent("amy", 1)] == ["written elsewhere"]


async def test_memories_words_and_vectors_survive_a_reopen(backend) -> None:  # type: ignore[no-untyped-def]
    db = await backend.open()
    kept = await db.memories.add("amy", turn("My sister Ingrid lives in Oslo.", speaker="user"))
    waiting = await db.memories.add("amy", NewMemory("Not embedded yet.", T0, "fact"))
    await db.memories.save_vectors([(kept, "amy", vec(1))])
    await db.close()
    again = (await backend.open()).memories
    assert [x.content for x in await again.recent("amy", 5)] == ["Not embedded yet.", "My sister Ingrid lives in Oslo."]
    assert [mid for mid, _ in await again.by_words("amy", ["oslo"], 5, context_weight=0.0)] == [kept]
    assert [p.id for p in await again.pending(5)] == [waiting]
    ids, matrix = await again.vectors("amy", DIM)
    assert ids.tolist() == [kept] and np.allclose(matrix[0], vec(1))
