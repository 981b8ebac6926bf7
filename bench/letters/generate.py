"""Letters with seeded mistakes of the kinds real-world corpora lack (agreement, homophones,
punctuation, doubled words, a/an) and some real misspellings, plus clean letters.

Each mistake is made mechanically wherever its pattern occurs in the clean prose (a homophone
is swapped wherever the word appears, not only in the contexts a rule looks at), with its span
recorded, so recall measures the proofreader and not the generator. Seeded with `--seed`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from bench.letters.letters_text import CLOSINGS, GREETINGS, HELD_OUT, RECIPIENTS, SENTENCES

HOMOPHONES = {"your": "you're", "you're": "your", "their": "there", "there": "their", "they're": "their",
              "its": "it's", "it's": "its", "than": "then", "then": "than", "too": "to", "to": "too",
              "lose": "loose", "effect": "affect", "were": "where", "whether": "weather", "hear": "here",
              "here": "hear", "peace": "piece", "piece": "peace", "know": "no", "past": "passed",
              "accept": "except", "quite": "quiet", "whose": "who's", "passed": "past"}
AGREEMENT = [  # (pattern of the right words, group to replace, the wrong form)
    (r"\b(?:he|she|it)\s+(has|walks|works|seems|says|sends|chews|cries)\b", {"has": "have", "walks": "walk", "works": "work",
     "seems": "seem", "says": "say", "sends": "send", "chews": "chew", "cries": "cry"}),
    (r"\b(?:we|they|you)\s+(are|were|have)\b", {"are": "is", "were": "was", "have": "has"}),
    (r"\bI\s+(am|have|was)\b", {"am": "is", "have": "has", "was": "were"}),
    (r"\b(?:the|our|my|their)\s+\w+s\s+(are|were)\b", {"are": "is", "were": "was"}),
    (r"\bthere\s+(are|were)\b", {"are": "is", "were": "was"}),
]
KINDS = ("spelling", "homophone", "agreement", "punctuation", "doubled", "a_an")


@dataclass
class Seeded:
    start: int
    end: int
    kind: str
    right: str


@dataclass
class Letter:
    recipient: str
    text: str
    errors: list[Seeded]


def clean_letter(rng: random.Random, prose: list[str]) -> tuple[str, str]:
    name = rng.choice(RECIPIENTS)
    body = " ".join(rng.sample(prose, rng.randint(5, 8)))
    return name, f"{rng.choice(GREETINGS).format(name=name)}\n\n{body}\n\n{rng.choice(CLOSINGS)}"


def _candidates(text: str, kind: str, misspelled: dict[str, list[str]]) -> list[tuple[int, int, str]]:
    """(start, end, wrong text) for every place `kind` of mistake could be made in `text`."""
    out: list[tuple[int, int, str]] = []
    body_start = text.index("\n\n") + 2
    body_end = text.rindex("\n\n")
    if kind == "homophone":
        for m in re.finditer(r"\b[\w']+\b", text):
            wrong = HOMOPHONES.get(m.group().lower())
            if wrong:
                out.append((m.start(), m.end(), wrong if m.group()[0].islower() else wrong.capitalize()))
    elif kind == "agreement":
        for pattern, table in AGREEMENT:
            for m in re.finditer(pattern, text, re.I):
                out.append((m.start(1), m.end(1), table[m.group(1).lower()]))
    elif kind == "punctuation":
        for m in re.finditer(r"[,.](?= [a-zA-Z])", text):
            out.append((m.start(), m.end() + 1, m.group()))  # "word, next" -> "word,next"
            out.append((m.start(), m.end(), " " + m.group()))  # "word ," spacing
            out.append((m.start(), m.end(), m.group() * 2))  # ",,"
    elif kind == "doubled":
        for m in re.finditer(r"\b(the|a|to|and|of|I|we|was|is|that|it|in|for|have|you)\b (?=\w)", text):
            out.append((m.start(), m.end(), m.group() + m.group()))
    elif kind == "a_an":
        for m in re.finditer(r"\b(a|an|A|An)\b(?= \w)", text):
            swap = {"a": "an", "an": "a", "A": "An", "An": "A"}[m.group()]
            out.append((m.start(), m.end(), swap))
    elif kind == "spelling":
        for m in re.finditer(r"\b[a-z]{4,}\b", text):
            if m.group() in misspelled:
                out.append((m.start(), m.end(), ""))
    return [c for c in out if body_start <= c[0] < body_end]


def seed(text: str, kinds: list[str], rng: random.Random, misspelled: dict[str, list[str]]) -> tuple[str, list[Seeded]]:
    """`text` with one mistake of each kind (where it has a place for one), spans recorded."""
    chosen: list[tuple[int, int, str, str]] = []
    for kind in kinds:
        spots = [c for c in _candidates(text, kind, misspelled)
                 if all(c[1] + 2 < s or c[0] > e + 2 for s, e, _, _ in chosen)]  # apart from the others
        if not spots:
            continue
        start, end, wrong = rng.choice(spots)
        if kind == "spelling":
            wrong = rng.choice(misspelled[text[start:end]])
        chosen.append((start, end, wrong, kind))
    errors, out, shift = [], text, 0
    for start, end, wrong, kind in sorted(chosen):
        s = start + shift
        out = out[:s] + wrong + out[s + end - start:]
        errors.append(Seeded(s, s + len(wrong), kind, text[start:end]))
        shift += len(wrong) - (end - start)
    return out, errors


def letters(n_faulty: int, n_clean: int, misspelled: dict[str, list[str]], seed_value: int = 2026,
            held_out: bool = True) -> list[Letter]:
    """`n_faulty` letters with two to four mistakes each and `n_clean` letters with none, made of
    the held-out prose (the recorded figures) or of the prose the rules were tuned on."""
    rng = random.Random(seed_value)
    prose = HELD_OUT if held_out else SENTENCES
    out = []
    for i in range(n_faulty + n_clean):
        name, text = clean_letter(rng, prose)
        if i < n_faulty:
            kinds = rng.sample(KINDS, rng.randint(2, 4))
            text, errors = seed(text, kinds, rng, misspelled)
        else:
            errors = []
        out.append(Letter(name, text, errors))
    return out
