"""One proofreader for every skill that has text to check (a letter, a mail): the named grammar
rules first, then the Hunspell dictionary, each finding a Change the user accepts or rejects.
Nothing here rewrites a text: `apply` makes only the changes the caller was told were accepted.

What the user's own words are (their word list, the names they use) and which English they
write is the caller's to say; this package holds only the language.
"""

from __future__ import annotations

import re

from os1.language.proofreading import rules
from os1.language.proofreading.changes import KINDS, Change, apply, diff, without_overlaps
from os1.language.proofreading.spelling import DIALECTS, DictionaryMissing, Speller, dictionary, guess_dialect

__all__ = ["DIALECTS", "KINDS", "Change", "DictionaryMissing", "Speller", "apply", "dictionary", "diff",
           "guess_dialect", "name_words", "proofread_text", "shows_replacement"]


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


def shows_replacement(change: Change) -> bool:
    """Whether the change has an after to show (a removal counts; a word without a suggestion not)."""
    return bool(change.replacement) or change.kind in ("doubled", "punctuation")
