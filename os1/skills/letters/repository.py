"""The user's letters and personal word list, through the store's public API.

Every method takes the user: one user never sees another's letters. Full-text search goes
through the `letters_fts` index the schema keeps in step with the letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from os1.skills.letters.errors import LetterNotFound


@dataclass(frozen=True)
class Letter:
    id: int
    recipient: str
    written_on: date
    occasion: str
    body: str
    source: str = ""

    @property
    def first_line(self) -> str:
        """The first words of the letter, for lists."""
        words = " ".join(self.body.split())
        return words[:70] + ("…" if len(words) > 70 else "")


_COLUMNS = "id, recipient, written_on, occasion, body, source"


def letter_from_row(row: tuple[Any, ...]) -> Letter:
    return Letter(row[0], row[1], date.fromisoformat(row[2]), row[3], row[4], row[5])


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fts_query(words: str) -> str:
    """The user's words as an FTS5 query of quoted terms (all must match), so that punctuation
    or an FTS keyword in what they typed is searched for, not parsed."""
    terms = re.findall(r"\w+", words)
    return " ".join(f'"{t}"' for t in terms)


class LetterRepository:
    """The letters of every user of one store."""

    def __init__(self, store: Any) -> None:
        self.store = store

    async def add(self, user: str, recipient: str, written_on: date, occasion: str, body: str,
                  source: str = "") -> int:
        now = _now()
        return int(await self.store.execute(
            "INSERT INTO letters (user_id, recipient, written_on, occasion, body, source, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (user, recipient.strip(), written_on.isoformat(), occasion.strip(), body, source, now, now)))

    async def get(self, user: str, letter_id: int) -> Letter:
        rows = await self.store.query(
            f"SELECT {_COLUMNS} FROM letters WHERE user_id=? AND id=?", (user, letter_id))
        if not rows:
            raise LetterNotFound(f"There is no letter #{letter_id}.", fix="See them with 'os1 letters list'.")
        return letter_from_row(rows[0])

    async def select(self, user: str, *, year: int | None = None, recipient: str = "",
                   ids: list[int] | None = None) -> list[Letter]:
        """The user's letters, oldest first, narrowed by year, recipient (a part of the name) or ids."""
        sql = f"SELECT {_COLUMNS} FROM letters WHERE user_id=?"
        params: list[Any] = [user]
        if year is not None:
            sql += " AND substr(written_on, 1, 4)=?"
            params.append(f"{year:04d}")
        if recipient:
            sql += " AND recipient LIKE ?"
            params.append(f"%{recipient}%")
        if ids:
            sql += f" AND id IN ({','.join('?' * len(ids))})"
            params.extend(ids)
        rows = await self.store.query(sql + " ORDER BY written_on, id", params)
        return [letter_from_row(r) for r in rows]

    async def latest_to(self, user: str, recipient: str) -> Letter | None:
        """The newest letter to someone whose name contains `recipient` ("the letter I just wrote to Amy")."""
        rows = await self.store.query(
            f"SELECT {_COLUMNS} FROM letters WHERE user_id=? AND recipient LIKE ?"
            " ORDER BY written_on DESC, id DESC LIMIT 1", (user, f"%{recipient}%"))
        return letter_from_row(rows[0]) if rows else None

    async def search(self, user: str, words: str, limit: int = 20) -> list[Letter]:
        """Letters whose recipient, occasion or text hold all of `words`, best match first."""
        query = fts_query(words)
        if not query:
            return []
        rows = await self.store.query(
            f"SELECT {', '.join('l.' + c.strip() for c in _COLUMNS.split(','))} FROM letters_fts"
            " JOIN letters l ON l.id = letters_fts.rowid"
            " WHERE letters_fts MATCH ? AND l.user_id=? ORDER BY rank LIMIT ?", (query, user, limit))
        return [letter_from_row(r) for r in rows]

    async def update(self, user: str, letter_id: int, *, recipient: str | None = None,
                     written_on: date | None = None, occasion: str | None = None,
                     body: str | None = None) -> Letter:
        """Change what is given of letter #id; the others stay."""
        old = await self.get(user, letter_id)
        await self.store.execute(
            "UPDATE letters SET recipient=?, written_on=?, occasion=?, body=?, updated_at=?"
            " WHERE user_id=? AND id=?",
            (old.recipient if recipient is None else recipient.strip(),
             (written_on or old.written_on).isoformat(),
             old.occasion if occasion is None else occasion.strip(),
             old.body if body is None else body, _now(), user, letter_id))
        return await self.get(user, letter_id)

    async def delete(self, user: str, letter_id: int) -> None:
        await self.get(user, letter_id)
        await self.store.execute("DELETE FROM letters WHERE user_id=? AND id=?", (user, letter_id))

    # -- the personal word list: what the spelling check accepts ----------------------------
    async def words(self, user: str) -> set[str]:
        rows = await self.store.query("SELECT word FROM letters_words WHERE user_id=?", (user,))
        return {r[0] for r in rows}

    async def add_words(self, user: str, words: list[str]) -> None:
        def add(conn: Any) -> None:
            for word in words:
                conn.execute("INSERT OR IGNORE INTO letters_words (user_id, word) VALUES (?, ?)",
                             (user, word.strip()))

        await self.store.transaction(add)
