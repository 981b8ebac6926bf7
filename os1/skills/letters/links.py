"""The memories a letter touches: the facts OS1 remembers about the people and things the letter
names. Found when asked (never stored), so a memory learned or forgotten since shows at once.

A name is a capitalised word that is not a sentence's first word (unless the dictionary does not
know it) nor a greeting or month; the recipient always counts. The facts are found through the
store's memory index (full text, current facts only), best match first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from os1.language.proofreading.spelling import dictionary
from os1.skills.letters.repository import Letter
from os1.skills.letters.writing import NAME, NOT_NAMES, SENTENCE_START

MOST = 6


def names_in(text: str, *also: str) -> list[str]:
    """The names `text` mentions, in order, each once; `also` first (e.g. the recipient)."""
    english = dictionary("en_US")
    found = [w for a in also for w in re.findall(r"[A-Z][\w'’-]+", a)]
    for m in NAME.finditer(text):
        word = m.group(1)
        if word.lower() in NOT_NAMES:
            continue
        starts = SENTENCE_START.search(text[max(0, m.start() - 4):m.start()])
        if starts and english.check(word.lower()):
            continue  # "Since then…": a word, not a name
        found.append(word)
    return list(dict.fromkeys(w.split("'")[0].split("’")[0] for w in found))


async def facts_about(store: Any, user: str, names: Sequence[str], limit: int = MOST) -> list[Any]:
    """The user's current facts that mention any of `names`, best match first."""
    if not names:
        return []
    ids = await store.memories.facts_matching(user, list(names), limit)
    found = await store.memories.get(user, ids)
    return [found[i] for i in ids if i in found]


async def touched_memories(store: Any, user: str, letter: Letter, limit: int = MOST) -> list[Any]:
    """The memories `letter` touches: facts about the people and things it names."""
    return await facts_about(store, user, names_in(letter.body, letter.recipient), limit)
