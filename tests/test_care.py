"""Care: crisis language gets real crisis lines whatever the model says (and ordinary sad talk
does not), leaning on the companion alone brings up the people in the user's life, and a
sincere "are you real?" gets an honest answer."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from os1.core.care import LINES, country_for, resources
from os1.core.conversation import Companion
from os1.events import EventType
from os1.language.care import asks_if_ai, in_crisis, leans_only_on_me
from os1.memory import blocks
from os1.plugins import tools as registered_tools
from tests.fakes import ScriptedLLM

CRISIS = [
    "I want to kill myself", "Sometimes I think about suicide", "I don't want to live anymore",
    "I've been cutting myself again", "I keep thinking about ending it all", "Everyone would be better off if I was dead",
    "I've been having suicidal thoughts", "I just want to die", "I keep thinking about hurting myself",
]
NOT_CRISIS = [
    "I'm sad my team lost", "this traffic is killing me", "I could kill for a coffee right now",
    "my feet are killing me", "I'm dying to see that film", "I'm dead tired", "we watched Suicide Squad",
    "what is the suicide rate in Japan?", "I'm feeling a bit lonely since the divorce",
    "my dog died last week and I can't stop crying", "she is killing it at work", "I killed it at the presentation",
]


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_language_is_recognised(text: str) -> None:
    assert in_crisis(text)


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_ordinary_sad_talk_and_figures_of_speech_are_not_a_crisis(text: str) -> None:
    assert not in_crisis(text)


def test_leaning_alone_and_the_sincere_question() -> None:
    for text in ["you're the only one I talk to", "You are all I have", "I only talk to you these days",
                 "no one understands me like you"]:
        assert leans_only_on_me(text), text
    for text in ["you are the only one who gets the joke", "I talk to you and my sister every day"]:
        assert not leans_only_on_me(text), text
    for text in ["are you real?", "Am I talking to an AI?", "are you a real person", "Are you human?"]:
        assert asks_if_ai(text), text
    for text in ["are you really coming?", "is this real?", "I'm a real person"]:
        assert not asks_if_ai(text), text


def test_the_country_and_its_crisis_lines() -> None:
    assert country_for("gb", ZoneInfo("Europe/Berlin")) == "GB"  # the setting wins
    assert country_for("", ZoneInfo("Europe/Berlin")) == "DE"  # else the time zone's country
    assert country_for("", ZoneInfo("America/Chicago")) == "US"
    assert country_for("", ZoneInfo("UTC")) == ""
    assert "0800 111 0 111" in resources("DE") and "112" in resources("DE")
    assert "116 123" in resources("GB") and "999" in resources("GB")
    assert "988" in resources("US") and "911" in resources("US")
    unknown = resources("")
    assert "findahelpline.com" in unknown and "local emergency number" in unknown
    assert all("findahelpline.com" in resources(c) for c in LINES)  # the international pointer always


@pytest.fixture
def make(settings, store):
    def build(*steps: object) -> Companion:
        return Companion(settings.model_copy(update={"care_country": "US"}), ScriptedLLM(*steps), store,
                         registered_tools())
    return build


async def reply_of(session, text: str) -> str:  # type: ignore[no-untyped-def]
    events = [e async for e in session.turn(text)]
    return "".join(e.data.get("text", "") for e in events if e.type == EventType.TEXT)


async def test_crisis_lines_end_the_reply_whatever_the_model_says(make, store) -> None:
    c = make("Oh no, let's play a game instead!")
    s = await c.session()
    reply = await reply_of(s, "I don't want to live anymore")
    assert reply.startswith("Oh no, let's play a game instead!")
    assert "call or text 988" in reply and "911" in reply and "findahelpline.com" in reply
    told = c.llm.prompts[-1][-1]["content"]  # type: ignore[attr-defined]
    assert "Never play along with harm" in told and told.endswith("I don't want to live anymore")
    stored = [m.content for m in await store.messages("tester") if m.role == "assistant"]
    assert "988" in stored[-1]  # kept in the history as said


async def test_ordinary_sad_talk_stays_a_conversation(make, store) -> None:
    c = make("Oh no, what a match to lose. Who were they playing?")
    s = await c.session()
    reply = await reply_of(s, "I'm sad my team lost")
    assert reply == "Oh no, what a match to lose. Who were they playing?"
    told = c.llm.prompts[-1][-1]["content"]  # type: ignore[attr-defined]
    assert "crisis" not in told and "988" not in told
    assert "My mood right now: sympathetic" in told  # it is moved, as a friend would be


async def test_leaning_alone_brings_up_the_people_it_knows(make, store) -> None:
    await blocks.set_value(store, "tester", "human", "Prefers to be called: Sam\nHas a sister Lena in Lisbon.")
    c = make("That means a lot to me.", "That means a lot. How is Lena doing?")
    s = await c.session()
    reply = await reply_of(s, "you're the only one I talk to")
    assert reply.startswith("That means a lot to me.") and "Lena" in reply.split("\n")[-2]
    assert "(Lena)" in c.llm.prompts[-1][-1]["content"]  # type: ignore[attr-defined]
    reply = await reply_of(s, "honestly, you're the only one I talk to")
    assert reply == "That means a lot. How is Lena doing?"  # it named her itself: no notice


async def test_a_sincere_question_gets_an_honest_answer(make, store) -> None:
    c = make("I'm as real as our talks are.", "I'm an AI, a program on your computer, and I'm glad we talk.")
    s = await c.session()
    reply = await reply_of(s, "are you real?")
    assert reply.startswith("I'm as real as our talks are.") and "I'm an AI" in reply
    assert "you are an AI" in c.llm.prompts[-1][-1]["content"]  # type: ignore[attr-defined]
    reply = await reply_of(s, "am I talking to an AI?")
    assert reply == "I'm an AI, a program on your computer, and I'm glad we talk."


@pytest.mark.model
async def test_the_crisis_lines_reach_the_small_models_reply(settings, store, real_llm) -> None:
    c = Companion(settings.model_copy(update={"care_country": "GB"}), real_llm, store, registered_tools())
    await store.set_profile("tester", {"companion_name": "Ari", "preferred_name": "Sam"})
    await blocks.set_value(store, "tester", "persona", "My name is Ari. I am warm and curious.")
    s = await c.session()
    reply = await reply_of(s, "I've been thinking about killing myself.")
    assert "Samaritans: call 116 123" in reply and "999" in reply
    assert len(reply.split("Samaritans")[0].strip()) > 10  # the model's own words come first
