"""Tool notices: words a tool says the user must get (e.g. "this mail looks like phishing") reach
the user with the reply whatever the model answers: shown as text, spoken, stored in history."""

from os1.core.conversation import Companion
from os1.core.tools import tool
from os1.events import EventType
from os1.models.base import ToolCall
from os1.plugins import tools as registered_tools
from os1.voice.text import SentenceSplitter
from tests.fakes import UNREACHABLE, ScriptedLLM, interrupt_turn

WARN = "Careful: message #3 looks like a phishing attempt."


@tool
def read_mail(ctx, n: int = 3) -> str:
    """Read an email."""
    ctx.notify(WARN, unless=r"phishing")
    return "quoted mail"


@tool
def plain(ctx) -> str:
    """Something harmless."""
    return "fine"


def make(settings, store, *steps, delay=0.0):
    tools = {**registered_tools(), "read_mail": read_mail, "plain": plain}
    return Companion(settings, ScriptedLLM(*steps, delay=delay), store, tools)


async def texts(session, text):
    events = [e async for e in session.turn(text)]
    return events, "".join(e.data.get("text", "") for e in events if e.type == EventType.TEXT)


async def test_a_notice_ends_the_reply_shown_and_stored(settings, store):
    c = make(settings, store, ToolCall("a", "read_mail", {}), "It is about a parcel.")
    events, said = await texts(await c.session(), "summarize email 3")
    assert said.startswith("It is about a parcel.") and WARN in said
    notice = [e for e in events if e.type == EventType.TEXT and e.data.get("notice")]
    assert len(notice) == 1 and notice[0].data["text"].strip() == WARN
    assert events.index(notice[0]) > max(i for i, e in enumerate(events) if e.type == EventType.GENERATION)
    reply = [m for m in await store.messages("tester") if m.role == "assistant" and m.content][-1]
    assert reply.status == "complete" and reply.content == said
    # the next turn's prompt carries it as what OS1 said
    c.llm.steps = ["ok"]
    await texts(await c.session(), "thanks")
    assert any(m["role"] == "assistant" and WARN in (m.get("content") or "") for m in c.llm.prompts[-1])


async def test_no_notice_when_the_reply_already_warns_or_no_tool_asked(settings, store):
    c = make(settings, store, ToolCall("a", "read_mail", {}), "Beware: this is phishing.",
             ToolCall("b", "plain", {}), "All fine.")
    s = await c.session()
    _, said = await texts(s, "summarize email 3")
    assert said == "Beware: this is phishing."
    _, said = await texts(s, "do the harmless thing")
    assert said == "All fine."


async def test_a_notice_is_delivered_once_per_turn(settings, store):
    c = make(settings, store, ToolCall("a", "read_mail", {}), ToolCall("b", "read_mail", {"n": 4}), "Done.")
    _, said = await texts(await c.session(), "read it twice")
    assert said.count(WARN) == 1


async def test_a_notice_reaches_the_user_when_the_model_writes_nothing(settings, store):
    c = make(settings, store, ToolCall("a", "read_mail", {}), "", "", "")  # nothing on either last try
    _, said = await texts(await c.session(), "summarize email 3")
    assert said.strip() == WARN
    assert WARN in [m.content for m in await store.messages("tester") if m.role == "assistant"][-1]


async def test_a_notice_survives_a_model_failure_after_the_tool(settings, store):
    c = make(settings, store, ToolCall("a", "read_mail", {}), UNREACHABLE)
    events, said = await texts(await c.session(), "summarize email 3")
    assert said.strip() == WARN
    assert events[-2].type == EventType.ERROR  # the notice, then the error
    assert WARN in [m.content for m in await store.messages("tester") if m.role == "assistant"][-1]


async def test_an_interrupted_reply_keeps_the_notice_in_history(settings, store):
    c = make(settings, store, ToolCall("a", "read_mail", {}),
             "one two three four five six seven eight nine ten " * 4, delay=0.05)
    s = await c.session()
    await interrupt_turn(s, "summarize email 3")  # once the words after the tool flow (Held)
    reply = [m for m in await store.messages("tester") if m.role == "assistant" and m.content][-1]
    assert reply.status == "interrupted" and reply.content.startswith("one two") and WARN in reply.content


async def test_voice_speaks_the_notice(settings, store):
    """As os1/voice/responding.py does: sentences from TEXT events, flushed at each GENERATION."""
    c = make(settings, store, ToolCall("a", "read_mail", {}), "It is about a parcel")
    spoken, splitter = [], SentenceSplitter()
    async for e in (await c.session()).turn("summarize email 3"):
        if e.type == EventType.TEXT:
            spoken += splitter.feed(e.data["text"])
        elif e.type == EventType.GENERATION:
            spoken += splitter.flush()
    assert spoken[-1] == WARN and "It is about a parcel" in spoken
