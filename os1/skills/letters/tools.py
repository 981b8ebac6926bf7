"""The letters tools: "can you proofread the letter I just wrote to Amy?" (reads only: the
result lists the changes for the user to accept) and "put my letters from this year into a
book" (writes files, so it asks first). Offered on the words of the rule "letters" in
os1/language/routing.py."""

from __future__ import annotations

import asyncio
import re
from typing import Annotated, Any

from pydantic import Field

from os1.core.tools import ToolContext, by_words, tool
from os1.core.turns import conversation_now
from os1.skills.letters.errors import BookError, LetterNotFound
from os1.skills.letters.proofread import proofread
from os1.skills.letters.repository import Letter, LetterRepository

MAX_LISTED = 12


async def _letter(ctx: ToolContext, recipient: str, number: int) -> Letter:
    repo = LetterRepository(ctx.store)
    if number:
        return await repo.get(ctx.user, number)
    if recipient.strip():
        found = await repo.latest_to(ctx.user, recipient.strip())
        if found is None:
            raise LetterNotFound(f"There is no letter to {recipient.strip()}.",
                                 fix="Add it with 'os1 letters add' or import it first.")
        return found
    newest = (await repo.select(ctx.user))[-1:] or None
    if newest is None:
        raise LetterNotFound("There are no letters yet.", fix="Add one with 'os1 letters add'.")
    return newest[0]


@tool(prepare=by_words)
async def proofread_letter(
    ctx: ToolContext,
    recipient: Annotated[str, Field(max_length=80, description="whom the letter is to, e.g. 'Amy'; empty for the newest letter")] = "",
    number: Annotated[int, Field(ge=0, description="the letter's number if the user gave one, else 0")] = 0,
) -> str:
    """Proofread one of the user's letters: spelling, grammar, punctuation. Changes nothing."""
    letter = await _letter(ctx, recipient, number)
    changes = await proofread(ctx.store, ctx.user, letter.body, letter.recipient)
    head = f"Letter #{letter.id} to {letter.recipient or 'someone'} ({letter.written_on.isoformat()})"
    if not changes:
        return f"{head}: no changes to suggest."
    lines = [f"- {c.kind}: '{c.original.strip() or c.original}' → '{c.replacement}' ({c.reason})"
             for c in changes[:MAX_LISTED]]
    more = f"\n…and {len(changes) - MAX_LISTED} more." if len(changes) > MAX_LISTED else ""
    return (f"{head}: {len(changes)} suggested change(s), none made; the user accepts or rejects each with "
            f"'os1 letters proofread {letter.id}'.\n" + "\n".join(lines) + more)


def year_of(words: str, this_year: int) -> int | None:
    """'this year' → this year, 'last year' → the one before, '2025' → 2025, 'all' → every year."""
    text = words.lower()
    if m := re.search(r"\b(19|20)\d\d\b", text):
        return int(m.group())
    if "last year" in text:
        return this_year - 1
    if re.search(r"\b(all|every|ever)\b", text):
        return None
    return this_year


@tool(confirm=True, prepare=by_words)
async def make_letter_book(
    ctx: ToolContext,
    years: Annotated[str, Field(max_length=40, description="the user's words for which year, e.g. 'this year', '2025', 'all'; empty for the book already planned")] = "",
    recipient: Annotated[str, Field(max_length=80, description="only the letters to this person; empty for all")] = "",
    title: Annotated[str, Field(max_length=120, description="the book's title if the user gave one")] = "",
) -> str:
    """Make the user's book of letters (PDF, EPUB and page previews); asks the user first. With a
    year or person, OS1 first plans a new book of those letters; without, the planned book is made."""
    from os1.skills.letters.book_edits import retitle
    from os1.skills.letters.bookmaking import compile_book, slug
    from os1.skills.letters.plans import BookPlans
    from os1.skills.letters.proposing import propose

    plans = BookPlans(ctx.store)
    plan = None if years.strip() or recipient.strip() else await plans.load(ctx.user)
    if plan is None or not plan.letters:
        now = await conversation_now(ctx)
        year = year_of(years or "this year", now.year)
        ctx.report(f"Choosing the letters{f' of {year}' if year else ''}"
                   f"{f' to {recipient.strip()}' if recipient.strip() else ''}…")
        chosen = await LetterRepository(ctx.store).select(ctx.user, year=year, recipient=recipient.strip())
        wanted = title.strip() or (f"Letters of {year}" if year else "Letters")
        if ctx.llm is not None and chosen:
            ctx.report(f"Proposing chapters and an introduction for {len(chosen)} letters…")
        plan = await propose(chosen, ctx.user, title=wanted, llm=ctx.llm)
    elif title.strip():
        plan = retitle(plan, title)
    await plans.save(ctx.user, plan)
    out = ctx.settings.data_dir / "books" / ctx.user / slug(plan.title)
    files = await asyncio.to_thread(compile_book, plan, out, ctx.report)  # its steps, as they come
    return (f"The book '{plan.title}' is made: {len(plan.letters)} letters in {len(plan.chapters)} chapters, "
            f"{files.pages} pages. PDF: {files.pdf}. EPUB: {files.epub}. Previews in {out}. The user may "
            "change its title, letters and introduction, then have it made again.")


