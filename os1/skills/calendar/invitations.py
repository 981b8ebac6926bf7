"""The calendar's `calendar_invitations` table: iTIP messages found in mail — invitations waiting
for the user's answer, and replies already applied (kept so one message is never applied twice).
Only this repository reads or writes the table, through the store's public database API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from os1.skills.calendar.itip import Itip

MIGRATIONS: list[tuple[str, str]] = [
    (
        # The same table the core created before skills owned their schema: kept as it was.
        "calendar.001_invitations",
        """
        CREATE TABLE IF NOT EXISTS calendar_invitations (
            id INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL,
            message_key TEXT NOT NULL,
            method TEXT NOT NULL,
            uid TEXT NOT NULL,
            sequence INTEGER NOT NULL DEFAULT 0,
            organizer TEXT NOT NULL DEFAULT '',
            sender TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '',
            starts_at TEXT,
            ics TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            received_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS calendar_invitations_seen
            ON calendar_invitations(user_id, message_key, uid);
        """,
    ),
]


class Database(Protocol):
    async def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...
    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int: ...
    async def transaction(self, fn: Any) -> Any: ...


@dataclass(frozen=True)
class Invitation:
    id: int
    uid: str
    organizer: str
    summary: str
    starts_at: str
    ics: str
    status: str

    def describe(self) -> str:
        when = self.starts_at[:16].replace("T", " ") if self.starts_at else "no time given"
        return f"#{self.id} {when} {self.summary!r} from {self.organizer} ({self.status})"


class Invitations:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def remember(self, user: str, key: str, sender: str, inv: Itip, status: str) -> bool:
        """Keep it once; True if it was new."""

        def write(conn: Any) -> bool:
            before = conn.total_changes()  # changes() may still count an earlier statement
            conn.execute(
                "INSERT OR IGNORE INTO calendar_invitations (user_id, message_key, method, uid, sequence,"
                " organizer, sender, summary, starts_at, ics, status, received_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (user, key, inv.method, inv.uid, inv.sequence, inv.organizer, sender, inv.summary[:300],
                 inv.start.astimezone(UTC).isoformat() if inv.start else None, inv.text, status,
                 datetime.now(UTC).isoformat()),
            )
            return bool(conn.total_changes() > before)

        return bool(await self.db.transaction(write))

    async def known_keys(self, user: str) -> set[str]:
        rows = await self.db.query("SELECT message_key FROM calendar_invitations WHERE user_id=?", (user,))
        return {str(r[0]) for r in rows}

    async def pending(self, user: str) -> list[Invitation]:
        rows = await self.db.query(
            "SELECT id, uid, organizer, summary, COALESCE(starts_at, ''), ics, status FROM calendar_invitations"
            " WHERE user_id=? AND method='REQUEST' AND status='pending' ORDER BY starts_at, id", (user,))
        return [Invitation(*r) for r in rows]

    async def waiting(self, user: str) -> list[tuple[str, int, str, str, str | None, str]]:
        """(uid, sequence, organizer, summary, starts_at, ics) of requests waiting, oldest first."""
        rows = await self.db.query(
            "SELECT uid, sequence, organizer, summary, starts_at, ics FROM calendar_invitations"
            " WHERE user_id=? AND method='REQUEST' AND status='pending' ORDER BY id", (user,))
        return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    async def set_status(self, user: str, inv_id: int, status: str) -> None:
        await self.db.execute("UPDATE calendar_invitations SET status=? WHERE user_id=? AND id=?",
                              (status, user, inv_id))

    async def supersede(self, user: str, uid: str, sequence: int, but: str) -> None:
        """An updated invitation replaces the one still waiting."""
        await self.db.execute(
            "UPDATE calendar_invitations SET status='superseded' WHERE user_id=? AND uid=?"
            " AND status='pending' AND method='REQUEST' AND sequence<=? AND message_key<>?",
            (user, uid, sequence, but))

    async def cancel(self, user: str, uid: str) -> None:
        await self.db.execute("UPDATE calendar_invitations SET status='cancelled'"
                              " WHERE user_id=? AND uid=? AND status='pending'", (user, uid))
