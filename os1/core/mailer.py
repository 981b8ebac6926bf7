"""The user's mail account as other skills use it (the calendar mails invitations and replies,
and reads the calendar parts that arrive), through the `open_mailer` plugin hook: the mail skill
answers it, so no skill imports the mail skill's internals."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from typing import Any, Protocol

from os1.plugins.manager import get_plugin_manager


class CalendarPart(Protocol):
    """The first calendar part of one inbox message."""

    @property
    def message_key(self) -> str: ...  # the message's stable key: seen once, never fetched again
    @property
    def sender(self) -> str: ...  # lower-case address
    @property
    def data(self) -> bytes: ...  # transfer-decoded, as the sender's calendar wrote it


class SentText(Protocol):
    """One message the user sent, their own words only (what they quoted left out)."""

    @property
    def key(self) -> str: ...  # the message's stable key
    @property
    def to(self) -> list[tuple[str, str]]: ...  # (name, address) of each recipient
    @property
    def date(self) -> datetime | None: ...
    @property
    def subject(self) -> str: ...
    @property
    def text(self) -> str: ...


class InboxHeader(Protocol):
    """Who wrote one inbox message, when, about what, and what it answers (nothing of its text)."""

    @property
    def key(self) -> str: ...  # the message's stable key
    @property
    def sender(self) -> str: ...  # lower-case address
    @property
    def sender_name(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def date(self) -> datetime | None: ...
    @property
    def answers(self) -> str: ...  # its In-Reply-To and References: the Message-IDs it replies to
    @property
    def bulk(self) -> bool: ...  # a newsletter or automatic mail: List-Id, List-Unsubscribe, Precedence, Auto-Submitted


class Mailer(Protocol):
    """The user's mail account as other skills see it."""

    @property
    def address(self) -> str: ...  # the user's own address
    @property
    def display_name(self) -> str: ...

    def compose(self, to: list[str], subject: str, body: str) -> EmailMessage: ...
    async def send(self, msg: EmailMessage) -> None: ...
    async def calendar_parts(self, skip: set[str], *, newest: int = 200,
                             max_bytes: int = 200_000) -> Sequence[CalendarPart]:
        """Calendar parts of the `newest` inbox messages, except messages whose key is in `skip`."""
        ...
    async def sent_texts(self, *, newest: int = 200) -> Sequence[SentText]:
        """The user's own words in the `newest` messages of their Sent folder."""
        ...
    async def inbox_headers(self, *, newest: int = 50) -> Sequence[InboxHeader]:
        """The headers of the `newest` inbox messages (a publisher's answer noticed)."""
        ...


async def open_mailer(settings: Any, store: Any, user: str) -> Mailer | None:
    """The user's mail account, or None when none is set up (or no mail skill is installed)."""
    found = get_plugin_manager().hook.open_mailer(settings=settings, store=store, user=user)
    return await found if inspect.isawaitable(found) else found  # type: ignore[no-any-return]
