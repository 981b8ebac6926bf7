"""Proofreading a letter or any text of the user's with the one proofreader
(os1/language/proofreading: the named rules first, then the dictionary), each finding a Change
the user accepts or rejects. Nothing here rewrites the letter.

The user's style is kept: contractions are never expanded (no rule touches them), the dialect is
their preference (`letters_dialect`: en_US, en_GB, or auto: the English each text is written
in), and the spelling check accepts their
personal word list, the names of the letter's recipient and the people OS1 knows.
"""

from __future__ import annotations

import asyncio
from typing import Any

from os1.core.people import known_people
from os1.core.preferences import get_prefs
from os1.language.proofreading import Change, name_words, proofread_text
from os1.skills.letters.repository import LetterRepository

DIALECT_KEY = "letters_dialect"
DIALECTS = ("auto", "en_US", "en_GB")


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
