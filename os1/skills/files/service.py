"""The files skill's operations as the CLI and the tools use them: plan, apply, undo, history,
"where is…", and the user's rules. File work runs in threads; the journal is the database."""

from __future__ import annotations

import asyncio
import os
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from os1.errors import InputError
from os1.skills.files.apply import Outcome, Progress, apply_run, undo_run
from os1.skills.files.fsops import stamp
from os1.skills.files.journal import Journal, Op, Rule, Run, shown
from os1.skills.files.learn import learn
from os1.skills.files.plan import build, describe
from os1.skills.files.rules import clean
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

        places = [(e, place(e)) for e in found.entries]
        used = Counter(p.folder for _, p in places if p is not None)
        unsure = [e for e, p in places if p is None]
        suggested = await suggest(llm, unsure, memory_text(await store.blocks(user)),
                                  [f for f, _ in used.most_common()])
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


def folder_in(target: str, folder: str) -> str:
    """The folder the user named, as a "/"-separated path inside `target` (a path may be given
    whole, if it lies inside; with no `target`, for a rule of every tidy-up, it may not): no
    `..`, each name cleaned as the rules clean a tag."""
    said = os.path.expanduser(folder.strip())
    if os.path.isabs(said) and not target:
        raise InputError(f"{said} is a whole path; a rule names a folder inside each tidied one.",
                         fix="Name it as inside the tidied folder, like Documents/Housing.")
    if os.path.isabs(said):
        rel = os.path.relpath(os.path.abspath(said), target)
        if rel == "." or rel.startswith(".."):
            raise InputError(f"{said} is not inside {shown(target)}, where this tidy-up puts folders.",
                             fix="Name a folder inside it, like Documents/Housing.")
        said = rel
    parts = [p.strip() for p in said.replace("\\", "/").split("/") if p.strip() not in ("", ".")]
    if not parts or ".." in parts:
        raise InputError("Which folder?", fix="Name a folder inside the tidied one, like Documents/Housing.")
    return "/".join(clean(p) for p in parts)


def _chosen(ops: list[Op], file: str) -> Op:
    """The one operation whose file the user means: its full path, or words of its name."""
    path = os.path.abspath(os.path.expanduser(file))
    exact = [o for o in ops if o.src == path]
    if exact:
        return exact[0]
    named = [o for o in ops if shown(os.path.basename(o.src)).lower() == file.strip().lower()]
    if len(named) == 1:  # "lease.pdf", even when "old lease.pdf" is in the plan too
        return named[0]
    wanted = [w for w in file.lower().split() if w not in {"the", "my", "a", "an"}]
    found = [o for o in ops if wanted and all(w in shown(os.path.basename(o.src)).lower() for w in wanted)]
    if not found:
        raise InputError(f"No file of the plan is called {file!r}.", fix="Give more of its name, or its path.")
    names = sorted({shown(os.path.basename(o.src)) for o in found})
    if len(found) > 1:
        raise InputError(f"{len(found)} files match {file!r}: {', '.join(names[:5])}.",
                         fix="Give more of the name, or the file's path.")
    return found[0]


