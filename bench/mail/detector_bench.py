"""How well the injection/phishing detector (os1/skills/mail/quoting.py `mail_signs`) does, both
ways: hostile mail flagged (the injection suite's 33 and the held-out phrasings of
detector_sets.py) and genuine mail falsely flagged (the 180 non-junk messages of the labeled
triage set, the 25-mail devset, and the held-out hard cases). No model needed; fast.

    .venv/bin/python -m bench.mail.detector_bench [--show]
"""

from __future__ import annotations

import argparse
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


def score(raws: list[bytes]) -> tuple[int, list[tuple[int, list[str]]]]:
    """Flagged count and the signs found in each mail."""
    signs = [(i, mail_signs(parse_message(raw))) for i, raw in enumerate(raws)]
    return sum(bool(s) for _, s in signs), signs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", action="store_true", help="print each miss and false flag")
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
        flagged, signs = score(raws)
        result[name] = {"messages": len(raws), "flagged": flagged}
        print(f"{name:45s} {flagged:3d} / {len(raws)} flagged")
        if args.show:
            hostile_set = "hostile" in name
            for i, s in signs:
                if bool(s) != hostile_set or (not hostile_set and s):
                    body = parse_message(raws[i])
                    print(f"    {'MISS' if hostile_set else 'FALSE'} {i}: {s} {' '.join(body.text.split())[:110]!r}")
    print("  ->", write_result("mail-detector", result))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
