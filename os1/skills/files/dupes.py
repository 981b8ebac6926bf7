"""Exact duplicates, found cheaply: only files of the same size are compared, then by a hash of
their ends, and only those still alike are read whole (blake2b). Which copy is kept: one already
in the user's own order, else the oldest, else the one with the shortest path."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from os1.skills.files.fsops import full_hash
from os1.skills.files.scan import Entry


def _split(entries: list[Entry], key: Callable[[Entry], str]) -> list[list[Entry]]:
    out: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        try:
            out[key(e)].append(e)
        except OSError:
            continue  # unreadable now: not a duplicate we can prove
    return [g for g in out.values() if len(g) > 1]


def duplicate_sets(entries: list[Entry]) -> list[list[Entry]]:
    """Sets of two or more files with the same bytes (empty files are never duplicates)."""
    by_size: dict[int, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.size > 0:
            by_size[e.size].append(e)
    out: list[list[Entry]] = []
    for same_size in by_size.values():
        if len(same_size) < 2:
            continue
        for same_ends in _split(same_size, lambda e: e.quick_hash()):
            out.extend(_split(same_ends, lambda e: full_hash(e.path)))
    return out


def keeper(copies: list[Entry], placed: Callable[[Entry], bool]) -> Entry:
    """The copy that stays."""
    return min(copies, key=lambda e: (not placed(e), e.mtime_ns, len(e.path), e.path))
