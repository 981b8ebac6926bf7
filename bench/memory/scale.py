"""Search latency at scale: one user with N memories, hybrid search p50/p95 over 100 queries.

    .venv/bin/python -m bench.memory.scale --sizes 10000 100000

Texts are LoCoMo turns reused cyclically. Vectors at this scale are random unit vectors written
directly (embedding 100k texts would take ~11 minutes here and does not change the search cost);
each query is embedded for real, so the figure includes the query embedding.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from bench.figures import EMBEDDER, record
from bench.memory.locomo import DATA, turns
from os1.memory.index import MemoryIndex
from os1.models.embedder import MiniLMEmbedder
from os1.plugins import migrations
from os1.storage.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parents[2]


def fill(store: SqliteStore, user: str, texts: list[str], n: int) -> float:
    rng = np.random.default_rng(0)
    now = datetime.now(UTC).isoformat()
    t0 = time.perf_counter()
    for start in range(0, n, 5000):
        count = min(5000, n - start)
        vecs = rng.standard_normal((count, 384)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        with store._tx() as conn:
            for i in range(count):
                text = f"{texts[(start + i) % len(texts)]} (#{start + i})"
                conn.execute(
                    "INSERT INTO memories (user_id, kind, content, happened_at, created_at, embedded)"
                    " VALUES (?, 'turn', ?, ?, ?, 1)",
                    (user, text, now, now),
                )
                conn.execute(
                    "INSERT INTO memories_vec(rowid, user_id, embedding) VALUES (?, ?, ?)",
                    (conn.last_insert_rowid(), user, vecs[i].tobytes()),
                )
    return time.perf_counter() - t0


async def measure(n: int, texts: list[str], questions: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        store = await SqliteStore.open(Path(tmp) / "scale.db", migrations())
        fill_s = await store._run(fill, store, "u", texts, n)
        index = MemoryIndex(store, MiniLMEmbedder(threads=1))
        await index.search("u", "warm up", k=10)
        times = []
        for q in questions:
            t0 = time.perf_counter()
            await index.search("u", q, k=10)
            times.append((time.perf_counter() - t0) * 1000)
        await store.close()
    times.sort()
    return {
        "memories": n,
        "p50_ms": round(times[len(times) // 2], 1),
        "p95_ms": round(times[int(len(times) * 0.95)], 1),
        "fill_rows_per_s": round(n / fill_s),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    data = json.loads(DATA.read_text())
    texts = [t for conv in data for _, t, _ in turns(conv["conversation"])]
    questions = [qa["question"] for qa in data[0]["qa"][:100]]
    results = [asyncio.run(measure(n, texts, questions)) for n in args.sizes]
    out = ROOT / "bench" / "results" / "memory-scale.json"
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    for r in results:
        if r["memories"] == 100_000:
            record("memory.search_p95_ms_100k", r["p95_ms"], "ms", EMBEDDER,
                   "python -m bench.memory.scale --sizes 10000 100000")


if __name__ == "__main__":
    main()
