"""`os1 letters …`: the letters library, proofreading change by change, and the book."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from os1.skills.letters.cli_book import book_app
from os1.skills.letters.cli_common import _with_store, console
from os1.skills.letters.cli_proofread import proofread_cmd
from os1.skills.letters.repository import Letter, LetterRepository

letters_app = typer.Typer(help="Your letters: keep, search, proofread, and gather them into a book.",
                          no_args_is_help=True)


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date like 2026-03-14.") from None


def _line(letter: Letter) -> str:
    occasion = f" ({letter.occasion})" if letter.occasion else ""
    return (f"#{letter.id} {letter.written_on.isoformat()} to {escape(letter.recipient or '?')}"
            f"{escape(occasion)}: {escape(letter.first_line)}")


@letters_app.command()
def add(ctx: typer.Context,
        to: str = typer.Option(..., "--to", help="whom the letter is to"),
        on: str = typer.Option("", "--date", help="when it was written (YYYY-MM-DD); today if not given"),
        occasion: str = typer.Option("", "--occasion", help="e.g. birthday, thanks, condolence"),
        text: str = typer.Option(None, "--text", help="the letter; read from standard input if not given")) -> None:
    """Add a letter: os1 letters add --to Amy --occasion birthday < letter.txt"""
    body = text if text is not None else sys.stdin.read()
    if not body.strip():
        raise typer.BadParameter("The letter is empty.")

    async def go(s: Any, store: Any) -> None:
        lid = await LetterRepository(store).add(s.user, to, _day(on) or date.today(), occasion, body.strip())
        console.print(f"Letter #{lid} kept.")

    _with_store(ctx, go)


@letters_app.command("import")
def import_(ctx: typer.Context, path: Path,
            to: str = typer.Option("", "--to", help="whom they are to, when the greeting doesn't say"),
            occasion: str = typer.Option("", "--occasion")) -> None:
    """Import letters from a file or a folder of .txt, .md, .docx, .odt and .pdf files."""
    from os1.skills.letters.errors import LetterUnreadable
    from os1.skills.letters.importing import letter_files, parse_letter

    async def go(s: Any, store: Any) -> None:
        repo, failed = LetterRepository(store), 0
        for file in letter_files(path):
            try:
                parsed = await asyncio.to_thread(parse_letter, file)
            except LetterUnreadable as exc:
                console.print(f"[red]{escape(exc.message)}[/] {escape(exc.fix)}")
                failed += 1
                continue
            lid = await repo.add(s.user, parsed.recipient or to, parsed.written_on, occasion, parsed.body,
                                 source=str(file.resolve()))
            console.print(f"#{lid} {parsed.written_on.isoformat()} to {escape(parsed.recipient or to or '?')}"
                          f" from {escape(file.name)}")
        if failed:
            raise typer.Exit(1)

    _with_store(ctx, go)


@letters_app.command("import-mail")
def import_mail(ctx: typer.Context,
                to: str = typer.Option("", "--to", help="only messages to this person (a part of a name or address)"),
                newest: int = typer.Option(200, "--newest", help="how many of the newest sent messages to look at"),
                min_words: int = typer.Option(60, "--min-words", help="shorter messages are not letters")) -> None:
    """Import letters from your sent mail (each message once)."""
    from os1.skills.letters.mail_import import import_sent_mail

    async def go(s: Any, store: Any) -> None:
        added = await import_sent_mail(s, store, s.user, to=to, newest=newest, min_words=min_words)
        for x in added:
            console.print(f"#{x.id} {x.written_on.isoformat()} to {escape(x.recipient)}")
        console.print(f"{len(added)} letter(s) imported from sent mail.")

    _with_store(ctx, go)


@letters_app.command("list")
def list_(ctx: typer.Context, year: int = typer.Option(None, "--year"), to: str = typer.Option("", "--to")) -> None:
    """Your letters, oldest first."""

    async def go(s: Any, store: Any) -> None:
        letters = await LetterRepository(store).select(s.user, year=year, recipient=to)
        for letter in letters:
            console.print(_line(letter))
        if not letters:
            console.print("No letters yet: add one with 'os1 letters add' or 'os1 letters import'.")

    _with_store(ctx, go)


@letters_app.command()
def show(ctx: typer.Context, letter_id: int) -> None:
    """One letter, whole."""

    from os1.skills.letters.links import touched_memories

    async def go(s: Any, store: Any) -> None:
        letter = await LetterRepository(store).get(s.user, letter_id)
        console.print(_line(letter).split(":", 1)[0])
        console.print(escape(letter.body))
        memories = await touched_memories(store, s.user, letter)
        if memories:
            console.print("\nWhat I remember of what it touches:")
            for m in memories:
                console.print(f"- {escape(m.content)}")

    _with_store(ctx, go)


@letters_app.command()
def search(ctx: typer.Context, words: str) -> None:
    """Letters whose text, recipient or occasion hold all these words."""

    async def go(s: Any, store: Any) -> None:
        found = await LetterRepository(store).search(s.user, words)
        for letter in found:
            console.print(_line(letter))
        if not found:
            console.print("No letter holds those words.")

    _with_store(ctx, go)


@letters_app.command()
def edit(ctx: typer.Context, letter_id: int,
         to: str = typer.Option(None, "--to"), on: str = typer.Option(None, "--date"),
         occasion: str = typer.Option(None, "--occasion"),
         text_file: Path = typer.Option(None, "--text-file", help="the new text; without any option, your editor opens")) -> None:
    """Change a letter's recipient, date, occasion or text."""

    async def go(s: Any, store: Any) -> None:
        repo = LetterRepository(store)
        body = None
        if text_file is not None:
            body = (await asyncio.to_thread(text_file.read_text)).strip()
        elif to is None and on is None and occasion is None:
            old = await repo.get(s.user, letter_id)
            edited = typer.edit(old.body)
            body = edited.strip() if edited and edited.strip() != old.body else None
        letter = await repo.update(s.user, letter_id, recipient=to, written_on=_day(on), occasion=occasion, body=body)
        console.print(f"Letter #{letter.id} saved.")

    _with_store(ctx, go)


