"""Music as an OS1 plugin: the two tools, the `os1 music` commands and the pieces table."""

from __future__ import annotations

from typing import Any

from os1.plugins import hookimpl


@hookimpl
def register_tools(register: Any) -> None:
    from os1.skills.music.tools import compose_music, vary_music

    register(compose_music)
    register(vary_music)


@hookimpl
def register_commands(cli: Any) -> None:
    from os1.skills.music.cli import music_app

    cli.add_typer(music_app, name="music")


@hookimpl
def register_migrations(register: Any) -> None:
    from os1.skills.music.schema import MIGRATIONS

    for name, sql in MIGRATIONS:
        register(name, sql)
