"""How far a perfect reranker over OS1's top N could lift LoCoMo evidence recall@10.

    .venv/bin/python bench/memory/ceiling.py

For each question, the evidence turns found among the product ranking's first N
(`explore_ideas.v5`, session 5's adopted formula, with a pool of 100) are counted, at most 10 of
them: that is recall@10 if a reranker put every one of them first. It bounds what reranking
alone can do; finding more evidence needs better first-stage retrieval.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.memory.explore import Lab  # noqa: E402
from bench.memory.explore_ideas import v5  # noqa: E402
from bench.memory.locomo import CATEGORIES  # noqa: E402

DEPTHS = (10, 20, 50, 100, 200)


def main() -> None:
    lab = Lab()
    spans = {k: lab.c.span(k) for k in range(10)}
    found: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for qi, q in enumerate(lab.c.questions):
        if q.category == 5:  # adversarial: not in "overall"
            continue
        ranked = [int(g) for g in v5(lab, qi, q, spans[q.conv], pool=100)[0]]
        for n in DEPTHS:
            r = min(len(q.evidence & set(ranked[:n])), 10) / q.n_evidence
            found[n]["overall"].append(r)
            found[n][CATEGORIES[q.category]].append(r)
    names = ("overall", "multi-hop", "temporal", "open-domain", "single-hop")
    print("| reranked pool | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for n in DEPTHS:
        label = "none (the product's top 10)" if n == 10 else f"top {n}"
        print(f"| {label} | " + " | ".join(f"{np.mean(found[n][k]):.3f}" for k in names) + " |")


if __name__ == "__main__":
    main()
