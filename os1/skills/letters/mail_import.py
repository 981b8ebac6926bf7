"""Letters from the user's sent mail, through the core's `open_mailer` hook (the letters skill
never imports the mail skill): the messages long enough to be letters, to someone in particular
if asked, each imported once (its message key is kept as the letter's source)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from os1.core.mailer import open_mailer
from os1.skills.letters.errors import LetterError
from os1.skills.letters.importing import find_recipient
from os1.skills.letters.repository import LetterRepository

SOURCE = "mail:"


@dataclass(frozen=True)
class Imported:
    id: int
    recipient: str
    written_on: date


async def import_sent_mail(settings: Any, store: Any, user: str, *, to: str = "", newest: int = 200,
                           min_words: int = 60) -> list[Imported]:
    """Add the sent messages of at least `min_words` words (to `to`, a part of a name or an
    address, if given) that were not imported before."""
    mailer = await open_mailer(settings, store, user)
    if mailer is None:
        raise LetterError("No mail account is set up to import sent letters from.", fix="Add one with 'os1 mail add'.")
    repo = LetterRepository(store)
    seen = {x.source for x in await repo.select(user) if x.source.startswith(SOURCE)}
    added = []
    for sent in await mailer.sent_texts(newest=newest):
        if SOURCE + sent.key in seen or len(sent.text.split()) < min_words:
            continue
        people = " ".join(f"{name} {address}" for name, address in sent.to).lower()
        if to and to.lower() not in people:
            continue
        first = sent.to[0] if sent.to else ("", "")
        recipient = find_recipient(sent.text) or first[0] or first[1]
        when = sent.date.date() if sent.date else date.today()
        lid = await repo.add(user, recipient, when, "", sent.text, source=SOURCE + sent.key)
        added.append(Imported(lid, recipient, when))
    return added
