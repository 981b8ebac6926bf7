"""What the user's own changes after a run teach the next plan.

A file OS1 moved that is back at its old place was put back by the user: it is kept there from
now on (a `keep` rule). A folder of the plan that is gone while its files sit in a sibling
folder was renamed: later plans use the new name (a `rename` rule). Rules the user states
("never touch Music") are `never` rules. All are rows in files_rules, read by plan.UserRules.
"""

from __future__ import annotations

import asyncio
import os

from os1.skills.files.journal import Journal, Op


def _renamed_to(dst: str, size: int) -> str | None:
    """The sibling folder of dst's folder that now holds dst's file (same name and size)."""
    folder = os.path.dirname(dst)
    parent, name = os.path.dirname(folder), os.path.basename(dst)
    if os.path.isdir(folder) or not os.path.isdir(parent):
        return None
    try:
        siblings = [e.path for e in os.scandir(parent) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return None
    for sib in siblings:
        cand = os.path.join(sib, name)
        try:
            if os.lstat(cand).st_size == size:
                return sib
        except OSError:
            continue
    return None


def _seen(op: Op) -> tuple[str, str | None]:
    """What became of a moved file: ("back", None), ("renamed", new folder) or ("", None)."""
    if os.path.lexists(op.dst):
        return "", None
    try:
        if os.lstat(op.src).st_size == op.size:
            return "back", None
    except OSError:
        pass
    new = _renamed_to(op.dst, op.size)
    return ("renamed", new) if new else ("", None)


async def learn(journal: Journal) -> list[str]:
    """Turn the user's corrections since the last runs into rules; their words, for the plan."""
    learned: list[str] = []
    for run in await journal.runs(10):
        if run.state != "applied":
            continue
        for op in await journal.ops(run.id, ("done",)):
            if op.action != "move":
                continue
            what, new = await asyncio.to_thread(_seen, op)
            root = next((r for r in run.roots if op.src.startswith(r + os.sep)), run.target)
            if what == "back":
                rel = os.path.relpath(op.src, root).replace(os.sep, "/")
                await journal.add_rule("keep", rel, source="learned")
                await journal.mark(op, "undone", note="you put it back")
                learned.append(f"{os.path.basename(op.src)} stays where you put it back")
            elif what == "renamed" and new:
                old_rel = os.path.relpath(os.path.dirname(op.dst), run.target).replace(os.sep, "/")
                new_rel = os.path.relpath(new, run.target).replace(os.sep, "/")
                await journal.add_rule("rename", old_rel, new_rel, source="learned")
                await journal.mark(op, "done", dst=os.path.join(new, os.path.basename(op.dst)))
                if f"{old_rel} is now {new_rel}" not in learned:
                    learned.append(f"{old_rel} is now {new_rel}")
    return learned
