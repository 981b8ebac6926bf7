"""A plan and the history as data a page can lay out: groups with their counts, folders and
example files, the files held back, and what each run did. The words of the plan (plan.describe)
say the same in one paragraph; this is for a page that shows it grouped and lets the user undo
one group. Paths are shown relative to the run's target folder, as the user thinks of them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from os1.skills.files.journal import Journal, Op, Run, shown
from os1.skills.files.plan import plural

UNDOABLE = ("done",)


@dataclass
class Group:
    action: str  # move | trash
    name: str  # "invoices", "duplicates"
    count: int = 0
    folders: list[str] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)  # (from, to), at most `listed`
    states: dict[str, int] = field(default_factory=dict)

    @property
    def more(self) -> int:
        return self.count - len(self.files)

    @property
    def words(self) -> str:
        """"Move 14 invoices into Documents/Finance/Invoices", as the plan's words say it."""
        if self.action == "trash":
            return f"Put {plural(self.count, 'exact duplicates')} in OS1's trash"
        where = self.folders[0] if len(self.folders) == 1 else f"{len(self.folders)} folders"
        return f"Move {plural(self.count, self.name)} into {where}"


@dataclass
class PlanView:
    run: Run
    groups: list[Group]
    held: list[str]  # the files held back for the user (at most `listed`)
    held_count: int
    words: str  # the plan as it was said, without the command-line hint

    @property
    def to_move(self) -> int:
        return sum(g.states.get("planned", 0) + g.states.get("started", 0) for g in self.groups)

    @property
    def undoable(self) -> list[Group]:
        return [g for g in self.groups if g.states.get("done", 0)]


def _rel(path: str, base: str) -> str:
    try:
        rel = os.path.relpath(path, base)
    except ValueError:
        return shown(path)
    return shown(path if rel.startswith("..") else rel)


def _group(ops: list[Op], target: str, root: str, listed: int) -> Group:
    g = Group(ops[0].action, ops[0].group, len(ops))
    g.folders = sorted({_rel(os.path.dirname(o.dst), target) for o in ops if o.action == "move"})
    for o in ops[:listed]:
        to = _rel(o.dst, target) if o.action == "move" else f"OS1's trash (kept: {_rel(o.kept or '', root)})"
        g.files.append((_rel(o.src, root), to))
    for o in ops:
        g.states[o.state] = g.states.get(o.state, 0) + 1
    return g


def root_of(run: Run, path: str) -> str:
    """The named folder `path` was found under (the target when none matches)."""
    return next((r for r in run.roots if path.startswith(r + os.sep)), run.target)


async def plan_view(journal: Journal, run_id: int | None = None, listed: int = 3) -> PlanView | None:
    """A run's plan grouped as the words group it, each with up to `listed` files (from → to)."""
    run = await journal.run(run_id)
    if run is None:
        return None
    ops = await journal.ops(run.id)
    by_group: dict[tuple[str, str], list[Op]] = {}
    held: list[Op] = []
    for o in ops:
        if o.action == "hold":
            held.append(o)
        else:
            by_group.setdefault((o.action, o.group), []).append(o)
    root = run.roots[0] if run.roots else run.target
    groups = [_group(g, run.target, root, listed) for g in by_group.values()]
    groups.sort(key=lambda g: (g.action == "trash", -g.count, g.name))
    words = run.summary.split("\nNothing has moved yet.")[0].strip()
    return PlanView(run, groups, [_rel(o.src, root) for o in held[:listed]], len(held), words)


async def runs_view(journal: Journal, limit: int = 10, listed: int = 3) -> list[PlanView]:
    """The newest runs, each grouped, for the history."""
    out = []
    for run in await journal.runs(limit):
        view = await plan_view(journal, run.id, listed)
        if view is not None:
            out.append(view)
    return out


def counts(view: PlanView) -> dict[str, Any]:
    """How many files of a run are in each state, summed over its groups."""
    total: dict[str, int] = {}
    for g in view.groups:
        for state, n in g.states.items():
            total[state] = total.get(state, 0) + n
    return total
