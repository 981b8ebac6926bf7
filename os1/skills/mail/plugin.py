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


@hookimpl
async def open_mailer(settings: Any, store: Any, user: str) -> Any:
    """The user's mail account as other skills use it (calendar invitations), or None."""
    from os1.skills.mail.api import mailbox

    return await mailbox(settings, store, user)


@hookimpl
async def known_people(store: Any, user: str) -> list[tuple[str, str]]:
    """(address, name) of everyone mail has seen, for the contacts skill."""
    from os1.skills.mail.api import people

    return [(c.address, c.name) for c in await people(store, user, "", 2000)]
