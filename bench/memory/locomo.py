"""LoCoMo evidence recall: ingest each conversation as OS1 memories, then retrieve for every
question and count how many of its evidence turns are in the top k.

    .venv/bin/python -m bench.memory.locomo [--limit-conversations N]

Categories (official LoCoMo eval code): 1 multi-hop, 2 temporal, 3 open-domain, 4 single-hop,
5 adversarial. "overall" is categories 1-4 (the 1,540 questions most papers score).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.figures import EMBEDDER, record
from os1.memory.index import MemoryIndex
from os1.models.embedder import MiniLMEmbedder
from os1.plugins import migrations
from os1.storage.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parents[2]

DATA = ROOT.parent / "shared" / "benchmarks" / "locomo" / "locomo10.json"
CATEGORIES = {1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop", 5: "adversarial"}
KS = (5, 10)


def session_time(text: str) -> datetime:
    return datetime.strptime(text.strip(), "%I:%M %p on %d %B, %Y")


def turns(conversation: dict) -> list[tuple[str, str, datetime]]:
    out = []
    n = 1
    while f"session_{n}" in conversation:
        when = session_time(conversation[f"session_{n}_date_time"])
        for t in conversation[f"session_{n}"]:
            text = f"{t['speaker']}: {t['text']}"
            if t.get("blip_caption"):
                text += f" [shares a photo: {t['blip_caption']}]"
            out.append((t["dia_id"], text, when))
        n += 1
    return out


def normalise(dia_id: str) -> str:
    return re.sub(r"\s+", "", dia_id)


async def run(limit: int | None) -> dict:
    conversations = json.loads(DATA.read_text())[:limit]
    embedder = MiniLMEmbedder(threads=2)
    variants = {"hybrid": None,  # OS1's default weights (os1.memory.index.WEIGHTS)
                "hybrid-date-0": {"date": 0.0},  # the period still takes its words out of the query
                "hybrid-no-day-length": {"day": 0.0, "length": 0.0, "date": 0.0},  # before the day and length terms
                "semantic-only": {"lexical": 0.0, "semantic": 1.0, "day": 0.0, "length": 0.0, "date": 0.0}}
    hits: dict[str, dict[str, list[float]]] = {m: {} for m in ("bm25", *variants)}
    latencies: list[float] = []
    ingest_s, n_turns = 0.0, 0
    with tempfile.TemporaryDirectory() as tmp:
        store = await SqliteStore.open(Path(tmp) / "locomo.db", migrations())
        index = MemoryIndex(store, embedder)
        for n_conv, conv in enumerate(conversations):
            user = conv["sample_id"]
            # weights were chosen on conversations 0-4 (docs/decisions/0004-recall-weights.md): 5-9 are held out
            split = "dev" if n_conv < 5 else "held"
            t0 = time.perf_counter()
            for dia_id, text, when in turns(conv["conversation"]):
                speaker = text.split(":", 1)[0]  # turns() writes 'Speaker: words'
                await index.add(user, text, speaker=speaker, sources=[dia_id], happened_at=when)
                n_turns += 1
            await index.embed_pending(batch=128)
            ingest_s += time.perf_counter() - t0
            for qa in conv["qa"]:
                evidence = {normalise(e) for e in qa.get("evidence", []) if e}
                if not evidence:
                    continue
                cat = CATEGORIES[qa["category"]]
                t1 = time.perf_counter()
                hybrid = await index.search(user, qa["question"], k=max(KS))
                latencies.append((time.perf_counter() - t1) * 1000)
                lexical_ids = await index.lexical(user, qa["question"], max(KS))
                lexical = await index.get(user, lexical_ids)
                results = {"hybrid": hybrid, "bm25": [lexical[i] for i in lexical_ids if i in lexical]}
                for name, weights in variants.items():
                    if weights is not None:
                        results[name] = await index.search(user, qa["question"], k=max(KS), weights=weights)
                for method, found in results.items():
                    for k in KS:
                        got = {normalise(s) for m in found[:k] for s in m.sources}
                        recall = len(evidence & got) / len(evidence)
                        buckets = (cat, "overall", f"{split}-overall") if qa["category"] != 5 else (cat,)
                        if qa["category"] == 1:
                            buckets += (f"{split}-multi-hop",)
                        for bucket in buckets:
                            hits[method].setdefault(f"{bucket}@{k}", []).append(recall)
        await store.close()
    table = {
        method: {key: round(statistics.fmean(v), 3) for key, v in sorted(buckets.items())}
        for method, buckets in hits.items()
    }
    counts = {key: len(v) for key, v in hits["hybrid"].items() if key.endswith("@10")}
    latencies.sort()
    return {
        "conversations": len(conversations),
        "turns": n_turns,
        "questions": counts,
        "recall": table,
        "search_ms_p50": round(latencies[len(latencies) // 2], 1),
        "search_ms_p95": round(latencies[int(len(latencies) * 0.95)], 1),
        "ingest_turns_per_s": round(n_turns / ingest_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit-conversations", type=int, default=None)
    args = parser.parse_args()
    result = asyncio.run(run(args.limit_conversations))
    out = ROOT / "bench" / "results" / "memory-locomo.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    if args.limit_conversations is None:
        recall, cmd = result["recall"]["hybrid"], "python -m bench.memory.locomo"
        record("memory.locomo_recall10", recall["overall@10"], "ratio", EMBEDDER, cmd)
        record("memory.locomo_recall10_multihop", recall["multi-hop@10"], "ratio", EMBEDDER, cmd)


if __name__ == "__main__":
    main()
