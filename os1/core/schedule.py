"""The persistent reminder schedule and the outbox (the core's `reminders` and `outbox` tables).
Firing is one transaction: the reminder goes from 'pending' to 'fired' and its message enters
the outbox together, so after any crash a reminder has either fired once (and its message waits
to be shown) or not at all. Only these two repositories touch the tables, through the store's
public database API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from os1.storage.base import Database


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class Reminder:
    id: int
    kind: str  # alarm | reminder | meeting | morning | birthday | checkin | insight | invitation
    text: str
    due_at: datetime
    zone: str
    status: str
    stale_after_s: int
    source_key: str | None
    snoozes: int
    fired_at: datetime | None
    late_s: float | None


@dataclass(frozen=True)
class OutboxItem:
    id: int
    kind: str
    text: str
    urgent: bool
    created_at: datetime
    reminder_id: int | None


_COLS = "id, kind, text, due_at, zone, status, stale_after_s, source_key, snoozes, fired_at, late_s"


def _reminder(row: tuple[Any, ...]) -> Reminder:
    return Reminder(
        row[0], row[1], row[2], parse_iso(row[3]), row[4], row[5], row[6], row[7], row[8],
        parse_iso(row[9]) if row[9] else None, row[10],
    )


class ReminderSchedule:
    """What is to be said when: reminders, alarms, and what planners scheduled (source_key)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        user: str,
        kind: str,
        text: str,
        due_at: datetime,
        *,
        zone: str = "UTC",
        stale_after_s: int = 12 * 3600,
        source_key: str | None = None,
        now: datetime | None = None,
    ) -> int | None:
        """Schedule it; with a `source_key` only once (None if it already exists)."""

        def write(conn: Any) -> int | None:
            conn.execute(
                "INSERT OR IGNORE INTO reminders (user_id, kind, text, due_at, zone,"
                " stale_after_s, source_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (user, kind, text, iso(due_at), zone, stale_after_s, source_key,
                 iso(now or datetime.now(UTC))),
            )
            return int(conn.last_insert_rowid()) if conn.changes() else None

        return await self.db.transaction(write)

    async def get(self, user: str, rid: int) -> Reminder | None:
        rows = await self.db.query(f"SELECT {_COLS} FROM reminders WHERE user_id=? AND id=?", (user, rid))
        return _reminder(rows[0]) if rows else None

    async def due(self, user: str, now: datetime) -> list[Reminder]:
        rows = await self.db.query(
            f"SELECT {_COLS} FROM reminders WHERE user_id=? AND status='pending' AND due_at<=?"
            " ORDER BY due_at",
            (user, iso(now)),
        )
        return [_reminder(r) for r in rows]

    async def next_due(self, user: str) -> datetime | None:
        rows = await self.db.query(
            "SELECT min(due_at) FROM reminders WHERE user_id=? AND status='pending'",
            (user,),
        )
        return parse_iso(rows[0][0]) if rows and rows[0][0] else None

    async def fire(
        self, user: str, rid: int, now: datetime, late_s: float, text: str, kind: str, urgent: bool
    ) -> int | None:
        """Mark fired and put its message in the outbox, atomically; None if it already fired."""

        def write(conn: Any) -> int | None:
            conn.execute(
                "UPDATE reminders SET status='fired', fired_at=?, late_s=?"
                " WHERE id=? AND user_id=? AND status='pending'",
                (iso(now), late_s, rid, user),
            )
            if not conn.changes():
                return None
            conn.execute(
                "INSERT INTO outbox (user_id, kind, text, urgent, reminder_id, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (user, kind, text, int(urgent), rid, iso(now)),
            )
            return int(conn.last_insert_rowid())

        return await self.db.transaction(write)

    async def set_status(self, user: str, rid: int, status: str, now: datetime | None = None,
                         late_s: float | None = None) -> bool:
        def write(conn: Any) -> bool:
            conn.execute(
                "UPDATE reminders SET status=?, fired_at=coalesce(?, fired_at),"
                " late_s=coalesce(?, late_s) WHERE id=? AND user_id=? AND status='pending'",
                (status, iso(now) if now else None, late_s, rid, user),
            )
            return bool(conn.changes())

        return await self.db.transaction(write)

    async def reschedule(self, user: str, rid: int, due_at: datetime, *, snooze: bool = False) -> bool:
        """Move a pending reminder (quiet hours) or bring a fired one back (snooze)."""

        def write(conn: Any) -> bool:
            conn.execute(
                "UPDATE reminders SET status='pending', due_at=?, fired_at=NULL, late_s=NULL,"
                " snoozes=snoozes+? WHERE id=? AND user_id=? AND status IN ('pending', 'fired')",
                (iso(due_at), int(snooze), rid, user),
            )
            return bool(conn.changes())

        return await self.db.transaction(write)

    async def cancel_keys(self, user: str, prefix: str, keep: set[str], before: datetime) -> int:
        """Cancel pending auto-reminders (e.g. for a meeting that moved) no longer wanted."""

        def write(conn: Any) -> int:
            rows = list(conn.execute(
                "SELECT id, source_key FROM reminders WHERE user_id=? AND status='pending'"
                " AND source_key LIKE ? AND due_at<=?",
                (user, prefix + "%", iso(before)),
            ))
            gone = [r[0] for r in rows if r[1] not in keep]
            for rid in gone:
                conn.execute("UPDATE reminders SET status='cancelled' WHERE id=?", (rid,))
            return len(gone)

        return await self.db.transaction(write)

    async def known(self, user: str, source_key: str) -> bool:
        """Was anything ever scheduled under this key (whatever became of it)?"""
        rows = await self.db.query(
            "SELECT 1 FROM reminders WHERE user_id=? AND source_key=? LIMIT 1", (user, source_key))
        return bool(rows)

    async def scheduled_since(self, user: str, kind: str, since: datetime) -> bool:
        """Was a reminder of this kind scheduled at or after `since`?"""
        rows = await self.db.query(
            "SELECT 1 FROM reminders WHERE user_id=? AND kind=? AND created_at>=? LIMIT 1",
            (user, kind, iso(since)))
        return bool(rows)

    async def list(self, user: str, status: str | None = None, limit: int = 200) -> list[Reminder]:
        where, params = "user_id=?", [user]
        if status:
            where += " AND status=?"
            params.append(status)
        rows = await self.db.query(
            f"SELECT {_COLS} FROM reminders WHERE {where} ORDER BY due_at LIMIT ?",
            (*params, limit),
        )
        return [_reminder(r) for r in rows]


