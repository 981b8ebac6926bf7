"""Which tools a turn is offered. Each offered tool costs its description, read on that turn
(about 1 s per tool on the 0.5B), and an offered tool is one the small models may call by
mistake: small talk gets none, a request gets the tool that does it."""

import pytest

from os1.core.conversation import Companion
from os1.language.routing import offered
from os1.plugins import tools as registered_tools
from tests.fakes import ScriptedLLM

SMALL_TALK = [
    "Tell me a joke.",
    "How are you today?",
    "What is two plus two?",
    "What is 2 plus 2?",
    "What's 12 x 7?",
    "What is the capital of France?",
    "I had a really long day at work and I would like to hear something calm before I sleep.",
    "I keep forgetting to drink water, so please suggest a simple way to remember it.",
    "Tell me about a good book to read on a rainy weekend when I feel a bit lonely.",
    "I am learning to cook and I would like an easy recipe with rice and vegetables.",
    "Could you remind me what we talked about yesterday regarding my new job interview?",
    "Describe the ocean at night for me, as if you were standing on the beach.",
    "Can you tell me a story about a dragon?",
    "What do you think about the novel I mentioned?",
    "What should I pack for a free day hiking trip in the mountains?",
    "Remind me, what should I call you?",
    "Can you recommend a good book of poems?",
    "I wrote a letter to my grandmother today.",
    "I will call you about the book I am reading.",
    "Leave out the onions, please.",
]

REQUESTS = [
    ("Remind me to call my mother.", "set_reminder"),
    ("Tell me at 5 to leave for the station", "set_reminder"),
    ("Don't let me forget the milk tomorrow", "set_reminder"),
    ("Wake me up at 7", "set_reminder"),
    ("Add lunch with Amy next Tuesday at one", "add_event"),
    ("What's on this weekend?", "calendar_agenda"),
    ("Am I busy this afternoon?", "calendar_agenda"),
    ("Am I free on Friday?", "calendar_agenda"),
    ("Push the team review to Thursday at 11am", "move_event"),
    ("Can we make it an hour later?", "move_event"),
    ("Drop the dentist on Friday", "cancel_event"),
    ("Cancel the haircut", "cancel_event"),
    ("Please forget everything about Jamie.", "forget_memories"),
    ("Could you write that down as a note?", "save_note"),
    ("Remember that my favourite colour is green.", "core_memory_append"),
    ("My dog is called Biscuit.", "core_memory_append"),
    ("I'm allergic to peanuts, please remember that.", "core_memory_append"),
    ("Just so you know, I started a new job at a bakery.", "core_memory_append"),
    ("Call me Sam from now on", "core_memory_append"),
    ("I've got two cats called Miso and Tofu", "core_memory_append"),
    ("Tidy up my Downloads folder", "tidy_plan"),
    ("Can you organize the files in ~/Documents?", "tidy_plan"),
    ("Where did you put the lease?", "find_moved_file"),
    ("Put the invoices back where they were", "tidy_undo"),
    ("Undo that tidy-up", "tidy_undo"),
    ("Apply the tidy-up plan #3", "tidy_apply"),
    ("Put the lease in Documents/Housing", "tidy_place"),
    ("Could you move scan_0042.pdf into Documents please?", "tidy_place"),
    ("From now on put lease.pdf in Documents/Housing", "tidy_place"),
    ("Always put *.epub files into Books", "tidy_place"),
    ("Write me a song for our day at the beach", "compose_music"),
    ("Could you compose something for us?", "compose_music"),
    ("Make a little piece for my mum's birthday", "compose_music"),
    ("Play it again", "vary_music"),
    ("Can you make it slower?", "vary_music"),
    ("Play the song you wrote for me in June", "vary_music"),
    ("Can you proofread the letter I just wrote to Amy?", "proofread_letter"),
    ("Please check the spelling in my letter to Chris", "proofread_letter"),
    ("Put my letters from this year into a book", "make_letter_book"),
    ("Make a book of my letters to Loretta", "make_letter_book"),
    ("Send the book to Penguin at submissions@penguin.example", "send_book_to_publisher"),
    ("Call the book 'Dear Loretta'", "change_letter_book"),
    ("Leave out the letter to Paul", "change_letter_book"),
    ("Take my letter to Paul out of it", "change_letter_book"),
    ("Put letter 5 back into the book", "change_letter_book"),
    ("Change the introduction of the book", "change_letter_book"),
    ("Now make the book", "make_letter_book"),
    ("Write a letter for Chris to Loretta for their 50th anniversary, they met at a bus stop in 1974",
     "write_letter"),
]


@pytest.fixture
def session_of(settings, store):
    async def build(*replies: str):
        return await Companion(settings, ScriptedLLM(*replies), store, registered_tools()).session()
    return build


@pytest.mark.parametrize("text", SMALL_TALK)
async def test_small_talk_is_offered_no_tool(session_of, text):
    session = await session_of()
    assert await session.offer(text) == set()


@pytest.mark.parametrize(("text", "tool"), REQUESTS)
async def test_a_request_is_offered_the_tool_that_does_it(session_of, text, tool):
    session = await session_of()
    assert tool in await session.offer(text)


