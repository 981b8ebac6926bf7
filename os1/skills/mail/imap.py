"""IMAP through imapclient, one connection per task, every blocking call in a worker thread.

Only headers, BODYSTRUCTURE and the text parts (capped) are fetched: an attachment of any size
is never downloaded. Moves use MOVE, or COPY + UID EXPUNGE (UIDPLUS) where MOVE is missing;
nothing here ever deletes a message that is not safely copied first.
"""

from __future__ import annotations

import asyncio
import imaplib
import socket
import ssl
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from os1.skills.mail.errors import MailAuthError, MailConnectionError, MailError, MailTLSError
from os1.skills.mail.htmltext import html_to_text
from os1.skills.mail.parse import (
    MAX_TEXT_CHARS,
    ParsedMail,
    PartInfo,
    decode_charset,
    decode_transfer,
    parse_headers,
    walk_structure,
)
from os1.skills.mail.repository import Account

T = TypeVar("T")
TIMEOUT_S = 20.0
TEXT_PART_CAP = 256_000  # bytes of one text part fetched at most
HEADER_FIELDS = (b"BODY.PEEK[HEADER]", b"BODYSTRUCTURE", b"FLAGS", b"RFC822.SIZE")


@dataclass
class Fetched:
    uid: int
    mail: ParsedMail
    parts: list[PartInfo]
    flags: tuple[bytes, ...]
    size: int

    @property
    def seen(self) -> bool:
        return b"\\Seen" in self.flags


def _where(account: Account) -> str:
    return f"{account.imap_host}:{account.imap_port}"


def map_error(exc: BaseException, where: str) -> MailError:
    """Library and socket errors to our clear ones (never echoing credentials)."""
    if isinstance(exc, MailError):
        return exc
    if isinstance(exc, LoginError):
        return MailAuthError(f"The mail server {where} refused the user name or password.",
                             fix="Check them (many providers need an app password), then add the account again.")
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return MailTLSError(f"TLS with {where} failed: {exc}.",
                            fix="Check the port and the TLS mode (ssl, starttls or none).")
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return MailConnectionError(f"The mail server {where} did not answer in time.",
                                   fix="Check the host and port, and your network.")
    if isinstance(exc, (ConnectionError, OSError, imaplib.IMAP4.abort)):
        return MailConnectionError(f"Lost or could not open the connection to {where}: {exc}.",
                                   fix="Check the host and port; the operation can be run again safely.")
    if isinstance(exc, (IMAPClientError, imaplib.IMAP4.error)):
        return MailError(f"The mail server {where} refused a command: {exc}.")
    return MailError(f"Mail operation with {where} failed: {type(exc).__name__}: {exc}.")


