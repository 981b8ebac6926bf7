"""Generation speed through OS1 (`EmbeddedLLM.stream_chat`) vs the same model run directly by
llama.cpp (an xllamacpp Server built with the same parameters), same request, temperature 0.

Runs alternate direct, OS1, direct, OS1 ... and medians are reported, because a 2-core machine
is noisy. Speed = (generated tokens - 1) / (time from first to last streamed token), measured
where each caller receives the tokens; llama.cpp's own predicted_per_second is reported too.
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
from typing import Any

from bench import common
from bench.figures import DEFAULT_MODEL, record

PROMPT = "[Sat 21 Nov 2026, 14:05] Can you explain in detail how a lighthouse works?"


def messages() -> list[dict[str, Any]]:
    from os1.core.context import system_message
    from os1.storage.base import Block

    blocks = {"persona": Block("persona", common.PERSONA, 2000),
              "human": Block("human", common.HUMAN, 2000)}
    return [system_message(blocks, common.COMPANION, "Sam"), {"role": "user", "content": PROMPT}]


def direct_server(model: str, llm_settings: Any) -> Any:
    """llama.cpp with exactly the parameters OS1 uses (EmbeddedLLM.params), minus OS1 itself."""
    import xllamacpp as xlc

    from os1.models.embedded import EmbeddedLLM

    settings = llm_settings.model_copy(update={"model": model})
    return xlc.Server(EmbeddedLLM(settings, common.model_file(model).parent).params())


def _rate(n: int | None, first: float | None, last: float | None) -> float | None:
    if not n or n < 2 or first is None or last is None or last <= first:
        return None
    return (n - 1) / (last - first)


def run_direct(server: Any, body: dict[str, Any]) -> dict[str, Any]:
    stamps: list[float] = []
    timings: dict[str, Any] = {}

    def on_chunk(chunk: Any) -> bool:
        now = time.perf_counter()
        if isinstance(chunk, dict):
            for choice in chunk.get("choices") or []:
                if (choice.get("delta") or {}).get("content"):
                    stamps.append(now)
            timings.update(chunk.get("timings") or {})
        return False

    done = threading.Event()
    threading.Thread(target=lambda: (server.handle_chat_completions(body, on_chunk), done.set())).start()
    done.wait()
    n = timings.get("predicted_n")
    return {"tokens": n, "rate": _rate(n, stamps[0] if stamps else None, stamps[-1] if stamps else None),
            "llama_rate": timings.get("predicted_per_second"), "chunks": len(stamps)}


async def run_os1(llm: Any, body: dict[str, Any]) -> dict[str, Any]:
    stamps: list[float] = []
    timings: dict[str, Any] = {}
    async for chunk in llm.stream_chat(body["messages"], tools=body.get("tools"),
                                       temperature=body["temperature"], max_tokens=body["max_tokens"]):
        if chunk.text:
            stamps.append(time.perf_counter())
        timings.update(chunk.usage.get("timings", {}) if chunk.usage else {})
    n = timings.get("predicted_n")
    return {"tokens": n, "rate": _rate(n, stamps[0] if stamps else None, stamps[-1] if stamps else None),
            "llama_rate": timings.get("predicted_per_second"), "chunks": len(stamps)}


async def measure(model: str, pairs: int, max_tokens: int) -> dict[str, Any]:
    from os1.models.embedded import EmbeddedLLM
    from os1.plugins import tools

    settings = common.settings_for(model, common.SOURCE_DATA_DIR)
    llm = EmbeddedLLM(settings.llm, settings.models_dir)
    await llm.load()
    server = await asyncio.to_thread(direct_server, model, settings.llm)
    body = {"messages": messages(), "tools": [t.schema() for t in tools().values()],
            "temperature": 0.0, "max_tokens": max_tokens, "cache_prompt": True, "stream": True}
    warm = {**body, "max_tokens": 4}
    await asyncio.to_thread(run_direct, server, warm)  # prefill both prompt caches, untimed
    await run_os1(llm, warm)
    rows = []
    for i in range(pairs):
        d = await asyncio.to_thread(run_direct, server, body)
        o = await run_os1(llm, body)
        rows.append({"direct": d, "os1": o})
        print(f"  pair {i + 1}: direct {d['rate'] or 0:.1f} tok/s (llama {d['llama_rate'] or 0:.1f}), "
              f"OS1 {o['rate'] or 0:.1f} tok/s (llama {o['llama_rate'] or 0:.1f}), "
              f"tokens {d['tokens']}/{o['tokens']}", flush=True)
    await llm.aclose()
    del server
    return {"rows": rows, "tools_offered": len(body["tools"])}


def run(model: str, pairs: int, max_tokens: int) -> dict[str, Any]:
    common.header("Generation tokens/s, OS1 vs direct llama.cpp", model, f"({pairs} pairs)")
    out = asyncio.run(measure(model, pairs, max_tokens))
    rows = out["rows"]
    med = {f"{side}_{key}": common.median([r[side][key] for r in rows])
           for side in ("direct", "os1") for key in ("rate", "llama_rate")}
    pair_ratios = [r["os1"]["rate"] / r["direct"]["rate"] for r in rows
                   if r["os1"]["rate"] and r["direct"]["rate"]]
    summary = {
        **med,
        "ratio_os1_over_direct": round(med["os1_rate"] / med["direct_rate"], 3)
        if med["os1_rate"] and med["direct_rate"] else None,
        "ratio_llama_timings": round(med["os1_llama_rate"] / med["direct_llama_rate"], 3)
        if med["os1_llama_rate"] and med["direct_llama_rate"] else None,
        "median_pair_ratio": round(common.median(pair_ratios) or 0, 3) if pair_ratios else None,
        "goal": 0.95,
    }
    summary["meets_goal"] = (summary["ratio_os1_over_direct"] or 0) >= 0.95
    print(f"  median direct {med['direct_rate']} tok/s, OS1 {med['os1_rate']} tok/s -> ratio "
          f"{summary['ratio_os1_over_direct']} (goal >= 0.95; llama.cpp timings ratio "
          f"{summary['ratio_llama_timings']})")
    return {"benchmark": "throughput", "pairs": pairs, "max_tokens": max_tokens, "prompt": PROMPT,
            "tools_offered": out["tools_offered"], "summary": summary, "raw": rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=common.MODELS[0])
    ap.add_argument("--pairs", type=int, default=6)
    ap.add_argument("--max-tokens", type=int, default=128)
    ap.add_argument("--quick", action="store_true", help="1 pair of 32 tokens")
    args = ap.parse_args()
    common.isolate_env()
    mach = common.machine()
    result = run(args.model, 1 if args.quick else args.pairs, 32 if args.quick else args.max_tokens)
    common.finish("throughput", args.model, args.quick, result, mach)
    if args.model == DEFAULT_MODEL and not args.quick:
        record("llm.throughput_ratio_1.5b", result["summary"]["ratio_os1_over_direct"], "ratio", args.model,
               f"python -m bench.llm.throughput --model {args.model}")


if __name__ == "__main__":
    main()
