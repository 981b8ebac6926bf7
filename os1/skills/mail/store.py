"""The mail repository on SQLite: the tables of `schema.py`, through SqliteStore's public API.

Every query filters on user_id: one user never sees another's accounts, moves or contacts.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import apsw

from os1.skills.mail.repository import (
    CATEGORIES,
    DEFAULT_FOLDERS,
    MOVE_STATES,
    SEEN_BATCH,
    Account,
    Contact,
    KnownMessage,
    MailRepository,
    MessageRef,
    Move,
    PlannedMove,
    SeenMessage,
)
from os1.storage.base import Store
from os1.storage.sqlite import SqliteStore

__all__ = ["CATEGORIES", "DEFAULT_FOLDERS", "Account", "MailStore", "Move", "mail_repository"]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_ACCOUNT_COLS = (
    "id, user_id, name, address, display_name, imap_host, imap_port, imap_tls, smtp_host,"
    " smtp_port, smtp_tls, username, secret, folders"
)
_MOVE_COLS = (
    "id, batch, message_key, subject, src_folder, src_uidvalidity, src_uid, dst_folder, dst_uid,"
    " category, reason, state"
)


def _account(r: tuple[Any, ...]) -> Account:
    folders = {**DEFAULT_FOLDERS, **json.loads(r[13] or "{}")}
    return Account(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11],
                   bytes(r[12]), folders)


def mail_repository(store: Store) -> MailRepository:
    """The mail tables of the user's database (the SQLite one is the only backend so far)."""
    if isinstance(store, SqliteStore):
        return MailStore(store)
    raise TypeError(f"Mail has no repository for a {type(store).__name__}.")


