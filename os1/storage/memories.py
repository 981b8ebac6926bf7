"""The long-term memory contract: what os1/memory (search, learning, reflection) asks of storage.

Memories are turns, facts and insights, each with provenance. Words are found by a full-text
index (BM25), meanings by stored vectors; how those scores are weighed and fused is os1/memory's
business, not the repository's. A turn's `context` (its neighbours' words) is kept by the
repository, so it is always the words of the turns around it as they are now.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

# How many turns on each side make up a turn's context: two read best on the recall benchmark
# (docs/decisions/0004-recall-weights.md).
CONTEXT_REACH = 2

Vector = npt.NDArray[np.floating[Any]]


@dataclass
class Memory:
    id: int
    kind: str  # turn | fact | insight
    content: str
    speaker: str
    sources: list[Any]
    importance: float
    happened_at: datetime
    valid_to: datetime | None = None
    superseded_by: int | None = None
    heard: str = ""  # for facts: when and in what words the user said it (filled by recall)
    score: float = 0.0  # filled by search
    why: dict[str, int] = field(default_factory=dict)  # rank in each retriever (search)


@dataclass
class NewMemory:
    """A memory to write. `replaces`: the facts this one ends (they stay, with `valid_to` set
    to when this one began, and `superseded_by` pointing to it)."""

    content: str
    happened_at: datetime
    kind: str = "turn"
    speaker: str = ""
    sources: list[Any] = field(default_factory=list)
    importance: float = 0.5
    replaces: list[int] = field(default_factory=list)
    created_at: datetime | None = None  # now, unless given


@dataclass
class Pending:
    """A memory waiting for its vector."""

    id: int
    user: str
    content: str


@dataclass
class Progress:
    """How far a background task (learning, reflection) has read: a watermark and its state."""

    last_id: int
    state: dict[str, Any]


class MemoryRepository(Protocol):
    # -- writing ------------------------------------------------------------------------------
    async def add(self, user: str, memory: NewMemory) -> int:
        """Store one memory; a turn's and its neighbours' contexts are brought up to date."""
        ...

    async def add_facts(
        self, user: str, message_id: int, facts: Sequence[NewMemory], *, task: str, progress: Progress
    ) -> list[int]:
        """Facts learned from message `message_id`, and the task's progress, in one transaction.
        When the message is gone (taken back while it was read) no fact is written; the
        progress is saved all the same."""
        ...

    async def add_derived(
        self, user: str, memories: Sequence[NewMemory], *, derived_from: Sequence[int], task: str,
        progress: Progress,
    ) -> list[int] | None:
        """Memories written from others (insights), and the task's progress, in one transaction;
        None, and nothing written, when any memory of `derived_from` is gone."""
        ...

    async def pending(self, limit: int) -> list[Pending]:
        """Memories of every user still without a vector, oldest first."""
        ...

    async def save_vectors(self, vectors: Sequence[tuple[int, str, Vector]]) -> list[int]:
        """(id, user, vector) for pending memories; the ids written (a memory forgotten or
        embedded by another call in the meantime gets none). A memory is marked embedded in the
        same transaction."""
        ...

    async def forget(self, user: str, ids: Sequence[int], *, messages: Sequence[int] = ()) -> list[int]:
        """Really gone: the rows, their words and their vectors; the ids that were there.
        `messages` (with their traces) go in the same transaction."""
        ...

    async def progress(self, user: str, task: str) -> Progress:
        """Where `task` stands for `user`; (0, {}) before it first ran."""
        ...

    async def save_progress(self, user: str, task: str, progress: Progress) -> None: ...

    # -- reading ------------------------------------------------------------------------------
    async def get(self, user: str, ids: Sequence[int]) -> dict[int, Memory]: ...

    async def recent(self, user: str, limit: int) -> list[Memory]:
        """Newest first."""
        ...

    async def ended_by(self, user: str, ids: Sequence[int]) -> list[Memory]:
        """The facts that these facts superseded (what was true before them), newest first."""
        ...

    async def facts(self, user: str, limit: int, *, current: bool = True) -> list[Memory]:
        """Most important first, then newest; `current`: only those still true."""
        ...

    async def newest_facts(self, user: str, limit: int) -> list[int]:
        """Facts still true, newest first."""
        ...

    async def facts_matching(self, user: str, words: Sequence[str], limit: int) -> list[int]:
        """Facts still true that contain any of `words`, best match first."""
        ...

    async def matching_all(self, user: str, words: Sequence[str]) -> list[int]:
        """Memories whose own words contain all of `words`."""
        ...

    async def by_words(
        self, user: str, words: Sequence[str], limit: int, *, context_weight: float
    ) -> list[tuple[int, float]]:
        """BM25 ranking of the user's memories that contain any of `words` (higher is better),
        a turn's context counting `context_weight` of its own words."""
        ...

    async def between(self, user: str, start: datetime, end: datetime, limit: int) -> list[tuple[int, datetime]]:
        """(id, happened_at) of memories that happened in [start, end), newest first."""
        ...

    async def turns_of(self, user: str, message_ids: Sequence[int]) -> list[int]:
        """The turn memories that hold these conversation messages."""
        ...

    async def learned_since(self, user: str, after_id: int) -> list[Memory]:
        """Facts, and what the user said, after memory `after_id`; oldest first."""
        ...

    async def insights(self, user: str, speaker: str, limit: int) -> list[Memory]:
        """The newest insights written as `speaker` (e.g. the diary)."""
        ...

    async def vectors(self, user: str, dim: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """Every vector of the user's memories, by id: (ids, rows of `dim` floats)."""
        ...

    async def version(self) -> int:
        """A number that changes when another connection (process) writes: cached vectors may
        then be stale."""
        ...
