"""Natural-language scheduling accuracy: requests sent the way OS1 sends them (its system prompt,
a time-stamped user message, OS1's real tools: the 3 built-ins, the 4 calendar tools and the
reminder tool), temperature 0. The model's first tool call is resolved by OS1's own resolver
against the fixed 'now' (Sat 21 Nov 2026 14:05, Europe/Berlin) and compared with what the
request means: right tool, date (of the first occurrence), time, zone, recurrence. For
ambiguous or impossible requests the right outcome is a question: no call, or a call that the
resolver answers with a question (WhenError).

    .venv/bin/python -m bench.time.nl_schedule --model qwen2.5-coder-0.5b [--limit N]
    .venv/bin/python -m bench.time.nl_schedule --model M --part 1/3   # a third (keeps a locked job short)
    .venv/bin/python -m bench.time.nl_schedule --model M --merge 3    # the full result from the parts
    .venv/bin/python -m bench.time.nl_schedule --model M --rescore    # its calls resolved by this code
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench import common
from bench.figures import DEFAULT_MODEL, record

DATASET = common.DATA / "time_requests.json"
FIELDS = ("right_tool", "date", "time", "zone", "rrule", "all")


def first_occurrence(start: datetime, rule: dict[str, Any] | None) -> datetime:
    if not rule:
        return start
    from os1.skills.calendar import ical

    cal = ical.build_event("x", start, start + timedelta(hours=1), rrule=rule)
    occs = ical.expand(cal, start - timedelta(days=1), start + timedelta(days=400), start.tzinfo)
    return occs[0].start.astimezone(start.tzinfo) if occs else start


def rrule_text(rule: dict[str, Any] | None) -> str | None:
    if not rule:
        return None
    from icalendar import vRecur

    return vRecur(rule).to_ical().decode()


def resolve_call(name: str, args: dict[str, Any], now: datetime, zone: ZoneInfo, said: str = "") -> dict[str, Any]:
    """What OS1 would schedule from this call (or the question it would ask)."""
    from os1.errors import ToolError
    from os1.language import grounding as extract
    from os1.skills.calendar import resolve
    from os1.skills.reminders.tools import when_of

    day, time_ = extract.ground(str(args.get("day", "")), str(args.get("time", "")), said)
    args = {**args, "day": day, "time": time_}
    try:
        if name == "add_event":  # the same checks as the add_event tool
            repeat, zone_phrase = str(args.get("repeat", "")), str(args.get("zone", ""))
            repeat = extract.ground_repeat(repeat, said)
            zone_phrase = extract.ground_zone(zone_phrase, said)
            start = resolve.resolve_when(
                str(args.get("day", "")), str(args.get("time", "")), now, zone,
                hint=extract.ground_hint(str(args.get("title", "")), said), zone_phrase=zone_phrase,
            )
            rule = resolve.resolve_repeat(repeat, start)
            start = resolve.align(start, rule)
            if isinstance(start, datetime):
                start = first_occurrence(start, rule)
                return {"date": start.date().isoformat(), "time": f"{start:%H:%M}",
                        "zone": str(start.tzinfo), "rrule": rrule_text(rule)}
            return {"date": start.isoformat(), "time": None, "zone": str(zone), "rrule": rrule_text(rule)}
        if name == "set_reminder":
            at = when_of(str(args.get("day", "")), str(args.get("time", "")), now, zone,
                         extract.ground_hint(str(args.get("what", "")), said))
            return {"date": at.date().isoformat(), "time": f"{at:%H:%M}", "zone": str(zone), "rrule": None}
        if name == "move_event":
            day = resolve.resolve_day(str(args.get("day", "")), now.date()) if args.get("day") else None
            t = resolve.resolve_time(str(args.get("time", "")), str(args.get("title", ""))) if args.get("time") else None
            return {"date": day.isoformat() if day else None, "time": f"{t:%H:%M}" if t else None,
                    "zone": str(zone), "rrule": None}
        return {"error": f"not a scheduling tool: {name}"}
    except ToolError as exc:
        return {"question": str(exc)}
    except (ValueError, TypeError) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}


def score(req: dict[str, Any], call: Any, got: dict[str, Any]) -> dict[str, bool]:
    right_tool = call is not None and call.name == req["tool"]
    if req.get("ask"):
        ok = call is None or "question" in got
        return {k: ok for k in FIELDS} | {"right_tool": call is None or right_tool}
    s = {
        "right_tool": right_tool,
        "date": right_tool and got.get("date") == req["date"],
        "time": right_tool and got.get("time") == req["time"],
        "zone": right_tool and (req["tool"] != "add_event" or got.get("zone") == req["zone"]),
        "rrule": right_tool and got.get("rrule") == req["rrule"],
    }
    s["all"] = all(s.values())
    return s


async def measure(model: str, requests: list[dict[str, Any]], doc: dict[str, Any],
                  partial: str = "") -> list[dict[str, Any]]:
    from os1.core.context import system_message
    from os1.language.routing import ROUTES, Turn
    from os1.models.embedded import EmbeddedLLM
    from os1.plugins import tools as registered_tools
    from os1.storage.base import Block

    settings = common.settings_for(model, common.SOURCE_DATA_DIR)
    llm = EmbeddedLLM(settings.llm, settings.models_dir)
    standing = {name: t for name, t in registered_tools().items() if getattr(t.prepare, "needs", None) is None}
    schemas = [t.schema() for t in standing.values()]
    blocks = {"persona": Block("persona", common.PERSONA, 2000), "human": Block("human", common.HUMAN, 2000)}
    system = system_message(blocks, common.COMPANION, "Sam")
    zone = ZoneInfo(doc["zone"])
    now = datetime.fromisoformat(doc["now"]).astimezone(zone)
    rows = []
    try:
        for i, req in enumerate(requests):
            # As a turn shows them: every tool in the prompt, those that fit its words callable.
            allowed = {name for name, t in standing.items() if t.prepare is None or ROUTES.offers(name, Turn(req["text"]))}
            messages = [system, {"role": "user", "content": f"[{doc['stamp']}] {req['text']}"}]
            calls, text, t0 = [], "", time.perf_counter()
            async for chunk in llm.stream_chat(messages, tools=schemas, allowed=allowed,
                                               temperature=0.0, max_tokens=160):
                calls.extend(chunk.tool_calls)
                text += chunk.text
            call = calls[0] if calls else None
            got = resolve_call(call.name, call.arguments, now, zone, req["text"]) if call else {}
            s = score(req, call, got)
            rows.append({"text": req["text"], "expected": {k: req.get(k) for k in ("tool", "date", "time", "zone", "rrule", "ask")},
                         "call": {"name": call.name, "arguments": call.arguments} if call else None,
                         "reply_text": text[:200], "resolved": got, "seconds": round(time.perf_counter() - t0, 2), **s})
            mark = "ok" if s["all"] else ("~ " if s["right_tool"] else "X ")
            shown = f"{call.name}({json.dumps(call.arguments)[:90]})" if call else repr(text[:60])
            print(f"  {mark} {i:>3} {req['text'][:48]:<48} -> {shown} => {got}", flush=True)
            common.write_result(partial or f"time_nl-{model}.partial", {"rows": rows})  # a cut-short run still counts
    finally:
        await llm.aclose()
    return rows


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def rates(rs: list[dict[str, Any]]) -> dict[str, Any]:
        n = len(rs)
        return {"n": n, **{k: round(sum(r[k] for r in rs) / n, 3) if n else None for k in FIELDS}}

    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        e = r["expected"]
        g = "ambiguous/impossible" if e.get("ask") else (
            "recurring" if e.get("rrule") else (
                "other zone" if e.get("zone") not in (None, "Europe/Berlin") else e["tool"]))
        groups.setdefault(g, []).append(r)
    return {"overall": rates(rows), "groups": {g: rates(rs) for g, rs in sorted(groups.items())},
            "median_seconds_per_request": common.median([r.get("seconds") for r in rows])}


def no_model() -> dict[str, Any]:
    """What the resolver and the grounding in the user's words get right by themselves, when the
    model picks the right tool but copies no phrase at all (the ceiling the model can reach)."""
    doc = json.loads(DATASET.read_text())
    zone = ZoneInfo(doc["zone"])
    now = datetime.fromisoformat(doc["now"]).astimezone(zone)
    rows = []
    for req in doc["requests"]:
        args = {"title": req["text"], "what": req["text"], "day": "", "time": "", "repeat": "", "zone": ""}
        call = type("Call", (), {"name": req["tool"], "arguments": args})()
        got = resolve_call(req["tool"], args, now, zone, req["text"])
        rows.append({"text": req["text"], "expected": {k: req.get(k) for k in ("tool", "date", "time", "zone", "rrule", "ask")},
                     "resolved": got, **score(req, call, got)})
    return {"summary": summarise(rows), "misses": [r for r in rows if not r["all"]]}


def merge(model: str, n: int) -> None:
    """One full result from the parts of a run split to keep each locked job short."""
    rows: list[dict[str, Any]] = []
    parts = []
    for k in range(1, n + 1):
        part = json.loads((common.RESULTS / f"time_nl-{model}.part{k}of{n}.json").read_text())
        rows += part["rows"]
        parts.append({"wall_seconds": part["wall_seconds"], "loadavg_before": part["machine"].get("loadavg_before"),
                      "loadavg_after": part["loadavg_after"]})
    doc = json.loads(DATASET.read_text())
    summary = summarise(rows)
    wall = sum(p["wall_seconds"] for p in parts)
    summary["requests_per_minute"] = round(len(rows) / wall * 60, 2)
    result = {"benchmark": "time_nl", "dataset": str(DATASET.relative_to(common.REPO)), "now": doc["now"],
              "temperature": 0.0, "summary": summary, "parts": parts,
              "failures": [r for r in rows if not r["all"]], "raw": rows}
    print(json.dumps(summary, indent=1))
    common.finish("time_nl", model, False, result, common.machine())
    if model == DEFAULT_MODEL and len(rows) == len(doc["requests"]):
        record("time.nl_schedule_accuracy_1.5b", summary["overall"]["all"], "ratio", model,
               f"python -m bench.time.nl_schedule --model {model} --part K/{n}, then --merge {n}")


def rescore(path: Path) -> None:
    """Resolve a run's recorded tool calls again with the current code (the model's calls do
    not depend on the resolver, so a resolver fix can be measured without running the model)."""
    doc = json.loads(DATASET.read_text())
    zone = ZoneInfo(doc["zone"])
    now = datetime.fromisoformat(doc["now"]).astimezone(zone)
    by_text = {r["text"]: r for r in doc["requests"]}
    result = json.loads(path.read_text())
    rows = []
    for r in result["raw"]:
        req = by_text[r["text"]]
        c = r["call"]
        call = type("Call", (), {"name": c["name"], "arguments": c["arguments"]})() if c else None
        got = resolve_call(call.name, call.arguments, now, zone, req["text"]) if call else {}
        rows.append({**r, "resolved": got, **score(req, call, got)})
    summary = summarise(rows)
    summary["requests_per_minute"] = result["summary"].get("requests_per_minute")
    result |= {"summary": summary, "failures": [r for r in rows if not r["all"]], "raw": rows,
               "rescored_at_commit": common._sh("git", "rev-parse", "--short", "HEAD")}
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(json.dumps(summary, indent=1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=common.MODELS[0])
    ap.add_argument("--limit", type=int, default=None, help="an even spread of N requests")
    ap.add_argument("--partial", action="store_true", help="summarise a run that was cut short")
    ap.add_argument("--part", default="", help="K/N: run only the K-th of N contiguous parts")
    ap.add_argument("--merge", type=int, default=0, help="N: summarise the N parts as one full run")
    ap.add_argument("--rescore", action="store_true", help="resolve the saved run's calls again with this code")
    ap.add_argument("--no-model", action="store_true",
                    help="the code's share alone: the expected tool with empty phrase arguments")
    args = ap.parse_args()
    if args.no_model:
        print(json.dumps(no_model(), indent=1))
        return
    if args.partial:
        rows = json.loads((common.RESULTS / f"time_nl-{args.model}.partial.json").read_text())["rows"]
        print(json.dumps(summarise(rows), indent=1))
        return
    if args.rescore:
        rescore(common.RESULTS / f"time_nl-{args.model}.json")
        return
    if args.merge:
        merge(args.model, args.merge)
        return
    common.isolate_env()
    mach = common.machine()
    doc = json.loads(DATASET.read_text())
    requests = doc["requests"]
    if args.part:
        k, n = (int(x) for x in args.part.split("/"))
        size = -(-len(requests) // n)
        requests = requests[(k - 1) * size: k * size]
        mach["loadavg_before"] = [round(x, 2) for x in os.getloadavg()]
        common.header("Natural-language scheduling", args.model, f"(part {k}/{n}: {len(requests)} requests)")
        t0 = time.perf_counter()
        rows = asyncio.run(measure(args.model, requests, doc, partial=f"time_nl-{args.model}.part{k}of{n}.partial"))
        common.write_result(f"time_nl-{args.model}.part{k}of{n}", {
            "rows": rows, "wall_seconds": round(time.perf_counter() - t0, 1), "machine": mach,
            "loadavg_after": [round(x, 2) for x in os.getloadavg()]})
        return
    if args.limit and args.limit < len(requests):
        step = len(requests) / args.limit
        requests = [requests[int(i * step)] for i in range(args.limit)]
    common.header("Natural-language scheduling", args.model, f"({len(requests)} requests)")
    rows = asyncio.run(measure(args.model, requests, doc))
    summary = summarise(rows)
    o = summary["overall"]
    print(f"  overall (n={o['n']}): tool {o['right_tool']:.0%}, date {o['date']:.0%}, time {o['time']:.0%}, "
          f"zone {o['zone']:.0%}, recurrence {o['rrule']:.0%}, all right {o['all']:.0%}")
    for g, r in summary["groups"].items():
        print(f"    {g:<22} n={r['n']:<3} all right {r['all']:.0%} (tool {r['right_tool']:.0%}, "
              f"date {r['date']:.0%}, time {r['time']:.0%})")
    result = {"benchmark": "time_nl", "dataset": str(DATASET.relative_to(common.REPO)), "now": doc["now"],
              "temperature": 0.0, "summary": summary,
              "failures": [r for r in rows if not r["all"]], "raw": rows}
    common.finish("time_nl", args.model, args.limit is not None, result, mach)
    if args.model == DEFAULT_MODEL and args.limit is None and not args.part:
        record("time.nl_schedule_accuracy_1.5b", summary["overall"]["all"], "ratio", args.model,
               f"python -m bench.time.nl_schedule --model {args.model}")


if __name__ == "__main__":
    main()
