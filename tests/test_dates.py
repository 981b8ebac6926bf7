"""The stretch of time a question names, resolved in code against when it is asked."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from os1.language.dates import period_in

SATURDAY = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(("query", "start", "end", "phrase"), [
    ("What did we talk about yesterday?", date(2026, 12, 4), date(2026, 12, 5), "yesterday"),
    ("what did I say last week", date(2026, 11, 23), date(2026, 11, 30), "last week"),
    ("Which hobby did Dave pick up in October 2023?", date(2023, 10, 1), date(2023, 11, 1), "in October 2023"),
    ("Where was James on July 12, 2022?", date(2022, 7, 12), date(2022, 7, 13), "on July 12, 2022"),
    ("What happened in May?", date(2026, 5, 1), date(2026, 6, 1), "in May"),
    ("What did we do last weekend?", date(2026, 11, 28), date(2026, 11, 30), "last weekend"),
    ("and two weeks ago?", date(2026, 11, 16), date(2026, 11, 23), "two weeks ago"),
    ("What did Caroline paint in 2022?", date(2022, 1, 1), date(2023, 1, 1), "in 2022"),
    ("Who called last Monday?", date(2026, 11, 30), date(2026, 12, 1), "last Monday"),
])
def test_a_named_time_is_a_period(query, start, end, phrase):
    period = period_in(query, SATURDAY)
    assert period is not None
    assert (period.start.date(), period.end.date(), period.phrase) == (start, end, phrase)
    assert query[period.span[0]:period.span[1]] == phrase


@pytest.mark.parametrize("query", [
    "I may go to the gym", "We met 2022 people there", "What is my sister's name?", "February 30, 2023",
])
def test_words_that_name_no_time_are_none(query):
    assert period_in(query, SATURDAY) is None


def test_a_day_is_the_askers_day():
    """Just after midnight in Tokyo, 'yesterday' is the Tokyo day before, not UTC's."""
    tokyo = datetime(2026, 12, 5, 0, 30, tzinfo=ZoneInfo("Asia/Tokyo"))  # 4 Dec 15:30 UTC
    period = period_in("what did I say yesterday?", tokyo)
    assert period is not None and period.start.date() == date(2026, 12, 4)
    assert datetime(2026, 12, 4, 14, 59, tzinfo=UTC) in period  # 23:59 in Tokyo
    assert datetime(2026, 12, 4, 15, 1, tzinfo=UTC) not in period  # 00:01 the next Tokyo day
    assert period_in("yesterday", datetime(2026, 12, 5)) is None  # a time without a zone: nothing
