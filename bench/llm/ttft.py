"""Time to first token through OS1's conversation core: cold vs with the prompt prefix cached.

Each run loads the model afresh in a fresh data dir, then measures three turns:
- cold: the first turn after the model load, nothing cached (load time is reported separately);
- next_turn: the following turn of the same session (persona, tools and history cached);
- after_warm: a second user with a different core memory, after `session.warm()`.
TTFT is the FIRST_TOKEN event's at_ms; GENERATION's cached_tokens shows what was reused.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import time
from typing import Any

from bench import common
from bench.figures import DEFAULT_MODEL, record

QUESTIONS = [
    "How are you doing today?",
    "What's a nice way to spend a rainy Sunday afternoon?",
    "Can you suggest a quick vegetarian dinner?",
    "Give me one tip for sleeping better.",
    "What should I read next if I liked The Hobbit?",
    "How do I stay focused when working from home?",
    "Any idea for a small birthday surprise for a friend?",
]
OTHER_HUMAN = (
    "Prefers to be called: Robin\nSocial or private: very social, loves parties\n"
    "Relationship with their mother: complicated\nWants help with: learning Spanish"
)


async def _turn(session: Any, text: str) -> dict[str, Any]:
    ttft, gen, calls, t0 = None, {}, 0, time.perf_counter()
    async for event in session.turn(text):
        if event.type == "first-token" and ttft is None:
            ttft = event.at_ms
        elif event.type == "generation":
            calls += 1
            gen = gen or dict(event.data)
        elif event.type == "error":
            gen["error"] = event.data.get("message")
    return {"ttft_ms": ttft, "prompt_tokens": gen.get("prompt_tokens"),
            "cached_tokens": gen.get("cached_tokens"), "generated_tokens": gen.get("generated_tokens"),
            "model_calls": calls, "turn_ms": (time.perf_counter() - t0) * 1000,
            "error": gen.get("error")}


async def one_run(model: str, i: int, max_tokens: int) -> dict[str, Any]:
    from os1.core.conversation import Companion
    from os1.models.embedded import EmbeddedLLM
    from os1.plugins import migrations, tools
    from os1.storage.sqlite import SqliteStore

    data_dir = await common.aprepare_data_dir()
    settings = common.settings_for(model, data_dir, temperature=0.0, max_reply_tokens=max_tokens)
    store = await SqliteStore.open(settings.db_path, migrations())
    llm = EmbeddedLLM(settings.llm, settings.models_dir)
    try:
        t0 = time.perf_counter()
        await llm.load()
        load_ms = (time.perf_counter() - t0) * 1000
        companion = Companion(settings, llm, store, tools())
        session = await companion.session(common.USER)
        q = [QUESTIONS[(i + k) % len(QUESTIONS)] for k in range(3)]
        cold = await _turn(session, q[0])
        nxt = await _turn(session, q[1])
        await common.add_user(store, "robin", OTHER_HUMAN, "Robin")
        other = await companion.session("robin")
        t0 = time.perf_counter()
        await other.warm()
        warm_ms = (time.perf_counter() - t0) * 1000
        after_warm = await _turn(other, q[2])
        return {"load_ms": load_ms, "warm_call_ms": warm_ms, "cold": cold,
                "next_turn": nxt, "after_warm": after_warm}
    finally:
        await llm.aclose()
        await store.close()
        shutil.rmtree(data_dir, ignore_errors=True)


def run(model: str, runs: int, max_tokens: int) -> dict[str, Any]:
    common.header("Time to first token", model, f"({runs} runs)")
    rows = []
    for i in range(runs):
        row = asyncio.run(one_run(model, i, max_tokens))
        rows.append(row)
        print(f"  run {i + 1}: load {row['load_ms']:.0f} ms | " + " | ".join(
            f"{k} {row[k]['ttft_ms']:.0f} ms (cached {row[k]['cached_tokens']}/"
            f"{(row[k]['cached_tokens'] or 0) + (row[k]['prompt_tokens'] or 0)})"
            for k in ("cold", "next_turn", "after_warm")), flush=True)
    summary: dict[str, Any] = {"model_load_ms": common.median([r["load_ms"] for r in rows]),
                               "warm_call_ms": common.median([r["warm_call_ms"] for r in rows])}
    for k in ("cold", "next_turn", "after_warm"):
        summary[k] = {
            "ttft_ms": common.median([r[k]["ttft_ms"] for r in rows]),
            "cached_tokens": common.median([r[k]["cached_tokens"] for r in rows]),
            "prompt_tokens_evaluated": common.median([r[k]["prompt_tokens"] for r in rows]),
            "errors": sum(bool(r[k]["error"]) for r in rows),
        }
        print(f"  median {k:<11} TTFT {summary[k]['ttft_ms']} ms, cached "
              f"{summary[k]['cached_tokens']} tokens, evaluated {summary[k]['prompt_tokens_evaluated']}")
    cold, warm = summary["cold"]["ttft_ms"], summary["after_warm"]["ttft_ms"]
    if cold and warm:
        summary["speedup_after_warm"] = round(cold / warm, 1)
    print(f"  model load {summary['model_load_ms']} ms (incl. OS1's sha256 check), "
          f"speed-up after warm: {summary.get('speedup_after_warm')}x")
    return {"benchmark": "ttft", "runs": runs, "max_reply_tokens": max_tokens,
            "temperature": 0.0, "summary": summary, "raw": rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=common.MODELS[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--max-tokens", type=int, default=24, help="reply cap; TTFT does not depend on it")
    ap.add_argument("--quick", action="store_true", help="1 run")
    args = ap.parse_args()
    common.isolate_env()
    mach = common.machine()
    result = run(args.model, 1 if args.quick else args.runs, args.max_tokens)
    common.finish("ttft", args.model, args.quick, result, mach)
    if args.model == DEFAULT_MODEL and not args.quick:
        record("llm.ttft_cached_ms_1.5b", result["summary"]["next_turn"]["ttft_ms"], "ms", args.model,
               f"python -m bench.llm.ttft --model {args.model}")


if __name__ == "__main__":
    main()