class Imap:
    """An open, logged-in connection. Use `async with open_imap(...)`."""

    def __init__(self, account: Account, client: IMAPClient) -> None:
        self.account = account
        self.c = client
        self.caps = {c.upper() for c in client.capabilities()}
        self.selected: str | None = None
        self.uidvalidity = 0

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        try:
            return await asyncio.to_thread(fn, *args)
        except Exception as exc:
            raise map_error(exc, _where(self.account)) from exc

    # -- blocking helpers (run through call) ------------------------------------------------
    def _select(self, folder: str, readonly: bool = True) -> int:
        info = self.c.select_folder(folder, readonly=readonly)
        self.selected = folder
        self.uidvalidity = int(info[b"UIDVALIDITY"])
        return self.uidvalidity

    async def select(self, folder: str, *, readonly: bool = True) -> int:
        """Open a folder; returns its UIDVALIDITY (UIDs are only meaningful with it)."""
        return await self.call(self._select, folder, readonly)

    async def search(self, criteria: Any, folder: str = "INBOX") -> list[int]:
        await self.select(folder)
        text = " ".join(str(c) for c in criteria) if isinstance(criteria, list) else str(criteria)
        charset = None if text.isascii() else "UTF-8"
        return sorted(await self.call(self.c.search, criteria, charset))

    async def uids_after(self, folder: str, last_uid: int) -> list[int]:
        await self.select(folder)
        found = await self.call(self.c.search, ["UID", f"{last_uid + 1}:*"])
        return sorted(u for u in found if u > last_uid)  # "n:*" always matches the last one

    def _fetch_headers(self, uids: list[int]) -> list[Fetched]:
        out: list[Fetched] = []
        data = self.c.fetch(uids, list(HEADER_FIELDS))
        for uid in uids:
            d = data.get(uid)
            if not d:
                continue  # expunged meanwhile
            size = int(d.get(b"RFC822.SIZE", 0))
            mail = parse_headers(d.get(b"BODY[HEADER]", b""), size=size)
            try:
                parts = walk_structure(d.get(b"BODYSTRUCTURE"))
            except Exception:
                parts = []
                mail.defects += 1
            mail.attachments = [(p.filename, p.ctype, p.size) for p in parts if _is_attachment(p)]
            out.append(Fetched(uid, mail, parts, tuple(d.get(b"FLAGS", ())), size))
        return out

    async def fetch_headers(self, folder: str, uids: list[int]) -> list[Fetched]:
        if not uids:
            return []
        await self.select(folder)
        return await self.call(self._fetch_headers, uids)

    def _fetch_text(self, item: Fetched, cap: int) -> str:
        texts = [p for p in item.parts if not _is_attachment(p) and p.ctype in ("text/plain", "text/html")]
        plain = [p for p in texts if p.ctype == "text/plain"]
        chosen = plain or texts
        if not chosen:  # no usable structure: the start of the raw body, capped
            data = self.c.fetch([item.uid], [f"BODY.PEEK[TEXT]<0.{cap}>"]).get(item.uid, {})
            raw = next((v for k, v in data.items() if k.startswith(b"BODY[TEXT]")), b"") or b""
            return decode_charset(raw, "utf-8")
        keys = [f"BODY.PEEK[{p.number}]<0.{cap}>" for p in chosen]
        data = self.c.fetch([item.uid], keys).get(item.uid, {})
        out = []
        for p in chosen:
            raw = next((v for k, v in data.items() if k.startswith(f"BODY[{p.number}]".encode())), b"")
            text = decode_charset(decode_transfer(raw or b"", p.encoding), p.charset)
            out.append(html_to_text(text) if p.ctype == "text/html" else text)
        return "\n\n".join(t.strip() for t in out if t.strip())

    async def fetch_text(self, folder: str, item: Fetched, cap: int = TEXT_PART_CAP) -> str:
        """The readable text of one message (attachments are never fetched)."""
        await self.select(folder)
        text = await self.call(self._fetch_text, item, cap)
        return text[:MAX_TEXT_CHARS]

    def _fetch_part(self, item: Fetched, part: PartInfo) -> bytes:
        data = self.c.fetch([item.uid], [f"BODY.PEEK[{part.number}]"]).get(item.uid, {})
        raw = next((v for k, v in data.items() if k.startswith(f"BODY[{part.number}]".encode())), b"")
        return decode_transfer(raw or b"", part.encoding)

    async def fetch_part(self, folder: str, item: Fetched, part: PartInfo) -> bytes:
        """One MIME part of a message, transfer-decoded (e.g. a text/calendar invitation)."""
        await self.select(folder)
        return await self.call(self._fetch_part, item, part)

    async def read(self, folder: str, uid: int) -> Fetched | None:
        """Headers and text of one message, or None if it is no longer there."""
        got = await self.fetch_headers(folder, [uid])
        if not got:
            return None
        got[0].mail.text = await self.fetch_text(folder, got[0])
        return got[0]

    async def ensure_folder(self, name: str) -> None:
        def make() -> None:
            if not self.c.folder_exists(name):
                self.c.create_folder(name)
                try:
                    self.c.subscribe_folder(name)
                except Exception:
                    pass

        await self.call(make)

    def _find_key(self, folder: str, key: str, subject: str) -> int | None:
        self._select(folder)
        if not key.endswith("@no-message-id>"):
            found = self.c.search(["HEADER", "Message-ID", key])
            return max(found) if found else None
        # No Message-ID: the candidates without one (and with the subject), each checked against
        # the fingerprint, so twins with the same or an empty subject are told apart.
        criteria: list[Any] = ["NOT", "HEADER", "Message-ID", ""]
        if subject:
            criteria += ["HEADER", "Subject", subject]
        found = sorted(self.c.search(criteria), reverse=True)
        for start in range(0, len(found), 200):
            for item in self._fetch_headers(found[start:start + 200]):
                if item.mail.key == key:
                    return item.uid
        return None

    async def find(self, folder: str, key: str, subject: str = "") -> int | None:
        """The UID of a message in a folder by its Message-ID (or subject when it has none)."""
        return await self.call(self._find_key, folder, key, subject)

    def _move(self, src: str, uids: list[int], dst: str) -> None:
        self._select(src, readonly=False)
        if b"MOVE" in self.caps:
            self.c.move(uids, dst)
        else:  # copy first, then remove only those very UIDs (UIDPLUS), never a blind expunge
            self.c.copy(uids, dst)
            self.c.add_flags(uids, [b"\\Deleted"])
            if b"UIDPLUS" in self.caps:
                self.c.uid_expunge(uids)
            else:  # a plain EXPUNGE would also remove what the user marked deleted elsewhere:
                others = set(self.c.search(["DELETED"])) - set(uids)  # spare those meanwhile
                if others:
                    self.c.remove_flags(sorted(others), [b"\\Deleted"])
                try:
                    self.c.expunge()
                finally:
                    if others:
                        self.c.add_flags(sorted(others), [b"\\Deleted"])

    async def move(self, src: str, uids: list[int], dst: str) -> None:
        if uids:
            await self.call(self._move, src, uids, dst)

    async def append(self, folder: str, raw: bytes, flags: tuple[bytes, ...] = ()) -> None:
        await self.ensure_folder(folder)
        await self.call(self.c.append, folder, raw, flags)

    async def logout(self) -> None:
        try:
            await asyncio.to_thread(self.c.logout)
        except Exception:
            pass


def _is_attachment(p: PartInfo) -> bool:
    return bool(p.filename) or not p.ctype.startswith("text/")


def _connect(account: Account, password: str, timeout: float) -> IMAPClient:
    context = ssl.create_default_context()
    client = IMAPClient(account.imap_host, port=account.imap_port, ssl=account.imap_tls == "ssl",
                        ssl_context=context, timeout=timeout)
    try:
        if account.imap_tls == "starttls":
            try:
                client.starttls(context)
            except (IMAPClientError, imaplib.IMAP4.error) as exc:  # e.g. not offered
                raise ssl.SSLError(f"STARTTLS was refused: {exc}") from exc
        client.login(account.username, password)
    except BaseException:
        try:
            client.shutdown()
        except Exception:
            pass
        raise
    return client


@asynccontextmanager
async def open_imap(account: Account, password: str, *, timeout: float = TIMEOUT_S) -> AsyncIterator[Imap]:
    try:
        client = await asyncio.to_thread(_connect, account, password, timeout)
    except Exception as exc:
        raise map_error(exc, _where(account)) from exc
    imap = Imap(account, client)
    try:
        yield imap
    finally:
        await imap.logout()
