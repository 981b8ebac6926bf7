"""What the user just said, and when: tools check the model's arguments against the user's own
words and count "tomorrow" from the moment the user spoke, not from when the tool runs."""

from __future__ import annotations

from datetime import UTC, datetime

from os1.core.tools import ToolContext

LOOK_BACK = 8  # messages read back to find the newest user message


async def conversation_now(ctx: ToolContext) -> datetime:
    """When the user said it: the newest user message's time (the model saw that stamp)."""
    total = await ctx.store.count_messages(ctx.user)
    for m in reversed(await ctx.store.messages(ctx.user, offset=max(0, total - LOOK_BACK))):
        if m.role == "user":
            return m.created_at if m.created_at.tzinfo else m.created_at.replace(tzinfo=UTC)
    return datetime.now(UTC)


async def user_words(ctx: ToolContext) -> str:
    """The user's newest message: what the model's arguments are checked against."""
    total = await ctx.store.count_messages(ctx.user)
    for m in reversed(await ctx.store.messages(ctx.user, offset=max(0, total - LOOK_BACK))):
        if m.role == "user":
            return m.content
    return ""
