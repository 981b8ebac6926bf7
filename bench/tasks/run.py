"""End-to-end tasks: what a person gets back when they talk to OS1 about their mail, calendar,
reminders and life, scored on the reply and on the state of the world afterwards.

Real peers on 127.0.0.1 (dovecot, an SMTP sink, radicale), seeded (bench/tasks/world.json);
OS1 as the CLI builds it (open_companion: every plugin's tools, memory), on a fresh data dir
with an empty config; each conversation (bench/tasks/conversations.json) is a session whose
turns go through Session.turn. The confirmation callback answers as the answer key says and
records every question. Temperature 0.

    OS1_LLM__THREADS=1 .venv/bin/python -m bench.tasks.run --model qwen2.5-coder-1.5b
    .venv/bin/python -m bench.tasks.run --model qwen2.5-coder-0.5b --only "move the dentist"
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import common
from bench.figures import record
from bench.tasks import score
from bench.tasks.world import ZONE, World

HERE = Path(__file__).resolve().parent
VERBOSE = bool(os.environ.get("OS1_TASKS_VERBOSE"))
FIGURES = {"outcome_rate": ("ratio", "right outcomes / requests"),
           "call_text_leaks": ("count", "replies showing call text"),
           "empty_promises": ("count", "replies promising what they did not do")}


class Consent:
    """Says yes or no as the current turn's answer key says; keeps every question."""

    def __init__(self) -> None:
        self.answer = False
        self.asked: list[dict[str, Any]] = []

    async def __call__(self, request: Any) -> bool:
        self.asked.append({"tool": request.tool, "summary": request.summary[:600], "answer": self.answer})
        return self.answer


async def seed_history(companion: Any, world: World, history: list[dict[str, Any]]) -> None:
    """Things the user said months ago, stored on the day they were said, then read for facts by
    OS1's own learner (as it does in the background of a conversation)."""
    from os1.storage import sqlite

    user, store, memory = companion.settings.user, companion.store, companion.memory
    real_now = sqlite._now
    try:
        session = await store.start_session(user)
        for item in history:
            said = world.at(item["days"], item["hour"])
            sqlite._now = lambda said=said: said.astimezone(ZONE).isoformat(timespec="microseconds")  # type: ignore[misc]
            mid = await store.add_message(user, session, "user", item["text"])
            await memory.ingest(user, mid, "Sam", item["text"], when=said)
            # the companion answered then too: a history of the user's words alone is no conversation
            # (with one answer repeated nine times, the 1.5B copied it as its reply to mail)
            rid = await store.add_message(user, session, "assistant", item["reply"])
            await memory.ingest(user, rid, common.COMPANION, item["reply"], when=said)
    finally:
        sqlite._now = real_now  # type: ignore[misc]
    # the embedding that ingest started must end first: two at once write the same vectors
    while memory._embedding is not None and not memory._embedding.done():
        await asyncio.sleep(0.1)
    await memory.learner.run(user)
    await memory.index.embed_pending()


async def connect(companion: Any, world: World, seed: dict[str, Any]) -> None:
    from os1.core.accounts import save_account
    from os1.skills.mail.accounts import AccountInput, add_account
    from os1.skills.mail.store import MailStore
    from tests.mail_servers import PASSWORD

    s, store = companion.settings, companion.store
    world.seed_mail(seed["inbox"], seed["sent"])
    await asyncio.to_thread(world.seed_calendar, seed["calendar"])
    book = await asyncio.to_thread(world.seed_contacts)
    await add_account(s, MailStore(store), s.user, AccountInput(
        "home", "sam@example.org", "127.0.0.1", "127.0.0.1", "sam", PASSWORD,
        world.dovecot.port, "none", world.smtp.port, "none", "Sam"))
    from bench.tasks.world import DAV_PASSWORD, DAV_USER

    dav = {"username": DAV_USER, "password": DAV_PASSWORD}
    await save_account(store, s.data_dir, s.user, "caldav", {"url": world.radicale.url, "calendar": "Home", **dav})
    await save_account(store, s.data_dir, s.user, "carddav", {"url": book, **dav})


