"""Scratch scorer for LoCoMo evidence recall: try a retrieval idea in seconds, not minutes.

    flock /tmp/os1-cpu.lock .venv/bin/python bench/memory/explore.py [--only NAME ...]

LoCoMo is loaded once; MiniLM vectors of every text variant (turns, turns with their
neighbours, questions) are cached in bench/data/memory-cache/ (ignored by git), so only the first
run embeds. BM25 is FTS5's own formula (k1 1.2, b 0.75, column weights, porter tokens read back
from FTS5 itself) computed with numpy, so query words can be weighted, which FTS5 cannot do.

Every idea is chosen on conversations 0-4 ("dev") and then reported on 5-9 ("held out") and on
all 10: figures are recall@5 / @10 per category, as bench/memory/locomo.py scores them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import apsw
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.memory.locomo import CATEGORIES, DATA, normalise, turns  # noqa: E402
from os1.memory.index import content_words, named_speaker  # noqa: E402

CACHE = ROOT / "bench" / "data" / "memory-cache"
DEV, HELD = range(0, 5), range(5, 10)
K1, B = 1.2, 0.75


@dataclass
class Question:
    conv: int
    text: str
    category: int
    evidence: set[int]  # global turn indexes
    n_evidence: int  # evidence ids given (some do not exist as turns: they count as missed)


@dataclass
class Corpus:
    ids: list[str] = field(default_factory=list)  # "conv:dia_id"
    texts: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    conv: list[int] = field(default_factory=list)
    session: list[int] = field(default_factory=list)
    dates: list = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)

    def span(self, c: int) -> np.ndarray:
        return np.flatnonzero(np.asarray(self.conv) == c)


def load() -> Corpus:
    corpus = Corpus()
    for c, conv in enumerate(json.loads(DATA.read_text())):
        where: dict[str, int] = {}
        for dia_id, text, when in turns(conv["conversation"]):
            where[normalise(dia_id)] = len(corpus.texts)
            corpus.ids.append(f"{c}:{dia_id}")
            corpus.texts.append(text)
            corpus.speakers.append(text.split(":", 1)[0])
            corpus.conv.append(c)
            corpus.session.append(int(re.match(r"D(\d+)", dia_id).group(1)))
            corpus.dates.append(when)
        for qa in conv["qa"]:
            ev = {normalise(e) for e in qa.get("evidence", []) if e}
            if ev:
                corpus.questions.append(Question(
                    c, qa["question"], qa["category"], {where[e] for e in ev if e in where}, len(ev)
                ))
    return corpus


def context_texts(corpus: Corpus, reach: int, with_self: bool = False) -> list[str]:
    """Each turn's neighbours' words (the product's `context` column), within its conversation."""
    out = []
    conv = np.asarray(corpus.conv)
    for i in range(len(corpus.texts)):
        near = [j for j in range(i - reach, i + reach + 1)
                if 0 <= j < len(corpus.texts) and conv[j] == conv[i] and (with_self or j != i)]
        out.append(" ".join(corpus.texts[j] for j in near))
    return out


def embed_cached(name: str, texts: list[str]) -> np.ndarray:
    """MiniLM vectors of `texts`, computed once and cached by content hash."""
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n")
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = CACHE / f"{name}-{key}.npy"
    if path.exists():
        return np.load(path)
    from os1.models.embedder import MiniLMEmbedder

    embedder = MiniLMEmbedder(threads=2)
    t0 = time.perf_counter()
    # in batches, shortest first: one batch of all would pad every text to the longest (OOM)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vecs = np.zeros((len(texts), 384), dtype=np.float32)
    for s in range(0, len(order), 64):
        part = order[s:s + 64]
        vecs[part] = embedder.embed_sync([texts[i] for i in part])
    print(f"embedded {name}: {len(texts)} texts in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    vecs = np.asarray(vecs, dtype=np.float32)
    vecs /= np.clip(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12, None)
    np.save(path, vecs)
    return vecs


class Tokens:
    """FTS5's porter unicode61 tokens of any text, read back from fts5vocab."""

    def __init__(self) -> None:
        self.conn = apsw.Connection(":memory:")
        self.conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61')")
        self.conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")

    def many(self, texts: list[str]) -> list[list[str]]:
        self.conn.execute("DELETE FROM t")
        with self.conn:
            for i, text in enumerate(texts):
                self.conn.execute("INSERT INTO t(rowid, x) VALUES (?, ?)", (i + 1, text))
        out: list[list[tuple[int, str]]] = [[] for _ in texts]
        for term, doc, _col, off in self.conn.execute("SELECT term, doc, col, offset FROM v"):
            out[doc - 1].append((off, term))
        return [[t for _, t in sorted(toks)] for toks in out]


class BM25:
    """FTS5's bm25() over columns of a corpus, as sparse postings scored with numpy."""

    def __init__(self, columns: list[list[list[str]]], weights: list[float]) -> None:
        self.n = len(columns[0])
        self.weights = weights
        self.length = np.zeros(self.n)
        self.post: dict[str, list[np.ndarray]] = {}
        tf: dict[str, list[dict[int, int]]] = defaultdict(lambda: [defaultdict(int) for _ in columns])
        for c, col in enumerate(columns):
            for d, toks in enumerate(col):
                self.length[d] += len(toks)
                for t in toks:
                    tf[t][c][d] += 1
        self.avgdl = self.length.sum() / self.n
        for term, cols in tf.items():
            docs = sorted(set().union(*[set(x) for x in cols]))
            arr = np.array(docs, dtype=np.int64)
            freq = np.zeros(len(docs))
            for c, counts in enumerate(cols):
                freq += weights[c] * np.array([counts.get(d, 0) for d in docs])
            self.post[term] = [arr, freq]
        self.norm = K1 * (1 - B + B * self.length / self.avgdl)

    def idf(self, term: str) -> float:
        hit = len(self.post[term][0]) if term in self.post else 0
        v = math.log((self.n - hit + 0.5) / (hit + 0.5))
        return v if v > 0 else 1e-6

    def scores(self, terms: list[str], qweights: list[float] | None = None) -> np.ndarray:
        out = np.zeros(self.n)
        for i, term in enumerate(terms):
            if term not in self.post:
                continue
            docs, f = self.post[term]
            w = qweights[i] if qweights else 1.0
            out[docs] += w * self.idf(term) * f * (K1 + 1) / (f + self.norm[docs])
        return out


# -- scoring ------------------------------------------------------------------------------------
Retriever = Callable[[int, Question, np.ndarray], list[int]]  # (qi, q, conv turn idx) -> ranked


def evaluate(corpus: Corpus, retrieve: Retriever, convs=range(10)) -> dict[str, float]:
    sums: dict[str, list[float]] = defaultdict(list)
    spans = {c: corpus.span(c) for c in convs}
    for qi, q in enumerate(corpus.questions):
        if q.conv not in spans:
            continue
        ranked = retrieve(qi, q, spans[q.conv])
        for k in (5, 10):
            r = len(q.evidence & set(ranked[:k])) / q.n_evidence
            for bucket in ((CATEGORIES[q.category], "overall") if q.category != 5 else ("adversarial",)):
                sums[f"{bucket}@{k}"].append(r)
    return {k: sum(v) / len(v) for k, v in sums.items()}


def line(name: str, corpus: Corpus, retrieve: Retriever) -> str:
    parts = []
    for label, convs in (("dev", DEV), ("held", HELD), ("all", range(10))):
        s = evaluate(corpus, retrieve, convs)
        parts.append(f"{label} {s['overall@5']:.3f}/{s['overall@10']:.3f} mh {s['multi-hop@10']:.3f}"
                     f" t {s['temporal@10']:.3f} od {s['open-domain@10']:.3f} sh {s['single-hop@10']:.3f}")
    return f"{name:34s} | " + " | ".join(parts)


def top(scores: np.ndarray, idx: np.ndarray, k: int) -> np.ndarray:
    """Global indexes of the k best of `idx` by `scores` (over idx), best first."""
    sub = scores[idx]
    k = min(k, len(idx))
    part = np.argpartition(-sub, k - 1)[:k]
    return idx[part[np.argsort(-sub[part], kind="stable")]]


class Lab:
    def __init__(self) -> None:
        t0 = time.perf_counter()
        self.c = c = load()
        self.tok = Tokens()
        self.content_toks = self.tok.many(c.texts)
        self.ctx2 = context_texts(c, 2)
        self.ctx_toks = self.tok.many(self.ctx2)
        self.bm25 = BM25([self.content_toks, self.ctx_toks], [1.0, 0.5])
        self.qwords = [content_words(q.text) for q in c.questions]
        flat = [w for ws in self.qwords for w in ws]
        stems = dict(zip(flat, (t[0] if t else "" for t in self.tok.many(flat))))
        self.stems = stems
        self.qterms = [[stems[w] for w in ws if stems[w]] for ws in self.qwords]
        self.v_turn = embed_cached("turn", c.texts)
        self.v_q = embed_cached("question", [q.text for q in c.questions])
        self.v_ctx1 = embed_cached("ctx1", context_texts(c, 1, with_self=True))
        self.v_ctx2 = embed_cached("ctx2", context_texts(c, 2, with_self=True))
        prev = context_texts(c, 0, with_self=True)
        self.v_prev = embed_cached("prev", [
            (c.texts[i - 1] + " " if i and c.conv[i - 1] == c.conv[i] else "") + prev[i]
            for i in range(len(prev))
        ])
        self.conv_arr = np.asarray(c.conv)
        self.speakers = np.asarray(c.speakers)
        self._lex: dict = {}
        print(f"loaded in {time.perf_counter() - t0:.0f} s", file=sys.stderr)

    def lex(self, qi: int, bm: BM25 | None = None, qweights=None) -> np.ndarray:
        if bm is None and qweights is None:
            if qi not in self._lex:
                self._lex[qi] = self.bm25.scores(self.qterms[qi])
            return self._lex[qi]
        return (bm or self.bm25).scores(self.qterms[qi], qweights)

    def fused(self, qi: int, q: Question, idx: np.ndarray, *, lex: np.ndarray | None = None,
              cos: np.ndarray | None = None, sem: float = 0.1, speaker: float = 0.2,
              pool: int = 50, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """The product's search: BM25 top pool (scaled to best) + sem * cosine z; speaker bonus.
        Returns (candidates, their fused scores) sorted best first."""
        lex = self.lex(qi) if lex is None else lex
        cos = self.v_turn[idx] @ self.v_q[qi] if cos is None else cos  # over idx
        lexical = top(lex, idx, pool)
        lexical = lexical[lex[lexical] > 0]
        pos = {g: p for p, g in enumerate(idx)}
        sem_top = idx[np.argsort(-cos, kind="stable")[:pool]]
        cand = np.array(list(dict.fromkeys([*lexical.tolist(), *sem_top.tolist()])))
        best = lex[lexical].max() if len(lexical) else 0.0
        lexset = set(lexical.tolist())
        mean, std = cos.mean(), cos.std()
        cpos = np.array([pos[g] for g in cand])
        score = np.array([(lex[g] / best if g in lexset and best > 0 else 0.0) for g in cand])
        score = score + sem * (cos[cpos] - mean) / std
        named = named_speaker(q.text, set(self.speakers[idx].tolist()))
        if named is not None:
            score = score + speaker * (self.speakers[cand] == named)
        order = np.argsort(-score, kind="stable")
        return cand[order], score[order]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    lab = Lab()
    from bench.memory import explore_ideas

    for name, fn in {**explore_ideas.ideas(lab), **explore_ideas.adopted(lab),
                     **explore_ideas.round2(lab)}.items():
        if args.only and not any(o in name for o in args.only):
            continue
        t0 = time.perf_counter()
        print(line(name, lab.c, fn), f"({time.perf_counter() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
