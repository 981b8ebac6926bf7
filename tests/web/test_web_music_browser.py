"""A piece composed in the chat, in a real browser (Debian's Chromium, driven by Playwright)
against the real server with a scripted model: the page draws it inline, with a player, its
score (loaded from the server) and links, the moment written as text."""

from __future__ import annotations

from conftest import account
from playwright.async_api import async_playwright, expect
from test_web_live import named
from web_helpers import CHROMIUM, CHROMIUM_ARGS

from os1.interfaces.web.security import COOKIE
from os1.models.base import ToolCall

BEACH = {"mood": "joyful", "tonic": "A", "mode": "major", "tempo": 112, "meter": "4/4", "form": "AB",
         "register": "high", "motif": "arch", "dynamics": "mf"}


async def test_the_chat_page_draws_a_composed_piece_inline(served):
    served["llm"].steps[:] = ["(warm)", ToolCall("m1", "compose_music", {"moment": "our <b>day</b> at the beach",
                                                                      "seconds": 30}),
                              BEACH, "I wrote you something bright."]
    alice = await account(served, "alice")
    await named(served, "alice")
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context()
        await context.add_cookies([{"name": COOKIE, "value": alice.cookie, "url": served["base"]}])
        page = await context.new_page()
        await page.goto(served["base"] + "/")
        await expect(page.locator("body[data-ready='1']")).to_have_count(1, timeout=20_000)
        await page.fill("#text", "Write me a song for our day at the beach")
        await page.press("#text", "Enter")
        figure = page.locator("figure.piece")
        await expect(figure).to_have_count(1, timeout=60_000)
        await expect(figure.locator("figcaption")).to_contain_text("#1 For “our <b>day</b> at the beach”")
        assert await figure.locator("audio").get_attribute("src") == "/music/1/ogg"
        assert await figure.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
            "/music#piece-1", "/music/1/pdf"]
        score = figure.locator("img.score")
        await expect(score).to_have_attribute("src", "/music/1/svg")
        await page.wait_for_function("document.querySelector('figure.piece img.score').complete", timeout=20_000)
        assert await score.evaluate("img => img.naturalWidth") > 100  # the engraved score, served and drawn
        await expect(page.locator(".msg.assistant .words").last).to_have_text("I wrote you something bright.")
        await browser.close()
    await alice.aclose()
