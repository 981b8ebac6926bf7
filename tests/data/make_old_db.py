"""Write a database with the code of an older OS1, then dump it as SQL text (old_db.sql).

Run once against the commit whose database the upgrade test must open, e.g.:

    git worktree add /tmp/old9eeb 9eeb424
    PYTHONPATH=/tmp/old9eeb .venv/bin/python tests/data/make_old_db.py tests/data/old_db.sql

Every table gets rows through that code's own stores. The dump is plain SQL: the schema as that
code made it (virtual tables by their CREATE statement, not their shadow tables), then the rows
of every ordinary table; vectors are inserted through the vec0 table, and the full-text index
is rebuilt from the rows before the triggers are created (as the old code left them).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import apsw
import numpy as np

from os1.memory.index import MemoryIndex
from os1.memory.learning import Learner, Progress
from os1.scheduler.store import ReminderStore
from os1.skills.calendar import itip
from os1.skills.calendar.invites import _remember
from os1.skills.calendar.prefs import set_prefs
from os1.skills.mail.store import Account, MailStore
from os1.storage.base import Block
from os1.storage.sqlite import SqliteStore

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


class FixedEmbedder:
    """Vectors from a seeded generator: the same dump every run, no model needed."""

    async def embed(self, texts: list[str]) -> np.ndarray:
        return np.stack([np.random.default_rng(len(t)).standard_normal(384).astype(np.float32) for t in texts])


async def fill(path: Path) -> None:
    store = await SqliteStore.open(path)
    for user in ("amy", "bob"):
        sid = await store.start_session(user)
        said = await store.add_message(user, sid, "user", f"{user}: my sister Ingrid lives in Oslo ✓")
        reply = await store.add_message(
            user, sid, "assistant", "", meta={"tool_calls": [{"id": "c1", "name": "note"}]}
        )
        await store.add_message(user, sid, "tool", "Saved.", meta={"tool_call_id": "c1"})
        await store.add_message(user, sid, "assistant", f"Noted, {user}.")
        await store.add_message(user, sid, "assistant", "Half a rep", status="streaming")
        await store.save_trace(user, reply, [{"tool": "note", "ok": True}])
        await store.set_block(user, Block("human", f"{user.title()}'s sister: Ingrid (Oslo)", 2000))
        await store.set_block(user, Block("persona", "I am Iris.", 2000, "who the companion is"))
        await store.set_profile(user, {"companion_name": "Iris", "preferred_name": user.title()})

        index = MemoryIndex(store, FixedEmbedder())  # type: ignore[arg-type]
        turn = await index.add(user, f"{user}: my sister Ingrid lives in Oslo", speaker="user",
                               sources=[{"message": said}], happened_at=T0)
        await index.add(user, "How lovely.", speaker="Iris", happened_at=T0 + timedelta(seconds=5))
        fact = await index.add(user, f"{user.title()}'s sister Ingrid lives in Oslo.", kind="fact",
                               sources=[{"message": said}], importance=0.8, happened_at=T0)
        await index.embed_pending()
        await index.add(user, "Dear diary: Ingrid.", kind="insight", speaker="diary",
                        sources=[{"memory": turn}, {"memory": fact}], happened_at=T0)  # not yet embedded

        # That code had no public database API: the progress is written as its Learner did.
        def progress(conn: apsw.Connection, u: str = user, last: int = said) -> None:
            Learner.save_progress_sync(conn, u, "facts", Progress(last, {"skipped": []}))

        def write(fn=progress) -> None:  # type: ignore[no-untyped-def]
            with store._tx() as conn:
                fn(conn)

        await store._run(write)

        mail = MailStore(store)
        acc = await mail.save_account(Account(
            0, user, "home", f"{user}@example.org", user.title(), "imap.example.org", 993, "ssl",
            "smtp.example.org", 465, "ssl", user, b"gAAAA-not-a-real-token",
        ))
        await mail.set_sync_state(user, acc, "INBOX", 7, 42)
        ids = await mail.remember(user, acc, "INBOX", 7, [
            {"uid": 41, "key": "<a@x>", "sender": "Ann <ann@x.org>", "subject": "Lunch?", "date": T0.isoformat(),
             "category": "personal", "flags": "\\Seen"},
        ])
        assert ids
        await mail.plan_moves(user, acc, "b1", [
            {"key": "<a@x>", "subject": "Lunch?", "src_folder": "INBOX", "uidvalidity": 7, "uid": 41,
             "dst_folder": "Personal", "category": "personal", "reason": "a friend"},
        ])
        await mail.add_rule(user, "from", "news@", "newsletter")
        await mail.note_contacts(user, [("Ann@x.org", "Ann")], sent=False)

        await set_prefs(store, user, {"quiet_start": "23:00", "max_per_hour": 2})
        reminders = ReminderStore(store)
        rid = await reminders.add(user, "reminder", "call Ingrid", T0 + timedelta(days=1), zone="Europe/Oslo",
                                  source_key=f"{user}-k1", now=T0)
        await reminders.add(user, "reminder", "water plants", T0 + timedelta(days=2), now=T0)
        assert rid is not None
        await reminders.fire(user, rid, T0 + timedelta(days=1, seconds=3), 3.0, "Call Ingrid now", "reminder", False)
        await reminders.post(user, "notice", "A birthday tomorrow", T0)
        inv = itip.Itip("REQUEST", f"uid-{user}", 1, "Dinner", T0 + timedelta(days=3), "mailto:ann@x.org",
                        [], "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        await _remember(store, user, "<inv@x>", "ann@x.org", inv, "pending")
    await store.close()


def dump(path: Path) -> str:
    """Schema and rows as SQL text."""
    conn = apsw.Connection(str(path))
    import sqlite_vec

    conn.enable_load_extension(True)
    conn.load_extension(sqlite_vec.loadable_path())
    objects = list(conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
    ))
    virtual = [name for kind, name, _, sql in objects if kind == "table" and sql.upper().startswith("CREATE VIRTUAL")]
    shadow = {name for _, name, _, _ in objects if any(name.startswith(v + "_") for v in virtual)}
    tables = [name for kind, name, _, sql in objects
              if kind == "table" and name not in shadow and name not in virtual and not name.startswith("sqlite_")]
    lines = ["-- A database written by an older OS1 (tests/data/make_old_db.py); see tests/storage/test_upgrade.py.",
             "BEGIN;"]
    lines += [f"{sql};" for kind, name, tbl, sql in objects
              if kind in ("table", "index") and name not in shadow and tbl not in shadow
              and not name.startswith("sqlite_")]
    for table in tables:
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
            values = ", ".join(apsw.format_sql_value(v) for v in row)
            lines.append(f"INSERT INTO {table} VALUES ({values});")
    for row in conn.execute("SELECT rowid, user_id, embedding FROM memories_vec ORDER BY rowid"):
        values = ", ".join(apsw.format_sql_value(v) for v in row)
        lines.append(f"INSERT INTO memories_vec(rowid, user_id, embedding) VALUES ({values});")
    lines += [f"{sql};" for kind, _, _, sql in objects if kind == "trigger"]
    lines += ["INSERT INTO memories_fts(memories_fts) VALUES ('rebuild');", "COMMIT;"]
    conn.close()
    return "\n".join(lines) + "\n"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "old.db"
        asyncio.run(fill(path))
        Path(sys.argv[1]).write_text(dump(path))


if __name__ == "__main__":
    main()
