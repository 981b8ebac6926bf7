"""Which tools a session offers, turn by turn. Each tool decides for itself (Tool.prepare, most
by the routing rules of os1/language/routing.py); this keeps what those rules need to know
between turns: the user's words when the reply to them asked a question, and the tools the last
turn called (they carry over to a new session too)."""

from __future__ import annotations

from collections.abc import Mapping

from os1.core.tools import Tool, ToolContext, last_turn
from os1.language.routing import Turn, required
from os1.storage.base import Store


async def session_tools(tools: Mapping[str, Tool], ctx: ToolContext) -> dict[str, Tool]:
    """The tools that are there at all in a session of ctx.user (e.g. mail once an account
    exists): asked once, when the session starts."""
    return {name: t for name, t in tools.items() if await t.offered(ctx)}


async def last_turn_tools(store: Store, user: str) -> frozenset[str]:
    """The tools the user's last turn called, from the stored conversation: a new session goes
    on with the task the last turn was doing."""
    turn = await last_turn(store, user, within=16)
    return frozenset(str(m.meta["name"]) for m in turn if m.role == "tool" and m.meta.get("name"))


class Offering:
    """The tools each turn of one session is offered."""

    def __init__(
        self, tools: Mapping[str, Tool], ctx: ToolContext, called: frozenset[str] = frozenset()
    ) -> None:
        self.tools = tools
        self.ctx = ctx
        self.current: set[str] = set()  # the tools offered on the current (or last) turn
        self.required: set[str] = set()  # of those, what its first step must call (Rule.must)
        self.previous = ""  # the user's words a turn ago, if the reply asked back
        self.called = called  # the tools the last turn called
        self._before: tuple[str, frozenset[str]] = ("", frozenset())  # as before that turn

    async def offer(self, text: str) -> set[str]:
        """The tools a turn that says `text` may call, next."""
        turn = Turn(text, self.previous, self.called)
        return {name for name, t in self.tools.items() if await t.offered(self.ctx, turn)}

    async def begin(self, text: str) -> set[str]:
        """A turn that says `text` starts: what it is offered."""
        self._before = (self.previous, self.called)
        self.current = await self.offer(text)
        self.required = required(text) & self.current
        self.previous, self.called = "", frozenset()
        return self.current

    def end(self, text: str, reply: str, called: set[str]) -> None:
        """The turn that said `text` ended with `reply`, having called `called`. A reply that
        asks a question keeps `text` for the answer ("Which day?" - "Wednesday")."""
        self.previous = text if reply.rstrip().rstrip("\"')”»").endswith("?") else ""
        self.called = frozenset(called)

    def undo(self) -> None:
        """The last turn is taken back: as if it had never been."""
        (self.previous, self.called), self.current, self.required = self._before, set(), set()
