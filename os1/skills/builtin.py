"""Built-in tools: editing core memory, and saving a note (a side effect, so it asks first)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field

from os1.core.tools import ToolContext, tool
from os1.memory import blocks
from os1.plugins import hookimpl

# Memory writes are not offered on turns that ask for something to happen at a time: the 0.5B
# sent 22 of 108 scheduling requests ("lunch with Amy next Tuesday at one") to
# core_memory_append (bench/time). Lasting facts said in such turns are still learned in the
# background (os1/memory/learning.py).
NOT_A_REQUEST_FOR_TIME = (
    r"^(?![\s\S]*\?\s*$)"  # nor on questions: "What is the capital of France?" is no fact to keep
    r"(?![\s\S]*\b(?:remind(?:er)?s?|wake|alarms?|schedule|reschedule|calendar|meetings?|"
    r"appointments?|invit\w*|book|cancel|move|push|postpone|today|tonight|tomorrow|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?|weekend|next (?:week|month|year)|"
    r"every (?:day|week|month|year|morning|evening|night)|at \d|\d\s*(?:am|pm|a\.m\.|p\.m\.)|"
    r"o'?clock|noon|midnight|in \d+ (?:minutes?|hours?|days?))\b)"
)

# And only on turns that say something lasting about the user or the companion, or ask to keep
# it: offered on any "I" or "you", the 0.5B wrote "please say hi" and "write a story about a
# lighthouse keeper" into the user's block (real-model CLI tests), and each tool offered costs
# its description on that turn (~1 s per tool on the 0.5B, voice bench). What else is said of
# the user or of others is still learned in the background (os1/memory/learning.py).
ABOUT_US = (
    r"^(?=[\s\S]*\b(?:remember(?!\s+(?:it|to)\b)|(?:don'?t|do not|never) forget|keep in mind|for the record|"
    r"from now on|(?:you should|so you|you'?ll want to) know|fyi|call me|my name|(?:i'?m|i am) (?:called|named)|"
    r"your name|call you|call yourself|you(?:'re| are) (?:now )?(?:called|named)|be (?:more|less)|"
    r"my \w+(?:'s name)? (?:is|are|was|were)|i (?:live|moved|grew up|was born|work (?:at|as|for|in))|"
    r"i (?:just )?(?:started|quit|joined|retired|got (?:married|engaged|divorced|a new))|"
    r"(?:i'?m|i am) (?:a|an|\d+|allergic|vegetarian|vegan|married|single|divorced|retired|from)|"
    r"i(?: have|'ve got| got) (?:a|an|two|three|four|\d+) \w+ (?:called|named)|"
    r"i (?:really )?(?:like|love|hate|prefer|enjoy|can'?t stand|don'?t (?:like|eat|drink))|"
    r"(?:no longer|not anymore|any ?more|actually)\b))"
)
MEMORY_WORTHY = ABOUT_US + NOT_A_REQUEST_FOR_TIME[1:]

# A note is offered only on turns that speak of one. Offered more widely, the 0.5B answered
# "What is the capital of France?" with save_note(text="Paris"), saved "wake me at 7" and "Put a
# massage on Saturday at 3pm" as notes (bench/time); and each tool offered costs its description
# in the prompt, read on every turn that offers it (~110 tokens, ~1 s on the 0.5B).
NOTE_WORDS = r"\b(?:notes?|jot|write (?:\w+ )?down|save (?:it|that|this)|keep track|(?:to-?do|shopping|grocery) list)\b"

BlockLabel = Annotated[Literal["human", "persona"], Field(description="which memory block")]


@tool(writes=True, when=MEMORY_WORTHY)
async def core_memory_append(
    ctx: ToolContext,
    block: BlockLabel,
    text: Annotated[str, Field(description="the fact to remember, one short sentence")],
) -> str:
    """Remember something lasting: about the user in 'human', about yourself in 'persona'."""
    updated = await blocks.append(ctx.store, ctx.user, block, text)
    return f"Saved. The {block} block now has {len(updated.value)}/{updated.limit} characters."


@tool(writes=True, when=MEMORY_WORTHY)
async def core_memory_replace(
    ctx: ToolContext,
    block: BlockLabel,
    old_text: Annotated[str, Field(description="exact text now in the block")],
    new_text: Annotated[str, Field(description="what it should say instead; empty to remove")],
) -> str:
    """Correct or remove something in a memory block when a fact has changed."""
    await blocks.replace(ctx.store, ctx.user, block, old_text, new_text)
    return f"Updated the {block} block."


def _slug(title: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60]
    return slug or "note"


@tool(confirm=True, when=NOTE_WORDS)
def save_note(
    ctx: ToolContext,
    title: Annotated[str, Field(min_length=1, max_length=120, description="a short title")],
    text: Annotated[str, Field(min_length=1, max_length=100_000, description="the note's text")],
) -> str:
    """Save a note as a file in the user's notes folder (asks the user first)."""
    folder = ctx.settings.data_dir / "notes" / ctx.user
    folder.mkdir(parents=True, exist_ok=True)
    base = _slug(title)
    path = folder / f"{base}.md"
    n = 2
    while path.exists():  # never overwrite an earlier note
        path = folder / f"{base}-{n}.md"
        n += 1
    path.write_text(f"# {title}\n\n{text}\n", encoding="utf-8")
    return f"Saved the note as {path}."


BUILTIN_TOOLS = [core_memory_append, core_memory_replace, save_note]


@hookimpl
def register_tools(register: Any) -> None:
    for t in BUILTIN_TOOLS:
        register(t)
