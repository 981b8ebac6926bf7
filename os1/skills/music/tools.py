"""The music tools: compose a piece for a moment, and vary (or replay) one already written.

A piece is the companion's own gift, written into its own folder: nothing in the user's world
changes, so neither tool asks first. Offered only on turns that speak of music (the rules
"music" and "music change" in os1/language/routing.py).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from os1.core.tools import ToolContext, by_words, tool
from os1.skills.music.service import make, vary


@tool(prepare=by_words)
async def compose_music(
    ctx: ToolContext,
    moment: Annotated[str, Field(min_length=1, max_length=300, description="the moment the piece is for, in the user's words, e.g. 'our day at the beach'")],
    seconds: Annotated[int, Field(ge=30, le=120, description="how long, in seconds")] = 60,
) -> str:
    """Compose a short piano piece for a moment; its audio and score are kept and played."""
    made = await make(ctx.settings, ctx.store, ctx.user, moment, llm=ctx.llm, seconds_wanted=seconds)
    return made.summary()


@tool(prepare=by_words)
async def vary_music(
    ctx: ToolContext,
    change: Annotated[str, Field(max_length=200, description="what to change: 'again', 'slower', 'faster', 'in a major key', 'in a minor key', 'longer', 'shorter', 'a different one'")] = "again",
    which: Annotated[str, Field(max_length=200, description="which piece: 'last', its number, a month or words of its moment")] = "last",
) -> str:
    """Play a piece written before again, or a variation of it (slower, major, longer…)."""
    made = await vary(ctx.settings, ctx.store, ctx.user, which, change)
    if made is None:
        return "No piece has been composed yet: compose_music writes one."
    return made.summary()
