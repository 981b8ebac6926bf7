"""The OpenAI-compatible API, driven by the official `openai` package against a real server:
the companion answers (streamed or not), keys say whose companion, side effects are declined."""

from __future__ import annotations

import openai
import pytest
from conftest import account, logged_in

from os1.events import EventType
from os1.models.base import ToolCall


async def client_for(served, name: str) -> openai.AsyncOpenAI:
    visitor = await account(served, name)
    await visitor.post("/settings/keys")
    page = await visitor.get("/settings")
    await visitor.aclose()
    assert "os1-" not in page.text, "a key is shown once, when it is made"
    key = await served["app"].state.web.accounts.new_key(name)  # a second key, to use here
    return openai.AsyncOpenAI(base_url=served["base"] + "/v1", api_key=key, max_retries=0)


async def test_models_and_replies_streamed_and_not(served):
    client = await client_for(served, "alice")
    assert [m.id async for m in client.models.list()] == ["os1"]
    served["llm"].steps[:] = ["Hello from your companion.", "Streaming words one by one."]
    reply = await client.chat.completions.create(
        model="os1", messages=[{"role": "user", "content": "Hi"}])
    assert reply.choices[0].message.content == "Hello from your companion."
    stream = await client.chat.completions.create(
        model="os1", messages=[{"role": "user", "content": "Tell me more"}], stream=True)
    pieces = [c.choices[0].delta.content async for c in stream if c.choices and c.choices[0].delta.content]
    assert len(pieces) > 2 and "".join(pieces) == "Streaming words one by one."
    stored = [(m.role, m.content) for m in await served["store"].messages("alice")]
    assert stored == [("user", "Hi"), ("assistant", "Hello from your companion."),
                      ("user", "Tell me more"), ("assistant", "Streaming words one by one.")]


async def test_keys_are_needed_and_say_whose_companion(served):
    alice = await client_for(served, "alice")
    bob = await client_for(served, "bob")
    stranger = openai.AsyncOpenAI(base_url=served["base"] + "/v1", api_key="os1-guessed", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        await stranger.models.list()
    with pytest.raises(openai.AuthenticationError):
        await stranger.chat.completions.create(model="os1", messages=[{"role": "user", "content": "hi"}])
    served["llm"].steps[:] = ["Hi Alice.", "Hi Bob."]
    await alice.chat.completions.create(model="os1", messages=[{"role": "user", "content": "I am Alice"}])
    await bob.chat.completions.create(model="os1", messages=[{"role": "user", "content": "I am Bob"}])
    assert [m.content for m in await served["store"].messages("bob")] == ["I am Bob", "Hi Bob."]
    assert "I am Bob" not in [m.content for m in await served["store"].messages("alice")]
    with pytest.raises(openai.BadRequestError):
        await alice.chat.completions.create(model="os1", messages=[{"role": "system", "content": "only this"}])


async def test_side_effects_are_declined_over_the_api(served):
    client = await client_for(served, "alice")
    call = ToolCall("c1", "save_note", {"title": "Groceries", "text": "milk"})
    served["llm"].steps[:] = [call, "I could not save it."]
    reply = await client.chat.completions.create(
        model="os1", messages=[{"role": "user", "content": "Please save a note titled Groceries: milk"}])
    assert reply.choices[0].message.content == "I could not save it."
    assert not (served["settings"].data_dir / "notes").exists()
    session = await served["app"].state.web.api_session("alice")
    decision = session.last_trace.first(EventType.CONFIRMATION)
    assert decision is not None and decision.data["approved"] is False


async def test_side_effects_over_the_api_when_the_user_turned_them_on(served):
    client = await client_for(served, "alice")
    alice = await logged_in(served, "alice")
    page = await alice.get("/settings")
    assert "are declined" in page.text
    assert (await alice.post("/settings/api-acts", {"on": "yes"})).status_code == 303
    assert "without asking" in (await alice.get("/settings")).text
    call = ToolCall("c1", "save_note", {"title": "Groceries", "text": "milk"})
    served["llm"].steps[:] = [call, "Saved it."]
    await client.chat.completions.create(
        model="os1", messages=[{"role": "user", "content": "Please save a note titled Groceries: milk"}])
    assert len(list((served["settings"].data_dir / "notes" / "alice").glob("*.md"))) == 1
    await alice.post("/settings/api-acts", {"on": ""})  # off again: the next one is declined
    served["llm"].steps[:] = [call, "Not saved."]
    await client.chat.completions.create(
        model="os1", messages=[{"role": "user", "content": "Please save a note titled Groceries: milk"}])
    assert len(list((served["settings"].data_dir / "notes" / "alice").glob("*.md"))) == 1
    await alice.aclose()



async def test_turns_are_rate_limited_per_user(served):
    from os1.interfaces.web.security import RateLimit

    served["app"].state.web.turns = RateLimit(2, 60)
    alice = await client_for(served, "alice")
    bob = await client_for(served, "bob")
    served["llm"].steps[:] = ["One.", "Two.", "Bob's."]
    for text in ("one", "two"):
        await alice.chat.completions.create(model="os1", messages=[{"role": "user", "content": text}])
    with pytest.raises(openai.RateLimitError):
        await alice.chat.completions.create(model="os1", messages=[{"role": "user", "content": "three"}])
    assert "three" not in [m.content for m in await served["store"].messages("alice")]
    reply = await bob.chat.completions.create(model="os1", messages=[{"role": "user", "content": "hi"}])
    assert reply.choices[0].message.content == "Bob's."  # another user's turns are counted apart
