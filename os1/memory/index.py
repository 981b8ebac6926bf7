"""Long-term memory: add with provenance, embed in the background, search hybrid, forget.

Search adds BM25 and vector scores, with small terms for recency and importance. The rows,
words and vectors live behind the storage's `MemoryRepository` (os1/storage/memories.py);
what is here is how they are weighed.
"""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from os1.errors import OS1Error
from os1.language.dates import Period, period_in
from os1.memory.model import Embedder
from os1.memory.vectors import Similarity, VectorCache
from os1.storage.base import Store
from os1.storage.memories import CONTEXT_REACH, Memory, NewMemory, Pending

__all__ = ["CONTEXT_REACH", "Memory", "MemoryIndex"]

_WORD = re.compile(r"\w+", re.UNICODE)
_STOP = frozenset(
    "a an and are as at be but by did do does for from had has have he her his how i if in is it "
    "its me my of on or our she so that the their them they this to was we were what when where "
    "which who why will with you your".split()
)
# Words for the act of talking: in a memory of conversations every memory was said, so in a
# query ("what did we talk about yesterday?") they find nothing but chance mentions.
_CONVERSING = re.compile(
    r"\b(?:talk(?:s|ed|ing)?|say(?:s|ing)?|said|tell(?:s|ing)?|told|speak(?:s|ing)?|spoke"
    r"|discuss(?:es|ed|ing)?|mention(?:s|ed|ing)?|chat(?:s|ted|ting)?)\b",
    re.IGNORECASE,
)
# The weights below were chosen on the LoCoMo recall benchmark (bench/memory/locomo.py); why
# each signal is there and how it was weighed: docs/decisions/0004-recall-weights.md.
# How much a turn's neighbours (its context column) count in BM25, next to its own words.
CONTEXT_WEIGHT = 0.5
LEXICAL_CUT = 4  # a period is read k*4 memories wide before the exact test on parsed times
# How much each signal counts: BM25 scaled to the best match ("lexical"); the cosine's distance
# above the user's typical memory in standard deviations ("semantic": embeddings alone rank
# evidence worse than words, yet find what shares no word with the question); the best BM25
# score among the memories of the same day ("day": the answer is often a few turns away from
# the question's words, in the same conversation); log of the length ("length": offsets BM25's
# preference for short turns); and being within a time the query names ("date": "yesterday",
# "in May"; those words are then not looked for in the text).
WEIGHTS = {"lexical": 1.0, "semantic": 0.1, "day": 0.5, "length": 0.2, "date": 0.7}
LENGTH_PIVOT = 4.5  # log(1 + characters) of a typical turn (~90 characters): no bonus, no malus


def content_words(text: str) -> list[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1]
    return list(dict.fromkeys(words))


@dataclass
class Forgotten:
    memories: int
    messages: int


# "What did Caroline research?": what Caroline said comes first (a larger bonus gained nothing
# more on the recall benchmark).
SPEAKER_BONUS = 0.2


def named_speaker(query: str, speakers: set[str]) -> str | None:
    """The one speaker the query names by first name (none when it names two, or nobody)."""
    named = {
        sp for sp in speakers
        if sp and (first := sp.split()[0]) and len(first) > 1
        and re.search(rf"(?<!\w){re.escape(first)}(?!\w)", query, re.IGNORECASE)
    }
    return named.pop() if len(named) == 1 else None


def best_of_day(found: dict[int, Memory], words: dict[int, float]) -> dict[Any, float]:
    """For each day, the best scaled BM25 score among the memories of that day: a turn said
    the same day as the question's words (the same conversation) is more likely the answer."""
    best: dict[Any, float] = {}
    for mid, score in words.items():
        if mid in found:
            day = found[mid].happened_at.date()
            best[day] = max(best.get(day, 0.0), score)
    return best


