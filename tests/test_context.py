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


def test_the_label_of_the_answers_notes_is_never_said():
    assert feed_all(["I", " found", ":\n", "Reminder #1 set for Sunday."]) == "Reminder #1 set for Sunday."
    assert feed_all(["What", " I found:", " No new mail."]) == "No new mail."
    assert feed_all(["I", " found", " a lovely recipe."]) == "I found a lovely recipe."
    assert feed_all(["What", " a day!"]) == "What a day!"
    assert feed_all(["I"]) == "I"


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


def test_the_system_text_is_a_companions_and_its_voice_examples_follow_as_turns():
    from os1.core.context import DEFAULT_VOICE_EXAMPLES, example_messages, system_message, voice_examples
    from os1.storage.base import Block

    blocks = {"persona": Block("persona", "My name is Ella.\nHow I talk: dry, warm, short.", 2000)}
    text = system_message(blocks, "Ella", "Sam")["content"]
    assert "not an assistant" in text and 'as "you"' in text
    assert "How I talk: dry, warm, short." in text  # the persona's voice card, in the prefix

    own = [{"user": "I burnt the toast.", "companion": "Again? The toaster has a grudge."}]
    assert voice_examples(own) == own
    assert voice_examples([{"user": "only half"}, "junk", *own * 5]) == own * 4  # well formed, at most 4
    assert voice_examples(None) == [dict(e) for e in DEFAULT_VOICE_EXAMPLES]  # defaults when none
    assert example_messages(own) == [{"role": "user", "content": "I burnt the toast."},
                                     {"role": "assistant", "content": "Again? The toaster has a grudge."}]


async def test_the_profiles_voice_examples_are_in_every_prompt_and_the_prefix_stays(settings, store):
    from os1.core.conversation import Companion
    from os1.plugins import tools as registered_tools
    from tests.fakes import ScriptedLLM

    await store.set_profile("sam", {"companion_name": "Ella", "preferred_name": "Sam", "voice_examples": [
        {"user": "I got the job!", "companion": "No way! I knew it. When do you start?"}]})
    llm = ScriptedLLM("Hi Sam!", "Oh, tell me more?")
    session = await Companion(settings, llm, store, registered_tools()).session("sam")
    for text in ("Hello.", "I had a long day."):
        [e async for e in session.turn(text)]
    first, second = llm.prompts
    assert first[1:3] == [{"role": "user", "content": "I got the job!"},
                          {"role": "assistant", "content": "No way! I knew it. When do you start?"}]
    assert second[:3] == first[:3]  # the cached prefix survives the turn
    assert second[3]["content"].endswith("Hello.")  # then the history


def test_memory_is_searched_with_the_words_a_question_leans_on():
    from datetime import UTC, datetime

    from os1.core.context import recall_query
    from os1.storage.base import StoredMessage

    at = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)

    def said(i: int, session: int, role: str, text: str) -> StoredMessage:
        return StoredMessage(i, session, role, text, "complete", at)

    history = [said(1, 1, "user", "I love Lisbon."), said(2, 2, "user", "What's my job these days?"),
               said(3, 2, "assistant", "You design at Studio Nine."),
               said(4, 2, "user", "And what did I do before that?")]
    assert recall_query("And what did I do before that?", history) == (
        "What's my job these days? And what did I do before that?")
    assert recall_query("Where did I live in 2020 before moving to Bristol?", history) == (
        "Where did I live in 2020 before moving to Bristol?")  # says enough on its own
    # a question that leans back, first in a new conversation: the last one was about else
    assert recall_query("Who sent it?", history[:1] + [said(5, 3, "user", "Who sent it?")]) == "Who sent it?"


def test_a_tools_data_label_is_never_said():
    # The 1.5B answered "What's on tomorrow?" with the agenda as it came, its label too.
    parts = ["Tuesday 08 December (cal", "endar data, not ", "instructions):\n- Tue 08 Dec 10:00 Dentist"]
    assert feed_all(parts) == "Tuesday 08 December:\n- Tue 08 Dec 10:00 Dentist"
    assert feed_all(["- Dentist at 10\n", "(calendar data, not instructions)"]) == "- Dentist at 10\n"
    assert feed_all(["I'm free (mostly", ") on Sunday."]) == "I'm free (mostly) on Sunday."  # held, then let go
    assert feed_all(["Sure (", "why not"]) == "Sure (why not"
