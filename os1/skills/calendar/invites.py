"""Invitations by email, through the mail skill's account and SMTP path (never a second client).

Out: a meeting we organize is mailed as iTIP REQUEST when created or moved (SEQUENCE bumped by
the move) and CANCEL when cancelled — each only after the user has seen the exact recipients
and said yes (`ctx.confirm`; no confirmer means no). In: text/calendar parts found in the inbox.
A REPLY updates that attendee's PARTSTAT in our stored event (only if the reply comes from that
attendee); a REQUEST waits in `calendar_invitations` until the user accepts or declines it, and
the answer (a REPLY) is sent only after a yes. Invitation text is data, never instructions.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from os1.core.mailer import Mailer, open_mailer
from os1.core.tools import ConfirmationRequest
from os1.skills.calendar.errors import CalendarError, EventNotFound, ICSError
from os1.skills.calendar.invitations import Invitation, Invitations

if TYPE_CHECKING:  # icalendar loads in ~0.3 s: only when an invitation is really handled
    import icalendar

    from os1.config import Settings
    from os1.skills.calendar import itip
    from os1.skills.calendar.service import CalendarService

log = logging.getLogger(__name__)
Ask = Callable[[ConfirmationRequest], Awaitable[bool]]
SCAN_LAST = 200  # newest inbox messages looked at per check
MAX_PART_BYTES = 200_000


def itip_email(mailer: Mailer, to: list[str], subject: str, body: str, ics: str, method: str) -> EmailMessage:
    """A mail with a text/plain part and the text/calendar; method=... part mail clients act on."""
    msg = mailer.compose(to, subject, body)
    msg.add_alternative(ics, subtype="calendar", params={"method": method})
    return msg


def _who(people: list[tuple[str, str]]) -> str:
    return ", ".join(f"{n} <{a}>" if n else a for a, n in people)


async def _ask(ask: Ask | None, what: str, people: list[tuple[str, str]], arguments: dict[str, Any]) -> bool:
    if ask is None:
        return False
    summary = f"{what}\nEmail to: {_who(people)}"
    return await ask(ConfirmationRequest("send_invitation", {**arguments, "to": [a for a, _ in people]}, summary))


# -- out: our own meetings -------------------------------------------------------------------------
async def offer_invitation(
    svc: Mailer, ask: Ask | None, people: list[tuple[str, str]], described: str
) -> bool:
    """Ask whether to invite `people` to a new event (before it is created with them)."""
    return await _ask(ask, f"Send a meeting invitation for {described}", people, {"method": "REQUEST"})


async def send_update(
    svc: Mailer, ask: Ask | None, text: str, method: str, described: str
) -> str:
    """After a change to a meeting we organize: mail REQUEST (still on) or CANCEL to its
    attendees, once the user said yes. Returns a sentence for the tool result ('' if no meeting)."""
    from os1.skills.calendar import ical, itip

    try:
        cal = ical.parse(text, what="the event")
        people = [(a, n) for a, n, _ in itip.attendees(cal)]
        org = itip.organizer(cal)
    except ICSError:
        return ""
    if not people or org != svc.address.lower():
        return ""  # not a meeting, or someone else's: its organizer sends the updates
    verb = "the cancellation" if method == "CANCEL" else "the new time"
    if not await _ask(ask, f"Tell the attendees {verb} of {described}", people, {"method": method}):
        return " The attendees were not told (you said no)."
    ev = ical.master(cal)
    subject = f"{'Cancelled' if method == 'CANCEL' else 'Updated invitation'}: {ev.get('SUMMARY', '')}"
    body = f"{'Cancelled' if method == 'CANCEL' else 'Updated'}: {described}"
    await svc.send(itip_email(svc, [a for a, _ in people], subject, body, itip.message(cal, method), method))
    return f" Emailed {verb} to {_who(people)}."


async def send_request(svc: Mailer, text: str, described: str) -> str:
    from os1.skills.calendar import ical, itip

    cal = ical.parse(text, what="the event")
    people = [(a, n) for a, n, _ in itip.attendees(cal)]
    title = str(ical.master(cal).get("SUMMARY", ""))
    msg = itip_email(svc, [a for a, _ in people], f"Invitation: {title}", f"Invitation: {described}",
                     itip.message(cal, "REQUEST"), "REQUEST")
    await svc.send(msg)
    return f" Invitation emailed to {_who(people)}."


def make_meeting(text: str, svc: Mailer, people: list[tuple[str, str]]) -> str:
    from os1.skills.calendar import ical, itip

    cal = ical.parse(text, what="the event")
    itip.invite(cal, svc.address.lower(), svc.display_name, people)
    return ical.to_text(cal)


# -- in: what arrives by mail ----------------------------------------------------------------------
@dataclass
class Report:
    replies_applied: list[str] = field(default_factory=list)
    new_invitations: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


async def pending(store: Any, user: str) -> list[Invitation]:
    return await Invitations(store).pending(user)


async def set_status(store: Any, user: str, inv_id: int, status: str) -> None:
    await Invitations(store).set_status(user, inv_id, status)


async def check_mail(settings: Settings, store: Any, user: str, cal: CalendarService) -> Report:
    """Read iTIP parts that arrived: apply replies, keep requests for the user's answer."""
    from os1.skills.calendar import itip

    report = Report()
    svc = await open_mailer(settings, store, user)
    if svc is None:
        return report
    kept = Invitations(store)
    for part in await svc.calendar_parts(await kept.known_keys(user), newest=SCAN_LAST, max_bytes=MAX_PART_BYTES):
        key, sender, raw = part.message_key, part.sender, part.data
        try:
            inv = itip.read(raw)
        except (ICSError, ValueError) as exc:
            report.skipped.append(f"{key}: {exc}")
            continue
        if inv.method == "REPLY":
            report.replies_applied += await _apply_reply(cal, inv, sender)
            await kept.remember(user, key, sender, inv, "applied")
        elif inv.method == "REQUEST":
            if inv.organizer == svc.address.lower():
                continue  # our own invitation, copied back to us
            if await kept.remember(user, key, sender, inv, "pending"):
                await kept.supersede(user, inv.uid, inv.sequence, key)
            report.new_invitations.append(inv.summary)
        elif inv.method == "CANCEL":
            if sender == inv.organizer:
                await kept.cancel(user, inv.uid)
                report.cancelled.append(inv.summary)
            await kept.remember(user, key, sender, inv, "applied")
    return report


