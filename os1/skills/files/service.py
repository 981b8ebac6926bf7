"""The files skill's operations as the CLI and the tools use them: plan, apply, undo, history,
"where is…", and the user's rules. File work runs in threads; the journal is the database."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path
from typing import Any

from os1.errors import InputError
from os1.skills.files.apply import Outcome, Progress, apply_run, undo_run
from os1.skills.files.journal import Journal, Run, shown
from os1.skills.files.learn import learn
from os1.skills.files.plan import build, describe
from os1.skills.files.scan import Progress as ScanProgress
from os1.skills.files.scan import scan
from os1.skills.files.suggest import memory_text, suggest


def trash_dir(settings: Any) -> str:
    """OS1's own trash: files put there are only moved, so undo restores them exactly."""
    return os.path.join(os.fsdecode(Path(settings.data_dir)), "files-trash")


def folders_of(names: list[str]) -> list[str]:
    """The folders the user named, checked: real folders, never the whole disk."""
    out: list[str] = []
    for name in names:
        path = os.path.abspath(os.path.expanduser(name))
        if not os.path.isdir(path):
            raise InputError(f"There is no folder {shown(path)}.", fix="Name a folder that exists.")
        if path == os.path.abspath(os.sep):
            raise InputError("I do not tidy the whole disk.", fix="Name the folders to tidy, like ~/Downloads.")
        out.append(path)
    if not out:
        raise InputError("No folder was named.", fix="Name the folders to tidy, like ~/Downloads.")
    return out


async def make_plan(settings: Any, store: Any, user: str, names: list[str], *, into: str = "",
                    llm: Any = None, progress: ScanProgress | None = None,
                    cancel: threading.Event | None = None) -> tuple[int, str]:
    """Scan the folders and store a plan (nothing on disk changes): its number and its words."""
    roots = folders_of(names)
    target = folders_of([into])[0] if into else roots[0]
    journal = Journal(store, user)
    learned = await learn(journal)
    rules = await journal.rules()
    cancel = cancel or threading.Event()
    try:
        found = await asyncio.to_thread(scan, roots, progress=progress, cancel=cancel)
    except asyncio.CancelledError:
        cancel.set()  # Ctrl-C or a cancelled turn: the walk in its thread stops too
        raise
    suggested = {}
    if llm is not None:
        from os1.skills.files.rules import place

        unsure = [e for e in found.entries if place(e) is None]
        suggested = await suggest(llm, unsure, memory_text(await store.blocks(user)))
    plan = await asyncio.to_thread(build, found, target, trash_dir(settings), rules, suggested)
    run_id = await journal.new_run(roots, target, "", plan.ops)
    text = describe(run_id, found, plan.ops, target, plan.kept_in_place)
    if learned:
        text += "\nLearned from your changes: " + "; ".join(learned) + "."
    if plan.count("move") or plan.count("trash"):
        text += f"\nNothing has moved yet. Apply it with: os1 files apply {run_id}"
    await journal.set_summary(run_id, text)
    return run_id, text


async def plan_of(store: Any, user: str, run_id: int | None = None) -> Run | None:
    """A stored plan (the newest by default), with its words; None when there is none."""
    return await Journal(store, user).run(run_id)


async def _run(journal: Journal, run_id: int | None) -> Run:
    run = await journal.run(run_id)
    if run is None:
        raise InputError("There is no such tidy-up plan.", fix="Make one first: os1 files plan ~/Downloads")
    return run


async def apply(store: Any, user: str, run_id: int | None = None, progress: Progress | None = None) -> tuple[int, Outcome]:
    """Carry out a plan (the newest by default); a rerun finishes an interrupted one."""
    journal = Journal(store, user)
    run = await _run(journal, run_id)
    if run.state == "undone":
        raise InputError(f"Plan #{run.id} was undone.", fix="Make a new plan: os1 files plan")
    return run.id, await apply_run(journal, run.id, progress)


async def undo(store: Any, user: str, run_id: int | None = None, group: str = "",
               progress: Progress | None = None) -> tuple[int, Outcome]:
    """Put back a run's files, or one group's ("invoices")."""
    journal = Journal(store, user)
    run = await _run(journal, run_id)
    if group:
        groups = sorted({o.group for o in await journal.ops(run.id) if o.action != "hold"})
        said = group.strip().lower()
        named = [g for g in groups if said in (g.lower(), g.lower().rstrip("s"), g.lower() + "s")]
        if not named:
            raise InputError(f"Plan #{run.id} has no group {group!r}.", fix=f"Its groups: {', '.join(groups) or 'none'}.")
        group = named[0]
    return run.id, await undo_run(journal, run.id, group, progress)


async def history(store: Any, user: str, limit: int = 10) -> list[str]:
    """One line per run, newest first."""
    journal = Journal(store, user)
    lines = []
    for run in await journal.runs(limit):
        ops = await journal.ops(run.id)
        counts = {s: sum(1 for o in ops if o.state == s) for s in ("done", "undone", "skipped", "held")}
        said = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        lines.append(f"#{run.id} {run.created_at[:16].replace('T', ' ')} {run.state}: "
                     f"{', '.join(shown(r) for r in run.roots)} ({said or 'nothing to do'})")
    return lines


async def where(store: Any, user: str, words: str) -> list[tuple[str, str]]:
    """(old place, new place) of moved files whose names contain all of `words`."""
    wanted = [w for w in words.lower().split() if w not in {"the", "my", "a", "an"}]
    if not wanted:
        return []
    found = []
    for op in await Journal(store, user).done_ops():
        name = shown(os.path.basename(op.dst)).lower()
        if all(w in name for w in wanted):
            found.append((shown(op.src), shown(op.dst)))
    return found[:10]


async def never(store: Any, user: str, folder: str) -> str:
    """Remember a folder the tidy must never touch ("Music")."""
    pattern = folder.strip().strip("/")
    if not pattern:
        raise InputError("Which folder?", fix="Say the folder's name, like Music.")
    await Journal(store, user).add_rule("never", pattern + "/")
    return f"I will never touch {pattern}."


def allowed_folder(settings: Any, name: str) -> str:
    """A folder named on the web page, checked: inside the home folder or one of the settings'
    `files_folders` (a page can be reached from other machines, so it may not name /etc), there,
    and readable. A relative name is taken from the home folder, as "Downloads"."""
    home = os.path.realpath(os.path.expanduser("~"))
    name = name.strip()
    if not name:
        raise InputError("Name a folder to tidy.", fix="Like ~/Downloads.")
    path = os.path.realpath(os.path.join(home, os.path.expanduser(name)))
    allowed = [home] if home != os.path.abspath(os.sep) else []
    allowed += [os.path.realpath(p) for p in getattr(settings, "files_folders", [])]
    if not any(path == a or path.startswith(a.rstrip(os.sep) + os.sep) for a in allowed):
        raise InputError(f"{shown(path)} is outside your home folder.",
                         fix="Name a folder inside it, or add the folder to files_folders in the settings.")
    if not os.path.isdir(path):
        raise InputError(f"There is no folder {shown(path)}.", fix="Name a folder that exists.")
    if not os.access(path, os.R_OK | os.X_OK):
        raise InputError(f"I may not read {shown(path)}.", fix="Check the folder's permissions.")
    return path
