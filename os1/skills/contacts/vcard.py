"""vCards in and out, through vobject. Untrusted text is checked: a card needs a name, a
birthday must be a real date, and a file may not be huge."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

import vobject

from os1.skills.contacts.errors import ContactsError

MAX_VCF_BYTES = 256_000


class VCardError(ContactsError):
    code = "vcard_invalid"


@dataclass(frozen=True)
class Contact:
    uid: str
    name: str
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    birthday: date | None = None


def _birthday(text: str) -> date | None:
    t = text.strip().replace("-", "")
    if t.startswith("--"):  # --MMDD: no year (RFC 6350); keep the day, year unknown
        t = "1904" + t[2:]
    try:
        return date(int(t[0:4]), int(t[4:6]), int(t[6:8]))
    except (ValueError, IndexError):
        raise VCardError(f"The birthday '{text}' is not a date.", fix="Use YYYY-MM-DD.") from None


def parse(text: str) -> list[Contact]:
    if len(text.encode()) > MAX_VCF_BYTES:
        raise VCardError("The vCard data is too large.", fix="Split it into smaller files.")
    out = []
    try:
        cards = list(vobject.readComponents(text))
    except Exception as exc:  # vobject raises several unrelated types on junk
        raise VCardError(f"That is not valid vCard data: {exc}.", fix="Check the file.") from exc
    for card in cards:
        if card.name != "VCARD":
            continue
        name = str(card.fn.value) if hasattr(card, "fn") else ""
        if not name.strip():
            raise VCardError("A contact has no name (FN).", fix="Every vCard needs an FN line.")
        uid = str(card.uid.value) if hasattr(card, "uid") else ""
        emails = [str(e.value) for e in card.contents.get("email", [])]
        phones = [str(p.value) for p in card.contents.get("tel", [])]
        bday = _birthday(str(card.bday.value)) if hasattr(card, "bday") else None
        out.append(Contact(uid, name.strip(), emails, phones, bday))
    return out


def build(name: str, emails: list[str] = [], phones: list[str] = [],  # noqa: B006
          birthday: date | None = None, uid: str | None = None) -> tuple[str, str]:
    """A vCard 3.0 text and its UID."""
    card = vobject.vCard()
    uid = uid or f"{uuid.uuid4()}@os1"
    card.add("uid").value = uid
    card.add("fn").value = name
    parts = name.split(" ", 1)
    card.add("n").value = vobject.vcard.Name(family=parts[1] if len(parts) > 1 else "", given=parts[0])
    for e in emails:
        card.add("email").value = e
    for p in phones:
        card.add("tel").value = p
    if birthday:
        card.add("bday").value = birthday.isoformat()
    return card.serialize(), uid
