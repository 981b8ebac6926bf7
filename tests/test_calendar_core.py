"""Calendar core on the local .ics store: time zones, recurrence with exceptions, DST-correct
expansion, agenda, free time, hostile .ics, and conditional writes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from os1.skills.calendar import ical
from os1.skills.calendar.backends import LocalCalendar
from os1.skills.calendar.errors import CalendarConflict, ICSError, TooManyOccurrences
from os1.skills.calendar.service import CalendarService, day_bounds
from tests.calendar_helpers import refuses_stale_copy

BERLIN = ZoneInfo("Europe/Berlin")


def service(tmp_path: Path, zone=BERLIN) -> CalendarService:
    return CalendarService([LocalCalendar(tmp_path / "cal")], zone, trash=tmp_path / "trash")


def wrap(body: str) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\n" + body + "END:VCALENDAR\r\n"


async def test_weekly_event_keeps_local_time_across_the_dst_change(tmp_path: Path) -> None:
    cal = service(tmp_path)
    start = datetime(2026, 10, 13, 9, 0, tzinfo=BERLIN)  # a Tuesday; DST ends Sun 25 Oct
    await cal.add("Standup", start, start + timedelta(minutes=30), rrule={"freq": "WEEKLY"})
    occs = await cal.agenda(datetime(2026, 10, 12, tzinfo=UTC), datetime(2026, 11, 4, tzinfo=UTC))
    assert [o.start.astimezone(BERLIN).strftime("%d %H:%M") for o in occs] == [
        "13 09:00", "20 09:00", "27 09:00", "03 09:00"
    ]
    # the same wall-clock time is a different UTC time after the change
    assert [o.start.hour for o in occs] == [7, 7, 8, 8]
    assert all(o.end - o.start == timedelta(minutes=30) for o in occs)


async def test_day_bounds_on_dst_day_is_25_hours() -> None:
    s, e = day_bounds(date(2026, 10, 25), BERLIN)
    assert e - s == timedelta(hours=25)


async def test_rrule_with_exception_and_moved_occurrence(tmp_path: Path) -> None:
    cal = service(tmp_path)
    start = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)  # Monday
    await cal.add("Yoga", start, start + timedelta(hours=1), rrule={"freq": "DAILY", "count": 5})
    week = day_bounds(date(2026, 11, 23), BERLIN)[0], day_bounds(date(2026, 11, 29), BERLIN)[1]
    occs = await cal.agenda(*week)
    assert len(occs) == 5
    # cancel Wednesday's, move Thursday's to 18:00
    await cal.cancel(occs[2])
    await cal.move(occs[3], datetime(2026, 11, 26, 18, 0, tzinfo=BERLIN))
    after = await cal.agenda(*week)
    local = [o.start.astimezone(BERLIN).strftime("%a %H:%M") for o in after]
    assert local == ["Mon 10:00", "Tue 10:00", "Thu 18:00", "Fri 10:00"]
    assert after[2].end - after[2].start == timedelta(hours=1)
    # the file on disk is valid iCalendar with an EXDATE and an override
    text = next((tmp_path / "cal").glob("*.ics")).read_text()
    assert "EXDATE" in text and "RECURRENCE-ID" in text


async def test_cancel_whole_series_goes_to_trash_and_restores(tmp_path: Path) -> None:
    cal = service(tmp_path)
    start = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)
    occ = await cal.add("Choir", start, start + timedelta(hours=2), rrule={"freq": "WEEKLY"})
    await cal.cancel(occ, whole_series=True)
    assert await cal.day(date(2026, 11, 30)) == []
    await cal.restore(occ.uid)
    assert [o.title for o in await cal.day(date(2026, 11, 30))] == ["Choir"]


async def test_agenda_and_free_time(tmp_path: Path) -> None:
    cal = service(tmp_path)
    d = date(2026, 11, 24)
    at = lambda h, m=0: datetime.combine(d, time(h, m), tzinfo=BERLIN)  # noqa: E731
    await cal.add("Dentist", at(10), at(11))
    await cal.add("Lunch with Amy", at(13), at(14), location="Cafe Luna")
    await cal.add("Holiday", d, d + timedelta(days=1))  # all day: not busy
    day = await cal.day(d)
    assert [o.title for o in day] == ["Holiday", "Dentist", "Lunch with Amy"]
    assert day[0].all_day and "all day" in day[0].describe(BERLIN)
    slots = await cal.free_slots(d, 60)
    spans = [(s.start.astimezone(BERLIN).hour, s.end.astimezone(BERLIN).hour) for s in slots]
    assert spans == [(9, 10), (11, 13), (14, 18)]
    assert await cal.free_slots(d, 5 * 60) == []
    found = await cal.find("amy lunch", at(8))
    assert found.title == "Lunch with Amy"


async def test_event_in_another_zone_shows_in_local_time(tmp_path: Path) -> None:
    cal = service(tmp_path)
    ny = ZoneInfo("America/New_York")
    start = datetime(2026, 11, 24, 9, 0, tzinfo=ny)
    await cal.add("Call with NY office", start, start + timedelta(hours=1))
    [occ] = await cal.day(date(2026, 11, 24))
    assert occ.start.astimezone(BERLIN).hour == 15
    text = next((tmp_path / "cal").glob("*.ics")).read_text()
    assert "TZID=America/New_York" in text and "BEGIN:VTIMEZONE" in text


# -- hostile and broken .ics ---------------------------------------------------------------
def test_huge_recurrence_is_refused_not_expanded() -> None:
    body = "BEGIN:VEVENT\r\nUID:spam\r\nDTSTART:20261121T000000Z\r\nRRULE:FREQ=SECONDLY\r\nSUMMARY:x\r\nEND:VEVENT\r\n"
    with pytest.raises(TooManyOccurrences, match="more than 1,000"):
        ical.parse(wrap(body))


def test_missing_dtstart_is_a_clear_error() -> None:
    with pytest.raises(ICSError, match="no start time"):
        ical.parse(wrap("BEGIN:VEVENT\r\nUID:a1\r\nSUMMARY:x\r\nEND:VEVENT\r\n"))


def test_unknown_tzid_is_a_clear_error() -> None:
    body = "BEGIN:VEVENT\r\nUID:m\r\nDTSTART;TZID=Mars/Olympus:20261124T130000\r\nSUMMARY:x\r\nEND:VEVENT\r\n"
    with pytest.raises(ICSError, match="unknown time zone 'Mars/Olympus'"):
        ical.parse(wrap(body))


def test_junk_and_oversized_input() -> None:
    with pytest.raises(ICSError):
        ical.parse("this is not a calendar")
    with pytest.raises(ICSError, match="bytes"):
        ical.parse("BEGIN:VCALENDAR\r\n" + "X-JUNK:" + "a" * 1_100_000 + "\r\nEND:VCALENDAR\r\n")


async def test_import_refuses_a_bad_file_whole(tmp_path: Path) -> None:
    cal = service(tmp_path)
    good = "BEGIN:VEVENT\r\nUID:g\r\nDTSTART:20261124T100000Z\r\nSUMMARY:ok\r\nEND:VEVENT\r\n"
    bad = "BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:no start\r\nEND:VEVENT\r\n"
    with pytest.raises(ICSError):
        await cal.import_ics(wrap(good + bad))
    assert not list((tmp_path / "cal").glob("*.ics")) if (tmp_path / "cal").exists() else True
    assert await cal.import_ics(wrap(good)) == ["g"]


async def test_a_broken_stored_event_is_skipped_and_reported(tmp_path: Path) -> None:
    cal = service(tmp_path)
    start = datetime(2026, 11, 24, 9, 0, tzinfo=BERLIN)
    await cal.add("Fine", start, start + timedelta(hours=1))
    (tmp_path / "cal" / "zz.ics").write_text(wrap("BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n"))
    assert [o.title for o in await cal.day(date(2026, 11, 24))] == ["Fine"]
    assert cal.skipped and "no start time" in cal.skipped[0]


# -- conditional writes ----------------------------------------------------------------------
async def test_local_store_refuses_a_stale_copy(tmp_path: Path) -> None:
    await refuses_stale_copy(LocalCalendar(tmp_path / "cal"), "u1")


class MeddlingLocal(LocalCalendar):
    """Someone else edits the event between our read and our write, once."""

    def __init__(self, folder: Path, meddle) -> None:
        super().__init__(folder)
        self.meddle = meddle

    async def update(self, old, text):
        if self.meddle is not None:
            fn, self.meddle = self.meddle, None
            current = await LocalCalendar.get(self, old.uid)
            await LocalCalendar.update(self, current, fn(current.text))
        return await super().update(old, text)


async def test_concurrent_edit_of_other_fields_is_merged_not_lost(tmp_path: Path) -> None:
    add_room = lambda t: t.replace("SUMMARY:Review", "SUMMARY:Review\r\nLOCATION:Room 4")  # noqa: E731
    backend = MeddlingLocal(tmp_path / "cal", add_room)
    cal = CalendarService([backend], BERLIN)
    start = datetime(2026, 11, 24, 9, tzinfo=BERLIN)
    occ = await cal.add("Review", start, start + timedelta(hours=1))
    await cal.move(occ, start + timedelta(hours=2))  # 412 → reload → apply again on their copy
    [now] = await cal.day(date(2026, 11, 24))
    assert now.start.astimezone(BERLIN).hour == 11 and now.location == "Room 4"


async def test_concurrent_move_of_the_same_event_asks_instead_of_overwriting(tmp_path: Path) -> None:
    moved = lambda t: t.replace("T090000", "T080000").replace("T100000", "T090000")  # noqa: E731
    backend = MeddlingLocal(tmp_path / "cal", moved)
    cal = CalendarService([backend], BERLIN)
    start = datetime(2026, 11, 24, 9, tzinfo=BERLIN)
    occ = await cal.add("Review", start, start + timedelta(hours=1))
    with pytest.raises(CalendarConflict, match="Someone else changed"):
        await cal.move(occ, start + timedelta(hours=2))
    [now] = await cal.day(date(2026, 11, 24))
    assert now.start.astimezone(BERLIN).hour == 8  # theirs stands; ours was not forced over it


async def test_concurrent_edit_elsewhere_in_a_series_is_kept(tmp_path: Path) -> None:
    start = datetime(2026, 11, 23, 9, tzinfo=BERLIN)

    def other_cancels_friday(text: str) -> str:
        c = ical.parse(text)
        occs = ical.expand(c, start, start + timedelta(days=5), BERLIN)
        return ical.to_text(ical.cancel_occurrence(c, occs[4]))

    backend = MeddlingLocal(tmp_path / "cal", other_cancels_friday)
    cal = CalendarService([backend], BERLIN)
    occ = await cal.add("Sync", start, start + timedelta(minutes=15), rrule={"freq": "DAILY", "count": 5})
    tuesday = (await cal.day(date(2026, 11, 24)))[0]
    await cal.move(tuesday, datetime(2026, 11, 24, 16, tzinfo=BERLIN))
    occs = await cal.agenda(start, start + timedelta(days=6))
    assert [o.start.astimezone(BERLIN).strftime("%a %H") for o in occs] == [
        "Mon 09", "Tue 16", "Wed 09", "Thu 09"  # ours applied AND theirs (no Friday) kept
    ]
    assert occ.uid == occs[0].uid
