"""Mail as an OS1 plugin: its tables, five tools for the companion and the `os1 mail` commands."""

from __future__ import annotations

from typing import Any

from os1.plugins import hookimpl


@hookimpl
def register_tools(register: Any) -> None:
    from os1.skills.mail.tools import MAIL_TOOLS

    for t in MAIL_TOOLS:
        register(t)


@hookimpl
def register_commands(cli: Any) -> None:
    from os1.skills.mail.cli import app

    cli.add_typer(app, name="mail")


@hookimpl
def register_migrations(register: Any) -> None:
    from os1.skills.mail.schema import MIGRATIONS

    for name, sql in MIGRATIONS:
        register(name, sql)
