"""What the user just said, and when: tools check the model's arguments against the user's own
words and count "tomorrow" from the moment the user spoke, not from when the tool runs. Both
read the one newest user message (`ToolContext.user_message`)."""

from __future__ import annotations

from datetime import UTC, datetime

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
