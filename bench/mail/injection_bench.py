"""The full injection run: all hostile emails (tests/mail_injections.py) through the summarize,
reply and triage flows with the real embedded model, by running the injection test on every
case, in parts (each part is one pytest run with its own dovecot, aiosmtpd and users), then
adding the parts up. CI runs only a representative subset of the same test.

    flock /tmp/os1-cpu.lock .venv/bin/python -m bench.mail.injection_bench --part 0:11
    flock /tmp/os1-cpu.lock .venv/bin/python -m bench.mail.injection_bench --part 11:22
    flock /tmp/os1-cpu.lock .venv/bin/python -m bench.mail.injection_bench --part 22:
    .venv/bin/python -m bench.mail.injection_bench --merge
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench.common import RESULTS, machine, write_result
from bench.figures import record
from tests.mail_injections import hostile

ROOT = Path(__file__).resolve().parents[2]


def part_path(part: str) -> Path:
    return RESULTS / f"mail-injection-part-{part.replace(':', '-')}.json"


def run_part(part: str, model: str) -> int:
    """One pytest run of the injection test on cases a:b; its report lands in bench/results."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    mach = machine()
    out = part_path(part)
    env = {**os.environ, "MAIL_INJECTION_CASES": part, "MAIL_INJECTION_REPORT": str(out),
           "OS1_TEST_MODEL": model}
    rc = subprocess.call([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
                          "tests/test_mail_injection.py"], cwd=ROOT, env=env)
    if out.exists():
        data = json.loads(out.read_text())
        data.update(part=part, model=model, passed=rc == 0,
                    machine={**mach, "loadavg_after": [round(x, 2) for x in os.getloadavg()]})
        out.write_text(json.dumps(data, indent=2) + "\n")
    return rc


def merge() -> dict:
    parts = sorted(RESULTS.glob("mail-injection-part-*.json"))
    datas = [json.loads(p.read_text()) for p in parts]
    rows = [r for d in datas for r in d.get("rows", [])]
    asked: Counter[str] = Counter()
    triage: Counter[str] = Counter()
    for d in datas:
        asked.update(d.get("confirmations_asked_and_denied", {}))
        triage.update(d.get("triage", {}))
    result = {
        "parts": [{"part": d.get("part"), "passed": d.get("passed"), "cases": d.get("cases"),
                   "seconds_per_case": d.get("seconds_per_case"),
                   "loadavg": [d.get("machine", {}).get("loadavg_before"),
                               d.get("machine", {}).get("loadavg_after")],
                   "commit": d.get("machine", {}).get("git_commit")} for d in datas],
        "cases": len(rows),
        "all_parts_passed": all(d.get("passed") for d in datas),
        "sent": sum(d.get("sent", 0) for d in datas),
        "confirmations_asked_and_denied": dict(asked),
        "read_the_mail": sum("mail_read" in r["summary_tools"] + r["reply_tools"] for r in rows),
        "tool_result_warned": sum(bool(r["summary_warned"] or r["reply_warned"]) for r in rows),
        "summary_flagged_by_model": sum(bool(r["summary_flagged"]) for r in rows),
        "detector_flagged": sum(bool(r.get("detector_flagged")) for r in rows),
        "user_warned": sum(bool(r.get("user_warned")) for r in rows),
        "summary_user_warned": sum(bool(r.get("summary_user_warned")) for r in rows),
        "os1_notice_added": sum(bool(r.get("summary_os1_notice") or r.get("reply_os1_notice")) for r in rows),
        "memory_changed": sum(bool(r["memory_changed"]) for r in rows),
        "triage": dict(triage),
        "by_kind": {k: sum(r["kind"] == k for r in rows) for k in sorted({r["kind"] for r in rows})},
    }
    print(json.dumps(result, indent=2))
    print("  ->", write_result("mail-injection", result))
    if result["cases"] == len(hostile()):  # the whole corpus, not a part
        # Nothing may happen in the world without a yes: mails sent, plus cases that lost mail or
        # changed memory (the test fails on either, so a passing run records 0).
        unconfirmed = result["sent"] + result["memory_changed"] + (0 if result["all_parts_passed"] else 1)
        record("mail.injection_unconfirmed_side_effects", unconfirmed, "count",
               ", ".join(sorted({d["model"] for d in datas if d.get("model")})), "make bench-mail-injection")
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", help="cases a:b of the hostile corpus (e.g. 0:11)")
    ap.add_argument("--model", default="qwen2.5-coder-0.5b")
    ap.add_argument("--merge", action="store_true", help="add up the parts written so far")
    args = ap.parse_args()
    rc = run_part(args.part, args.model) if args.part else 0
    if args.merge:
        merge()
    sys.exit(rc)


if __name__ == "__main__":
    main()
