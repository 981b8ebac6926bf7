"""Tools are plain typed functions; their JSON schema comes from the signature and docstring.

A tool that changes the world (writes, sends, deletes) is declared with `confirm=True`, and the
conversation core will not run it until the user has said yes.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from os1.errors import ToolError
from os1.language.routing import ROUTES, Routes, Turn

if TYPE_CHECKING:
    from os1.config import Settings
    from os1.models.base import LLM
    from os1.storage.base import Store, StoredMessage


_SCHEMA_WORDS = frozenset(
    {"type", "required", "additionalProperties", "properties", "description", "title", "$schema"}
)


@dataclass(frozen=True)
class Notice:
    """Words the user must get whatever the model answers (a small model does not reliably
    repeat a warning it was given): the conversation adds them to the turn's reply, shown,
    spoken and stored like the rest of it, unless the reply already matches `unless`."""

    text: str
    unless: re.Pattern[str] | None = None

    def needed(self, reply: str) -> bool:
        return self.unless is None or not self.unless.search(reply)


@dataclass
class ToolContext:
    """What a tool may use, handed over explicitly instead of through globals."""

    user: str
    session_id: int
    store: Store
    settings: Settings
    llm: LLM | None = None  # for tools that need the model themselves (classify, parse)
    # For a tool whose side effect is only known while it runs (e.g. mailing an invitation to
    # the attendees it found): ask the user the same way the core does. None: the answer is no.
    confirm: Confirmer | None = None
    notices: list[Notice] = field(default_factory=list)  # delivered with this turn's reply
    # Where report() sends a long tool's steps: the conversation makes each one an event of
    # the turn (TOOL_PROGRESS) while the tool still runs. None: nobody is watching.
    progress: Callable[[str], None] | None = None

    async def user_message(self) -> StoredMessage | None:
        """The user's newest message: the words the model's arguments are checked against, and
        its time (the stamp the model saw) is when the user said them."""
        turn = await last_turn(self.store, self.user)
        return turn[0] if turn else None

    def notify(self, text: str, *, unless: str | None = None) -> None:
        """Make sure the user hears `text` this turn (e.g. "this mail looks like phishing"),
        unless the reply already says something matching the regex `unless`."""
        if all(n.text != text for n in self.notices):
            self.notices.append(Notice(text, re.compile(unless, re.I) if unless else None))

    def report(self, step: str) -> None:
        """Tell the user what a tool that takes seconds is doing now ("Writing the PDF (212
        pages)…"), so a long wait shows a sign of life. Safe to call from a worker thread (a
        tool's work run with asyncio.to_thread); the model never sees these words."""
        if self.progress is not None:
            self.progress(step)


async def last_turn(store: Store, user: str, *, within: int = 20) -> list[StoredMessage]:
    """The user's newest message and what followed it (the replies and tool calls of that
    turn), among the last `within` messages; empty when there is none. Tools read the user's
    own words and time from it: what the model's arguments are checked against."""
    total = await store.count_messages(user)
    recent = await store.messages(user, offset=max(0, total - within))
    for i in range(len(recent) - 1, -1, -1):
        if recent[i].role == "user":
            return recent[i:]
    return []


@dataclass(frozen=True)
class ConfirmationRequest:
    tool: str
    arguments: dict[str, Any]
    summary: str


Confirmer = Callable[[ConfirmationRequest], Awaitable[bool]]


@dataclass(frozen=True)
class OfferContext:
    """What decides whether a tool is offered (as pydantic-ai's `prepare(ctx, tool_def)`): asked
    once when a session starts (`turn` None: is the tool there at all for this user, e.g. once a
    mail account exists; the session passes the schemas of those on every step, so that set
    stays fixed and the model's cached prompt with it), then on each turn (`turn`: its words)."""

    ctx: ToolContext
    tool: str  # the name of the tool asked about
    turn: Turn | None = None


Prepare = Callable[[OfferContext], Awaitable[bool]]
Settle = Callable[["ToolContext", dict[str, Any]], Awaitable[dict[str, Any]]]
Describe = Callable[["ToolContext", dict[str, Any]], Awaitable[str]]


@dataclass(frozen=True)
class Routed:
    """A Prepare that offers a tool on the turns a routing rule names for it (os1/language/
    routing.py), in sessions where `needs` says yes (None: all of them)."""

    needs: Callable[[ToolContext], Awaitable[bool]] | None = None
    routes: Routes = ROUTES

    async def __call__(self, offer: OfferContext) -> bool:
        if offer.turn is None:
            return self.needs is None or await self.needs(offer.ctx)
        return self.routes.offers(offer.tool, offer.turn)


def routed(needs: Callable[[ToolContext], Awaitable[bool]] | None = None) -> Routed:
    """Offered by the routing rules; with `needs`, only in sessions where it says yes."""
    return Routed(needs)


by_words = routed()  # offered on the turns whose words a routing rule names it for


