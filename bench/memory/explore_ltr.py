"""Learning to rank on LoCoMo dev conversations (0-4): which cheap signals matter, with what weight.

    flock /tmp/os1-cpu.lock .venv/bin/python bench/memory/explore_ltr.py

Candidates are the fused top 100 (bench/memory/explore.py's copy of the product search); each
gets a few features; a logistic regression fit on dev questions only ranks them; the recall it
gives on held-out conversations 5-9 says whether the weights carry over.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.memory.explore import BM25, DEV, Lab, line  # noqa: E402
from os1.memory.index import named_speaker  # noqa: E402

POOL = 100


def z(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / (x.std() + 1e-9)


class Features:
    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.bm_content = BM25([lab.content_toks], [1.0])
        self.bm_ctx = BM25([lab.ctx_toks], [1.0])
        self.names: list[str] = []
        self.cache: dict = {}

    def of(self, qi: int, q, idx: np.ndarray):
        if qi in self.cache:
            return self.cache[qi]
        lab = self.lab
        cand, fused = lab.fused(qi, q, idx, pool=POOL)
        cand, fused = cand[:POOL], fused[:POOL]
        pos = {g: p for p, g in enumerate(idx)}
        cp = np.array([pos[g] for g in cand])
        lex = lab.lex(qi)[idx]
        best = lex.max() if lex.max() > 0 else 1.0
        f = {}
        f["fused"] = fused
        f["lex"] = lex[cp] / best
        f["lex_content"] = self.bm_content.scores(lab.qterms[qi])[cand]
        f["lex_content"] = f["lex_content"] / (f["lex_content"].max() or 1.0)
        f["lex_ctx"] = self.bm_ctx.scores(lab.qterms[qi])[cand]
        f["lex_ctx"] = f["lex_ctx"] / (f["lex_ctx"].max() or 1.0)
        for name, v in (("turn", lab.v_turn), ("ctx1", lab.v_ctx1), ("ctx2", lab.v_ctx2),
                        ("prev", lab.v_prev)):
            f[f"z_{name}"] = z(v[idx] @ lab.v_q[qi])[cp]
        named = named_speaker(q.text, set(lab.speakers[idx].tolist()))
        f["speaker"] = (lab.speakers[cand] == named).astype(float) if named else np.zeros(len(cand))
        # the best lexical score in the candidate's session, and its neighbours' own scores
        sess = np.asarray(lab.c.session)
        sbest = {}
        for g in idx:
            sbest[sess[g]] = max(sbest.get(sess[g], 0.0), lex[pos[g]] / best)
        f["session_lex"] = np.array([sbest[sess[g]] for g in cand])
        zt = z(lab.v_turn[idx] @ lab.v_q[qi])
        sz = {}
        for g in idx:
            sz.setdefault(sess[g], []).append(zt[pos[g]])
        f["session_cos"] = np.array([np.mean(sorted(sz[sess[g]])[-3:]) for g in cand])
        nb = []
        for g in cand:
            p = pos[g]
            nb.append(max(lex[max(p - 1, 0)], lex[min(p + 1, len(idx) - 1)]) / best)
        f["neighbour_lex"] = np.array(nb)
        f["long"] = np.log1p(np.array([len(lab.c.texts[g]) for g in cand])) - 4.5
        f["photo"] = np.array(["[shares a photo" in lab.c.texts[g] for g in cand], dtype=float)
        self.names = list(f)
        out = (cand, np.stack([f[n] for n in self.names], axis=1))
        self.cache[qi] = out
        return out


def fit(X: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 30) -> np.ndarray:
    """Logistic regression by Newton's method; the last column of the weights is the bias."""
    X = np.hstack([X, np.ones((len(X), 1))])
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-X @ w))
        g = X.T @ (p - y) + l2 * np.r_[w[:-1], 0]
        H = (X * (p * (1 - p))[:, None]).T @ X + l2 * np.eye(len(w))
        w -= np.linalg.solve(H, g)
    return w


def dev_rows(lab: "Lab", feats: "Features") -> tuple[np.ndarray, np.ndarray]:
    """Candidate features and evidence labels of the dev conversations' questions (0-4 only)."""
    rows, labels = [], []
    for qi, q in enumerate(lab.c.questions):
        if q.conv not in DEV:
            continue
        cand, X = feats.of(qi, q, lab.c.span(q.conv))
        rows.append(X)
        labels.append(np.array([g in q.evidence for g in cand], dtype=float))
    return np.vstack(rows), np.concatenate(labels)


