"""A proofreading suggestion is a change: where, what kind, what to put instead and why.

Nothing is rewritten silently: the user sees each change as a small diff and accepts or rejects
it; `apply` makes only the accepted ones, from the end of the text so that earlier offsets stay
right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

KINDS = ("spelling", "doubled", "a_an", "homophone", "agreement", "punctuation", "capitals")


@dataclass(frozen=True)
class Change:
    start: int  # offsets into the text: text[start:end] is what would be replaced
    end: int
    kind: str  # one of KINDS
    original: str
    replacement: str  # '' with no suggestion (a spelling mistake the dictionary can't place)
    reason: str
    rule: str  # the named rule (or "dictionary") that found it

    def as_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "kind": self.kind, "original": self.original,
                "replacement": self.replacement, "reason": self.reason, "rule": self.rule}


def without_overlaps(changes: Iterable[Change]) -> list[Change]:
    """The changes in text order, keeping the first of any that overlap (rules run before the
    dictionary, so "their going" is one homophone change, not two)."""
    kept: list[Change] = []
    for change in sorted(changes, key=lambda c: c.start):
        if kept and change.start < kept[-1].end:
            continue
        kept.append(change)
    return kept


def apply(text: str, accepted: Iterable[Change]) -> str:
    """`text` with the accepted changes made (those without a replacement are skipped)."""
    out = text
    for change in sorted(without_overlaps(accepted), key=lambda c: c.start, reverse=True):
        if change.replacement or change.kind in ("doubled", "punctuation"):
            out = out[:change.start] + change.replacement + out[change.end:]
    return out


def diff(text: str, change: Change, context: int = 30) -> tuple[str, str]:
    """The change as two short lines, before and after, with some words of context."""
    left = text[max(0, change.start - context):change.start].split("\n")[-1]
    right = text[change.end:change.end + context].split("\n")[0]
    return f"…{left}[{change.original}]{right}…", f"…{left}[{change.replacement}]{right}…"