async def test_yes_after_a_tidy_plan_is_offered_apply_and_small_talk_no_file_tool(session_of):
    session = await session_of()
    assert "tidy_apply" in offered("yes, go ahead", called=frozenset({"tidy_plan"}))
    assert "tidy_apply" not in offered("Tidy up my Downloads folder")  # the plan is read first
    for text in ("I need to tidy my room.", "Sort out my week, please", "I moved to Lisbon",
                 "Sort my inbox into folders"):
        assert not {"tidy_plan", "tidy_apply", "tidy_undo", "find_moved_file"} & await session.offer(text)
    for text in ("Put the milk in the fridge", "Move the dentist to Friday", "Move that email into Receipts/2025",
                 "I put my coat in the car"):
        assert "tidy_place" not in await session.offer(text), text


async def test_a_moving_sister_and_a_milk_reminder_are_no_event_change_nor_forgetting(session_of):
    session = await session_of()
    assert not {"move_event", "cancel_event"} & await session.offer("My sister is moving to a new city.")
    assert "forget_memories" not in await session.offer("Don't forget to buy milk tomorrow")


async def test_a_question_about_what_the_user_did_is_no_event_change(session_of):
    session = await session_of()
    for text in ("When did I move to Bristol?", "Where did I move from?", "Did I cancel my gym membership?"):
        assert not {"move_event", "cancel_event"} & await session.offer(text), text
    assert "move_event" in await session.offer("Move the dentist to Friday at 4")


async def test_the_previous_request_carries_over_only_when_the_reply_asked_back(session_of):
    session = await session_of("All right.", "Sure. Which day?")
    [e async for e in session.turn("Remind me to call my mother")]
    assert await session.offer("What is two plus two?") == set()  # the reply asked nothing
    [e async for e in session.turn("Move my lunch with Amy")]
    assert "move_event" in await session.offer("Wednesday")  # answers "Which day?"


async def test_a_call_that_needs_the_users_answer_asks_it_at_once(session_of):
    from os1.events import EventType
    from os1.models.base import ToolCall

    call = ToolCall("a", "set_reminder", {"what": "call my mother"})
    session = await session_of(call, "Never used: the question goes straight to the user.")
    events = [e async for e in session.turn("Remind me to call my mother")]
    said = "".join(e.data.get("text", "") for e in events if e.type == EventType.TEXT)
    assert said == "No day or time was given. When should I remind you?"
    assert len(session.c.llm.prompts) == 1  # no second model step
    assert "set_reminder" in await session.offer("at five")  # the answer still has the tool
    assert await session.offer("What is two plus two?") == set()  # a new question, not the answer


async def test_every_scheduling_request_of_the_time_bench_is_offered_its_tool(session_of):
    """bench/time's 108 requests (bench/data/time_requests.json): narrower words must not take
    a request's own tool away."""
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).parent.parent / "bench/data/time_requests.json").read_text())
    session = await session_of()
    missing = [(r["text"], r["tool"]) for r in data["requests"]
               if r["tool"] and r["tool"] not in await session.offer(r["text"])]
    assert len(data["requests"]) == 108 and missing == []


LIFE_STATEMENTS = [
    "I move on May 1st.",
    "We spent the day at the beach.",
    "My first day is March 3rd.",
    "We're going again on Saturday.",
    "I think I'll go to bed early tonight.",
    "My mum's birthday is on June 12th.",
    "It's been three months. The flat is so quiet.",
]
TIME_TOOLS = {"set_reminder", "calendar_agenda", "add_event", "move_event", "cancel_event"}


@pytest.mark.parametrize("text", LIFE_STATEMENTS)
async def test_a_statement_about_ones_life_is_conversation_not_a_booking(session_of, text):
    session = await session_of()
    assert not TIME_TOOLS & await session.offer(text)


async def test_a_statement_after_a_reply_that_asked_back_does_not_repeat_the_request(session_of):
    session = await session_of("Done! Anything else on your mind?")
    [e async for e in session.turn("Remind me to call Lena on Sunday at 6")]
    assert not TIME_TOOLS & await session.offer("My sister Lena lives in Lisbon and studies octopuses.")
    assert "set_reminder" in await session.offer("Sunday at 6 please")  # an answer still counts
    assert not TIME_TOOLS & await session.offer("Anyway, I've been thinking about learning the cello.")


async def test_the_words_after_a_statement_are_not_read_as_its_request(session_of):
    session = await session_of("May already! Where are you moving to?")
    [e async for e in session.turn("I move on May 1st.")]
    assert not TIME_TOOLS & await session.offer("Into a small flat near the river.")


async def test_a_statement_that_asks_is_still_a_request(session_of):
    session = await session_of()
    assert "set_reminder" in await session.offer("I have to get up at 5:45, can you make sure I do?")
    assert "add_event" in await session.offer("I've got a haircut next Friday at 17:00, put it in my calendar")
    assert "move_event" in await session.offer("Can we move it to Friday?")
    assert "move_event" not in await session.offer("When do I move?")  # a home, not an event


