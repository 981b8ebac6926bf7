"""The mail page in a real browser (Debian's Chromium, driven by Playwright) against the real
server and a real dovecot: log in, open a hostile message (its markup stays text, nothing of it
runs), move it to Keep and undo that with the page's own buttons."""

from __future__ import annotations

from conftest import PASSWORD, account
from playwright.async_api import async_playwright, expect
from test_web_mail import mailboxes  # noqa: F401
from web_helpers import CHROMIUM, CHROMIUM_ARGS

from tests.mail_servers import dovecot, folder_uids, smtp_server  # noqa: F401


async def test_read_move_and_undo_in_the_browser(served, mailboxes):  # noqa: F811
    await (await account(served, "alice")).aclose()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await (await browser.new_context()).new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: dialogs.append(d.message))
            await page.goto(served["base"] + "/login")
            await page.fill("#name", "alice")
            await page.fill("#password", PASSWORD)
            await page.click("button[type=submit]")
            await page.click("nav >> text=Mail")
            await page.click("text=<b>Lunch</b> on Friday?")  # the subject as text, tags and all
            await expect(page.locator("#text")).to_contain_text("<script>alert('x')</script>")
            assert await page.locator("main script, main img").count() == 0 and dialogs == []

            await page.select_option("#category", "keep")
            await page.uncheck("input[name=learn]")
            await page.click("#move button[type=submit]")
            await expect(page.locator("#moved")).to_contain_text("is in Keep.")
            assert len(folder_uids(mailboxes, "Keep")) == 1
            await page.click("#undo")
            await expect(page.locator("#undone")).to_have_text("Moved 1 message(s) back.")
            assert len(folder_uids(mailboxes, "Keep")) == 0 and len(folder_uids(mailboxes, "INBOX")) == 2
        finally:
            await browser.close()
