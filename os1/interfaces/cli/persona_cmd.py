"""`os1 persona`: who the companion became in the interview (name, personality, voice, how it
talks, its example exchanges), and the user's say over it: choose again, or change one part."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from os1.core.commands import CommandFailed, with_store
from os1.core.identity import Identity, change_identity, current_identity, describe
from os1.core.interview import choose_again
from os1.models.factory import create_llm
from os1.plugins import hookimpl

if TYPE_CHECKING:
    from os1.config import Settings
    from os1.storage.sqlite import SqliteStore

console = Console(highlight=False)
persona_app = typer.Typer(help="Who the companion is: show it, have it choose again, or change one part.",
                          no_args_is_help=True)
NO_PERSONA = "There is no persona yet: run 'os1' once and answer the interview."


def show_identity(identity: Identity, tts_voice: str = "") -> None:
    rows = describe(identity, tts_voice)
    console.print(Panel("\n".join(f"[bold]{label}:[/] {escape(text)}" for label, text in rows),
                        title=escape(identity.name), expand=False))


@persona_app.command("show")
def show(ctx: typer.Context) -> None:
    """Show the companion's name, personality, voice, how it talks and its example exchanges."""

    async def go(settings: Settings, store: SqliteStore) -> tuple[Identity | None, str]:
        profile = await store.profile(settings.user)
        return await current_identity(store, settings.user), str(profile.get("tts_voice", ""))

    identity, tts_voice = with_store(ctx, go, console)
    if identity is None:
        console.print(NO_PERSONA)
        raise CommandFailed()
    show_identity(identity, tts_voice)


@persona_app.command("redo")
def redo(ctx: typer.Context) -> None:
    """Let the companion choose again (a new name and voice card) from your interview answers."""

    async def go(settings: Settings, store: SqliteStore) -> Identity | None:
        llm = create_llm(settings)
        try:
            return await choose_again(llm, store, settings.user)
        finally:
            await llm.aclose()

    console.print("Choosing again (a minute on a small model)…")
    identity = with_store(ctx, go, console)
    if identity is None:
        console.print(NO_PERSONA)
        raise CommandFailed()
    console.print(escape(identity.intro))
    show_identity(identity)


@persona_app.command("change")
def change(
    ctx: typer.Context,
    request: str = typer.Argument(..., help="What to change, in your words, e.g. \"be more playful\"."),
) -> None:
    """Change one part of the companion's personality or way of talking; its name stays."""

    async def go(settings: Settings, store: SqliteStore) -> tuple[bool, Identity | None]:
        if await current_identity(store, settings.user) is None:
            return False, None
        llm = create_llm(settings)
        try:
            return True, await change_identity(llm, store, settings.user, request)
        finally:
            await llm.aclose()

    found, identity = with_store(ctx, go, console)
    if not found:
        console.print(NO_PERSONA)
        raise CommandFailed()
    if identity is None:
        console.print("[yellow]The model could not put that change into words; nothing was changed.[/]")
        raise CommandFailed()
    show_identity(identity)


@hookimpl
def register_commands(cli: typer.Typer) -> None:
    cli.add_typer(persona_app, name="persona")