@letters_app.command()
def words(ctx: typer.Context, add: list[str] = typer.Argument(None, help="words to accept as spelled")) -> None:
    """Your personal word list (names, your own words): the spelling check accepts them."""

    async def go(s: Any, store: Any) -> None:
        repo = LetterRepository(store)
        if add:
            await repo.add_words(s.user, add)
        console.print(", ".join(sorted(await repo.words(s.user))) or "Your word list is empty.")

    _with_store(ctx, go)


@letters_app.command()
def dialect(ctx: typer.Context, which: str = typer.Argument("", help="auto, en_US or en_GB; empty to show it")) -> None:
    """The English your letters are spell-checked in (auto: the one each letter is written in)."""
    from os1.core.preferences import get_prefs, set_prefs
    from os1.skills.letters.proofread import DIALECT_KEY, DIALECTS

    if which and which not in DIALECTS:
        raise typer.BadParameter(f"Choose one of {', '.join(DIALECTS)}.")

    async def go(s: Any, store: Any) -> None:
        if which:
            await set_prefs(store, s.user, {DIALECT_KEY: which})
        console.print(f"Spelling: {(await get_prefs(store, s.user))[DIALECT_KEY]}")

    _with_store(ctx, go)


letters_app.command("proofread")(proofread_cmd)


letters_app.add_typer(book_app, name="book")


