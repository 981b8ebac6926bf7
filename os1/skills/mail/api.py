"""What other skills may use of mail (calendar invitations, contacts): the user's account as a
sender, the calendar parts of recent inbox messages, and the people learned from mail.

Everything else in the mail skill is its own business; other skills import only this module, so
the mail skill can change inside without breaking them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from os1.config import Settings
from os1.skills.mail.drafting import own_words
from os1.skills.mail.errors import NoAccountError
from os1.skills.mail.outgoing import SENT_FOLDER
from os1.skills.mail.repository import Contact
from os1.skills.mail.send import compose, deliver
from os1.skills.mail.service import MailService
from os1.skills.mail.store import mail_repository
from os1.storage.base import Store

__all__ = ["CalendarPart", "Contact", "InboxHeader", "Mailbox", "SentText", "has_account", "mailbox", "people"]

CALENDAR_TYPES = ("text/calendar", "application/ics")


@dataclass(frozen=True)
class CalendarPart:
    """The first calendar part of one inbox message."""

    message_key: str  # the message's stable key: seen once, never fetched again
    sender: str  # lower-case address
    data: bytes  # transfer-decoded, as the sender's calendar wrote it


@dataclass(frozen=True)
class SentText:
    """One message the user sent: to whom, when, and their own words (the quote left out)."""

    key: str
    to: list[tuple[str, str]]
    date: datetime | None
    subject: str
    text: str


@dataclass(frozen=True)
class InboxHeader:
    """Who wrote one inbox message, when, about what, and what it answers."""

    key: str
    sender: str  # lower-case address
    sender_name: str
    subject: str
    date: datetime | None
    answers: str  # In-Reply-To and References
    bulk: bool = False  # a newsletter or automatic mail (the headers rules.py sorts by)


class Mailbox:
    """The user's mail account, as another skill may use it."""

    def __init__(self, svc: MailService) -> None:
        self._svc = svc

    @property
    def address(self) -> str:
        return self._svc.account.address

    @property
    def display_name(self) -> str:
        return self._svc.account.display_name

    def compose(self, to: list[str], subject: str, body: str) -> EmailMessage:
        """A plain-text message from this account (the caller may add alternatives)."""
        return compose(self._svc.account, to, subject, body)

    async def send(self, msg: EmailMessage) -> None:
        """Deliver over the account's SMTP server (the caller has asked the user first)."""
        await deliver(self._svc.account, self._svc.password(), msg)

    async def calendar_parts(self, skip: set[str], *, newest: int = 200,
                             max_bytes: int = 200_000) -> list[CalendarPart]:
        """Calendar parts of the `newest` inbox messages, except messages whose key is in
        `skip` (read before): called every few minutes, so only new parts are fetched."""
        found: list[CalendarPart] = []
        async with self._svc.imap() as imap:
            uids = (await imap.search(["ALL"]))[-newest:]
            for item in await imap.fetch_headers("INBOX", uids):
                if item.mail.key in skip:
                    continue
                parts = [p for p in item.parts if p.ctype in CALENDAR_TYPES and p.size <= max_bytes]
                if parts:
                    data = await imap.fetch_part("INBOX", item, parts[0])
                    found.append(CalendarPart(item.mail.key, item.mail.sender.lower(), data))
        return found

    async def inbox_headers(self, *, newest: int = 50) -> list[InboxHeader]:
        """The headers of the `newest` inbox messages, newest last (their text is not fetched)."""
        async with self._svc.imap() as imap:
            uids = (await imap.search(["ALL"]))[-newest:]
            return [InboxHeader(x.mail.key, x.mail.sender.lower(), x.mail.sender_name, x.mail.subject,
                                x.mail.date, f"{x.mail.in_reply_to} {x.mail.references}".strip(),
                                x.mail.list_unsubscribe or bool(x.mail.list_id) or x.mail.bulk)
                    for x in await imap.fetch_headers("INBOX", uids)]

    async def sent_texts(self, *, newest: int = 200) -> list[SentText]:
        """The user's own words in the `newest` messages of their Sent folder (letters to import)."""
        out: list[SentText] = []
        async with self._svc.imap() as imap:
            try:
                uids = (await imap.search(["ALL"], SENT_FOLDER))[-newest:]
            except Exception:  # no Sent folder yet
                return []
            for item in await imap.fetch_headers(SENT_FOLDER, uids):
                text = own_words(await imap.fetch_text(SENT_FOLDER, item))
                out.append(SentText(item.mail.key, item.mail.to, item.mail.date, item.mail.subject, text))
        return out


async def has_account(store: Store, user: str) -> bool:
    """Whether the user has added a mail account."""
    return bool(await mail_repository(store).accounts(user))


async def mailbox(settings: Settings, store: Store, user: str) -> Mailbox | None:
    """The user's (first) mail account, or None when none is set up."""
    try:
        return Mailbox(await MailService.open(settings, store, user))
    except NoAccountError:
        return None


async def people(store: Store, user: str, query: str = "", limit: int = 20) -> list[Contact]:
    """People learned from mail whose name or address contains `query`, those the user writes
    to most first (`Contact.known`: the user has written to them)."""
    return await mail_repository(store).contacts(user, query, limit)
