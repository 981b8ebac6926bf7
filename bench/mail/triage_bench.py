"""Triage benchmark: a labeled set (bench/mail/dataset.py) put into a real dovecot, sorted by
OS1's own `triage()` (rules, headers, folder likeness, the embedded model for close calls, real
IMAP moves), then read back folder by
folder. Reports throughput (messages/min, end to end) and per-folder precision/recall.

    .venv/bin/python -m bench.mail.triage_bench [--models qwen2.5-coder-0.5b ...] [--limit N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.common import (
    MODELS,
    SOURCE_DATA_DIR,
    USER,
    add_user,
    finish,
    header,
    isolate_env,
    machine,
    settings_for,
)
from bench.figures import DEFAULT_MODEL, record
from bench.mail.dataset import labeled
from os1.models.factory import create_llm
from os1.plugins import migrations
from os1.skills.mail.accounts import AccountInput, add_account
from os1.skills.mail.parse import parse_headers, parse_message
from os1.skills.mail.quoting import mail_signs
from os1.skills.mail.service import MailService
from os1.skills.mail.store import CATEGORIES, MailStore
from os1.skills.mail.triage import triage
from os1.storage.sqlite import SqliteStore
from tests.mail_servers import put, start_dovecot

ROOT = Path(__file__).resolve().parents[2]

PASSWORD = "bench-pass"


def where_each_landed(server, folders: dict[str, str]) -> dict[str, str]:
    """Message-ID -> category of the folder it is in now (INBOX = left unsorted)."""
    from imapclient import IMAPClient

    landed = {}
    c = IMAPClient("127.0.0.1", port=server.port, ssl=False, timeout=30)
    c.login("sam", PASSWORD)
    try:
        for category, folder in [("unsorted", "INBOX"), *folders.items()]:
            if not c.folder_exists(folder):
                continue
            c.select_folder(folder, readonly=True)
            uids = c.search(["ALL"])
            for d in c.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]).values():
                key = parse_headers(d[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"]).message_id
                landed[key] = category
    finally:
        c.logout()
    return landed


def scores(truth: dict[str, str], got: dict[str, str]) -> dict[str, dict[str, float | int]]:
    out = {}
    for cat in CATEGORIES:
        tp = sum(1 for k, t in truth.items() if t == cat and got.get(k) == cat)
        predicted = sum(1 for k in truth if got.get(k) == cat)
        actual = sum(1 for t in truth.values() if t == cat)
        out[cat] = {"n": actual, "predicted": predicted,
                    "precision": round(tp / predicted, 3) if predicted else 0.0,
                    "recall": round(tp / actual, 3) if actual else 0.0}
    return out


async def run(model: str | None, limit: int) -> dict:
    """With model=None: rules and folder likeness only (no LLM; IMAP-bound throughput)."""
    data = labeled(max(limit, 210))[:limit]
    root = Path(tempfile.mkdtemp(prefix="os1-mailbench-"))
    os.chmod(root, 0o755)
    server = start_dovecot(root / "d", {"sam": PASSWORD})
    data_dir = await _data_dir(root)
    try:
        put(server, *[raw for _, raw in data])
        settings = settings_for(model or MODELS[0], data_dir, temperature=0.0)
        store = await SqliteStore.open(settings.db_path, migrations())
        svc = await _account(settings, store, server)
        llm = create_llm(settings) if model else None
        if llm is not None:
            await llm.load()
        t0 = time.perf_counter()
        report = await triage(svc, llm, progress=lambda d, t: print(f"  {d}/{t}", flush=True))
        seconds = time.perf_counter() - t0
        if llm is not None:
            await llm.aclose()
        decided_by = Counter(m.reason for m in await svc.mail.moves(svc.user, svc.account.id))
        await store.close()
        truth = {parse_headers(raw).message_id: cat for cat, raw in data}
        got = where_each_landed(server, svc.account.folders)
        assert len(got) == len(data), "a message went missing"
        rule_hits = sum(1 for cat, raw in data
                        if b"List-Unsubscribe" in raw.split(b"\n\n")[0] or b"X-Spam-Flag" in raw.split(b"\n\n")[0])
        flagged = Counter(cat for cat, raw in data if mail_signs(parse_message(raw)))
        return {
            "messages": len(data),
            "sorted_by_rules": rule_hits,
            "decided_by": dict(decided_by),  # rule / likeness / model (a close call) / fallbacks
            "seconds": round(seconds, 1),
            "messages_per_min": round(len(data) / seconds * 60, 1),
            "accuracy": round(sum(got.get(k) == v for k, v in truth.items()) / len(truth), 3),
            "per_folder": scores(truth, got),
            "confusion": Counter(f"{truth[k]}->{got.get(k)}" for k in truth),
            "injection_heuristic_flags_by_true_category": dict(flagged),
            "moved": report.moved,
        }
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


async def _data_dir(root: Path) -> Path:
    """Like bench.common's prepared data dir, but inside this run's own temp folder."""
    data = root / "data"
    data.mkdir()
    (data / "models").symlink_to(SOURCE_DATA_DIR / "models")
    store = await SqliteStore.open(data / "os1.db", migrations())
    try:
        await add_user(store, USER)
    finally:
        await store.close()
    return data


async def _account(settings, store, server) -> MailService:
    """Add the account for real (IMAP login checked); SMTP is not used here, so a throwaway
    aiosmtpd stands in for the login check only."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from tests.mail_servers import free_port

    class Sink:
        async def handle_DATA(self, *a):  # noqa: N802
            return "250 ok"

    port = free_port()
    ctl = Controller(Sink(), hostname="127.0.0.1", port=port, auth_require_tls=False,
                     authenticator=lambda *a: AuthResult(success=True, handled=False))
    ctl.start()
    try:
        await add_account(settings, MailStore(store), settings.user, AccountInput(
            "bench", "sam@example.org", "127.0.0.1", "127.0.0.1", "sam", PASSWORD,
            server.port, "none", port, "none"))
    finally:
        ctl.stop()
    return await MailService.open(settings, store, settings.user)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", nargs="+", default=MODELS)
    ap.add_argument("--limit", type=int, default=210)
    ap.add_argument("--rules-only", action="store_true", help="no model: IMAP-bound throughput")
    args = ap.parse_args()
    isolate_env()
    if args.rules_only:
        mach = machine()
        header("mail triage, rules + likeness", "no LLM", f"({args.limit} messages)")
        result = asyncio.run(run(None, args.limit))
        print(f"  {result['messages_per_min']} msg/min ({result['seconds']} s), accuracy {result['accuracy']}")
        for cat, s in result["per_folder"].items():
            print(f"  {cat:12s} n={s['n']:3d} P={s['precision']:.2f} R={s['recall']:.2f}")
        from bench.common import write_result

        print("  ->", write_result("mail-triage-rules-only",
                                   {**result, "machine": {**mach, "loadavg_after": list(os.getloadavg())}}))
        return
    for model in args.models:
        mach = machine()
        header("mail triage", model, f"({args.limit} messages)")
        result = asyncio.run(run(model, args.limit))
        print(f"  {result['messages_per_min']} msg/min, accuracy {result['accuracy']}")
        for cat, s in result["per_folder"].items():
            print(f"  {cat:12s} n={s['n']:3d} P={s['precision']:.2f} R={s['recall']:.2f}")
        finish("mail-triage", model, args.limit < 210, result, mach)
        if model == DEFAULT_MODEL and args.limit == 210:
            record("mail.triage_accuracy", result["accuracy"], "ratio", model,
                   f"python -m bench.mail.triage_bench --models {model}")


if __name__ == "__main__":
    main()
