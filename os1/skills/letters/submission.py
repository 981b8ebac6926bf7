"""Sending the book to a publisher: a cover letter with the manuscript attached, sent through
the user's mail account (the core's `open_mailer` hook; this skill never imports the mail skill).
The caller has shown the exact mail and had a yes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from os1.core.mailer import open_mailer
from os1.skills.letters.errors import LetterError

MAX_ATTACHMENT = 20 * 1024 * 1024  # most servers refuse a message much above 25 MB once encoded
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
