"""The files page through the real server on a real folder tree: naming a folder (only inside
the home folder or one the settings name), the scan and plan as a job the page follows, the
plan grouped with its held-back files, applying after an explicit yes, undoing one group and
then the rest; the disk is checked after each step, and each user sees only their own plans."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import pytest
from conftest import account

from tests.files_trees import messy, picture, write


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    messy(home / "Downloads")
    monkeypatch.setenv("HOME", str(home))
    return home


async def settled(visitor, path: str = "/files") -> str:
    """The page once the job is done (bounded: 10 s), checking that it follows the job meanwhile."""
    for _ in range(100):
        page = (await visitor.get(path)).text
        if 'id="working"' not in page:
            return page
        assert 'http-equiv="refresh"' in page
        await asyncio.sleep(0.1)
    raise AssertionError("the job did not finish")


async def test_plan_apply_and_undo_from_the_page(served, home):
    downloads = home / "Downloads"
    before = picture(downloads)
    alice = await account(served, "alice")
    assert 'href="/files"' in (await alice.get("/files")).text  # in the navigation

    started = await alice.post("/files/plan", {"folder": "~/Downloads"})
    assert started.status_code == 303
    page = await settled(alice)
    assert picture(downloads) == before  # looking moves nothing
    plan = int(re.search(r"Plan #(\d+)", page).group(1))
    assert "Move 1 invoice into Documents/Finance/Invoices" in page
    assert "invoice_march.txt → Documents/Finance/Invoices/invoice_march.txt" in page
    assert "Put 1 exact duplicate in OS1&#39;s trash" in page
    held = page.split('id="held"')[1].split("</div>")[0]
    assert "Held back for you" in held and "mystery.bin" in held
    assert "1 project left whole" in page, page[page.find("<main"):]

    refused = await alice.post(f"/files/{plan}/apply", {})  # no yes: nothing moves
    assert refused.status_code == 400 and picture(downloads) == before
    review = (await alice.get(f"/files/{plan}/apply")).text
    assert "flat lease signed.txt → Documents/Contracts/flat lease signed.txt" in review
    assert 'name="confirm" value="yes"' in review

    applied = await alice.post(f"/files/{plan}/apply", {"confirm": "yes"})
    assert applied.status_code == 303
    page = await settled(alice, applied.headers["location"])
    assert f"Plan #{plan}: Moved" in page
    assert (downloads / "Documents/Finance/Invoices/invoice_march.txt").read_bytes() == b"INVOICE 42, total 99 EUR"
    assert (downloads / "Documents/Contracts/flat lease signed.txt").exists()
    assert not (downloads / "invoice_march.txt").exists()
    assert (downloads / "tool/invoice.txt").exists()  # the project is left whole
    assert "Put the contracts back" in page

    one = await alice.post(f"/files/{plan}/undo", {"group": "contracts"})
    page = await settled(alice, one.headers["location"])
    assert "Put back 1 file." in page
    assert (downloads / "flat lease signed.txt").read_bytes() == b"Tenancy agreement for the flat"
    assert not (downloads / "Documents/Contracts").exists()
    assert (downloads / "Documents/Finance/Invoices/invoice_march.txt").exists()

    rest = await alice.post(f"/files/{plan}/undo", {})
    await settled(alice, rest.headers["location"])
    assert picture(downloads) == before  # byte for byte, modes and times
    await alice.aclose()


async def test_only_folders_in_the_home_or_named_in_the_settings(served, home, tmp_path):
    alice = await account(served, "alice")
    outside = tmp_path / "elsewhere"
    write(outside / "invoice.txt", b"INVOICE 1")
    for folder, said in [("/etc", "outside your home folder"), (str(outside), "outside your home folder"),
                         ("~/Nowhere", "There is no folder"), ("", "Name a folder"),
                         ("~/Downloads/../../elsewhere", "outside your home folder")]:
        page = await alice.post("/files/plan", {"folder": folder})
        assert page.status_code == 400 and said in page.text, (folder, page.text[-400:])
    locked = home / "Locked"
    locked.mkdir(mode=0o000)
    try:
        if not os.access(locked, os.R_OK):  # root reads everything
            page = await alice.post("/files/plan", {"folder": "Locked"})
            assert page.status_code == 400 and "I may not read" in page.text
    finally:
        locked.chmod(0o755)
    served["settings"].files_folders = [outside]
    assert (await alice.post("/files/plan", {"folder": str(outside)})).status_code == 303
    page = await settled(alice)
    assert "Move 1 invoice" in page, page[page.find("<main"):]
    await alice.aclose()


async def test_each_user_sees_only_their_own_plans_and_runs(served, home):
    alice, bob = await account(served, "alice"), await account(served, "bob")
    await alice.post("/files/plan", {"folder": "Downloads"})
    page = await settled(alice)
    plan = int(re.search(r"Plan #(\d+)", page).group(1))
    before = picture(home / "Downloads")

    own = (await bob.get("/files")).text
    assert "Plan #" not in own and f'id="run-{plan}"' not in own and "invoice_march" not in own
    assert (await bob.get(f"/files/{plan}/apply")).status_code == 404
    assert (await bob.post(f"/files/{plan}/apply", {"confirm": "yes"})).status_code == 404
    assert (await bob.post(f"/files/{plan}/undo", {})).status_code == 404
    assert "invoice_march" not in (await bob.get(f"/files?plan={plan}")).text
    assert picture(home / "Downloads") == before
    for c in (alice, bob):
        await c.aclose()


async def test_stop_ends_the_look_and_nothing_is_planned(served, home, monkeypatch):
    """Stop while the scan is reading one big folder: the job ends as stopped, the walk in its
    thread stops too (it reads no more files), no plan is stored and nothing on disk moves."""
    import threading

    from os1.skills.files import scan as scanning

    big = home / "Downloads" / "big"
    for i in range(300):
        write(big / f"invoice_{i}.txt", b"INVOICE %d" % i)
    before = picture(home / "Downloads")
    read: list[str] = []
    holding, pressed = threading.Event(), threading.Event()
    real = scanning.facts

    def slow(path: str, name: str, kind: str) -> dict[str, str]:
        """Reads a file as the scan does, but holds after the first few until Stop was pressed."""
        if os.path.basename(os.path.dirname(path)) == "big":
            read.append(name)
        if len(read) >= 5:
            holding.set()
            pressed.wait(10)
        return real(path, name, kind)

    monkeypatch.setattr(scanning, "facts", slow)
    alice = await account(served, "alice")
    assert (await alice.post("/files/plan", {"folder": "~/Downloads"})).status_code == 303
    assert await asyncio.to_thread(holding.wait, 10)  # the scan is inside the big folder
    page = (await alice.get("/files")).text
    assert 'id="working"' in page and 'id="stop"' in page and 'action="/files/stop"' in page
    assert (await alice.post("/files/stop", {}, csrf=False)).status_code == 403  # CSRF checked
    assert (await alice.post("/files/stop", {})).status_code == 303
    pressed.set()
    page = await settled(alice)
    assert "Stopped: nothing was planned." in page and 'id="plan-form"' in page
    assert "Plan #" not in page and 'id="history"' not in page

    for _ in range(50):  # the walk's thread notices the stop at its next file
        seen = len(read)
        await asyncio.sleep(0.1)
        if len(read) == seen:
            break
    assert len(read) < 20, len(read)
    assert picture(home / "Downloads") == before
    assert "Plan #" not in (await alice.get("/files")).text  # nor stored later

    monkeypatch.setattr(scanning, "facts", real)  # a new look after the stop plans as usual
    await alice.post("/files/plan", {"folder": "~/Downloads"})
    assert "Move 301 invoices" in await settled(alice)
    await alice.aclose()
