"""What a change in the offered tools costs the next reply: llama.cpp's chat template writes the
tools into the system message, ahead of the history, so a turn offered another tool set (Tool.when)
differs from the cached prompt early. Reads a 12-exchange conversation with all of OS1's standing
tools, then asks again with the calendar tools left out (tools removed), then with them back
(tools inserted), and reports the prompt tokens read, those taken from the cache and the wall
time to the first tokens, with llama.cpp's cache reuse (KV shifting of cached chunks) off and at
OS1's setting. Reuse finds cached chunks after a removal, not after an insertion. The last row
is what OS1 does now: all tools passed with the choice in `allowed`, which the embedded backend
describes after the history (os1/models/embedded.py, with_tools_late).

    .venv/bin/python -m bench.voice.prompt_cache [--model qwen2.5-coder-0.5b]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from bench.common import machine, write_result


async def measure(model: str, reuse: int, stable: bool = False) -> dict[str, Any]:
    from os1.config import Settings
    from os1.models import embedded
    from os1.plugins import tools as registered

    embedded.CACHE_REUSE_TOKENS = reuse
    s = Settings(_env_file=None)
    llm = embedded.EmbeddedLLM(s.llm.model_copy(update={"model": model}), s.models_dir)
    every = [t.schema() for t in registered().values() if getattr(t.prepare, "needs", None) is None]
    fewer = [t for t in every if t["function"]["name"] not in ("calendar_agenda", "add_event")]
    history: list[dict[str, str]] = [{"role": "system", "content": "You are OS1, a warm companion. " * 10}]
    for i in range(12):
        history += [
            {"role": "user", "content": f"[Sun 22 Nov 2026, 09:0{i % 10}] Tell me about topic {i}, in a few words."},
            {"role": "assistant", "content": f"Topic {i} is about the number {i} and where it shows up, like clocks."},
        ]

    async def ask(tools: list[dict[str, Any]], text: str) -> dict[str, Any]:
        timings: dict[str, Any] = {}
        t0 = time.perf_counter()
        allowed = {t["function"]["name"] for t in tools} if stable else None
        async for chunk in llm.stream_chat([*history, {"role": "user", "content": text}],
                                           tools=every if stable else tools, allowed=allowed, max_tokens=2):
            if chunk.usage:
                timings = chunk.usage.get("timings", {})
        return {"s": round(time.perf_counter() - t0, 2), "read": timings.get("prompt_n"), "cached": timings.get("cache_n")}

    await ask(every, "hello")  # cold: the whole conversation is read once
    same = await ask(every, "hello there")
    other = await ask(fewer, "What is the capital of France?")
    history[0] = {"role": "system", "content": history[0]["content"] + " "}  # not the other slot's copy
    await ask(fewer, "Thanks.")
    more = await ask(every, "What is on today?")
    await llm.aclose()
    return {"model": model, "cache_reuse_tokens": reuse, "same_tools_shown": stable,
            "same_tools": same, "tools_removed": other,
            "tools_inserted": more}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="qwen2.5-coder-0.5b")
    args = ap.parse_args()
    rows = []
    for reuse, stable in ((0, False), (64, False), (64, True)):
        rows.append(asyncio.run(measure(args.model, reuse, stable)))
        print(rows[-1], flush=True)
    write_result("prompt-cache", {"machine": machine(), "rows": rows})


if __name__ == "__main__":
    main()
