"""The proofreading benchmark: real people's misspellings first, then generated letters with
seeded mistakes and clean letters (bench/letters/generate.py).

    .venv/bin/python -m bench.letters.run [--record] [--letters 60 --clean 30] [--tuning --seed 7]

- Holbrook's pupils' passages (British, so the en_GB dictionary): recall on the errors whose
  wrong form is a single word no dictionary holds ("spelling"), and on every tagged error;
- the Aspell and Wikipedia lists: whether the right word is the first suggestion, or in the
  first five;
- generated letters: recall and precision per kind, false alarms per clean letter.
A change finds a mistake when their spans overlap.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from typing import Any

from bench.letters.corpora import holbrook, misspellings
from bench.letters.generate import KINDS, letters
from os1.language.proofreading import name_words, proofread_text
from os1.language.proofreading.changes import Change
from os1.language.proofreading.spelling import Speller

COMMAND = "python -m bench.letters.run --record"


def _hits(change: Change, spans: list[tuple[int, int]]) -> bool:
    return any(change.start < e and change.end > s for s, e in spans)


def real_world() -> dict[str, Any]:
    speller = Speller("en_GB")
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for passage in holbrook():
        changes = proofread_text(passage.text, dialect="en_GB", suggest=False)
        for error in passage.errors:
            if error.target == "?":
                continue
            kind = "spelling" if " " not in error.wrong and not speller.dictionary.check(error.wrong) else "other"
            total[kind] += 1
            found[kind] += _hits_any(changes, error.start, error.end)
    return {"holbrook_spelling_errors": total["spelling"],
            "holbrook_spelling_recall": round(found["spelling"] / total["spelling"], 3),
            "holbrook_other_errors": total["other"],
            "holbrook_other_recall": round(found["other"] / total["other"], 3),
            "holbrook_all_recall": round(sum(found.values()) / sum(total.values()), 3)}


def _hits_any(changes: list[Change], start: int, end: int) -> int:
    return int(any(_hits(c, [(start, end)]) for c in changes))


def suggestions(sample: int = 300) -> dict[str, Any]:
    """How often the right word is the first suggestion, or among the first five."""
    out: dict[str, Any] = {}
    speller = Speller("en_US")
    for name in ("aspell.dat", "wikipedia.dat"):
        pairs = [(w, c) for w, c in misspellings(name) if " " not in w and not speller.known(w)]
        pairs = random.Random(1).sample(pairs, min(sample, len(pairs)))
        top1 = top5 = 0
        for wrong, right in pairs:
            got = speller.dictionary.suggest(wrong)[:5]
            top1 += bool(got) and got[0] == right
            top5 += right in got
        key = name.split(".")[0]
        out[f"{key}_flagged"] = len(pairs)
        out[f"{key}_top1"] = round(top1 / len(pairs), 3)
        out[f"{key}_top5"] = round(top5 / len(pairs), 3)
    return out


def generated(n_faulty: int, n_clean: int, seed: int = 2026, held_out: bool = True) -> dict[str, Any]:
    misspelled: dict[str, list[str]] = {}
    speller = Speller("en_US")
    for wrong, right in misspellings("wikipedia.dat") + misspellings("aspell.dat"):
        if " " not in wrong and right.islower() and not speller.known(wrong):
            misspelled.setdefault(right, []).append(wrong)
    seeded: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    right: Counter[str] = Counter()
    false_alarms, clean, seconds = [], 0, 0.0
    examples: list[dict[str, str]] = []
    for letter in letters(n_faulty, n_clean, misspelled, seed, held_out):
        t = time.perf_counter()
        changes = proofread_text(letter.text, own_words=name_words(letter.recipient, "Theo", "Theodore"))
        seconds += time.perf_counter() - t
        spans = [(e.start, e.end) for e in letter.errors]
        for e in letter.errors:
            seeded[e.kind] += 1
            caught[e.kind] += _hits_any(changes, e.start, e.end)
        for c in changes:
            flagged[c.kind] += 1
            right[c.kind] += _hits(c, spans)
            if not _hits(c, spans) and len(examples) < 15:
                examples.append({"rule": c.rule, "original": c.original, "near": letter.text[max(0, c.start - 30):c.end + 30]})
        if not letter.errors:
            clean += 1
            false_alarms.append(len(changes))
    per_kind = {k: {"seeded": seeded[k], "recall": round(caught[k] / seeded[k], 3) if seeded[k] else None,
                    "flagged": flagged[k], "precision": round(right[k] / flagged[k], 3) if flagged[k] else None}
                for k in sorted(set(KINDS) | set(flagged))}
    return {"letters": n_faulty + n_clean, "clean_letters": clean, "seeded": sum(seeded.values()),
            "recall": round(sum(caught.values()) / sum(seeded.values()), 3),
            "precision": round(sum(right.values()) / max(1, sum(flagged.values())), 3),
            "false_alarms_per_clean_letter": round(sum(false_alarms) / max(1, clean), 3),
            "ms_per_letter": round(1000 * seconds / (n_faulty + n_clean), 1),
            "per_kind": per_kind, "false_alarm_examples": examples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=60, help="letters with seeded mistakes")
    parser.add_argument("--clean", type=int, default=30, help="clean letters")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--tuning", action="store_true",
                        help="letters of the prose the rules were tuned on (seed 7 was), not the held-out prose")
    parser.add_argument("--record", action="store_true", help="write the figures to docs/benchmarks.json")
    args = parser.parse_args()
    if args.record and (args.tuning or args.seed != 2026):
        parser.error("only the held-out letters of seed 2026 are recorded")
    result = {"real_world": real_world(), "suggestions": suggestions(),
              "generated": generated(args.letters, args.clean, args.seed, not args.tuning)}
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.record:
        from bench.figures import record

        model = "rules + Hunspell en_US/en_GB"
        gen, real = result["generated"], result["real_world"]
        record("letters.proofread_recall", gen["recall"], "ratio", model, COMMAND,
               note=f"{gen['seeded']} seeded mistakes in {gen['letters'] - gen['clean_letters']} generated letters")
        record("letters.proofread_precision", gen["precision"], "ratio", model, COMMAND)
        record("letters.proofread_false_alarms_per_letter", gen["false_alarms_per_clean_letter"], "changes",
               model, COMMAND, note=f"{gen['clean_letters']} clean generated letters")
        record("letters.proofread_recall_spelling", real["holbrook_spelling_recall"], "ratio", model, COMMAND,
               note=f"{real['holbrook_spelling_errors']} non-word errors in Holbrook's passages")
        record("letters.proofread_recall_holbrook_all", real["holbrook_all_recall"], "ratio", model, COMMAND,
               note="every tagged error, real-word and grammar ones included")
        record("letters.spelling_top1_aspell", result["suggestions"]["aspell_top1"], "ratio", model, COMMAND)
        for kind, figures in gen["per_kind"].items():
            if figures["recall"] is not None:
                record(f"letters.proofread_recall_seeded_{kind}", figures["recall"], "ratio", model, COMMAND)


if __name__ == "__main__":
    main()