@letters_app.command()
def write(ctx: typer.Context,
          to: str = typer.Option(..., "--to", help="whom the letter is to"),
          notes: str = typer.Option(..., "--notes", help="what it should say, e.g. 'their 50th anniversary, met at a bus stop in 1974'"),
          for_whom: str = typer.Option("", "--for", help="who it is written for, if not you"),
          save: bool = typer.Option(False, "--save", help="keep the draft as a letter")) -> None:
    """Draft a letter from notes in the voice of your letters; facts the notes don't give are marked."""
    from os1.core.people import known_people
    from os1.models.factory import create_llm
    from os1.skills.letters.links import facts_about, names_in
    from os1.skills.letters.writing import voice_samples
    from os1.skills.letters.writing import write_letter as draft

    async def go(s: Any, store: Any) -> None:
        repo = LetterRepository(store)
        samples = await voice_samples(repo, s.user, to)
        names = [name for _, name in await known_people(store, s.user)]
        facts = [m.content for m in await facts_about(store, s.user, names_in(notes, to, for_whom))]
        llm = create_llm(s)
        try:
            text = await draft(llm, to, notes, samples, voice_of=for_whom, known_names=names, facts=facts)
        finally:
            await llm.aclose()
        console.print(f"In the voice of letters {', '.join(f'#{x.id}' for x in samples) or '(none yet)'}:\n")
        console.print(escape(text))
        if save:
            console.print(f"\nKept as letter #{await repo.add(s.user, to, date.today(), '', text)}.")

    _with_store(ctx, go)


@letters_app.command("send-book")
def send_book(ctx: typer.Context,
              manuscript: Path = typer.Argument(None, help="the book's PDF or EPUB; the planned book's PDF if not given"),
              to: str = typer.Option(..., "--to", help="the publisher's submission address"),
              subject: str = typer.Option("", "--subject"),
              letter: Path = typer.Option(None, "--letter", help="your own cover letter (a text file); OS1 writes one if not given"),
              plain: bool = typer.Option(False, "--plain", help="a plain cover letter, without the model"),
              yes: bool = typer.Option(False, "--yes", help="send without asking (you have read it)")) -> None:
    """Send your book to a publisher with a query letter, after showing the exact mail. The
    submission is remembered, a follow-up reminder is set, and you hear when they answer."""
    from os1.core.context import local_zone
    from os1.models.factory import create_llm
    from os1.skills.letters.bookmaking import slug
    from os1.skills.letters.errors import BookError
    from os1.skills.letters.plans import BookPlans
    from os1.skills.letters.publishers import after_sending
    from os1.skills.letters.submission import describe, send_manuscript, subject_of, write_query_letter

    async def go(s: Any, store: Any) -> None:
        plan = await BookPlans(store).load(s.user)
        if letter is None and (plan is None or not plan.letters):
            raise BookError("There is no planned book to write the cover letter from.",
                            fix="Plan one with 'os1 letters book plan', or give your own with --letter.")
        pdf = manuscript
        if pdf is None and plan is not None:
            pdf = s.data_dir / "books" / s.user / slug(plan.title) / f"{slug(plan.title)}.pdf"
        if pdf is None:
            raise BookError("Which book?", fix="Give its PDF or EPUB, or plan and compile one first.")
        title = plan.title if plan is not None and manuscript is None else pdf.stem.replace("-", " ").title()
        if letter is not None:
            body = (await asyncio.to_thread(letter.read_text)).strip()
        else:
            assert plan is not None
            llm = None if plain else create_llm(s)
            try:
                body = await write_query_letter(llm, plan, to)
            finally:
                if llm is not None:
                    await llm.aclose()
        mail_subject = subject or subject_of(title)
        console.print(escape(describe(to, mail_subject, body, pdf)))
        if not yes and not await asyncio.to_thread(typer.confirm, "\nSend this mail?", default=False):
            console.print("Not sent.")
            return
        message_id = await send_manuscript(s, store, s.user, to, mail_subject, body, pdf)
        due = await after_sending(store, s.user, local_zone(s), to, title, message_id, datetime.now(UTC))
        console.print(f"Sent to {escape(to)}. A reminder to follow up is set for {due:%a %d %b %Y}; "
                      "you will hear when they answer.")

    _with_store(ctx, go)
