"""Sending the book to a publisher: a query letter with the manuscript attached, sent through
the user's mail account (the core's `open_mailer` hook; this skill never imports the mail skill).
The caller has shown the exact mail and had a yes.

The query letter is written by the model in the user's voice (the book's introduction and its
first letter are what it reads of that voice); names and numbers that neither the book nor the
address hold are marked for the user, as in a written letter. Without a model it is plain.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from os1.core.mailer import open_mailer
from os1.models.base import LLM, Message
from os1.skills.letters.book import BookPlan
from os1.skills.letters.errors import LetterError
from os1.skills.letters.writing import mark_unknown

MAX_ATTACHMENT = 20 * 1024 * 1024  # most servers refuse a message much above 25 MB once encoded
SAMPLE_CHARS = 600
KINDS = {".pdf": ("application", "pdf"), ".epub": ("application", "epub+zip")}


def describe(to: str, subject: str, body: str, manuscript: Path) -> str:
    """The exact mail, as the user is asked to approve it."""
    size = manuscript.stat().st_size if manuscript.exists() else 0
    return (f"To: {to}\nSubject: {subject}\nAttachment: {manuscript.name} ({size / 1024:.0f} KB)\n\n{body}")


async def send_manuscript(settings: Any, store: Any, user: str, to: str, subject: str, body: str,
                          manuscript: Path) -> str:
    """Mail the cover letter with the manuscript attached; the sent message's Message-ID."""
    kind = KINDS.get(manuscript.suffix.lower())
    if kind is None or not manuscript.is_file():
        raise LetterError(f"{manuscript} is not a book's PDF or EPUB.", fix="Make it with 'os1 letters book'.")
    data = await asyncio.to_thread(manuscript.read_bytes)
    if len(data) > MAX_ATTACHMENT:
        raise LetterError(f"{manuscript.name} is {len(data) / 2**20:.0f} MB, too big to mail.",
                          fix="Send the EPUB instead, or a link to the file.")
    mailer = await open_mailer(settings, store, user)
    if mailer is None:
        raise LetterError("No mail account is set up to send the book from.", fix="Add one with 'os1 mail add'.")
    msg = mailer.compose([to], subject, body)
    msg.add_attachment(data, maintype=kind[0], subtype=kind[1], filename=manuscript.name)
    await mailer.send(msg)
    return str(msg["Message-ID"] or "")


def subject_of(title: str) -> str:
    return f"Submission: {title.strip()}"


def _about(plan: BookPlan) -> str:
    first, last = plan.letters[0].written_on, plan.letters[-1].written_on
    years = f"in {first.year}" if first.year == last.year else f"from {first.year} to {last.year}"
    chapters = "one chapter" if len(plan.chapters) == 1 else f"{len(plan.chapters)} chapters"
    return f"a book of {len(plan.letters)} of my letters, written {years}, in {chapters}"


def plain_query_letter(plan: BookPlan, publisher: str) -> str:
    """The query letter without a model: what the book is, and whose."""
    return (f"Dear editors,\n\nI would like to submit “{plan.title}”, {_about(plan)}, for your consideration. "
            "The manuscript is attached.\n\nThank you for your time.\n\nYours sincerely,\n"
            f"{plan.author}")


def query_prompt(plan: BookPlan, publisher: str) -> list[Message]:
    voice = "\n---\n".join(t for t in (plan.introduction, plan.letters[0].body[:SAMPLE_CHARS]) if t)
    return [
        {"role": "system", "content": (
            f"You write a short query letter from {plan.author} to the editors at {publisher}, submitting "
            f"the book “{plan.title}”, {_about(plan)}. The manuscript is attached. Start with 'Dear editors,', "
            f"say in two or three sentences what the book is, and sign as {plan.author}. Write in the "
            "author's own voice, shown below; use only these facts; about 120 words; only the letter.\n"
            "The author's own words:\n" + voice)},
        {"role": "user", "content": f"Write the query letter for “{plan.title}”."},
    ]


async def write_query_letter(llm: LLM | None, plan: BookPlan, publisher: str, max_tokens: int = 350) -> str:
    """The query letter in the user's voice, with what the book doesn't say marked."""
    if llm is None:
        return plain_query_letter(plan, publisher)
    out = [chunk.text async for chunk in llm.stream_chat(query_prompt(plan, publisher), max_tokens=max_tokens)]
    text = "".join(out).strip()
    if not text:
        return plain_query_letter(plan, publisher)
    known = [plan.title, plan.author, plan.introduction, publisher, *(x.body for x in plan.letters),
             *(x.recipient for x in plan.letters), str(len(plan.letters)), str(len(plan.chapters)),
             str(plan.letters[0].written_on.year), str(plan.letters[-1].written_on.year)]
    return mark_unknown(text, *known)