@tool(prepare=by_words)
async def change_letter_book(
    ctx: ToolContext,
    title: Annotated[str, Field(max_length=120, description="the book's new title, if the user gave one")] = "",
    leave_out: Annotated[str, Field(max_length=80, description="whom the letter(s) to leave out are to, e.g. 'Paul'")] = "",
    leave_out_number: Annotated[int, Field(ge=0, description="the number of a letter to leave out, else 0")] = 0,
    put_in_number: Annotated[int, Field(ge=0, description="the number of a letter to put into the book, else 0")] = 0,
    introduction: Annotated[str, Field(max_length=4000, description="the new introduction, if the user dictated one")] = "",
) -> str:
    """Change the planned book of letters: its title, which letters, its introduction. Shows the
    plan; with nothing to change, only shows it. The files are made again with make_letter_book."""
    from os1.skills.letters import book_edits
    from os1.skills.letters.plans import BookPlans

    plans = BookPlans(ctx.store)
    plan = await plans.load(ctx.user)
    if plan is None or not plan.letters:
        raise BookError("There is no book planned yet.", fix="Ask for one first: 'put my letters from this year into a book'.")
    done: list[str] = []
    if title.strip():
        plan = book_edits.retitle(plan, title)
        done.append(f"called it '{plan.title}'")
    gone = [x for x in plan.letters if x.id == leave_out_number
            or (leave_out.strip() and leave_out.strip().lower() in x.recipient.lower())]
    if (leave_out.strip() or leave_out_number) and not gone:
        raise BookError(f"No letter {'to ' + leave_out.strip() if leave_out.strip() else f'#{leave_out_number}'} is in the book.",
                        fix="Its letters are listed by 'os1 letters book show'.")
    for letter in gone:
        plan = book_edits.drop(plan, letter.id)
        done.append(f"left out #{letter.id} to {letter.recipient or 'someone'}")
    if put_in_number:
        plan = book_edits.add(plan, await LetterRepository(ctx.store).get(ctx.user, put_in_number))
        done.append(f"put in #{put_in_number}")
    if introduction.strip():
        plan = book_edits.set_introduction(plan, introduction)
        done.append("changed the introduction")
    if done:
        await plans.save(ctx.user, plan)
    head = ("Done: " + "; ".join(done) + ".") if done else "Nothing changed."
    return f"{head} The planned book now:\n{book_edits.describe(plan)}"


async def _book(ctx: ToolContext, title: str) -> tuple[Any, str, Any]:
    """The book the user means (the planned one, or one made under `title`): its plan (None if
    it is not the planned one), its title and where its PDF is."""
    from os1.skills.letters.bookmaking import slug
    from os1.skills.letters.plans import BookPlans

    plan = await BookPlans(ctx.store).load(ctx.user)
    if plan is not None and (not plan.letters or (title and slug(title) != slug(plan.title))):
        plan = None
    title = title or (plan.title if plan else "")
    if not title:
        raise BookError("There is no book to send yet.", fix="Make one first: 'put my letters from this year into a book'.")
    return plan, title, ctx.settings.data_dir / "books" / ctx.user / slug(title) / f"{slug(title)}.pdf"


