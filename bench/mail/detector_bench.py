"""How well the injection/phishing detector (os1/skills/mail/quoting.py `mail_signs`) does, both
ways: hostile mail flagged (the injection suite's 33 and the held-out phrasings of
detector_sets.py) and genuine mail falsely flagged (the 180 non-junk messages of the labeled
triage set, the 25-mail devset, and the held-out hard cases). No model needed; fast.

    .venv/bin/python -m bench.mail.detector_bench [--show]
"""

from __future__ import annotations

import argparse
import asyncio
import json
from email.message import EmailMessage
from pathlib import Path

from bench.common import write_result
from bench.mail.dataset import labeled
from bench.mail.detector_sets import FRESH_BENIGN, FRESH_HOSTILE, HARD_BENIGN, NEW_HOSTILE
from bench.mail.devset import dev_messages
from os1.skills.mail.parse import parse_message
from os1.skills.mail.quoting import mail_signs
from tests.mail_injections import hostile

ROOT = Path(__file__).resolve().parents[2]


def as_mail(body: str, i: int) -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = f"Someone <s{i}@mail.example>", "sam@example.org", "Hello"
    m["Message-ID"] = f"<det-{i}@os1.bench>"
    m.set_content(body)
    return m.as_bytes()


async def score(raws: list[bytes], likeness: bool) -> tuple[int, list[tuple[int, list[str]]], list]:
    """Flagged count (patterns, then likeness for what they miss), signs per mail, and each
    mail's likeness margin and closest sentence."""
    from os1.skills.mail.suspicion import suspicion

    signs, margins = [], []
    for i, raw in enumerate(raws):
        mail = parse_message(raw)
        found = mail_signs(mail)
        if likeness:
            margin, sentence = await suspicion().closest(mail)
            margins.append((round(margin, 3), sentence))
            if not found and margin > 0:
                found = ["(likeness)"]
        signs.append((i, found))
    return sum(bool(s) for _, s in signs), signs, margins


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", action="store_true", help="print each miss and false flag")
    ap.add_argument("--patterns-only", action="store_true", help="without the likeness check")
    args = ap.parse_args()
    data = labeled()
    sets = {
        "suite (hostile)": [raw for _, raw in hostile()],
        "held-out phrasings (hostile)": [as_mail(b, i) for i, b in enumerate(NEW_HOSTILE)],
        "labeled junk (hostile: scams, phishing, AI-notes)": [raw for c, raw in data if c == "junk"],
        "labeled non-junk (benign)": [raw for c, raw in data if c != "junk"],
        "devset non-junk (benign)": [raw for c, raw in dev_messages() if c != "junk"],
        "held-out hard cases (benign)": [as_mail(b, 100 + i) for i, b in enumerate(HARD_BENIGN)],
        "fresh phrasings, measured once (hostile)": [as_mail(b, 200 + i) for i, b in enumerate(FRESH_HOSTILE)],
        "fresh hard cases, measured once (benign)": [as_mail(b, 300 + i) for i, b in enumerate(FRESH_BENIGN)],
    }
    result = {}
    for name, raws in sets.items():
        flagged, signs, margins = asyncio.run(score(raws, not args.patterns_only))
        by_patterns = sum(bool(x) and x != ["(likeness)"] for _, x in signs)
        result[name] = {"messages": len(raws), "flagged": flagged, "by_patterns": by_patterns,
                        "margins": sorted(m for m, _ in margins)}
        print(f"{name:45s} {flagged:3d} / {len(raws)} flagged ({by_patterns} by patterns)")
        if args.show:
            hostile_set = "hostile" in name
            for i, s in signs:
                if bool(s) != hostile_set or (not hostile_set and s):
                    body = parse_message(raws[i])
                    near = f" {margins[i]}" if margins else ""
                    print(f"    {'MISS' if hostile_set else 'FALSE'} {i}: {s} {' '.join(body.text.split())[:110]!r}{near}")
    print("  ->", write_result("mail-detector", result))
    print(json.dumps({k: {a: b for a, b in v.items() if a != "margins"} for k, v in result.items()}))


if __name__ == "__main__":
    main()
