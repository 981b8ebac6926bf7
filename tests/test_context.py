from os1.core.context import StampEcho


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
