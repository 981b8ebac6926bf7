"""Proofreading a letter or any text: the named rules first, then the dictionary, each finding
a Change the user accepts or rejects. Nothing here rewrites the letter.

The user's style is kept: contractions are never expanded (no rule touches them), the dialect is
their preference (`letters_dialect`: en_US, en_GB, or auto: the English each text is written
in), and the spelling check accepts their
personal word list, the names of the letter's recipient and the people OS1 knows.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from os1.core.people import known_people
from os1.core.preferences import get_prefs
from os1.skills.letters import rules
from os1.skills.letters.changes import Change, without_overlaps
from os1.skills.letters.repository import LetterRepository
from os1.skills.letters.spelling import Speller, guess_dialect

DIALECT_KEY = "letters_dialect"
DIALECTS = ("auto", "en_US", "en_GB")


def proofread_text(text: str, *, dialect: str = "auto", own_words: set[str] | None = None,
                   suggest: bool = True) -> list[Change]:
    """The changes suggested for `text`, in order, none overlapping (CPU work: run it off the loop)."""
    if dialect == "auto":
        dialect = guess_dialect(text)
    found = rules.check(text)
    found += Speller(dialect, own_words).check(text, suggest=suggest)
    return without_overlaps(found)


def name_words(*names: str) -> set[str]:
    """The words of people's names ("Amy O'Neill" → Amy, O'Neill), accepted as spelled."""
    return {w for name in names for w in re.findall(r"[^\W\d_][\w'’-]*", name)}


async def own_words(store: Any, user: str, *recipients: str) -> set[str]:
    """What the spelling check accepts for this user: their word list and the names they use."""
    people = [name for _, name in await known_people(store, user)]
    return await LetterRepository(store).words(user) | name_words(*recipients, *people)


async def dialect_of(store: Any, user: str) -> str:
    return str((await get_prefs(store, user)).get(DIALECT_KEY, "auto"))


async def proofread(store: Any, user: str, text: str, recipient: str = "") -> list[Change]:
    """The changes suggested for a text of this user's (to `recipient`, whose name is theirs)."""
    words = await own_words(store, user, recipient)
    dialect = await dialect_of(store, user)
    return await asyncio.to_thread(proofread_text, text, dialect=dialect, own_words=words)