class MailStore:
    """MailRepository on SQLite."""

    def __init__(self, db: SqliteStore) -> None:
        self.db = db

    # -- accounts ---------------------------------------------------------------------------
    async def save_account(self, a: Account, *, replace: bool = False) -> int:
        def write(conn: apsw.Connection) -> int:
            if replace:
                conn.execute("DELETE FROM mail_accounts WHERE user_id=? AND name=?", (a.user, a.name))
            conn.execute(
                "INSERT INTO mail_accounts (user_id, name, address, display_name, imap_host,"
                " imap_port, imap_tls, smtp_host, smtp_port, smtp_tls, username, secret,"
                " folders, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (a.user, a.name, a.address, a.display_name, a.imap_host, a.imap_port,
                 a.imap_tls, a.smtp_host, a.smtp_port, a.smtp_tls, a.username, a.secret,
                 json.dumps(a.folders), now()),
            )
            return int(conn.last_insert_rowid())

        return await self.db.transaction(write)

    async def accounts(self, user: str) -> list[Account]:
        rows = await self.db.query(
            f"SELECT {_ACCOUNT_COLS} FROM mail_accounts WHERE user_id=? ORDER BY id", (user,)
        )
        return [_account(r) for r in rows]

    async def set_folders(self, user: str, account_id: int, folders: dict[str, str]) -> None:
        await self.db.execute(
            "UPDATE mail_accounts SET folders=? WHERE user_id=? AND id=?",
            (json.dumps(folders), user, account_id),
        )

    async def remove_account(self, user: str, name: str) -> bool:
        def write(conn: apsw.Connection) -> bool:
            conn.execute("DELETE FROM mail_accounts WHERE user_id=? AND name=?", (user, name))
            return bool(conn.changes() > 0)

        return await self.db.transaction(write)

    # -- sync state -------------------------------------------------------------------------
    async def sync_state(self, user: str, account_id: int, folder: str) -> tuple[int, int] | None:
        rows = await self.db.query(
            "SELECT uidvalidity, last_uid FROM mail_sync WHERE user_id=? AND account_id=? AND folder=?",
            (user, account_id, folder),
        )
        return (int(rows[0][0]), int(rows[0][1])) if rows else None

    async def set_sync_state(
        self, user: str, account_id: int, folder: str, uidvalidity: int, last_uid: int
    ) -> None:
        await self.db.execute(
            "INSERT INTO mail_sync VALUES (?,?,?,?,?) ON CONFLICT (user_id, account_id, folder)"
            " DO UPDATE SET uidvalidity=excluded.uidvalidity, last_uid=excluded.last_uid",
            (user, account_id, folder, uidvalidity, last_uid),
        )

    # -- seen messages ----------------------------------------------------------------------
    async def remember(self, user: str, account_id: int, folder: str, uidvalidity: int,
                       items: list[SeenMessage]) -> dict[int, int]:
        """Cache headers of messages shown to the model; returns uid -> local id (stable)."""

        def write(conn: apsw.Connection) -> dict[int, int]:
            ids: dict[int, int] = {}
            for m in items:
                conn.execute(
                    "INSERT INTO mail_messages (user_id, account_id, folder, uidvalidity, uid,"
                    " message_key, sender, subject, sent_at, category, flags, seen_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT"
                    " (user_id, account_id, folder, uidvalidity, uid) DO UPDATE SET"
                    " category=coalesce(excluded.category, category), flags=excluded.flags",
                    (user, account_id, folder, uidvalidity, m.uid, m.key, m.sender, m.subject,
                     m.date, m.category, m.flags, now()),
                )
                row = conn.execute(
                    "SELECT id FROM mail_messages WHERE user_id=? AND account_id=? AND folder=?"
                    " AND uidvalidity=? AND uid=?",
                    (user, account_id, folder, uidvalidity, m.uid),
                ).fetchone()
                assert row is not None  # written just above
                ids[m.uid] = int(row[0])
            return ids

        return await self.db.transaction(write)

    async def message_ref(self, user: str, local_id: int) -> MessageRef | None:
        rows = await self.db.query(
            "SELECT account_id, folder, uidvalidity, uid, message_key, subject FROM mail_messages"
            " WHERE user_id=? AND id=?", (user, local_id),
        )
        return MessageRef(*rows[0]) if rows else None

    async def relocate(self, user: str, account_id: int, key: str, folder: str,
                       uidvalidity: int, uid: int | None) -> None:
        """After a move, the local id keeps pointing at the message in its new place."""
        if uid is None:
            return
        await self.db.execute(
            "UPDATE OR IGNORE mail_messages SET folder=?, uidvalidity=?, uid=?"
            " WHERE user_id=? AND account_id=? AND message_key=?",
            (folder, uidvalidity, uid, user, account_id, key),
        )

    async def last_known(self, user: str, account_id: int, key: str) -> KnownMessage | None:
        rows = await self.db.query(
            "SELECT m.id, m.folder, m.sender, (SELECT v.dst_folder FROM mail_moves v WHERE"
            " v.user_id=m.user_id AND v.account_id=m.account_id AND v.message_key=m.message_key"
            " AND v.state IN ('planned', 'done') ORDER BY v.id DESC LIMIT 1) FROM mail_messages m"
            " WHERE m.user_id=? AND m.account_id=? AND m.message_key=? ORDER BY m.id DESC LIMIT 1",
            (user, account_id, key),
        )
        return KnownMessage(int(rows[0][0]), rows[0][1], rows[0][2], rows[0][3]) if rows else None

    # -- the move journal -------------------------------------------------------------------
    async def plan_moves(self, user: str, account_id: int, batch: str,
                         plans: list[PlannedMove]) -> None:
        def write(conn: apsw.Connection) -> None:
            for p in plans:
                conn.execute(
                    "INSERT INTO mail_moves (user_id, account_id, batch, message_key, subject,"
                    " src_folder, src_uidvalidity, src_uid, dst_folder, category, reason, state,"
                    " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,'planned',?,?)",
                    (user, account_id, batch, p.key, p.subject, p.src_folder, p.uidvalidity,
                     p.uid, p.dst_folder, p.category, p.reason, now(), now()),
                )

        await self.db.transaction(write)

    async def moves(self, user: str, account_id: int, *, batch: str | None = None,
                    states: tuple[str, ...] = MOVE_STATES) -> list[Move]:
        marks = ",".join("?" * len(states))
        sql = (f"SELECT {_MOVE_COLS} FROM mail_moves WHERE user_id=? AND account_id=?"
               f" AND state IN ({marks})")
        params: tuple[Any, ...] = (user, account_id, *states)
        if batch is not None:
            sql += " AND batch=?"
            params += (batch,)
        return [Move(*r) for r in await self.db.query(sql + " ORDER BY id", params)]

    async def set_move_state(self, user: str, move_id: int, state: str,
                             dst_uid: int | None = None) -> None:
        await self.db.execute(
            "UPDATE mail_moves SET state=?, dst_uid=coalesce(?, dst_uid), updated_at=?"
            " WHERE user_id=? AND id=?",
            (state, dst_uid, now(), user, move_id),
        )

    async def record_seen_move(self, user: str, account_id: int, key: str, subject: str,
                               src: str, dst: str, uidvalidity: int, uid: int, category: str) -> None:
        """A move the user made in another mail client, journaled as their correction (done,
        reason 'user'; `undo` leaves it alone) and the message followed to its new place."""
        def write(conn: apsw.Connection) -> None:
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

        await self.db.transaction(write)

    async def corrections(self, user: str, limit: int = 200) -> list[tuple[str, str]]:
        """(subject, category) of the user's own corrections, newest first: triage learns
        from them what belongs where."""
        rows = await self.db.query(
            "SELECT subject, category FROM mail_moves WHERE user_id=? AND reason='user'"
            " AND state='done' AND subject != '' ORDER BY id DESC LIMIT ?",
            (user, limit),
        )
        return [(r[0], r[1]) for r in rows]

    async def keys_with_moves(self, user: str, account_id: int) -> set[str]:
        """Messages triage already decided about (moved, planned, or moved back by the user)."""
        rows = await self.db.query(
            "SELECT DISTINCT message_key FROM mail_moves WHERE user_id=? AND account_id=?",
            (user, account_id),
        )
        return {r[0] for r in rows}

    async def last_batch(self, user: str, account_id: int) -> str | None:
        """The newest batch OS1 moved (not moves it only saw the user make elsewhere)."""
        rows = await self.db.query(
            "SELECT batch FROM mail_moves WHERE user_id=? AND account_id=? AND state='done'"
            " AND batch NOT LIKE ? ORDER BY id DESC LIMIT 1", (user, account_id, f"{SEEN_BATCH}%"),
        )
        return str(rows[0][0]) if rows else None

    # -- rules ------------------------------------------------------------------------------
    async def add_rule(self, user: str, field_: str, pattern: str, category: str) -> None:
        await self.db.execute(
            "INSERT INTO mail_rules (user_id, field, pattern, category, created_at)"
            " VALUES (?,?,?,?,?) ON CONFLICT (user_id, field, pattern)"
            " DO UPDATE SET category=excluded.category",
            (user, field_, pattern.lower(), category, now()),
        )

    async def rules(self, user: str) -> list[tuple[str, str, str]]:
        rows = await self.db.query(
            "SELECT field, pattern, category FROM mail_rules WHERE user_id=? ORDER BY id", (user,),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    # -- contacts ---------------------------------------------------------------------------
    async def note_contacts(self, user: str, seen: list[tuple[str, str]], *, sent: bool) -> None:
        """Count (address, name) pairs seen as senders (sent=False) or as our recipients."""
        column = "sent" if sent else "received"

        def write(conn: apsw.Connection) -> None:
            for address, name in seen:
                conn.execute(
                    f"INSERT INTO mail_contacts (user_id, address, name, {column}, first_seen,"
                    f" last_seen) VALUES (?,?,?,1,?,?) ON CONFLICT (user_id, address) DO UPDATE"
                    f" SET {column}={column}+1, last_seen=excluded.last_seen,"
                    f" name=CASE WHEN excluded.name != '' THEN excluded.name ELSE name END",
                    (user, address.lower(), name, now(), now()),
                )

        await self.db.transaction(write)

    async def contacts(self, user: str, query: str = "", limit: int = 50) -> list[Contact]:
        like = f"%{query.lower()}%"
        rows = await self.db.query(
            "SELECT address, name, received, sent, last_seen, notes FROM mail_contacts"
            " WHERE user_id=? AND (address LIKE ? OR lower(name) LIKE ?)"
            " ORDER BY sent DESC, received DESC LIMIT ?", (user, like, like, limit),
        )
        return [Contact(*r) for r in rows]

    async def known_addresses(self, user: str) -> set[str]:
        rows = await self.db.query(
            "SELECT address FROM mail_contacts WHERE user_id=? AND sent > 0", (user,)
        )
        return {r[0] for r in rows}

    async def set_contact_note(self, user: str, address: str, notes: str) -> bool:
        def write(conn: apsw.Connection) -> bool:
            conn.execute(
                "UPDATE mail_contacts SET notes=? WHERE user_id=? AND address=?",
                (notes, user, address.lower()),
            )
            return bool(conn.changes() > 0)

        return await self.db.transaction(write)
