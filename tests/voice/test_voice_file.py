"""Priority one: a spoken WAV in -> transcript -> the real model's reply -> reply audio whose
own transcription says what the reply said."""

from __future__ import annotations

from pathlib import Path

import pytest

from os1.voice.audio import STT_RATE, read_wav, resample, to_float_mono
from os1.voice.talk import talk_file

pytestmark = pytest.mark.model


async def test_spoken_question_gets_a_spoken_answer(companion, voice_models, speak, tmp_path: Path):
    out = tmp_path / "reply.wav"
    result = await talk_file(companion, voice_models, speak("What is the capital of France?"), out)
    assert "capital of france" in result.transcript.lower()
    assert "paris" in result.reply.lower()
    # the spoken reply, heard back by the recogniser, says the same
    wav = read_wav(out)
    assert wav.frame.format.rate == voice_models.tts.rate and result.seconds_out > 0.5
    heard = voice_models.stt.transcribe_sync(
        resample(to_float_mono(wav.frame), wav.frame.format.rate, STT_RATE)
    )
    assert "paris" in heard.text.lower()
    # the same core turn as text chat: messages stored, one trace with the voice stages in order
    msgs = await companion.store.messages("tester")
    # (the model may look something up first: tool calls and results sit between the two)
    assert msgs[0].role == "user" and msgs[-1].role == "assistant"
    assert {m.role for m in msgs[1:-1]} <= {"assistant", "tool"}
    assert msgs[0].content == result.transcript and msgs[-1].status == "complete"
    assert "paris" in msgs[-1].content.lower()
    (trace,) = await companion.store.traces("tester")
    types = [e["type"] for e in trace["events"]]
    for stage in ("speech-end", "transcript", "turn-start", "first-token", "first-audio", "turn-end"):
        assert stage in types, stage
    at = {e["type"]: e["at_ms"] for e in trace["events"]}
    assert at["speech-end"] <= at["transcript"] <= at["turn-start"] < at["first-token"] < at["first-audio"]
    assert at["first-audio"] <= at["turn-end"]


def test_os1_talk_in_out_from_the_command_line(settings, speak, tmp_path: Path):
    from cli_helpers import os1, out

    reply = tmp_path / "reply.wav"
    result = os1("talk", "--in", str(speak("What is the capital of France?")), "--out", str(reply), steady=True)
    text = out(result)
    assert result.returncode == 0, text
    assert "capital of France" in text and "Paris" in text
    assert read_wav(reply).frame.duration > 0.5
    missing = os1("talk", "--in", str(tmp_path / "nope.wav"))
    assert missing.returncode != 0 and "nope.wav" in out(missing)


def test_live_talk_explains_a_missing_microphone(settings):
    from cli_helpers import os1, out

    result = os1("talk")
    assert result.returncode == 1
    assert "--in question.wav" in out(result).replace("\n", " ")
