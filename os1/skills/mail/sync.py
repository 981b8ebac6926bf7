"""Watching for new mail with IMAP IDLE (polling where the server has no IDLE), exposing a
"new mail" event with whether it matters, for the proactive channel of a later issue.

The IDLE connection lives in a worker thread and wakes at least every `wake_s` seconds, so
stopping is prompt and the event loop never blocks. A lost connection is retried with backoff.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from imapclient import IMAPClient

from os1.models.base import LLM
from os1.skills.mail import reader
from os1.skills.mail.errors import MailError
from os1.skills.mail.imap import _connect, map_error
from os1.skills.mail.outside import SeenMove, learn_outside_moves
from os1.skills.mail.parse import ParsedMail
from os1.skills.mail.service import MailService
from os1.skills.mail.triage import classify, folder_examples

log = logging.getLogger(__name__)
IMPORTANT = ("important", "needs_reply")


@dataclass(frozen=True)
class NewMailEvent:
    """One new message. `important` is what a proactive companion would announce."""

    account: str
    local_id: int
    mail: ParsedMail
    category: str
    important: bool


Listener = Callable[[NewMailEvent], Awaitable[None] | None]


class MailWatcher:
    def __init__(self, svc: MailService, listener: Listener, *, llm: LLM | None = None,
                 wake_s: float = 5.0, poll_s: float = 60.0) -> None:
        self.svc = svc
        self.listener = listener
        self.llm = llm
        self.wake_s = wake_s
        self.poll_s = poll_s
        self.mode = ""  # "idle" or "poll", once running
        self._stop = asyncio.Event()
        self.errors: list[str] = []
        self.learned: list[SeenMove] = []  # moves the user made in another client, learned from

    def stop(self) -> None:
        self._stop.set()

    async def check(self) -> list[NewMailEvent]:
        """Learn from moves made in other mail clients, then fetch what is new and tell the
        listener about each message."""
        events = []
        for move in await learn_outside_moves(self.svc):
            log.info("learned: message #%d moved %s -> %s elsewhere", move.local_id, move.src, move.dst)
            self.learned.append(move)
        rules = await self.svc.mail.rules(self.svc.user)
        known = await self.svc.mail.known_addresses(self.svc.user)
        likeness = await folder_examples().with_examples(await self.svc.mail.corrections(self.svc.user))
        for x in await reader.whats_new(self.svc, limit=50):
            category = x.category
            if category is None:  # headers only here: likeness goes by the subject
                category, _ = await classify(x.mail, self.llm, rules, known, self.svc.account.address,
                                             likeness)
            important = category in IMPORTANT or (x.mail.sender in known and category != "junk")
            event = NewMailEvent(self.svc.account.name, x.local_id, x.mail, category, important)
            events.append(event)
            result = self.listener(event)
            if inspect.isawaitable(result):
                await result
        return events

    def _idle_once(self, client: IMAPClient) -> bool:
        """Block up to wake_s in IDLE; True when the server announced a change."""
        client.idle()
        responses: list[Any] = []
        try:
            responses = client.idle_check(timeout=self.wake_s)
        finally:
            # what came while IDLE was ending is answered to DONE: dropping it would leave a
            # message delivered then waiting for the safety-net poll
            responses += client.idle_done()[1]
        # EXPUNGE: a message left the inbox, perhaps moved into a folder in another client
        return any(r[1] in (b"EXISTS", b"RECENT", b"EXPUNGE") for r in responses if len(r) > 1)

    async def run(self) -> None:
        """Until stop(): baseline, then wait for changes and report new mail."""
        await self.check()  # establish what "new" means from now on
        backoff = 1.0
        while not self._stop.is_set():
            try:
                await self._watch()
                backoff = 1.0
            except MailError as exc:
                self.errors.append(str(exc))
                log.warning("mail watch: %s; retrying in %.0f s", exc, backoff)
                try:
                    await asyncio.wait_for(self._stop.wait(), timeout=backoff)
                except TimeoutError:
                    pass
                backoff = min(backoff * 2, 300.0)

    async def _watch(self) -> None:
        account = self.svc.account
        try:
            client = await asyncio.to_thread(_connect, account, self.svc.password(), 30.0)
        except Exception as exc:
            raise map_error(exc, f"{account.imap_host}:{account.imap_port}") from exc
        try:
            caps = {c.upper() for c in await asyncio.to_thread(client.capabilities)}
            await asyncio.to_thread(client.select_folder, "INBOX", True)
            self.mode = "idle" if b"IDLE" in caps else "poll"
            last_check = time.monotonic()
            while not self._stop.is_set():
                if self.mode == "idle":
                    changed = await asyncio.to_thread(self._idle_once, client)
                    # a safety net: a notification missed (e.g. mail that came before IDLE began)
                    changed = changed or time.monotonic() - last_check > self.poll_s
                else:
                    try:
                        await asyncio.wait_for(self._stop.wait(), timeout=self.poll_s)
                    except TimeoutError:
                        pass
                    changed = True
                if changed and not self._stop.is_set():
                    await self.check()
                    last_check = time.monotonic()
        except MailError:
            raise
        except Exception as exc:
            raise map_error(exc, f"{account.imap_host}:{account.imap_port}") from exc
        finally:
            try:
                await asyncio.to_thread(client.logout)
            except Exception:
                pass
