"""Ideas scored by bench/memory/explore.py (each: name -> retriever)."""

from __future__ import annotations

import numpy as np

ASKING = frozenset(
    "what kind kinds type types does did do how many much would likely ever some any thing things "
    "also both other has have been being can could should there which".split()
)


def ideas(lab) -> dict:
    out = {}
    c = lab.c

    def take(cand):
        return list(cand[:10])

    out["bm25 only"] = lambda qi, q, idx: list(
        g for g in idx[np.argsort(-lab.lex(qi)[idx], kind="stable")][:10])
    out["default (sem 0.1, speaker 0.2)"] = lambda qi, q, idx: take(lab.fused(qi, q, idx)[0])

    vecs = {"turn": lab.v_turn, "ctx1": lab.v_ctx1, "ctx2": lab.v_ctx2, "prev": lab.v_prev}
    def cos_of(kind, qi, idx):
        if kind in vecs:
            return vecs[kind][idx] @ lab.v_q[qi]
        a, b, mode = kind.split("+")
        x, y = vecs[a][idx] @ lab.v_q[qi], vecs[b][idx] @ lab.v_q[qi]
        return np.maximum(x, y) if mode == "max" else (x + y) / 2
    for kind in ("ctx1", "ctx2", "prev", "turn+ctx1+max", "turn+ctx1+mean", "turn+ctx2+mean",
                 "turn+prev+mean"):
        for sem in (0.1, 0.2, 0.3):
            out[f"cos {kind} sem {sem}"] = (lambda kind, sem: lambda qi, q, idx: take(
                lab.fused(qi, q, idx, cos=cos_of(kind, qi, idx), sem=sem)[0]))(kind, sem)

    # query words by kind
    names = {}
    for i, sp in enumerate(c.speakers):
        names.setdefault(c.conv[i], set()).add(sp.split()[0].lower())
    stem = lab.stems
    def qweights(qi, q, name_w=1.0, ask_w=1.0):
        ws = []
        for w in lab.qwords[qi]:
            if w not in stem or not stem[w]:
                continue
            ws.append(name_w if w in names[q.conv] else ask_w if w in ASKING else 1.0)
        return ws
    for name_w, ask_w in ((0.0, 1.0), (0.3, 1.0), (1.0, 0.0), (0.3, 0.0), (0.0, 0.0)):
        out[f"qweights name {name_w} ask {ask_w}"] = (lambda nw, aw: lambda qi, q, idx: take(
            lab.fused(qi, q, idx, lex=lab.lex(qi, qweights=qweights(qi, q, nw, aw)))[0]))(name_w, ask_w)
    return out


def adopted(lab) -> dict:
    """Session 5's hand-rounded weights of the dev-fitted ranker (bench/memory/explore_ltr.py)."""
    from bench.memory.explore_ltr import PoolFeatures

    feats = PoolFeatures(lab, 50)
    cols = [feats.names.index(n) for n in ("lex", "z_turn", "speaker", "session_lex", "long")]
    out = {}
    for name, w in {"fitted 1/.154/.143/.66/.319": [1, 0.154, 0.143, 0.66, 0.319],
                    "rounded 1/.15/.15/.65/.3": [1, 0.15, 0.15, 0.65, 0.3],
                    "rounded 1/.15/.2/.6/.3": [1, 0.15, 0.2, 0.6, 0.3],
                    "rounded 1/.1/.2/.5/.2": [1, 0.1, 0.2, 0.5, 0.2]}.items():
        w = np.array(w)

        def retrieve(qi, q, idx, w=w):
            cand, F = feats.of(qi, q, idx)
            return list(cand[np.argsort(-(F[:, cols] @ w), kind="stable")][:10])

        out[name] = retrieve
    return out
