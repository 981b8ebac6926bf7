"""The book plan the user edits, kept between commands and conversations (the tables of the
migration letters.002_book_plan), through the store's public API.

A plan is saved whole, in one transaction: every edit (book_edits.py) is a new plan written over
the old one, so a half-made edit never shows. Letters are read back with the plan, so a letter
edited since shows its new text, and a deleted one is simply no longer in the book.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from os1.skills.letters.book import BookPlan, Chapter
from os1.skills.letters.repository import Letter, letter_from_row

_LETTER_COLUMNS = "l.id, l.recipient, l.written_on, l.occasion, l.body, l.source"


class BookPlans:
    """Each user's current book plan."""

    def __init__(self, store: Any) -> None:
        self.store = store

    async def save(self, user: str, plan: BookPlan) -> None:
        """Write `plan` over the user's current one."""
        now = datetime.now(UTC).isoformat(timespec="seconds")

        def write(conn: Any) -> None:
            conn.execute("DELETE FROM letters_book_items WHERE user_id=?", (user,))
            conn.execute(
                "INSERT INTO letters_book (user_id, title, author, introduction, updated_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(user_id) DO UPDATE SET title=excluded.title, author=excluded.author,"
                " introduction=excluded.introduction, updated_at=excluded.updated_at",
                (user, plan.title, plan.author, plan.introduction, now))
            position = 0
            for chapter in plan.chapters:
                for letter in chapter.letters:
                    position += 1
                    conn.execute(
                        "INSERT OR REPLACE INTO letters_book_items (user_id, letter_id, position, chapter)"
                        " VALUES (?, ?, ?, ?)", (user, letter.id, position, chapter.title))

        await self.store.transaction(write)

    async def load(self, user: str) -> BookPlan | None:
        """The user's plan, or None when they have not planned a book yet."""
        head = await self.store.query(
            "SELECT title, author, introduction FROM letters_book WHERE user_id=?", (user,))
        if not head:
            return None
        rows = await self.store.query(
            f"SELECT i.chapter, {_LETTER_COLUMNS} FROM letters_book_items i"
            " JOIN letters l ON l.id = i.letter_id AND l.user_id = i.user_id"
            " WHERE i.user_id=? ORDER BY i.position", (user,))
        groups: dict[str, list[Letter]] = {}
        for row in rows:
            groups.setdefault(row[0], []).append(letter_from_row(row[1:]))
        title, author, introduction = head[0]
        return BookPlan(title, author, [Chapter(t, ls) for t, ls in groups.items()], introduction)

    async def forget(self, user: str) -> None:
        def write(conn: Any) -> None:
            conn.execute("DELETE FROM letters_book_items WHERE user_id=?", (user,))
            conn.execute("DELETE FROM letters_book WHERE user_id=?", (user,))

        await self.store.transaction(write)
