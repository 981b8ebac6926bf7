"""The embedded backend with the real model (0.5B in CI)."""

import logging

import pytest

from os1.core.interview import IDENTITY_SCHEMA, run_interview, valid_name
from os1.events import EventType

pytestmark = pytest.mark.model

SYSTEM = {"role": "system", "content": "You are Iris, a warm companion. " * 20}


async def generate(llm, messages, **kw):
    text, usage = "", {}
    async for chunk in llm.stream_chat(messages, **kw):
        text += chunk.text
        usage = chunk.usage or usage
    return text, usage.get("timings", {})


async def test_streams_and_reuses_the_cached_prefix(real_llm):
    text, first = await generate(real_llm, [SYSTEM, {"role": "user", "content": "Say hi."}], max_tokens=16)
    assert text.strip()
    _, second = await generate(real_llm, [SYSTEM, {"role": "user", "content": "Say bye."}], max_tokens=16)
    assert second["cache_n"] >= 100  # the long system prefix was not computed again
    assert second["prompt_n"] < first["prompt_n"]


async def test_only_the_allowed_tools_can_be_called(real_llm):
    """The tools are described after the history and a grammar lets the reply call only the
    allowed ones. llama.cpp drops a grammar that does not compile without a word, and then the
    0.5B writes the bare JSON of a call, so this also checks that the grammar holds."""
    from os1.plugins import tools as registered

    shown = [t.schema() for t in registered().values() if getattr(t.prepare, "needs", None) is None]
    ask = [SYSTEM, {"role": "user", "content": "Please save a note titled Groceries with the text: milk and eggs."}]
    calls = []
    async for chunk in real_llm.stream_chat(ask, tools=shown, allowed={"save_note"}, max_tokens=80):
        calls += chunk.tool_calls
    assert [c.name for c in calls] == ["save_note"] and "milk" in calls[0].arguments["text"].lower()
    for allowed in (set(), {"calendar_agenda"}):
        text, calls = "", []
        async for chunk in real_llm.stream_chat(ask, tools=shown, allowed=allowed, max_tokens=40):
            text, calls = text + chunk.text, calls + chunk.tool_calls
        assert all(c.name in allowed for c in calls), calls
        assert not text.lstrip().startswith(("{", "<", "[{", "`")), text  # no call written as words
    # Once a call written out as words is in the history the 0.5B copies it on every turn.
    junk = '({"name": "read_book", "arguments": {"title": "Dune"}})'
    copied = [SYSTEM, {"role": "user", "content": "Tell me about a good book."},
              {"role": "assistant", "content": junk}, {"role": "user", "content": "Tell me another one."},
              {"role": "assistant", "content": junk}, {"role": "user", "content": "What is the capital of France?"}]
    text = ""
    async for chunk in real_llm.stream_chat(copied, tools=shown, allowed=set(), max_tokens=30):
        text += chunk.text
    assert text.strip() and not text.lstrip().startswith(("(", "{", "[{", "<", ">")), text


async def test_a_call_can_be_required(real_llm):
    """`must_call`: the grammar leaves no room for words (the turn uses it after a reply that
    only promised to look), even for a request the model would answer in words."""
    from os1.core.steps import ACT_NOTE
    from os1.plugins import tools as registered

    shown = [t.schema() for t in registered().values() if t.name == "calendar_agenda"]
    ask = [SYSTEM, {"role": "user", "content": "What's on tomorrow?"},
           {"role": "assistant", "content": "To find out, I'll check my calendar."},
           {"role": "system", "content": ACT_NOTE}]
    text, calls = "", []
    async for chunk in real_llm.stream_chat(ask, tools=shown, allowed={"calendar_agenda"}, max_tokens=60,
                                            must_call=True):
        text, calls = text + chunk.text, calls + chunk.tool_calls
    assert [c.name for c in calls] == ["calendar_agenda"] and not text.strip(), (text, calls)


async def test_json_output_follows_the_schema(real_llm):
    out = await real_llm.complete_json(
        [{"role": "user", "content": "Invent a companion name and personality."}], IDENTITY_SCHEMA
    )
    assert set(IDENTITY_SCHEMA["required"]) <= set(out)
    assert 2 <= len(out["name"]) <= 20


async def test_closing_the_stream_stops_generation(real_llm):
    n = 0
    stream = real_llm.stream_chat([{"role": "user", "content": "Count from 1 to 500."}], max_tokens=400)
    async for _chunk in stream:
        n += 1
        if n == 3:
            break
    await stream.aclose()
    text, timings = await generate(real_llm, [{"role": "user", "content": "Say ok."}], max_tokens=4)
    assert text.strip() and timings["predicted_n"] <= 4


