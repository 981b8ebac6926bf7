"""Learning from moves the user makes in another mail client: a message OS1 saw in one folder
that turns up in a triage folder (Important, Junk, ...) is the user's correction, learned like
`os1 mail correct`: journaled as the user's move (so triage's likeness learns from its subject)
and a rule for its sender. Moves OS1 made itself, and mail it never saw, teach nothing.

Each triage folder is read only past the last UID looked at (kept in mail_sync), so a check
costs one SEARCH per folder when nothing moved.
"""

from __future__ import annotations

from dataclasses import dataclass

from os1.errors import ToolError
from os1.skills.mail.service import MailService

FIRST_LOOK = 200  # the first time a folder is read: its newest messages at most


@dataclass(frozen=True)
class SeenMove:
    local_id: int
    src: str
    dst: str
    category: str
    sender: str


async def learn_outside_moves(svc: MailService) -> list[SeenMove]:
    """Record each message moved into a triage folder elsewhere since the last check."""
    learned: list[SeenMove] = []
    user, account = svc.user, svc.account
    async with svc.imap() as imap:
        for category, folder in account.folders.items():
            try:
                uidvalidity = await imap.select(folder)
            except ToolError:
                continue  # not created yet: nothing was moved there
            state = await svc.mail.sync_state(user, account.id, folder)
            if state is None or state[0] != uidvalidity:
                uids = (await imap.search(["ALL"], folder))[-FIRST_LOOK:]
            else:
                uids = await imap.uids_after(folder, state[1])
            for item in await imap.fetch_headers(folder, uids) if uids else []:
                known = await svc.mail.last_known(user, account.id, item.mail.key)
                if known is None:
                    continue  # never seen elsewhere (e.g. a server filter put it there)
                local_id, src, sender = known.local_id, known.folder, known.sender
                if src == folder or known.moved_to == folder:
                    continue  # where OS1 last saw or put it: no news
                await svc.mail.record_seen_move(user, account.id, item.mail.key, item.mail.subject,
                                                src, folder, uidvalidity, item.uid, category)
                if sender:
                    await svc.mail.add_rule(user, "from", sender, category)
                learned.append(SeenMove(local_id, src, folder, category, sender))
            if uids:
                await svc.mail.set_sync_state(user, account.id, folder, uidvalidity, max(uids))
            elif state is None or state[0] != uidvalidity:
                await svc.mail.set_sync_state(user, account.id, folder, uidvalidity, 0)
    return learned
