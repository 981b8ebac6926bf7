"""The user's mail account as other skills use it (the calendar mails invitations and replies,
and reads the calendar parts that arrive), through the `open_mailer` plugin hook: the mail skill
answers it, so no skill imports the mail skill's internals."""

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
