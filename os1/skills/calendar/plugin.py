"""The calendar as an OS1 plugin: its tools, the `os1 calendar` commands, its table of
invitations, its preferences, and what it has OS1 say first (meetings, the morning plan,
invitations)."""

from __future__ import annotations

from typing import Any

from os1.plugins import hookimpl


@hookimpl
def register_tools(register: Any) -> None:
    from os1.skills.calendar.tools import CALENDAR_TOOLS

    for t in CALENDAR_TOOLS:
        register(t)


@hookimpl
def register_commands(cli: Any) -> None:
    from os1.skills.calendar.cli import calendar_app

    cli.add_typer(calendar_app, name="calendar")


@hookimpl
def register_migrations(register: Any) -> None:
    from os1.skills.calendar.invitations import MIGRATIONS

    for name, sql in MIGRATIONS:
        register(name, sql)


@hookimpl
def register_preferences(register: Any) -> None:
    from os1.skills.calendar.prefs import DEFAULTS

    for key, default in DEFAULTS.items():
        register(key, default)


@hookimpl
def register_planners(register: Any) -> None:
    from os1.skills.calendar.planning import plan_for

    register(plan_for)
