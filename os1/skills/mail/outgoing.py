"""Sending a message for the user: compose, deliver over SMTP, keep a copy in Sent, learn the
recipients as contacts. Callers have already had the user's explicit yes."""

from __future__ import annotations

from email.message import EmailMessage

from os1.skills.mail import reader
from os1.skills.mail.send import compose, deliver, parse_recipients
from os1.skills.mail.service import MailService

SENT_FOLDER = "Sent"


async def send(svc: MailService, to: str | list[str], subject: str, body: str, *,
               cc: str | list[str] | None = None, reply_to: int | None = None) -> EmailMessage:
    recipients = parse_recipients(to)
    copies = parse_recipients(cc) if cc else []
    in_reply_to = references = ""
    if reply_to is not None:
        original, _ = await reader.read(svc, reply_to)
        in_reply_to, references = original.message_id, original.references
        if not subject:
            subject = original.subject
        if subject and not subject.lower().startswith("re:"):
            subject = f"Re: {subject}"
    msg = compose(svc.account, recipients, subject, body, cc=copies,
                  in_reply_to=in_reply_to, references=references)
    await deliver(svc.account, svc.password(), msg)
    try:  # the copy in Sent is a courtesy; the message has left already
        async with svc.imap() as imap:
            await imap.append(SENT_FOLDER, msg.as_bytes(), (b"\\Seen",))
    except Exception:
        pass
    await svc.mail.note_contacts(svc.user, [(a, "") for a in recipients + copies], sent=True)
    return msg
