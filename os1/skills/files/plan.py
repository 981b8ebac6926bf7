"""A plan: the operations a tidy would do, grouped, with the words a person reviews before
saying yes. Building it is pure and deterministic (rules, the user's rules, duplicates, and any
places the model suggested for files no rule could place); nothing on disk changes."""

from __future__ import annotations

import fnmatch
import os
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pathspec

from os1.skills.files.dupes import duplicate_sets, keeper
from os1.skills.files.journal import Rule, shown
from os1.skills.files.rules import Placement, already_placed, place
from os1.skills.files.scan import Entry, Scan

SAMPLES = 3


@dataclass
class Plan:
    target: str
    ops: list[dict[str, Any]] = field(default_factory=list)
    kept_in_place: int = 0

    def count(self, action: str) -> int:
        return sum(1 for o in self.ops if o["action"] == action)


class UserRules:
    """The user's rules: folders never touched, files kept where they are, plan folders renamed,
    files put in a folder of the user's choosing."""

    def __init__(self, rules: list[Rule]) -> None:
        never = [r.pattern for r in rules if r.kind == "never"]
        self.never = pathspec.GitIgnoreSpec.from_lines(never) if never else None
        self.keep = {r.pattern for r in rules if r.kind == "keep"}
        self.renames = {r.pattern: r.folder for r in rules if r.kind == "rename"}
        placing = [r for r in rules if r.kind == "place"]
        self.places = {r.pattern: r.folder for r in placing if not _glob(r.pattern)}
        self.patterns = [(r.pattern, r.folder) for r in placing if _glob(r.pattern)]

    def placed(self, name: str) -> Placement | None:
        """Where the user put a file of this exact name ("put lease.pdf in Documents/Housing"),
        else where they said files matching a pattern go ("*.pdf"); the newest pattern first."""
        if not self.places and not self.patterns:
            return None
        said = shown(name).lower()
        folder = self.places.get(said) or next(
            (f for p, f in reversed(self.patterns) if fnmatch.fnmatchcase(said, p)), None)
        return Placement(folder.rsplit("/", 1)[-1].lower(), folder, "where you put it") if folder else None

    def untouchable(self, rel: str) -> bool:
        rel = rel.replace(os.sep, "/")
        if rel in self.keep:
            return True
        return bool(self.never and self.never.match_file(rel))

    def folder(self, folder: str) -> str:
        """A planned folder, with any rename the user made of it applied (longest match first)."""
        for old in sorted(self.renames, key=len, reverse=True):
            if folder == old or folder.startswith(old + "/"):
                return self.renames[old] + folder[len(old):]
        return folder


