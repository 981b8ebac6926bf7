"""Contacts errors. They subclass ToolError, so a tool that raises one tells the model (and the
user) what went wrong and the turn goes on."""

from __future__ import annotations

from dataclasses import dataclass

from os1.errors import ToolError


class ContactsError(ToolError):
    code = "contacts_error"


class ContactsConflict(ContactsError):
    """A contact with that UID exists already; we stop rather than overwrite."""

    code = "contacts_conflict"


class ContactsUnavailable(ContactsError):
    code = "contacts_unavailable"


class StaleCopy(Exception):
    """The card changed since it was read (HTTP 412): reload and decide again."""


@dataclass(frozen=True)
class Stored:
    """One vCard as its address book holds it."""

    uid: str
    text: str
    etag: str
    href: str = ""
