"""Editing core memory in conversation: "remember that I…", "that changed, I now…"."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from os1.core.tools import ToolContext, by_words, tool
from os1.memory import blocks

# Offered only on the turns whose words ask for it: the rule, and why, are in
# os1/language/routing.py ("remember").
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
