"""Writing a letter for someone from a few notes, in the voice of the user's own letters.

The model drafts; what it could not have known is then marked, in code: a name or a number in
the draft that is in neither the notes, the letters it was shown, nor the names OS1 knows is put
in [brackets?] for the user to fill in or confirm. So a fact about a real person is never
invented without a mark, whatever the model writes. The draft is only text: nothing is kept or
sent until the user says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from os1.language.proofreading.spelling import dictionary
from os1.models.base import LLM, Message
from os1.skills.letters.repository import Letter, LetterRepository

SAMPLE_CHARS = 700
NOT_NAMES = {"i", "dear", "dearest", "love", "yours", "with", "all", "my", "the", "and", "but", "so", "we",
              "you", "it", "he", "she", "they", "our", "your", "this", "that", "happy", "warmly", "best",
              "january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
              "saturday", "sunday", "christmas", "easter", "mum", "mom", "dad", "grandma", "grandpa"}
NAME = re.compile(r"\b([A-Z][a-z]+(?:['’][a-z]+)?)\b")
SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*)$")
_NUMBER = re.compile(r"(?<![\[\w])(\d[\d,.:/-]*\d|\d)(?![\w\]])")


def writing_prompt(recipient: str, notes: str, samples: Sequence[Letter], voice_of: str = "",
                   facts: Sequence[str] = ()) -> list[Message]:
    """The messages that ask the model for the letter; `facts`: what OS1 remembers of the people."""
    known = ("\nWhat the user's memory holds about the people (use what fits, nothing else):\n"
             + "\n".join(f"- {f}" for f in facts)) if facts else ""
    style = "\n---\n".join(s.body[:SAMPLE_CHARS] for s in samples) or "(none yet: write plainly and warmly)"
    writer = f"{voice_of} (the user writes it for them)" if voice_of else "the user"
    signer = voice_of or "the user"
    return [
        {"role": "system", "content": (
            f"You write a warm personal letter to {recipient} from {writer}. Start with 'Dear {recipient},' "
            f"and end with a sign-off from {signer}. Use only the facts in the notes; for anything else "
            "the letter would need (a place, a date, a name), write a short description of it in square "
            "brackets instead. Match the voice of the user's own letters below: their warmth, length "
            "and sign-off. Write only the letter, about 150 words.\n"
            "The user's own letters:\n" + style + known)},
        {"role": "user", "content": f"Notes for the letter to {recipient}: {notes}"},
    ]


def mark_unknown(draft: str, *known_texts: str) -> str:
    """`draft` with names and numbers that no known text holds put in [brackets?]."""
    known = " ".join(known_texts).lower()
    words = set(re.findall(r"[\w'’]+", known))

    english = dictionary("en_US")

    def name(m: re.Match[str]) -> str:
        word = m.group(1)
        if word.lower() in NOT_NAMES or word.lower() in words or word.lower().split("'")[0] in words:
            return word
        starts = SENTENCE_START.search(m.string[max(0, m.start() - 4):m.start()])
        if starts and english.check(word.lower()):  # "Since then…": a word, not a name
            return word
        return f"[{word}?]"

    def number(m: re.Match[str]) -> str:
        return m.group(1) if m.group(1).lower() in known else f"[{m.group(1)}?]"

    return _NUMBER.sub(number, NAME.sub(name, draft))


async def write_letter(llm: LLM, recipient: str, notes: str, samples: Sequence[Letter], *,
                       voice_of: str = "", known_names: Sequence[str] = (), facts: Sequence[str] = (),
                       max_tokens: int = 400) -> str:
    """A draft of the letter, with what neither the notes nor the remembered facts say marked."""
    out = []
    prompt = writing_prompt(recipient, notes, samples, voice_of, facts)
    async for chunk in llm.stream_chat(prompt, max_tokens=max_tokens):
        out.append(chunk.text)
    draft = "".join(out).strip()
    return mark_unknown(draft, notes, recipient, voice_of, *(s.body for s in samples), *known_names, *facts)


async def voice_samples(repo: LetterRepository, user: str, recipient: str, n: int = 2) -> list[Letter]:
    """The user's newest letters, those to the same person first: the voice to write in."""
    every = await repo.select(user)
    same = [x for x in every if recipient and recipient.lower() in x.recipient.lower()]
    others = [x for x in every if x not in same]
    return (same[::-1] + others[::-1])[:n]
