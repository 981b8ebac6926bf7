"""What the web app adds to a turn: for the same prompts, the time to the reply's end through
the real server's `/ws` (a websockets client, logged in as a browser) minus the time of the
same `Session.turn` called directly, with the embedded model at temperature 0.

Two measures. Paired: the page's turn minus a direct turn of the same prompt; on a shared
machine the model's own time varies by seconds between two runs of one prompt, which swamps
what the web layer adds. In-turn (the figure): the page's turn minus the duration of the very
`Session.turn` it ran, as that turn's stored trace gives it (its turn-end event), so the
model's variation cancels out: what is left is the WebSocket, the page's protocol, the rate
limit, the turn lock and the presence's checks.

Two users with the same persona and history take the prompts in turn, one directly and one
through the page's WebSocket (which goes first alternates), so both see the same prompt (the
model's prompt cache is theirs alike: each turn follows the other user's). Side effects are declined on both. One companion,
one model, one process; the memory learner is off so no background work falls into a turn.

    python -m bench.web.turns [--model qwen2.5-coder-0.5b] [--turns 20] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from typing import Any

from bench.common import USER, add_user, aprepare_data_dir, isolate_env, machine, settings_for, write_result
from bench.voice.run import SHORT
from bench.web.server import connect, log_in, serving
from os1.events import EventType

WEB_USER = "robin"
MODEL = "qwen2.5-coder-0.5b"


async def direct(session: Any, text: str) -> tuple[float, str]:
    t0 = time.perf_counter()
    reply = "".join([e.data.get("text", "") async for e in session.turn(text) if e.type == EventType.TEXT])
    return time.perf_counter() - t0, reply


async def through_page(ws: Any, text: str, store: Any) -> tuple[float, str, float]:
    """Seconds to the page's turn-end, the reply, and the core turn's own milliseconds."""
    t0 = time.perf_counter()
    await ws.send(json.dumps({"type": "say", "text": text}))
    reply = ""
    async for raw in ws:
        message = json.loads(raw)
        if message["type"] == "text":
            reply += message["text"]
        elif message["type"] == "confirm":
            await ws.send(json.dumps({"type": "confirm", "id": message["id"], "approved": False}))
        elif message["type"] == "turn-end":
            break
    took = time.perf_counter() - t0
    trace = (await store.traces(WEB_USER, 1))[0]  # the turn the server just ran
    return took, reply, next(e["at_ms"] for e in trace.events if e["type"] == "turn-end")


async def run(model: str, turns: int) -> dict[str, Any]:
    from os1.core.conversation import Companion
    from os1.models.factory import create_llm
    from os1.plugins import migrations
    from os1.plugins import tools as registered_tools
    from os1.storage.sqlite import SqliteStore

    root = await aprepare_data_dir()
    settings = settings_for(model, root, temperature=0.0, max_reply_tokens=48)
    store = await SqliteStore.open(root / "os1.db", migrations())
    await add_user(store, WEB_USER)
    llm = create_llm(settings)
    companion = Companion(settings, llm, store, registered_tools())

    async def no(_: Any) -> bool:
        return False

    prompts = list(SHORT)  # short requests: many turns in little time, and the replies capped
    prompts = (prompts * (turns // len(prompts) + 1))[:turns]
    rows: list[dict[str, Any]] = []
    try:
        session = await companion.session(USER, confirm=no)
        async with serving(companion, [WEB_USER]) as base:
            cookie = await log_in(base, WEB_USER)
            async with connect(base, "/ws", cookie) as ws:
                while json.loads(await ws.recv())["type"] != "ready":
                    pass
                await direct(session, "Hello!")  # the model loaded and warm, for both
                await through_page(ws, "Hello!", store)
                for i, text in enumerate(prompts):  # which goes first alternates: no order effect
                    if i % 2:
                        w_s, w_reply, core_ms = await through_page(ws, text, store)
                        d_s, d_reply = await direct(session, text)
                    else:
                        d_s, d_reply = await direct(session, text)
                        w_s, w_reply, core_ms = await through_page(ws, text, store)
                    rows.append({"prompt": text, "direct_ms": round(d_s * 1000, 1), "web_ms": round(w_s * 1000, 1),
                                 "in_turn_ms": round(w_s * 1000 - core_ms, 1),
                                 "paired_ms": round((w_s - d_s) * 1000, 1), "same_reply": d_reply == w_reply,
                                 "loadavg": round(os.getloadavg()[0], 2)})
                    print(f"  {i + 1:2d}/{len(prompts)} direct {d_s * 1000:7.0f} ms  web {w_s * 1000:7.0f} ms  "
                          f"in-turn {rows[-1]['in_turn_ms']:6.1f} ms  paired {rows[-1]['paired_ms']:8.1f} ms", flush=True)
    finally:
        await llm.aclose()
        await store.close()
    return {
        "turns": len(rows),
        "in_turn_p50_ms": round(statistics.median(r["in_turn_ms"] for r in rows), 1),
        "paired_p50_ms": round(statistics.median(r["paired_ms"] for r in rows), 1),
        "same_replies": sum(r["same_reply"] for r in rows),
        "direct_p50_ms": round(statistics.median(r["direct_ms"] for r in rows), 1),
        "web_p50_ms": round(statistics.median(r["web_ms"] for r in rows), 1),
        "loadavg_range": [min(r["loadavg"] for r in rows), max(r["loadavg"] for r in rows)],
        "rows": rows,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=MODEL)
    ap.add_argument("--turns", type=int, default=20)
    ap.add_argument("--record", action="store_true", help="write the figure into docs/benchmarks.json")
    args = ap.parse_args()
    isolate_env()
    mach = machine()
    result = asyncio.run(run(args.model, args.turns))
    result["machine"] = {**mach, "loadavg_after": [round(x, 2) for x in os.getloadavg()]}
    print("  ->", write_result(f"web-turns-{args.model}", result))
    print(f"overhead p50 {result['in_turn_p50_ms']} ms in-turn, {result['paired_p50_ms']} ms paired, "
          f"over {result['turns']} turns "
          f"(direct p50 {result['direct_p50_ms']} ms, web p50 {result['web_p50_ms']} ms; "
          f"{result['same_replies']} identical replies; load {result['loadavg_range']})")
    if args.record:
        from bench.figures import record

        if result["turns"] < 20:
            print("fewer than 20 turns: not recorded")
            return 1
        record("web.turn_overhead_ms", result["in_turn_p50_ms"], "ms", args.model,
               f"python -m bench.web.turns --model {args.model}",
               f"p50 over {result['turns']} turns: the page's /ws to turn-end minus that Session.turn's own "
               f"time; minus a direct Session.turn of the same prompt instead: {result['paired_p50_ms']} ms "
               f"(turns take {result['direct_p50_ms']} ms, p50); load average {result['loadavg_range'][0]}–"
               f"{result['loadavg_range'][1]} on a machine shared with other jobs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
