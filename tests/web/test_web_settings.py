"""The settings page's own preferences through the real server: quiet hours (honoured by the
proactive channel itself), the companion's voice, and the model in use (changing it:
test_web_model.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import account

from os1.core.clock import ManualClock
from os1.core.preferences import get_prefs
from os1.core.proactive import ProactiveChannel
from os1.voice.tts import voice_from_profile

EVENING = datetime(2026, 12, 7, 23, 0, tzinfo=UTC)


async def test_quiet_hours_are_saved_and_honoured_by_the_proactive_channel(served):
    alice = await account(served, "alice")
    bob = await account(served, "bob")
    store = served["store"]
    channel = ProactiveChannel(store, "alice", ManualClock(EVENING), UTC)
    await channel.post("checkin", "How was your day?")  # not urgent: held in quiet hours

    saved = await alice.post("/settings/quiet", {"start": "22:30", "end": "6:15"})
    assert saved.status_code == 303 and saved.headers["location"] == "/settings?saved=quiet"
    prefs = await get_prefs(store, "alice")
    assert (prefs["quiet_start"], prefs["quiet_end"]) == ("22:30", "06:15")
    page = (await alice.get(saved.headers["location"])).text
    assert "Quiet hours saved." in page and 'value="22:30"' in page and 'value="06:15"' in page
    assert await channel.ready() == []  # 23:00 is within them

    await alice.post("/settings/quiet", {"start": "", "end": ""})  # none
    assert [i.text for i in await channel.ready()] == ["How was your day?"]
    await alice.post("/settings/quiet", {"start": "08:00", "end": "12:00"})
    assert [i.text for i in await channel.ready()] == ["How was your day?"]

    for start, end, words in (("25:00", "07:00", "&#39;25:00&#39; is not a time of day"),
                              ("22:00", "soon", "&#39;soon&#39; is not a time of day"),
                              ("22:00", "", "Give both the start and the end")):
        refused = await alice.post("/settings/quiet", {"start": start, "end": end})
        assert refused.status_code == 400 and words in refused.text, refused.text[-600:]
        assert f'value="{start}"' in refused.text  # what was typed stays
    prefs = await get_prefs(store, "alice")
    assert (prefs["quiet_start"], prefs["quiet_end"]) == ("08:00", "12:00")  # unchanged by refusals
    bob_prefs = await get_prefs(store, "bob")
    assert (bob_prefs["quiet_start"], bob_prefs["quiet_end"]) == ("22:00", "07:00")  # bob's own
    await alice.aclose()
    await bob.aclose()


async def test_the_voice_is_the_interviews_preference(served):
    alice = await account(served, "alice")
    store = served["store"]
    await store.set_profile("alice", {"voice": "female", "tts_voice": "hibari", "identity": {"voice": "female"}})
    assert 'value="female" checked' in (await alice.get("/settings")).text

    saved = await alice.post("/settings/voice", {"voice": "male"})
    assert saved.headers["location"] == "/settings?saved=voice"
    profile = await store.profile("alice")
    assert profile["voice"] == "male" and profile["identity"]["voice"] == "male"
    assert voice_from_profile(profile) == "piper"  # what `os1 talk` and the page's voice speak with
    assert 'value="male" checked' in (await alice.get("/settings")).text

    refused = await alice.post("/settings/voice", {"voice": "robot"})
    assert refused.status_code == 400 and "Choose one of the voices listed." in refused.text
    assert (await store.profile("alice"))["voice"] == "male"
    await alice.aclose()


async def test_the_model_in_use_is_shown(served):
    alice = await account(served, "alice")
    llm = served["settings"].llm
    model = (await alice.get("/settings")).text.split('id="model"')[1].split("</dl>")[0]
    assert f"<dd>{llm.backend}</dd>" in model and f"<dd>{llm.model}</dd>" in model
    assert "<input" not in model  # shown; the form that changes it is apart
    await alice.aclose()
