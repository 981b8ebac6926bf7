"""Hands-free voice in a real browser: Chromium's fake microphone plays an espeak-ng recording
into the page, which streams it to `os1 serve`'s voice WebSocket; the words come back as a
transcript, the reply is written and its audio is played in the page."""

from __future__ import annotations

import asyncio
import json
import subprocess
import wave
from collections.abc import AsyncIterator
from typing import Any

import pytest
import websockets
from playwright.async_api import Page, async_playwright, expect
from web_helpers import CHROMIUM, CHROMIUM_ARGS, Visitor, serve_process

from os1.core.runtime import open_store
from os1.interfaces.web.security import COOKIE

pytestmark = pytest.mark.model
PASSWORD = "correct horse battery"
USER = "theo"
SAID = "What is the capital of France?"


@pytest.fixture(scope="module")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("voice")
    async with serve_process(root, USER) as running:
        store = await open_store(running["settings"])
        try:
            await store.set_profile(USER, {"companion_name": "Samantha", "voice": "female",
                                           "tts_voice": "hibari"})
        finally:
            await store.close()
        wav = root / "said.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(wav), SAID], check=True)
        yield {**running, "wav": wav}


@pytest.fixture(scope="module")
async def page(server: dict[str, Any]) -> AsyncIterator[Page]:
    microphone = [  # the recording once (no loop), then silence; no permission prompt
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={server['wav']}%noloop", "--autoplay-policy=no-user-gesture-required",
    ]
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *microphone])
        context = await browser.new_context()
        yield await context.new_page()
        await browser.close()


async def test_spoken_words_are_heard_answered_and_played(server, page):
    await page.goto(server["link"])
    await page.fill("#password", PASSWORD)
    await page.fill("#again", PASSWORD)
    await page.click("text=Make the account")
    await expect(page.locator("body[data-ready='1']")).to_have_count(1, timeout=60_000)
    await page.click("#talk")
    await expect(page.locator("#talk")).to_have_attribute("aria-pressed", "true")
    heard = page.locator(".msg.user .words", has_text="France")
    await expect(heard).to_have_count(1, timeout=180_000)
    await expect(page.locator(".msg.assistant .words").last).not_to_be_empty(timeout=180_000)
    for _ in range(360):  # bounded: 3 minutes (the page's CSP rules out wait_for_function's eval)
        if await page.evaluate("window.os1Voice.played") > 8000:  # samples of the reply played
            break
        await asyncio.sleep(0.5)
    assert await page.evaluate("window.os1Voice.played") > 8000
    events = await page.evaluate("window.os1Voice.events")
    assert "ready" in events and "transcript" in events and "first-audio" in events
    store = await open_store(server["settings"])
    try:
        said = [m.content for m in await store.messages(USER) if m.role == "user"]
    finally:
        await store.close()
    assert any("france" in m.lower() for m in said), said
    await page.click("#talk")
    await expect(page.locator("#talk")).to_have_attribute("aria-pressed", "false")


async def test_push_to_talk_is_remembered_and_held(server, page):
    """The toggle outlives a reload; holding Space on the button opens the voice connection
    (in push-to-talk) and letting go ends the hold."""
    talk = page.locator("#talk")
    await page.check("#ptt")
    await expect(talk).to_have_text("Hold to talk")
    await page.reload()
    await expect(page.locator("body[data-ready='1']")).to_have_count(1, timeout=60_000)
    await expect(page.locator("#ptt")).to_be_checked()
    await expect(talk).to_have_text("Hold to talk")
    await talk.focus()
    await page.keyboard.down(" ")
    await expect(talk).to_have_attribute("aria-pressed", "true")
    for _ in range(120):  # bounded: 60 s for the connection (the voice models are loaded)
        if "ready" in await page.evaluate("window.os1Voice.events"):
            break
        await asyncio.sleep(0.5)
    assert "ready" in await page.evaluate("window.os1Voice.events")
    await page.keyboard.up(" ")
    await expect(talk).to_have_attribute("aria-pressed", "false")
    await expect(talk).to_have_text("Hold to talk")
    mic_off = page.locator("#mic-off")  # between presses the microphone stays open, until closed
    await expect(mic_off).to_be_visible()
    await mic_off.click()
    await expect(mic_off).to_be_hidden()
    for _ in range(60):  # bounded: 30 s for the server's answer to audio-stop
        if "done" in await page.evaluate("window.os1Voice.events"):
            break
        await asyncio.sleep(0.5)
    assert "done" in await page.evaluate("window.os1Voice.events")  # the server ended the audio
    await page.uncheck("#ptt")
    await expect(talk).to_have_text("Talk hands-free")


