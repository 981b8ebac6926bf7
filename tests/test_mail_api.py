"""The mail skill's public API for other skills, against the real dovecot and aiosmtpd."""

from email.message import EmailMessage
from email.utils import make_msgid

from os1.skills.mail import api
from tests import mail_samples as s
from tests.mail_servers import dovecot, mail_svc, put, smtp_server  # noqa: F401 (fixtures)

ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
       "UID:abc@test\r\nDTSTART:20261201T100000Z\r\nSUMMARY:Planning\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def invitation() -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "Amy <Amy@Example.org>", "sam@example.org", "Invitation: Planning"
    m["Message-ID"] = make_msgid(domain="test.example")
    m.set_content("You are invited.")
    m.add_alternative(ICS, subtype="calendar", params={"method": "REQUEST"})
    return m.as_bytes()


async def test_no_account_means_no_mailbox(settings, store):
    assert not await api.has_account(store, "tester")
    assert await api.mailbox(settings, store, "tester") is None


async def test_calendar_parts_of_new_mail_once(settings, store, mail_svc, dovecot):
    put(dovecot, s.simple("Bo <bo@example.org>", "Lunch", "Tomorrow?"), invitation())
    assert await api.has_account(store, "tester")
    box = await api.mailbox(settings, store, "tester")
    assert box is not None and box.address == "sam@example.org" and box.display_name == "Sam"
    parts = await box.calendar_parts(set())
    assert [(p.sender, p.data.replace(b"\r\n", b"\n")) for p in parts] == [
        ("amy@example.org", ICS.replace("\r\n", "\n").encode())]
    assert await box.calendar_parts({parts[0].message_key}) == []  # read before: not fetched again


async def test_a_composed_message_is_sent_from_the_account(settings, store, mail_svc, smtp_server):
    box = await api.mailbox(settings, store, "tester")
    assert box is not None
    msg = box.compose(["amy@example.org"], "Accepted: Planning", "Sam has accepted.")
    msg.add_alternative(ICS, subtype="calendar", params={"method": "REPLY"})
    await box.send(msg)
    [got] = smtp_server.inbox.messages()
    assert "sam@example.org" in got["From"] and got["Subject"] == "Accepted: Planning"


async def test_people_learned_from_mail(store, mail_svc):
    await mail_svc.mail.note_contacts("tester", [("amy@example.org", "Amy Pond")], sent=True)
    await mail_svc.mail.note_contacts("tester", [("news@shop.example", "")], sent=False)
    found = await api.people(store, "tester", "amy")
    assert [(c.address, c.name, c.known) for c in found] == [("amy@example.org", "Amy Pond", True)]
    assert [c.known for c in await api.people(store, "tester", "shop")] == [False]
    assert await api.people(store, "someone-else") == []
