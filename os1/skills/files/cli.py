"""`os1 files …`: scan, plan, apply, undo, the history of tidy-ups (with progress bars), placing
one file, and the rules."""

from __future__ import annotations

import threading
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress

from os1.core.commands import with_store
from os1.skills.files import service
from os1.skills.files.journal import shown
from os1.skills.files.scan import Cancelled, scan

console = Console(highlight=False)
app = typer.Typer(help="Tidy folders: a plan you can read, applied safely, undone exactly.", no_args_is_help=True)


def _scanning(bar: Progress) -> Any:
    task = bar.add_task("Looking", total=None)
    return lambda n, path: bar.update(task, completed=n, description=f"Looked at {n:,} files")


def _stepping(bar: Progress, what: str) -> Any:
    task = bar.add_task(what, total=None)
    return lambda i, total: bar.update(task, completed=i, total=total)


@app.command("scan")
def scan_(folders: list[str] = typer.Argument(..., help="the folders to look at")) -> None:
    """What is in these folders (nothing is planned or moved)."""
    cancel = threading.Event()
    try:
        with Progress(console=console, transient=True) as bar:
            found = scan(service.folders_of(folders), progress=_scanning(bar), cancel=cancel)
    except KeyboardInterrupt:
        cancel.set()
        raise typer.Exit(130) from None
    except Cancelled:
        raise typer.Exit(130) from None
    kinds: dict[str, int] = {}
    for e in found.entries:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    console.print(f"{len(found.entries):,} files: " + ", ".join(f"{n:,} {k}" for k, n in sorted(kinds.items())))
    console.print(f"Left alone: {len(found.projects)} projects, {len(found.links)} symlinks, "
                  f"{found.ignored} hidden or ignored, {len(found.errors)} unreadable")
    for path, why in found.errors[:10]:
        console.print(f"  could not read {escape(shown(path))}: {escape(why)}")


@app.command()
def plan(ctx: typer.Context, folders: list[str] = typer.Argument(..., help="the folders to tidy"),
         into: str = typer.Option("", "--into", help="where the tidy folders go (default: the first folder)"),
         model: bool = typer.Option(False, "--model", help="let the model suggest places for the files no rule places")) -> None:
    """Make a plan and show it in words; nothing moves until `os1 files apply`."""

    async def go(s: Any, store: Any) -> None:
        llm = None
        if model:
            from os1.models.factory import create_llm

            llm = create_llm(s)
        try:
            with Progress(console=console, transient=True) as bar:
                _, text = await service.make_plan(s, store, s.user, folders, into=into, llm=llm,
                                                  progress=_scanning(bar))
        finally:
            if llm is not None:
                await llm.aclose()
        console.print(escape(text))

    with_store(ctx, go, console)


@app.command("apply")
def apply_(ctx: typer.Context, run: int = typer.Argument(None, help="the plan's number (default: the newest)")) -> None:
    """Carry out a plan; run it again to finish one that was interrupted."""

    async def go(s: Any, store: Any) -> None:
        with Progress(console=console, transient=True) as bar:
            rid, out = await service.apply(store, s.user, run, _stepping(bar, "Moving"))
        console.print(escape(f"Plan #{rid}: " + out.words("Moved")) + f" Undo with: os1 files undo {rid}")

    with_store(ctx, go, console)


@app.command()
def undo(ctx: typer.Context, run: int = typer.Argument(None, help="the plan's number (default: the newest)"),
         group: str = typer.Option("", "--group", help="only this group, e.g. invoices")) -> None:
    """Put the files of a plan (or of one of its groups) back where they were."""

    async def go(s: Any, store: Any) -> None:
        with Progress(console=console, transient=True) as bar:
            rid, out = await service.undo(store, s.user, run, group, _stepping(bar, "Putting back"))
        console.print(escape(f"Plan #{rid}: " + out.words("Put back")))

    with_store(ctx, go, console)


@app.command()
def history(ctx: typer.Context) -> None:
    """The tidy-ups so far, newest first."""

    async def go(s: Any, store: Any) -> None:
        for line in await service.history(store, s.user) or ["No tidy-ups yet."]:
            console.print(escape(line))

    with_store(ctx, go, console)


@app.command()
def where(ctx: typer.Context, words: str) -> None:
    """Where a tidy-up put a file: os1 files where lease."""

    async def go(s: Any, store: Any) -> None:
        found = await service.where(store, s.user, words)
        for old, new in found or [("", "")]:
            console.print(escape(f"{new}  (was {old})") if new else "No moved file has that name.")

    with_store(ctx, go, console)


@app.command()
def never(ctx: typer.Context, folder: str) -> None:
    """Never touch this folder in a tidy-up: os1 files never Music."""

    async def go(s: Any, store: Any) -> None:
        console.print(escape(await service.never(store, s.user, folder)))

    with_store(ctx, go, console)


@app.command("place")
def place_(ctx: typer.Context, file: str = typer.Argument(..., help="the file: its path, words of its name, its exact name (a rule for later plans too) or a pattern like *.pdf"),
           folder: str = typer.Argument(..., help="where it goes, inside the tidied folder: Documents/Housing"),
           run: int = typer.Option(None, "--plan", help="the plan's number (default: the newest)")) -> None:
    """Put a file of a plan (one held back, say) in a folder of your choosing; later plans do too."""

    async def go(s: Any, store: Any) -> None:
        _, text = await service.place(store, s.user, file, folder, run)
        console.print(escape(text))

    with_store(ctx, go, console)


@app.command("rules")
def rules_(ctx: typer.Context) -> None:
    """The rules you stated and the corrections learned from you, numbered."""

    async def go(s: Any, store: Any) -> None:
        for line in await service.rules(store, s.user) or ["No rules yet."]:
            console.print(escape(line))

    with_store(ctx, go, console)


@app.command("forget-rule")
def forget_rule(ctx: typer.Context, number: int = typer.Argument(..., help="its number in `os1 files rules`")) -> None:
    """Forget one rule: os1 files forget-rule 2."""

    async def go(s: Any, store: Any) -> None:
        console.print(escape(await service.forget_rule(store, s.user, number)))

    with_store(ctx, go, console)
