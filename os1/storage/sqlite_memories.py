"""Long-term memories on SQLite: rows in `memories`, words in FTS5 (`memories_fts`, kept by
triggers), vectors in sqlite-vec (`memories_vec`), watermarks in `memory_progress`.

It runs on the store's one database thread, through its public `read`/`transaction`. Vectors
are written in the same transaction that marks a row embedded, so after a crash pending rows
are embedded exactly once and nothing is lost.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import apsw
import numpy as np
import numpy.typing as npt

from os1.storage.memories import CONTEXT_REACH, Memory, NewMemory, Pending, Progress, Vector

if TYPE_CHECKING:
    from os1.storage.sqlite import SqliteStore

# FTS5 ranks every user's rows first, on its own, and takes this many times the k asked for
# (fast: the join with the table is then made on few rows); only when other users' rows crowd
# this user's out of that cut does the exact, joined query run.
FIRST_CUT = 4
_COLUMNS = "id, kind, content, speaker, sources, importance, happened_at, valid_to, superseded_by"


def fts_query(words: Sequence[str], joiner: str = " OR ") -> str:
    """Words -> a safe FTS5 query: each one quoted, joined by OR (or AND)."""
    return joiner.join(f'"{w}"' for w in words)


def _marks(items: Sequence[Any]) -> str:
    return ",".join("?" * len(items))


def _memory(r: Sequence[Any]) -> Memory:
    return Memory(
        r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], datetime.fromisoformat(r[6]),
        datetime.fromisoformat(r[7]) if r[7] else None, r[8],
    )


def _one(conn: apsw.Connection, sql: str, params: tuple[Any, ...]) -> Any:
    """The first column of the first row (None when there is no row)."""
    row = conn.execute(sql, params).fetchone()
    return None if row is None else row[0]


def _neighbours(conn: apsw.Connection, user: str, mid: int) -> list[int]:
    """The turns up to CONTEXT_REACH before and after `mid` in the user's history, nearest first."""
    found: list[int] = []
    for op, order in (("<", "DESC"), (">", "ASC")):
        found += [r[0] for r in conn.execute(
            f"SELECT id FROM memories WHERE user_id=? AND kind='turn' AND id {op} ? ORDER BY id {order}"
            " LIMIT ?",
            (user, mid, CONTEXT_REACH),
        )]
    return found


def _recontext(conn: apsw.Connection, user: str, ids: Sequence[int]) -> None:
    """Set each turn's context to its neighbours' words, as they are now."""
    for mid in ids:
        words = [
            _one(conn, "SELECT content FROM memories WHERE id=?", (n,))
            for n in _neighbours(conn, user, mid)
        ]
        conn.execute("UPDATE memories SET context=? WHERE id=?", (" ".join(words), mid))


def _insert(conn: apsw.Connection, user: str, m: NewMemory) -> int:
    created = m.created_at or datetime.now(UTC)
    conn.execute(
        "INSERT INTO memories (user_id, kind, content, speaker, sources, importance,"
        " happened_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (user, m.kind, m.content, m.speaker, json.dumps(list(m.sources)), m.importance,
         m.happened_at.isoformat(), created.isoformat()),
    )
    new_id = int(conn.last_insert_rowid())
    for old in m.replaces:  # a superseded fact stays, ending when the new one began
        conn.execute(
            "UPDATE memories SET valid_to=?, superseded_by=? WHERE id=? AND user_id=?"
            " AND kind='fact' AND valid_to IS NULL",
            (m.happened_at.isoformat(), new_id, old, user),
        )
    return new_id


def _save_progress(conn: apsw.Connection, user: str, task: str, progress: Progress) -> None:
    conn.execute(
        "INSERT INTO memory_progress (user_id, task, last_id, state, updated_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, task) DO UPDATE SET"
        " last_id=excluded.last_id, state=excluded.state, updated_at=excluded.updated_at",
        (user, task, progress.last_id, json.dumps(progress.state), datetime.now(UTC).isoformat()),
    )


