"""Reminders as an OS1 plugin: the reminder tool and the `os1 reminders` commands. The schedule
itself (and the outbox it fires into) is the core's: planners of other skills use it too."""

from __future__ import annotations

from typing import Any

from os1.plugins import hookimpl


@hookimpl
def register_tools(register: Any) -> None:
    from os1.skills.reminders.tools import set_reminder

    register(set_reminder)


@hookimpl
def register_commands(cli: Any) -> None:
    from os1.skills.reminders.cli import reminders_app

    cli.add_typer(reminders_app, name="reminders")
