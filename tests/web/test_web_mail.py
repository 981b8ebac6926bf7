"""The mail page through the real server against a real dovecot: new mail, one message (its
text escaped, never markup), moving it to a triage folder and undoing that, checked on the
IMAP server; each user reaches only their own mail."""

from __future__ import annotations

import asyncio
import re

import pytest
from conftest import account

from os1.core import vault
from os1.skills.mail.accounts import AccountInput, add_account
from os1.skills.mail.repository import DEFAULT_FOLDERS, Account
from os1.skills.mail.store import MailStore
from tests import mail_samples as s
from tests.mail_servers import PASSWORD, dovecot, folder_uids, put, smtp_server  # noqa: F401

HOSTILE = "Dear friend <script>alert('x')</script> <img src=x onerror=alert(1)> see you at noon"


@pytest.fixture
async def mailboxes(served, dovecot, smtp_server):  # noqa: F811
    """alice reads sam's mailbox (added as `os1 mail add` adds it: both logins checked); bob
    reads eve's (saved directly: the test SMTP server knows only sam)."""
    store, settings = served["store"], served["settings"]
    await add_account(settings, MailStore(store), "alice", AccountInput(
        "home", "sam@example.org", "127.0.0.1", "127.0.0.1", "sam", PASSWORD,
        dovecot.port, "none", smtp_server.port, "none", "Sam"))
    await MailStore(store).save_account(Account(
        0, "bob", "home", "eve@example.org", "Eve", "127.0.0.1", dovecot.port, "none", "127.0.0.1",
        smtp_server.port, "none", "eve", vault.encrypt(settings.data_dir, dovecot.users["eve"]),
        dict(DEFAULT_FOLDERS)))
    put(dovecot, s.simple("Ida <ida@example.org>", "<b>Lunch</b> on Friday?", HOSTILE),
        s.simple("Power Co <bills@power.example>", "Your invoice", "Due on 1 December."))
    put(dovecot, s.simple("Tom <tom@example.org>", "For eve only", "eve's secret plans", to="eve@example.org"),
        user="eve")
    return dovecot


