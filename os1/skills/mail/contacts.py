"""Contacts learned from mail, for other skills (calendar invites, reminders, "email Amy").

Senders are counted when mail is listed, recipients when the user sends; people the user writes
to are "known" and are never sorted into Junk or Newsletters.
"""

from __future__ import annotations

from dataclasses import dataclass

from os1.skills.mail.store import MailStore
from os1.storage.base import Store


@dataclass(frozen=True)
class Contact:
    address: str
    name: str
    received: int  # messages from them
    sent: int  # messages the user sent them
    last_seen: str
    notes: str

    @property
    def known(self) -> bool:
        return self.sent > 0


async def lookup(store: Store, user: str, query: str = "", limit: int = 20) -> list[Contact]:
    """People whose name or address contains `query`, those the user writes to most first."""
    rows = await MailStore(store).contacts(user, query, limit)  # type: ignore[arg-type]
    return [Contact(**r) for r in rows]


async def note(store: Store, user: str, address: str, notes: str) -> bool:
    """Keep a relationship note ("Amy: sister, football on Saturdays")."""
    return await MailStore(store).set_contact_note(user, address, notes)  # type: ignore[arg-type]
