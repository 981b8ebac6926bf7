"""What long-term memory asks of a model: a chat model (facts, reflection) and an embedder.

Declared here, as protocols, because memory and the models package sit side by side in the
layers (docs/decisions/0007-layers.md): memory names only what it calls, and os1/models'
classes (EmbeddedLLM, the OpenAI-compatible client, MiniLMEmbedder) satisfy it as they are.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from typing import Any, Protocol

import numpy as np

Message = dict[str, Any]  # OpenAI chat format: {"role": ..., "content": ...}


class Chunk(Protocol):
    @property
    def text(self) -> str: ...


class LLM(Protocol):
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
    ) -> AsyncIterator[Chunk]:
        """Stream a reply; `background` work gives way to the conversation (ModelBusyError)."""
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
        """An object that satisfies `schema`."""
        ...


class Embedder(Protocol):
    async def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Float32 vectors, one row per text."""
        ...