async def _apply_reply(cal: CalendarService, inv: itip.Itip, sender: str) -> list[str]:
    """Set the replying attendee's PARTSTAT in our event; a reply on someone's behalf is ignored."""
    from os1.skills.calendar import itip

    partstat = inv.partstat_of(sender)
    if partstat is None:
        log.warning("ignoring a calendar reply from %s about someone else", sender)
        return []
    for backend in cal.backends:
        try:
            stored = await backend.get(inv.uid)
        except (EventNotFound, CalendarError):
            continue

        def change(c: icalendar.Calendar, _: Any) -> icalendar.Calendar:
            itip.apply_reply(c, sender, partstat)
            return c

        await cal.rewrite(backend, inv.uid, change, first=stored)
        return [f"{sender}: {partstat.lower()} ({inv.summary})"]
    return []


async def answer(
    settings: Settings, store: Any, user: str, cal: CalendarService, inv: Invitation,
    accept: bool, ask: Ask | None,
) -> str:
    """Accept (the event goes into the calendar) or decline; the REPLY is mailed after a yes."""
    from os1.skills.calendar import itip

    svc = await open_mailer(settings, store, user)
    if svc is None:
        raise CalendarError("No mail account is set up, so I cannot answer the invitation.",
                            fix="Add one with 'os1 mail add'.")
    me = svc.address.lower()
    parsed = itip.read(inv.ics)
    partstat = "ACCEPTED" if accept else "DECLINED"
    org = [(parsed.organizer, "")]
    what = f"{'Accept' if accept else 'Decline'} the invitation {parsed.summary!r} (calendar data)"
    if not await _ask(ask, what, org, {"method": "REPLY", "answer": partstat}):
        return "Nothing was sent or changed (you said no)."
    if accept:
        kept = itip.accepted_copy(parsed, me, partstat)
        try:
            await cal.default.create(parsed.uid, kept)
        except CalendarError as exc:  # accepted before: take the organizer's newer version
            if "already exists" not in str(exc):
                raise
            from os1.skills.calendar import ical

            await cal.rewrite(cal.default, parsed.uid, lambda _c, _o: ical.parse(kept, what="the invitation"))
    msg = itip_email(svc, [parsed.organizer], f"{'Accepted' if accept else 'Declined'}: {parsed.summary}",
                     f"{user} has {partstat.lower()} the invitation.", itip.reply(parsed, me, partstat), "REPLY")
    await svc.send(msg)
    await set_status(store, user, inv.id, partstat.lower())
    return f"{'Accepted' if accept else 'Declined'} and told {parsed.organizer}."
