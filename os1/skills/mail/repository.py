"""What mail keeps between runs, as one contract any database can implement.

Accounts, how far each folder was read, the messages shown to the model (their numbers stay
stable), the journal of moves (so a sort can resume and be undone), the user's sorting rules and
the people learned from mail. Every method takes the user: one user never sees another's rows.
The SQLite implementation is `os1.skills.mail.store.MailStore`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

CATEGORIES = ("important", "needs_reply", "keep", "newsletters", "junk")
DEFAULT_FOLDERS = {
    "important": "Important",
    "needs_reply": "Needs reply",
    "keep": "Keep",
    "newsletters": "Newsletters",
    "junk": "Junk",
}
MOVE_STATES = ("planned", "done", "undone", "gone")
SEEN_BATCH = "seen-"  # batches of moves the user made elsewhere, which OS1 only learned from


@dataclass
class Account:
    id: int
    user: str
    name: str
    address: str
    display_name: str
    imap_host: str
    imap_port: int
    imap_tls: str  # ssl | starttls | none
    smtp_host: str
    smtp_port: int
    smtp_tls: str
    username: str
    secret: bytes = field(repr=False)  # Fernet token; see os1/core/vault.py
    folders: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_FOLDERS))

    def folder(self, category: str) -> str:
        return self.folders.get(category, DEFAULT_FOLDERS[category])


@dataclass(frozen=True)
class SeenMessage:
    """Headers of a message shown to the model, cached so its number can find it again."""

    uid: int
    key: str
    sender: str
    subject: str
    date: str | None = None
    category: str | None = None
    flags: str = ""


@dataclass(frozen=True)
class MessageRef:
    """Where message #id was last seen."""

    account_id: int
    folder: str
    uidvalidity: int
    uid: int
    key: str
    subject: str


@dataclass(frozen=True)
class KnownMessage:
    """A message seen before: its number, folder and sender, and where the newest journaled
    move took it (None if never moved)."""

    local_id: int
    folder: str
    sender: str
    moved_to: str | None


@dataclass(frozen=True)
class PlannedMove:
    """A decision to move a message, written before the server is touched."""

    key: str
    subject: str
    src_folder: str
    uidvalidity: int
    uid: int
    dst_folder: str
    category: str
    reason: str = ""


@dataclass
class Move:
    id: int
    batch: str
    message_key: str
    subject: str
    src_folder: str
    src_uidvalidity: int
    src_uid: int
    dst_folder: str
    dst_uid: int | None
    category: str
    reason: str
    state: str


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


class MailRepository(Protocol):
    # -- accounts
    async def save_account(self, a: Account, *, replace: bool = False) -> int: ...

    async def accounts(self, user: str) -> list[Account]: ...

    async def set_folders(self, user: str, account_id: int, folders: dict[str, str]) -> None: ...

    async def remove_account(self, user: str, name: str) -> bool: ...

    # -- how far each folder was read: (uidvalidity, last uid)
    async def sync_state(self, user: str, account_id: int, folder: str) -> tuple[int, int] | None: ...

    async def set_sync_state(
        self, user: str, account_id: int, folder: str, uidvalidity: int, last_uid: int
    ) -> None: ...

    # -- messages shown to the model
    async def remember(
        self, user: str, account_id: int, folder: str, uidvalidity: int, items: list[SeenMessage]
    ) -> dict[int, int]:
        """uid -> the message's number (stable across calls)."""
        ...

    async def message_ref(self, user: str, local_id: int) -> MessageRef | None: ...

    async def relocate(
        self, user: str, account_id: int, key: str, folder: str, uidvalidity: int, uid: int | None
    ) -> None:
        """After a move, the number keeps pointing at the message in its new place."""
        ...

    async def last_known(self, user: str, account_id: int, key: str) -> KnownMessage | None: ...

    # -- the journal of moves
    async def plan_moves(self, user: str, account_id: int, batch: str, plans: list[PlannedMove]) -> None: ...

    async def moves(
        self, user: str, account_id: int, *, batch: str | None = None, states: tuple[str, ...] = MOVE_STATES
    ) -> list[Move]: ...

    async def set_move_state(self, user: str, move_id: int, state: str, dst_uid: int | None = None) -> None: ...

    async def record_seen_move(
        self, user: str, account_id: int, key: str, subject: str, src: str, dst: str,
        uidvalidity: int, uid: int, category: str,
    ) -> None:
        """A move the user made in another mail client: done, reason 'user', never undone."""
        ...

    async def corrections(self, user: str, limit: int = 200) -> list[tuple[str, str]]:
        """(subject, category) of the user's own moves, newest first."""
        ...

    async def keys_with_moves(self, user: str, account_id: int) -> set[str]: ...

    async def last_batch(self, user: str, account_id: int) -> str | None:
        """The newest batch OS1 moved (not the moves it only saw the user make)."""
        ...

    # -- rules: (field, lower-case pattern, category)
    async def add_rule(self, user: str, field_: str, pattern: str, category: str) -> None: ...

    async def rules(self, user: str) -> list[tuple[str, str, str]]: ...

    # -- people learned from mail
    async def note_contacts(self, user: str, seen: list[tuple[str, str]], *, sent: bool) -> None:
        """Count (address, name) pairs seen as senders (sent=False) or as the user's recipients."""
        ...

    async def contacts(self, user: str, query: str = "", limit: int = 50) -> list[Contact]: ...

    async def known_addresses(self, user: str) -> set[str]:
        """Addresses the user has written to."""
        ...

    async def set_contact_note(self, user: str, address: str, notes: str) -> bool: ...
