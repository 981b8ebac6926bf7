"""Reading: what's new, one message, a search. Results are header lines and fenced quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from os1.errors import ToolError
from os1.skills.mail.imap import Fetched, Imap
from os1.skills.mail.parse import ParsedMail
from os1.skills.mail.repository import SeenMessage
from os1.skills.mail.rules import rule_category
from os1.skills.mail.service import MailService

FIRST_LOOK = 20  # on the very first check, the newest unread messages shown at most


@dataclass
class Listed:
    local_id: int
    folder: str
    item: Fetched
    category: str | None  # from the rules alone (fast); triage may refine it

    @property
    def mail(self) -> ParsedMail:
        return self.item.mail


async def _remember(svc: MailService, folder: str, uidvalidity: int, items: list[Fetched],
                    categories: list[str | None]) -> dict[int, int]:
    rows = [
        SeenMessage(f.uid, f.mail.key, f.mail.sender, f.mail.subject,
                    f.mail.date.isoformat() if f.mail.date else None, c,
                    " ".join(x.decode() for x in f.flags))
        for f, c in zip(items, categories, strict=True)
    ]
    return await svc.mail.remember(svc.user, svc.account.id, folder, uidvalidity, rows)


async def list_items(svc: MailService, imap: Imap, folder: str, uids: list[int]) -> list[Listed]:
    items = await imap.fetch_headers(folder, uids)
    rules = await svc.mail.rules(svc.user)
    known = await svc.mail.known_addresses(svc.user)
    cats = [rule_category(f.mail, rules, known, svc.account.address) for f in items]
    ids = await _remember(svc, folder, imap.uidvalidity, items, cats)
    return [Listed(ids[f.uid], folder, f, c) for f, c in zip(items, cats, strict=True)]


async def whats_new(svc: MailService, *, limit: int = 20, mark: bool = True) -> list[Listed]:
    """Messages that arrived in INBOX since the last check (the newest unread ones, the first time)."""
    async with svc.imap() as imap:
        uidvalidity = await imap.select("INBOX")
        state = await svc.mail.sync_state(svc.user, svc.account.id, "INBOX")
        if state is None or state[0] != uidvalidity:
            uids = (await imap.search(["UNSEEN"]))[-FIRST_LOOK:]
        else:
            uids = await imap.uids_after("INBOX", state[1])
        listed = await list_items(svc, imap, "INBOX", uids[-limit:])
        everything = await imap.search(["ALL"])
        if mark:
            last = max(everything, default=0)
            await svc.mail.set_sync_state(svc.user, svc.account.id, "INBOX", uidvalidity, last)
    senders = [(x.mail.sender, x.mail.sender_name) for x in listed if x.mail.sender]
    if senders:
        await svc.mail.note_contacts(svc.user, senders, sent=False)
    return listed


async def locate(svc: MailService, imap: Imap, local_id: int) -> tuple[str, Fetched]:
    """Where message #local_id is now (folder and headers), following it if it moved."""
    ref = await svc.mail.message_ref(svc.user, local_id)
    if ref is None:
        raise ToolError(f"There is no message #{local_id}.",
                        fix="Use a number from a list of new mail or a search.")
    folder = ref.folder
    current = await imap.select(folder)
    found = await imap.fetch_headers(folder, [ref.uid]) if current == ref.uidvalidity else []
    if not found or found[0].mail.key != ref.key:  # moved or renumbered since: look it up
        new_uid = await imap.find(folder, ref.key, ref.subject)
        found = await imap.fetch_headers(folder, [new_uid]) if new_uid else []
    if not found:
        raise ToolError(f"Message #{local_id} is no longer in {folder}.",
                        fix="Search for it again; it may have been moved.")
    return folder, found[0]


async def read(svc: MailService, local_id: int) -> tuple[ParsedMail, str]:
    async with svc.imap() as imap:
        folder, item = await locate(svc, imap, local_id)
        item.mail.text = await imap.fetch_text(folder, item)
    return item.mail, folder


_FIELD = re.compile(r'\b(from|subject|to):("[^"]+"|\S+)', re.I)


def criteria(query: str) -> list[object]:
    """'from:amy game' -> FROM amy TEXT game. Every word must match (IMAP ANDs criteria)."""
    out: list[object] = []
    for field, value in _FIELD.findall(query):
        out += [field.upper(), value.strip('"')]
    rest = _FIELD.sub(" ", query).split()
    for word in rest:
        out += ["TEXT", word]
    return out or ["ALL"]


async def search(svc: MailService, query: str, *, limit: int = 10) -> list[Listed]:
    """Server-side search in INBOX and the triage folders, newest first."""
    folders = ["INBOX", *dict.fromkeys(svc.account.folders.values())]
    found: list[Listed] = []
    async with svc.imap() as imap:
        for folder in folders:
            try:
                uids = await imap.search(criteria(query), folder)
            except ToolError:
                continue  # a triage folder that does not exist yet
            found += await list_items(svc, imap, folder, uids[-limit:])
    found.sort(key=lambda x: (x.mail.date.timestamp() if x.mail.date else 0), reverse=True)
    return found[:limit]
