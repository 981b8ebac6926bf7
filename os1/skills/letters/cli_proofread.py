"""`os1 letters proofread`: each suggested change shown as a diff, accepted or rejected one by
one; only the accepted ones are written."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from os1.language.proofreading import Change, apply, diff, shows_replacement
from os1.skills.letters.cli_common import _with_store, console
from os1.skills.letters.repository import LetterRepository

ANSWERS = "[y]es / [n]o / [a]dd to my words / [q]uit"


def _ask(text: str, change: Change, n: int, total: int) -> str:
    before, after = diff(text, change)
    console.print(f"\n({n}/{total}) {change.kind}: {escape(change.reason)}")
    console.print(f"[red]- {escape(before)}[/]")
    if shows_replacement(change):
        console.print(f"[green]+ {escape(after)}[/]")
    answer: str = typer.prompt(ANSWERS, default="n", show_default=False)
    return answer.strip().lower()[:1]


def proofread_cmd(ctx: typer.Context,
                  letter_id: int = typer.Argument(None, help="the letter's number"),
                  file: Path = typer.Option(None, "--file", help="proofread a text file instead (changed in place)"),
                  yes: bool = typer.Option(False, "--list", help="only list the changes, change nothing")) -> None:
    """Proofread a letter: each change is shown as a diff for you to accept or reject."""
    if (letter_id is None) == (file is None):
        raise typer.BadParameter("Give a letter's number or --file.")
    from os1.skills.letters.proofread import proofread  # its rules compile on import: only when used

    async def go(s: Any, store: Any) -> None:
        repo = LetterRepository(store)
        if file is not None:
            text, recipient = await asyncio.to_thread(file.read_text), ""
        else:
            letter = await repo.get(s.user, letter_id)
            text, recipient = letter.body, letter.recipient
        changes = await proofread(store, s.user, text, recipient)
        if not changes:
            console.print("No changes to suggest.")
            return
        if yes:
            for c in changes:
                console.print(f"{c.kind}: {escape(c.original)!r} → {escape(c.replacement)!r} ({escape(c.reason)})")
            return
        accepted, learned = [], []
        for n, change in enumerate(changes, 1):
            answer = _ask(text, change, n, len(changes))
            if answer == "q":
                break
            if answer == "y":
                accepted.append(change)
            elif answer == "a" and change.kind == "spelling":
                learned.append(change.original)
        if learned:
            await repo.add_words(s.user, learned)
        if not accepted:
            console.print("Nothing changed.")
            return
        new = apply(text, accepted)
        if file is not None:
            await asyncio.to_thread(file.write_text, new)
        else:
            await repo.update(s.user, letter_id, body=new)
        console.print(f"{len(accepted)} change(s) made, {len(changes) - len(accepted)} left as you wrote them.")

    _with_store(ctx, go)
