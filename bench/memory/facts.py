"""Fact extraction and supersession with the embedded models, on a small labelled set.

Each case is something a user says, with the words a fact must contain (or none, for small talk),
and for pairs, whether the second fact should end the first. Everything runs through OS1's own
Learner on a temporary database, exactly as in the background of a conversation.

    .venv/bin/python -m bench.memory.facts [--models qwen2.5-coder-0.5b qwen2.5-coder-1.5b]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from os1.config import Settings
from os1.memory.index import MemoryIndex
from os1.memory.learning import Learner
from os1.models.embedded import EmbeddedLLM
from os1.models.embedder import MiniLMEmbedder
from os1.plugins import migrations
from os1.storage.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parents[2]

# (message, words every one of which some fact must contain; [] = no fact expected)
SINGLE = [
    ("I live in Portland with my cat Miso.", ["Portland"]),
    ("I work as a nurse at a children's hospital.", ["nurse"]),
    ("My sister Ingrid lives in Oslo.", ["Ingrid", "Oslo"]),
    ("I've been playing the cello since I was eight.", ["cello"]),
    ("My daughter Lily starts school next week.", ["Lily", "school"]),
    ("I'm allergic to peanuts, by the way.", ["peanut"]),
    ("We got married in June 2019.", ["married"]),
    ("My favourite book is The Left Hand of Darkness.", ["Left Hand of Darkness"]),
    ("I run every morning before work.", ["run"]),
    ("My dad passed away two years ago.", ["dad"]),
    ("I'm learning Japanese for a trip to Kyoto in April.", ["Japanese"]),
    ("I drive an old green Volvo.", ["Volvo"]),
    ("Hi! How are you today?", []),
    ("What's the weather like?", []),
    ("haha that's funny", []),
    ("Can you tell me a joke?", []),
    ("Thanks, that helps a lot.", []),
    ("Good night!", []),
]
# (first, second, should the second end the first?)
PAIRS = [
    ("I live in Portland.", "I moved to LA last May.", True),
    ("I work as a nurse.", "I started a new job as a teacher two weeks ago.", True),
    ("I'm single at the moment.", "I got engaged to Sam yesterday!", True),
    ("My favourite food is pizza.", "Honestly sushi is my favourite food now.", True),
    ("I have a dog called Rex.", "I moved to Denver.", False),
    ("I play the guitar.", "My brother bought a new car.", False),
    ("I live in Oslo.", "My sister moved to Bergen.", False),
    ("I drink coffee every morning.", "I quit coffee last month.", True),
]


async def learn(index: MemoryIndex, learner: Learner, store: SqliteStore, user: str, texts: list[str]) -> list[float]:
    sid = await store.start_session(user)
    await store.set_profile(user, {"preferred_name": "Sam"})
    times = []
    for text in texts:
        await store.add_message(user, sid, "user", text)
        t0 = time.perf_counter()
        await learner.run(user)
        times.append(time.perf_counter() - t0)
    return times


async def run(model: str) -> dict:
    s = Settings(_env_file=None)
    llm = EmbeddedLLM(s.llm.model_copy(update={"model": model, "temperature": 0.0}), s.models_dir)
    await llm.load()
    with tempfile.TemporaryDirectory() as tmp:
        store = await SqliteStore.open(Path(tmp) / "facts.db", migrations())
        index = MemoryIndex(store, MiniLMEmbedder())
        learner = Learner(index, llm, ZoneInfo("UTC"), delay=0)
        found, wrong, times, examples = 0, 0, [], []
        expected = sum(1 for _, words in SINGLE if words)
        for i, (text, words) in enumerate(SINGLE):
            user = f"single-{i}"
            times += await learn(index, learner, store, user, [text])
            facts = [m.content for m in await index.facts(user)]
            examples.append({"said": text, "facts": facts})
            if words and any(all(w.lower() in f.lower() for w in words) for f in facts):
                found += 1
            if not words and facts:
                wrong += 1
        right_pairs, pair_log = 0, []
        for i, (first, second, ends) in enumerate(PAIRS):
            user = f"pair-{i}"
            times += await learn(index, learner, store, user, [first, second])
            all_facts = await index.facts(user, current=False)
            ended = any(m.valid_to is not None for m in all_facts)
            right_pairs += ended == ends
            pair_log.append({"first": first, "second": second, "should_end": ends, "ended": ended,
                             "facts": [m.content for m in all_facts]})
        await store.close()
    await llm.aclose()
    times.sort()
    return {
        "model": model,
        "fact_recall": f"{found}/{expected}",
        "facts_from_small_talk": f"{wrong}/{len(SINGLE) - expected}",
        "supersession_right": f"{right_pairs}/{len(PAIRS)}",
        "seconds_per_message_p50": round(times[len(times) // 2], 2),
        "examples": examples,
        "pairs": pair_log,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", nargs="+", default=["qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"])
    args = parser.parse_args()
    results = [asyncio.run(run(m)) for m in args.models]
    out = ROOT / "bench" / "results" / "memory-facts.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    for r in results:
        print({k: v for k, v in r.items() if k not in ("examples", "pairs")})


if __name__ == "__main__":
    main()
