"""What the tools and the CLI share: one user's account, its IMAP connection, the mail tables."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from os1.config import Settings
from os1.skills.mail.accounts import get_account, password
from os1.skills.mail.imap import Imap, open_imap
from os1.skills.mail.repository import Account, MailRepository
from os1.skills.mail.store import mail_repository
from os1.storage.base import Store


@dataclass
class MailService:
    settings: Settings
    mail: MailRepository
    user: str
    account: Account

    @classmethod
    async def open(cls, settings: Settings, store: Store, user: str,
                   name: str | None = None) -> MailService:
        mail = mail_repository(store)
        return cls(settings, mail, user, await get_account(mail, user, name))

    def password(self) -> str:
        return password(self.settings, self.account)

    @asynccontextmanager
    async def imap(self) -> AsyncIterator[Imap]:
        async with open_imap(self.account, self.password()) as imap:
            yield imap