class Outbox:
    """What OS1 says first, waiting until an interface shows it (or was shown, and when)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def post(self, user: str, kind: str, text: str, now: datetime, urgent: bool = False) -> int:
        return await self.db.execute(
            "INSERT INTO outbox (user_id, kind, text, urgent, created_at) VALUES (?, ?, ?, ?, ?)",
            (user, kind, text, int(urgent), iso(now)),
        )

    async def undelivered(self, user: str) -> list[OutboxItem]:
        rows = await self.db.query(
            "SELECT id, kind, text, urgent, created_at, reminder_id FROM outbox"
            " WHERE user_id=? AND delivered_at IS NULL ORDER BY urgent DESC, id",
            (user,),
        )
        return [OutboxItem(r[0], r[1], r[2], bool(r[3]), parse_iso(r[4]), r[5]) for r in rows]

    async def delivered_since(self, user: str, since: datetime, urgent: bool = False) -> int:
        rows = await self.db.query(
            "SELECT count(*) FROM outbox WHERE user_id=? AND urgent=? AND delivered_at>=?",
            (user, int(urgent), iso(since)),
        )
        return int(rows[0][0])

    async def mark_delivered(self, user: str, item_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE outbox SET delivered_at=? WHERE id=? AND user_id=? AND delivered_at IS NULL",
            (iso(now), item_id, user),
        )