@pytest.mark.parametrize(("text", "tools"), [
    ("Summarize email #2 for me.", {"mail_read"}), ("Read me email #4", {"mail_read"}),
    ("What does the second email say?", {"mail_read"}),
    ("Reply to message 3 that I agree", {"mail_read", "mail_send"})])
def test_one_email_by_its_number_is_read_not_searched_nor_a_date(text, tools):
    # Offered a search as well, the 1.5B searched for "subject:summary" instead of reading #1;
    # offered mail_send, the 0.5B sent its "summary" to an address it made up.
    from os1.language.routing import offered
    assert offered(text) == tools
    assert offered(text, called=frozenset({"mail_read"})) == tools  # even right after


def test_mail_by_words_still_gets_every_mail_tool():
    from os1.language.routing import MAIL_TOOLS, offered
    assert offered("Anything new in my mail?") == MAIL_TOOLS
    assert offered("What does Amy say?", called=frozenset({"mail_new"})) == MAIL_TOOLS


@pytest.mark.parametrize("text", [
    "What did I tell you about Paul?", "Where did we meet?", "Do you remember my sister's name?",
    "When did I move to Bristol?", "Where do I live now?", "What's my job these days?",
    "How good am I at the piano now?", "What's my niece called?", "Do I have any siblings?"])
def test_a_question_about_our_past_asks_memory_even_right_after_mail(text):
    from os1.language.routing import MAIL_TOOLS, offered
    assert not offered(text, called=frozenset({"mail_send"})) & MAIL_TOOLS


@pytest.mark.parametrize("text", [
    "What did I say in my reply to Paul?", "Did I get any mail from Amy?", "What does he want?"])
def test_mail_words_or_a_follow_up_still_get_the_mail_tools(text):
    from os1.language.routing import offered
    assert "mail_search" in offered(text, called=frozenset({"mail_read"}))


@pytest.mark.parametrize("text", ["Thanks", "Great, thanks!", "Thank you so much.", "ok", "Perfect!"])
def test_thanks_alone_carries_no_tool_over(text):
    from os1.language.routing import offered
    assert offered(text, called=frozenset({"mail_send", "move_event", "vary_music"})) == set()


def test_an_okay_that_answers_a_question_still_goes_on_with_the_request():
    from os1.language.routing import offered
    # "Shall I remind you at 5?" -> "Okay!": the request before it still counts
    assert "set_reminder" in offered("Okay!", previous="Remind me to call Amy tomorrow")
    assert "mail_send" in offered("Thanks, and reply that I'll come", called=frozenset({"mail_read"}))


def test_only_an_email_named_by_its_number_requires_its_tool():
    from os1.language.routing import required

    assert required("Summarize email #6 for me.") == {"mail_read"}
    assert required("what does message 3 say?") == {"mail_read"}
    assert required("Reply to #2 that I'll be there") == {"mail_read"}
    for text in ["Anything new in my mail?", "What's on tomorrow?", "And the one before that?",
                 "I'm feeling a bit lonely since the divorce."]:
        assert required(text) == set(), text
def test_a_change_to_a_piece_is_offered_right_after_one_and_is_no_event_change():
    from os1.language.routing import offered
    after = frozenset({"compose_music"})
    assert offered("in a major key", called=after) == {"vary_music"}
    assert offered("longer please", called=after) == {"vary_music"}
    assert offered("What is two plus two?", called=after) == set()
    assert offered("in a major key") == set()  # no piece to change
    assert offered("Can you make it slower?") == {"vary_music"}  # not move_event
    assert offered("What music do you like?") == set()
    assert "move_event" in offered("Can we make it an hour later?")


@pytest.mark.parametrize("text", ["And the day after?", "Is the haircut still on?", "And on that day?"])
def test_a_question_going_on_from_a_calendar_turn_may_look_at_the_calendar(text):
    from os1.language.routing import offered
    assert "calendar_agenda" in offered(text, called=frozenset({"calendar_agenda"}))
    assert "calendar_agenda" not in offered(text)  # alone, its words name no day


@pytest.mark.parametrize("text", ["How are you today?", "And what did I do before that?", "What's 12 times 7?",
                                  "The day after I fly home I will rest.", "Thanks!"])
def test_other_words_after_a_calendar_turn_get_no_calendar(text):
    from os1.language.routing import offered
    assert "calendar_agenda" not in offered(text, called=frozenset({"calendar_agenda", "move_event"}))


def test_after_the_book_plan_changed_making_it_is_offered():
    assert "make_letter_book" in offered("Good, go ahead", called=frozenset({"change_letter_book"}))
    assert "make_letter_book" not in offered("Good, go ahead")
    assert "make_letter_book" not in offered("I want to finish writing a book this winter.")


@pytest.mark.parametrize("text", ["Leave out the letter to Paul", "Can you proofread the letter I just wrote to Amy?"])
def test_a_letter_is_the_letters_skill_and_not_mail(text):
    from os1.language.routing import MAIL_TOOLS, offered
    assert not offered(text) & MAIL_TOOLS
