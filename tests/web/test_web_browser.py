"""The web app in a real browser (Debian's Chromium, driven by Playwright) against a real
`os1 serve` process with the real small model: one server and one browser for the module,
the tests in order, as a person would go: make the account, log in, the interview, a streamed
reply, consent both ways, a reminder that falls due, forgetting, the agenda, mail, music,
letters and files pages, and the keyboard alone.

Set WEB_SCREENSHOTS=docs/web to write the screenshots of the main screens there."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, async_playwright, expect
from web_helpers import CHROMIUM, CHROMIUM_ARGS, serve_process

from os1.core.preferences import set_prefs
from os1.core.runtime import open_store
from os1.core.schedule import ReminderSchedule
from os1.skills.music.intent import BY_MOOD
from os1.skills.music.service import make
from tests.files_trees import tidy

pytestmark = pytest.mark.model
PASSWORD = "correct horse battery"
USER = "theo"
SHOTS = os.environ.get("WEB_SCREENSHOTS", "")
REPLY_S = 120_000  # ms: a reply of the small model on one shared core


async def shot(page: Page, name: str) -> None:
    if SHOTS:
        await page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


@pytest.fixture(scope="module")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, Any]]:
    """`os1 serve` as a user starts it, in a data dir of its own; its printed setup link."""
    root = tmp_path_factory.mktemp("serve")
    tidy(root / "home" / "Downloads")  # a folder to tidy on the files page
    async with serve_process(root, USER, home=root / "home") as running:
        yield running


@pytest.fixture(scope="module")
async def page(server: dict[str, Any]) -> AsyncIterator[Page]:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": 900, "height": 640})
        yield await context.new_page()
        await browser.close()


async def turns(page: Page) -> int:
    return int(await page.evaluate("Number(document.body.dataset.turns || 0)"))


async def reply_to(page: Page, text: str, *, keys: bool = False) -> str:
    """Send `text` (typed key by key with `keys`), wait for the turn's end, return the reply."""
    before = await turns(page)
    await say(page, text, keys=keys)
    await expect(page.locator(f"body[data-turns='{before + 1}']")).to_have_count(1, timeout=REPLY_S)
    return await page.locator(".msg.assistant .words").last.inner_text()


async def say(page: Page, text: str, *, keys: bool = False) -> None:
    if keys:
        await page.keyboard.type(text)
        await page.keyboard.press("Enter")
    else:
        await page.fill("#text", text)
        await page.press("#text", "Enter")


