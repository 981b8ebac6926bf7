"""Contacts learned from mail, for other skills (calendar invites, reminders, "email Amy").

Senders are counted when mail is listed, recipients when the user sends; people the user writes
to are "known" and are never sorted into Junk or Newsletters.
"""

from __future__ import annotations

from os1.skills.mail.repository import Contact
from os1.skills.mail.store import mail_repository
from os1.storage.base import Store

__all__ = ["Contact", "lookup", "note"]


async def lookup(store: Store, user: str, query: str = "", limit: int = 20) -> list[Contact]:
    """People whose name or address contains `query`, those the user writes to most first."""
    return await mail_repository(store).contacts(user, query, limit)


async def note(store: Store, user: str, address: str, notes: str) -> bool:
    """Keep a relationship note ("Amy: sister, football on Saturdays")."""
    return await mail_repository(store).set_contact_note(user, address, notes)
