"""The journal of a tidy run, through the store's public API: every operation is written (and
committed, with synchronous=FULL) before the file is touched and marked after, so a run can be
resumed or undone from it, days later or after a crash."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import apsw

from os1.storage.base import Store

OPEN_STATES = ("planned", "started")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def enc(path: str) -> bytes:
    return os.fsencode(path)


def dec(blob: Any) -> str:
    return os.fsdecode(bytes(blob))


def shown(path: str) -> str:
    """A path as words: undecodable bytes become U+FFFD instead of failing."""
    return os.fsencode(path).decode("utf-8", "replace")


@dataclass
class Op:
    id: int
    run_id: int
    group: str
    action: str  # move | trash | hold
    src: str
    dst: str
    size: int
    mtime_ns: int
    qhash: str
    reason: str
    kept: str | None
    state: str
    note: str
    made_dirs: list[str]


@dataclass(frozen=True)
class Run:
    id: int
    roots: list[str]
    target: str
    state: str
    summary: str
    created_at: str


@dataclass(frozen=True)
class Rule:
    kind: str  # never | keep | rename | place
    pattern: str
    folder: str
    source: str
    id: int = 0


_OP_COLS = ("id, run_id, grp, action, src, dst, size, mtime_ns, qhash, reason, kept, state, note,"
            " made_dirs")


def _op(r: tuple[Any, ...]) -> Op:
    made = [dec(p) for p in bytes(r[13]).split(b"\0") if p]
    return Op(r[0], r[1], r[2], r[3], dec(r[4]), dec(r[5]), r[6], r[7], r[8], r[9],
              dec(r[10]) if r[10] is not None else None, r[11], r[12], made)


class Journal:
    """The files tables of the user's database. Every method takes the user."""

    def __init__(self, store: Store, user: str) -> None:
        self.db: Any = store
        self.user = user

    async def new_run(self, roots: list[str], target: str, summary: str, ops: list[dict[str, Any]]) -> int:
        """Store a plan: the run and its intended operations, in one transaction."""
        def write(conn: apsw.Connection) -> int:
            t = now()
            conn.execute(
                "INSERT INTO files_runs (user_id, roots, target, state, summary, created_at, updated_at)"
                " VALUES (?,?,?,?,?,?,?)",
                (self.user, b"\0".join(enc(r) for r in roots), enc(target), "planned", summary, t, t))
            run = int(conn.last_insert_rowid())
            conn.executemany(
                "INSERT INTO files_ops (run_id, user_id, grp, action, src, dst, size, mtime_ns, qhash,"
                " reason, kept, state, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(run, self.user, o["group"], o["action"], enc(o["src"]), enc(o["dst"]), o["size"],
                  o["mtime_ns"], o["qhash"], o["reason"], enc(o["kept"]) if o.get("kept") else None,
                  "held" if o["action"] == "hold" else "planned", t) for o in ops])
            return run

        return int(await self.db.transaction(write))

    async def run(self, run_id: int | None = None) -> Run | None:
        """One run, or the newest."""
        where, args = ("id=?", (run_id,)) if run_id is not None else ("1", ())
        rows = await self.db.query(
            f"SELECT id, roots, target, state, summary, created_at FROM files_runs WHERE user_id=? AND {where}"
            " ORDER BY id DESC LIMIT 1", (self.user, *args))
        if not rows:
            return None
        r = rows[0]
        return Run(r[0], [dec(p) for p in bytes(r[1]).split(b"\0") if p], dec(r[2]), r[3], r[4], r[5])

    async def runs(self, limit: int = 20) -> list[Run]:
        rows = await self.db.query(
            "SELECT id FROM files_runs WHERE user_id=? ORDER BY id DESC LIMIT ?", (self.user, limit))
        return [run for (rid,) in rows if (run := await self.run(rid)) is not None]

    async def ops(self, run_id: int, states: tuple[str, ...] = (), group: str = "") -> list[Op]:
        sql = f"SELECT {_OP_COLS} FROM files_ops WHERE user_id=? AND run_id=?"
        args: list[Any] = [self.user, run_id]
        if states:
            sql += f" AND state IN ({','.join('?' * len(states))})"
            args += states
        if group:
            sql += " AND lower(grp)=lower(?)"
            args.append(group)
        return [_op(r) for r in await self.db.query(sql + " ORDER BY id", args)]

    async def done_ops(self, limit: int = 5000) -> list[Op]:
        """Every file moved by a run and not put back, newest first ("where did you put…")."""
        rows = await self.db.query(
            f"SELECT {_OP_COLS} FROM files_ops WHERE user_id=? AND state='done' ORDER BY id DESC LIMIT ?",
            (self.user, limit))
        return [_op(r) for r in rows]

    async def mark(self, op: Op, state: str, *, dst: str | None = None, note: str = "",
                   made_dirs: list[str] | None = None) -> None:
        """Record an operation's state (committed before the caller touches the file)."""
        op.state, op.note = state, note
        if dst is not None:
            op.dst = dst
        if made_dirs is not None:
            op.made_dirs = made_dirs
        await self.db.execute(
            "UPDATE files_ops SET state=?, note=?, dst=?, made_dirs=?, updated_at=? WHERE id=? AND user_id=?",
            (state, note, enc(op.dst), b"\0".join(enc(d) for d in op.made_dirs), now(), op.id, self.user))

    async def set_run_state(self, run_id: int, state: str) -> None:
        await self.db.execute("UPDATE files_runs SET state=?, updated_at=? WHERE id=? AND user_id=?",
                              (state, now(), run_id, self.user))

    async def rules(self) -> list[Rule]:
        rows = await self.db.query(
            "SELECT kind, pattern, folder, source, id FROM files_rules WHERE user_id=? ORDER BY id", (self.user,))
        return [Rule(*r) for r in rows]

    async def add_rule(self, kind: str, pattern: str, folder: str = "", source: str = "said") -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO files_rules (user_id, kind, pattern, folder, source, created_at)"
            " VALUES (?,?,?,?,?,?)", (self.user, kind, pattern, folder, source, now()))

    async def drop_rule(self, kind: str, pattern: str) -> int:
        rows = await self.db.query("DELETE FROM files_rules WHERE user_id=? AND kind=? AND pattern=?"
                                   " RETURNING id", (self.user, kind, pattern))
        return len(rows)

    async def forget_rule(self, rule_id: int) -> int:
        rows = await self.db.query("DELETE FROM files_rules WHERE user_id=? AND id=? RETURNING id",
                                   (self.user, rule_id))
        return len(rows)

    async def replan(self, op: Op, group: str, dst: str, size: int, mtime_ns: int, qhash: str, reason: str) -> None:
        """Make a held (or planned) operation a planned move to `dst`, stamped as the file is now."""
        op.action, op.group, op.dst, op.state = "move", group, dst, "planned"
        op.size, op.mtime_ns, op.qhash, op.reason = size, mtime_ns, qhash, reason
        await self.db.execute(
            "UPDATE files_ops SET action='move', grp=?, dst=?, size=?, mtime_ns=?, qhash=?, reason=?,"
            " state='planned', updated_at=? WHERE id=? AND user_id=?",
            (group, enc(dst), size, mtime_ns, qhash, reason, now(), op.id, self.user))

    async def set_summary(self, run_id: int, summary: str) -> None:
        await self.db.execute("UPDATE files_runs SET summary=? WHERE id=? AND user_id=?",
                              (summary, run_id, self.user))