@dataclass
class Tool:
    name: str
    description: str
    fn: Callable[..., Any]
    params: type[BaseModel]
    confirm: bool = False
    # Whether to offer it (None: always): a small model given one more tool on every turn picks
    # wrong ones more often, so most are offered by the words of the turn (`routed`).
    prepare: Prepare | None = None
    # Writes lasting state (core memory): asks first when the turn has already seen tool output,
    # which may carry text from outside (mail, files, the web) that must not act on its own.
    writes: bool = False
    settler: Settle | None = None  # see settle()
    describer: Describe | None = None  # see describe()
    _schema: dict[str, Any] | None = field(default=None, init=False, repr=False, compare=False)

    def schema(self) -> dict[str, Any]:
        """The OpenAI-format description, built once (every turn offers it)."""
        if self._schema is None:
            self._schema = self._build_schema()
        return self._schema

    def _build_schema(self) -> dict[str, Any]:
        parameters = self.params.model_json_schema()
        parameters.pop("title", None)
        for prop in parameters.get("properties", {}).values():
            prop.pop("title", None)
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": parameters},
        }

    def validate(self, arguments: dict[str, Any]) -> BaseModel:
        if "_unparsed" in arguments:  # the model wrote the call, but not as readable JSON
            raise ToolError(
                f"The arguments for {self.name} were not valid JSON, so nothing was done. Call it"
                " again with valid JSON arguments, or answer in words."
            )
        fields = self.params.model_fields
        if "properties" in arguments and "properties" not in fields:  # the schema, copied
            example = {k: f"<{getattr(f.annotation, '__name__', 'value')}>" for k, f in fields.items()}
            raise ToolError(
                f"The arguments for {self.name} copy its description instead of giving values, so"
                f" nothing was done. Give values like {json.dumps(example)}, or answer in words."
            )
        arguments = self.cleaned(arguments)
        try:
            return self.params.model_validate(arguments)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}" for e in exc.errors()
            )
            raise ToolError(f"Invalid arguments for {self.name}: {problems}.") from exc

    def cleaned(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """Without the words of the parameter schema that the small models copy in beside real
        values ({"title": "Groceries", "text": "milk", "type": "object"}): not arguments."""
        fields = self.params.model_fields
        return {k: v for k, v in arguments.items() if k in fields or k not in _SCHEMA_WORDS}

    async def settle(self, ctx: ToolContext, arguments: dict[str, Any]) -> dict[str, Any]:
        """The arguments made exact from the world before the user is asked, so that what is
        confirmed is what runs (a reply goes to the sender of the message answered). As given,
        unless a tool knows better."""
        return arguments if self.settler is None else await self.settler(ctx, arguments)

    async def describe(self, ctx: ToolContext, arguments: dict[str, Any]) -> str:
        """What the user is asked to agree to: the call's summary, unless the tool can say it
        better from what it knows (a tidy-up's plan in words rather than "plan=3")."""
        return self.summary(arguments) if self.describer is None else await self.describer(ctx, arguments)

    def summary(self, arguments: dict[str, Any]) -> str:
        shown = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in arguments.items())
        return f"{self.name}({shown})"

    async def offered(self, ctx: ToolContext, turn: Turn | None = None) -> bool:
        """Whether to offer it in this session (`turn` None) or on this turn."""
        return self.prepare is None or await self.prepare(OfferContext(ctx, self.name, turn))

    async def run(self, ctx: ToolContext, arguments: dict[str, Any]) -> str:
        values = self.validate(arguments)
        result = self.fn(ctx, **dict(values))
        if inspect.isawaitable(result):
            result = await result
        return result if isinstance(result, str) else json.dumps(result, ensure_ascii=False)


@overload
def tool(fn: Callable[..., Any], /) -> Tool: ...


@overload
def tool(
    fn: None = None,
    /,
    *,
    confirm: bool = False,
    name: str | None = None,
    prepare: Prepare | None = None,
    writes: bool = False,
    settle: Settle | None = None,
    describe: Describe | None = None,
) -> Callable[[Callable[..., Any]], Tool]: ...


def tool(
    fn: Callable[..., Any] | None = None,
    *,
    confirm: bool = False,
    name: str | None = None,
    prepare: Prepare | None = None,
    writes: bool = False,
    settle: Settle | None = None,
    describe: Describe | None = None,
) -> Tool | Callable[[Callable[..., Any]], Tool]:
    """Make a Tool from `def f(ctx: ToolContext, arg: T, ...) -> str` with a docstring."""

    def wrap(func: Callable[..., Any]) -> Tool:
        sig = inspect.signature(func)
        hints = inspect.get_annotations(func, eval_str=True)
        fields: dict[str, Any] = {}
        for i, (pname, param) in enumerate(sig.parameters.items()):
            if i == 0:
                continue  # the ToolContext
            default = ... if param.default is inspect.Parameter.empty else param.default
            fields[pname] = (hints.get(pname, str), default)
        doc = inspect.getdoc(func) or ""
        if not doc:
            raise TypeError(f"Tool {func.__name__} needs a docstring: the model reads it.")
        # Unknown arguments are refused: they are the sign of a confused call.
        params = create_model(
            f"{func.__name__}_params", __config__=ConfigDict(extra="forbid"), **fields
        )
        return Tool(
            name or func.__name__, doc, func, params, confirm, prepare=prepare, writes=writes,
            settler=settle, describer=describe,
        )

    return wrap(fn) if fn is not None else wrap
