"""Does background memory work cost the conversation its prompt cache, or keep a reply waiting?

Builds the embedded model's own llama.cpp parameters (os1.models.embedded.EmbeddedLLM.params),
caches a conversation-sized prompt, runs one background-sized request with a different prompt,
then times the conversation's first token again, and once more while a background request is
still generating: with one slot (the old setting) and with the two slots OS1 uses now.

Then, through OS1's own EmbeddedLLM: a reply wanted while a background request is still
*reading* a long prompt (~1,500 tokens, as fact extraction and reflection do), with llama.cpp's
default prompt step (2,048 tokens: the background prompt is read in one go) and with OS1's
(PROMPT_STEP_TOKENS: the background request is stopped after the step in progress).

    .venv/bin/python -m bench.memory.slots [--model qwen2.5-coder-0.5b]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

from os1.config import Settings
from os1.models.embedded import EmbeddedLLM

ROOT = Path(__file__).resolve().parents[2]

CONVERSATION = [
    {"role": "system", "content": "You are a warm companion. "
     + " ".join(f"Memory {i}: the user mentioned thing number {i}." for i in range(120))},
    {"role": "user", "content": "Hi, how are you?"},
]
BACKGROUND = [
    {"role": "system", "content": "Take notes. " + " ".join(f"Example {i}: a note {i * 7}." for i in range(60))},
    {"role": "user", "content": "I moved to LA in May."},
]


def first_token_s(server, messages) -> float:  # type: ignore[no-untyped-def]
    start, first = time.perf_counter(), []

    def on_chunk(_chunk) -> bool:  # type: ignore[no-untyped-def]
        if not first:
            first.append(time.perf_counter() - start)
        return False

    server.handle_chat_completions(
        {"messages": messages, "max_tokens": 4, "temperature": 0, "stream": True, "cache_prompt": True},
        on_chunk,
    )
    return round(first[0], 2)


def measure(model: str, slots: int) -> dict:
    import xllamacpp as xlc

    s = Settings(_env_file=None)
    llm = EmbeddedLLM(s.llm.model_copy(update={"model": model}), s.models_dir)
    params = llm.params()
    if slots == 1:
        params.n_parallel = 1
        params.kv_unified = False
        params.n_ctx = s.llm.context_tokens
    server = xlc.Server(params)
    cold = first_token_s(server, CONVERSATION)
    cached = first_token_s(server, CONVERSATION)
    t0 = time.perf_counter()
    server.handle_chat_completions(
        {"messages": BACKGROUND, "max_tokens": 24, "temperature": 0, "cache_prompt": True}
    )
    background = round(time.perf_counter() - t0, 2)
    after = first_token_s(server, CONVERSATION)
    # A reply wanted while background work is generating (OS1 would also stop that work at its
    # next token; here it runs on, to show what the slots alone do).
    import threading

    done: list[float] = []

    def busy_work(server: xlc.Server) -> None:
        t = time.perf_counter()
        out = server.handle_chat_completions(
            {"messages": BACKGROUND[:1] + [{"role": "user", "content": "Count from 1 to 200."}],
             "max_tokens": 200, "temperature": 0, "cache_prompt": True, "ignore_eos": True})
        done.append(time.perf_counter() - t)
        done.append(out.get("usage", {}).get("completion_tokens", 0))

    busy = threading.Thread(target=busy_work, args=(server,))
    busy.start()
    time.sleep(1.0)
    during = first_token_s(server, CONVERSATION)
    busy.join()
    del server
    return {"model": model, "slots": slots, "first_token_cold_s": cold, "first_token_cached_s": cached,
            "background_request_s": background, "first_token_after_background_s": after,
            "first_token_while_background_runs_s": during,
            "that_background_request_s": round(done[0], 2), "its_tokens": done[1]}


LONG_BACKGROUND = [
    {"role": "system", "content": "Extract facts. " + " ".join(
        f"Turn {i}: Sam said the blue house on street {i} had {i % 7} cats." for i in range(110))},
    {"role": "user", "content": "List the facts."},
]


async def measure_reading(model: str, step: int) -> dict:
    """First token of a reply wanted 0.3 s after a background request began reading a long prompt."""
    from os1.errors import ModelBusyError
    from os1.models import embedded

    s = Settings(_env_file=None)
    embedded.PROMPT_STEP_TOKENS = step
    llm = EmbeddedLLM(s.llm.model_copy(update={"model": model}), s.models_dir)
    async for _ in llm.stream_chat(CONVERSATION, max_tokens=1):  # load, cache the conversation
        pass

    async def background() -> str:
        try:
            async for _ in llm.stream_chat(LONG_BACKGROUND, max_tokens=8, background=True):
                pass
            return "finished"
        except ModelBusyError:
            return "stopped (ModelBusyError)"

    t0 = time.perf_counter()
    async for _ in llm.stream_chat(LONG_BACKGROUND[:1] + [{"role": "user", "content": "Go."}],
                                   max_tokens=1, background=True):
        pass
    alone = time.perf_counter() - t0  # reading the long prompt with nothing else running
    LONG_BACKGROUND[0]["content"] = "Once more. " + LONG_BACKGROUND[0]["content"]  # not cached
    work = asyncio.create_task(background())
    await asyncio.sleep(0.3)
    t0 = time.perf_counter()
    first = None
    async for chunk in llm.stream_chat(CONVERSATION, max_tokens=4):
        if first is None and (chunk.text or chunk.finish_reason):
            first = time.perf_counter() - t0
    outcome = await work
    await llm.aclose()
    return {"model": model, "prompt_step_tokens": step,
            "background_prompt_read_alone_s": round(alone, 2),
            "first_token_while_background_reads_s": round(first or -1, 2), "background": outcome}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="qwen2.5-coder-0.5b")
    args = parser.parse_args()
    results = [measure(args.model, 1), measure(args.model, 2)]
    for step in (2048, 64):
        results.append(asyncio.run(measure_reading(args.model, step)))
    out = ROOT / "bench" / "results" / "memory-slots.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
