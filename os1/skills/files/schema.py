"""The files skill's tables: runs (one plan each), their journal of operations, and the rules
the user stated or taught by correcting a plan. Paths are BLOBs (the OS's own bytes), so a name
in any encoding is stored exactly. Names are append-only: a shipped migration is never edited."""

from __future__ import annotations

TABLES = """
    CREATE TABLE IF NOT EXISTS files_runs (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        roots BLOB NOT NULL,
        target BLOB NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('planned', 'applying', 'applied', 'undone')),
        summary TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS files_ops (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES files_runs(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL,
        grp TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('move', 'trash', 'hold')),
        src BLOB NOT NULL,
        dst BLOB NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        qhash TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        kept BLOB,
        state TEXT NOT NULL CHECK (state IN ('planned', 'started', 'done', 'skipped', 'failed',
                                             'undoing', 'undone', 'held')),
        note TEXT NOT NULL DEFAULT '',
        made_dirs BLOB NOT NULL DEFAULT x'',
        updated_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS files_ops_run ON files_ops(user_id, run_id, state);
    CREATE TABLE IF NOT EXISTS files_rules (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('never', 'keep', 'rename')),
        pattern TEXT NOT NULL,
        folder TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL CHECK (source IN ('said', 'learned')),
        created_at TEXT NOT NULL,
        UNIQUE (user_id, kind, pattern, folder)
    );
"""

# A file the user placed ("put the lease in Documents/Housing") is a `place` rule: its name, and
# the folder the next plans put it in. SQLite cannot change a CHECK: the table is made again.
PLACE_RULES = """
    CREATE TABLE files_rules_new (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('never', 'keep', 'rename', 'place')),
        pattern TEXT NOT NULL,
        folder TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL CHECK (source IN ('said', 'learned')),
        created_at TEXT NOT NULL,
        UNIQUE (user_id, kind, pattern, folder)
    );
    INSERT INTO files_rules_new (id, user_id, kind, pattern, folder, source, created_at)
        SELECT id, user_id, kind, pattern, folder, source, created_at FROM files_rules;
    DROP TABLE files_rules;
    ALTER TABLE files_rules_new RENAME TO files_rules;
"""

MIGRATIONS: list[tuple[str, str]] = [("files.001_journal", TABLES), ("files.002_place_rules", PLACE_RULES)]
