"""The presence benchmark: scripted conversations through the real core turn, scored by
bench/presence/scorer.py (rules in docs/presence.md).

    python -m bench.presence.run --model qwen2.5-coder-1.5b            # the embedded model
    python -m bench.presence.run --model qwen2.5-coder-0.5b --suite self
    python -m bench.presence.run --base-url http://127.0.0.1:8080/v1 --model my-model
    python -m bench.presence.run --score bench/results/presence-talk-qwen2.5-coder-1.5b.json

Each conversation is a fresh user (one fresh data dir for the run), with the persona an interview would have
left (name, personality, what it knows about the user), talking through Session.turn as the CLI
does; a side effect is allowed or refused as the script says. Background learning is off, so the
figures measure the reply, not what the model does between turns.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from pathlib import Path
from typing import Any

from bench import common
from bench.figures import record
from bench.presence.scorer import RULES, Turn, rates, score_turn

SUITES = {"talk": common.DATA / "presence_conversations.json", "self": common.DATA / "presence_self.json"}
PERSONA_FILE = SUITES["talk"]
REPLY_TOKENS = 100  # a reply that needs more is too long to be spoken anyway (scorer: speakable)


def load(suite: str, only: set[str] | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    persona = json.loads(PERSONA_FILE.read_text())["persona"]
    conversations = json.loads(SUITES[suite].read_text())["conversations"]
    if only:
        conversations = [c for c in conversations if c["id"] in only]
    return persona, conversations


async def set_up_user(store: Any, user: str, persona: dict[str, Any]) -> None:
    """What a finished interview leaves behind (os1/core/interview.py)."""
    from os1.memory import blocks

    await blocks.set_value(store, user, "persona", persona["persona"])
    await blocks.set_value(store, user, "human", persona["human"])
    profile = {"companion_name": persona["companion_name"], "preferred_name": persona["preferred_name"],
               "voice": "female", "identity_chosen_by_model": True}
    if persona.get("voice_examples"):
        profile["voice_examples"] = persona["voice_examples"]
    await store.set_profile(user, profile)


def settings_for(model: str, base_url: str | None, data_dir: Path, temperature: float) -> Any:
    llm: dict[str, Any] = {"temperature": temperature, "max_reply_tokens": REPLY_TOKENS}
    if base_url:
        llm |= {"backend": "openai", "base_url": base_url}
    return common.settings_for(model, data_dir, **llm)


async def talk(companion: Any, conv: dict[str, Any], persona: dict[str, Any]) -> list[dict[str, Any]]:
    """One conversation, turn by turn; a row per turn with the reply and what it called."""
    from os1.core.tools import ConfirmationRequest
    from os1.events import EventType

    user = f"sam-{conv['id']}"
    await set_up_user(companion.store, user, persona)
    script = [Turn.from_json(t) for t in conv["turns"]]
    current: list[Turn] = []

    async def confirm(request: ConfirmationRequest) -> bool:
        return current[-1].confirm  # as the script says; a life statement's booking gets a no

    session = await companion.session(user, confirm=confirm)
    rows: list[dict[str, Any]] = []
    for i, turn in enumerate(script):
        current.append(turn)
        reply, called, asked, errors, t0 = "", [], [], [], time.perf_counter()
        async for event in session.turn(turn.user):
            if event.type == EventType.TEXT:
                reply += event.data["text"]
            elif event.type == EventType.TOOL_CALL:
                called.append(event.data["tool"])
            elif event.type == EventType.CONFIRMATION:
                asked.append(event.data["tool"])
            elif event.type == EventType.ERROR:
                errors.append(event.data["message"])
        rows.append({"conversation": conv["id"], "turn": i, "user": turn.user, "kind": turn.kind,
                     "reply": reply.strip(), "called": called, "asked": asked,
                     "offered": sorted(session.offered), "errors": errors,
                     "seconds": round(time.perf_counter() - t0, 1)})
        print(f"  {conv['id']}#{i} [{turn.kind}] {turn.user}\n      -> {reply.strip()[:160]!r}"
              f"{'  tools: ' + ','.join(called) if called else ''}", flush=True)
    return rows


async def run(model: str, base_url: str | None, suite: str, only: set[str] | None,
              temperature: float, on_rows: Any = None) -> list[dict[str, Any]]:
    from os1.core.runtime import close_companion, open_companion

    persona, conversations = load(suite, only)
    settings = settings_for(model, base_url, await common.aprepare_data_dir(), temperature)
    companion = await open_companion(settings)
    companion.memory = None  # the reply, not background learning (see the module docstring)
    rows: list[dict[str, Any]] = []
    try:
        for conv in conversations:
            rows += await talk(companion, conv, persona)
            if on_rows is not None:
                on_rows(rows)  # a run cut short keeps its conversations
    finally:
        await close_companion(companion)
    return rows


def score(rows: list[dict[str, Any]], suite: str) -> dict[str, Any]:
    """Score saved rows again (the rules may have changed since the run)."""
    persona, conversations = load(suite, None)
    turns = {(c["id"], i): Turn.from_json(t) for c in conversations for i, t in enumerate(c["turns"])}
    earlier: dict[str, list[str]] = {}
    users: dict[str, list[str]] = {}
    for row in rows:
        turn = turns[(row["conversation"], row["turn"])]
        said = earlier.setdefault(row["conversation"], [])
        heard = users.setdefault(row["conversation"], [])
        row["score"] = score_turn(turn, row["reply"], row["called"], row["asked"], said,
                                  persona["companion_name"], heard)
        said.append(row["reply"])
        heard.append(row["user"])
    return rates([r["score"] for r in rows])


def show(summary: dict[str, Any]) -> None:
    print(f"  help-desk/refusal replies: {summary['helpdesk_rate']}")
    for rule in RULES:
        print(f"  {rule:<13} {summary[rule]['rate']} (n={summary[rule]['n']})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=common.MODELS[1])
    ap.add_argument("--base-url", help="an OpenAI-compatible server instead of the embedded model")
    ap.add_argument("--suite", choices=sorted(SUITES), default="talk")
    ap.add_argument("--only", help="comma-separated conversation ids")
    ap.add_argument("--temperature", type=float, default=0.0)
    ap.add_argument("--score", type=Path, help="score a saved result again, without a model")
    ap.add_argument("--tag", default="", help="added to the result file's name")
    ap.add_argument("--record", action="store_true", help="record the rates in docs/benchmarks.json")
    ap.add_argument("--note", default="", help="the note recorded with the figures")
    args = ap.parse_args()
    if args.score:
        saved = json.loads(args.score.read_text())
        summary = score(saved["rows"], saved.get("suite", "talk"))
        show(summary)
        saved["summary"] = summary
        args.score.write_text(json.dumps(saved, indent=2, ensure_ascii=False) + "\n")
        if args.record and saved.get("backend") == "embedded" and saved.get("suite") == "talk":
            record_rates(saved.get("model", args.model), summary, saved["temperature"], args.note)
        return
    common.isolate_env()
    mach = common.machine()
    backend = "openai" if args.base_url else "embedded"
    common.header(f"Presence ({args.suite}, {backend})", args.model)
    only = set(args.only.split(",")) if args.only else None
    name = f"presence-{args.suite}-{Path(args.model).name}{args.tag}"

    def save(rows: list[dict[str, Any]]) -> dict[str, Any]:
        summary = score(rows, args.suite)
        result = {"benchmark": "presence", "model": args.model, "suite": args.suite, "backend": backend,
                  "base_url": args.base_url,
                  "temperature": args.temperature, "summary": summary, "rows": rows,
                  "machine": mach | {"loadavg_after": [round(x, 2) for x in os.getloadavg()]}}
        common.write_result(name, result)
        return summary

    rows = asyncio.run(run(args.model, args.base_url, args.suite, only, args.temperature, save))
    summary = save(rows)
    show(summary)
    print("  ->", common.RESULTS / f"{name}.json")
    if args.record and not only and not args.base_url and args.suite == "talk":
        record_rates(args.model, summary, args.temperature, args.note)


def record_rates(model: str, summary: dict[str, Any], temperature: float, note: str) -> None:
    """The headline rates into docs/benchmarks.json (`note`: anything a reader must know)."""
    size = "1.5b" if "1.5b" in model else "0.5b" if "0.5b" in model else model
    command = f"OS1_LLM__THREADS=1 python -m bench.presence.run --model {model}"
    n = summary["benign_ok"]["n"]
    record(f"presence.helpdesk_rate_{size}", summary["helpdesk_rate"], "ratio", model, command,
           f"help-desk or refusal replies among {n} benign turns, temperature {temperature}; {note}".strip("; "))
    record(f"presence.engaging_rate_{size}", summary["engaging"]["rate"], "ratio", model, command,
           f"replies that react and add something new, of {summary['engaging']['n']} conversational turns; "
           f"{note}".strip("; "))


if __name__ == "__main__":
    main()
