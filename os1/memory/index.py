"""Long-term memory on SQLite: add with provenance, embed in the background, search hybrid, forget.

Search adds BM25 (FTS5) and vector (sqlite-vec) scores, with small terms for recency and
importance. Vectors are written in the same transaction that marks a row
embedded, so after a crash pending rows are embedded exactly once and nothing is lost.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Sequence

import numpy as np

from os1.errors import OS1Error
from os1.models.embedder import Embedder
from os1.language.dates import Period, period_in
from os1.memory.vectors import Similarity, VectorCache
from os1.storage.sqlite import SqliteStore

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
# How much a turn's neighbours count in BM25, next to its own words (LoCoMo recall@10 with
# 0.3 / 0.5 / 1.0: 0.701 / 0.709 / 0.699; bench/memory/locomo.py).
CONTEXT_WEIGHT = 0.5
# How many turns on each side make up that context (LoCoMo BM25 recall@10 with 1 / 2 / 3 turns
# each side in the one context column: 0.699 / 0.715 / 0.708).
CONTEXT_REACH = 2
LEXICAL_CUT = 4  # FTS5's own top k*4 is filtered by user before falling back to a joined query
# How much each signal counts: BM25 scaled to the best match, plus the cosine's distance above
# the user's typical memory in standard deviations. On LoCoMo, MiniLM alone ranks evidence far
# worse than BM25, yet finds what shares no word with the question. Recall@10 with semantic
# weight 0.1 / 0.2 / 0.4: 0.742 / 0.737 / 0.704 (bench/memory/locomo.py, docs/benchmarks.md).
# Session 5 (bench/memory/explore.py, weights chosen on LoCoMo conversations 0-4 only, checked on
# 5-9): "day" adds the best BM25 score (scaled) among the memories of the same day, so the other
# turns of the conversation where the question's words were said move up (the answer is often a
# few turns away, with none of the words); "length" offsets BM25's preference for short turns
# (log of the characters). Recall@10 on 0-4 / 5-9: 0.775 / 0.741 -> 0.788 / 0.763.
# Session 19: "date" lifts the memories of the time a query names ("yesterday", "in May",
# "July 12, 2022"; os1.language.dates.period_in); those words are not looked for in the text.
# Recall@10 on 0-4 / 5-9 with 0.5 / 0.7 / 1.0: 0.796 / 0.766, 0.798 / 0.768, 0.797 / 0.768
# (0.788 / 0.763 without); "day" then counts within the period only, and words for talking are
# dropped from queries: 0.798 / 0.771.
WEIGHTS = {"lexical": 1.0, "semantic": 0.1, "day": 0.5, "length": 0.2, "date": 0.7}
LENGTH_PIVOT = 4.5  # log(1 + characters) of a typical turn (~90 characters): no bonus, no malus


@dataclass
class Memory:
    id: int
    kind: str
    content: str
    speaker: str
    sources: list[Any]
    importance: float
    happened_at: datetime
    valid_to: datetime | None = None
    superseded_by: int | None = None
    heard: str = ""  # for facts: when and in what words the user said it (filled by recall)
    score: float = 0.0
    why: dict[str, int] = field(default_factory=dict)  # rank in each retriever


def content_words(text: str) -> list[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1]
    return list(dict.fromkeys(words))


def fts_query(text: str, joiner: str = " OR ") -> str:
    """Free text -> a safe FTS5 query: the content words, quoted, joined by OR (or AND)."""
    return joiner.join(f'"{w}"' for w in content_words(text))


def _neighbours(conn: Any, user: str, mid: int) -> list[int]:
    """The turns up to CONTEXT_REACH before and after `mid` in the user's history, nearest first."""
    found = []
    for op, order in (("<", "DESC"), (">", "ASC")):
        found += [r[0] for r in conn.execute(
            f"SELECT id FROM memories WHERE user_id=? AND kind='turn' AND id {op} ? ORDER BY id {order}"
            " LIMIT ?",
            (user, mid, CONTEXT_REACH),
        )]
    return found


