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

# Long-term memory: rows with provenance, a BM25 index kept in sync by triggers, and vectors
# (sqlite-vec, partitioned by user so a search never even reads another user's rows).
MIGRATIONS.append(
    (
        "002_memories",
        """
        CREATE TABLE memories (
            id INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('turn', 'fact', 'insight')),
            content TEXT NOT NULL,
            speaker TEXT NOT NULL DEFAULT '',
            sources TEXT NOT NULL DEFAULT '[]',
            importance REAL NOT NULL DEFAULT 0.5,
            happened_at TEXT NOT NULL,
            created_at TEXT NOT NULL,
            valid_to TEXT,
            superseded_by INTEGER,
            embedded INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX memories_user ON memories(user_id, id);
        CREATE INDEX memories_pending ON memories(embedded) WHERE embedded = 0;
        CREATE VIRTUAL TABLE memories_fts USING fts5(
            content, content='memories', content_rowid='id', tokenize='porter unicode61'
        );
        CREATE TRIGGER memories_ai AFTER INSERT ON memories BEGIN
            INSERT INTO memories_fts(rowid, content) VALUES (new.id, new.content);
        END;
        CREATE TRIGGER memories_ad AFTER DELETE ON memories BEGIN
            INSERT INTO memories_fts(memories_fts, rowid, content) VALUES ('delete', old.id, old.content);
        END;
        CREATE TRIGGER memories_au AFTER UPDATE OF content ON memories BEGIN
            INSERT INTO memories_fts(memories_fts, rowid, content) VALUES ('delete', old.id, old.content);
            INSERT INTO memories_fts(rowid, content) VALUES (new.id, new.content);
        END;
        CREATE VIRTUAL TABLE memories_vec USING vec0(
            user_id TEXT PARTITION KEY, embedding FLOAT[384] DISTANCE_METRIC=cosine
        );
        """,
    )
)

# Time (issue #6): per-user preferences of the calendar/reminders, the persistent reminder
# schedule (a reminder fires once: 'pending' → 'fired' in the same transaction that puts its
# message in the outbox), and the outbox of things OS1 says first.
MIGRATIONS.append(
    (
        "005_time",
        """
        CREATE TABLE time_prefs (
            user_id TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (user_id, key)
        );
        CREATE TABLE reminders (
            id INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            due_at TEXT NOT NULL,
            zone TEXT NOT NULL DEFAULT 'UTC',
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'fired', 'dropped', 'cancelled')),
            stale_after_s INTEGER NOT NULL DEFAULT 43200,
            source_key TEXT,
            snoozes INTEGER NOT NULL DEFAULT 0,
            fired_at TEXT,
            late_s REAL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX reminders_due ON reminders(status, due_at);
        CREATE UNIQUE INDEX reminders_source ON reminders(user_id, source_key)
            WHERE source_key IS NOT NULL;
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            urgent INTEGER NOT NULL DEFAULT 0,
            reminder_id INTEGER,
            created_at TEXT NOT NULL,
            delivered_at TEXT
        );
        CREATE INDEX outbox_pending ON outbox(user_id, delivered_at);
        """,
    )
)