async def test_talking_over_a_reply_stops_it(server, tmp_path):
    """The question again and again, with a pause: sooner or later it is said while a reply
    plays, the server hears the barge-in, and the page cuts the audio it was playing."""
    wav = tmp_path / "again.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(wav),
                    "Tell me a long story about the sea."], check=True)
    with wave.open(str(wav), "rb") as said:
        params, frames = said.getparams(), said.readframes(said.getnframes())
    with wave.open(str(wav), "wb") as out:  # then six seconds of silence, before it loops
        out.setparams(params)
        out.writeframes(frames + b"\x00" * params.sampwidth * params.framerate * 6)
    microphone = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                  f"--use-file-for-fake-audio-capture={wav}", "--autoplay-policy=no-user-gesture-required"]
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *microphone])
        page = await (await browser.new_context()).new_page()
        await page.goto(server["base"] + "/login")
        await page.fill("#name", USER)
        await page.fill("#password", PASSWORD)
        await page.press("#password", "Enter")
        await expect(page.locator("body[data-ready='1']")).to_have_count(1, timeout=60_000)
        await page.click("#talk")
        for _ in range(480):  # bounded: 4 minutes
            if "interruption" in await page.evaluate("window.os1Voice.events"):
                break
            await asyncio.sleep(0.5)
        events = await page.evaluate("window.os1Voice.events")
        assert "interruption" in events and "first-audio" in events
        assert await page.evaluate("window.os1Voice.cut") > 0, "audio that was playing was stopped"
        await browser.close()


async def test_push_to_talk_turn_ends_only_when_released(server):
    """Push-to-talk over /ws/voice with the recording: five seconds of silence after the
    question (hands-free, a turn) end nothing; "end-of-turn" does, and the reply is spoken."""
    visitor = Visitor(server["base"])
    assert (await visitor.login(USER, PASSWORD)).status_code == 303
    await visitor.aclose()
    with wave.open(str(server["wav"]), "rb") as said:
        rate, audio = said.getframerate(), said.readframes(said.getnframes())
    step = rate // 50 * 2  # bytes of 20 ms
    audio += b"\x00" * (rate * 2 * 5)  # held five seconds more, silent
    events: list[dict[str, Any]] = []
    url = server["base"].replace("http", "ws") + "/ws/voice"
    async with websockets.connect(url, origin=server["base"], additional_headers={
            "Cookie": f"{COOKIE}={visitor.cookie}"}) as ws:

        async def heard() -> None:
            async for message in ws:
                events.append({"type": "audio"} if isinstance(message, bytes) else json.loads(message))

        listening = asyncio.create_task(heard())
        await ws.send(json.dumps({"type": "audio-start", "rate": rate, "width": 2, "channels": 1,
                                  "turns": "push-to-talk"}))
        for i in range(0, len(audio), step):  # as a microphone sends it: in real time
            await ws.send(audio[i : i + step])
            await asyncio.sleep(0.02)
        await asyncio.sleep(2.0)
        assert "turn-start" not in [e["type"] for e in events], events
        await ws.send(json.dumps({"type": "end-of-turn"}))
        for _ in range(1800):  # bounded: 3 minutes
            if any(e["type"] == "audio" for e in events):
                break
            await asyncio.sleep(0.1)
        await ws.send(json.dumps({"type": "audio-stop"}))
        async with asyncio.timeout(180):
            while not any(e["type"] == "done" for e in events):
                await asyncio.sleep(0.1)
        listening.cancel()
    types = [e["type"] for e in events]
    final = [e["text"] for e in events if e["type"] == "transcript" and e.get("final")]
    assert len(final) == 1 and "capital" in final[0].lower(), events  # one turn, all its words
    assert types.index("turn-start") < types.index("audio")
