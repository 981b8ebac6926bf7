"""The music skill's table, registered through the `register_migrations` hook (append-only)."""

from __future__ import annotations

PIECES = """
    CREATE TABLE music_pieces (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        moment TEXT NOT NULL,
        intent TEXT NOT NULL,
        chosen_by_model INTEGER NOT NULL DEFAULT 0,
        seed INTEGER NOT NULL,
        variation_of INTEGER REFERENCES music_pieces(id) ON DELETE SET NULL,
        seconds REAL NOT NULL,
        folder TEXT NOT NULL,
        memory_id INTEGER
    );
    CREATE INDEX music_pieces_user ON music_pieces (user_id, id);
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("music.001_pieces", PIECES),
]
