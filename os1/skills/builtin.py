"""Built-in tools: editing core memory, and saving a note (a side effect, so it asks first)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field

from os1.core.tools import ToolContext, by_words, tool
from os1.memory import blocks
from os1.plugins import hookimpl

# Each tool here is offered only on the turns whose words ask for it: the rules, and why, are in
# os1/language/routing.py ("remember", "note").
BlockLabel = Annotated[Literal["human", "persona"], Field(description="which memory block")]


@tool(writes=True, prepare=by_words)
async def core_memory_append(
    ctx: ToolContext,
    block: BlockLabel,
    text: Annotated[str, Field(description="the fact to remember, one short sentence")],
) -> str:
    """Remember something lasting: about the user in 'human', about yourself in 'persona'."""
    updated = await blocks.append(ctx.store, ctx.user, block, text)
    return f"Saved. The {block} block now has {len(updated.value)}/{updated.limit} characters."


@tool(writes=True, prepare=by_words)
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


@tool(confirm=True, prepare=by_words)
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
