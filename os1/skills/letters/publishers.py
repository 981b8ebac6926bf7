"""What follows a book sent to a publisher: the submission kept (the letters_submissions table),
remembered (a memory the conversation can recall: "when did I send my book to Penguin?"), a
follow-up reminder some weeks later (the core's reminder schedule, as the reminders skill uses
it), and the publisher's answer noticed when it comes.

Noticing runs beside the scheduler while an interface is open (a `register_planners` plan, as the
calendar reads invitations): every few minutes the inbox's newest headers are read through the
core's mailer, and a message that answers the submission's Message-ID, or comes from the
submission address, or from its domain but not as a newsletter or automatic mail, after the
book was sent, is said once through the proactive channel ("Penguin has answered about your
book: …"). Nothing of the message is read but its headers; the user reads it with their mail.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from os1.core.clock import Clock
from os1.core.mailer import InboxHeader, open_mailer
from os1.core.planner import Plan, Planner, Planning
from os1.core.schedule import ReminderSchedule
from os1.core.scheduler import poke_all
from os1.errors import OS1Error
from os1.storage.memories import NewMemory

log = logging.getLogger(__name__)
FOLLOW_UP = timedelta(weeks=8)  # publishers ask for six to twelve weeks before a nudge
LOOK_EVERY = timedelta(minutes=5)
NEWEST = 50  # inbox messages looked at each time
ANSWER_KEY = "letters.answer:"
FOLLOW_UP_KEY = "letters.followup:"  # + the submission's id and a colon (a prefix of no other)


@dataclass(frozen=True)
class Submission:
    id: int
    address: str
    title: str
    message_id: str
    sent_at: datetime
    answer_key: str


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class Submissions:
    """The books each user sent to publishers, and whether an answer came."""

    def __init__(self, store: Any) -> None:
        self.store = store

    async def add(self, user: str, address: str, title: str, message_id: str, sent_at: datetime) -> int:
        return int(await self.store.execute(
            "INSERT INTO letters_submissions (user_id, address, title, message_id, sent_at) VALUES (?, ?, ?, ?, ?)",
            (user, address.strip().lower(), title, message_id, _iso(sent_at))))

    async def list(self, user: str, *, waiting: bool = False) -> list[Submission]:
        rows = await self.store.query(
            "SELECT id, address, title, message_id, sent_at, answer_key FROM letters_submissions WHERE user_id=?"
            + (" AND answer_key=''" if waiting else "") + " ORDER BY id", (user,))
        return [Submission(r[0], r[1], r[2], r[3], datetime.fromisoformat(r[4]), r[5]) for r in rows]

    async def answered(self, user: str, submission_id: int, key: str, subject: str) -> bool:
        """Mark the answer; False when it was marked already (said once only)."""

        def write(conn: Any) -> bool:
            conn.execute("UPDATE letters_submissions SET answer_key=?, answer_subject=?"
                         " WHERE user_id=? AND id=? AND answer_key=''", (key, subject, user, submission_id))
            return bool(conn.changes())

        return bool(await self.store.transaction(write))


def follow_up_at(sent: datetime, zone: tzinfo) -> datetime:
    """Ten in the morning, FOLLOW_UP after the book was sent."""
    day = (sent + FOLLOW_UP).astimezone(zone).date()
    return datetime.combine(day, time(10, 0), tzinfo=zone)


async def after_sending(store: Any, user: str, zone: tzinfo, address: str, title: str, message_id: str,
                        sent: datetime) -> datetime:
    """Keep, remember and set a follow-up for a book just sent; when the follow-up is due."""
    sid = await Submissions(store).add(user, address, title, message_id, sent)
    text = (f"The user sent their book of letters “{title}” to the publisher at {address} on "
            f"{sent.astimezone(zone):%d %B %Y}, with a query letter; the answer is awaited.")
    await store.memories.add(user, NewMemory(text, sent, "fact", "", [{"letters_submission": sid}], 0.7))
    due = follow_up_at(sent, zone)
    await ReminderSchedule(store).add(
        user, "reminder", f"Reminder: follow up on “{title}”, sent to {address} on {sent.astimezone(zone):%d %B}"
        " — no answer has come yet.", due, zone=str(zone), stale_after_s=7 * 24 * 3600,
        source_key=f"{FOLLOW_UP_KEY}{sid}:", now=sent)
    poke_all()
    return due


def answers(sub: Submission, header: InboxHeader) -> bool:
    """Whether `header` is the publisher's answer to `sub`: it replies to the sent message
    (In-Reply-To/References name its Message-ID), or it came after the book was sent from the
    submission address itself, or from an editor at its domain. A mail from that domain that
    names neither and is a newsletter or automatic (List-Id, List-Unsubscribe, Precedence,
    Auto-Submitted) is not the answer: the publisher's autumn catalogue is not a yes."""
    if sub.message_id and sub.message_id in header.answers:
        return True
    domain = sub.address.rpartition("@")[2]
    from_them = header.sender == sub.address or (
        bool(domain) and header.sender.endswith("@" + domain) and not header.bulk)
    when = header.date if header.date is None or header.date.tzinfo else header.date.replace(tzinfo=UTC)
    return from_them and (when is None or when >= sub.sent_at)


def notice(sub: Submission, header: InboxHeader) -> str:
    who = header.sender_name or header.sender
    return (f"{who} has answered about your book “{sub.title}”: “{header.subject or '(no subject)'}”. "
            "It is in your inbox.")


async def check_answers(store: Any, user: str, headers: Sequence[InboxHeader]) -> list[tuple[Submission, InboxHeader]]:
    """The waiting submissions answered among `headers`, each marked answered (once)."""
    found = []
    for sub in await Submissions(store).list(user, waiting=True):
        for header in headers:
            if answers(sub, header) and await Submissions(store).answered(user, sub.id, header.key, header.subject):
                found.append((sub, header))
                break
    return found


class AnswerWatch(Plan):
    """Reads the inbox for publishers' answers while submissions wait."""

    def __init__(self, settings: Any, store: Any, user: str, clock: Clock) -> None:
        self.settings, self.store, self.user, self.clock = settings, store, user, clock

    async def look(self, planner: Planner) -> int:
        """One look at the inbox; how many answers were announced."""
        if not await Submissions(self.store).list(self.user, waiting=True):
            return 0
        mailer = await open_mailer(self.settings, self.store, self.user)
        if mailer is None:
            return 0
        now = self.clock.now()
        found = await check_answers(self.store, self.user, await mailer.inbox_headers(newest=NEWEST))
        for sub, header in found:  # answered: no follow-up needed
            await planner.cancel_keys(f"{FOLLOW_UP_KEY}{sub.id}:", set(), now + 2 * FOLLOW_UP)
            await planner.add("publisher", notice(sub, header), now, f"{ANSWER_KEY}{sub.id}", 7 * 24 * 3600, now)
        if found:
            planner.poke()
        return len(found)

    async def watch(self, planner: Planner, stop: asyncio.Event) -> None:
        wake = asyncio.Event()
        while not stop.is_set():
            try:
                await self.look(planner)
            except OS1Error as exc:  # the mail server down: look again next round
                log.warning("publishers' answers not looked for: %s", exc)
            await self.clock.sleep_until(self.clock.now() + LOOK_EVERY, wake)


def plan_for(p: Planning) -> AnswerWatch:
    return AnswerWatch(p.settings, p.store, p.user, p.clock)
