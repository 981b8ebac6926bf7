"""The mail tables (migration 004_mail), reached through SqliteStore's own thread and helpers.

Every query filters on user_id: one user never sees another's accounts, moves or contacts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from os1.storage.sqlite import SqliteStore

CATEGORIES = ("important", "needs_reply", "keep", "newsletters", "junk")
DEFAULT_FOLDERS = {
    "important": "Important",
    "needs_reply": "Needs reply",
    "keep": "Keep",
    "newsletters": "Newsletters",
    "junk": "Junk",
}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Account:
    id: int
    user: str
    name: str
    address: str
    display_name: str
    imap_host: str
    imap_port: int
    imap_tls: str  # ssl | starttls | none
    smtp_host: str
    smtp_port: int
    smtp_tls: str
    username: str
    secret: bytes = field(repr=False)  # Fernet token; see os1/core/vault.py
    folders: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_FOLDERS))

    def folder(self, category: str) -> str:
        return self.folders.get(category, DEFAULT_FOLDERS[category])


@dataclass
class Move:
    id: int
    batch: str
    message_key: str
    subject: str
    src_folder: str
    src_uidvalidity: int
    src_uid: int
    dst_folder: str
    dst_uid: int | None
    category: str
    reason: str
    state: str


_ACCOUNT_COLS = (
    "id, user_id, name, address, display_name, imap_host, imap_port, imap_tls, smtp_host,"
    " smtp_port, smtp_tls, username, secret, folders"
)
SEEN_BATCH = "seen-"  # batches of moves the user made elsewhere, which OS1 only learned from
_MOVE_COLS = (
    "id, batch, message_key, subject, src_folder, src_uidvalidity, src_uid, dst_folder, dst_uid,"
    " category, reason, state"
)


def _account(row: tuple[Any, ...]) -> Account:
    folders = {**DEFAULT_FOLDERS, **json.loads(row[13] or "{}")}
    return Account(*row[:12], bytes(row[12]), folders)


class MailStore:
    def __init__(self, store: SqliteStore) -> None:
        self.s = store

    # -- accounts ---------------------------------------------------------------------------
    async def save_account(self, a: Account, *, replace: bool = False) -> int:
        def write() -> int:
            with self.s._tx() as conn:
                if replace:
                    conn.execute(
                        "DELETE FROM mail_accounts WHERE user_id=? AND name=?", (a.user, a.name)
                    )
                conn.execute(
                    "INSERT INTO mail_accounts (user_id, name, address, display_name, imap_host,"
                    " imap_port, imap_tls, smtp_host, smtp_port, smtp_tls, username, secret,"
                    " folders, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (a.user, a.name, a.address, a.display_name, a.imap_host, a.imap_port,
                     a.imap_tls, a.smtp_host, a.smtp_port, a.smtp_tls, a.username, a.secret,
                     json.dumps(a.folders), now()),
                )
                return conn.last_insert_rowid()

        return await self.s._run(write)

    async def accounts(self, user: str) -> list[Account]:
        rows = await self.s._run(
            self.s._rows,
            f"SELECT {_ACCOUNT_COLS} FROM mail_accounts WHERE user_id=? ORDER BY id", (user,),
        )
        return [_account(r) for r in rows]

    async def set_folders(self, user: str, account_id: int, folders: dict[str, str]) -> None:
        await self.s._run(
            self.s._write, "UPDATE mail_accounts SET folders=? WHERE user_id=? AND id=?",
            (json.dumps(folders), user, account_id),
        )

    async def remove_account(self, user: str, name: str) -> bool:
        def write() -> bool:
            with self.s._tx() as conn:
                conn.execute("DELETE FROM mail_accounts WHERE user_id=? AND name=?", (user, name))
                return conn.changes() > 0

        return await self.s._run(write)

    # -- sync state -------------------------------------------------------------------------
    async def sync_state(self, user: str, account_id: int, folder: str) -> tuple[int, int] | None:
        rows = await self.s._run(
            self.s._rows,
            "SELECT uidvalidity, last_uid FROM mail_sync WHERE user_id=? AND account_id=? AND folder=?",
            (user, account_id, folder),
        )
        return (int(rows[0][0]), int(rows[0][1])) if rows else None

    async def set_sync_state(
        self, user: str, account_id: int, folder: str, uidvalidity: int, last_uid: int
    ) -> None:
        await self.s._run(
            self.s._write,
            "INSERT INTO mail_sync VALUES (?,?,?,?,?) ON CONFLICT (user_id, account_id, folder)"
            " DO UPDATE SET uidvalidity=excluded.uidvalidity, last_uid=excluded.last_uid",
            (user, account_id, folder, uidvalidity, last_uid),
        )

    # -- seen messages ----------------------------------------------------------------------
    async def remember(self, user: str, account_id: int, folder: str, uidvalidity: int,
                       items: list[dict[str, Any]]) -> dict[int, int]:
        """Cache headers of messages shown to the model; returns uid -> local id (stable)."""

        def write() -> dict[int, int]:
            ids: dict[int, int] = {}
            with self.s._tx() as conn:
                for m in items:
                    conn.execute(
                        "INSERT INTO mail_messages (user_id, account_id, folder, uidvalidity, uid,"
                        " message_key, sender, subject, sent_at, category, flags, seen_at)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT"
                        " (user_id, account_id, folder, uidvalidity, uid) DO UPDATE SET"
                        " category=coalesce(excluded.category, category), flags=excluded.flags",
                        (user, account_id, folder, uidvalidity, m["uid"], m["key"], m["sender"],
                         m["subject"], m.get("date"), m.get("category"), m.get("flags", ""), now()),
                    )
                    row = conn.execute(
                        "SELECT id FROM mail_messages WHERE user_id=? AND account_id=? AND folder=?"
                        " AND uidvalidity=? AND uid=?",
                        (user, account_id, folder, uidvalidity, m["uid"]),
                    ).fetchone()
                    ids[m["uid"]] = int(row[0])
            return ids

        return await self.s._run(write)

    async def message_ref(self, user: str, local_id: int) -> tuple[Any, ...] | None:
        rows = await self.s._run(
            self.s._rows,
            "SELECT account_id, folder, uidvalidity, uid, message_key, subject FROM mail_messages"
            " WHERE user_id=? AND id=?", (user, local_id),
        )
        return rows[0] if rows else None

    async def relocate(self, user: str, account_id: int, key: str, folder: str,
                       uidvalidity: int, uid: int | None) -> None:
        """After a move, the local id keeps pointing at the message in its new place."""
        if uid is None:
            return
        await self.s._run(
            self.s._write,
            "UPDATE OR IGNORE mail_messages SET folder=?, uidvalidity=?, uid=?"
            " WHERE user_id=? AND account_id=? AND message_key=?",
            (folder, uidvalidity, uid, user, account_id, key),
        )

    # -- the move journal -------------------------------------------------------------------
    async def plan_moves(self, user: str, account_id: int, batch: str,
                         plans: list[dict[str, Any]]) -> None:
        def write() -> None:
            with self.s._tx() as conn:
                for p in plans:
                    conn.execute(
                        "INSERT INTO mail_moves (user_id, account_id, batch, message_key, subject,"
                        " src_folder, src_uidvalidity, src_uid, dst_folder, category, reason, state,"
                        " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,'planned',?,?)",
                        (user, account_id, batch, p["key"], p["subject"], p["src_folder"],
                         p["uidvalidity"], p["uid"], p["dst_folder"], p["category"],
                         p.get("reason", ""), now(), now()),
                    )

        await self.s._run(write)

    async def moves(self, user: str, account_id: int, *, batch: str | None = None,
                    states: tuple[str, ...] = ("planned", "done", "undone", "gone")) -> list[Move]:
        marks = ",".join("?" * len(states))
        sql = (f"SELECT {_MOVE_COLS} FROM mail_moves WHERE user_id=? AND account_id=?"
               f" AND state IN ({marks})")
        params: tuple[Any, ...] = (user, account_id, *states)
        if batch is not None:
            sql += " AND batch=?"
            params += (batch,)
        rows = await self.s._run(self.s._rows, sql + " ORDER BY id", params)
        return [Move(*r) for r in rows]

    async def corrections(self, user: str, limit: int = 200) -> list[tuple[str, str]]:
        """(subject, category) of the user's own corrections, newest first: triage learns
        from them what belongs where."""
        rows = await self.s._run(
            self.s._rows,
            "SELECT subject, category FROM mail_moves WHERE user_id=? AND reason='user'"
            " AND state='done' AND subject != '' ORDER BY id DESC LIMIT ?",
            (user, limit),
        )
        return [(r[0], r[1]) for r in rows]

    async def last_known(self, user: str, account_id: int, key: str) -> tuple[int, str, str, str | None] | None:
        """(local id, folder, sender, where the newest journaled move took it) for a message
        seen before, by its key."""
        rows = await self.s._run(
            self.s._rows,
            "SELECT m.id, m.folder, m.sender, (SELECT v.dst_folder FROM mail_moves v WHERE"
            " v.user_id=m.user_id AND v.account_id=m.account_id AND v.message_key=m.message_key"
            " AND v.state IN ('planned', 'done') ORDER BY v.id DESC LIMIT 1) FROM mail_messages m"
            " WHERE m.user_id=? AND m.account_id=? AND m.message_key=? ORDER BY m.id DESC LIMIT 1",
            (user, account_id, key),
        )
        return (int(rows[0][0]), rows[0][1], rows[0][2], rows[0][3]) if rows else None

    async def record_seen_move(self, user: str, account_id: int, key: str, subject: str,
                               src: str, dst: str, uidvalidity: int, uid: int, category: str) -> None:
        """A move the user made in another mail client, journaled as their correction (done,
        reason 'user'; `undo` leaves it alone) and the message followed to its new place."""
        def write() -> None:
            with self.s._tx() as conn:
                conn.execute(
                    "INSERT INTO mail_moves (user_id, account_id, batch, message_key, subject,"
                    " src_folder, src_uidvalidity, src_uid, dst_folder, dst_uid, category, reason,"
                    " state, created_at, updated_at) VALUES (?,?,?,?,?,?,0,0,?,?,?,'user','done',?,?)",
                    (user, account_id, f"{SEEN_BATCH}{uidvalidity}-{uid}", key, subject, src, dst,
                     uid, category, now(), now()),
                )
                conn.execute(
                    "UPDATE OR IGNORE mail_messages SET folder=?, uidvalidity=?, uid=?"
                    " WHERE user_id=? AND account_id=? AND message_key=?",
                    (dst, uidvalidity, uid, user, account_id, key),
                )

        await self.s._run(write)

    async def keys_with_moves(self, user: str, account_id: int) -> set[str]:
        """Messages triage already decided about (moved, planned, or moved back by the user)."""
        rows = await self.s._run(
            self.s._rows,
            "SELECT DISTINCT message_key FROM mail_moves WHERE user_id=? AND account_id=?",
            (user, account_id),
        )
        return {r[0] for r in rows}

    async def set_move_state(self, user: str, move_id: int, state: str,
                             dst_uid: int | None = None) -> None:
        await self.s._run(
            self.s._write,
            "UPDATE mail_moves SET state=?, dst_uid=coalesce(?, dst_uid), updated_at=?"
            " WHERE user_id=? AND id=?",
            (state, dst_uid, now(), user, move_id),
        )

    async def last_batch(self, user: str, account_id: int) -> str | None:
        """The newest batch OS1 moved (not moves it only saw the user make elsewhere)."""
        rows = await self.s._run(
            self.s._rows,
            "SELECT batch FROM mail_moves WHERE user_id=? AND account_id=? AND state='done'"
            f" AND batch NOT LIKE '{SEEN_BATCH}%' ORDER BY id DESC LIMIT 1", (user, account_id),
        )
        return rows[0][0] if rows else None

    # -- rules ------------------------------------------------------------------------------
    async def add_rule(self, user: str, field_: str, pattern: str, category: str) -> None:
        await self.s._run(
            self.s._write,
            "INSERT INTO mail_rules (user_id, field, pattern, category, created_at)"
            " VALUES (?,?,?,?,?) ON CONFLICT (user_id, field, pattern)"
            " DO UPDATE SET category=excluded.category",
            (user, field_, pattern.lower(), category, now()),
        )

    async def rules(self, user: str) -> list[tuple[str, str, str]]:
        rows = await self.s._run(
            self.s._rows,
            "SELECT field, pattern, category FROM mail_rules WHERE user_id=? ORDER BY id", (user,),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    # -- contacts ---------------------------------------------------------------------------
    async def note_contacts(self, user: str, seen: list[tuple[str, str]], *, sent: bool) -> None:
        """Count (address, name) pairs seen as senders (sent=False) or as our recipients."""
        column = "sent" if sent else "received"

        def write() -> None:
            with self.s._tx() as conn:
                for address, name in seen:
                    conn.execute(
                        f"INSERT INTO mail_contacts (user_id, address, name, {column}, first_seen,"
                        f" last_seen) VALUES (?,?,?,1,?,?) ON CONFLICT (user_id, address) DO UPDATE"
                        f" SET {column}={column}+1, last_seen=excluded.last_seen,"
                        f" name=CASE WHEN excluded.name != '' THEN excluded.name ELSE name END",
                        (user, address.lower(), name, now(), now()),
                    )

        await self.s._run(write)

    async def contacts(self, user: str, query: str = "", limit: int = 50) -> list[dict[str, Any]]:
        like = f"%{query.lower()}%"
        rows = await self.s._run(
            self.s._rows,
            "SELECT address, name, received, sent, last_seen, notes FROM mail_contacts"
            " WHERE user_id=? AND (address LIKE ? OR lower(name) LIKE ?)"
            " ORDER BY sent DESC, received DESC LIMIT ?", (user, like, like, limit),
        )
        keys = ("address", "name", "received", "sent", "last_seen", "notes")
        return [dict(zip(keys, r)) for r in rows]

    async def set_contact_note(self, user: str, address: str, notes: str) -> bool:
        def write() -> bool:
            with self.s._tx() as conn:
                conn.execute(
                    "UPDATE mail_contacts SET notes=? WHERE user_id=? AND address=?",
                    (notes, user, address.lower()),
                )
                return conn.changes() > 0

        return await self.s._run(write)
