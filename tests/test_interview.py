"""The interview as a conversation (a scripted model stands in for the choices; the real model's
own choice is tested at the end): reactions and follow-ups between the questions, a name and
words that fit the voice asked for and speak to "you", the voice card, and choosing again or
changing one part."""

from __future__ import annotations

import pytest

from os1.core.identity import change_identity, current_identity
from os1.core.interview import QUESTIONS, choose_again, run_interview
from os1.language.persona import FALLBACK_NAMES, MALE_NAMES, latin_only, persona_request
from os1.memory import blocks
from tests.fakes import ScriptedLLM

ANSWERS = ["Call me Sam", "Quite private, a few close friends", "Warm but complicated",
           "A female voice, please", "Remembering things and planning my days"]
CARD = {"how_i_talk": "I talk gently and with a little humour.",
        "what_i_care_about": "I care about the small joys in your days.",
        "examples": [{"user": "I baked bread today.", "companion": "Oh, lovely! Did the crust come out crisp?"},
                     {"user": "Work was rough.", "companion": "I'm sorry it wore you out. Want to tell me about it?"}]}
GOOD = {"name": "Clara", "personality": "I am calm, curious and kind.", "why_this_name": "It sounds clear, like I want to be for you."}


def asker(answers: list[str]):  # type: ignore[no-untyped-def]
    asked: list[str] = []
    queue = list(answers)

    async def ask(question: str) -> str:
        asked.append(question)
        return queue.pop(0)

    return ask, asked


async def interview(store, llm, answers=ANSWERS, follow_ups=True):  # type: ignore[no-untyped-def]
    ask, asked = asker(answers)
    sid = await store.start_session("tester")
    return await run_interview(llm, store, "tester", sid, ask, follow_ups=follow_ups), asked


async def test_reactions_and_a_follow_up_make_it_a_conversation(store) -> None:
    llm = ScriptedLLM(
        {"reaction": "Nice to meet you, Sam.", "follow_up": ""},
        {"reaction": "A few close friends is a good thing.", "follow_up": "What do you like doing with them?"},
        {"reaction": "Complicated can still be warm.", "follow_up": "What makes it complicated?"},
        {"reaction": "Lovely, I hoped you would say that.", "follow_up": ""},
        {"reaction": "I'd love to help with that.", "follow_up": "Any plans I should know about?"},  # a third: not asked
        GOOD, CARD,
    )
    identity, asked = await interview(store, llm, [*ANSWERS[:2], "Long walks.", ANSWERS[2], "Old quarrels.", *ANSWERS[3:]])
    assert asked[1] == "Nice to meet you, Sam. " + QUESTIONS[1][1]
    assert asked[2] == "A few close friends is a good thing. What do you like doing with them?"
    assert asked[3] == QUESTIONS[2][1]  # a follow-up's answer gets no reaction of its own
    assert asked[4] == "Complicated can still be warm. What makes it complicated?"
    assert asked[6] == "Lovely, I hoped you would say that. " + QUESTIONS[4][1]
    assert len(asked) == 7  # five questions, two follow-ups: at most two in all
    assert identity.intro.startswith("I'd love to help with that. I'd like to be called Clara.")
    profile = await store.profile("tester")
    assert profile["interview_follow_ups"]["mother"]["answer"] == "Old quarrels."
    assert profile["voice_examples"] == CARD["examples"]
    assert profile["interview"]["mother"] == "Warm but complicated"
    persona = (await blocks.load_blocks(store, "tester"))["persona"].value
    assert "How I talk: I talk gently and with a little humour." in persona
    assert "What I care about: I care about the small joys in your days." in persona
    # the follow-up's answer reaches the choice of identity
    assert "Old quarrels." in llm.prompts[5][0]["content"]


async def test_a_name_and_words_that_do_not_fit_are_chosen_again(store) -> None:
    wrong = [
        {"name": "Max", "personality": "I am calm.", "why_this_name": "It is short, like you like."},  # male name
        {"name": "Nora", "personality": "I am calm and he is kind.", "why_this_name": "It is soft, for you."},  # "he"
        {"name": "Nora", "personality": "I am calm and kind.", "why_this_name": "It suits the user well."},
        {"name": "Nora", "personality": "I am calm and kind 温柔.", "why_this_name": "It is soft, for you."},
    ]
    identity, _ = await interview(store, ScriptedLLM(*[{}] * 5, *wrong[:3], {}, {}))
    assert not identity.chosen_by_model and identity.name in FALLBACK_NAMES["female"]
    assert identity.examples and all(latin_only(e["companion"]) for e in identity.examples)
    identity, _ = await interview(store, ScriptedLLM(*[{}] * 5, wrong[3], wrong[0], GOOD, CARD))
    assert identity.chosen_by_model and identity.name == "Clara" and identity.voice == "female"