async def snapshot(companion: Any, world: World) -> score.Snapshot:
    from os1.core.schedule import ReminderSchedule

    reminders = await ReminderSchedule(companion.store).list(companion.settings.user)
    return score.Snapshot(
        await asyncio.to_thread(world.calendar), world.sent(),
        {r.id: (r.text, r.due_at.astimezone(ZONE), r.status) for r in reminders})


async def play(companion: Any, world: World, conversations: list[dict[str, Any]], partial: str) -> list[dict[str, Any]]:
    from os1.events import EventType

    names = set(companion.tools)
    rows: list[dict[str, Any]] = []
    for conv in conversations:
        consent = Consent()
        session = await companion.session(confirm=consent)
        for turn in conv["turns"]:
            consent.answer, consent.asked = turn.get("consent") == "yes", []
            before = await snapshot(companion, world)
            t0 = time.perf_counter()
            events = []
            async for e in session.turn(turn["say"]):
                events.append(e)
                if VERBOSE and e.type != EventType.TEXT:
                    print(f"     {e.type.value} {json.dumps(e.data, default=str)[:200]}", flush=True)
            seconds = time.perf_counter() - t0
            after = await snapshot(companion, world)
            reply = "".join(e.data.get("text", "") for e in events if e.type == EventType.TEXT)
            calls = [e.data for e in events if e.type == EventType.TOOL_CALL]
            results = [e.data for e in events if e.type == EventType.TOOL_RESULT]
            errors = [e.data.get("message", "") for e in events if e.type == EventType.ERROR]
            verdict = score.judge(turn, reply, [c["tool"] for c in calls], errors, before, after,
                                  world.today, names)
            rows.append({
                "conversation": conv["name"], "say": turn["say"], "reply": reply, "ok": verdict.ok,
                "problems": verdict.problems, "leak": verdict.leak, "empty_promise": verdict.empty_promise,
                "tool_for_memory": verdict.tool_for_memory,
                "calls": [{"tool": c["tool"], "arguments": c["arguments"]} for c in calls],
                "results": [{"tool": r["tool"], "ok": r["ok"], "result": r["result"][:300]} for r in results],
                "asked": consent.asked, "seconds": round(seconds, 1)})
            common.write_result(partial, {"summary": summarise(rows), "rows": rows})  # a cut-short run still counts
            mark = "ok" if verdict.ok else "X "
            print(f"  {mark} {turn['say'][:44]:<44} -> {reply[:70]!r}"
                  + ("" if verdict.ok else f"  [{'; '.join(verdict.problems)[:140]}]"), flush=True)
    return rows


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    return {"requests": n, "right": sum(r["ok"] for r in rows),
            "outcome_rate": round(sum(r["ok"] for r in rows) / n, 3) if n else None,
            "call_text_leaks": sum(r["leak"] for r in rows),
            "empty_promises": sum(r["empty_promise"] for r in rows),
            "tools_for_memory_questions": sum(r["tool_for_memory"] for r in rows),
            "median_seconds_per_request": common.median([r["seconds"] for r in rows])}


def transcript(rows: list[dict[str, Any]]) -> str:
    """Every failure as it went: the request, what was called and returned, asked, replied."""
    out = []
    for r in rows:
        if r["ok"]:
            continue
        out.append(f"### {r['conversation']}: {r['say']}\n\n- problems: {'; '.join(r['problems'])}")
        for c, res in zip(r["calls"], r["results"] + [None] * len(r["calls"]), strict=False):
            got = f" -> {'ok' if res['ok'] else 'failed'}: {res['result'][:160]!r}" if res else ""
            out.append(f"- called `{c['tool']}({json.dumps(c['arguments'])[:160]})`{got}")
        out += [f"- asked ({a['tool']}), answered {'yes' if a['answer'] else 'no'}" for a in r["asked"]]
        out.append(f"- reply: {r['reply'][:600]!r}\n")
    return "\n".join(out)


