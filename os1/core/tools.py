"""Tools are plain typed functions; their JSON schema comes from the signature and docstring.

A tool that changes the world (writes, sends, deletes) is declared with `confirm=True`, and the
conversation core will not run it until the user has said yes.
"""

from __future__ import annotations

import inspect
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Collection

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from os1.errors import ToolError

if TYPE_CHECKING:
    from os1.config import Settings
    from os1.models.base import LLM
    from os1.storage.base import Store


_SCHEMA_WORDS = frozenset(
    {"type", "required", "additionalProperties", "properties", "description", "title", "$schema"}
)


@dataclass(frozen=True)
class Notice:
    """Words the user must get whatever the model answers (a small model does not reliably
    repeat a warning it was given): the conversation adds them to the turn's reply, shown,
    spoken and stored like the rest of it, unless the reply already matches `unless`."""

    text: str
    unless: "re.Pattern[str] | None" = None

    def needed(self, reply: str) -> bool:
        return self.unless is None or not self.unless.search(reply)


@dataclass
class ToolContext:
    """What a tool may use, handed over explicitly instead of through globals."""

    user: str
    session_id: int
    store: "Store"
    settings: "Settings"
    llm: "LLM | None" = None  # for tools that need the model themselves (classify, parse)
    # For a tool whose side effect is only known while it runs (e.g. mailing an invitation to
    # the attendees it found): ask the user the same way the core does. None: the answer is no.
    confirm: "Confirmer | None" = None
    notices: list[Notice] = field(default_factory=list)  # delivered with this turn's reply

    def notify(self, text: str, *, unless: str | None = None) -> None:
        """Make sure the user hears `text` this turn (e.g. "this mail looks like phishing"),
        unless the reply already says something matching the regex `unless`."""
        if all(n.text != text for n in self.notices):
            self.notices.append(Notice(text, re.compile(unless, re.I) if unless else None))


@dataclass(frozen=True)
class ConfirmationRequest:
    tool: str
    arguments: dict[str, Any]
    summary: str


Confirmer = Callable[[ConfirmationRequest], Awaitable[bool]]


@dataclass
class Tool:
    name: str
    description: str
    fn: Callable[..., Any]
    params: type[BaseModel]
    confirm: bool = False
    # Offered only when this says so (e.g. mail tools once an account exists); checked per session.
    available: Callable[[ToolContext], Awaitable[bool]] | None = None
    # Writes lasting state (core memory): asks first when the turn has already seen tool output,
    # which may carry text from outside (mail, files, the web) that must not act on its own.
    writes: bool = False
    # Offered only on turns whose words match (e.g. "forget"): a small model given one more
    # tool on every turn picks wrong ones more often (measured: the 0.5B then answered "move my
    # lunch" with a memory write). A rare turn that matches pays a cold prompt instead.
    when: "re.Pattern[str] | None" = None
    # ...or on the turn after one of these tools was called: the words that go on with a task
    # ("what does Amy say?", "tell her I'll be there" after reading mail) need not name it.
    after: frozenset[str] = frozenset()
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

    def summary(self, arguments: dict[str, Any]) -> str:
        shown = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in arguments.items())
        return f"{self.name}({shown})"

    def fits(self, text: str | None, called: Collection[str] = ()) -> bool:
        """Whether to offer this tool on a turn that says `text` (None: the standing set), after
        a turn that called the tools named in `called`."""
        if self.when is None or not self.after.isdisjoint(called):
            return True
        return text is not None and bool(self.when.search(text))

    async def offered(self, ctx: ToolContext) -> bool:
        return self.available is None or await self.available(ctx)

    async def run(self, ctx: ToolContext, arguments: dict[str, Any]) -> str:
        values = self.validate(arguments)
        result = self.fn(ctx, **dict(values))
        if inspect.isawaitable(result):
            result = await result
        return result if isinstance(result, str) else json.dumps(result, ensure_ascii=False)


def tool(
    fn: Callable[..., Any] | None = None,
    *,
    confirm: bool = False,
    name: str | None = None,
    available: Callable[[ToolContext], Awaitable[bool]] | None = None,
    writes: bool = False,
    when: str | None = None,
    after: Collection[str] = (),
) -> Any:
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
            name or func.__name__, doc, func, params, confirm, available=available, writes=writes,
            when=re.compile(when, re.I) if when else None, after=frozenset(after),
        )

    return wrap(fn) if fn is not None else wrap
