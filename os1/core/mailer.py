"""What one skill may ask of another through the plugin hooks, without importing it: mail that
other skills send (calendar invitations and replies) and read (calendar parts), and the people
the user knows. Whichever skill provides it (mail, contacts) answers the hook."""

from __future__ import annotations

import inspect
from email.message import EmailMessage
from typing import Any, Protocol

from os1.plugins.manager import get_plugin_manager


class Mailer(Protocol):
    """The user's mail account as other skills see it."""

    address: str  # the user's own address
    display_name: str

    def compose(self, to: list[str], subject: str, body: str) -> EmailMessage: ...
    async def send(self, msg: EmailMessage) -> None: ...
    async def calendar_parts(self, known: set[str], newest: int, max_bytes: int) -> list[tuple[str, str, bytes]]:
        """(message key, sender, decoded text/calendar part) of the newest `newest` inbox messages
        that carry one, except the messages in `known`."""
        ...


async def open_mailer(settings: Any, store: Any, user: str) -> Mailer | None:
    """The user's mail account, or None when none is set up (or no mail skill is installed)."""
    found = get_plugin_manager().hook.open_mailer(settings=settings, store=store, user=user)
    return await found if inspect.isawaitable(found) else found  # type: ignore[no-any-return]


async def known_people(store: Any, user: str) -> list[tuple[str, str]]:
    """(address, name) of everyone any skill knows of (mail's correspondents)."""
    out: list[tuple[str, str]] = []
    for answer in get_plugin_manager().hook.known_people(store=store, user=user):
        out += await answer if inspect.isawaitable(answer) else answer
    return out


async def find_people(settings: Any, store: Any, user: str, name: str) -> list[tuple[str, list[str]]]:
    """(name, addresses) of each person called `name` (the address book's answer)."""
    out: list[tuple[str, list[str]]] = []
    for answer in get_plugin_manager().hook.find_people(settings=settings, store=store, user=user, name=name):
        out += await answer if inspect.isawaitable(answer) else answer
    return out
