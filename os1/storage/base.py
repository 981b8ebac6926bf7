"""The storage contract, one small protocol per domain. Every row belongs to one user; no method
crosses users. SQLite implements them today (os1/storage/sqlite.py); another backend implements
the same protocols and passes the same contract tests (tests/storage/)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from os1.storage.memories import MemoryRepository

T = TypeVar("T")


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


@dataclass
class Trace:
    """What happened during one reply (tool calls, timings), kept to explain it later."""

    message_id: int | None
    events: list[dict[str, Any]]
    created_at: str

    def __getitem__(self, key: str) -> Any:
        """Read as the dict traces used to be (`trace["events"]`), for callers not yet moved
        to the attributes."""
        return getattr(self, key)


class ConversationRepository(Protocol):
    """Sessions and their messages, in the order they were said."""

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

    async def delete_messages(self, user: str, ids: Sequence[int]) -> int:
        """Gone with their traces, all or nothing; how many messages went."""
        ...

    async def messages(self, user: str, *, offset: int = 0, limit: int = 1000) -> list[StoredMessage]:
        """Oldest first."""
        ...

    async def messages_by_id(self, user: str, ids: Sequence[int]) -> dict[int, StoredMessage]: ...

    async def user_messages_after(self, user: str, after_id: int, limit: int) -> list[StoredMessage]:
        """What the user said after message `after_id`, oldest first (learning reads these)."""
        ...

    async def last_reply_before(self, user: str, message_id: int) -> StoredMessage | None:
        """The companion's last complete reply before `message_id`."""
        ...

    async def blank_mentioning(self, user: str, words: Sequence[str]) -> int:
        """Blank the words of every message that mentions all of `words` (the log keeps its
        shape) and delete the traces that mention them; how many messages were blanked."""
        ...


class TraceRepository(Protocol):
    async def save_trace(self, user: str, message_id: int | None, events: list[dict[str, Any]]) -> None: ...

    async def traces(self, user: str, limit: int = 20) -> list[Trace]:
        """Newest first."""
        ...


class ProfileRepository(Protocol):
    """The user's profile (key -> JSON value) and core-memory blocks."""

    async def blocks(self, user: str) -> list[Block]:
        """By label."""
        ...

    async def set_block(self, user: str, block: Block) -> None: ...

    async def profile(self, user: str) -> dict[str, Any]: ...

    async def set_profile(self, user: str, values: dict[str, Any]) -> None:
        """Merged into what is there: keys not given stay."""
        ...


class Database(Protocol):
    """The public database API through which the repositories of the core and of skills read and
    write their own tables (reminders, preferences, a skill's migrations): SQL runs inside the
    store's thread, `fn` receives the connection and its work commits or rolls back as one."""

    async def read(self, fn: Callable[[Any], T]) -> T: ...
    async def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...
    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int: ...
    async def transaction(self, fn: Callable[[Any], T]) -> T: ...


class Store(ConversationRepository, TraceRepository, ProfileRepository, Database, Protocol):
    """One user's database as the core sees it: conversation, traces, profile and blocks,
    long-term memories, and a portable export."""

    @property
    def memories(self) -> MemoryRepository: ...

    async def export_user(self, user: str) -> dict[str, Any]: ...

    async def import_user(self, user: str, doc: dict[str, Any], *, replace: bool = False) -> dict[str, int]: ...

    async def close(self) -> None: ...