class SqliteMemories:
    """The `MemoryRepository` of one SqliteStore (`store.memories`)."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return await self.store.query(sql, params)

    # -- writing ------------------------------------------------------------------------------
    async def add(self, user: str, memory: NewMemory) -> int:
        def insert(conn: apsw.Connection) -> int:
            new_id = _insert(conn, user, memory)
            if memory.kind == "turn":
                _recontext(conn, user, [new_id, *_neighbours(conn, user, new_id)])
            return new_id

        return await self.store.transaction(insert)

    async def add_facts(
        self, user: str, message_id: int, facts: Sequence[NewMemory], *, task: str, progress: Progress
    ) -> list[int]:
        def write(conn: apsw.Connection) -> list[int]:
            kept = list(conn.execute("SELECT 1 FROM messages WHERE user_id=? AND id=?", (user, message_id)))
            ids = [_insert(conn, user, f) for f in facts] if kept else []
            _save_progress(conn, user, task, progress)
            return ids

        return await self.store.transaction(write)

    async def add_derived(
        self, user: str, memories: Sequence[NewMemory], *, derived_from: Sequence[int], task: str,
        progress: Progress,
    ) -> list[int] | None:
        def write(conn: apsw.Connection) -> list[int] | None:
            if derived_from:
                left = _one(
                    conn, f"SELECT count(*) FROM memories WHERE user_id=? AND id IN ({_marks(derived_from)})",
                    (user, *derived_from),
                )
                if left < len(set(derived_from)):
                    return None
            ids = [_insert(conn, user, m) for m in memories]
            _save_progress(conn, user, task, progress)
            return ids

        return await self.store.transaction(write)

    async def pending(self, limit: int) -> list[Pending]:
        rows = await self._rows(
            "SELECT id, user_id, content FROM memories WHERE embedded = 0 ORDER BY id LIMIT ?", (limit,)
        )
        return [Pending(*r) for r in rows]

    async def save_vectors(self, vectors: Sequence[tuple[int, str, Vector]]) -> list[int]:
        def write(conn: apsw.Connection) -> list[int]:
            written = []
            for mid, user, vec in vectors:
                # Not there any more (forgotten), or embedded by another call meanwhile: two
                # callers that read the same pending rows would write the vector twice.
                if conn.execute("SELECT 1 FROM memories WHERE id=? AND embedded=0", (mid,)).fetchone():
                    conn.execute(
                        "INSERT INTO memories_vec(rowid, user_id, embedding) VALUES (?, ?, ?)",
                        (mid, user, np.asarray(vec).astype(np.float32).tobytes()),
                    )
                    conn.execute("UPDATE memories SET embedded=1 WHERE id=?", (mid,))
                    written.append(mid)
            return written

        return await self.store.transaction(write)

    async def forget(self, user: str, ids: Sequence[int], *, messages: Sequence[int] = ()) -> list[int]:
        def delete(conn: apsw.Connection) -> list[int]:
            gone: list[int] = []
            touched: set[int] = set()
            if messages:
                self.store.delete_messages_sync(conn, user, messages)
            for mid in ids:
                row = conn.execute("SELECT kind FROM memories WHERE id=? AND user_id=?", (mid, user)).fetchone()
                if row:
                    if row[0] == "turn":  # its words also live in its neighbours' context
                        touched.update(_neighbours(conn, user, mid))
                    conn.execute("DELETE FROM memories_vec WHERE rowid=?", (mid,))
                    conn.execute("DELETE FROM memories WHERE id=?", (mid,))
                    gone.append(mid)
            _recontext(conn, user, sorted(touched - set(gone)))
            return gone

        return await self.store.transaction(delete)

    async def progress(self, user: str, task: str) -> Progress:
        rows = await self._rows(
            "SELECT last_id, state FROM memory_progress WHERE user_id=? AND task=?", (user, task)
        )
        return Progress(rows[0][0], json.loads(rows[0][1])) if rows else Progress(0, {})

    async def save_progress(self, user: str, task: str, progress: Progress) -> None:
        await self.store.transaction(lambda conn: _save_progress(conn, user, task, progress))

    # -- reading ------------------------------------------------------------------------------
    async def get(self, user: str, ids: Sequence[int]) -> dict[int, Memory]:
        if not ids:
            return {}
        rows = await self._rows(
            f"SELECT {_COLUMNS} FROM memories WHERE user_id = ? AND id IN ({_marks(ids)})", (user, *ids)
        )
        return {r[0]: _memory(r) for r in rows}

    async def ended_by(self, user: str, ids: Sequence[int]) -> list[Memory]:
        if not ids:
            return []
        rows = await self._rows(
            f"SELECT {_COLUMNS} FROM memories WHERE user_id = ? AND kind = 'fact'"
            f" AND superseded_by IN ({_marks(ids)}) ORDER BY id DESC", (user, *ids)
        )
        return [_memory(r) for r in rows]

    async def recent(self, user: str, limit: int) -> list[Memory]:
        rows = await self._rows(
            f"SELECT {_COLUMNS} FROM memories WHERE user_id=? ORDER BY id DESC LIMIT ?", (user, limit)
        )
        return [_memory(r) for r in rows]

    async def facts(self, user: str, limit: int, *, current: bool = True) -> list[Memory]:
        rows = await self._rows(
            f"SELECT {_COLUMNS} FROM memories WHERE user_id=? AND kind='fact'"
            + (" AND valid_to IS NULL" if current else "")
            + " ORDER BY importance DESC, id DESC LIMIT ?",
            (user, limit),
        )
        return [_memory(r) for r in rows]

    async def newest_facts(self, user: str, limit: int) -> list[int]:
        rows = await self._rows(
            "SELECT id FROM memories WHERE user_id = ? AND kind = 'fact' AND valid_to IS NULL"
            " ORDER BY id DESC LIMIT ?",
            (user, limit),
        )
        return [r[0] for r in rows]

    async def facts_matching(self, user: str, words: Sequence[str], limit: int) -> list[int]:
        if not words:
            return []
        rows = await self._rows(
            "SELECT m.id FROM memories_fts f JOIN memories m ON m.id = f.rowid"
            " WHERE memories_fts MATCH ? AND m.user_id = ? AND m.kind = 'fact'"
            " AND m.valid_to IS NULL ORDER BY bm25(memories_fts) LIMIT ?",
            (fts_query(words), user, limit),
        )
        return [r[0] for r in rows]

    async def matching_all(self, user: str, words: Sequence[str]) -> list[int]:
        if not words:
            return []
        rows = await self._rows(
            "SELECT m.id FROM memories_fts f JOIN memories m ON m.id = f.rowid"
            " WHERE memories_fts MATCH ? AND m.user_id = ?",
            (f"content : ({fts_query(words, ' AND ')})", user),
        )
        return [r[0] for r in rows]

    async def by_words(
        self, user: str, words: Sequence[str], limit: int, *, context_weight: float
    ) -> list[tuple[int, float]]:
        q = fts_query(words)
        if not q:
            return []
        rank = f"bm25(memories_fts, 1.0, {context_weight})"
        cut = limit * FIRST_CUT

        def ranked(conn: apsw.Connection) -> list[tuple[int, float]]:
            first = [(r[0], -r[1]) for r in conn.execute(
                f"SELECT rowid, {rank} FROM memories_fts WHERE memories_fts MATCH ? ORDER BY {rank}"
                " LIMIT ?",
                (q, cut),
            )]
            if not first:
                return []
            mine = {r[0] for r in conn.execute(
                f"SELECT id FROM memories WHERE user_id = ? AND id IN ({_marks(first)})",
                (user, *(mid for mid, _ in first)),
            )}
            if len(mine) >= limit or len(first) < cut:
                return [(mid, sc) for mid, sc in first if mid in mine][:limit]
            return [(r[0], -r[1]) for r in conn.execute(
                f"SELECT m.id, {rank} FROM memories_fts f JOIN memories m ON m.id = f.rowid"
                f" WHERE memories_fts MATCH ? AND m.user_id = ? ORDER BY {rank} LIMIT ?",
                (q, user, limit),
            )]

        return await self.store.read(ranked)

    async def between(self, user: str, start: datetime, end: datetime, limit: int) -> list[tuple[int, datetime]]:
        rows = await self._rows(
            "SELECT id, happened_at FROM memories WHERE user_id = ? AND happened_at >= ?"
            " AND happened_at < ? ORDER BY happened_at DESC LIMIT ?",
            (user, start.astimezone(UTC).isoformat(), end.astimezone(UTC).isoformat(), limit),
        )
        return [(mid, datetime.fromisoformat(at)) for mid, at in rows]

    async def turns_of(self, user: str, message_ids: Sequence[int]) -> list[int]:
        if not message_ids:
            return []
        rows = await self._rows(
            "SELECT DISTINCT m.id FROM memories m, json_each(m.sources) j WHERE m.user_id=?"
            f" AND m.kind='turn' AND json_extract(j.value, '$.message') IN ({_marks(message_ids)})",
            (user, *message_ids),
        )
        return [r[0] for r in rows]

    async def learned_since(self, user: str, after_id: int) -> list[Memory]:
        rows = await self._rows(
            f"SELECT {_COLUMNS} FROM memories WHERE user_id=? AND id>?"
            " AND (kind='fact' OR (kind='turn' AND speaker='user')) ORDER BY id",
            (user, after_id),
        )
        return [_memory(r) for r in rows]

    async def insights(self, user: str, speaker: str, limit: int) -> list[Memory]:
        rows = await self._rows(
            f"SELECT {_COLUMNS} FROM memories WHERE user_id=? AND kind='insight'"
            " AND speaker=? ORDER BY id DESC LIMIT ?",
            (user, speaker, limit),
        )
        return [_memory(r) for r in rows]

    async def vectors(self, user: str, dim: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        def load(conn: apsw.Connection) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
            rows = list(conn.execute(
                "SELECT rowid, embedding FROM memories_vec WHERE user_id = ? ORDER BY rowid", (user,)
            ))
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dim)
            return ids, matrix

        return await self.store.read(load)

    async def version(self) -> int:
        rows = await self._rows("PRAGMA data_version")
        return int(rows[0][0])
