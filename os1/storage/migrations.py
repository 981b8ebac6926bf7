"""Append-only, named schema migrations. Never edit one that has shipped: add a new one.

The core owns the tables listed here. A skill owns its own tables: it registers its migrations
through the `register_migrations` plugin hook, named "<skill>.<NNN_what>", and they are applied
after these, once each, recorded in the same `_migrations` table.
"""

from __future__ import annotations

# (name, SQL script). The name is the key recorded in `_migrations`: never rename one.
Migration = tuple[str, str]

MIGRATIONS: list[Migration] = [
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

# Each turn's neighbours are indexed with it (a second, lighter FTS column): an answer like
# "Yes, last week!" is found by the words of the question it answered
# (docs/decisions/0004-recall-weights.md).
# Background memory work keeps a per-user watermark ("everything up to message N has been read
# for facts"), advanced in the same transaction as the facts it produced: after a crash the work
# resumes where it stopped, and nothing is extracted twice.
MIGRATIONS.append(
    (
        "003_memory_context_and_progress",
        """
        ALTER TABLE memories ADD COLUMN context TEXT NOT NULL DEFAULT '';
        DROP TRIGGER memories_ai;
        DROP TRIGGER memories_ad;
        DROP TRIGGER memories_au;
        DROP TABLE memories_fts;
        CREATE VIRTUAL TABLE memories_fts USING fts5(
            content, context, content='memories', content_rowid='id', tokenize='porter unicode61'
        );
        CREATE TRIGGER memories_ai AFTER INSERT ON memories BEGIN
            INSERT INTO memories_fts(rowid, content, context) VALUES (new.id, new.content, new.context);
        END;
        CREATE TRIGGER memories_ad AFTER DELETE ON memories BEGIN
            INSERT INTO memories_fts(memories_fts, rowid, content, context)
                VALUES ('delete', old.id, old.content, old.context);
        END;
        CREATE TRIGGER memories_au AFTER UPDATE OF content, context ON memories BEGIN
            INSERT INTO memories_fts(memories_fts, rowid, content, context)
                VALUES ('delete', old.id, old.content, old.context);
            INSERT INTO memories_fts(rowid, content, context) VALUES (new.id, new.content, new.context);
        END;
        INSERT INTO memories_fts(memories_fts) VALUES ('rebuild');
        CREATE TABLE memory_progress (
            user_id TEXT NOT NULL,
            task TEXT NOT NULL,
            last_id INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT '{}',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (user_id, task)
        );
        """,
    )
)

# Memory: "what did we talk about yesterday?" reads one user's memories of a period.
MIGRATIONS.append(
    (
        "007_memories_by_time",
        """
        CREATE INDEX memories_time ON memories(user_id, happened_at);
        """,
    )
)

# The core's time tables: per-user preferences (quiet hours, the hourly limit, and the keys
# skills register), the persistent reminder schedule (a reminder fires once: 'pending' ->
# 'fired' in the same transaction that puts its message in the outbox), and the outbox of what
# OS1 says first. Databases made before skills owned their tables have them already (an older
# migration made them): IF NOT EXISTS keeps them as they are.
MIGRATIONS.append(
    (
        "008_time_core",
        """
        CREATE TABLE IF NOT EXISTS time_prefs (
            user_id TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (user_id, key)
        );
        CREATE TABLE IF NOT EXISTS reminders (
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
        CREATE INDEX IF NOT EXISTS reminders_due ON reminders(status, due_at);
        CREATE UNIQUE INDEX IF NOT EXISTS reminders_source ON reminders(user_id, source_key)
            WHERE source_key IS NOT NULL;
        CREATE TABLE IF NOT EXISTS outbox (
            id INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            urgent INTEGER NOT NULL DEFAULT 0,
            reminder_id INTEGER,
            created_at TEXT NOT NULL,
            delivered_at TEXT
        );
        CREATE INDEX IF NOT EXISTS outbox_pending ON outbox(user_id, delivered_at);
        """,
    )
)