async def place(store: Any, user: str, file: str, folder: str, run_id: int | None = None) -> tuple[int, str]:
    """Put one file of a plan (a held-back one, or a planned move) in the folder the user names:
    added to the plan, or moved at once, journaled and undoable, if the plan was applied. The
    next plans put a file of that name there too (a `place` rule). A file named exactly
    ("lease.pdf") or a pattern ("*.pdf") that the newest plan does not hold becomes a rule only,
    for every later plan (its number is then 0)."""
    journal = Journal(store, user)
    if run_id is None and await only_a_rule(store, user, file):
        return 0, await _name_rule(journal, file_name(file), folder)
    run = await _run(journal, run_id)
    if run.state in ("undone", "applying"):
        fix = "Make a new plan: os1 files plan" if run.state == "undone" else f"Finish it first: os1 files apply {run.id}"
        raise InputError(f"Plan #{run.id} is {run.state}.", fix=fix)
    ops = await journal.ops(run.id)
    op = _chosen([o for o in ops if o.action in ("hold", "move")], file)
    name = shown(os.path.basename(op.src))
    if op.state not in ("held", "planned"):
        where_now = shown(op.dst) if op.state == "done" else "where it was"
        raise InputError(f"{name} was already moved ({where_now}).",
                         fix=f"Put it back first (os1 files undo {run.id} --group {op.group}), or move it yourself.")
    rel = folder_in(run.target, folder)
    taken = {o.dst for o in ops if o.id != op.id and o.action != "hold"}
    dst = os.path.join(run.target, rel, os.path.basename(op.src))
    dst = await asyncio.to_thread(_free, dst, taken)
    try:
        now = await asyncio.to_thread(stamp, op.src)
    except OSError as exc:
        raise InputError(f"{name} is not there any more.", fix="Make a new plan.") from exc
    group = rel.rsplit("/", 1)[-1].lower()
    await journal.replan(op, group, dst, now.size, now.mtime_ns, now.qhash, "where you put it")
    await journal.drop_rule("place", name.lower())  # one folder per name: the newest word counts
    await journal.add_rule("place", name.lower(), rel, source="learned")
    words, sep, rest = run.summary.partition("\nNothing has moved yet.")
    await journal.set_summary(run.id, f"{words}\n- you put {name} into {rel}{sep}{rest}")
    if run.state == "applied":
        _, out = await apply(store, user, run.id)
        moved = f"Moved {name} into {rel}." if out.done else out.words("Moved")
        return run.id, f"{moved} Undo with: os1 files undo {run.id} --group {group}"
    return run.id, f"Plan #{run.id} now puts {name} into {rel}; files called {name} go there from now on."


def file_name(said: str) -> str:
    """The words as one file's exact name ("lease.pdf", "flat lease signed.txt") or a pattern
    of names ("*.pdf", "IMG_*"), lowercased; '' for words of a name ("the lease") or a path."""
    said = said.strip()
    if not said or "/" in said or os.sep in said:
        return ""
    ext = os.path.splitext(said)[1]
    pattern = any(c in said for c in "*?[")
    return said.lower() if pattern or (1 < len(ext) <= 6 and " " not in ext) else ""


async def only_a_rule(store: Any, user: str, file: str) -> bool:
    """Whether placing `file` only states a rule: an exact name or a pattern (file_name) that
    no file of the newest plan (held back or to move) is called."""
    name = file_name(file)
    if not name:
        return False
    journal = Journal(store, user)
    run = await journal.run(None)
    ops = await journal.ops(run.id) if run is not None else []
    return not any(shown(os.path.basename(o.src)).lower() == name for o in ops if o.action in ("hold", "move"))


async def _name_rule(journal: Journal, name: str, folder: str) -> str:
    """A rule the user states for a file by its exact name, or for a pattern of names, that no
    plan holds yet ("put lease.pdf in Documents/Housing"): every later plan follows it."""
    rel = folder_in("", folder)
    await journal.drop_rule("place", name)
    await journal.add_rule("place", name, rel)
    said = f"matching {name}" if any(c in name for c in "*?[") else f"called {name}"
    return f"Files {said} go into {rel} from now on: the next tidy-up puts them there."


def _free(dst: str, taken: set[str]) -> str:
    base, ext = os.path.splitext(dst)
    cand, n = dst, 2
    while cand in taken or os.path.lexists(cand):
        cand, n = f"{base} ({n}){ext}", n + 1
    return cand


def rule_words(rule: Rule) -> str:
    """A rule as the user would say it."""
    if rule.kind == "never":
        return f"never touch {rule.pattern.rstrip('/')}"
    if rule.kind == "keep":
        return f"leave {rule.pattern} where it is (you put it back)"
    if rule.kind == "rename":
        return f"{rule.pattern} is called {rule.folder}"
    said = "matching" if any(c in rule.pattern for c in "*?[") else "called"
    return f"put files {said} {rule.pattern} in {rule.folder}"


async def rules(store: Any, user: str) -> list[str]:
    """The stated rules and learned corrections, numbered as forget_rule takes them."""
    return [f"{n}. {rule_words(r)} ({'you said' if r.source == 'said' else 'learned'})"
            for n, r in enumerate(await Journal(store, user).rules(), 1)]


async def forget_rule(store: Any, user: str, number: int) -> str:
    """Remove rule `number` of the list `rules` shows."""
    journal = Journal(store, user)
    known = await journal.rules()
    if not 1 <= number <= len(known):
        raise InputError(f"There is no rule {number}.", fix="See them with: os1 files rules")
    await journal.forget_rule(known[number - 1].id)
    return f"Forgot: {rule_words(known[number - 1])}."
