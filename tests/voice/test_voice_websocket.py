"""The WebSocket audio protocol against a real server on 127.0.0.1, with a real client: a
spoken question in PCM16, the reply back as events and audio; clients that vanish mid-utterance
or mid-reply leave a consistent conversation log."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import numpy as np
import pytest
from voice_helpers import espeak_16k
from websockets.asyncio.client import connect

from os1.voice.audio import to_pcm16
from os1.voice.config import VoiceConfig
from os1.voice.transports.websocket import VoiceServer

pytestmark = pytest.mark.model


@pytest.fixture
async def server(companion, voice_models):
    await companion.store.set_profile("tester", {"companion_name": "Ari"})  # interviewed: turns come at once
    vs = VoiceServer(companion, voice_models, VoiceConfig(warm=False))
    srv = await vs.serve("127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    yield vs, f"ws://127.0.0.1:{port}"
    srv.close()
    await srv.wait_closed()


async def _send(ws, audio: np.ndarray, speed: float = 2.0) -> None:
    step = 320  # 20 ms at 16 kHz
    for i in range(0, len(audio), step):
        await ws.send(to_pcm16(audio[i : i + step]))
        await asyncio.sleep(0.02 / speed)


async def test_spoken_question_over_websocket(server, companion, tmp_path: Path):
    vs, url = server
    question = espeak_16k("What is the capital of France?", tmp_path)
    events, audio = [], bytearray()
    async with connect(url) as ws:
        ready = json.loads(await ws.recv())
        assert ready["type"] == "ready" and ready["input"]["rate"] == 16000
        await ws.send(json.dumps({"type": "audio-start", "rate": 16000, "width": 2, "channels": 1}))
        await ws.send(json.dumps({"type": "nonsense"}))  # ignored, reported
        await _send(ws, np.concatenate([question, np.zeros(16000, np.float32)]))
        await ws.send(json.dumps({"type": "audio-stop"}))
        async with asyncio.timeout(300):
            async for message in ws:
                if isinstance(message, bytes):
                    audio += message
                    continue
                events.append(json.loads(message))
                if events[-1]["type"] == "done":
                    break
    types = [e["type"] for e in events]
    final = [e for e in events if e["type"] == "transcript" and e.get("final")]
    assert final and "capital of france" in final[0]["text"].lower()
    partial = [e for e in events if e["type"] == "transcript" and not e.get("final")]
    assert partial and types.index("transcript") < types.index("turn-start")  # heard while speaking
    assert "first-audio" in types and types.index("first-audio") > types.index("turn-start")
    assert any(e["type"] == "audio-issue" and e["code"] == "bad-message" for e in events)
    reply = "".join(e.get("text", "") for e in events if e["type"] == "text")
    assert "paris" in reply.lower()
    assert len(audio) / 2 / ready["output"]["rate"] > 0.5  # seconds of PCM16 speech received
    msgs = await companion.store.messages("tester")
    assert [m.status for m in msgs if m.role == "assistant" and m.content] == ["complete"]


async def test_client_leaving_mid_utterance_or_mid_reply_keeps_the_log(server, companion, tmp_path: Path):
    vs, url = server
    question = espeak_16k("Tell me a long story about the sea and its ships.", tmp_path)
    async with connect(url) as ws:  # leaves halfway through the sentence
        await ws.recv()
        await _send(ws, question[: len(question) // 2])
    await asyncio.sleep(0.5)
    dropped = vs.agents[0]
    assert any(e.data.get("code") == "utterance-dropped" for e in dropped.events)
    assert await companion.store.messages("tester") == []

    async with connect(url) as ws:  # leaves as soon as the reply starts to sound
        await ws.recv()
        await _send(ws, question)

        async def microphone() -> None:  # a microphone goes on sending (silence)
            while True:
                await _send(ws, np.zeros(3200, np.float32), speed=1.0)

        mic = asyncio.create_task(microphone())
        async with asyncio.timeout(300):
            async for message in ws:
                if isinstance(message, bytes):
                    break
        mic.cancel()
    agent = vs.agents[1]
    async with asyncio.timeout(30):
        while agent.replying:
            await asyncio.sleep(0.05)
    msgs = await companion.store.messages("tester")
    talk = [m for m in msgs if m.role in ("user", "assistant") and m.content]
    assert [m.role for m in talk] == ["user", "assistant"]
    assert talk[1].status == "interrupted"
    assert all(m.status in ("complete", "interrupted") for m in msgs)
