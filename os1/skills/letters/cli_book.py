"""`os1 letters book …`: OS1 proposes a book (`plan`), the user edits it (title, chapter, move,
drop, add, intro) and reads it back (`show`); `compile` makes the files from the plan as it is."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from os1.skills.letters import book_edits
from os1.skills.letters.book import BookPlan
from os1.skills.letters.cli_common import _with_store, console
from os1.skills.letters.errors import BookError
from os1.skills.letters.plans import BookPlans
from os1.skills.letters.repository import LetterRepository

book_app = typer.Typer(help="Your book of letters: OS1 proposes it, you edit it, then it is compiled.",
                       no_args_is_help=True)


async def _plan(store: Any, user: str) -> BookPlan:
    plan = await BookPlans(store).load(user)
    if plan is None or not plan.letters:
        raise BookError("There is no book planned yet.", fix="Plan one with 'os1 letters book plan --year 2026'.")
    return plan


def _edit(ctx: typer.Context, change: Callable[[Any, Any, BookPlan], Awaitable[BookPlan]]) -> None:
    """Load the plan, change it, save it and show it."""

    async def go(s: Any, store: Any) -> None:
        plan = await change(s, store, await _plan(store, s.user))
        await BookPlans(store).save(s.user, plan)
        console.print(escape(book_edits.describe(plan)))

    _with_store(ctx, go)


@book_app.command()
def plan(ctx: typer.Context,
         year: int = typer.Option(None, "--year"), to: str = typer.Option("", "--to"),
         ids: str = typer.Option("", "--ids", help="letters by number, e.g. 3,5,8"),
         title: str = typer.Option("", "--title", help="your title; OS1 proposes one if not given"),
         author: str = typer.Option("", "--author", help="your name as it stands on the title page"),
         chapters: str = typer.Option("season", "--chapters", help="season, recipient or none"),
         plain: bool = typer.Option(False, "--plain", help="without the model: every letter, a plain introduction")) -> None:
    """Propose a book of the chosen letters (replacing the plan you had): title, chapters, introduction."""
    from os1.models.factory import create_llm
    from os1.skills.letters.proposing import propose

    numbers = [int(x) for x in ids.replace(" ", "").split(",") if x] if ids else None

    async def go(s: Any, store: Any) -> None:
        chosen = await LetterRepository(store).select(s.user, year=year, recipient=to, ids=numbers)
        llm = None if plain or not chosen else create_llm(s)
        try:
            proposed = await propose(chosen, author or s.user, title=title, chapters=chapters, llm=llm)
        finally:
            if llm is not None:
                await llm.aclose()
        await BookPlans(store).save(s.user, proposed)
        console.print(escape(book_edits.describe(proposed)))
        console.print("\nEdit it with 'os1 letters book title|chapter|move|drop|add|intro', then 'compile'.")

    _with_store(ctx, go)


@book_app.command()
def show(ctx: typer.Context) -> None:
    """The planned book: title, introduction, chapters and their letters."""

    async def go(s: Any, store: Any) -> None:
        plan = await _plan(store, s.user)
        console.print(escape(book_edits.describe(plan)))
        if plan.introduction:
            console.print("\n" + escape(plan.introduction))

    _with_store(ctx, go)


@book_app.command()
def title(ctx: typer.Context, new_title: str) -> None:
    """Call the book something else: os1 letters book title "Dear Loretta" """

    async def change(s: Any, store: Any, p: BookPlan) -> BookPlan:
        return book_edits.retitle(p, new_title)

    _edit(ctx, change)


@book_app.command()
def chapter(ctx: typer.Context, number: int, new_title: str) -> None:
    """Give chapter NUMBER a new title."""

    async def change(s: Any, store: Any, p: BookPlan) -> BookPlan:
        return book_edits.rename_chapter(p, number, new_title)

    _edit(ctx, change)


@book_app.command()
def move(ctx: typer.Context, letter_id: int, position: int,
         chapter: int = typer.Option(0, "--chapter", help="into this chapter (by number); its own if not given")) -> None:
    """Put letter LETTER_ID at POSITION (from 1) in its chapter or another."""

    async def change(s: Any, store: Any, p: BookPlan) -> BookPlan:
        return book_edits.move(p, letter_id, position, chapter)

    _edit(ctx, change)


@book_app.command()
def drop(ctx: typer.Context, letter_id: int) -> None:
    """Leave letter LETTER_ID out of the book (it stays among your letters)."""

    async def change(s: Any, store: Any, p: BookPlan) -> BookPlan:
        return book_edits.drop(p, letter_id)

    _edit(ctx, change)


@book_app.command()
def add(ctx: typer.Context, letter_id: int,
        chapter: int = typer.Option(0, "--chapter", help="at the end of this chapter; the last if not given"),
        new_chapter: str = typer.Option("", "--new-chapter", help="in a new chapter of this title, at the end")) -> None:
    """Put letter LETTER_ID into the book."""

    async def change(s: Any, store: Any, p: BookPlan) -> BookPlan:
        letter = await LetterRepository(store).get(s.user, letter_id)
        return book_edits.add(p, letter, chapter, new_chapter)

    _edit(ctx, change)


@book_app.command()
def intro(ctx: typer.Context,
          file: Path = typer.Option(None, "--file", help="a text file with the introduction; your editor if not given")) -> None:
    """Write or change the book's introduction."""

    async def change(s: Any, store: Any, p: BookPlan) -> BookPlan:
        if file is not None:
            return book_edits.set_introduction(p, await asyncio.to_thread(file.read_text))
        edited = typer.edit(p.introduction)
        return p if edited is None else book_edits.set_introduction(p, edited)

    _edit(ctx, change)


@book_app.command("compile")
def compile_(ctx: typer.Context,
             out: Path = typer.Option(None, "--out", help="the folder for the PDF, the EPUB and the previews;"
                                                          " the data folder's books/ if not given")) -> None:
    """Make the planned book: a PDF with real typography, an EPUB and page previews."""
    from os1.skills.letters.bookmaking import compile_book, slug

    async def go(s: Any, store: Any) -> None:
        plan = await _plan(store, s.user)
        folder = out or s.data_dir / "books" / s.user / slug(plan.title)
        files = await asyncio.to_thread(compile_book, plan, folder, lambda text: console.print(escape(text)))
        console.print(f"{files.pages} pages: {files.pdf}\nEPUB: {files.epub}\n"
                      f"Previews: {', '.join(str(p) for p in files.previews)}")

    _with_store(ctx, go)
