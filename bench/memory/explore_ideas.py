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


def v5(lab, qi, q, idx, *, bm=None, terms=None, qweights=None, sem=0.1, spk=0.2, day=0.5,
       length=0.2, pool=50, cap=None, day_mode="max", vecs=None):
    """The adopted product formula, with knobs: BM25 variant, query terms, per-day cap."""
    from bench.memory.explore import top
    from os1.memory.index import named_speaker

    bm = bm or lab.bm25
    lexall = bm.scores(terms if terms is not None else lab.qterms[qi], qweights)
    lexical = top(lexall, idx, pool)
    lexical = lexical[lexall[lexical] > 0]
    best = lexall[lexical].max() if len(lexical) else 1.0
    lx = {int(g): lexall[g] / best for g in lexical}
    cos = sum(v[idx] @ lab.v_q[qi] for v in (vecs or [lab.v_turn])) / len(vecs or [1])
    sem_top = idx[np.argsort(-cos, kind="stable")[:pool]]
    cand = np.array(list(dict.fromkeys([*lx, *sem_top.tolist()])))
    pos = {g: p for p, g in enumerate(idx)}
    zc = (cos - cos.mean()) / cos.std()
    dates = lab.c.dates
    per_day: dict = {}
    for g, v in lx.items():
        per_day.setdefault(dates[g].date(), []).append(v)
    if day_mode == "max":
        dbest = {d: max(v) for d, v in per_day.items()}
    else:  # mean of the two best
        dbest = {d: sum(sorted(v)[-2:]) / 2 for d, v in per_day.items()}
    named = named_speaker(q.text, set(lab.speakers[idx].tolist()))
    score = np.array([
        lx.get(int(g), 0.0) + sem * zc[pos[g]] + (spk if named and lab.speakers[g] == named else 0)
        + day * dbest.get(dates[g].date(), 0.0) + length * (np.log1p(len(lab.c.texts[g])) - 4.5)
        for g in cand
    ])
    ranked = cand[np.argsort(-score, kind="stable")]
    if cap:
        out, count = [], {}
        for g in ranked:
            d = dates[g].date()
            if count.get(d, 0) < cap:
                out.append(g)
                count[d] = count.get(d, 0) + 1
        rest = [g for g in ranked if g not in set(out)]
        ranked = np.array(out + rest)
    return ranked, score


def round2(lab) -> dict:
    from bench.memory.explore import BM25

    out = {}
    out["v5"] = lambda qi, q, idx: list(v5(lab, qi, q, idx)[0][:10])
    for cw in (0.25, 0.35):
        bm = BM25([lab.content_toks, lab.ctx_toks], [1.0, cw])
        out[f"v5 context weight {cw}"] = (lambda bm: lambda qi, q, idx: list(
            v5(lab, qi, q, idx, bm=bm)[0][:10]))(bm)
    for cap in (3, 5):
        out[f"v5 cap {cap}/day"] = (lambda cap: lambda qi, q, idx: list(
            v5(lab, qi, q, idx, cap=cap)[0][:10]))(cap)
    out["v5 day mean of 2"] = lambda qi, q, idx: list(v5(lab, qi, q, idx, day_mode="mean2")[0][:10])
    for name, vs in (("turn+ctx1", [lab.v_turn, lab.v_ctx1]), ("turn+ctx2", [lab.v_turn, lab.v_ctx2]),
                     ("turn+prev", [lab.v_turn, lab.v_prev]), ("ctx1", [lab.v_ctx1])):
        for sem in (0.1, 0.15):
            out[f"v5 cos {name} mean sem {sem}"] = (lambda vs, sem: lambda qi, q, idx: list(
                v5(lab, qi, q, idx, vecs=vs, sem=sem)[0][:10]))(vs, sem)
    out["v5 pool 100"] = lambda qi, q, idx: list(v5(lab, qi, q, idx, pool=100)[0][:10])

    # pseudo-relevance feedback: the rarest words of the top 3 (same speaker as the named one)
    def prf(qi, q, idx, n_docs=3, n_terms=5, w=0.3, same_speaker=True):
        first, _ = v5(lab, qi, q, idx)
        from os1.memory.index import named_speaker
        named = named_speaker(q.text, set(lab.speakers[idx].tolist()))
        docs = [g for g in first if not same_speaker or not named or lab.speakers[g] == named][:n_docs]
        have = set(lab.qterms[qi])
        names = {s.split()[0].lower() for s in lab.speakers[idx]}
        extra = {}
        for g in docs:
            for t in lab.content_toks[g]:
                if t not in have and t not in names and len(t) > 2:
                    extra[t] = lab.bm25.idf(t)
        add = sorted(extra, key=extra.get, reverse=True)[:n_terms]
        terms = list(lab.qterms[qi]) + add
        return list(v5(lab, qi, q, idx, terms=terms,
                       qweights=[1.0] * len(lab.qterms[qi]) + [w] * len(add))[0][:10])
    for nd, nt, w in ((3, 5, 0.3), (3, 5, 0.15), (5, 8, 0.2), (2, 3, 0.3)):
        out[f"v5 prf docs {nd} terms {nt} w {w}"] = (lambda nd, nt, w: lambda qi, q, idx: prf(
            qi, q, idx, nd, nt, w))(nd, nt, w)
    return out
