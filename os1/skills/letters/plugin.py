"""Letters as an OS1 plugin: the tables, the `os1 letters` commands, the tools and the dialect
preference of the spelling check."""

from __future__ import annotations

from typing import Any

from os1.plugins import hookimpl


@hookimpl
def register_migrations(register: Any) -> None:
    from os1.skills.letters.schema import MIGRATIONS

    for name, sql in MIGRATIONS:
        register(name, sql)


@hookimpl
def register_preferences(register: Any) -> None:
    register("letters_dialect", "auto")  # the spelling dictionary: en_US, en_GB or auto (as written)


@hookimpl
def register_tools(register: Any) -> None:
    from os1.skills.letters.tools import (
        change_letter_book,
        make_letter_book,
        proofread_letter,
        send_book_to_publisher,
        write_letter,
    )

    register(proofread_letter)
    register(make_letter_book)
    register(change_letter_book)
    register(send_book_to_publisher)
    register(write_letter)


@hookimpl
def register_commands(cli: Any) -> None:
    from os1.skills.letters.cli import letters_app

    cli.add_typer(letters_app, name="letters")


@hookimpl
def register_planners(register: Any) -> None:
    from os1.skills.letters.publishers import plan_for

    register(plan_for)  # notices a publisher's answer to a book the user sent
