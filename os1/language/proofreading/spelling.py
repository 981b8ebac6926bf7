"""Spelling with real Hunspell dictionaries (Debian's hunspell-en-us / hunspell-en-gb) through
pyenchant, the maintained binding of Enchant (Debian's libenchant-2-2), told to use Hunspell.

A word is accepted when the dictionary knows it, or the user's own words do: their personal word
list, the names of the recipient and of the people OS1 knows. Words with digits, all
capitals (acronyms) and addresses are not checked.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from os1.errors import ToolError
from os1.language.proofreading.changes import Change

DIALECTS = {"en_US": "hunspell-en-us", "en_GB": "hunspell-en-gb"}
WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’](?=[^\W\d_]))*")
SKIP = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|\w*\d\w*")


class DictionaryMissing(ToolError):
    """A dictionary (or Enchant itself) is not installed: the error names the Debian package."""

    code = "dictionary_missing"


@lru_cache(maxsize=2)
def dictionary(dialect: str = "en_US") -> Any:
    """The Hunspell dictionary of a dialect, loaded once per process."""
    package = DIALECTS.get(dialect, f"hunspell-{dialect.lower().replace('_', '-')}")
    try:
        import enchant

        broker = enchant.Broker()
        broker.set_ordering("*", "hunspell")
        if broker.dict_exists(dialect):
            return broker.request_dict(dialect)
    except ImportError as exc:  # pyenchant found no libenchant
        raise DictionaryMissing("The spelling library Enchant is missing.",
                          fix="Install the Debian package libenchant-2-2.") from exc
    raise DictionaryMissing(f"The {dialect} dictionary is not installed.",
                      fix=f"Install the Debian package {package} (apt-get install {package}).")


def guess_dialect(text: str) -> str:
    """en_GB when more of the text's words are British-only spellings than American-only ones
    ("colour", "recognise" against "color", "recognize"), else en_US: a letter is checked in
    the English it is written in."""
    us, gb = dictionary("en_US"), dictionary("en_GB")
    words = {m.group() for m in WORD.finditer(text)}
    british = sum(1 for w in words if gb.check(w) and not us.check(w))
    american = sum(1 for w in words if us.check(w) and not gb.check(w))
    return "en_GB" if british > american else "en_US"


class Speller:
    """Checks words against a dictionary and the user's own words."""

    def __init__(self, dialect: str = "en_US", own_words: set[str] | None = None) -> None:
        self.dictionary = dictionary(dialect)
        self.own = {w.lower() for w in own_words or set()}

    def known(self, word: str) -> bool:
        word = word.replace("’", "'")
        if word.lower() in self.own or word.lower().removesuffix("'s") in self.own:
            return True
        if word.isupper() and len(word) > 1:  # an acronym
            return True
        lookup = self.dictionary.check
        if lookup(word) or lookup(word.strip("'")):
            return True
        return word.endswith("'s") and bool(lookup(word[:-2]))

    def suggest(self, word: str) -> str:
        """The dictionary's first suggestion, or '' when it has none."""
        for candidate in self.dictionary.suggest(word):
            return str(candidate)
        return ""

    def check(self, text: str, *, suggest: bool = True) -> list[Change]:
        """A change for each word the dictionary and the user's words don't know."""
        skipped = [(m.start(), m.end()) for m in SKIP.finditer(text)]
        changes = []
        for match in WORD.finditer(text):
            if any(a <= match.start() < b for a, b in skipped):
                continue
            word = match.group()
            if self.known(word):
                continue
            fix = self.suggest(word) if suggest else ""
            changes.append(Change(match.start(), match.end(), "spelling", word, fix,
                                  f"'{word}' is not in the dictionary" + (f"; did you mean '{fix}'?" if fix else "."),
                                  "dictionary"))
        return changes
