"""Exact nearest neighbours from a per-user matrix kept in memory.

The store (sqlite-vec) stays the durable copy of every vector; this is a read cache in front of
it, because one float32 matrix product over a user's vectors is many times faster than the
database's brute-force kNN (bench/memory/scale.py measures both). The matrix costs 1.5 KB per
memory (150 MB at 100k), loaded on a user's first search.

One cache per open database (shared by every MemoryIndex on it), so a memory forgotten through
any index is gone from the cache too. Writes from another process are noticed through the
repository's `version()`, and the user's matrix is then reloaded.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np

from os1.storage.memories import MemoryRepository

DIM = 384
# How often to ask SQLite whether another process wrote. A memory another process forgot in
# the last second may still be *scored*, but never shown: rows are read back from the table.
RECHECK_S = 1.0
_CACHES: weakref.WeakKeyDictionary[MemoryRepository, VectorCache] = weakref.WeakKeyDictionary()


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    unit: np.ndarray = matrix / np.clip(norms, 1e-12, None)
    return unit


class VectorCache:
    def __init__(self, memories: MemoryRepository) -> None:
        self.memories = memories
        self._users: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # user -> (ids, unit rows)
        self._version: int | None = None
        self._checked = -RECHECK_S

    @classmethod
    def of(cls, memories: MemoryRepository) -> VectorCache:
        cache = _CACHES.get(memories)
        if cache is None:
            cache = _CACHES[memories] = cls(memories)
        return cache

    async def _matrix(self, user: str) -> tuple[np.ndarray, np.ndarray]:
        now = time.monotonic()
        if now - self._checked >= RECHECK_S:  # not per query: it would wait behind BM25's turn
            self._checked = now
            version = await self.memories.version()
            if version != self._version:  # another process wrote: what we hold may be stale
                self._users.clear()
                self._version = version
        if user not in self._users:
            ids, matrix = await self.memories.vectors(user, DIM)
            self._users[user] = (ids, await asyncio.to_thread(_unit_rows, matrix))
        return self._users[user]

    async def similarity(self, user: str, query: np.ndarray) -> Similarity:
        """The query's cosine with every one of the user's memories (one matrix product)."""
        ids, matrix = await self._matrix(user)
        q = (query / max(float(np.linalg.norm(query)), 1e-12)).astype(np.float32)
        # numpy releases the GIL: the loop stays free
        return Similarity(ids, await asyncio.to_thread(np.matmul, matrix, q))

    async def nearest(self, user: str, query: np.ndarray, k: int) -> list[int]:
        return [mid for mid, _ in (await self.similarity(user, query)).top(k)]

    def added(self, rows: Sequence[tuple[int, str, Any]]) -> None:
        """Vectors just written by this process: (id, user, vector)."""
        for user in {r[1] for r in rows}:
            if user not in self._users:
                continue  # not loaded yet: the first search reads it from the database
            new = [(mid, vec) for mid, u, vec in rows if u == user]
            ids, matrix = self._users[user]
            add = np.stack([np.asarray(v, dtype=np.float32) for _, v in new])
            add /= np.clip(np.linalg.norm(add, axis=1, keepdims=True), 1e-12, None)
            ids = np.concatenate([ids, np.array([m for m, _ in new], dtype=np.int64)])
            matrix = np.concatenate([matrix, add])
            if len(ids) > 1 and np.any(ids[1:] < ids[:-1]):  # kept sorted for `Similarity.of`
                order = np.argsort(ids, kind="stable")
                ids, matrix = ids[order], matrix[order]
            self._users[user] = (ids, matrix)

    def removed(self, user: str, gone: Sequence[int]) -> None:
        if user in self._users and gone:
            ids, matrix = self._users[user]
            keep = ~np.isin(ids, np.asarray(gone, dtype=np.int64))
            self._users[user] = (ids[keep], matrix[keep])

    def clear(self) -> None:
        self._users.clear()


class Similarity:
    """One query's cosines with all of a user's memories (ids sorted ascending)."""

    def __init__(self, ids: np.ndarray, scores: np.ndarray) -> None:
        self.ids = ids
        self.scores = scores
        self.mean = float(scores.mean()) if len(scores) else 0.0
        self.std = float(scores.std()) if len(scores) else 0.0

    def top(self, k: int) -> list[tuple[int, float]]:
        n = min(k, len(self.scores))
        if n <= 0:
            return []
        best = np.argpartition(-self.scores, n - 1)[:n]
        best = best[np.argsort(-self.scores[best])]
        return [(int(self.ids[i]), float(self.scores[i])) for i in best]

    def of(self, wanted: Sequence[int]) -> dict[int, float]:
        """Cosines of the given memories that have a vector."""
        if not len(self.ids) or not wanted:
            return {}
        asked = np.asarray(wanted, dtype=np.int64)
        pos = np.clip(np.searchsorted(self.ids, asked), 0, len(self.ids) - 1)
        hit = self.ids[pos] == asked
        return {int(m): float(self.scores[p]) for m, p, h in zip(asked, pos, hit, strict=True) if h}

    def z(self, score: float) -> float:
        """How far above this user's typical memory a cosine is, in standard deviations."""
        return (score - self.mean) / self.std if self.std > 1e-9 else 0.0
