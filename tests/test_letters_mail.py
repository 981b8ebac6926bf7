"""Letters imported from the Sent folder of a real IMAP server (dovecot), through the core's
open_mailer hook: long messages only, the quoted part left out, each message once."""

from email.message import EmailMessage

from os1.skills.letters.mail_import import import_sent_mail
from os1.skills.letters.repository import LetterRepository
from tests.mail_servers import dovecot, mail_svc, put, smtp_server  # noqa: F401

LONG = ("Dear Amy,\n\n" + "I have been thinking about the summer we spent by the lake and the long evenings "
        "on the porch, the way the light fell across the water and how we laughed about nothing. " * 3
        + "\n\nLove,\nSam")


def _sent(to: str, subject: str, body: str, date: str) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Date"] = "Sam <sam@example.org>", to, subject, date
    msg["Message-ID"] = f"<{subject.replace(' ', '-')}@example.org>"
    msg.set_content(body)
    return bytes(msg)


async def test_long_sent_messages_become_letters_once(settings, store, mail_svc, dovecot):
    put(dovecot, _sent("Amy <amy@example.org>", "The lake", LONG + "\n\nOn Mon, Amy wrote:\n> hi", "Tue, 03 Mar 2026 10:00:00 +0000"),
        _sent("bo@example.org", "ok", "Yes, 3pm is fine.", "Wed, 04 Mar 2026 10:00:00 +0000"),
        _sent("Chris <chris@example.org>", "Porch", LONG.replace("Amy", "Chris"), "Thu, 05 Mar 2026 10:00:00 +0000"),
        folder="Sent")
    added = await import_sent_mail(settings, store, "tester", to="amy")
    assert [(x.recipient, x.written_on.isoformat()) for x in added] == [("Amy", "2026-03-03")]
    [letter] = await LetterRepository(store).select("tester")
    assert letter.body.endswith("Love,\nSam") and "wrote:" not in letter.body  # the quote left out
    added = await import_sent_mail(settings, store, "tester")
    assert [x.recipient for x in added] == ["Chris"]  # Amy's not again; Bo's too short
    assert await import_sent_mail(settings, store, "tester") == []
