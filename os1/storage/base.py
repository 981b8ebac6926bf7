"""The storage contract. Every row belongs to one user; no method crosses users."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, Sequence


@dataclass
class StoredMessage:
    id: int
    session_id: int
    role: str  # user | assistant | tool
    content: str
    status: str  # complete | streaming | interrupted | error
    created_at: datetime
    meta: dict[str, Any] = field(default_factory=dict)  # tool_calls, tool_call_id, name


@dataclass
class Block:
    """A labelled, size-limited piece of core memory rendered into every prompt."""

    label: str
    value: str
    limit: int
    description: str = ""


class Store(Protocol):
    async def start_session(self, user: str) -> int: ...

    async def add_message(
        self,
        user: str,
        session_id: int,
        role: str,
        content: str,
        *,
        status: str = "complete",
        meta: dict[str, Any] | None = None,
    ) -> int: ...

    async def update_message(self, user: str, message_id: int, content: str, status: str) -> None: ...

    async def count_messages(self, user: str) -> int: ...

    async def delete_messages(self, user: str, ids: Sequence[int]) -> int: ...

    async def messages(self, user: str, *, offset: int = 0, limit: int = 1000) -> list[StoredMessage]: ...

    async def blocks(self, user: str) -> list[Block]: ...

    async def set_block(self, user: str, block: Block) -> None: ...

    async def profile(self, user: str) -> dict[str, Any]: ...

    async def set_profile(self, user: str, values: dict[str, Any]) -> None: ...

    async def save_trace(self, user: str, message_id: int | None, events: list[dict[str, Any]]) -> None: ...

    async def traces(self, user: str, limit: int = 20) -> list[dict[str, Any]]: ...

    async def export_user(self, user: str) -> dict[str, Any]: ...

    async def import_user(self, user: str, doc: dict[str, Any], *, replace: bool = False) -> dict[str, int]: ...

    async def close(self) -> None: ...
