"""Browser notifications in a real browser: Chromium (Playwright) against a real `os1 serve`.

The page asks for the permission only when the button is pressed; a reminder that falls due
while the page is visible is shown in the page alone, one that falls due while it is hidden
also becomes a system notification. An init script records what the page asks of the
Notification API (the headless browser has no screen to show a notification on) and lets the
test say whether the page is hidden."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.async_api import Page, async_playwright, expect
from web_helpers import CHROMIUM, CHROMIUM_ARGS, serve_process

from os1.core.preferences import set_prefs
from os1.core.runtime import open_store
from os1.core.schedule import ReminderSchedule

pytestmark = pytest.mark.model
PASSWORD = "correct horse battery"
USER = "theo"
RECORD = """
window.__notified = [];
window.__asked = 0;
window.__hidden = false;
Object.defineProperty(Document.prototype, "visibilityState", {
  configurable: true, get() { return window.__hidden ? "hidden" : "visible"; }});
if (window.Notification) {
  const Real = window.Notification;
  const asked = Real.requestPermission.bind(Real);
  class Recorded extends Real {
    constructor(title, options) { super(title, options); window.__notified.push(["page", title, options.body]); }
  }
  Object.defineProperty(Recorded, "permission", {get() { return Real.permission; }});
  Recorded.requestPermission = () => { window.__asked += 1; return asked(); };
  window.Notification = Recorded;
}
if (window.ServiceWorkerRegistration) {
  const show = ServiceWorkerRegistration.prototype.showNotification;
  ServiceWorkerRegistration.prototype.showNotification = function (title, options) {
    window.__notified.push(["worker", title, options.body]);
    return show.call(this, title, options).catch(() => {});
  };
}
"""


@pytest.fixture(scope="module")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, Any]]:
    async with serve_process(tmp_path_factory.mktemp("notify"), USER) as running:
        store = await open_store(running["settings"])
        try:  # interviewed already, and any hour of the run is outside quiet hours
            await store.set_profile(USER, {"companion_name": "Samantha", "voice": "female"})
            await set_prefs(store, USER, {"quiet_start": "", "quiet_end": ""})
        finally:
            await store.close()
        yield running


@pytest.fixture(scope="module")
async def page(server: dict[str, Any]) -> AsyncIterator[Page]:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context()
        await context.grant_permissions(["notifications"], origin=server["base"])
        await context.add_init_script(RECORD)
        yield await context.new_page()
        await browser.close()


async def remind(server: dict[str, Any], text: str) -> None:
    store = await open_store(server["settings"])
    try:
        now = datetime.now(UTC)
        await ReminderSchedule(store).add(USER, "reminder", text, now + timedelta(seconds=1), now=now)
    finally:
        await store.close()


async def test_notifications_only_when_allowed_and_hidden(server, page):
    await page.goto(server["link"])
    await page.fill("#password", PASSWORD)
    await page.fill("#again", PASSWORD)
    await page.click("text=Make the account")
    await expect(page.locator("body[data-ready='1']")).to_have_count(1, timeout=60_000)
    button = page.locator("#notify")
    await expect(button).to_have_attribute("aria-pressed", "false")
    assert await page.evaluate("window.__asked") == 0, "the permission is never asked unprompted"

    await page.evaluate("window.__hidden = true")  # hidden, but notifications not turned on
    await remind(server, "Reminder: water the plants")
    await expect(page.locator(".msg.proactive", has_text="water the plants")).to_have_count(1, timeout=30_000)
    assert await page.evaluate("window.__notified") == []

    await page.evaluate("window.__hidden = false")
    await button.click()
    await expect(button).to_have_attribute("aria-pressed", "true")
    assert await page.evaluate("window.__asked") == 1
    await remind(server, "Reminder: call the bakery")  # turned on, but the page is in view
    await expect(page.locator(".msg.proactive", has_text="call the bakery")).to_have_count(1, timeout=30_000)
    assert await page.evaluate("window.__notified") == []

    await page.evaluate("window.__hidden = true")
    await remind(server, "Reminder: take the bins out")
    await expect(page.locator(".msg.proactive", has_text="bins out")).to_have_count(1, timeout=30_000)
    for _ in range(50):  # bounded: 5 s for the service worker's registration to answer
        if await page.evaluate("window.__notified.length"):
            break
        await page.wait_for_timeout(100)
    notified = await page.evaluate("window.__notified")
    assert notified == [["worker", "Samantha", "Reminder: take the bins out"]], notified

    await page.reload()  # the choice is remembered
    await expect(page.locator("#notify")).to_have_attribute("aria-pressed", "true")
    await page.locator("#notify").click()  # and turned off again
    await expect(page.locator("#notify")).to_have_attribute("aria-pressed", "false")
