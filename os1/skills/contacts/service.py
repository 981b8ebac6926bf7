"""The user's contacts from every source, and their birthdays for the reminder planner."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

from os1.config import Settings
from os1.skills.calendar.errors import CalendarError
from os1.skills.calendar.prefs import get_prefs
from os1.skills.contacts.backends import CardDAVContacts, LocalContacts
from os1.skills.contacts.vcard import Contact, VCardError, parse
from os1.storage.sqlite import SqliteStore

log = logging.getLogger(__name__)


def sources(data_dir: Path, user: str, carddav: dict[str, Any] | None) -> list[Any]:
    out: list[Any] = [LocalContacts(data_dir / "contacts" / user)]
    if carddav:
        out.append(CardDAVContacts(carddav["url"], carddav.get("username", ""), carddav.get("password", "")))
    return out


def _merge(a: Contact, b: Contact) -> Contact:
    """One person known to two books: keep what either knows."""
    return Contact(
        a.uid or b.uid, a.name,
        a.emails + [e for e in b.emails if e not in a.emails],
        a.phones + [p for p in b.phones if p not in a.phones],
        a.birthday or b.birthday,
    )


async def all_contacts(data_dir: Path, user: str, carddav: dict[str, Any] | None) -> list[Contact]:
    """Merged by name (the same person in two books is one contact, with what both know)."""
    seen: dict[str, Contact] = {}
    for source in sources(data_dir, user, carddav):
        try:
            stored = await source.all()
        except CalendarError as exc:
            log.warning("contacts source skipped: %s", exc)
            continue
        for s in stored:
            try:
                cards = parse(s.text)
            except VCardError as exc:
                log.warning("skipping an unreadable contact: %s", exc)
                continue
            for c in cards:
                key = c.name.lower()
                seen[key] = _merge(seen[key], c) if key in seen else c
    return sorted(seen.values(), key=lambda c: c.name.lower())


async def birthdays_for(settings: Settings, store: SqliteStore, user: str) -> list[tuple[str, str, date]]:
    prefs = await get_prefs(store, user)
    return [
        (c.uid or c.name, c.name, c.birthday)
        for c in await all_contacts(settings.data_dir, user, prefs["carddav"])
        if c.birthday is not None
    ]
