"""The letters skill's tables, registered through the `register_migrations` hook.

A letter belongs to one user; its words are indexed in an FTS5 table kept in step by triggers,
so a search never reads another user's rows and never sees a stale body after an edit. The
personal word list holds what the spelling check must accept (names, the user's own words).
Names are append-only: a shipped migration is never edited.
"""

from __future__ import annotations

TABLES = """
    CREATE TABLE IF NOT EXISTS letters (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        recipient TEXT NOT NULL DEFAULT '',
        written_on TEXT NOT NULL,
        occasion TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS letters_user_date ON letters(user_id, written_on);
    CREATE VIRTUAL TABLE IF NOT EXISTS letters_fts USING fts5(
        recipient, occasion, body, content='letters', content_rowid='id'
    );
    CREATE TRIGGER IF NOT EXISTS letters_ai AFTER INSERT ON letters BEGIN
        INSERT INTO letters_fts(rowid, recipient, occasion, body)
        VALUES (new.id, new.recipient, new.occasion, new.body);
    END;
    CREATE TRIGGER IF NOT EXISTS letters_ad AFTER DELETE ON letters BEGIN
        INSERT INTO letters_fts(letters_fts, rowid, recipient, occasion, body)
        VALUES ('delete', old.id, old.recipient, old.occasion, old.body);
    END;
    CREATE TRIGGER IF NOT EXISTS letters_au AFTER UPDATE ON letters BEGIN
        INSERT INTO letters_fts(letters_fts, rowid, recipient, occasion, body)
        VALUES ('delete', old.id, old.recipient, old.occasion, old.body);
        INSERT INTO letters_fts(rowid, recipient, occasion, body)
        VALUES (new.id, new.recipient, new.occasion, new.body);
    END;
    CREATE TABLE IF NOT EXISTS letters_words (
        user_id TEXT NOT NULL,
        word TEXT NOT NULL,
        PRIMARY KEY (user_id, word)
    );
"""

# The book the user is making: one plan per user, edited in place (title, introduction, and
# which letters in what order under what chapter titles). A deleted letter leaves the plan.
BOOK_PLAN = """
    CREATE TABLE IF NOT EXISTS letters_book (
        user_id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        introduction TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS letters_book_items (
        user_id TEXT NOT NULL,
        letter_id INTEGER NOT NULL,
        position INTEGER NOT NULL,
        chapter TEXT NOT NULL,
        PRIMARY KEY (user_id, letter_id)
    );
"""

# Books sent to publishers: what was sent where, so that the answer is noticed when it comes.
SUBMISSIONS = """
    CREATE TABLE IF NOT EXISTS letters_submissions (
        id INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        address TEXT NOT NULL,
        title TEXT NOT NULL,
        message_id TEXT NOT NULL DEFAULT '',
        sent_at TEXT NOT NULL,
        answer_key TEXT NOT NULL DEFAULT '',
        answer_subject TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX IF NOT EXISTS letters_submissions_user ON letters_submissions(user_id, address);
"""

MIGRATIONS = [("letters.001_tables", TABLES), ("letters.002_book_plan", BOOK_PLAN),
              ("letters.003_submissions", SUBMISSIONS)]
