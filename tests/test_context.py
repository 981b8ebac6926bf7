from datetime import UTC, datetime

from os1.core.context import INTERRUPTED, StampEcho, history_messages
from os1.storage.base import StoredMessage


def feed_all(parts):
    echo = StampEcho()
    return "".join(echo.feed(p) for p in parts) + echo.flush()


def test_an_echoed_time_stamp_is_dropped():
    assert feed_all(["[Sat 21", " Nov 2026, 14:05] ", "Hello there"]) == "Hello there"


def test_a_leaked_tool_response_tag_is_dropped():
    assert feed_all(["<tool", "_response>", "\nParis is the capital."]) == "Paris is the capital."
    assert feed_all(["</tool_response>\n[Sat 21 Nov 2026, 14:05] Hi"]) == "Hi"


def test_other_replies_pass_untouched():
    assert feed_all(["<3 you too"]) == "<3 you too"
    assert feed_all(["<b>bold</b> move"]) == "<b>bold</b> move"
    assert feed_all(["Hello", " there"]) == "Hello there"
    assert feed_all(["[1] see the footnote"]) == "[1] see the footnote"
    assert feed_all(["["]) == "["


def test_a_stamp_inside_the_reply_loses_its_brackets():
    parts = ["It's ", "[Sun 22", " Nov 2026, 09:", "00] now", " [laughs]"]
    assert feed_all(parts) == "It's Sun 22 Nov 2026, 09:00 now [laughs]"
    echo = StampEcho()
    assert echo.feed("Hi. It is [Sun") == "Hi. It is "  # held until it is clear
    assert echo.feed(" 22 Nov 2026, 09:00].") == "Sun 22 Nov 2026, 09:00."
    assert feed_all(["a [b", "c"]) == "a [bc"  # an unclosed bracket is kept


def test_the_interrupted_mark_of_the_history_is_never_part_of_a_reply():
    assert feed_all(["Sure, I'll do that. What's your favorite ", "[inter", "rupted]"]) == "Sure, I'll do that. What's your favorite "
    assert feed_all(["[interrupted] Hello"]) == "Hello"
    assert feed_all(["Wait", " [interrupted]", " I mean yes."]) == "Wait I mean yes."
    echo = StampEcho()
    assert echo.feed("One moment [inter") == "One moment "  # held until it is clear
    assert echo.feed("rupted].") == "."

    # the history shows the mark that the filter takes out
    cut = StoredMessage(2, 1, "assistant", "Sure, I'll do that. What's your", "interrupted", datetime.now(UTC))
    shown = history_messages([cut], UTC)[0]["content"]
    assert shown == f"Sure, I'll do that. What's your {INTERRUPTED}"
    assert feed_all([shown]) == "Sure, I'll do that. What's your"
