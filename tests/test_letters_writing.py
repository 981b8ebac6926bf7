"""Writing a letter from notes: the user's letters are the voice, and what the notes don't say
is marked for the user, whatever the model wrote."""

from datetime import date

import pytest

from os1.skills.letters.repository import LetterRepository
from os1.skills.letters.writing import mark_unknown, voice_samples, write_letter
from tests.fakes import ScriptedLLM

NOTES = "for Chris to Loretta, their 50th anniversary, they met at a bus stop in 1974"


def test_names_and_numbers_the_notes_dont_give_are_marked():
    draft = ("Dear Loretta,\n\nFifty years ago, in 1974, you and Chris met at a bus stop on Elm Street. "
             "Since then so much has happened. Julia sends her love. On June 12 we will celebrate.\n\n"
             "With love,\nChris")
    marked = mark_unknown(draft, NOTES, "Loretta")
    assert "[Elm?] [Street?]" in marked and "[Julia?] sends" in marked and "June [12?]" in marked
    assert "in 1974, you and Chris" in marked and "Since then" in marked and "Dear Loretta" in marked


async def test_the_draft_is_written_in_the_voice_of_the_users_letters(store):
    repo = LetterRepository(store)
    await repo.add("tester", "Amy", date(2026, 1, 2), "", "Dearest Amy,\n\nA short note from the porch.\n\nYours, Theo")
    await repo.add("tester", "Loretta", date(2025, 5, 1), "", "My dear Loretta,\n\nThe lilacs are out.\n\nTheo")
    samples = await voice_samples(repo, "tester", "Loretta")
    assert [s.recipient for s in samples] == ["Loretta", "Amy"]  # the same person's letters first
    llm = ScriptedLLM("My dear Loretta,\n\nFifty years since the bus stop in 1974! Paul says hello.\n\nChris")
    text = await write_letter(llm, "Loretta", NOTES, samples, voice_of="Chris")
    system = llm.prompts[0][0]["content"]
    assert "The lilacs are out." in system and "from Chris" in system and "square brackets" in system
    assert "Dear Loretta," in system
    assert NOTES in llm.prompts[0][1]["content"]
    assert "[Paul?] says hello" in text and "in 1974!" in text


@pytest.mark.model
async def test_the_real_model_writes_a_letter_to_loretta(real_llm):
    text = await write_letter(real_llm, "Loretta", NOTES, [], voice_of="Chris", max_tokens=120)
    assert "Loretta" in text and len(text.split()) > 20
