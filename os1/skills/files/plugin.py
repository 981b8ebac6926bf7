"""Tidying files as an OS1 plugin: its journal tables, four tools and the `os1 files` commands."""

from __future__ import annotations

from typing import Any

from os1.plugins import hookimpl


@hookimpl
def register_tools(register: Any) -> None:
    from os1.skills.files.tools import FILES_TOOLS

    for t in FILES_TOOLS:
        register(t)


@hookimpl
def register_commands(cli: Any) -> None:
    from os1.skills.files.cli import app

    cli.add_typer(app, name="files")


@hookimpl
def register_migrations(register: Any) -> None:
    from os1.skills.files.schema import MIGRATIONS

    for name, sql in MIGRATIONS:
        register(name, sql)