async def test_setup_link_then_login(server, page):
    await page.goto(server["link"])
    await expect(page.locator("#name")).to_have_value(USER)
    await page.fill("#password", PASSWORD)
    await page.fill("#again", PASSWORD)
    await page.click("text=Make the account")
    await expect(page.locator("#log")).to_be_visible()
    await page.click("text=Log out")
    await expect(page).to_have_url(server["base"] + "/login")
    await page.goto(server["base"] + "/memory")
    await expect(page).to_have_url(server["base"] + "/login")  # logged out means out
    await shot(page, "login")
    await page.fill("#name", USER)
    await page.fill("#password", PASSWORD)
    await page.press("#password", "Enter")
    await expect(page).to_have_url(server["base"] + "/")
    cookie = next(c for c in await page.context.cookies() if c["name"] == "os1_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"


async def test_the_interview_is_typed_in_the_page(server, page):
    answers = ["Call me Theo", "Rather private", "We are close", "Female, please", "Remembering things"]
    for i, answer in enumerate(answers):
        await expect(page.locator(".msg.assistant")).to_have_count(i + 1, timeout=30_000)
        await say(page, answer)
    await expect(page.locator("body[data-ready='1']")).to_have_count(1, timeout=REPLY_S)
    intro = await page.locator(".msg.assistant .words").last.inner_text()
    store = await open_store(server["settings"])
    try:
        name = (await store.profile(USER))["companion_name"]
    finally:
        await store.close()
    assert intro.startswith(f"I'd like to be called {name}.")
    await expect(page.locator("label[for=text]")).to_contain_text(name)


async def test_a_reply_streams_into_the_page(page):
    await page.evaluate("""() => {
        window.changes = 0;
        new MutationObserver(() => { window.changes += 1; })
            .observe(document.getElementById('log'), {subtree: true, childList: true, characterData: true});
    }""")
    reply = await reply_to(page, "Hello! How are you today?")
    assert len(reply.split()) >= 2
    assert await page.evaluate("window.changes") >= 3  # the user's line, then the reply piece by piece


async def test_consent_no_then_yes(server, page):
    notes = server["settings"].data_dir / "notes" / USER
    ask = "Please save a note titled Groceries with the text: milk and eggs."
    before = await turns(page)
    await say(page, ask)
    dialog = page.locator("#consent")
    await expect(dialog).to_be_visible(timeout=REPLY_S)
    await expect(page.locator("#consent-what")).to_contain_text("Groceries")
    await shot(page, "consent")
    await page.click("#consent-no")
    await expect(page.locator(".msg.step", has_text="Not done.")).to_have_count(1)
    await expect(page.locator(f"body[data-turns='{before + 1}']")).to_have_count(1, timeout=REPLY_S)
    assert not notes.exists() or not list(notes.glob("*.md"))
    await say(page, ask)
    await expect(dialog).to_be_visible(timeout=REPLY_S)
    await page.click("#consent-yes")
    await expect(page.locator(".msg.step", has_text="Allowed.")).to_have_count(1)
    await expect(page.locator(f"body[data-turns='{before + 2}']")).to_have_count(1, timeout=REPLY_S)
    written = list(notes.glob("*.md"))
    assert len(written) == 1 and "milk" in written[0].read_text().lower()


async def test_a_reminder_due_while_the_page_is_open_appears(server, page):
    store = await open_store(server["settings"])
    try:
        await set_prefs(store, USER, {"quiet_start": "", "quiet_end": ""})  # any hour of the run
        now = datetime.now(UTC)
        await ReminderSchedule(store).add(USER, "reminder", "Reminder: water the plants",
                                          now + timedelta(seconds=2), now=now)
    finally:
        await store.close()
    shown = page.locator(".msg.proactive", has_text="Reminder: water the plants")
    await expect(shown).to_have_count(1, timeout=30_000)  # the server looks every 5 s
    await shot(page, "chat")


async def test_forget_through_the_page(server, page):
    await page.goto(server["base"] + "/memory")
    row = page.locator("tr", has_text="How are you today").first
    await expect(row).to_be_visible()
    memory_id = int((await row.get_attribute("id") or "").removeprefix("memory-"))
    await shot(page, "memory")
    await row.locator("text=Forget…").click()
    await expect(page.locator("blockquote")).to_contain_text("How are you today")
    await page.click("#forget-yes")
    await expect(page.locator("text=Forgotten for good.")).to_be_visible()
    await expect(page.locator(f"#memory-{memory_id}")).to_have_count(0)
    store = await open_store(server["settings"])
    try:
        recent = await store.memories.recent(USER, 500)
    finally:
        await store.close()
    assert memory_id not in {m.id for m in recent}


async def test_the_agenda_and_mail_pages_in_the_real_server(server, page):
    """An event added on the agenda page shows there; the mail page asks for the account."""
    await page.goto(server["base"] + "/agenda")
    await page.fill("#title", "Lunch with Amy")
    await page.fill("#event-day", "tomorrow")
    await page.fill("#event-time", "1pm")
    await page.click("text=Add the event")
    await expect(page.locator("#event-done")).to_contain_text("13:00–14:00 Lunch with Amy")
    await expect(page.locator("#day-1")).to_contain_text("Lunch with Amy")
    await shot(page, "agenda")
    await page.goto(server["base"] + "/mail")
    await expect(page.locator("#no-mail-account")).to_contain_text("No mail account is set up yet")
    await shot(page, "mail")


async def test_the_music_letters_and_files_pages_in_the_real_server(server, page, tmp_path):
    """A piece is listed with its player and score; a letter imported through the page is
    listed; a folder is looked at and its tidying planned (without the model: quick); the
    settings page says how the model is."""
    store = await open_store(server["settings"])
    try:
        intent = replace(BY_MOOD["tender"], seconds=30)
        made = await make(server["settings"], store, USER, "our walk by the river", seed=3, intent=intent)
    finally:
        await store.close()
    await page.goto(server["base"] + "/music")
    piece = page.locator(f"#piece-{made.stored.id}")
    await expect(piece).to_contain_text("our walk by the river")
    await page.wait_for_function("[...document.images].every((i) => i.complete && i.naturalWidth > 0)",
                                 timeout=20_000)
    await shot(page, "music")

    letter = tmp_path / "letter.txt"
    letter.write_text("12 March 2026\n\nDear Amy,\n\nThe bus stop by the bakery is gone, and I miss "
                      "our mornings there. Write soon.\n\nTheo\n", "utf-8")
    await page.goto(server["base"] + "/letters")
    await page.set_input_files("#file", str(letter))
    await page.click("#import")
    await page.goto(server["base"] + "/letters")
    await expect(page.locator("main")).to_contain_text("Amy", timeout=60_000)
    await shot(page, "letters")

    await page.goto(server["base"] + "/files")
    await page.fill("#folder", "~/Downloads")
    await page.click("#look")
    await expect(page.locator("main")).to_contain_text("Plan #", timeout=60_000)
    await expect(page.locator("#held")).to_contain_text("mystery.bin")
    await page.locator(".group h3").first.evaluate(  # the plan, from its first group
        "(e) => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 16)")
    await shot(page, "files")

    await page.goto(server["base"] + "/settings")
    await expect(page.locator("#model-state")).to_have_text(re.compile("ready|loads with its first reply"))
    await page.locator("#model-heading").evaluate(  # which model answers, and how it is
        "(e) => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 16)")
    await shot(page, "settings")


async def test_keyboard_alone_sends_a_message(server, page):
    await page.goto(server["base"] + "/")
    await expect(page.locator("body[data-ready='1']")).to_have_count(1, timeout=30_000)
    await page.evaluate("document.activeElement.blur()")
    for _ in range(20):  # Tab through the page until the message box has the focus
        if await page.evaluate("document.activeElement.id") == "text":
            break
        await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.id") == "text"
    reply = await reply_to(page, "What is your name?", keys=True)
    await expect(page.locator(".msg.user .words").last).to_have_text("What is your name?")
    assert reply.strip() and reply != "What is your name?"


async def test_an_openai_client_talks_to_the_companion(server, page):
    """A key made on the settings page opens the same companion to the official client."""
    import openai

    await page.goto(server["base"] + "/settings")
    await page.click("text=Make a new key")
    key = await page.locator("#new-key").inner_text()
    client = openai.AsyncOpenAI(base_url=server["base"] + "/v1", api_key=key, max_retries=0, timeout=300)
    reply = await client.chat.completions.create(
        model="os1", messages=[{"role": "user", "content": "Say hello to me in one short sentence."}])
    assert (reply.choices[0].message.content or "").strip()
    stream = await client.chat.completions.create(
        model="os1", messages=[{"role": "user", "content": "And what is your name?"}], stream=True)
    pieces = [c.choices[0].delta.content async for c in stream if c.choices and c.choices[0].delta.content]
    assert len(pieces) >= 2 and "".join(pieces).strip()
    store = await open_store(server["settings"])
    try:
        said = [m.content for m in await store.messages(USER)]
    finally:
        await store.close()
    assert "And what is your name?" in said  # the companion's own history, as in the page


async def test_the_app_installs_and_has_an_offline_page(server, page):
    await page.goto(server["base"] + "/")
    active = await page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.state)")
    assert active in ("activating", "activated")
    manifest = await page.evaluate("fetch('/manifest.webmanifest').then((r) => r.json())")
    assert manifest["display"] == "standalone"
    await page.reload()  # now controlled by the worker
    await page.context.set_offline(True)
    try:
        await page.goto(server["base"] + "/memory")
        await expect(page.locator("h1")).to_have_text("OS1 cannot be reached")
    finally:
        await page.context.set_offline(False)
    await page.goto(server["base"] + "/memory")
    await expect(page.locator("h1")).to_have_text("What I remember")