async def test_interview_yields_a_model_chosen_identity(real_llm, store, caplog):
    caplog.set_level(logging.INFO, "os1.core.identity")  # each choice it could not use, on a failure
    answers = iter(["Call me Theo", "Mostly private, a few close friends", "Warm but complicated",
                    "Female, please", "Keeping my life organised and my writing"])

    async def ask(question):
        return next(answers)

    sid = await store.start_session("tester")
    identity = await run_interview(real_llm, store, "tester", sid, ask)
    assert identity.chosen_by_model, "the model should choose its own name"
    assert valid_name(identity.name, {"theo", "call", "me"})
    blocks = {b.label: b.value for b in await store.blocks("tester")}
    assert identity.name in blocks["persona"] and identity.personality in blocks["persona"]
    assert "Prefers to be called: Theo" in blocks["human"]
    assert "Warm but complicated" in blocks["human"]
    profile = await store.profile("tester")
    assert profile["companion_name"] == identity.name and profile["voice"] == "female"
    logged = [m.content for m in await store.messages("tester")]
    assert logged[1] == "Call me Theo" and identity.name in logged[-1]


async def test_tool_call_round_trip_with_confirmation(companion, settings):
    decisions = []

    async def decide(request):
        decisions.append(request.tool)
        return len(decisions) > 1  # refuse the first time, allow the second

    session = await companion.session(confirm=decide)
    ask = "Please save a note titled Groceries with the text: milk and eggs."
    [e async for e in session.turn(ask)]
    call = session.last_trace.first(EventType.TOOL_CALL)
    assert call is not None and call.data["tool"] == "save_note"
    assert "groceries" in call.data["arguments"]["title"].lower()
    assert decisions == ["save_note"]
    assert not (settings.data_dir / "notes").exists(), "refused: nothing may be written"

    session = await companion.session(confirm=decide)
    [e async for e in session.turn(ask)]
    assert session.last_trace.first(EventType.CONFIRMATION).data["approved"] is True
    notes = list((settings.data_dir / "notes" / "tester").glob("*.md"))
    assert len(notes) == 1 and "milk" in notes[0].read_text().lower()
    assert session.last_trace.types()[-1] == EventType.TURN_END


async def test_background_work_keeps_the_conversations_cache_and_gives_way(real_llm):
    """Memory work runs on the second slot: the conversation's cached prompt survives it, and a
    reply that is wanted stops it (ModelBusyError), to be retried later."""
    import asyncio

    from os1.errors import ModelBusyError

    chat = [SYSTEM, {"role": "user", "content": "Say hi."}]
    await generate(real_llm, chat, max_tokens=4)
    other = [{"role": "system", "content": "Take notes on what follows. " * 30},
             {"role": "user", "content": "I moved to LA."}]
    await generate(real_llm, other, max_tokens=8, background=True)
    _, after = await generate(real_llm, chat, max_tokens=4)
    assert after["cache_n"] >= 100  # the background request did not evict the conversation

    started = asyncio.Event()

    async def background() -> str:
        text = ""
        async for chunk in real_llm.stream_chat(
            [{"role": "user", "content": "Count from 1 to 300, one number per line."}],
            max_tokens=600, background=True,
        ):
            text += chunk.text
            started.set()
        return text

    task = asyncio.create_task(background())
    await asyncio.wait_for(started.wait(), 120)
    reply, _ = await generate(real_llm, chat, max_tokens=8)
    assert reply.strip()
    with pytest.raises(ModelBusyError):
        await task


async def test_a_stream_closed_early_frees_its_caller_at_once_and_the_model_after_one_step(real_llm):
    """The voice closes a read-ahead (Session.prefill) the turn has no use for, and the reply at a
    barge-in. Closing returns at once: the engine finishes the step it is computing and drops it
    (one token took 0.7 s under CPU steal in CI, and the barge-in waited for it). The next
    request waits for that step, so its slot is free, but not for the rest of the prompt (the
    model used to be held until the whole prompt was read: 4-5 s in the voice bench)."""
    import asyncio
    import time

    long_prompt = [{"role": "system", "content": " ".join(
        f"Note {i}: the red door on street {i} had {i % 7} bells." for i in range(120))},
        {"role": "user", "content": "List the notes."}]

    async def read_ahead() -> None:
        async for _ in real_llm.stream_chat(long_prompt, max_tokens=1):
            pass

    task = asyncio.create_task(read_ahead())
    await asyncio.sleep(0.5)  # it is reading (~1,500 tokens, 64 a step: over 10 s for the 0.5B here)
    start = time.perf_counter()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    in_flight = set(real_llm._stopping)
    assert task.cancelled()
    assert in_flight and not any(step.done() for step in in_flight)  # closed; the step goes on
    reply, steps_done_at_first_chunk = "", None
    async for chunk in real_llm.stream_chat([SYSTEM, {"role": "user", "content": "Say hi."}], max_tokens=4):
        if steps_done_at_first_chunk is None:
            steps_done_at_first_chunk = all(step.done() for step in in_flight)
        reply += chunk.text
    waited = time.perf_counter() - start
    assert reply.strip() and steps_done_at_first_chunk is True and not real_llm._stopping
    assert waited < 5.0, f"the reply waited {waited:.1f} s for a read-ahead nobody wanted"


