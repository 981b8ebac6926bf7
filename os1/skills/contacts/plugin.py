"""Contacts as an OS1 plugin: the `os1 contacts` commands, the CardDAV account preference, who
a name means (for the calendar's invitations) and birthdays for the timekeeper."""

from __future__ import annotations

from typing import Any

from os1.plugins import hookimpl


@hookimpl
def register_commands(cli: Any) -> None:
    from os1.skills.contacts.cli import contacts_app

    cli.add_typer(contacts_app, name="contacts")


@hookimpl
def register_preferences(register: Any) -> None:
    register("carddav", None)  # {"url", "username", "secret"}: the password sealed


@hookimpl
async def find_people(settings: Any, store: Any, user: str, name: str) -> list[tuple[str, list[str]]]:
    from os1.skills.contacts.service import find_person

    return [(p.name, list(p.emails)) for p in await find_person(settings, store, user, name)]


@hookimpl
def register_planners(register: Any) -> None:
    from os1.skills.contacts.birthdays import plan_for

    register(plan_for)
