"""What the user just said, and when: tools check the model's arguments against the user's own
words and count "tomorrow" from the moment the user spoke, not from when the tool runs. Both
read the one newest user message (`ToolContext.user_message`). `recent_calls` tells what the
conversation just did: "reply that I'll be there" answers the email read a moment ago."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from os1.core.tools import ToolContext


async def conversation_now(ctx: ToolContext) -> datetime:
    """When the user said it: the newest user message's time (the model saw that stamp)."""
    message = await ctx.user_message()
    if message is None:
        return datetime.now(UTC)
    return message.created_at if message.created_at.tzinfo else message.created_at.replace(tzinfo=UTC)


async def user_words(ctx: ToolContext) -> str:
    """The user's newest message: what the model's arguments are checked against."""
    message = await ctx.user_message()
    return message.content if message is not None else ""


async def recent_calls(ctx: ToolContext, name: str, *, within: int = 20) -> list[dict[str, Any]]:
    """The arguments tool `name` ran with (as settled, see Tool.settle) among the last `within`
    messages, newest first."""
    total = await ctx.store.count_messages(ctx.user)
    return [dict(m.meta["arguments"]) for m in reversed(await ctx.store.messages(ctx.user, offset=max(0, total - within)))
            if m.role == "tool" and m.meta.get("name") == name and isinstance(m.meta.get("arguments"), dict)]


async def recent_results(ctx: ToolContext, *, within: int = 20) -> list[str]:
    """What tools returned among the last `within` messages: what the conversation has seen
    (an address the model writes that none of it shows, nor the user said, it made up)."""
    total = await ctx.store.count_messages(ctx.user)
    return [m.content for m in await ctx.store.messages(ctx.user, offset=max(0, total - within)) if m.role == "tool"]
