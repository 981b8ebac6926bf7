"""OS1's proposal for a book: which of the chosen letters, in what chapters under what titles, the
book's title and an introduction in the user's voice, which the user then edits (book_edits.py).

The model proposes from the letters themselves (their beginnings are its only knowledge of the
user's voice) and everything it returns is checked: it may leave out at most a third of the
letters and only ones it was shown, chapter titles count only when there is one per chapter,
and names and numbers in its introduction that no letter holds are marked like a written
letter's (writing.mark_unknown). Without a model, or when it fails, the proposal is plain and
the same every time: every letter, chapters by season, an introduction that only counts.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from os1.errors import OS1Error
from os1.models.base import LLM, Message
from os1.skills.letters.book import BookPlan, Chapter, plan_book
from os1.skills.letters.repository import Letter
from os1.skills.letters.writing import mark_unknown

log = logging.getLogger(__name__)
SHOWN = 30  # letters the model reads (their beginnings): more would not fit its context
EXCERPT = 260

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "maxLength": 80},
        "leave_out": {"type": "array", "items": {"type": "integer"}, "maxItems": 10},
        "chapter_titles": {"type": "array", "items": {"type": "string", "maxLength": 60}, "maxItems": 12},
        "introduction": {"type": "string", "maxLength": 1600},
    },
    "required": ["title", "leave_out", "chapter_titles", "introduction"],
}


def plain_introduction(letters: Sequence[Letter]) -> str:
    """What can be said without a model: how many letters, when, to whom."""
    first, last = letters[0].written_on, letters[-1].written_on
    span = (f"in {first:%B %Y}" if (first.year, first.month) == (last.year, last.month)
            else f"between {first:%B %Y} and {last:%B %Y}")
    names = list(dict.fromkeys(x.recipient for x in letters if x.recipient))
    to = (", ".join(names[:-1]) + f" and {names[-1]}") if len(names) > 1 else "".join(names)
    return f"These are {len(letters)} letters I wrote {span}" + (f", to {to}." if to else ".")


def proposal_prompt(plan: BookPlan, title_given: str) -> list[Message]:
    shown = plan.letters[:SHOWN]
    letters = "\n".join(f"#{x.id} ({x.written_on.isoformat()}, to {x.recipient or 'someone'}): "
                        f"{' '.join(x.body.split())[:EXCERPT]}" for x in shown)
    chapters = "; ".join(c.title for c in plan.chapters)
    title = f"The user has called it “{title_given}”: keep that title." if title_given else (
        "Propose a short title from the letters' own words.")
    return [
        {"role": "system", "content": (
            "You help the user make a book of their own letters. " + title + " You may leave out up to a "
            "third of the letters by number, only ones much weaker or shorter than the rest. Give each "
            f"chapter a title; there are {len(plan.chapters)}, now called: {chapters}. Write the book's "
            "introduction, 100 to 180 words, as the user: in the first person and in the voice of their "
            "letters below, saying only what the letters say.")},
        {"role": "user", "content": "My letters:\n" + letters},
    ]


def _checked(plan: BookPlan, answer: dict[str, Any], title_given: str) -> BookPlan:
    shown = {x.id for x in plan.letters[:SHOWN]}
    out_ids = {i for i in answer.get("leave_out") or [] if isinstance(i, int) and i in shown}
    if len(out_ids) > len(plan.letters) // 3:
        out_ids = set()  # a proposal that leaves out most of the book is not a selection
    titles = [str(t).strip() for t in answer.get("chapter_titles") or []]
    if len(titles) != len(plan.chapters) or not all(titles):
        titles = [c.title for c in plan.chapters]
    chapters = [Chapter(t, [x for x in c.letters if x.id not in out_ids]) for t, c in zip(titles, plan.chapters, strict=True)]
    known = [*(x.body for x in plan.letters), *(x.recipient for x in plan.letters), plan.author]
    intro = mark_unknown(str(answer.get("introduction") or "").strip(), *known) or plan.introduction
    title = title_given or str(answer.get("title") or "").strip() or plan.title
    return replace(plan, title=title, introduction=intro, chapters=[c for c in chapters if c.letters])


async def propose(letters: Sequence[Letter], author: str, *, title: str = "", chapters: str = "season",
                  llm: LLM | None = None) -> BookPlan:
    """A plan for a book of `letters` (BookError when there are none)."""
    plan = plan_book(letters, title or "Letters", author, chapters=chapters)
    plan = replace(plan, introduction=plain_introduction(plan.letters))
    if llm is None:
        return plan
    try:
        answer = await llm.complete_json(proposal_prompt(plan, title.strip()), SCHEMA, max_tokens=600)
    except OS1Error as exc:  # no model now: the plain proposal, which the user edits anyway
        log.warning("the book was planned without the model: %s", exc)
        return plan
    return _checked(plan, answer, title.strip()) if isinstance(answer, dict) else plan
