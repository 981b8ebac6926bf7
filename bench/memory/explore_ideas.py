"""Ideas scored by bench/memory/explore.py (each: name -> retriever)."""

from __future__ import annotations

import numpy as np


def ideas(lab) -> dict:
    out = {}
    out["bm25 only"] = lambda qi, q, idx: list(
        g for g in idx[np.argsort(-lab.lex(qi)[idx], kind="stable")][:10])
    out["default (sem 0.1, speaker 0.2)"] = lambda qi, q, idx: list(lab.fused(qi, q, idx)[0][:10])
    return out
