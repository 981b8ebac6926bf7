"""Append-only, named schema migrations. Never edit one that has shipped: add a new one."""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "001_initial",
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL,
            started_at TEXT NOT NULL
        );
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'tool')),
            content TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'complete',
            meta TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        );
        CREATE INDEX messages_user ON messages(user_id, id);
        CREATE TABLE blocks (
            user_id TEXT NOT NULL,
            label TEXT NOT NULL,
            value TEXT NOT NULL,
            char_limit INTEGER NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (user_id, label)
        );
        CREATE TABLE profile (
            user_id TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (user_id, key)
        );
        CREATE TABLE traces (
            id INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL,
            message_id INTEGER,
            events TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX traces_user ON traces(user_id, id);
        """,
    ),
]
