"""`os1 diary`: read the companion's private diary and how it feels now, or have it reflect now."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from os1.core import mood
from os1.core.context import local_zone
from os1.memory.index import MemoryIndex
from os1.memory.learning import Learner
from os1.memory.reflection import Reflector, read_diary
from os1.models.embedder import MiniLMEmbedder
from os1.models.factory import create_llm
from os1.plugins import hookimpl
from os1.storage.base import Store

if TYPE_CHECKING:
    from os1.config import Settings
    from os1.storage.sqlite import SqliteStore

console = Console(highlight=False)


async def open_store(settings: Settings) -> SqliteStore:
    """The user's database with every registered table (imported late: a quick command stays quick)."""
    from os1.core.runtime import open_store as open_all

    return await open_all(settings)


def diary(
    ctx: typer.Context,
    limit: int = typer.Option(10, help="How many entries, newest first."),
    reflect: bool = typer.Option(
        False, "--reflect", help="Catch up on facts and reflect now, if anything new happened."
    ),
) -> None:
    """Read the companion's diary: what it wrote after thinking about your conversations."""
    from os1.config import settings_from

    s = settings_from(ctx)
    zone = local_zone(s)

    async def catch_up(store: Store) -> None:
        llm = create_llm(s)
        try:
            index = MemoryIndex(store, MiniLMEmbedder())
            learner = Learner(index, llm, zone)
            console.print("Reading new messages for facts, then reflecting (a minute or two)…")
            facts = await learner.run(s.user)
            made = await Reflector(index, learner, llm, zone).maybe(s.user, force=True)
            console.print(f"{facts} new facts; " + ("a new diary entry." if made else "nothing new to reflect on."))
        finally:
            await llm.aclose()

    async def go() -> tuple[list, dict]:  # type: ignore[type-arg]
        store = await open_store(s)
        try:
            if reflect:
                await catch_up(store)
            return await read_diary(store, s.user, limit), await store.profile(s.user)
        finally:
            await store.close()

    entries, profile = asyncio.run(go())
    feeling, why = mood.current(profile, datetime.now(UTC), zone)
    console.print(f"[bold]Mood now:[/] {escape(feeling)}" + (f" [dim]({escape(why)})[/]" if why else ""))
    if not entries:
        console.print("The diary is empty: it is written after a few conversations (or run 'os1 diary --reflect').")
    for when, text, sources in entries:
        title = when.astimezone(zone).strftime("%A %d %B %Y, %H:%M")
        console.print(Panel(escape(text), title=title, subtitle=f"written from {len(sources)} memories"))


@hookimpl
def register_commands(cli: typer.Typer) -> None:
    cli.command("diary")(diary)
