"""SQLite storage (apsw, WAL, synchronous=FULL): every committed write survives a crash.

All database work runs on one dedicated thread, so the event loop never blocks on disk and the
connection is never shared between threads.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import apsw

from os1.errors import StorageError, StorageFullError
from os1.storage import portable
from os1.storage.base import Block, Store, StoredMessage, Trace
from os1.storage.memories import MemoryRepository
from os1.storage.migrations import MIGRATIONS, Migration
from os1.storage.sqlite_memories import SqliteMemories

T = TypeVar("T")


def _load_sqlite_vec(conn: apsw.Connection) -> None:
    """Vectors live in SQLite through the sqlite-vec extension (apsw can load extensions)."""
    import sqlite_vec

    conn.enable_load_extension(True)
    conn.load_extension(sqlite_vec.loadable_path())
    conn.enable_load_extension(False)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


class SqliteStore:
    def __init__(self, path: Path, migrations: Sequence[Migration] = ()) -> None:
        self.path = path
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="os1-sqlite")
        self._conn: apsw.Connection | None = None
        self._plugin_migrations = list(migrations)
        self._memories = SqliteMemories(self)

    @classmethod
    async def open(cls, path: Path, migrations: Sequence[Migration] = ()) -> SqliteStore:
        """Open (creating if needed) and bring the schema up to date: the core's migrations,
        then `migrations` (the ones skills register through the `register_migrations` hook;
        `os1.core.runtime.open_store` passes them all)."""
        store = cls(path, migrations)
        await store._run(store._open_sync)
        return store

    @property
    def memories(self) -> SqliteMemories:
        """The long-term memories in this database (os1/storage/memories.py's contract)."""
        return self._memories

    # -- the public database API: what a repository that owns tables uses ---------------------
    async def read(self, fn: Callable[[apsw.Connection], T]) -> T:
        """Run `fn(connection)` on the database thread, outside a transaction (reads)."""
        return await self._run(lambda: fn(self.conn))

    async def transaction(self, fn: Callable[[apsw.Connection], T]) -> T:
        """Run `fn(connection)` on the database thread inside one transaction: all or nothing."""

        def run() -> T:
            with self._tx() as conn:
                return fn(conn)

        return await self._run(run)

    async def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one statement."""
        return await self._run(self._rows, sql, tuple(params))

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One statement in its own transaction; the last inserted row id."""
        return await self._run(self._write, sql, tuple(params))

    # -- plumbing ---------------------------------------------------------------------------
    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, fn, *args)
        except apsw.FullError as exc:
            raise StorageFullError(
                f"The disk is full: OS1 could not save to {self.path}.",
                fix="Free some space and try again; everything saved before is intact.",
            ) from exc
        except (apsw.IOError, apsw.CantOpenError, apsw.ReadOnlyError) as exc:
            raise StorageError(
                f"OS1 could not write to its database {self.path}: {exc}.",
                fix="Check the disk and the file's permissions; saved data is intact.",
            ) from exc
        except apsw.CorruptError as exc:
            raise StorageError(
                f"The database {self.path} is damaged: {exc}.",
                fix="Restore it from a backup or 'os1 memory export' file.",
            ) from exc

    @property
    def conn(self) -> apsw.Connection:
        if self._conn is None:
            raise StorageError("The store is closed.")
        return self._conn

    @contextmanager
    def _tx(self) -> Iterator[apsw.Connection]:
        """One transaction. SQLite may already have rolled back (disk full): check before undoing."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _open_sync(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = apsw.Connection(str(self.path))
        conn.set_busy_timeout(5000)
        _load_sqlite_vec(conn)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        self._conn = conn
        self._migrate_sync()
        with self._tx():  # replies a crashed process left half-written are marked, not lost
            conn.execute("UPDATE messages SET status='interrupted' WHERE status='streaming'")

    def _migrate_sync(self) -> None:
        with self._tx() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
            )
            done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
            for name, sql in [*MIGRATIONS, *self._plugin_migrations]:
                if name not in done:
                    conn.execute(sql)
                    conn.execute("INSERT INTO _migrations VALUES (?, ?)", (name, _now()))
                    done.add(name)

    def _write(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        with self._tx() as conn:
            conn.execute(sql, params)
            return conn.last_insert_rowid()

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return list(self.conn.execute(sql, params))

    # -- sessions and messages --------------------------------------------------------------
    async def start_session(self, user: str) -> int:
        return await self._run(
            self._write, "INSERT INTO sessions (user_id, started_at) VALUES (?, ?)", (user, _now())
        )

    async def add_message(
        self,
        user: str,
        session_id: int,
        role: str,
        content: str,
        *,
        status: str = "complete",
        meta: dict[str, Any] | None = None,
    ) -> int:
        return await self._run(
            self._write,
            "INSERT INTO messages (user_id, session_id, role, content, status, meta, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (user, session_id, role, content, status, json.dumps(meta or {}), _now()),
        )

    async def update_message(self, user: str, message_id: int, content: str, status: str) -> None:
        await self._run(
            self._write,
            "UPDATE messages SET content=?, status=? WHERE id=? AND user_id=?",
            (content, status, message_id, user),
        )

    async def delete_messages(self, user: str, ids: Sequence[int]) -> int:
        """Gone with their traces, in one transaction: a turn taken back (Session.retract)."""
        ids = list(ids)
        if not ids:
            return 0

        def delete() -> int:
            with self._tx() as conn:
                return self.delete_messages_sync(conn, user, ids)

        return await self._run(delete)

    @staticmethod
    def delete_messages_sync(conn: apsw.Connection, user: str, ids: Sequence[int]) -> int:
        """Inside a caller's transaction (the memory index forgets a turn's memories in the same one)."""
        marks = ",".join("?" * len(ids))
        conn.execute(f"DELETE FROM traces WHERE user_id=? AND message_id IN ({marks})", (user, *ids))
        conn.execute(f"DELETE FROM messages WHERE user_id=? AND id IN ({marks})", (user, *ids))
        return int(conn.changes())

    async def count_messages(self, user: str) -> int:
        rows = await self._run(self._rows, "SELECT count(*) FROM messages WHERE user_id=?", (user,))
        return int(rows[0][0])

    _MESSAGE = "SELECT id, session_id, role, content, status, created_at, meta FROM messages"

    @staticmethod
    def _message(r: Sequence[Any]) -> StoredMessage:
        return StoredMessage(r[0], r[1], r[2], r[3], r[4], datetime.fromisoformat(r[5]), json.loads(r[6]))

    async def messages(self, user: str, *, offset: int = 0, limit: int = 1000) -> list[StoredMessage]:
        rows = await self.query(
            f"{self._MESSAGE} WHERE user_id=? ORDER BY id LIMIT ? OFFSET ?", (user, limit, offset)
        )
        return [self._message(r) for r in rows]

    async def messages_by_id(self, user: str, ids: Sequence[int]) -> dict[int, StoredMessage]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = await self.query(f"{self._MESSAGE} WHERE user_id=? AND id IN ({marks})", (user, *ids))
        return {r[0]: self._message(r) for r in rows}

    async def user_messages_after(self, user: str, after_id: int, limit: int) -> list[StoredMessage]:
        rows = await self.query(
            f"{self._MESSAGE} WHERE user_id=? AND id>? AND role='user' ORDER BY id LIMIT ?",
            (user, after_id, limit),
        )
        return [self._message(r) for r in rows]

    async def last_reply_before(self, user: str, message_id: int) -> StoredMessage | None:
        rows = await self.query(
            f"{self._MESSAGE} WHERE user_id=? AND id<? AND role='assistant' AND status='complete'"
            " ORDER BY id DESC LIMIT 1",
            (user, message_id),
        )
        return self._message(rows[0]) if rows else None

    async def blank_mentioning(self, user: str, words: Sequence[str]) -> int:
        if not words:
            return 0
        like = " AND ".join("content LIKE ?" for _ in words)
        args = tuple(f"%{w}%" for w in words)

        def blank(conn: apsw.Connection) -> int:
            n = next(iter(conn.execute(f"SELECT count(*) FROM messages WHERE user_id=? AND {like}", (user, *args))))[0]
            conn.execute(
                "UPDATE messages SET content='[forgotten at the user''s request]'"
                f" WHERE user_id=? AND {like}", (user, *args),
            )
            conn.execute(
                f"DELETE FROM traces WHERE user_id=? AND {like.replace('content', 'events')}", (user, *args)
            )
            return int(n)

        return await self.transaction(blank)

    # -- core memory blocks and profile -----------------------------------------------------
    async def blocks(self, user: str) -> list[Block]:
        rows = await self._run(
            self._rows,
            "SELECT label, value, char_limit, description FROM blocks WHERE user_id=? ORDER BY label",
            (user,),
        )
        return [Block(*r) for r in rows]

    async def set_block(self, user: str, block: Block) -> None:
        await self._run(
            self._write,
            "INSERT INTO blocks (user_id, label, value, char_limit, description, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, label) DO UPDATE SET"
            " value=excluded.value, char_limit=excluded.char_limit,"
            " description=excluded.description, updated_at=excluded.updated_at",
            (user, block.label, block.value, block.limit, block.description, _now()),
        )

    async def profile(self, user: str) -> dict[str, Any]:
        return await self._run(self._get_json, "profile", user)

    async def set_profile(self, user: str, values: dict[str, Any]) -> None:
        await self._run(self._put_json, "profile", user, values)

    # A (user_id, key, value as JSON) table: the profile, and skills' own settings tables.
    def _get_json(self, table: str, user: str) -> dict[str, Any]:
        rows = self._rows(f"SELECT key, value FROM {table} WHERE user_id=?", (user,))
        return {k: json.loads(v) for k, v in rows}

    def _put_json(self, table: str, user: str, values: dict[str, Any]) -> None:
        with self._tx() as conn:
            for key, value in values.items():
                conn.execute(
                    f"INSERT INTO {table} VALUES (?, ?, ?) ON CONFLICT (user_id, key)"
                    " DO UPDATE SET value=excluded.value",
                    (user, key, json.dumps(value)),
                )

    # -- traces and export ------------------------------------------------------------------
    async def save_trace(self, user: str, message_id: int | None, events: list[dict[str, Any]]) -> None:
        await self._run(
            self._write,
            "INSERT INTO traces (user_id, message_id, events, created_at) VALUES (?, ?, ?, ?)",
            (user, message_id, json.dumps(events), _now()),
        )

    async def traces(self, user: str, limit: int = 20) -> list[Trace]:
        rows = await self.query(
            "SELECT message_id, events, created_at FROM traces WHERE user_id=? ORDER BY id DESC LIMIT ?",
            (user, limit),
        )
        return [Trace(r[0], json.loads(r[1]), r[2]) for r in rows]

    async def export_user(self, user: str) -> dict[str, Any]:
        return await self._run(lambda: portable.export_user(self.conn, user))

    async def import_user(self, user: str, doc: dict[str, Any], *, replace: bool = False) -> dict[str, int]:
        return await self._run(lambda: portable.import_user(self.conn, user, doc, replace=replace))

    async def close(self) -> None:
        if self._conn is not None:
            await self._run(self._conn.close)
            self._conn = None
        self._pool.shutdown(wait=True)


def _implements(store: SqliteStore) -> tuple[Store, MemoryRepository]:
    """Never called: mypy checks here that SQLite implements the whole contract."""
    return store, store.memories
