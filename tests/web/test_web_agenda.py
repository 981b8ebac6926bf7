"""The agenda page through the real server: events from a real radicale (CalDAV), reminders
added with the reminders skill's date rules and cancelled after a confirmation, each user's own."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from conftest import account

from os1.core.accounts import account as saved_account
from os1.core.accounts import save_account
from os1.core.context import local_zone
from os1.core.schedule import ReminderSchedule
from os1.skills.calendar.backends import CalDAVCalendar
from os1.skills.calendar.service import CalendarService
from os1.skills.reminders.tools import when_of


async def connect_calendar(served, radicale, user: str) -> CalendarService:
    """`user`'s account on radicale, saved as `os1 calendar connect` saves it; the calendar
    itself, to put events in as another client would."""
    radicale.make_calendar("ana")
    values = {"url": radicale.url, "username": "ana", "password": "secret", "calendar": ""}
    await save_account(served["store"], served["settings"].data_dir, user, "caldav", values)
    return CalendarService([CalDAVCalendar(radicale.url, "ana", "secret")], local_zone(served["settings"]))


async def test_todays_and_tomorrows_events_from_caldav_each_users_own(served, radicale):
    alice = await account(served, "alice")
    bob = await account(served, "bob")
    zone = local_zone(served["settings"])
    today = datetime.now(zone).date()
    cal = await connect_calendar(served, radicale, "alice")
    noon = datetime.combine(today, time(12), tzinfo=zone)
    await cal.add("Lunch with Ida", noon, noon + timedelta(hours=1), location="Café <b>Nord</b>")
    nine = datetime.combine(today + timedelta(days=1), time(9), tzinfo=zone)
    await cal.add("Dentist", nine, nine + timedelta(minutes=30))
    await cal.add("Next week's thing", nine + timedelta(days=6), nine + timedelta(days=6, hours=1))

    page = (await alice.get("/agenda")).text
    today_part, tomorrow_part = page.split('id="day-0"')[1].split('id="day-1"')
    assert "Lunch with Ida" in today_part and "12:00–13:00" in today_part and "Dentist" not in today_part
    assert "Dentist" in tomorrow_part.split("Reminders")[0] and "09:00–09:30" in tomorrow_part
    assert "Next week" not in page
    assert "Café &lt;b&gt;Nord&lt;/b&gt;" in page  # an event's words are data, never markup
    assert 'id="no-calendar"' not in page

    other = (await bob.get("/agenda")).text
    assert "Lunch with Ida" not in other and "Dentist" not in other
    assert 'id="no-calendar"' in other and "os1 calendar connect" in other  # says how to add one
    await alice.aclose()
    await bob.aclose()


async def test_an_unreachable_calendar_server_is_said_not_a_failed_page(served, radicale):
    alice = await account(served, "alice")
    await connect_calendar(served, radicale, "alice")
    radicale.stop()
    page = await alice.get("/agenda")
    assert page.status_code == 200 and "The calendar could not be read" in page.text
    await alice.aclose()


async def test_add_and_cancel_a_reminder(served):
    alice = await account(served, "alice")
    bob = await account(served, "bob")
    schedule = ReminderSchedule(served["store"])
    zone = local_zone(served["settings"])

    added = await alice.post("/agenda/reminders", {"what": "phone Ida about the boat", "day": "tomorrow", "time": "10am"})
    assert added.status_code == 303, added.text
    [reminder] = await schedule.list("alice", "pending")
    expected = when_of("tomorrow", "10am", datetime.now(UTC), zone, "phone Ida about the boat")  # the skill's own rules
    assert reminder.due_at == expected and reminder.text == "phone Ida about the boat" and reminder.kind == "reminder"
    assert expected.astimezone(zone).hour == 10
    page = (await alice.get(added.headers["location"])).text
    assert f"Reminder #{reminder.id} is set." in page and "phone Ida about the boat" in page

    alarm = await alice.post("/agenda/reminders", {"what": "wake up", "time": "in 20 minutes"})
    assert alarm.status_code == 303
    assert {r.kind for r in await schedule.list("alice", "pending")} == {"reminder", "alarm"}

    for form, words in (({"what": "water the plants"}, "No day or time was given."),
                        ({"what": "x", "day": "yesterday", "time": "9am"}, "in the past"),
                        ({"what": "", "day": "tomorrow"}, "Say what to remind you of.")):
        refused = await alice.post("/agenda/reminders", form)
        assert refused.status_code == 400 and words in refused.text, (form, refused.text[-800:])
        assert f'value="{form["what"]}"' in refused.text  # what was typed stays in the form
    assert len(await schedule.list("alice", "pending")) == 2

    # bob sees none of it and cannot cancel it
    assert "phone Ida about the boat" not in (await bob.get("/agenda")).text
    assert (await bob.get(f"/agenda/reminders/{reminder.id}/cancel")).status_code == 404
    tried = await bob.post(f"/agenda/reminders/{reminder.id}/cancel")
    assert tried.headers["location"] == "/agenda?cancelled=0"
    assert (await schedule.get("alice", reminder.id)).status == "pending"

    form = await alice.get(f"/agenda/reminders/{reminder.id}/cancel")
    assert form.status_code == 200 and "Cancel this reminder?" in form.text and "phone Ida about the boat" in form.text
    done = await alice.post(f"/agenda/reminders/{reminder.id}/cancel")
    assert done.headers["location"] == "/agenda?cancelled=1"
    assert (await schedule.get("alice", reminder.id)).status == "cancelled"
    page = (await alice.get(done.headers["location"])).text
    assert "Reminder cancelled." in page and "phone Ida about the boat" not in page
    assert (await alice.get(f"/agenda/reminders/{reminder.id}/cancel")).status_code == 404  # once only
    await alice.aclose()
    await bob.aclose()


async def test_a_calendar_is_connected_from_the_page_only_when_it_can_be_read(served, radicale):
    alice = await account(served, "alice")
    radicale.make_calendar("ana")
    zone = local_zone(served["settings"])
    noon = datetime.combine(datetime.now(zone).date(), time(12), tzinfo=zone)
    cal = CalendarService([CalDAVCalendar(radicale.url, "ana", "secret")], zone)
    await cal.add("Choir practice", noon, noon + timedelta(hours=1))
    store, data_dir = served["store"], served["settings"].data_dir

    wrong = await alice.post("/agenda/calendar", {"url": radicale.url, "username": "ana", "password": "nope"})
    assert wrong.status_code == 400 and "refused the login" in wrong.text and 'id="connect-error"' in wrong.text
    assert "nope" not in wrong.text  # the password typed is never sent back
    assert await saved_account(store, data_dir, "alice", "caldav") is None

    right = await alice.post("/agenda/calendar", {"url": radicale.url, "username": "ana", "password": "secret"})
    assert right.headers["location"] == "/agenda?connected=1"
    assert (await saved_account(store, data_dir, "alice", "caldav"))["username"] == "ana"
    page = (await alice.get(right.headers["location"])).text
    assert "Your calendar is connected." in page and "Choir practice" in page and 'id="no-calendar"' not in page
    await alice.aclose()
