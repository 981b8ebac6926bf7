"""What the conversation core asks of long-term memory: remember each turn, recall what matters.

Recalled memories ride on the newest user message, never in the system text, so the cached
prompt prefix (persona, core memory, history) stays valid from turn to turn.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from datetime import datetime, tzinfo

from os1.errors import OS1Error
from os1.memory.index import Memory, MemoryIndex
from os1.memory.learning import Learner

log = logging.getLogger(__name__)

RECALL_K = 5
RECALL_CHARS = 1200  # the budget for recalled text in one prompt


ABOUT_ME = re.compile(
    r"\b(remember|know|learn(ed|t)?|told you)\b.*\b(me|myself|my life)\b|\babout me\b", re.I
)
ABOUT_ME_FACTS = 6
HEARD_CHARS = 90
SUCCESSOR_STEPS = 3


def _distinct(memories: list[Memory]) -> list[Memory]:
    """One of each wording: the same fact twice takes the place of another."""
    seen: set[tuple[str, str]] = set()
    out = []
    for m in memories:
        key = (m.kind, " ".join(m.content.lower().split()))
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _without_quoted_turns(memories: list[Memory]) -> list[Memory]:
    """Turns a recalled fact already quotes whole: "Sam: I live in Leeds" beside "Sam lives in
    Leeds (told you on …: "I live in Leeds")" adds nothing, and a small model repeats the
    first-person words as its own."""
    quoted = {
        s["message"] for m in memories if m.kind == "fact" and m.heard and not m.heard.endswith('…"')
        for s in m.sources if isinstance(s, dict) and "message" in s
    }
    return [
        m for m in memories
        if m.kind != "turn" or not any(isinstance(s, dict) and s.get("message") in quoted for s in m.sources)
    ]


def render(memories: list[Memory], zone: tzinfo, limit: int = RECALL_CHARS) -> str:
    """Memories as dated lines; facts say whether they still hold and where they were heard."""
    lines, used = [], 0
    for m in memories:
        when = m.happened_at.astimezone(zone).strftime("%d %b %Y")
        if m.kind == "turn":
            line = f"- ({when}) {m.speaker + ': ' if m.speaker else ''}{m.content}"
        else:
            line = f"- {m.kind}: {m.content}"
            if m.valid_to is not None:
                line += f" [no longer true since {m.valid_to.astimezone(zone):%d %b %Y}]"
            if m.heard:
                line += f" ({m.heard})"
        if used + len(line) > limit:
            break
        lines.append(line)
        used += len(line)
    if not lines:
        return ""
    return (
        "(From your long-term memory; earlier conversations, may or may not matter here:\n"
        + "\n".join(lines)
        + ")\n"
    )


class Remembering:
    """Ingests turns, embeds them in the background, and recalls for the next reply."""

    def __init__(self, index: MemoryIndex, learner: Learner | None = None) -> None:
        self.index = index
        self.learner = learner  # facts and reflection; None where no model may be used for it
        self._embedding: asyncio.Task[int] | None = None

    async def ingest(
        self, user: str, message_id: int, speaker: str, text: str, when: datetime | None = None
    ) -> None:
        await self.index.add(
            user, text, kind="turn", speaker=speaker, sources=[{"message": message_id}],
            happened_at=when,
        )
        self.embed_soon()

    async def forget_turns(self, user: str, message_ids: Sequence[int], *, with_messages: bool = False) -> int:
        """The turn memories of these messages, from every index (row, BM25 entry, vector);
        `with_messages`: the messages too, in the same transaction."""
        turns = await self.index.turns_of(user, message_ids)
        return await self.index.forget(user, turns, messages=message_ids if with_messages else ())

    def embed_soon(self) -> None:
        """Start background embedding if it is not running; a reply never waits for it."""
        if self._embedding is None or self._embedding.done():
            self._embedding = asyncio.create_task(self._embed())

    async def _embed(self) -> int:
        try:
            return await self.index.embed_pending()
        except OS1Error as exc:  # e.g. the embedder is missing: search falls back to words
            log.warning("memory embedding paused: %s", exc)
            return 0

    async def recall(
        self, user: str, query: str, exclude_messages: set[int], *, now: datetime | None = None
    ) -> list[Memory]:
        """Memories relevant to `query` that are not already in the prompt's history; for "what
        do you remember about me?", the most important facts first. `now`, in the user's zone,
        is what "yesterday" in the query is counted from."""
        try:
            found = await self.index.search(user, query, k=RECALL_K + len(exclude_messages), now=now)
            if ABOUT_ME.search(query):
                top = await self.index.facts(user, ABOUT_ME_FACTS)
                found = top + [m for m in found if m.id not in {t.id for t in top}]
        except OS1Error as exc:
            log.warning("memory search failed: %s", exc)
            return []
        fresh = [
            m for m in _distinct(found)
            if m.kind != "turn"
            or not any(isinstance(s, dict) and s.get("message") in exclude_messages for s in m.sources)
        ][: RECALL_K + (ABOUT_ME_FACTS if ABOUT_ME.search(query) else 0)]
        fresh = await self._with_history(user, fresh)
        await self._note_sources(user, fresh)
        return _without_quoted_turns(fresh)

    async def _with_history(self, user: str, memories: list[Memory]) -> list[Memory]:
        """A fact comes with its history: the one that ended it just before it, the one it
        ended just after. Asked "where do I live now?", search found the old city by its
        words, and the move that ended it shares none of them; asked "where did I work before
        Studio Nine?", it found the new job and not the old. Followed along a chain (Leeds,
        Bristol, Bath)."""
        out = await self._with_successors(user, memories)
        ask = [m.id for m in out if m.kind == "fact"]  # each step asks only about the facts the last one added
        for _ in range(SUCCESSOR_STEPS):
            have = {m.id for m in out}
            before = [m for m in await self.index.ended_by(user, ask) if m.id not in have]
            if not before:
                break
            ask = [m.id for m in before]
            for old in before:
                new = next(m for m in out if m.id == old.superseded_by)
                out.insert(out.index(new) + 1, old)
        return out

    async def _with_successors(self, user: str, memories: list[Memory]) -> list[Memory]:
        out = list(memories)
        for _ in range(SUCCESSOR_STEPS):
            have = {m.id for m in out}
            wanted = [m.superseded_by for m in out if m.superseded_by is not None and m.superseded_by not in have]
            if not wanted:
                break
            found = await self.index.get(user, wanted)
            for old in [m for m in out if m.superseded_by in found]:
                if (new := found[old.superseded_by]).id not in {m.id for m in out}:  # type: ignore[index]
                    out.insert(out.index(old), new)
        return out

    async def _note_sources(self, user: str, memories: list[Memory]) -> None:
        """Where each fact was heard, so "where did you hear that?" has an answer."""
        ids = [
            s["message"] for m in memories if m.kind == "fact"
            for s in m.sources if isinstance(s, dict) and "message" in s
        ]
        said = await self.index.messages_by_id(user, ids)
        for m in memories:
            for s in m.sources:
                if m.kind == "fact" and isinstance(s, dict) and s.get("message") in said:
                    text, at = said[s["message"]]
                    quote = text if len(text) <= HEARD_CHARS else text[: HEARD_CHARS - 1] + "…"
                    m.heard = f"told you on {at:%d %b %Y}: \"{quote}\""

    def learn_soon(self, user: str) -> None:
        if self.learner is not None:
            self.learner.soon(user)

    async def drain(self) -> None:
        """Finish embedding (quick); stop learning, which resumes from its watermark next time."""
        if self._embedding is not None:
            await self._embedding
        if self.learner is not None:
            await self.learner.close()