async def test_a_reply_stops_background_work_that_is_still_reading_its_prompt(real_llm):
    """Fact extraction reads long prompts; a reply wanted meanwhile must not wait for the read
    (it waited 15-20 s when llama.cpp read the whole prompt in one step). Background work asked
    for while a reply is written does not start: at temperature 0 the reply's words could
    change with what was beside it in the engine's batch."""
    import asyncio
    import time

    from os1.errors import ModelBusyError

    chat = [SYSTEM, {"role": "user", "content": "Say hi."}]
    await generate(real_llm, chat, max_tokens=4)
    long_prompt = [{"role": "system", "content": " ".join(
        f"Note {i}: the green door on lane {i} had {i % 5} keys." for i in range(120))},
        {"role": "user", "content": "List the notes."}]
    engine_calls = []
    loop = asyncio.get_running_loop()
    run_in_executor = loop.run_in_executor
    loop.run_in_executor = lambda *a: (engine_calls.append(a), run_in_executor(*a))[1]  # type: ignore[method-assign]

    async def background() -> None:
        async for _ in real_llm.stream_chat(long_prompt, max_tokens=8, background=True):
            pass

    try:
        task = asyncio.create_task(background())
        await asyncio.sleep(0.5)  # it is reading (~1,500 tokens: over 10 s for the 0.5B here)
        start = time.perf_counter()
        reply, late, calls_before = "", None, None
        async for chunk in real_llm.stream_chat(chat, max_tokens=4):
            if late is None:
                calls_before = len(engine_calls)
                late = asyncio.create_task(background())  # asked for while the reply goes on
                await asyncio.sleep(0.05)
            reply += chunk.text
        waited = time.perf_counter() - start
        with pytest.raises(ModelBusyError):
            await late
    finally:
        loop.run_in_executor = run_in_executor  # type: ignore[method-assign]
    assert reply.strip() and calls_before == len(engine_calls) == 2  # the late one never reached the engine
    with pytest.raises(ModelBusyError):
        await task
    assert waited < 5.0, f"the reply waited {waited:.1f} s for background work"


async def test_a_turn_offered_other_tools_does_not_read_the_history_again(companion, steady_clock):
    """llama.cpp's template writes the tools ahead of the history; the embedded backend
    describes them after it instead, so a turn whose tools differ, more or fewer, still finds
    the history in the cache (before: 12-16 s to read it again)."""
    session = await companion.session()
    for text in ("Tell me a short story about a red fox who finds a lost glove in the snow.",
                 "And one about a small owl who cannot sleep at night."):
        [e async for e in session.turn(text)]
    offered, cached = [], [0]
    for text in ("What are you doing today?", "Tell me a fun fact about owls.",
                 "And one about foxes.", "What is on my calendar tomorrow?"):
        [e async for e in session.turn(text)]
        offered.append(session.offered)
        gen = session.last_trace.first(EventType.GENERATION)
        assert gen is not None and gen.data["cached_tokens"] is not None
        # The system message and the history before the last exchange always come from the
        # cache; what is read is that exchange, this turn's words and its tools, if any.
        cached.append(gen.data["cached_tokens"])
        assert cached[-1] >= cached[-2], f"{text!r}: {cached[-1]} tokens from the cache, {cached[-2]} before"
    assert cached[1] > 300  # the persona and the two stories
    assert "calendar_agenda" in offered[0] and "calendar_agenda" not in offered[2]  # removed...
    assert "calendar_agenda" in offered[3]  # ...and added again


async def test_a_warm_reads_the_next_messages_time_stamp_ahead(companion, steady_clock):
    """The next user message starts with the chat template's tags and a ~15-token time stamp,
    all known before its words: warm() reads them, and a short message then leaves only its
    words and the closing tags to read (voice bench: ~30 tokens, ~0.35 s on the 0.5B, before)."""
    session = await companion.session()
    [e async for e in session.turn("Hello there, how are you doing?")]
    [e async for e in session.turn("What is three plus three?")]  # nothing read ahead
    gen = session.last_trace.first(EventType.GENERATION)
    assert gen is not None and gen.data["prompt_tokens"] >= 25, gen.data
    await session.warm()
    [e async for e in session.turn("What is two plus two?")]
    gen = session.last_trace.first(EventType.GENERATION)
    assert gen is not None and gen.data["prompt_tokens"] <= 14, gen.data