async def measure(model: str, only: str | None, partial: str, first: int = 0) -> list[dict[str, Any]]:
    from os1.config import load_settings
    from os1.core.runtime import close_companion, open_companion

    seed = json.loads((HERE / "world.json").read_text())
    conversations = json.loads((HERE / "conversations.json").read_text())["conversations"]
    if only:
        names = [n.strip().lower() for n in only.split(",")]
        conversations = [c for c in conversations if any(n in c["name"].lower() for n in names)]
    if first:
        conversations = conversations[:first]
    data_dir = await common.aprepare_data_dir()
    settings = load_settings(data_dir=data_dir, user=common.USER, timezone=str(ZONE),
                             llm={"model": model, "temperature": 0.0,
                                  "threads": int(os.environ.get("OS1_LLM__THREADS", "0"))})
    world = World.start(datetime.now(ZONE).date())
    companion = await open_companion(settings)
    try:
        await connect(companion, world, seed)
        t0 = time.perf_counter()
        await seed_history(companion, world, seed["history"])
        print(f"  seeded; history read for facts in {time.perf_counter() - t0:.0f} s", flush=True)
        # Learning from the bench's own turns would only compete with them for the model.
        companion.memory.learner = None
        return await play(companion, world, conversations, partial)
    finally:
        await close_companion(companion)
        world.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=common.MODELS[1], choices=common.MODELS)
    ap.add_argument("--only", default=None, help="only the conversations whose name contains this (or one of these, comma-separated)")
    ap.add_argument("--first", type=int, default=0, help="only the first N conversations (a quick sample)")
    ap.add_argument("--no-record", action="store_true", help="do not write docs/benchmarks.json")
    ap.add_argument("--from-rows", type=Path, default=None,
                    help="summarise and record a run's rows file (one cut short counts as its sample)")
    args = ap.parse_args()
    if args.from_rows:
        rows = json.loads(args.from_rows.read_text())["rows"]
        summary = summarise(rows)
        print(json.dumps(summary, indent=1))
        (common.RESULTS / f"tasks-{args.model}-failures.md").parent.mkdir(parents=True, exist_ok=True)
        (common.RESULTS / f"tasks-{args.model}-failures.md").write_text(transcript(rows))
        if not args.no_record:
            size = "1.5b" if args.model.endswith("1.5b") else "0.5b"
            note = (f"{summary['right']}/{summary['requests']} requests, the first ones of the conversations "
                    "in order (a run cut short); machine shared with other jobs")
            for key, (unit, _) in FIGURES.items():
                record(f"tasks.{key}_{size}", summary[key], unit, args.model,
                       f"OS1_LLM__THREADS=1 python -m bench.tasks.run --model {args.model} (cut short)", note)
        return
    # a run stopped with SIGTERM still stops the peers it started (measure's finally)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    common.isolate_env()
    mach = common.machine()
    common.header("End-to-end tasks", args.model, f"(only {args.only!r})" if args.only else "")
    sample = bool(args.only or args.first)
    name = f"tasks-{args.model}" + ("-sample" if sample else "")
    rows = asyncio.run(measure(args.model, args.only, f"{name}.partial", args.first))
    summary = summarise(rows)
    print(json.dumps(summary, indent=1))
    (common.RESULTS / f"{name}-failures.md").parent.mkdir(parents=True, exist_ok=True)
    (common.RESULTS / f"{name}-failures.md").write_text(transcript(rows))
    common.finish(name.replace(f"-{args.model}", ""), args.model, sample,
                  {"benchmark": "tasks", "summary": summary, "rows": rows}, mach)
    if not args.only and not args.no_record:  # a sample (--first) is recorded as one, said so
        size = "1.5b" if args.model.endswith("1.5b") else "0.5b"
        first = f" --first {args.first}" if args.first else ""
        command = f"OS1_LLM__THREADS=1 python -m bench.tasks.run --model {args.model}{first}"
        of = f" (the first {args.first} conversations)" if args.first else ""
        note = f"{summary['right']}/{summary['requests']} requests{of}; machine shared with other jobs"
        for key, (unit, _) in FIGURES.items():
            record(f"tasks.{key}_{size}", summary[key], unit, args.model, command, note)


if __name__ == "__main__":
    main()
