"""`os1 contacts …`: the address book the companion uses (local vCards, CardDAV when connected)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from os1.core.accounts import save_account
from os1.core.commands import with_store

console = Console(highlight=False)


def _with_store(ctx: typer.Context, fn: Callable[[Any, Any], Awaitable[None]]) -> None:
    """Run `fn(settings, store)` on the user's database (opened with every skill's tables)."""
    with_store(ctx, fn, console)


contacts_app = typer.Typer(help="Contacts: local vCards, and a CardDAV address book when connected.", no_args_is_help=True)


@contacts_app.command("list")
def contacts_list(ctx: typer.Context) -> None:
    """Everyone, merged from every address book and from mail (one entry per address)."""
    from os1.skills.contacts.service import people

    async def go(s: Any, store: Any) -> None:
        for p in await people(s, store, s.user):
            bday = f"  birthday {p.birthday:%d %b}" if p.birthday else ""
            known = "" if p.sources == ("contacts",) else f"  ({' + '.join(p.sources)})"
            console.print(f"{escape(p.name)}  {escape(', '.join(p.emails))}{bday}{known}")

    _with_store(ctx, go)


@contacts_app.command("add")
def contacts_add(
    ctx: typer.Context,
    name: str,
    email: list[str] = typer.Option([], "--email"),
    phone: list[str] = typer.Option([], "--phone"),
    birthday: str = typer.Option("", "--birthday", help="YYYY-MM-DD"),
) -> None:
    """Add a contact to the local address book (birthdays become reminders)."""
    from datetime import date as date_

    from os1.skills.contacts.backends import LocalContacts
    from os1.skills.contacts.vcard import build

    async def go(s: Any, store: Any) -> None:
        try:
            born = date_.fromisoformat(birthday) if birthday else None
        except ValueError:
            raise typer.BadParameter("--birthday must be YYYY-MM-DD") from None
        text, uid = build(name, email, phone, born)
        await LocalContacts(s.data_dir / "contacts" / s.user).create(uid, text)
        console.print(f"Added {escape(name)}.")

    _with_store(ctx, go)


@contacts_app.command("connect")
def contacts_connect(
    ctx: typer.Context,
    url: str = typer.Argument(..., help="CardDAV address book URL"),
    username: str = typer.Option(..., "--username"),
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True),
) -> None:
    """Use a CardDAV address book (checked now)."""
    from os1.skills.contacts.backends import CardDAVContacts

    async def go(s: Any, store: Any) -> None:
        await CardDAVContacts(url, username, password).all()
        await save_account(store, s.data_dir, s.user, "carddav", {"url": url, "username": username, "password": password})
        console.print(f"Connected to {escape(url)}.")

    _with_store(ctx, go)
