"""`os1 memory show|edit|export`: the user sees and edits what the companion knows."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click
import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from os1.core.context import local_zone
from os1.errors import InputError, ToolError
from os1.memory import blocks
from os1.memory.index import Memory, MemoryIndex
from os1.models.embedder import MiniLMEmbedder
from os1.plugins import hookimpl

app = typer.Typer(help="See, edit and export what your companion remembers.", no_args_is_help=True)
if TYPE_CHECKING:
    from os1.config import Settings
    from os1.storage.sqlite import SqliteStore

console = Console(highlight=False)
T = TypeVar("T")


async def open_store(settings: Settings) -> SqliteStore:
    """The user's database with every registered table (imported late: a quick command stays quick)."""
    from os1.core.runtime import open_store as open_all

    return await open_all(settings)


def _settings(ctx: typer.Context) -> Settings:
    from os1.config import settings_from

    return settings_from(ctx)


@app.command()
def show(ctx: typer.Context) -> None:
    """Show the core memory blocks rendered into every conversation."""
    s = _settings(ctx)

    async def go() -> None:
        store = await open_store(s)
        try:
            found = await blocks.load_blocks(store, s.user)
            profile = await store.profile(s.user)
        finally:
            await store.close()
        name = profile.get("companion_name", "(not chosen yet: run 'os1')")
        console.print(f"Companion: [bold]{escape(str(name))}[/]   user: {escape(s.user)}")
        for b in found.values():
            title = f"{b.label}  {len(b.value)}/{b.limit} chars"
            console.print(Panel(escape(b.value or "(empty)"), title=title, subtitle=b.description))

    asyncio.run(go())


@app.command()
def edit(
    ctx: typer.Context,
    label: str = typer.Argument(..., help="Block to edit: persona or human."),
    text: str | None = typer.Option(None, "--text", help="New content; without it, opens $EDITOR."),
) -> None:
    """Edit a memory block (opens your editor unless --text is given)."""
    s = _settings(ctx)

    async def go() -> None:
        store = await open_store(s)
        try:
            found = await blocks.load_blocks(store, s.user)
            if label not in found:
                raise InputError(f"There is no block '{label}'.", fix=f"Use one of {sorted(found)}.")
            value = text
            if value is None:
                value = click.edit(found[label].value)
                if value is None:
                    console.print("No change.")
                    return
            try:
                saved = await blocks.set_value(store, s.user, label, value)
            except ToolError as exc:
                raise InputError(str(exc)) from exc
            console.print(f"Saved {label}: {len(saved.value)}/{saved.limit} characters.")
        finally:
            await store.close()

    asyncio.run(go())


@app.command()
def export(
    ctx: typer.Context,
    out: Path | None = typer.Option(None, "--out", help="Write to this file instead of stdout."),
) -> None:
    """Export everything stored about you as one JSON document."""
    s = _settings(ctx)

    async def go() -> dict:  # type: ignore[type-arg]
        store = await open_store(s)
        try:
            return await store.export_user(s.user)
        finally:
            await store.close()

    data = json.dumps(asyncio.run(go()), indent=2, ensure_ascii=False)
    if out:
        tmp = out.with_suffix(out.suffix + ".tmp")
        tmp.write_text(data, encoding="utf-8")
        tmp.replace(out)
        console.print(f"Exported to {out}.")
    else:
        typer.echo(data)


def _table(memories: list[Memory], *, scores: bool = False) -> Table:
    table = Table("id", "when", "who", "memory", "from", *(["found by"] if scores else []))
    for m in memories:
        sources = ", ".join(
            f"message {s['message']}" if isinstance(s, dict) and "message" in s
            else f"memory {s['memory']}" if isinstance(s, dict) and "memory" in s else str(s)
            for s in m.sources
        )
        content = m.content
        if m.valid_to is not None:
            content += f"  [until {m.valid_to:%Y-%m-%d}, replaced by {m.superseded_by}]"
        row = [str(m.id), m.happened_at.strftime("%Y-%m-%d %H:%M"), m.speaker or m.kind,
               escape(content), escape(sources)]
        if scores:
            row.append(", ".join(f"{k} #{v}" for k, v in m.why.items()))
        table.add_row(*row)
    return table


async def _with_index(s: Settings, fn: Callable[[MemoryIndex], Awaitable[T]]) -> T:
    store = await open_store(s)
    try:
        return await fn(MemoryIndex(store, MiniLMEmbedder()))
    finally:
        await store.close()


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A file written by 'os1 memory export'."),
    replace: bool = typer.Option(False, "--replace", help="Replace the data this user has now."),
) -> None:
    """Restore everything from an export (one transaction: a bad file changes nothing)."""
    from os1.storage import portable

    s = _settings(ctx)
    try:
        text = file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read {file}: {exc}.") from exc
    doc = portable.parse(text)

    async def go() -> dict:  # type: ignore[type-arg]
        store = await open_store(s)
        try:
            counts = await store.import_user(s.user, doc, replace=replace)
            await MemoryIndex(store, MiniLMEmbedder()).embed_pending()
            return counts
        finally:
            await store.close()

    counts = asyncio.run(go())
    console.print(
        f"Imported {counts['messages']} messages, {counts['memories']} memories and "
        f"{counts['blocks']} memory blocks for {escape(s.user)}."
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    limit: int = typer.Option(20, help="How many, newest first."),
    facts: bool = typer.Option(False, "--facts", help="Only facts, including those no longer true."),
) -> None:
    """List the newest long-term memories, with where each came from."""
    s = _settings(ctx)

    async def go(index: MemoryIndex) -> list[Memory]:
        if facts:
            return await index.facts(s.user, limit, current=False)
        return await index.recent(s.user, limit)

    memories = asyncio.run(_with_index(s, go))
    console.print(_table(memories) if memories else "No long-term memories yet.")


@app.command()
def search(ctx: typer.Context, query: str, k: int = typer.Option(10, help="How many results.")) -> None:
    """Search long-term memory the way the companion does (words and meaning)."""
    s = _settings(ctx)

    async def go(index: MemoryIndex) -> list[Memory]:
        await index.embed_pending()
        return await index.search(s.user, query, k=k, now=datetime.now(local_zone(s)))

    memories = asyncio.run(_with_index(s, go))
    console.print(_table(memories, scores=True) if memories else "Nothing found.")


@app.command()
def forget(
    ctx: typer.Context,
    ids: list[int] | None = typer.Argument(None, help="Memory ids (see 'os1 memory list' or 'search')."),
    about: str | None = typer.Option(
        None, "--about", help="Forget everything that mentions these words, and blank them in the log."
    ),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Forget memories for good: the text, its search entries and its vector."""
    s = _settings(ctx)
    if not ids and not about:
        raise InputError("Say what to forget.", fix="Give memory ids, or --about WORDS.")
    what = f"everything that mentions '{about}'" if about else f"{len(ids or [])} memories"
    if not yes and not typer.confirm(f"Forget {what} for good?", default=False):
        console.print("Nothing was forgotten.")
        raise typer.Exit(1)
    if about:
        gone = asyncio.run(_with_index(s, lambda index: index.forget_about(s.user, about)))
        console.print(f"Forgot {gone.memories} memories; blanked {gone.messages} messages in the log.")
        return
    n = asyncio.run(_with_index(s, lambda index: index.forget(s.user, ids or [])))
    console.print(f"Forgot {n} of {len(ids or [])}." + ("" if n == len(ids or []) else " (The others were not yours or did not exist.)"))


@hookimpl
def register_commands(cli: typer.Typer) -> None:
    cli.add_typer(app, name="memory")
