"""Forgetting, in conversation: "forget that", "forget everything about X".

It asks first and is for good: rows, search entries, vectors, and the words in the conversation
log and traces they came from. ("What do you remember about me?" and "where did you hear that?"
need no tool: recalled memories come with their dates and sources, see os1/memory/recall.py.)
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from os1.core.tools import ToolContext, by_words, tool
from os1.memory.index import MemoryIndex
from os1.models.embedder import MiniLMEmbedder


def _index(ctx: ToolContext) -> MemoryIndex:
    """Every store keeps long-term memories (`Store.memories`): no backend is special here."""
    return MemoryIndex(ctx.store, MiniLMEmbedder())


@tool(confirm=True, prepare=by_words)  # the rule "forget" in os1/language/routing.py
async def forget_memories(
    ctx: ToolContext,
    about: Annotated[str, Field(description="the words that name what to forget, e.g. 'Jamie'")],
) -> str:
    """Forget for good everything you remember that mentions these words (asks the user first)."""
    index = _index(ctx)
    gone = await index.forget_about(ctx.user, about)
    if not gone.memories and not gone.messages:
        return f"Nothing mentioning '{about}' was found; nothing was forgotten."
    return (
        f"Forgotten for good: {gone.memories} memories and {gone.messages} messages that "
        f"mentioned '{about}'."
    )
