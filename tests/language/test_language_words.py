"""Each English word list once: what the resolvers, the routing rules and memory build on."""

import re

import pytest

from os1.language import words


def test_weekdays_and_months_name_every_day_and_month():
    assert len(words.WEEKDAYS) == 7 and words.WEEKDAY_NUMBERS["sunday"] == 6
    assert words.WEEKDAY_NUMBERS["tues"] == words.WEEKDAY_NUMBERS["tue"] == 1
    assert len(words.MONTH_NAMES) == 12
    assert words.MONTHS["sept"] == words.MONTHS["sep"] == words.MONTHS["september"] == 9


@pytest.mark.parametrize(("word", "value"), [
    ("3", 3), ("three", 3), ("twenty-five", 25), ("thirty five", 35), ("a couple of", 2), ("an", 1),
])
def test_numbers_written_out_are_counted(word, value):
    assert words.number(word) == value


@pytest.mark.parametrize("word", ["lots", "three hundred and two", "", "-1"])
def test_what_is_no_number_is_none(word):
    assert words.number(word) is None


@pytest.mark.parametrize("pattern", [words.WEEKDAY, words.MONTH, words.MONTH_OR_SHORT])
def test_the_patterns_match_whole_names_only(pattern):
    rx = re.compile(rf"\b{pattern}\b", re.I)
    for name in (*words.WEEKDAYS, *words.MONTH_NAMES):
        fits = name in words.WEEKDAYS if pattern == words.WEEKDAY else name in words.MONTH_NAMES
        assert bool(rx.fullmatch(name)) == fits, name
    assert not rx.search("someday")


def test_the_short_month_forms_are_the_months_own():
    rx = re.compile(rf"\b{words.MONTH_OR_SHORT}\b", re.I)
    assert all(rx.fullmatch(m) for m in ("dec", "Sept", "december", "feb"))
    assert not rx.fullmatch("monday")
    assert rx.fullmatch("mayday")  # a prefix: it finds "Dec" and "Sept", and needs a day beside it


def test_spelled_counts_in_order():
    assert words.spelled(3) == "one|two|three"
    assert words.spelled().split("|")[-1] == "twelve"
