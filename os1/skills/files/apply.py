"""Applying a plan and undoing it, one journaled operation at a time.

Each operation is marked `started` (with its final destination and the folders it will create)
before the file is touched and `done` after, each mark committed. A run interrupted anywhere —
`kill -9` included — is finished by running it again: a `started` operation is settled first
(fsops.settle completes or rolls back the half-made move), so no file is duplicated or lost.
Undo is the same walk backwards, and only puts back files that are still exactly as moved.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from os1.skills.files.fsops import Stamp, free_name, missing_dirs, move, settle, unchanged
from os1.skills.files.journal import Journal, Op, shown

Progress = Callable[[int, int], None]


@dataclass
class Outcome:
    done: int = 0
    skipped: list[str] = field(default_factory=list)  # words: "lease.pdf: changed since the plan"

    def words(self, verb: str) -> str:
        text = f"{verb} {self.done:,} file{'s' if self.done != 1 else ''}."
        if self.skipped:
            text += f" Left alone {len(self.skipped):,}: " + "; ".join(self.skipped[:5])
            text += ", …" if len(self.skipped) > 5 else ""
        return text


def _stamp(op: Op) -> Stamp:
    return Stamp(op.size, op.mtime_ns, op.qhash)


def _place(src: str, dst: str, made: list[str]) -> None:
    for d in made:
        os.makedirs(d, exist_ok=True)
    move(src, dst)


def _unmake(made: list[str]) -> None:
    """Remove the folders a run created (given outermost first), deepest first, if empty again."""
    for d in reversed(made):
        try:
            os.rmdir(d)
        except OSError:
            continue  # still holds something: a file not put back, or one of the user's


async def apply_run(journal: Journal, run_id: int, progress: Progress | None = None) -> Outcome:
    """Carry out (or finish) run `run_id`'s planned operations."""
    out = Outcome()
    await journal.set_run_state(run_id, "applying")
    ops = await journal.ops(run_id, ("planned", "started"))
    for i, op in enumerate(ops):
        await _apply_one(journal, op, out)
        if progress:
            progress(i + 1, len(ops))
    await journal.set_run_state(run_id, "applied")
    return out


async def _apply_one(journal: Journal, op: Op, out: Outcome) -> None:
    name = shown(os.path.basename(op.src))
    if op.state == "started":
        state = await asyncio.to_thread(settle, op.src, op.dst)
        if state == "done":
            await journal.mark(op, "done")
            out.done += 1
            return
        if state == "missing":
            await journal.mark(op, "failed", note="it was gone")
            out.skipped.append(f"{name}: it was gone")
            return
    if not await asyncio.to_thread(unchanged, op.src, _stamp(op)):
        why = "changed since the plan" if os.path.lexists(op.src) else "gone since the plan"
        await journal.mark(op, "skipped", note=why)
        out.skipped.append(f"{name}: {why}")
        return
    for _ in range(100):  # a clash is only a race with someone else: take the next free name
        dst = free_name(op.dst)
        made = op.made_dirs + [d for d in missing_dirs(dst) if d not in op.made_dirs]
        await journal.mark(op, "started", dst=dst, made_dirs=made)
        try:
            await asyncio.to_thread(_place, op.src, dst, made)
        except FileExistsError:
            continue
        except OSError as exc:
            await journal.mark(op, "failed", note=exc.strerror or str(exc))
            out.skipped.append(f"{name}: {exc.strerror or exc}")
            return
        await journal.mark(op, "done")
        out.done += 1
        return


async def undo_run(journal: Journal, run_id: int, group: str = "", progress: Progress | None = None) -> Outcome:
    """Put back what run `run_id` moved (only `group`'s files if given), newest first; a file
    changed since it was moved, or whose old place is taken, stays where it is."""
    out = Outcome()
    if await journal.ops(run_id, ("started",)):
        await apply_run(journal, run_id)  # settle an interrupted apply first
    ops = list(reversed(await journal.ops(run_id, ("done", "undoing"), group)))
    for i, op in enumerate(ops):
        await _undo_one(journal, op, out)
        if progress:
            progress(i + 1, len(ops))
    made = {d for op in await journal.ops(run_id, ("undone",)) for d in op.made_dirs}
    await asyncio.to_thread(_unmake, sorted(made, key=lambda d: (d.count(os.sep), d)))
    if not await journal.ops(run_id, ("done", "undoing")):
        await journal.set_run_state(run_id, "undone")
    return out


async def _undo_one(journal: Journal, op: Op, out: Outcome) -> None:
    name = shown(os.path.basename(op.src))
    if op.state == "undoing":
        state = await asyncio.to_thread(settle, op.dst, op.src)
        if state == "done":
            await asyncio.to_thread(_unmake, op.made_dirs)
            await journal.mark(op, "undone")
            out.done += 1
            return
        if state == "missing":
            await journal.mark(op, "failed", note="it was gone")
            out.skipped.append(f"{name}: it was gone")
            return
    if not await asyncio.to_thread(unchanged, op.dst, _stamp(op)):
        why = "changed since it was moved" if os.path.lexists(op.dst) else "no longer where I put it"
        await journal.mark(op, "done", note=why)
        out.skipped.append(f"{name}: {why}")
        return
    if os.path.lexists(op.src):
        await journal.mark(op, "done", note="its old place is taken")
        out.skipped.append(f"{name}: its old place is taken")
        return
    await journal.mark(op, "undoing")
    try:
        await asyncio.to_thread(_back, op)
    except OSError as exc:
        await journal.mark(op, "done", note=exc.strerror or str(exc))
        out.skipped.append(f"{name}: {exc.strerror or exc}")
        return
    await journal.mark(op, "undone")
    out.done += 1


def _back(op: Op) -> None:
    os.makedirs(os.path.dirname(op.src), exist_ok=True)
    move(op.dst, op.src)
    _unmake(op.made_dirs)
