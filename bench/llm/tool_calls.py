"""Tool-call accuracy: realistic requests sent the way OS1 sends them (its system prompt with a
persona and human block, a time-stamped user message, the tool schemas), temperature 0.

Per request: valid (a parsed call to a known tool whose arguments pass `tool.validate`), right
tool (the first call names the expected tool), right arguments (right tool, valid, and every
expected argument matches after normalisation; see toolset.arg_matches).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import defaultdict
from typing import Any

from bench import common
from bench.figures import DEFAULT_MODEL, record
from bench.llm import toolset

DATASET = common.DATA / "tool_requests.json"


def load_requests(limit: int | None) -> tuple[str, list[dict[str, Any]]]:
    data = json.loads(DATASET.read_text())
    requests = data["requests"]
    if limit and limit < len(requests):  # an even spread, so a small run still sees several tools
        step = len(requests) / limit
        requests = [requests[int(i * step)] for i in range(limit)]
    return data["stamp"], requests


def system_prompt() -> dict[str, Any]:
    from os1.core.context import system_message
    from os1.storage.base import Block

    blocks = {"persona": Block("persona", common.PERSONA, 2000),
              "human": Block("human", common.HUMAN, 2000)}
    return system_message(blocks, common.COMPANION, "Sam")


def score(req: dict[str, Any], calls: list[Any], tools: dict[str, Any]) -> dict[str, Any]:
    from os1.errors import ToolError

    first = calls[0] if calls else None
    valid, problem = False, "no tool call"
    if first is not None:
        tool = tools.get(first.name)
        problem = f"unknown tool {first.name!r}" if tool is None else ""
        if tool is not None:
            try:
                tool.validate(first.arguments)
                valid = True
            except ToolError as exc:
                problem = str(exc)
    right_tool = first is not None and first.name == req["tool"]
    wrong_args = toolset.args_match(req["args"], first.arguments) if right_tool and first else []
    known = set(tools[first.name].params.model_fields) if first and first.name in tools else set()
    extra = sorted(set(first.arguments) - known) if first and known else []
    return {"valid": valid, "right_tool": right_tool, "extra_args": extra,
            "right_args": right_tool and valid and not wrong_args,
            "problem": problem or (f"arguments differ: {wrong_args}" if wrong_args else "")}


async def measure(model: str, requests: list[dict[str, Any]], stamp: str) -> list[dict[str, Any]]:
    from os1.models.embedded import EmbeddedLLM

    settings = common.settings_for(model, common.SOURCE_DATA_DIR)
    llm = EmbeddedLLM(settings.llm, settings.models_dir)
    tools = toolset.bench_tools()
    schemas = [t.schema() for t in tools.values()]
    system = system_prompt()
    rows = []
    try:
        for req in requests:
            messages = [system, {"role": "user", "content": f"[{stamp}] {req['text']}"}]
            calls, text, timings, t0 = [], "", {}, time.perf_counter()
            async for chunk in llm.stream_chat(messages, tools=schemas, temperature=0.0, max_tokens=256):
                calls.extend(chunk.tool_calls)
                text += chunk.text
                timings.update(chunk.usage.get("timings", {}) if chunk.usage else {})
            row = {"id": req["id"], "text": req["text"], "expected_tool": req["tool"],
                   "expected_args": req["args"], "seconds": round(time.perf_counter() - t0, 2),
                   "generated_tokens": timings.get("predicted_n"),
                   "calls": [{"name": c.name, "arguments": c.arguments} for c in calls],
                   "reply_text": text[:300], **score(req, calls, tools)}
            rows.append(row)
            mark = "ok " if row["right_args"] else ("~  " if row["right_tool"] else "X  ")
            got = f"{calls[0].name}({json.dumps(calls[0].arguments)[:80]})" if calls else repr(text[:60])
            print(f"  {mark}#{req['id']:<3} {req['tool']:<19} -> {got}", flush=True)
    finally:
        await llm.aclose()
    return rows


def _rates(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    return {"n": n, **{k: round(sum(r[k] for r in rows) / n, 3) if n else None
                       for k in ("valid", "right_tool", "right_args")}}


def run(model: str, limit: int | None) -> dict[str, Any]:
    stamp, requests = load_requests(limit)
    common.header("Tool-call accuracy", model, f"({len(requests)} requests)")
    rows = asyncio.run(measure(model, requests, stamp))
    by_tool: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_tool[r["expected_tool"]].append(r)
    summary = {"overall": _rates(rows), "per_tool": {t: _rates(rs) for t, rs in sorted(by_tool.items())},
               "median_seconds_per_request": common.median([r["seconds"] for r in rows]),
               "calls_with_unknown_extra_args": sum(bool(r["extra_args"]) for r in rows)}
    o = summary["overall"]
    print(f"  overall: valid {o['valid']:.0%}, right tool {o['right_tool']:.0%}, "
          f"right arguments {o['right_args']:.0%} (n={o['n']}); calls with extra unknown "
          f"arguments (refused by validate, so not valid): {summary['calls_with_unknown_extra_args']}")
    for t, rates in summary["per_tool"].items():
        print(f"    {t:<19} n={rates['n']:<2} valid {rates['valid']:.0%} tool {rates['right_tool']:.0%} "
              f"args {rates['right_args']:.0%}")
    failures = [r for r in rows if not r["right_args"]]
    return {"benchmark": "tool_calls", "dataset": str(DATASET.relative_to(common.REPO)),
            "stamp": stamp, "temperature": 0.0, "tools_offered": sorted(toolset.bench_tools()),
            "summary": summary, "failures": failures, "raw": rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=common.MODELS[0])
    ap.add_argument("--limit", type=int, default=None, help="use an even spread of N requests")
    ap.add_argument("--quick", action="store_true", help="3 requests")
    args = ap.parse_args()
    common.isolate_env()
    mach = common.machine()
    result = run(args.model, 3 if args.quick else args.limit)
    common.finish("tool_calls", args.model, args.quick, result, mach)
    if args.model == DEFAULT_MODEL and not args.quick and args.limit is None:
        record("llm.tool_right_args_1.5b", result["summary"]["overall"]["right_args"], "ratio", args.model,
               f"python -m bench.llm.tool_calls --model {args.model}")


if __name__ == "__main__":
    main()
