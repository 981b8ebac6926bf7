"""The mail skill's tables, registered through the `register_migrations` hook.

Databases made before the skill owned its schema already have these tables (from the core's
former "004_mail" migration), so the first migration creates them only if missing, with the
same columns. Names are append-only: a shipped migration is never edited.
"""

from __future__ import annotations

TABLES = """
    CREATE TABLE IF NOT EXISTS mail_accounts (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        name TEXT NOT NULL,
        address TEXT NOT NULL,
        display_name TEXT NOT NULL DEFAULT '',
        imap_host TEXT NOT NULL,
        imap_port INTEGER NOT NULL,
        imap_tls TEXT NOT NULL,
        smtp_host TEXT NOT NULL,
        smtp_port INTEGER NOT NULL,
        smtp_tls TEXT NOT NULL,
        username TEXT NOT NULL,
        secret BLOB NOT NULL,
        folders TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        UNIQUE (user_id, name)
    );
    CREATE TABLE IF NOT EXISTS mail_sync (
        user_id TEXT NOT NULL,
        account_id INTEGER NOT NULL REFERENCES mail_accounts(id) ON DELETE CASCADE,
        folder TEXT NOT NULL,
        uidvalidity INTEGER NOT NULL,
        last_uid INTEGER NOT NULL,
        PRIMARY KEY (user_id, account_id, folder)
    );
    CREATE TABLE IF NOT EXISTS mail_messages (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        account_id INTEGER NOT NULL REFERENCES mail_accounts(id) ON DELETE CASCADE,
        folder TEXT NOT NULL,
        uidvalidity INTEGER NOT NULL,
        uid INTEGER NOT NULL,
        message_key TEXT NOT NULL,
        sender TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        sent_at TEXT,
        category TEXT,
        flags TEXT NOT NULL DEFAULT '',
        seen_at TEXT NOT NULL,
        UNIQUE (user_id, account_id, folder, uidvalidity, uid)
    );
    CREATE INDEX IF NOT EXISTS mail_messages_key ON mail_messages(user_id, account_id, message_key);
    CREATE TABLE IF NOT EXISTS mail_moves (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        account_id INTEGER NOT NULL REFERENCES mail_accounts(id) ON DELETE CASCADE,
        batch TEXT NOT NULL,
        message_key TEXT NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        src_folder TEXT NOT NULL,
        src_uidvalidity INTEGER NOT NULL,
        src_uid INTEGER NOT NULL,
        dst_folder TEXT NOT NULL,
        dst_uid INTEGER,
        category TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL CHECK (state IN ('planned', 'done', 'undone', 'gone')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS mail_moves_batch ON mail_moves(user_id, account_id, batch);
    CREATE INDEX IF NOT EXISTS mail_moves_key ON mail_moves(user_id, account_id, message_key);
    CREATE TABLE IF NOT EXISTS mail_rules (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        field TEXT NOT NULL CHECK (field IN ('from', 'subject')),
        pattern TEXT NOT NULL,
        category TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (user_id, field, pattern)
    );
    CREATE TABLE IF NOT EXISTS mail_contacts (
        user_id TEXT NOT NULL,
        address TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        received INTEGER NOT NULL DEFAULT 0,
        sent INTEGER NOT NULL DEFAULT 0,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        notes TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (user_id, address)
    );
"""

MIGRATIONS: list[tuple[str, str]] = [("mail.001_tables", TABLES)]
