"""Two accounts, two companions: everything one user can reach through the page, the WebSocket
or the API is that user's own, whatever ids or names the other one tries."""

from __future__ import annotations

import json

from conftest import account
from test_web_live import connect, named, until

from os1.interfaces.web.server import WebState

SECRET = "my locker code is 4711 sapphire"


async def seed(served, user: str, words: str) -> int:
    """A message and a memory of `user`, with the message as its source."""
    store = served["store"]
    session = await store.start_session(user)
    mid = await store.add_message(user, session, "user", words)
    state: WebState = served["app"].state.web
    return await state.index().add(user, words, speaker="user", sources=[{"message": mid}])


async def test_one_user_never_reaches_the_others_data(served):
    alice = await account(served, "alice")
    bob = await account(served, "bob")
    mine = await seed(served, "alice", SECRET)
    await seed(served, "bob", "bob likes tea")
    await named(served, "alice", "Juno")  # after the interview: the page shows the history
    await named(served, "bob", "Ari")

    # pages: history, memory list, export, forget form and forget
    for path in ("/", "/memory", "/memory/export"):
        own, other = await alice.get(path), await bob.get(path)
        assert own.status_code == other.status_code == 200, path
        assert "4711" in own.text and "4711" not in other.text, path
    assert "bob likes tea" in (await bob.get("/memory")).text
    found, not_found = await alice.get("/memory?q=locker code"), await bob.get("/memory?q=locker code")
    assert "4711" in found.text and "4711" not in not_found.text and "Nothing found." in not_found.text
    state: WebState = served["app"].state.web
    await state.index().add("alice", "Theo seemed tired of his locker today.", kind="insight", speaker="diary")
    assert "tired of his locker" in (await alice.get("/diary")).text
    diary = await bob.get("/diary")
    assert diary.status_code == 200 and "locker" not in diary.text and "empty" in diary.text
    assert (await bob.get(f"/memory/{mine}/forget")).status_code == 404
    assert (await alice.get(f"/memory/{mine}/forget")).status_code == 200
    tried = await bob.post(f"/memory/{mine}/forget")
    assert tried.status_code == 303 and tried.headers["location"] == "/memory?forgot=0"
    assert "4711" in (await alice.get("/memory")).text, "bob's forget did not touch alice's memory"

    # API keys: bob cannot revoke alice's, and each key opens its own user's companion
    await alice.post("/settings/keys")
    key_id = served["app"].state.web.accounts.keys("alice")[0].id
    assert key_id not in (await bob.get("/settings")).text
    await bob.post(f"/settings/keys/{key_id}/revoke")
    assert served["app"].state.web.accounts.keys("alice")[0].id == key_id

    # letting the API act is per account
    await bob.post("/settings/api-acts", {"on": "yes"})
    assert served["app"].state.web.accounts.api_acts("bob")
    assert not served["app"].state.web.accounts.api_acts("alice")

    # CSRF tokens belong to their session: alice's token with bob's cookie is refused
    bob_token, bob.csrf = bob.csrf, alice.csrf
    assert (await bob.post("/settings/keys")).status_code == 403
    bob.csrf = bob_token

    # the WebSocket: bob's turn is stored as bob's, alice's history does not change
    served["llm"].steps[:] = ["(warm)", "Hello Bob."]
    ws = await connect(served, bob.cookie)
    await until(ws, "ready")
    await ws.send(json.dumps({"type": "say", "text": "what is alice's locker code?"}))
    await until(ws, "turn-end")
    await ws.close()
    prompt = json.dumps(served["llm"].prompts[-1])
    assert "4711" not in prompt, "alice's words must never be in bob's prompt"
    assert [m.content for m in await served["store"].messages("alice")] == [SECRET]
    await alice.aclose()
    await bob.aclose()


async def test_forget_through_the_page_removes_the_memory(served):
    alice = await account(served, "alice")
    mine = await seed(served, "alice", SECRET)
    form = await alice.get(f"/memory/{mine}/forget")
    assert "Forget this for good?" in form.text and "4711" in form.text
    done = await alice.post(f"/memory/{mine}/forget")
    assert done.headers["location"] == "/memory?forgot=1"
    state: WebState = served["app"].state.web
    assert all(m.id != mine for m in await state.index().recent("alice", 50))
    assert "4711" not in (await alice.get("/memory")).text
    await alice.aclose()


async def test_a_phone_pairs_with_a_one_time_qr_code(served):
    from web_helpers import Visitor

    alice = await account(served, "alice")
    await seed(served, "alice", SECRET)
    shown = await alice.post("/settings/pair")
    assert shown.status_code == 200 and 'src="data:image/svg+xml' in shown.text
    link = shown.text.split('<code id="pair-link">')[1].split("<")[0].replace("&amp;", "&")
    assert link.startswith(served["base"] + "/pair?token=")
    phone = Visitor(served["base"])
    opened = await phone.get(link.removeprefix(served["base"]))
    assert opened.status_code == 303 and opened.headers["location"] == "/"
    assert "4711" in (await phone.get("/memory")).text  # the phone is alice now
    thief = Visitor(served["base"])
    again = await thief.get(link.removeprefix(served["base"]))
    assert again.status_code == 404 and (await thief.get("/memory")).status_code == 303  # once only
    assert (await thief.post("/settings/pair", csrf=False)).status_code in (303, 403)
    for v in (alice, phone, thief):
        await v.aclose()
