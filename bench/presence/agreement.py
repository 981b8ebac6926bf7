"""How often the presence scorer agrees with a person: hand labels of replies from real runs
(bench/data/presence_labels.json) against the rules of bench/presence/scorer.py.

    python -m bench.presence.agreement

Each label row holds the scripted turn (conversation, turn), the reply as the model wrote it,
and a person's yes/no per rule: `helpdesk` (a help-desk or refusal reply), `engaging` (reacts and
adds something of its own or asks back), and `in_character` on questions about itself. The
labels were written from the replies alone, without looking at the scores.
"""

from __future__ import annotations

import json
from typing import Any

from bench import common
from bench.presence.run import load
from bench.presence.scorer import Turn, engaging, helpdesk, in_character

LABELS = common.DATA / "presence_labels.json"


def machine_says(row: dict[str, Any], turn: Turn, name: str, said: list[str]) -> dict[str, bool | None]:
    reply = row["reply"]
    return {
        "helpdesk": bool(helpdesk(reply)),
        "engaging": engaging(turn.user, reply, said) if "engaging" in row else None,
        "in_character": in_character(reply, name, turn.name, said) if "in_character" in row else None,
    }


def agreement(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per rule: labelled replies, how many the scorer agrees on, and the disagreements."""
    persona, conversations = load("talk", None)
    turns = {(c["id"], i): Turn.from_json(t) for c in conversations for i, t in enumerate(c["turns"])}
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        before = [*row.get("earlier", []), *(t.user for (c, i), t in turns.items()
                                             if c == row["conversation"] and i < row["turn"])]
        said = machine_says(row, turns[(row["conversation"], row["turn"])], persona["companion_name"], before)
        for rule, value in said.items():
            if value is None or rule not in row:
                continue
            r = out.setdefault(rule, {"n": 0, "agree": 0, "scorer_only": [], "person_only": []})
            r["n"] += 1
            if value == row[rule]:
                r["agree"] += 1
            else:
                (r["scorer_only"] if value else r["person_only"]).append(row["reply"][:90])
    for r in out.values():
        r["rate"] = round(r["agree"] / r["n"], 3)
    return out


def main() -> None:
    labels = json.loads(LABELS.read_text())["labels"]
    fresh = [r for r in labels if "final" in r["run"]]  # labelled after the rules were revised
    for title, rows in (("all", labels), ("labelled after the last revision of the rules", fresh)):
        print(f"{len(rows)} hand-labelled replies ({title})")
        show(rows)


def show(rows: list[dict[str, Any]]) -> None:
    for rule, r in agreement(rows).items():
        print(f"  {rule:<13} agreement {r['rate']:.0%} ({r['agree']}/{r['n']}); scorer yes, person no: "
              f"{len(r['scorer_only'])}; person yes, scorer no: {len(r['person_only'])}")
        for reply in r["scorer_only"]:
            print(f"      scorer only: {reply!r}")
        for reply in r["person_only"]:
            print(f"      person only: {reply!r}")


if __name__ == "__main__":
    main()