async def _write_query(ctx: ToolContext, arguments: dict[str, Any]) -> dict[str, Any]:
    """Before the user is asked: the query letter written (unless the user gave theirs), so the
    mail they agree to is the mail that is sent."""
    from os1.skills.letters.submission import write_query_letter

    if str(arguments.get("cover_letter") or "").strip() or not str(arguments.get("to") or "").strip():
        return arguments
    plan, title, _ = await _book(ctx, str(arguments.get("book") or "").strip())
    if plan is None:
        raise BookError(f"'{title}' is not the planned book, so there is nothing to write its letter from.",
                        fix="Give the cover letter's words, or plan and make that book first.")
    letter = await write_query_letter(ctx.llm, plan, str(arguments["to"]).strip())
    return {**arguments, "book": title, "cover_letter": letter}


async def _the_mail(ctx: ToolContext, arguments: dict[str, Any]) -> str:
    from os1.skills.letters.submission import describe, subject_of

    _, title, pdf = await _book(ctx, str(arguments.get("book") or "").strip())
    return describe(str(arguments.get("to") or ""), subject_of(title), str(arguments.get("cover_letter") or ""), pdf)


@tool(confirm=True, prepare=by_words, settle=_write_query, describe=_the_mail)
async def send_book_to_publisher(
    ctx: ToolContext,
    to: Annotated[str, Field(min_length=3, max_length=200, description="the publisher's submission address")],
    book: Annotated[str, Field(max_length=120, description="the book's title; empty for the book made last")] = "",
    cover_letter: Annotated[str, Field(max_length=5000, description="the cover letter if the user dictated one; empty to have it written")] = "",
) -> str:
    """Mail the user's book to a publisher with a query letter in their voice; shows the mail and
    asks the user first. Afterwards the submission is remembered and followed up."""
    from os1.core.context import local_zone
    from os1.skills.letters.publishers import after_sending
    from os1.skills.letters.submission import send_manuscript, subject_of

    _, title, pdf = await _book(ctx, book.strip())
    if not cover_letter.strip():
        raise BookError("The mail has no cover letter.", fix="Ask again: OS1 writes one and shows it first.")
    if not pdf.is_file():
        raise BookError(f"The book '{title}' has not been made yet.", fix="Make it first, then send it.")
    message_id = await send_manuscript(ctx.settings, ctx.store, ctx.user, to.strip(), subject_of(title),
                                       cover_letter.strip(), pdf)
    zone = local_zone(ctx.settings)
    due = await after_sending(ctx.store, ctx.user, zone, to.strip(), title, message_id, await conversation_now(ctx))
    return (f"Sent '{title}' ({pdf.name}) to {to.strip()} with the query letter. Remembered; a reminder to "
            f"follow up is set for {due:%a %d %b %Y}, and the user will hear when the publisher answers.")


@tool(prepare=by_words)
async def write_letter(
    ctx: ToolContext,
    recipient: Annotated[str, Field(min_length=1, max_length=80, description="whom the letter is to")],
    notes: Annotated[str, Field(min_length=1, max_length=2000, description="what the user said the letter should say")],
    for_whom: Annotated[str, Field(max_length=80, description="who the letter is written for, if not the user")] = "",
) -> str:
    """Draft a letter from the user's notes, in the voice of their own letters. Keeps nothing."""
    from os1.core.people import known_people
    from os1.skills.letters.links import facts_about, names_in
    from os1.skills.letters.writing import voice_samples
    from os1.skills.letters.writing import write_letter as draft

    if ctx.llm is None:
        return "No model is available to write with."
    samples = await voice_samples(LetterRepository(ctx.store), ctx.user, recipient)
    names = [name for _, name in await known_people(ctx.store, ctx.user)]
    facts = [m.content for m in await facts_about(ctx.store, ctx.user, names_in(notes, recipient, for_whom))]
    text = await draft(ctx.llm, recipient, notes, samples, voice_of=for_whom, known_names=names, facts=facts)
    sources = ", ".join(f"#{s.id}" for s in samples) or "none yet"
    remembered = f" Using {len(facts)} remembered fact(s) about them." if facts else ""
    return (f"Draft (not kept; what the notes don't say is in [brackets?] to fill in). "
            f"Voice from letters {sources}.{remembered}\n\n{text}")