async def test_choose_again_and_change_one_part(store) -> None:
    await interview(store, ScriptedLLM(*[{}] * 5, GOOD, CARD))
    await blocks.set_value(store, "tester", "persona",
                           (await blocks.load_blocks(store, "tester"))["persona"].value + "\n\nLately: I am learning Sam's rhythm.")
    playful = {"personality": "I am playful, curious and kind.", "how_i_talk": "I talk with jokes and warmth."}
    changed = await change_identity(ScriptedLLM(playful), store, "tester", "be more playful")
    assert changed is not None and changed.name == "Clara" and changed.personality == playful["personality"]
    persona = (await blocks.load_blocks(store, "tester"))["persona"].value
    assert "Personality: I am playful" in persona and persona.endswith("Lately: I am learning Sam's rhythm.")
    assert "My name is Clara" in persona  # the interview's choice is kept
    again = await choose_again(ScriptedLLM(GOOD, {**GOOD, "name": "Iris"}, CARD), store, "tester")
    assert again is not None and again.name == "Iris"  # not the name it had
    assert (await current_identity(store, "tester")).name == "Iris"  # type: ignore[union-attr]
    assert (await store.profile("tester"))["companion_name"] == "Iris"


def test_requests_to_change_the_persona() -> None:
    assert persona_request("choose again") == "redo" and persona_request("Could you pick another name?") == "redo"
    assert persona_request("be more playful") == "change" and persona_request("Can you be a bit less formal?") == "change"
    for line in ["I want to be more productive", "choose a restaurant for tonight", "be careful"]:
        assert persona_request(line) is None, line


@pytest.mark.model
async def test_the_real_model_reacts_and_chooses_a_name_that_fits_a_female_voice(real_llm, store) -> None:
    asked: list[str] = []

    async def ask(words: str) -> str:  # a person answering as it goes, follow-ups too
        asked.append(words)
        for (_, question), answer in zip(QUESTIONS, ANSWERS, strict=True):
            if words.endswith(question):
                return answer
        return "Mostly quiet evenings with a book."

    sid = await store.start_session("tester")
    identity = await run_interview(real_llm, store, "tester", sid, ask, follow_ups=True)
    print(*asked, identity, sep="\n")
    assert asked[0] == QUESTIONS[0][1] and 5 <= len(asked) <= 7
    assert all(latin_only(a) and "the user" not in a.lower() for a in asked)
    assert identity.name.lower() not in MALE_NAMES and latin_only(identity.intro)
    assert "the user" not in identity.intro.lower()
    profile = await store.profile("tester")
    assert 2 <= len(profile["voice_examples"]) <= 3
    persona = (await blocks.load_blocks(store, "tester"))["persona"].value
    assert "How I talk:" in persona and "What I care about:" in persona


async def test_an_echo_or_a_cut_off_reaction_is_not_said(store) -> None:
    llm = ScriptedLLM(
        {"reaction": "You would like me to call you Sam.", "follow_up": ""},  # the question again
        {"reaction": "Remembering things is something I", "follow_up": ""},  # cut off
        {"reaction": "Great question! I love people.", "follow_up": ""},  # a help desk's words
        {"reaction": "Ha, that says a lot about you.", "follow_up": ""},
    )
    _, asked = await interview(store, llm)
    assert asked[1:4] == [QUESTIONS[1][1], QUESTIONS[2][1], QUESTIONS[3][1]]
    assert asked[4] == "Ha, that says a lot about you. " + QUESTIONS[4][1]


def test_os1_persona_show(settings) -> None:
    import asyncio

    from os1.core.identity import Identity, save_identity
    from os1.storage.sqlite import SqliteStore
    from tests.cli_helpers import os1, out

    r = os1("persona", "show")
    assert r.returncode == 2 and "no persona yet" in out(r)

    async def seed() -> None:
        db = await SqliteStore.open(settings.db_path)
        await save_identity(db, "tester", Identity("Clara", "I am calm and kind.", "It sounds clear to you.", True,
                                                   "female", CARD["how_i_talk"], CARD["what_i_care_about"],
                                                   CARD["examples"]))
        await db.close()

    asyncio.run(seed())
    shown = out(os1("persona", "show"))
    for part in ["Clara", "I am calm and kind.", "Voice: female", "How I talk: I talk gently", "What I care about:",
                 "you: I baked bread today.", "Clara: Oh, lovely!"]:
        assert part in shown, part
