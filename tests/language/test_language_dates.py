"""The one date and time resolver (os1/language/dates.py): each phrase to the date or time it
means, counted from a fixed moment (Sat 21 Nov 2026, 14:05 in Berlin), and what must not resolve."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from os1.language import dates
from os1.language.dates import WhenError

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 21, 14, 5, tzinfo=BERLIN)
TODAY = NOW.date()


@pytest.mark.parametrize(("phrase", "expected"), [
    ("tomorrow", date(2026, 11, 22)), ("day after tomorrow", date(2026, 11, 23)),
    ("next Tuesday", date(2026, 11, 24)), ("this Saturday", date(2026, 11, 21)),
    ("Saturday", date(2026, 11, 28)), ("next week Friday", date(2026, 11, 27)),
    ("in a few days", date(2026, 11, 24)), ("in three weeks", date(2026, 12, 12)),
    ("in 2 months", date(2027, 1, 21)), ("24 December", date(2026, 12, 24)),
    ("the 3rd of December", date(2026, 12, 3)), ("Sept 2", date(2027, 9, 2)),
    ("the first", date(2026, 12, 1)), ("next month", date(2026, 12, 1)),
    ("29 February", date(2028, 2, 29)), ("Tuesday morning", date(2026, 11, 24)),
])
def test_a_day_to_do_something_on(phrase, expected):
    assert dates.resolve_day(phrase, TODAY) == expected


@pytest.mark.parametrize("phrase", [
    "yesterday", "30 February", "2025-01-01", "last Tuesday", "someday",
])
def test_a_day_that_cannot_be_placed_is_asked_about(phrase):
    with pytest.raises(WhenError) as caught:
        dates.resolve_day(phrase, TODAY)
    assert caught.value.fix  # a question or an example for the user


def test_a_count_that_is_no_number_is_refused():
    with pytest.raises(WhenError):
        dates.resolve_day("in many days", TODAY)


@pytest.mark.parametrize(("phrase", "hint", "expected"), [
    ("one", "lunch with Amy", time(13)), ("half past seven", "", time(7, 30)),
    ("quarter to five in the afternoon", "", time(16, 45)), ("noon", "", time(12)),
    ("eight", "dinner", time(20)), ("at 9.30", "", time(9, 30)), ("4", "wake up", time(4)),
])
def test_a_time_of_day(phrase, hint, expected):
    assert dates.resolve_time(phrase, hint) == expected


@pytest.mark.parametrize("phrase", ["at 5", "three", "25:00", "13pm", "teatime"])
def test_a_time_that_is_ambiguous_or_none_is_asked_about(phrase):
    with pytest.raises(WhenError):
        dates.resolve_time(phrase)


def test_a_moment_puts_a_day_a_time_and_a_zone_together():
    assert dates.resolve_when("next Tuesday", "one", NOW, BERLIN, hint="lunch") == datetime(
        2026, 11, 24, 13, 0, tzinfo=BERLIN)
    assert dates.resolve_when("", "in 20 minutes", NOW, BERLIN) == datetime(2026, 11, 21, 14, 25, tzinfo=BERLIN)
    assert dates.resolve_when("", "at 7", NOW, BERLIN) == datetime(2026, 11, 22, 7, 0, tzinfo=BERLIN)
    london = dates.resolve_when("tomorrow", "3pm London time", NOW, BERLIN)
    assert isinstance(london, datetime) and london.utcoffset() == ZoneInfo("Europe/London").utcoffset(london)
    assert dates.resolve_when("Friday", "", NOW, BERLIN) == date(2026, 11, 27)


def test_a_time_the_clocks_skip_is_refused():
    with pytest.raises(WhenError):
        dates.resolve_when("28 March 2027", "2:30am", NOW, BERLIN)


@pytest.mark.parametrize(("phrase", "day", "period"), [
    ("yesterday", date(2026, 11, 20), "day"), ("two years ago", date(2024, 11, 21), "year"),
    ("last May", date(2026, 5, 1), "month"), ("in 2019", date(2019, 1, 1), "year"),
])
def test_the_date_of_something_said(phrase, day, period):
    when = dates.said_date(phrase, NOW)
    assert when is not None and (when.at.date(), when.period) == (day, period)


@pytest.mark.parametrize("phrase", ["February 30", "", "the colour blue"])
def test_something_said_without_a_real_date_has_none(phrase):
    assert dates.said_date(phrase, NOW) is None


def test_a_question_names_a_period():
    period = dates.period_in("what did we do last weekend?", NOW)
    assert period is not None and (period.start.date(), period.end.date()) == (date(2026, 11, 14), date(2026, 11, 16))
    assert dates.period_in("I may call you", NOW) is None
