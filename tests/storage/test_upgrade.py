"""A database written by an older OS1 opens with today's code, upgraded in place, nothing lost.

tests/data/old_db.sql was dumped from a database that tests/data/make_old_db.py wrote with the
code of an earlier commit (every table has rows: conversation, traces, blocks, profile,
memories with vectors, progress, mail, time preferences, reminders, outbox, invitations).
"""

from __future__ import annotations

from pathlib import Path

import apsw
import numpy as np
import sqlite_vec

from os1.plugins import migrations
from os1.storage.memories import Progress
from os1.storage.migrations import MIGRATIONS
from os1.storage.sqlite import SqliteStore

DUMP = Path(__file__).parent.parent / "data" / "old_db.sql"
OLD_MIGRATIONS = [
    "001_initial", "002_memories", "003_memory_context_and_progress", "004_mail", "005_time",
    "006_time_invitations", "007_memories_by_time",
]
OLD_TABLES = [
    "sessions", "messages", "blocks", "profile", "traces", "memories", "memory_progress",
    "mail_accounts", "mail_sync", "mail_messages", "mail_moves", "mail_rules", "mail_contacts",
    "time_prefs", "reminders", "outbox", "calendar_invitations",
]


def restore(path: Path) -> dict[str, tuple[list[str], list[tuple[object, ...]]]]:
    """Rebuild the old file from its dump; return each old table's columns and rows."""
    conn = apsw.Connection(str(path))
    conn.enable_load_extension(True)
    conn.load_extension(sqlite_vec.loadable_path())
    conn.execute(DUMP.read_text())
    seen = {}
    for table in OLD_TABLES:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        seen[table] = (columns, list(conn.execute(f"SELECT * FROM {table} ORDER BY rowid")))
    conn.close()
    return seen


async def test_an_old_database_opens_upgraded_with_nothing_lost(tmp_path: Path) -> None:
    path = tmp_path / "os1.db"
    before = restore(path)
    assert all(rows for _, rows in before.values()), "every old table has rows to keep"
    store = await SqliteStore.open(path, migrations())
    try:
        for table, (columns, rows) in before.items():
            now = await store.query(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid")
            if table == "messages":  # a reply the old process left streaming is marked, not lost
                status = columns.index("status")
                rows = [r[:status] + (("interrupted",) if r[status] == "streaming" else (r[status],)) + r[status + 1:]
                        for r in rows]
            assert now == rows, table
        names = [r[0] for r in await store.query("SELECT name FROM _migrations ORDER BY rowid")]
        assert names[: len(OLD_MIGRATIONS)] == OLD_MIGRATIONS
        assert {n for n, _ in [*MIGRATIONS, *migrations()]} <= set(names)
        await the_core_reads_it(store)
    finally:
        await store.close()


async def the_core_reads_it(store: SqliteStore) -> None:
    """What the old code wrote, read back through today's contracts."""
    amy = await store.messages("amy")
    assert [(m.role, m.status) for m in amy] == [
        ("user", "complete"), ("assistant", "complete"), ("tool", "complete"),
        ("assistant", "complete"), ("assistant", "interrupted"),
    ]
    assert amy[0].content == "amy: my sister Ingrid lives in Oslo ✓"
    assert amy[1].meta == {"tool_calls": [{"id": "c1", "name": "note"}]}
    assert [t.events for t in await store.traces("amy")] == [[{"tool": "note", "ok": True}]]
    assert {b.label: b.value for b in await store.blocks("bob")} == {
        "human": "Bob's sister: Ingrid (Oslo)", "persona": "I am Iris."
    }
    assert await store.profile("amy") == {"companion_name": "Iris", "preferred_name": "Amy"}
    memories = store.memories
    assert [m.content for m in await memories.facts("amy", 5)] == ["Amy's sister Ingrid lives in Oslo."]
    found = await memories.by_words("amy", ["ingrid"], 10, context_weight=0.5)
    got = await memories.get("amy", [i for i, _ in found])  # the words index was rebuilt: amy's only
    assert len(got) == len(found) and any("Ingrid" in m.content for m in got.values())
    assert await memories.by_words("bob", ["amy"], 10, context_weight=0.5) == []
    ids, matrix = await memories.vectors("amy", 384)
    assert len(ids) == 4 and np.all(np.isfinite(matrix))  # three memories and the diary entry
    assert [(p.user, p.content) for p in await memories.pending(10)] == [("bob", "Dear diary: Ingrid.")]
    facts_read = await memories.progress("amy", "facts")
    assert facts_read == Progress(amy[0].id, {"skipped": []})
    diary = await memories.insights("amy", "diary", 5)
    assert [d.sources for d in diary] and all("memory" in s for s in diary[0].sources)


async def test_a_reopen_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "os1.db"
    restore(path)
    store = await SqliteStore.open(path, migrations())
    first = await store.query("SELECT name, applied_at FROM _migrations ORDER BY rowid")
    counts = {t: (await store.query(f"SELECT count(*) FROM {t}"))[0][0] for t in OLD_TABLES}
    await store.close()
    store = await SqliteStore.open(path, migrations())
    try:
        assert await store.query("SELECT name, applied_at FROM _migrations ORDER BY rowid") == first
        assert {t: (await store.query(f"SELECT count(*) FROM {t}"))[0][0] for t in OLD_TABLES} == counts
    finally:
        await store.close()
