"""The mail account as other skills use it (os1.core.mailer.Mailer): the calendar mails its
invitations and replies and reads the calendar parts that arrive, through the same account and
SMTP path as the mail skill (never a second client); contacts learns the user's correspondents."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from os1.plugins import hookimpl
from os1.skills.mail.errors import NoAccountError
from os1.skills.mail.parse import decode_transfer
from os1.skills.mail.send import compose, deliver
from os1.skills.mail.service import MailService


@dataclass(frozen=True)
class CalendarPart:
    message_key: str
    sender: str
    data: bytes


class AccountMailer:
    def __init__(self, svc: MailService) -> None:
        self.svc = svc
        self.address = svc.account.address
        self.display_name = svc.account.display_name

    def compose(self, to: list[str], subject: str, body: str) -> EmailMessage:
        return compose(self.svc.account, to, subject, body)

    async def send(self, msg: EmailMessage) -> None:
        await deliver(self.svc.account, self.svc.password(), msg)

    async def calendar_parts(self, skip: set[str], *, newest: int = 200,
                             max_bytes: int = 200_000) -> list[CalendarPart]:
        found: list[CalendarPart] = []
        async with self.svc.imap() as imap:
            uids = (await imap.search(["ALL"]))[-newest:]
            items = await imap.fetch_headers("INBOX", uids)
            for item in items:
                if item.mail.key in skip:
                    continue
                parts = [p for p in item.parts if p.ctype in ("text/calendar", "application/ics")
                         and p.size <= max_bytes]
                for p in parts[:1]:
                    key = f"BODY[{p.number}]".encode()
                    data = await imap.call(imap.c.fetch, [item.uid], [f"BODY.PEEK[{p.number}]"])
                    raw = next((v for k, v in data.get(item.uid, {}).items() if k.startswith(key)), b"") or b""
                    found.append(CalendarPart(item.mail.key, item.mail.sender.lower(), decode_transfer(raw, p.encoding)))
        return found


@hookimpl
async def open_mailer(settings: Any, store: Any, user: str) -> AccountMailer | None:
    try:
        return AccountMailer(await MailService.open(settings, store, user))
    except NoAccountError:
        return None


@hookimpl
async def known_people(store: Any, user: str) -> list[tuple[str, str]]:
    from os1.skills.mail.contacts import lookup

    return [(c.address, c.name) for c in await lookup(store, user, "", limit=2000)]
