"""The book: which letters, in what order and chapters, under what title, with the user's
introduction. A plan is plain data the user edits; bookmaking.py turns it into files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from os1.skills.letters.errors import BookError
from os1.skills.letters.repository import Letter

GROUPINGS = ("recipient", "season", "none")
_SEASONS = {12: "Winter", 1: "Winter", 2: "Winter", 3: "Spring", 4: "Spring", 5: "Spring",
            6: "Summer", 7: "Summer", 8: "Summer", 9: "Autumn", 10: "Autumn", 11: "Autumn"}


@dataclass(frozen=True)
class Chapter:
    title: str
    letters: list[Letter]


@dataclass
class BookPlan:
    title: str
    author: str
    chapters: list[Chapter]
    introduction: str = ""
    language: str = "en"
    made_on: date = field(default_factory=date.today)

    @property
    def letters(self) -> list[Letter]:
        return [letter for chapter in self.chapters for letter in chapter.letters]


def _season(letter: Letter) -> str:
    month = letter.written_on.month
    year = letter.written_on.year + (1 if month == 12 else 0)  # December opens the next winter
    return f"{_SEASONS[month]} {year}"


def _chapter_of(letter: Letter, grouping: str) -> str:
    if grouping == "recipient":
        return f"To {letter.recipient or 'someone'}"
    return _season(letter) if grouping == "season" else "Letters"


def plan_book(letters: Iterable[Letter], title: str, author: str, *, chapters: str = "season",
              introduction: str = "") -> BookPlan:
    """Letters in the order they were written, in chapters by season, by recipient (in the order
    each was first written to) or one chapter."""
    chosen = sorted(letters, key=lambda x: (x.written_on, x.id))
    if not chosen:
        raise BookError("No letters were chosen for the book.",
                        fix="Choose by year, recipient or numbers; 'os1 letters list' shows them.")
    if chapters not in GROUPINGS:
        raise BookError(f"Chapters by {chapters!r}?", fix=f"Choose one of {', '.join(GROUPINGS)}.")
    groups: dict[str, list[Letter]] = {}
    for letter in chosen:
        groups.setdefault(_chapter_of(letter, chapters), []).append(letter)
    return BookPlan(title.strip() or "Letters", author.strip(), [Chapter(t, ls) for t, ls in groups.items()],
                    introduction.strip())