def numbers(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/mail/(\d+)"', page)]


async def test_list_read_move_and_undo_on_the_server(served, mailboxes):
    alice = await account(served, "alice")
    page = (await alice.get("/mail")).text
    assert "&lt;b&gt;Lunch&lt;/b&gt; on Friday?" in page and "<b>Lunch" not in page
    assert "Your invoice" in page and "eve only" not in page
    lunch, invoice = numbers(page)

    opened = await alice.get(f"/mail/{lunch}")
    assert opened.status_code == 200
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in opened.text  # the text is data
    assert "<script>alert" not in opened.text and "<img src=x" not in opened.text
    assert "Ida &lt;ida@example.org&gt;" in opened.text and "Friday 20 November 2026" in opened.text

    moved = await alice.post(f"/mail/{lunch}/move", {"category": "keep"})
    assert moved.status_code == 303, moved.text
    assert len(folder_uids(mailboxes, "Keep")) == 1 and len(folder_uids(mailboxes, "INBOX")) == 1
    after = (await alice.get(moved.headers["location"])).text
    assert f"Message #{lunch} is in Keep." in after and 'id="undo"' in after
    assert await MailStore(served["store"]).rules("alice") == []  # not asked to learn the sender
    run = re.search(r'name="run" value="([^"]+)"', after).group(1)

    undone = await alice.post("/mail/undo", {"run": run})
    assert undone.headers["location"] == "/mail?undone=1"
    assert len(folder_uids(mailboxes, "Keep")) == 0 and len(folder_uids(mailboxes, "INBOX")) == 2
    assert "Moved 1 message(s) back." in (await alice.get(undone.headers["location"])).text

    learned = await alice.post(f"/mail/{invoice}/move", {"category": "important", "learn": "yes"})
    assert learned.status_code == 303 and len(folder_uids(mailboxes, "Important")) == 1
    assert ("from", "bills@power.example", "important") in await MailStore(served["store"]).rules("alice")
    again = await alice.post(f"/mail/{invoice}/move", {"category": "important"})  # there already
    assert "run=&" in again.headers["location"] or again.headers["location"].endswith("run=")
    assert (await alice.post(f"/mail/{lunch}/move", {"category": "nonsense"})).status_code == 400
    await alice.aclose()


async def test_each_user_reaches_only_their_own_mail(served, mailboxes):
    alice = await account(served, "alice")
    bob = await account(served, "bob")
    carol = await account(served, "carol")
    lunch = numbers((await alice.get("/mail")).text)[0]
    moved = await alice.post(f"/mail/{lunch}/move", {"category": "keep"})
    run = re.search(r"run=([^&]+)", moved.headers["location"]).group(1)

    own = (await bob.get("/mail")).text
    assert "For eve only" in own and "Lunch" not in own and "invoice" not in own
    assert (await bob.get(f"/mail/{lunch}")).status_code == 404  # alice's number is not bob's
    assert (await bob.post(f"/mail/{lunch}/move", {"category": "junk"})).status_code == 404
    tried = await bob.post("/mail/undo", {"run": run})
    assert tried.headers["location"] == "/mail?undone=0"
    assert len(folder_uids(mailboxes, "Keep")) == 1 and len(folder_uids(mailboxes, "Junk")) == 0

    none = await carol.get("/mail")
    assert none.status_code == 200 and "No mail account is set up" in none.text and "os1 mail add" in none.text
    for c in (alice, bob, carol):
        await c.aclose()


async def test_marking_as_seen_empties_the_new_mail(served, mailboxes):
    alice = await account(served, "alice")
    assert len(numbers((await alice.get("/mail")).text)) == 2
    assert len(numbers((await alice.get("/mail")).text)) == 2  # looking is not checking
    assert (await alice.post("/mail/seen")).status_code == 303
    assert 'id="no-new-mail"' in (await alice.get("/mail")).text
    put(mailboxes, s.simple("Ida <ida@example.org>", "One more thing", "Bring the map."))
    assert "One more thing" in (await alice.get("/mail")).text
    await alice.aclose()


async def test_a_mail_server_that_cannot_be_reached_is_said_plainly(served, mailboxes):
    alice = await account(served, "alice")
    mailboxes.stop()
    page = await alice.get("/mail")
    assert page.status_code == 502 and "<h1>Mail</h1>" in page.text
    assert "127.0.0.1" in page.text and "Traceback" not in page.text, page.text[-600:]
    await alice.aclose()


async def test_the_account_is_added_from_the_page_only_when_both_logins_work(served, mailboxes, smtp_server):  # noqa: F811
    carol = await account(served, "carol")
    fields = {"address": "sam@example.org", "username": "sam", "imap_host": "127.0.0.1",
              "imap_port": str(mailboxes.port), "imap_tls": "none", "smtp_host": "127.0.0.1",
              "smtp_port": str(smtp_server.port), "smtp_tls": "none", "display_name": "Sam"}
    wrong = await carol.post("/mail/account", fields | {"password": "not-it"})
    assert wrong.status_code == 400 and 'id="account-error"' in wrong.text
    assert "not-it" not in wrong.text and 'value="127.0.0.1"' in wrong.text  # kept, but never the password
    assert await MailStore(served["store"]).accounts("carol") == []
    missing = await carol.post("/mail/account", fields | {"password": "", "imap_host": ""})
    assert missing.status_code == 400 and "needed" in missing.text
    added = await carol.post("/mail/account", fields | {"password": PASSWORD})
    assert added.status_code == 303, added.text
    page = (await carol.get(added.headers["location"])).text
    assert "Added sam@example.org" in page and "Your invoice" in page
    saved = await MailStore(served["store"]).accounts("carol")
    assert [a.address for a in saved] == ["sam@example.org"] and PASSWORD.encode() not in saved[0].secret
    assert await MailStore(served["store"]).accounts("bob") != saved
    await carol.aclose()


async def test_the_whole_inbox_is_sorted_with_progress_and_one_undo(served, mailboxes):
    alice, bob = await account(served, "alice"), await account(served, "bob")
    put(mailboxes, s.simple("Deals <news@shop.example>", "Weekly deals", "Unsubscribe here."))
    served["llm"].steps[:] = [{"category": "newsletters"}] * 10 + [{"category": "important"}] * 10
    started = await alice.post("/mail/sort")
    assert started.status_code == 303
    assert (await bob.get("/mail")).text.count('id="sorting"') == 0  # alice's job is not bob's
    for _ in range(100):  # bounded: 10 s
        page = (await alice.get("/mail")).text
        if 'id="sorted"' in page or "Sorting stopped" in page:
            break
        assert 'http-equiv="refresh"' in page and "examined" in page  # the page follows it
        await asyncio.sleep(0.1)
    assert 'id="sorted"' in page, page
    assert "examined 3" in page and 'id="undo-sort"' in page
    assert len(folder_uids(mailboxes, "INBOX")) < 3
    run = re.search(r'name="run" value="([^"]+)"', page).group(1)
    assert 'id="sorted"' not in (await alice.get("/mail")).text  # shown once
    undone = await alice.post("/mail/undo", {"run": run})
    assert undone.status_code == 303
    assert len(folder_uids(mailboxes, "INBOX")) == 3
    for c in (alice, bob):
        await c.aclose()