def main() -> None:
    lab = Lab()
    feats = Features(lab)
    X, y = dev_rows(lab, feats)
    subsets = {
        "all": feats.names,
        "fused only": ["fused"],
        "product-able": ["lex", "z_turn", "speaker", "session_lex", "neighbour_lex", "long",
                         "photo", "lex_content", "lex_ctx"],
        "product-able + session_cos": ["lex", "z_turn", "speaker", "session_lex", "neighbour_lex",
                                        "long", "photo", "lex_content", "lex_ctx", "session_cos"],
        "no ctx vectors": [n for n in feats.names if n not in ("z_ctx1", "z_ctx2", "z_prev")],
    }
    for name, cols in subsets.items():
        ci = [feats.names.index(n) for n in cols]
        w = fit(X[:, ci], y)
        print(name, {n: round(float(v), 2) for n, v in zip(cols + ["bias"], w)}, flush=True)

        def retrieve(qi, q, idx, ci=ci, w=w):
            cand, F = feats.of(qi, q, idx)
            return list(cand[np.argsort(-(F[:, ci] @ w[:-1]), kind="stable")][:10])

        print(line(f"ltr {name}", lab.c, retrieve), flush=True)



class PoolFeatures:
    """Only what the product's search has at hand: the BM25 pool (its scores with and without
    the context column), cosines, speakers, each memory's day and length."""

    def __init__(self, lab: Lab, pool: int = 50) -> None:
        self.lab, self.pool = lab, pool
        self.bm_ctx = BM25([lab.ctx_toks], [1.0])
        day = [d.date() for d in lab.c.dates]
        self.day = np.array([hash((c, d)) for c, d in zip(lab.c.conv, day)])
        self.names = ["lex", "lex_ctx", "z_turn", "speaker", "session_lex", "neighbour_lex", "long"]
        self.cache: dict = {}

    def of(self, qi: int, q, idx: np.ndarray):
        if qi in self.cache:
            return self.cache[qi]
        lab = self.lab
        lexall = lab.lex(qi)
        cand, _ = lab.fused(qi, q, idx, pool=self.pool)
        from bench.memory.explore import top
        lexical = top(lexall, idx, self.pool)
        lexical = lexical[lexall[lexical] > 0]
        best = lexall[lexical].max() if len(lexical) else 1.0
        lx = {int(g): lexall[g] / best for g in lexical}
        ctx = self.bm_ctx.scores(lab.qterms[qi])
        cbest = max((ctx[g] for g in lx), default=0.0) or 1.0
        pos = {g: p for p, g in enumerate(idx)}
        zt = z(lab.v_turn[idx] @ lab.v_q[qi])
        named = named_speaker(q.text, set(lab.speakers[idx].tolist()))
        sbest: dict = {}
        for g, v in lx.items():
            sbest[self.day[g]] = max(sbest.get(self.day[g], 0.0), v)
        F = np.zeros((len(cand), len(self.names)))
        for r, g in enumerate(cand):
            g = int(g)
            F[r] = [
                lx.get(g, 0.0),
                ctx[g] / cbest if g in lx else 0.0,
                zt[pos[g]],
                float(named is not None and lab.speakers[g] == named),
                sbest.get(self.day[g], 0.0),
                max(lx.get(g - 1, 0.0), lx.get(g + 1, 0.0)),
                np.log1p(len(lab.c.texts[g])) - 4.5,
            ]
        self.cache[qi] = (cand, F)
        return cand, F


def pool_main(pool: int) -> None:
    lab = Lab()
    feats = PoolFeatures(lab, pool)
    X, y = dev_rows(lab, feats)
    n = feats.names
    subsets = {
        "pool all": n,
        "pool -neighbour": [x for x in n if x != "neighbour_lex"],
        "pool -neighbour -lex_ctx": [x for x in n if x not in ("neighbour_lex", "lex_ctx")],
        "pool -long": [x for x in n if x != "long"],
        "pool -session": [x for x in n if x != "session_lex"],
    }
    for name, cols in subsets.items():
        ci = [n.index(c) for c in cols]
        w = fit(X[:, ci], y)
        print(name, {c: round(float(v / w[0]), 3) for c, v in zip(cols, w)}, flush=True)

        def retrieve(qi, q, idx, ci=ci, w=w):
            cand, F = feats.of(qi, q, idx)
            return list(cand[np.argsort(-(F[:, ci] @ w[:-1]), kind="stable")][:10])

        print(line(f"ltr {name} {pool}", lab.c, retrieve), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        pool_main(int(sys.argv[1]))
    else:
        main()
