"""People's own misspellings (Roger Mitton's corpora in shared/benchmarks/spelling/), read into
texts with their error spans. Used for measuring only; never shipped with the product.

Holbrook's passages are tokenised (" ." and " ,"): they are joined back into prose so that the
spacing rules don't fire on the corpus's own layout, and each tagged error keeps its span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bench.common import REPO


def spelling_dir() -> Path:
    """shared/benchmarks/spelling beside the repository (or beside the worktree's parent)."""
    for base in (REPO.parent, REPO.parent.parent):
        path = base / "shared" / "benchmarks" / "spelling"
        if path.is_dir():
            return path
    raise SystemExit("shared/benchmarks/spelling/ was not found beside the repository.")


@dataclass(frozen=True)
class Error:
    start: int
    end: int
    wrong: str
    target: str


@dataclass(frozen=True)
class Passage:
    text: str
    errors: list[Error]


_TAG = re.compile(r"<ERR targ=(?P<targ>[^>]*)>\s*(?P<wrong>.*?)\s*</ERR>")


def _join(text: str) -> str:
    text = re.sub(r" +([.,;:!?])", r"\1", text)
    text = re.sub(r"\s+'\s*(s|t|m|ll|re|ve|d)\b", r"'\1", text)
    return text


def holbrook(path: Path | None = None) -> list[Passage]:
    """Each line of Holbrook's passages as a text with its tagged errors (lines with none too)."""
    raw = (path or spelling_dir() / "holbrook-tagged.dat").read_text(encoding="latin-1")
    passages = []
    for line in raw.splitlines():
        line = line.strip()
        if not line or re.fullmatch(r"\d+\.|[A-Z .]+ page \d+", line):
            continue
        out, errors, pos = "", [], 0
        for m in _TAG.finditer(line):
            out += _join(line[pos:m.start()])
            if out and not out.endswith(" "):
                out += " "
            wrong = m.group("wrong")
            errors.append(Error(len(out), len(out) + len(wrong), wrong, m.group("targ").strip()))
            out += wrong
            pos = m.end()
        tail = _join(line[pos:])
        out += tail if tail[:1] in ".,;:!?" else (" " + tail.lstrip() if tail.strip() else "")
        passages.append(Passage(out, errors))
    return passages


def misspellings(name: str) -> list[tuple[str, str]]:
    """(misspelling, correct) from a list file: `$correct` then one misspelling per line."""
    pairs, correct = [], ""
    for line in (spelling_dir() / name).read_text(encoding="latin-1").splitlines():
        line = line.strip()
        if line.startswith("$"):
            correct = line[1:].replace("_", " ")
        elif line and correct:
            pairs.append((line.replace("_", " "), correct))
    return pairs