def recontext_sync(conn: Any, user: str, ids: Sequence[int]) -> None:
    """Set each turn's context to its neighbours' words, as they are now."""
    for mid in ids:
        words = [
            conn.execute("SELECT content FROM memories WHERE id=?", (n,)).fetchone()[0]
            for n in _neighbours(conn, user, mid)
        ]
        conn.execute("UPDATE memories SET context=? WHERE id=?", (" ".join(words), mid))


@dataclass
class Forgotten:
    memories: int
    messages: int


# "What did Caroline research?": what Caroline said comes first. On LoCoMo recall@10 rose
# 0.745 -> 0.769 (multi-hop 0.43 -> 0.47) with this bonus; 0.3 gained nothing more.
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
    def __init__(self, store: SqliteStore, embedder: Embedder) -> None:
        self.store = store
        self.embedder = embedder
        self.vectors = VectorCache.of(store)  # kNN in memory; sqlite-vec is the durable copy

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

        def insert() -> int:
            with self.store._tx() as conn:
                conn.execute(
                    "INSERT INTO memories (user_id, kind, content, speaker, sources, importance,"
                    " happened_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (user, kind, content, speaker, json.dumps(list(sources)), importance,
                     when.isoformat(), datetime.now(UTC).isoformat()),
                )
                new_id = conn.last_insert_rowid()
                if kind == "turn":
                    recontext_sync(conn, user, [new_id, *_neighbours(conn, user, new_id)])
                return new_id

        return await self.store._run(insert)

    async def pending(self, limit: int = 64) -> list[tuple[int, str, str]]:
        return await self.store._run(
            self.store._rows,
            "SELECT id, user_id, content FROM memories WHERE embedded = 0 ORDER BY id LIMIT ?",
            (limit,),
        )

    async def embed_pending(self, batch: int = 64) -> int:
        """Embed what is waiting; safe to call at any time, from a background task."""
        done = 0
        while rows := await self.pending(batch):
            vectors = await self.embedder.embed([r[2] for r in rows])

            def write() -> list[tuple[int, str, Any]]:
                written = []
                with self.store._tx() as conn:
                    for (mid, user, _), vec in zip(rows, vectors):
                        if conn.execute("SELECT 1 FROM memories WHERE id=?", (mid,)).fetchone():
                            conn.execute(
                                "INSERT INTO memories_vec(rowid, user_id, embedding) VALUES (?, ?, ?)",
                                (mid, user, vec.astype(np.float32).tobytes()),
                            )
                            conn.execute("UPDATE memories SET embedded=1 WHERE id=?", (mid,))
                            written.append((mid, user, vec))
                return written

            self.vectors.added(await self.store._run(write))
            done += len(rows)
        return done

    async def turns_of(self, user: str, message_ids: Sequence[int]) -> list[int]:
        """The ids of the turn memories that hold these conversation messages."""
        if not message_ids:
            return []
        marks = ",".join("?" * len(message_ids))
        rows = await self.store._run(
            self.store._rows,
            "SELECT DISTINCT m.id FROM memories m, json_each(m.sources) j WHERE m.user_id=?"
            f" AND m.kind='turn' AND json_extract(j.value, '$.message') IN ({marks})",
            (user, *message_ids),
        )
        return [r[0] for r in rows]

    async def forget(self, user: str, ids: Sequence[int], *, messages: Sequence[int] = ()) -> int:
        """Really gone: the row, its BM25 entry (trigger) and its vector. `messages` (with
        their traces) go in the same transaction: a turn taken back leaves no half."""

        def delete() -> list[int]:
            gone, touched = [], set()
            with self.store._tx() as conn:
                if messages:
                    self.store.delete_messages_sync(conn, user, messages)
                for mid in ids:
                    row = conn.execute(
                        "SELECT kind FROM memories WHERE id=? AND user_id=?", (mid, user)
                    ).fetchone()
                    if row:
                        if row[0] == "turn":  # its words also live in its neighbours' context
                            touched.update(_neighbours(conn, user, mid))
                        conn.execute("DELETE FROM memories_vec WHERE rowid=?", (mid,))
                        conn.execute("DELETE FROM memories WHERE id=?", (mid,))
                        gone.append(mid)
                recontext_sync(conn, user, sorted(touched - set(gone)))
            return gone

        gone = await self.store._run(delete)
        self.vectors.removed(user, gone)
        return len(gone)

    async def forget_about(self, user: str, text: str) -> Forgotten:
        """Everything that mentions all of `text`'s words: memories (row, BM25 entry, vector),
        and the words in the conversation log and traces, which are blanked, not deleted, so
        the log keeps its shape."""
        words = content_words(text)
        if not words:
            return Forgotten(0, 0)
        ids = [r[0] for r in await self.store._run(
            self.store._rows,
            "SELECT m.id FROM memories_fts f JOIN memories m ON m.id = f.rowid"
            " WHERE memories_fts MATCH ? AND m.user_id = ?",
            (f"content : ({fts_query(text, ' AND ')})", user),
        )]
        like = " AND ".join("content LIKE ?" for _ in words)
        args = tuple(f"%{w}%" for w in words)

        def blank() -> int:
            with self.store._tx() as conn:
                n = conn.execute(
                    f"SELECT count(*) FROM messages WHERE user_id=? AND {like}", (user, *args)
                ).fetchone()[0]
                conn.execute(
                    "UPDATE messages SET content='[forgotten at the user''s request]'"
                    f" WHERE user_id=? AND {like}", (user, *args),
                )
                conn.execute(
                    f"DELETE FROM traces WHERE user_id=? AND {like.replace('content', 'events')}",
                    (user, *args),
                )
                return int(n)

        memories = await self.forget(user, ids)
        return Forgotten(memories, await self.store._run(blank))

    # -- reading ------------------------------------------------------------------------------
    async def messages_by_id(self, user: str, ids: Sequence[int]) -> dict[int, tuple[str, datetime]]:
        """The words and time of conversation messages (provenance of facts)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = await self.store._run(
            self.store._rows,
            f"SELECT id, content, created_at FROM messages WHERE user_id=? AND id IN ({marks})",
            (user, *ids),
        )
        return {r[0]: (r[1], datetime.fromisoformat(r[2])) for r in rows}

    async def facts(self, user: str, limit: int = 20, *, current: bool = True) -> list[Memory]:
        """Facts about the user, most important and newest first."""
        rows = await self.store._run(
            self.store._rows,
            "SELECT id FROM memories WHERE user_id=? AND kind='fact'"
            + (" AND valid_to IS NULL" if current else "")
            + " ORDER BY importance DESC, id DESC LIMIT ?",
            (user, limit),
        )
        found = await self.get(user, [r[0] for r in rows])
        return [found[r[0]] for r in rows]

    async def recent(self, user: str, limit: int = 20) -> list[Memory]:
        """The newest memories first."""
        rows = await self.store._run(
            self.store._rows,
            "SELECT id FROM memories WHERE user_id=? ORDER BY id DESC LIMIT ?", (user, limit),
        )
        found = await self.get(user, [r[0] for r in rows])
        return [found[r[0]] for r in rows]

    async def related_facts(self, user: str, text: str, k: int) -> dict[int, Memory]:
        """Facts still true that share words with `text`, then the newest ones, up to k."""
        q = fts_query(text)
        matched = await self.store._run(
            self.store._rows,
            "SELECT m.id FROM memories_fts f JOIN memories m ON m.id = f.rowid"
            " WHERE memories_fts MATCH ? AND m.user_id = ? AND m.kind = 'fact'"
            " AND m.valid_to IS NULL ORDER BY bm25(memories_fts) LIMIT ?",
            (q, user, k),
        ) if q else []
        newest = await self.store._run(
            self.store._rows,
            "SELECT id FROM memories WHERE user_id = ? AND kind = 'fact' AND valid_to IS NULL"
            " ORDER BY id DESC LIMIT ?",
            (user, k),
        )
        ids = list(dict.fromkeys(r[0] for r in matched + newest))[:k]
        found = await self.get(user, ids)
        return {i: found[i] for i in sorted(ids) if i in found}

    async def lexical(self, user: str, query: str, k: int) -> list[int]:
        return [mid for mid, _ in await self.lexical_scored(user, query, k)]

    async def lexical_scored(self, user: str, query: str, k: int) -> list[tuple[int, float]]:
        """BM25 ranking of this user's memories, with scores (higher is better). FTS5 ranks first
        on its own (measured at 100k memories: 5 ms against 16 ms when joined with the table
        first); only when other users' rows crowd this user's out of that first cut does the
        exact, joined query run."""
        q = fts_query(query)
        if not q:
            return []
        rank = f"bm25(memories_fts, 1.0, {CONTEXT_WEIGHT})"
        cut = k * LEXICAL_CUT

        def ranked() -> list[tuple[int, float]]:
            conn = self.store.conn
            first = [(r[0], -r[1]) for r in conn.execute(
                f"SELECT rowid, {rank} FROM memories_fts WHERE memories_fts MATCH ? ORDER BY {rank}"
                " LIMIT ?",
                (q, cut),
            )]
            if not first:
                return []
            marks = ",".join("?" * len(first))
            mine = {r[0] for r in conn.execute(
                f"SELECT id FROM memories WHERE user_id = ? AND id IN ({marks})",
                (user, *(mid for mid, _ in first)),
            )}
            if len(mine) >= k or len(first) < cut:
                return [(mid, sc) for mid, sc in first if mid in mine][:k]
            return [(r[0], -r[1]) for r in conn.execute(
                f"SELECT m.id, {rank} FROM memories_fts f JOIN memories m ON m.id = f.rowid"
                f" WHERE memories_fts MATCH ? AND m.user_id = ? ORDER BY {rank} LIMIT ?",
                (q, user, k),
            )]

        return await self.store._run(ranked)

    async def during(self, user: str, period: Period, k: int) -> list[int]:
        """The user's newest k memories within `period`. Stamps may carry other UTC offsets than
        the period (a DST change, another zone), so the range read is a day wider on each side
        and the exact test is made on the parsed times."""
        wide = ((period.start - timedelta(days=1)).astimezone(UTC).isoformat(),
                (period.end + timedelta(days=1)).astimezone(UTC).isoformat())
        rows = await self.store._run(
            self.store._rows,
            "SELECT id, happened_at FROM memories WHERE user_id = ? AND happened_at >= ?"
            " AND happened_at < ? ORDER BY happened_at DESC LIMIT ?",
            (user, *wide, k * LEXICAL_CUT),
        )
        return [mid for mid, at in rows if datetime.fromisoformat(at) in period][:k]

    async def semantic(self, user: str, query: str, k: int) -> list[int]:
        return [mid for mid, _ in (await self.similarity(user, query)).top(k)]

    async def similarity(self, user: str, query: str) -> Similarity:
        vec = (await self.embedder.embed([query]))[0]
        return await self.vectors.similarity(user, vec)

    async def get(self, user: str, ids: Sequence[int]) -> dict[int, Memory]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = await self.store._run(
            self.store._rows,
            "SELECT id, kind, content, speaker, sources, importance, happened_at, valid_to, superseded_by"
            f" FROM memories WHERE user_id = ? AND id IN ({marks})",
            (user, *ids),
        )
        return {
            r[0]: Memory(
                r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], datetime.fromisoformat(r[6]),
                datetime.fromisoformat(r[7]) if r[7] else None, r[8],
            )
            for r in rows
        }

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
        ("yesterday", "in May") lifts the memories of that time (WEIGHTS). On LoCoMo this fusion
        of scores beat reciprocal-rank fusion of the two rankings (recall@10 0.742 against 0.716)."""
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
        lexical, similar, dated = await asyncio.gather(
            self.lexical_scored(user, words_query, pool), self.similarity(user, query),
            self.during(user, period, pool) if period is not None else asyncio.sleep(0, []),
            return_exceptions=True,
        )
        if isinstance(lexical, BaseException):
            raise lexical
        if isinstance(dated, BaseException):
            raise dated
        if isinstance(similar, OS1Error):
            similar = None  # no embedder: words alone still find things
        elif isinstance(similar, BaseException):
            raise similar
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
