"""The pieces OS1 wrote for the user, through the store's public API (query, execute).

Every query filters on user_id: one user never sees another's pieces.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from os1.skills.music.intent import Intent
from os1.storage.base import Store

_COLS = "id, created_at, moment, intent, chosen_by_model, seed, variation_of, seconds, folder, memory_id"
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")


@dataclass(frozen=True)
class StoredPiece:
    id: int
    created_at: datetime
    moment: str
    intent: Intent
    chosen_by_model: bool
    seed: int
    variation_of: int | None
    seconds: float
    folder: Path
    memory_id: int | None = None

    def file(self, kind: str) -> Path:
        """The piece's file of a kind: wav, ogg, mid, musicxml, svg, pdf (made when first asked
        for: `service.score_pdf`)."""
        names = {"wav": "piece.wav", "ogg": "piece.ogg", "mid": "piece.mid",
                 "musicxml": "score.musicxml", "svg": "score-1.svg", "pdf": "score.pdf"}
        return self.folder / names[kind]

    def line(self) -> str:
        made = f"{self.created_at:%d %b %Y}"
        return f"#{self.id} {made} — for “{self.moment}”: {self.intent.describe()}, {self.seconds:.0f} s"


def _piece(r: tuple[Any, ...]) -> StoredPiece:
    return StoredPiece(int(r[0]), datetime.fromisoformat(r[1]), r[2], Intent(**json.loads(r[3])), bool(r[4]),
                       int(r[5]), r[6], float(r[7]), Path(r[8]), r[9])


class Pieces:
    """The `music_pieces` table of one store."""

    def __init__(self, store: Store) -> None:
        self.db: Any = store  # query/execute: the store's public API (SqliteStore)

    async def add(self, user: str, moment: str, intent: Intent, chosen_by_model: bool, seed: int,
                  seconds: float, folder: Path, variation_of: int | None = None) -> int:
        values = (user, datetime.now(UTC).isoformat(timespec="seconds"), moment, json.dumps(intent.as_dict()),
                  int(chosen_by_model), seed, variation_of, seconds, str(folder))

        def write(conn: Any) -> int:
            conn.execute(
                "INSERT INTO music_pieces (user_id, created_at, moment, intent, chosen_by_model, seed,"
                " variation_of, seconds, folder) VALUES (?,?,?,?,?,?,?,?,?)", values)
            return int(conn.last_insert_rowid())

        return int(await self.db.transaction(write))

    async def set_memory(self, user: str, piece_id: int, memory_id: int) -> None:
        await self.db.execute("UPDATE music_pieces SET memory_id=? WHERE user_id=? AND id=?",
                              (memory_id, user, piece_id))

    async def get(self, user: str, piece_id: int) -> StoredPiece | None:
        rows = await self.db.query(f"SELECT {_COLS} FROM music_pieces WHERE user_id=? AND id=?", (user, piece_id))
        return _piece(rows[0]) if rows else None

    async def list(self, user: str, limit: int = 100) -> list[StoredPiece]:
        rows = await self.db.query(
            f"SELECT {_COLS} FROM music_pieces WHERE user_id=? ORDER BY id DESC LIMIT ?", (user, limit))
        return [_piece(r) for r in rows]

    async def find(self, user: str, which: str) -> StoredPiece | None:
        """The piece meant by `which`: its number ("3", "#3"), "last" (or nothing), a month it
        was written in ("the one from June"), or words of its moment ("the beach")."""
        pieces = await self.list(user)
        if not pieces:
            return None
        text = which.strip().lower()
        number = re.search(r"\d+", text)
        if number:
            return next((p for p in pieces if p.id == int(number.group())), None)
        month = next((i + 1 for i, m in enumerate(MONTHS) if re.search(rf"\b{m}\b", text)), None)
        if month is not None:
            return next((p for p in pieces if p.created_at.month == month), None)
        words = [w for w in re.findall(r"[a-z']{4,}", text) if w not in {"last", "that", "song", "piece", "again"}]
        hit = next((p for p in pieces if words and any(w in p.moment.lower() for w in words)), None)
        return hit or pieces[0]
