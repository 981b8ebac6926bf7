"""The embedded model as a listwise reranker of OS1's top N on LoCoMo: what it gains, what it costs.

    .venv/bin/python bench/memory/llm_rerank.py --model qwen2.5-coder-1.5b --convs 0 --top 20 \
        [--limit-s 600]

Each question's first N memories by the product's ranking (`explore_ideas.v5`) are listed, with
their dates, in one prompt; the model names the ones that answer the question (a JSON list of
numbers under llama.cpp's schema constraint, temperature 0). Its picks go first, the rest keep
their order. Results are appended to bench/results/llm-rerank-*.jsonl (rerunning resumes), then
recall@10 before and after, and the perfect reranker's recall over the same N, are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.memory.explore import Corpus, Lab, load  # noqa: E402
from bench.memory.explore_ideas import v5  # noqa: E402
from os1.config import LLMSettings, Settings  # noqa: E402
from os1.models.embedded import EmbeddedLLM  # noqa: E402


def listing(corpus: Corpus, cand: list[int]) -> str:
    lines = []
    for i, g in enumerate(cand):
        text = corpus.texts[g] if len(corpus.texts[g]) < 240 else corpus.texts[g][:240] + "…"
        lines.append(f"[{i}] ({corpus.dates[g]:%d %b %Y}) {text}")
    return "\n".join(lines)


async def rerank(args: argparse.Namespace, out: Path) -> None:
    lab = Lab()
    done = {json.loads(line)["qi"] for line in out.open()} if out.exists() else set()
    llm = EmbeddedLLM(
        LLMSettings(model=args.model, temperature=0.0, max_reply_tokens=60, context_tokens=4096),
        Settings().data_dir / "models",
    )
    schema = {
        "type": "object",
        "properties": {"relevant": {"type": "array", "maxItems": 8,
                                    "items": {"type": "integer", "minimum": 0, "maximum": args.top - 1}}},
        "required": ["relevant"],
    }
    spans = {k: lab.c.span(k) for k in args.convs}
    start = time.perf_counter()
    try:
        for qi, q in enumerate(lab.c.questions):
            if q.conv not in spans or q.category == 5 or qi in done:
                continue
            if time.perf_counter() - start > args.limit_s:
                break
            cand = [int(g) for g in v5(lab, qi, q, spans[q.conv])[0][: args.top]]
            messages = [
                {"role": "system",
                 "content": "You find the chat messages that answer a question about a conversation."},
                {"role": "user",
                 "content": f"Messages:\n{listing(lab.c, cand)}\n\nQuestion: {q.text}\n\nWhich messages"
                            " hold the information needed to answer the question? Give their numbers,"
                            " most useful first."},
            ]
            t0 = time.perf_counter()
            value = await llm.complete_json(messages, schema, temperature=0.0, max_tokens=60)
            picks = [i for i in value.get("relevant", []) if isinstance(i, int) and 0 <= i < len(cand)]
            with out.open("a") as f:
                f.write(json.dumps({"qi": qi, "cand": cand, "picks": picks,
                                    "seconds": time.perf_counter() - t0}) + "\n")
    finally:
        await llm.aclose()


def report(out: Path) -> None:
    corpus = load()
    rows = [json.loads(line) for line in out.open()]
    before, after, ceiling = [], [], []
    for row in rows:
        q, cand = corpus.questions[row["qi"]], row["cand"]
        picked = list(dict.fromkeys(cand[i] for i in row["picks"]))
        new = picked + [g for g in cand if g not in picked]
        before.append(len(q.evidence & set(cand[:10])) / q.n_evidence)
        after.append(len(q.evidence & set(new[:10])) / q.n_evidence)
        ceiling.append(min(len(q.evidence & set(cand)), 10) / q.n_evidence)
    print(f"{len(rows)} questions: recall@10 {np.mean(before):.3f} -> {np.mean(after):.3f}"
          f" (perfect reranker of the same candidates {np.mean(ceiling):.3f});"
          f" {np.mean([r['seconds'] for r in rows]):.1f} s a question")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--convs", type=lambda s: [int(x) for x in s.split(",")], default=[0])
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--limit-s", type=float, default=600.0, help="stop starting questions after this")
    args = parser.parse_args()
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    out = results / f"llm-rerank-{args.model}-{'_'.join(map(str, args.convs))}-top{args.top}.jsonl"
    asyncio.run(rerank(args, out))
    report(out)


if __name__ == "__main__":
    main()
