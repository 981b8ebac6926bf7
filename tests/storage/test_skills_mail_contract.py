"""What any MailRepository must do, whatever database is behind it. Each backend is one
parameter of the `backend` fixture (SQLite today); a new backend passes all of these first."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from os1.config import Settings
from os1.core.runtime import open_store
from os1.skills.mail.repository import (
    DEFAULT_FOLDERS,
    Account,
    KnownMessage,
    MailRepository,
    MessageRef,
    PlannedMove,
    SeenMessage,
)
from os1.skills.mail.store import mail_repository


@pytest.fixture(params=["sqlite"])
async def backend(request: pytest.FixtureRequest, settings: Settings) -> AsyncIterator[MailRepository]:
    store = await open_store(settings)
    try:
        yield mail_repository(store)
    finally:
        await store.close()


def account(user: str = "ana", name: str = "home") -> Account:
    return Account(0, user, name, f"{user}@example.org", user.title(), "imap.example.org", 993, "ssl",
                   "smtp.example.org", 587, "starttls", user, b"token")


def seen(uid: int, key: str, category: str | None = None) -> SeenMessage:
    return SeenMessage(uid, key, "amy@example.org", f"subject {key}", "2026-11-20T09:30:00+00:00", category)


def plan(uid: int, key: str, dst: str = "Keep", category: str = "keep", reason: str = "") -> PlannedMove:
    return PlannedMove(key, f"subject {key}", "INBOX", 7, uid, dst, category, reason)


async def test_accounts_are_saved_replaced_and_removed(backend):
    first = await backend.save_account(account())
    [a] = await backend.accounts("ana")
    assert a.id == first and a.secret == b"token" and a.folders == DEFAULT_FOLDERS
    await backend.set_folders("ana", first, {**DEFAULT_FOLDERS, "junk": "Spam"})
    assert (await backend.accounts("ana"))[0].folder("junk") == "Spam"
    second = await backend.save_account(account(), replace=True)
    assert [a.id for a in await backend.accounts("ana")] == [second]
    assert await backend.remove_account("ana", "home") is True
    assert await backend.remove_account("ana", "home") is False
    assert await backend.accounts("ana") == []


async def test_one_user_never_sees_anothers_rows(backend):
    ana = await backend.save_account(account("ana"))
    await backend.set_sync_state("ana", ana, "INBOX", 7, 12)
    ids = await backend.remember("ana", ana, "INBOX", 7, [seen(1, "k1")])
    await backend.plan_moves("ana", ana, "b1", [plan(1, "k1", reason="user")])
    [move] = await backend.moves("ana", ana)
    await backend.set_move_state("ana", move.id, "done", 3)
    await backend.add_rule("ana", "from", "amy@example.org", "important")
    await backend.note_contacts("ana", [("amy@example.org", "Amy")], sent=True)

    assert await backend.accounts("bo") == []
    assert await backend.sync_state("bo", ana, "INBOX") is None
    assert await backend.message_ref("bo", ids[1]) is None
    assert await backend.last_known("bo", ana, "k1") is None
    assert await backend.moves("bo", ana) == []
    assert await backend.keys_with_moves("bo", ana) == set()
    assert await backend.last_batch("bo", ana) is None
    assert await backend.corrections("bo") == []
    assert await backend.rules("bo") == []
    assert await backend.contacts("bo") == [] and await backend.known_addresses("bo") == set()
    assert await backend.remove_account("bo", "home") is False
    assert await backend.set_contact_note("bo", "amy@example.org", "sister") is False
    await backend.set_move_state("bo", move.id, "undone")  # another user's move: untouched
    assert [m.state for m in await backend.moves("ana", ana)] == ["done"]


async def test_sync_state_is_one_row_per_folder(backend):
    a = await backend.save_account(account())
    assert await backend.sync_state("ana", a, "INBOX") is None
    await backend.set_sync_state("ana", a, "INBOX", 7, 12)
    await backend.set_sync_state("ana", a, "INBOX", 8, 3)
    await backend.set_sync_state("ana", a, "Junk", 9, 1)
    assert await backend.sync_state("ana", a, "INBOX") == (8, 3)
    assert await backend.sync_state("ana", a, "Junk") == (9, 1)


async def test_a_message_keeps_its_number(backend):
    a = await backend.save_account(account())
    first = await backend.remember("ana", a, "INBOX", 7, [seen(1, "k1", "junk"), seen(2, "k2")])
    again = await backend.remember("ana", a, "INBOX", 7, [seen(1, "k1")])
    assert again == {1: first[1]} and first[1] != first[2]
    assert await backend.message_ref("ana", first[1]) == MessageRef(a, "INBOX", 7, 1, "k1", "subject k1")
    await backend.relocate("ana", a, "k1", "Keep", 9, 5)
    await backend.relocate("ana", a, "k2", "Keep", 9, None)  # where it went is unknown: stays
    assert await backend.message_ref("ana", first[1]) == MessageRef(a, "Keep", 9, 5, "k1", "subject k1")
    assert (await backend.message_ref("ana", first[2])).folder == "INBOX"
    assert await backend.last_known("ana", a, "k1") == KnownMessage(first[1], "Keep", "amy@example.org", None)
    assert await backend.last_known("ana", a, "unknown") is None


async def test_the_journal_goes_planned_done_undone_or_gone(backend):
    a = await backend.save_account(account())
    await backend.plan_moves("ana", a, "b1", [plan(1, "k1"), plan(2, "k2", "Junk", "junk")])
    planned = await backend.moves("ana", a, states=("planned",))
    assert [(m.message_key, m.state, m.dst_uid) for m in planned] == [("k1", "planned", None), ("k2", "planned", None)]
    await backend.set_move_state("ana", planned[0].id, "done", 31)
    await backend.set_move_state("ana", planned[1].id, "gone")
    assert [m.state for m in await backend.moves("ana", a, batch="b1")] == ["done", "gone"]
    assert await backend.last_batch("ana", a) == "b1"
    assert await backend.moves("ana", a, batch="other") == []
    await backend.set_move_state("ana", planned[0].id, "undone")
    [undone] = await backend.moves("ana", a, states=("undone",))
    assert undone.dst_uid == 31  # kept: a state change without a uid does not forget it
    assert await backend.last_batch("ana", a) is None  # nothing left done


async def test_moving_is_idempotent(backend):
    a = await backend.save_account(account())
    await backend.plan_moves("ana", a, "b1", [plan(1, "k1")])
    [m] = await backend.moves("ana", a)
    await backend.set_move_state("ana", m.id, "done", 31)
    await backend.set_move_state("ana", m.id, "done", 31)  # a resumed run marks it again
    assert [(x.state, x.dst_uid) for x in await backend.moves("ana", a)] == [("done", 31)]
    assert await backend.keys_with_moves("ana", a) == {"k1"}  # decided once: never sorted again
    await backend.set_move_state("ana", m.id, "undone")
    assert await backend.keys_with_moves("ana", a) == {"k1"}  # moved back by the user: still decided


async def test_moves_seen_elsewhere_are_corrections_not_batches(backend):
    a = await backend.save_account(account())
    await backend.remember("ana", a, "INBOX", 7, [seen(1, "k1")])
    await backend.plan_moves("ana", a, "b1", [plan(2, "k2")])
    [m] = await backend.moves("ana", a)
    await backend.set_move_state("ana", m.id, "done", 40)
    await backend.record_seen_move("ana", a, "k1", "subject k1", "INBOX", "Important", 9, 4, "important")
    assert await backend.last_batch("ana", a) == "b1"  # undo leaves the user's own move alone
    assert await backend.corrections("ana") == [("subject k1", "important")]
    known = await backend.last_known("ana", a, "k1")
    assert known is not None and known.folder == "Important" and known.moved_to == "Important"


async def test_rules_are_lower_case_and_one_per_pattern(backend):
    await backend.add_rule("ana", "from", "Amy@Example.org", "important")
    await backend.add_rule("ana", "subject", "Invoice", "keep")
    await backend.add_rule("ana", "from", "amy@example.org", "needs_reply")
    assert await backend.rules("ana") == [("from", "amy@example.org", "needs_reply"), ("subject", "invoice", "keep")]


async def test_contacts_are_counted_both_ways(backend):
    await backend.note_contacts("ana", [("Amy@Example.org", "Amy"), ("news@shop.example", "")], sent=False)
    await backend.note_contacts("ana", [("amy@example.org", "")], sent=False)
    await backend.note_contacts("ana", [("amy@example.org", "Amy Pond"), ("bo@example.org", "")], sent=True)
    found = {c.address: c for c in await backend.contacts("ana")}
    assert (found["amy@example.org"].received, found["amy@example.org"].sent) == (2, 1)
    assert found["amy@example.org"].name == "Amy Pond" and found["amy@example.org"].known
    assert (found["news@shop.example"].received, found["news@shop.example"].known) == (1, False)
    assert [c.address for c in await backend.contacts("ana")][:2] == ["amy@example.org", "bo@example.org"]
    assert [c.address for c in await backend.contacts("ana", "pond")] == ["amy@example.org"]
    assert len(await backend.contacts("ana", limit=1)) == 1
    assert await backend.known_addresses("ana") == {"amy@example.org", "bo@example.org"}
    assert await backend.set_contact_note("ana", "AMY@example.org", "sister") is True
    assert (await backend.contacts("ana", "amy"))[0].notes == "sister"
    assert await backend.set_contact_note("ana", "nobody@example.org", "x") is False
