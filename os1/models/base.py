"""The one LLM interface every backend implements (embedded llama.cpp, OpenAI-compatible, plugins)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: dict[str, Any]

    def to_message(self) -> dict[str, Any]:
        import json

        # A garbled call's text is not written back into the history: small models copy what
        # they see there, and each copy nested the last one deeper.
        shown = {k: v for k, v in self.arguments.items() if k != "_unparsed"}
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": json.dumps(shown)},
        }


@dataclass
class ChatChunk:
    """One piece of a streamed reply: text, finished tool calls, or the end with its stats."""

    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str | None = None
    usage: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelInfo:
    backend: str
    name: str
    detail: str = ""


Message = dict[str, Any]

# Words only a help desk says, kept out of replies by the embedded backend (llama.cpp's
# logit_bias, which takes each as text and finds its token): "How can I assist you?", "I'm your
# virtual assistant", "Don't hesitate to ask", "Unfortunately, I cannot". Each is one token in
# Qwen2.5's vocabulary, so nothing else is touched (a word of several tokens would ban its
# pieces everywhere). Measured in bench/presence (docs/presence.md).
HELPDESK_WORDS: tuple[str, ...] = (
    " assist", " Assist", "assist", " assistance", " assisting", " assistant", " Assistant",
    " inquiries", " hesitate", "Unfortunately", " Unfortunately",
)
# Phrases of a help desk or of a model disowning itself, which the embedded backend's reply
# grammar never lets a reply contain (whatever the model writes instead: "I'm sorry, but..."
# becomes "I'm sorry, that sounds hard"). One that begins with a capital (not "I") is banned
# with either case of its first letter. Each phrase makes the grammar's lexer larger: with
# every first letter in both cases, 16 phrases already gave "too many expressions" (the
# grammar is then dropped), so the list is short. "I'm an AI" stays possible: asked sincerely, the
# companion says what it is; "As an AI language model, I don't have feelings" does not.
HELPDESK_PHRASES: tuple[str, ...] = (
    "As an AI", "As an artificial", "language model", "Feel free", "Don't hesitate",
    "any other questions", "any questions", "further questions", "How can I help", "Let me know if",
    "anything else", "I'm sorry, but", "I don't have personal", "I don't have feelings",
    "I don't have emotions", "I don't have any information", "I hope this helps", "the user",
)


def callable_tools(tools: list[dict[str, Any]] | None, allowed: Collection[str] | None) -> list[dict[str, Any]]:
    """The tools in `tools` that a call with `allowed` (see LLM.stream_chat) may use."""
    return [t for t in tools or () if allowed is None or t["function"]["name"] in allowed]


@runtime_checkable
class LLM(Protocol):
    """A chat model. Messages and tools use the OpenAI chat format, the lingua franca of servers.

    Implementations keep the longest shared prompt prefix cached between calls (llama.cpp's
    prompt cache, vLLM's prefix cache), so callers keep the persona/system prefix stable.
    """

    info: ModelInfo

    def stream_chat(
        self,
        messages: list[Message],
        *,
        tools: list[dict[str, Any]] | None = None,
        allowed: Collection[str] | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        background: bool = False,
        must_call: bool = False,
    ) -> AsyncIterator[ChatChunk]:
        """Stream a reply; closing the iterator early stops generation. `allowed` names the
        tools in `tools` this call may use (None: all of them; empty: none, the reply is
        words); how they are shown is the backend's affair (the embedded one describes them
        after the history, so its cached prompt survives a change of tools). `must_call`: the
        reply is a call to one of them, never words (OpenAI's tool_choice "required"). For
        `background` see complete_json."""
        ...

    async def complete_json(
        self,
        messages: list[Message],
        schema: dict[str, Any],
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
        background: bool = False,
    ) -> dict[str, Any]:
        """Return an object that satisfies `schema` (grammar-constrained where the server can).

        `background` work (memory extraction, reflection) must not slow the conversation: a
        backend may stop it when a reply is wanted and raise ModelBusyError; callers retry later."""
        ...

    async def aclose(self) -> None: ...