class MemoryIndex:
    def __init__(self, store: Store, embedder: Embedder) -> None:
        self.store = store
        self.memories = store.memories
        self.embedder = embedder
        self.vectors = VectorCache.of(self.memories)  # kNN in memory; the store keeps the durable copy

    # -- writing ------------------------------------------------------------------------------
    async def add(
        self,
        user: str,
        content: str,
        *,
        kind: str = "turn",
        speaker: str = "",
        sources: Sequence[Any] = (),
        importance: float = 0.5,
        happened_at: datetime | None = None,
    ) -> int:
        when = happened_at or datetime.now(UTC)
        if when.tzinfo is None:  # a time without a zone is taken as UTC, never compared naive
            when = when.replace(tzinfo=UTC)
        return await self.memories.add(
            user, NewMemory(content, when, kind, speaker, list(sources), importance)
        )

    async def pending(self, limit: int = 64) -> list[Pending]:
        return await self.memories.pending(limit)

    async def embed_pending(self, batch: int = 64) -> int:
        """Embed what is waiting; safe to call at any time, from a background task."""
        done = 0
        while rows := await self.pending(batch):
            vectors = await self.embedder.embed([r.content for r in rows])
            made = [(r.id, r.user, vec) for r, vec in zip(rows, vectors, strict=True)]
            written = set(await self.memories.save_vectors(made))
            self.vectors.added([m for m in made if m[0] in written])
            done += len(rows)
        return done

    async def turns_of(self, user: str, message_ids: Sequence[int]) -> list[int]:
        """The ids of the turn memories that hold these conversation messages."""
        return await self.memories.turns_of(user, message_ids)

    async def forget(self, user: str, ids: Sequence[int], *, messages: Sequence[int] = ()) -> int:
        """Really gone: the row, its BM25 entry and its vector. `messages` (with their traces)
        go in the same transaction: a turn taken back leaves no half."""
        gone = await self.memories.forget(user, ids, messages=messages)
        self.vectors.removed(user, gone)
        return len(gone)

    async def forget_about(self, user: str, text: str) -> Forgotten:
        """Everything that mentions all of `text`'s words: memories (row, BM25 entry, vector),
        and the words in the conversation log and traces, which are blanked, not deleted, so
        the log keeps its shape."""
        words = content_words(text)
        if not words:
            return Forgotten(0, 0)
        ids = await self.memories.matching_all(user, words)
        memories = await self.forget(user, ids)
        return Forgotten(memories, await self.store.blank_mentioning(user, words))

    # -- reading ------------------------------------------------------------------------------
    async def messages_by_id(self, user: str, ids: Sequence[int]) -> dict[int, tuple[str, datetime]]:
        """The words and time of conversation messages (provenance of facts)."""
        found = await self.store.messages_by_id(user, ids)
        return {mid: (m.content, m.created_at) for mid, m in found.items()}

    async def facts(self, user: str, limit: int = 20, *, current: bool = True) -> list[Memory]:
        """Facts about the user, most important and newest first."""
        return await self.memories.facts(user, limit, current=current)

    async def recent(self, user: str, limit: int = 20) -> list[Memory]:
        """The newest memories first."""
        return await self.memories.recent(user, limit)

    async def related_facts(self, user: str, text: str, k: int) -> dict[int, Memory]:
        """Facts still true that share words with `text`, then the newest ones, up to k."""
        matched = await self.memories.facts_matching(user, content_words(text), k)
        newest = await self.memories.newest_facts(user, k)
        ids = list(dict.fromkeys(matched + newest))[:k]
        found = await self.get(user, ids)
        return {i: found[i] for i in sorted(ids) if i in found}

    async def lexical(self, user: str, query: str, k: int) -> list[int]:
        return [mid for mid, _ in await self.lexical_scored(user, query, k)]

    async def lexical_scored(self, user: str, query: str, k: int) -> list[tuple[int, float]]:
        """BM25 ranking of this user's memories, with scores (higher is better)."""
        return await self.memories.by_words(user, content_words(query), k, context_weight=CONTEXT_WEIGHT)

    async def during(self, user: str, period: Period, k: int) -> list[int]:
        """The user's newest k memories within `period`. Stamps may carry other UTC offsets than
        the period (a DST change, another zone), so the range read is a day wider on each side
        and the exact test is made on the parsed times."""
        rows = await self.memories.between(
            user, period.start - timedelta(days=1), period.end + timedelta(days=1), k * LEXICAL_CUT
        )
        return [mid for mid, at in rows if at in period][:k]

    async def semantic(self, user: str, query: str, k: int) -> list[int]:
        return [mid for mid, _ in (await self.similarity(user, query)).top(k)]

    async def similarity(self, user: str, query: str) -> Similarity:
        vec = (await self.embedder.embed([query]))[0]
        return await self.vectors.similarity(user, vec)

    async def get(self, user: str, ids: Sequence[int]) -> dict[int, Memory]:
        return await self.memories.get(user, ids)

    async def ended_by(self, user: str, ids: Sequence[int]) -> list[Memory]:
        """What was true before these facts: the ones they superseded."""
        return await self.memories.ended_by(user, ids)

    async def search(
        self,
        user: str,
        query: str,
        k: int = 10,
        *,
        now: datetime | None = None,
        pool: int = 50,
        weights: dict[str, float] | None = None,
    ) -> list[Memory]:
        """Hybrid search: BM25 and vector scores added, nudged by recency and importance.

        BM25 is scaled to the best match (1.0); a cosine counts by how far it stands above this
        user's typical memory, in standard deviations; the day's best BM25 match lifts the
        memories of that day, longer memories get a little more, and a time the query names
        ("yesterday", "in May") lifts the memories of that time (WEIGHTS). Fusing the scores
        ranks better than fusing the two rankings (docs/decisions/0004-recall-weights.md)."""
        now = now or datetime.now().astimezone()
        # A time the query names is matched on the memories' dates, not on their words; its
        # days are those of `now`'s zone (a conversation passes the user's; else this machine's).
        period = period_in(query, now)
        words_query = query if period is None else (
            query[: period.span[0]] + " " + query[period.span[1]:]
        )
        words_query = _CONVERSING.sub(" ", words_query)
        # The retrievers run at once: BM25 and the period on the database thread, the query's
        # embedding and the matrix product on others.
        lexical, found_similar, dated = await asyncio.gather(
            self.lexical_scored(user, words_query, pool), self.similarity(user, query),
            self.during(user, period, pool) if period is not None else asyncio.sleep(0, []),
            return_exceptions=True,
        )
        if isinstance(lexical, BaseException):
            raise lexical
        if isinstance(dated, BaseException):
            raise dated
        similar: Similarity | None = None  # None: no embedder; words alone still find things
        if isinstance(found_similar, BaseException) and not isinstance(found_similar, OS1Error):
            raise found_similar
        if isinstance(found_similar, Similarity):
            similar = found_similar
        weights = {**WEIGHTS, **(weights or {})}
        best = max((sc for _, sc in lexical), default=0.0)
        words = {mid: sc / best for mid, sc in lexical} if best > 0 else {}
        meaning = dict(similar.top(pool)) if similar is not None else {}
        if similar is not None:
            meaning.update(similar.of([mid for mid in words if mid not in meaning]))
        scores: dict[int, float] = {}
        why: dict[int, dict[str, int]] = {}
        for rank, (mid, _) in enumerate(lexical, 1):
            why.setdefault(mid, {})["lexical"] = rank
        for rank, mid in enumerate(sorted(meaning, key=meaning.__getitem__, reverse=True)[:pool], 1):
            why.setdefault(mid, {})["semantic"] = rank
        for rank, mid in enumerate(dated, 1):
            why.setdefault(mid, {})["date"] = rank
        if similar is not None:
            meaning.update(similar.of([mid for mid in dated if mid not in meaning]))
        for mid in why:
            sem = similar.z(meaning[mid]) if similar is not None and mid in meaning else 0.0
            scores[mid] = weights["lexical"] * words.get(mid, 0.0) + weights["semantic"] * sem
        found = await self.get(user, list(scores))
        named = named_speaker(query, {m.speaker for m in found.values()})
        # With a time named, the day of the best word match is looked for within it only.
        day_best = best_of_day(
            {mid: m for mid, m in found.items() if period is None or m.happened_at in period}, words
        )
        for mid, mem in found.items():
            age_days = max(0.0, (now - mem.happened_at).total_seconds() / 86400)
            bonus = 0.1 * mem.importance + 0.05 * math.exp(-age_days / 30)
            bonus += weights["day"] * day_best.get(mem.happened_at.date(), 0.0)
            bonus += weights["length"] * (math.log1p(len(mem.content)) - LENGTH_PIVOT)
            if period is not None and mem.happened_at in period:
                bonus += weights["date"]
            if mem.valid_to is not None:
                bonus -= 0.25  # superseded facts sink, but their history stays findable
            if named is not None and mem.speaker == named:
                bonus += SPEAKER_BONUS
            mem.score = scores[mid] + bonus
            mem.why = why[mid]
        return sorted(found.values(), key=lambda m: m.score, reverse=True)[:k]
