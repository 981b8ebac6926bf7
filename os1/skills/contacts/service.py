"""The user's contacts from every source, and their birthdays for the reminder planner."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from os1.config import Settings
from os1.core.accounts import account
from os1.core.people import known_people
from os1.skills.contacts.backends import CardDAVContacts, LocalContacts
from os1.skills.contacts.errors import ContactsError
from os1.skills.contacts.vcard import Contact, VCardError, parse

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
        except ContactsError as exc:
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


async def birthdays_for(settings: Settings, store: Any, user: str) -> list[tuple[str, str, date]]:
    """(key, name, birthday), one per person: cards of one name are merged already, and a card
    that shares an address with one before it (the same person under another name in another
    book, as mail knows them too) is that person again, not a second birthday to announce."""
    carddav = await account(store, settings.data_dir, user, "carddav")
    out: list[tuple[str, str, date]] = []
    known: set[str] = set()
    for c in await all_contacts(settings.data_dir, user, carddav):
        if c.birthday is None:
            continue
        emails = {e.strip().lower() for e in c.emails if e.strip()}
        if not emails & known:
            out.append((c.uid or c.name, c.name, c.birthday))
        known |= emails
    return out


@dataclass(frozen=True)
class Person:
    """Someone the user knows, from the address book, from mail, or both (one per address)."""

    name: str
    emails: tuple[str, ...]
    birthday: date | None = None
    sources: tuple[str, ...] = ("contacts",)


async def people(settings: Settings, store: Any, user: str) -> list[Person]:
    """Address-book contacts and people known only from mail, merged by email address."""
    carddav = await account(store, settings.data_dir, user, "carddav")
    out: list[Person] = []
    by_email: dict[str, int] = {}
    for c in await all_contacts(settings.data_dir, user, carddav):
        emails = tuple(dict.fromkeys(e.strip().lower() for e in c.emails if e.strip()))
        i = next((by_email[e] for e in emails if e in by_email), None)
        if i is None:
            out.append(Person(c.name, emails, c.birthday))
            i = len(out) - 1
        else:  # the same address in two cards: one person
            p = out[i]
            out[i] = Person(p.name, tuple(dict.fromkeys(p.emails + emails)), p.birthday or c.birthday, p.sources)
        for e in emails:
            by_email[e] = i
    for address, known_name in await known_people(store, user):
        addr = address.strip().lower()
        if not addr:
            continue
        if addr in by_email:
            p = out[by_email[addr]]
            if "mail" not in p.sources:
                out[by_email[addr]] = Person(p.name, p.emails, p.birthday, p.sources + ("mail",))
            continue
        name = known_name.strip() or addr.split("@")[0]
        out.append(Person(name, (addr,), None, ("mail",)))
        by_email[addr] = len(out) - 1
    return out


def _tokens(text: str) -> list[str]:
    return re.findall(r"[\w.+-]+", text.lower())


def match(candidates: list[Person], query: str) -> list[Person]:
    """Who `query` ("Amy", "amy smith", "amy@x.org") means: full name or address first, then
    people whose name starts with those words, then any name word or address that matches."""
    raw = query.strip().lower()
    if "@" in raw:
        return [p for p in candidates if raw in p.emails]
    q = " ".join(_tokens(query))
    if not q:
        return []
    exact = [p for p in candidates if " ".join(_tokens(p.name)) == q]
    if exact:
        return exact
    start = [p for p in candidates if " ".join(_tokens(p.name)).startswith(q + " ")]
    if start:
        return start
    words = set(q.split())
    return [p for p in candidates
            if words <= set(_tokens(p.name)) or any(e.split("@")[0] == q for e in p.emails)]


async def find_person(settings: Settings, store: Any, user: str, query: str) -> list[Person]:
    """The people `query` may mean, from every source (a list: more than one means "which?")."""
    return match(await people(settings, store, user), query)
