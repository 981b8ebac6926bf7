"""Contacts: local vCards and a real CardDAV address book on radicale (REPORT/PUT/DELETE with
ETags), merged; bad vCards refused clearly; birthdays feed the reminder planner."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from os1.core.clock import ManualClock
from os1.core.planner import Planner
from os1.core.preferences import set_prefs
from os1.core.schedule import Outbox, ReminderSchedule
from os1.skills.contacts import vcard
from os1.skills.contacts.backends import CardDAVContacts, LocalContacts
from os1.skills.contacts.birthdays import BirthdayPlan
from os1.skills.contacts.errors import ContactsUnavailable, StaleCopy
from os1.skills.contacts.service import all_contacts, birthdays_for

MKCOL = (
    '<?xml version="1.0" encoding="UTF-8"?><mkcol xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">'
    "<set><prop><resourcetype><collection/><CR:addressbook/></resourcetype>"
    "<displayname>Contacts</displayname></prop></set></mkcol>"
)


def make_addressbook(radicale, user="ana") -> str:
    url = f"{radicale.url}{user}/contacts/"
    r = httpx.request("MKCOL", url, content=MKCOL, auth=(user, radicale.users[user]))
    assert r.status_code == 201, r.text
    return url


def test_vcard_round_trip_and_bad_input() -> None:
    text, uid = vcard.build("Amy Lee", ["amy@example.org"], ["+49 30 1234"], date(1990, 11, 24))
    [c] = vcard.parse(text)
    assert (c.uid, c.name, c.emails, c.phones, c.birthday) == (
        uid, "Amy Lee", ["amy@example.org"], ["+49 30 1234"], date(1990, 11, 24))
    with pytest.raises(vcard.VCardError, match="no name"):
        vcard.parse("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nFN:\r\nEND:VCARD\r\n")
    with pytest.raises(vcard.VCardError, match="not a date"):
        vcard.parse("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo\r\nBDAY:1990-02-30\r\nEND:VCARD\r\n")
    with pytest.raises(vcard.VCardError, match="not valid vCard"):
        vcard.parse("BEGIN:VCARD\r\nthis is junk")


async def test_carddav_round_trip_on_radicale(radicale) -> None:
    url = make_addressbook(radicale)
    book = CardDAVContacts(url, "ana", "secret")
    text, uid = vcard.build("Amy Lee", ["amy@example.org"], birthday=date(1990, 11, 24))
    created = await book.create(uid, text)
    # another client sees it, as vCard, at the URL we chose
    raw = httpx.get(created.href, auth=("ana", "secret"))
    assert raw.status_code == 200 and "FN:Amy Lee" in raw.text
    [stored] = await book.all()
    assert vcard.parse(stored.text)[0].birthday == date(1990, 11, 24)
    changed = await book.update(stored, stored.text.replace("amy@example.org", "amy@new.org"))
    with pytest.raises(StaleCopy):  # a write based on the old copy is refused (412)
        await book.update(stored, stored.text.replace("amy@example.org", "lost@update.org"))
    [now] = await book.all()
    assert vcard.parse(now.text)[0].emails == ["amy@new.org"]
    await book.delete(changed)
    assert await book.all() == []
    with pytest.raises(ContactsUnavailable, match="refused the login"):
        await CardDAVContacts(url, "ana", "wrong").all()


async def test_merged_contacts_and_birthdays_feed_reminders(radicale, settings, store) -> None:
    url = make_addressbook(radicale)
    remote = CardDAVContacts(url, "ana", "secret")
    await remote.create(*reversed(vcard.build("Amy Lee", birthday=date(1990, 11, 24))))
    local = LocalContacts(settings.data_dir / "contacts" / "tester")
    await local.create(*reversed(vcard.build("Mum", birthday=date(1960, 11, 25))))
    await local.create(*reversed(vcard.build("Amy Lee")))  # the same person twice: one contact
    await set_prefs(store, "tester", {"carddav": {"url": url, "username": "ana", "password": "secret"}})
    people = await all_contacts(settings.data_dir, "tester", {"url": url, "username": "ana", "password": "secret"})
    assert [p.name for p in people] == ["Amy Lee", "Mum"]
    berlin = ZoneInfo("Europe/Berlin")
    clock = ManualClock(datetime(2026, 11, 23, 20, 0, tzinfo=berlin))
    reminders = ReminderSchedule(store)

    async def birthdays():
        return await birthdays_for(settings, store, "tester")

    await Planner(store, "tester", berlin, [BirthdayPlan(birthdays)]).plan(clock.now())
    texts = sorted(r.text for r in await reminders.list("tester", "pending"))
    assert texts == ["Today is Amy Lee's birthday.", "Today is Mum's birthday."]


async def test_people_known_only_from_mail_are_found_and_merged_by_address(settings, store) -> None:
    """'lunch with Bo' finds Bo although Bo is only in mail; Amy, in a vCard and in mail, is one
    person (deduplicated by address) and her vCard birthday still feeds reminders."""
    from os1.skills.contacts.service import find_person, people
    from os1.skills.mail.store import MailStore

    text, uid = vcard.build("Amy Pond", ["Amy@Example.org"], [], date(1990, 11, 24))
    await LocalContacts(settings.data_dir / "contacts" / "tester").create(uid, text)
    mail = MailStore(store)
    await mail.note_contacts("tester", [("amy@example.org", "Amy P."), ("bo@example.org", "Bo Chen")], sent=True)
    await mail.note_contacts("tester", [("news@shop.example", "")], sent=False)
    everyone = {p.name: p for p in await people(settings, store, "tester")}
    assert set(everyone) == {"Amy Pond", "Bo Chen", "news"}
    assert everyone["Amy Pond"].emails == ("amy@example.org",)
    assert everyone["Amy Pond"].sources == ("contacts", "mail")
    assert everyone["Bo Chen"].sources == ("mail",)
    [bo] = await find_person(settings, store, "tester", "Bo")
    assert bo.emails == ("bo@example.org",)
    assert [p.name for p in await find_person(settings, store, "tester", "amy")] == ["Amy Pond"]
    assert [p.name for p in await find_person(settings, store, "tester", "bo@example.org")] == ["Bo Chen"]
    assert await find_person(settings, store, "tester", "Zed") == []
    assert await birthdays_for(settings, store, "tester") == [(uid, "Amy Pond", date(1990, 11, 24))]
    # another user sees none of it
    assert await people(settings, store, "someone-else") == []


async def test_two_people_with_one_name_are_not_guessed(settings, store) -> None:
    from os1.skills.contacts.service import find_person
    from os1.skills.mail.store import MailStore

    await MailStore(store).note_contacts("tester", [("amy@a.org", "Amy Lee"), ("amy@b.org", "Amy Pond")], sent=True)
    assert len(await find_person(settings, store, "tester", "Amy")) == 2
    assert [p.emails for p in await find_person(settings, store, "tester", "amy pond")] == [("amy@b.org",)]


async def test_a_birthday_known_to_carddav_a_local_card_and_mail_is_said_once(radicale, settings, store) -> None:
    """Amy is on the CardDAV server ("Amy Pond"), in a local vCard under another name ("Amy")
    and known from mail, all with one address: one person, so one birthday message."""
    from os1.core.scheduler import Scheduler
    from os1.skills.mail.store import MailStore

    url = make_addressbook(radicale)
    account = {"url": url, "username": "ana", "password": "secret"}
    await CardDAVContacts(url, "ana", "secret").create(
        *reversed(vcard.build("Amy Pond", ["amy@example.org"], birthday=date(1990, 11, 24))))
    await LocalContacts(settings.data_dir / "contacts" / "tester").create(
        *reversed(vcard.build("Amy", ["Amy@Example.org"], birthday=date(1990, 11, 24))))
    await MailStore(store).note_contacts("tester", [("amy@example.org", "Amy P.")], sent=True)
    await set_prefs(store, "tester", {"carddav": account, "quiet_start": "", "quiet_end": ""})
    assert [name for _, name, _ in await birthdays_for(settings, store, "tester")] == ["Amy"]

    berlin = ZoneInfo("Europe/Berlin")
    clock = ManualClock(datetime(2026, 11, 23, 20, 0, tzinfo=berlin))

    async def birthdays():
        return await birthdays_for(settings, store, "tester")

    planner = Planner(store, "tester", berlin, [BirthdayPlan(birthdays)])
    sched = Scheduler(store, "tester", clock, berlin)
    for hour in (20, 33, 34):  # planned again the evening before and on the day
        clock.set(datetime(2026, 11, 23, tzinfo=berlin) + timedelta(hours=hour))
        await planner.plan(clock.now())
        await sched.tick()
    assert [i.text for i in await Outbox(store).undelivered("tester")] == ["Today is Amy's birthday."]
