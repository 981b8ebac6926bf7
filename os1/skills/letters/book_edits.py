"""The user's edits of a book plan: its title, its introduction, a chapter's title, a letter moved,
left out or put in. Each edit returns a new plan and leaves the old one as it was, so the caller
saves the result whole (plans.py). A chapter left without letters goes; chapters are numbered
from 1 as `describe` shows them.
"""

from __future__ import annotations

from dataclasses import replace

from os1.skills.letters.book import BookPlan, Chapter
from os1.skills.letters.errors import BookError
from os1.skills.letters.repository import Letter


def describe(plan: BookPlan) -> str:
    """The plan as the user reads it: title, introduction, chapters and their letters by number."""
    lines = [f"“{plan.title}” by {plan.author or '?'}: {len(plan.letters)} letters in {len(plan.chapters)} chapters"]
    intro = " ".join(plan.introduction.split())
    lines.append(f"Introduction: {intro[:300] + ('…' if len(intro) > 300 else '') if intro else '(none)'}")
    for n, chapter in enumerate(plan.chapters, 1):
        lines.append(f"{n}. {chapter.title}")
        lines.extend(f"   #{x.id} {x.written_on.isoformat()} to {x.recipient or '?'}: {x.first_line}"
                     for x in chapter.letters)
    return "\n".join(lines)


def _chapters(chapters: list[Chapter]) -> list[Chapter]:
    return [c for c in chapters if c.letters]


def _chapter_index(plan: BookPlan, number: int) -> int:
    if not 1 <= number <= len(plan.chapters):
        raise BookError(f"The book has no chapter {number}.",
                        fix=f"Its chapters are numbered 1 to {len(plan.chapters)}: 'os1 letters book show'.")
    return number - 1


def retitle(plan: BookPlan, title: str) -> BookPlan:
    if not title.strip():
        raise BookError("A book needs a title.", fix="Give it one, e.g. 'Dear Loretta'.")
    return replace(plan, title=title.strip())


def set_introduction(plan: BookPlan, text: str) -> BookPlan:
    return replace(plan, introduction=text.strip())


def rename_chapter(plan: BookPlan, number: int, title: str) -> BookPlan:
    i = _chapter_index(plan, number)
    chapters = list(plan.chapters)
    chapters[i] = Chapter(title.strip() or chapters[i].title, chapters[i].letters)
    return replace(plan, chapters=chapters)


def find(plan: BookPlan, letter_id: int) -> int:
    """The number of the chapter that holds letter #id."""
    for n, chapter in enumerate(plan.chapters, 1):
        if any(x.id == letter_id for x in chapter.letters):
            return n
    raise BookError(f"Letter #{letter_id} is not in the book.", fix="'os1 letters book show' lists those that are.")


def drop(plan: BookPlan, letter_id: int) -> BookPlan:
    """The plan without letter #id."""
    find(plan, letter_id)
    chapters = [Chapter(c.title, [x for x in c.letters if x.id != letter_id]) for c in plan.chapters]
    left = _chapters(chapters)
    if not left:
        raise BookError("That is the book's last letter.", fix="Add another first, or plan a new book.")
    return replace(plan, chapters=left)


def add(plan: BookPlan, letter: Letter, chapter: int = 0, new_chapter: str = "") -> BookPlan:
    """The plan with `letter` at the end of chapter `chapter` (0: the last), or of a new chapter
    `new_chapter` at the book's end."""
    if any(x.id == letter.id for x in plan.letters):
        raise BookError(f"Letter #{letter.id} is already in the book.", fix="Move it with 'os1 letters book move'.")
    chapters = list(plan.chapters)
    if new_chapter.strip() or not chapters:
        chapters.append(Chapter(new_chapter.strip() or "Letters", [letter]))
    else:
        i = _chapter_index(plan, chapter) if chapter else len(chapters) - 1
        chapters[i] = Chapter(chapters[i].title, [*chapters[i].letters, letter])
    return replace(plan, chapters=chapters)


def move(plan: BookPlan, letter_id: int, position: int, chapter: int = 0) -> BookPlan:
    """Letter #id put at `position` (from 1) of chapter `chapter` (0: the chapter it is in)."""
    target = _chapter_index(plan, chapter or find(plan, letter_id))
    letter = next(x for x in plan.letters if x.id == letter_id)
    chapters = [Chapter(c.title, [x for x in c.letters if x.id != letter_id]) for c in plan.chapters]
    letters = chapters[target].letters
    letters.insert(max(0, min(position - 1, len(letters))), letter)
    return replace(plan, chapters=_chapters(chapters))