def _glob(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")


def _op(e: Entry, action: str, group: str, dst: str, reason: str, kept: str | None = None) -> dict[str, Any]:
    return {"action": action, "group": group, "src": e.path, "dst": dst, "size": e.size,
            "mtime_ns": e.mtime_ns, "qhash": e.quick_hash() if action != "hold" else "",
            "reason": reason, "kept": kept}


def build(scan: Scan, target: str, trash: str, rules: list[Rule],
          suggested: dict[str, Placement] | None = None) -> Plan:
    """The plan for `scan`. `trash` is OS1's trash folder; `suggested` maps a path no rule placed
    to the model's proposal."""
    user = UserRules(rules)
    suggested = suggested or {}
    plan = Plan(target)
    claimed: set[str] = set()
    batch = uuid.uuid4().hex[:12]

    places = {e.path: place(e) for e in scan.entries}

    def placed(e: Entry) -> bool:
        p = places[e.path]
        return p is not None and already_placed(e.rel, p)

    movable = [e for e in scan.entries if not user.untouchable(e.rel)]
    plan.kept_in_place = len(scan.entries) - len(movable)
    extra: set[str] = set()
    for copies in duplicate_sets(movable):
        keep = keeper(copies, placed)
        for e in copies:
            if e is not keep:
                dst = os.path.join(trash, batch, str(len(plan.ops)), e.name)
                plan.ops.append(_op(e, "trash", "duplicates", dst, "an exact duplicate", keep.path))
                extra.add(e.path)
    for e in movable:
        if e.path in extra:
            continue
        p = user.placed(e.name) or places[e.path] or suggested.get(e.path)
        if p is None:
            plan.ops.append(_op(e, "hold", "unsure", e.path, "no rule is sure where it belongs"))
            continue
        folder = user.folder(p.folder)
        named = shown(e.name).lower() in user.places  # a file the user named: only that folder will do
        if (already_placed(e.rel, p) and not named) or user.untouchable(folder + "/" + e.name):
            plan.kept_in_place += 1
            continue
        if os.path.dirname(e.path) == os.path.join(target, folder):
            plan.kept_in_place += 1
            continue
        dst = _free(os.path.join(target, folder, e.name), claimed)
        plan.ops.append(_op(e, "move", p.group, dst, p.reason))
    return plan


def _free(dst: str, claimed: set[str]) -> str:
    """A destination no other planned file takes and nothing on disk has (for now: apply checks again)."""
    base, ext = os.path.splitext(dst)
    cand, n = dst, 2
    while cand in claimed or os.path.lexists(cand):
        cand, n = f"{base} ({n}){ext}", n + 1
    claimed.add(cand)
    return cand


def plural(n: int, word: str) -> str:
    return f"{n:,} {word if n != 1 else word.rstrip('s')}"


def _folders(target: str, dsts: list[str]) -> str:
    folders = sorted({os.path.relpath(os.path.dirname(d), target) for d in dsts})
    if len(folders) == 1:
        return shown(folders[0])
    common = os.path.commonpath(folders)
    return f"{shown(common)}/… ({len(folders)} folders)" if common else f"{len(folders)} folders"


def describe(run_id: int, scan: Scan, ops: list[dict[str, Any]], target: str, kept_in_place: int) -> str:
    """The plan in words a person can review, with a few examples of each group."""
    roots = ", ".join(shown(r) for r in scan.roots)
    lines = [f"Plan #{run_id} for {roots} ({plural(len(scan.entries), 'files')} looked at):"]
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for o in ops:
        groups[(o["action"], o["group"])].append(o)
    for (action, group), items in sorted(groups.items(), key=lambda kv: (kv[0][0] == "hold", -len(kv[1]))):
        names = ", ".join(shown(os.path.basename(o["src"])) for o in items[:SAMPLES])
        more = ", …" if len(items) > SAMPLES else ""
        if action == "move":
            lines.append(f"- move {plural(len(items), group)} into {_folders(target, [o['dst'] for o in items])}"
                         f" (e.g. {names}{more})")
        elif action == "trash":
            kept = "; ".join(f"{shown(os.path.basename(o['src']))} → kept {shown(os.path.relpath(o['kept'], target))}"
                             for o in items[:SAMPLES])
            lines.append(f"- put {plural(len(items), 'exact duplicates')} in OS1's trash (copies kept: {kept}{more})")
        else:
            lines.append(f"- held back for you: {plural(len(items), 'files')} I am unsure of (e.g. {names}{more})")
    if not ops:
        lines.append("- nothing to do: everything is where it belongs.")
    left = []
    if kept_in_place:
        left.append(f"{plural(kept_in_place, 'files')} already in place or yours to keep")
    if scan.projects:
        left.append(f"{plural(len(scan.projects), 'projects')} left whole")
    if scan.links:
        left.append(plural(len(scan.links), "symlinks"))
    if scan.ignored:
        left.append(f"{scan.ignored:,} hidden, system or ignored")
    if scan.errors:
        left.append(f"{plural(len(scan.errors), 'places')} I could not read ({shown(scan.errors[0][0])}: {scan.errors[0][1]})")
    if left:
        lines.append("Left alone: " + "; ".join(left) + ".")
    return "\n".join(lines)
