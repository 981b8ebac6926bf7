"""A per-user session. Each turn: commit the user's words, assemble context, stream the reply,
run tool calls in a bounded loop (asking before side effects), and trace it all with timings."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import cast

from os1.config import Settings
from os1.core import context
from os1.core.mood import beside, heard
from os1.core.offering import Offering, last_turn_tools, session_tools
from os1.core.steps import (
    ACT_NOTE,
    Held,
    Running,
    call_key,
    checked_input,
    covers,
    disclaims_tools,
    found,
    non_answer,
    note_usage,
    notice_text,
    promise_only,
    run_call,
    with_recall,
    words_only,
)
from os1.core.tools import ConfirmationRequest, Confirmer, Notice, Tool, ToolContext
from os1.errors import OS1Error
from os1.events import Event, EventType, Trace
from os1.memory.blocks import load_blocks
from os1.memory.index import Memory
from os1.memory.recall import Remembering
from os1.memory.recall import render as render_recall
from os1.models.base import LLM, ChatChunk, Message, ToolCall
from os1.models.stream import CallTextGuard
from os1.storage.base import Store

FLUSH_EVERY_S = 1.0  # how often a streaming reply is written through to disk
# Said instead of a tool call the model wrote out as text when it was asked for words.
WITHHELD_CALL_REPLY = "Sorry, I got tangled up trying to do that. Could you say it another way?"


async def _deny(_: ConfirmationRequest) -> bool:
    return False


def _now() -> datetime:
    """The time stamp of a message not stored yet (read ahead); the store stamps stored ones."""
    return datetime.now(UTC)


@dataclass
class Companion:
    """What one process shares between sessions: settings, model, store, tools."""

    settings: Settings
    llm: LLM
    store: Store
    tools: dict[str, Tool] = field(default_factory=dict)
    memory: Remembering | None = None

    async def session(self, user: str | None = None, confirm: Confirmer | None = None) -> Session:
        user = user or self.settings.user
        session_id = await self.store.start_session(user)
        if self.settings.confirm == "deny":
            confirm = None
        ctx = ToolContext(user, session_id, self.store, self.settings, self.llm)
        tools = await session_tools(self.tools, ctx)
        called = await last_turn_tools(self.store, user)  # a new session goes on with the task
        return Session(self, user, session_id, confirm or _deny, tools, called=called)


class Session:
    def __init__(
        self,
        companion: Companion,
        user: str,
        session_id: int,
        confirm: Confirmer,
        tools: dict[str, Tool] | None = None,
        *,
        called: frozenset[str] = frozenset(),
    ) -> None:
        self.c = companion
        self.tools = companion.tools if tools is None else tools  # what this session offers
        # Passed whole on every step, with what the step may call in `allowed`: the backend
        # decides how to show them (the embedded one describes the callable ones after the
        # history, so that its cached prompt survives a change of tools).
        self.schemas = [t.schema() for t in self.tools.values()] or None
        self.user = user
        self.session_id = session_id
        self.confirm = confirm
        self.zone = context.local_zone(companion.settings)
        self.last_trace: Trace | None = None
        self._seen_tool_output = False
        ctx = ToolContext(user, session_id, companion.store, companion.settings, companion.llm)
        self.offering = Offering(self.tools, ctx, called)
        self._drafted: tuple[str, list[Memory]] | None = None  # words recalled for, by a prefill
        self._questions: list[str] = []  # what this step's failed calls need the user to answer
        self._stored: list[int] = []  # the messages the current (or last) turn stored
        self._acted = False  # a tool was called in it: it may have acted on the world

    @property
    def offered(self) -> set[str]:
        """The tools the current (or last) turn was offered."""
        return set(self.offering.current)

    async def offer(self, text: str) -> set[str]:
        """The tools a turn that says `text` may call (os1/language/routing.py): its words and,
        when the reply to the previous user message asked a question and this is no question
        itself, those too ("Wednesday at 2" after "move my lunch" and "To when?")."""
        return await self.offering.offer(text)

    def check_input(self, text: str) -> str:
        return checked_input(text, self.c.settings.max_input_chars)

    async def prompt(
        self, recall_for: str | None = None, pending: str | None = None, *, ahead: bool = False
    ) -> list[Message]:
        """System text, then the history window. With `recall_for`, memories relevant to it
        from outside the window are put in front of the newest user message. `pending` is a
        user message not stored yet, shown as turn() will show it once stored (prefill);
        `ahead`: the window as the next turn will show it, its message only the time stamp
        (warm)."""
        s = self.c.settings
        profile = await self.c.store.profile(self.user)
        blocks = await load_blocks(self.c.store, self.user)
        total = await self.c.store.count_messages(self.user) + (pending is not None or ahead)
        start = context.window_start(total, s.history_min_messages, s.history_max_messages)
        history = await self.c.store.messages(self.user, offset=start)
        name = profile.get("companion_name", "OS1")
        user_name = profile.get("preferred_name", self.user)
        messages = [
            context.system_message(blocks, name, user_name),
            *context.example_messages(context.voice_examples(profile.get("voice_examples"))),
            *context.history_messages(history, self.zone),
        ]
        if pending is not None or ahead:
            now = context.stamp(_now(), self.zone)
            messages.append({"role": "user", "content": f"[{now}] {pending}" if pending is not None else f"[{now}]"})
        if recall_for and self.c.memory is not None and messages[-1]["role"] == "user":
            drafted, self._drafted = self._drafted, None
            if drafted is not None and covers(drafted[0], recall_for):
                asked, found = drafted
            else:
                asked = recall_for
                found = await self.c.memory.recall(self.user, context.recall_query(recall_for, history),
                                                   {m.id for m in history}, now=_now().astimezone(self.zone))
            if pending is not None:  # a prefill: the next prefill and the turn may reuse it
                self._drafted = (asked, found)
            if note := render_recall(found, self.zone):
                messages[-1] = {**messages[-1], "content": note + messages[-1]["content"]}
        if recall_for or pending is not None or ahead:  # its mood, and what the words call for
            await beside(messages, self.c.store, self.user, profile, recall_for or pending, self.zone)
        return messages

    async def warm(self) -> None:
        """Load the model and put the persona and history into its prompt cache while the user
        is still typing, so the first reply starts in a fraction of a second."""
        # The window is the next turn's (with one more message it may move on), its message
        # begun as the turn's will be (template tags and time stamp). The tools are passed,
        # none callable, so the reply grammar's token tables are built now, not on the first
        # turn (docs/decisions/0005-end-of-turn-timing.md).
        messages = await self.prompt(ahead=True)
        async for _ in self.c.llm.stream_chat(messages, tools=self.schemas, allowed=set(), max_tokens=1):
            pass

    async def prefill(self, text: str) -> None:
        """Read the prompt of a turn not taken yet into the model's cache (voice: while the user
        may still go on), so that turn's first token comes at once. Nothing is stored."""
        text = self.check_input(text)
        allowed = await self.offer(text)
        messages = await self.prompt(recall_for=text, pending=text)
        async for _ in self.c.llm.stream_chat(messages, tools=self.schemas, allowed=allowed, max_tokens=1):
            pass

    async def turn(self, text: str) -> AsyncGenerator[Event, None]:
        """Yield the turn's events. Closing the iterator early stores the reply as interrupted."""
        text = self.check_input(text)
        trace = self.last_trace = Trace()
        yield trace.emit(EventType.TURN_START, user=self.user)
        user_msg = await self.c.store.add_message(self.user, self.session_id, "user", text)
        self._stored, self._acted = [user_msg], False
        if self.c.memory is not None:
            await self.c.memory.ingest(self.user, user_msg, "user", text)
        recalled: list[Message] | None = None
        reply_id: int | None = None
        reply, status = "", "interrupted"
        offered = await self.offering.begin(text)
        done: set[str] = set()  # calls already made this turn: a model that repeats gets words
        notices: list[Notice] = []  # what tools said the user must hear, whatever the model says
        notices += await heard(self.c.store, self.user, self.c.settings, self.zone, text)  # care, mood
        self._seen_tool_output = False  # after it, even memory writes ask first
        offer_tools = True
        ran: dict[str, tuple[str, bool, str]] = {}  # this turn's calls: id -> tool, ok, result
        rescue = False  # a last try for words: a step wrote only a call, nothing, or a promise
        retold = False  # the results shown once more as notes: the 0.5B refused them as tool results
        pushed = False  # one more step with tools after one that announced an action instead
        try:
            for step in range(self.c.settings.tool_max_steps + 2):
                offer = offered if offer_tools and step < self.c.settings.tool_max_steps else set()
                if recalled is None:  # recall once; later steps extend the same prompt
                    recalled = await self.prompt(recall_for=text)
                    messages = recalled
                    # Tool output already in the window (an email read a turn ago) counts too.
                    self._seen_tool_output = any(m.get("role") == "tool" for m in messages)
                else:
                    messages = await self.prompt()
                    if not (rescue and found(ran)):  # an answer from tools: no memories to quote instead
                        messages = with_recall(messages, recalled[-1])
                    # The system message as the turn began: a memory block written meanwhile would
                    # have the model read the whole history again; it shows from the next turn.
                    messages[0] = recalled[0]
                if rescue:
                    messages = words_only(messages, ran, as_notes=retold)
                elif pushed and not ran:
                    messages = [*messages, {"role": "system", "content": ACT_NOTE}]
                calls: list[ToolCall] = []
                said = ""  # this step's words, as shown
                last_flush = time.monotonic()
                echo = context.StampEcho()
                guard = CallTextGuard(set(self.tools))  # call text is never shown: run or refused
                held = Held({} if retold else ran, messages, ahead=bool(offer))  # hollow or copied words never shown
                # A step that must call: the first when the words name what to read ("email #2"), the one after a promise.
                must = offer & ((self.offering.required or (offer if pushed else set())) if not ran else set())
                stream = self.c.llm.stream_chat(messages, tools=self.schemas, allowed=must or offer, must_call=bool(must))
                # (every backend's stream_chat is an async generator)
                async with contextlib.aclosing(cast(AsyncGenerator[ChatChunk, None], stream)):  # a step cut short stops generating at once
                    async for chunk in stream:
                        if (chunk.text or chunk.tool_calls) and trace.first(EventType.FIRST_TOKEN) is None:
                            yield trace.emit(EventType.FIRST_TOKEN)
                        chunk.text = held.feed(guard.feed(echo.feed(chunk.text))) if chunk.text else ""
                        cut = guard.complete and not chunk.finish_reason
                        if cut:  # a call written as text is whole: stop generating it over again
                            chunk.finish_reason = "call-as-text"
                        if chunk.finish_reason:
                            chunk.text = held.end(chunk.text + guard.feed(echo.flush()) + guard.flush())
                            if guard.withheld and rescue and not reply.strip() and not chunk.text:
                                chunk.text = WITHHELD_CALL_REPLY
                        if chunk.text:
                            if reply_id is None:
                                reply_id = await self._open_reply()
                            if not said and reply and not reply[-1].isspace() and (rescue or pushed):
                                chunk.text = " " + chunk.text  # a second step goes on the same line
                            said += chunk.text
                            reply += chunk.text
                            yield trace.emit(EventType.TEXT, text=chunk.text)
                            if time.monotonic() - last_flush > FLUSH_EVERY_S:
                                await self.c.store.update_message(self.user, reply_id, reply, "streaming")
                                last_flush = time.monotonic()
                        calls.extend(chunk.tool_calls)
                        if chunk.finish_reason:
                            calls.extend(guard.calls)  # run if offered, else told it is not
                        if (stats := note_usage(trace, chunk)) is not None:
                            yield stats
                        if cut:
                            break
                wrote = said or held.dropped  # shown or not
                if not calls and not retold and non_answer(wrote, ran, messages) and (not rescue or found(ran)):
                    retold = rescue  # the last try's words were hollow: the other form
                    rescue, offer_tools = True, False  # one more step writes the answer, tool-less
                    continue
                if not calls and offer and not ran and not pushed and (promise_only(wrote) or disclaims_tools(wrote)):
                    pushed = True  # it announced the action instead of taking it: once more
                    continue
                if not offer:  # calls written as text on a tool-less step are never run
                    if guard.withheld and not rescue:
                        rescue = True  # small models copy a denied call: ask once more, plainly
                        continue
                    break
                fresh = [c for c in calls if call_key(c) not in done]
                if not fresh:
                    if not calls:
                        break
                    offer_tools = False  # it only repeated itself: ask for an answer instead
                    continue
                done.update(call_key(c) for c in fresh)
                self._questions = []
                async for event in self._run_tools(trace, fresh, notices):
                    yield event
                    if event.type == EventType.TOOL_RESULT:
                        d = event.data
                        ran[d["id"]] = (d["tool"], d["ok"], d["result"])
                    if event.type == EventType.CONFIRMATION and not event.data["approved"]:
                        offer_tools = False  # the user said no: answer, do not try again
                if self._questions and not any(ran[c.id][1] for c in fresh if c.id in ran):
                    # Every call needs an answer only the user has ("When should I remind
                    # you?"): ask it now. A small model given the question calls again with
                    # the same guess or asks for "more details", a long turn for nothing.
                    question = (" " if reply.strip() else "") + self._questions[0]
                    reply_id = reply_id or await self._open_reply()
                    reply += question
                    yield trace.emit(EventType.TEXT, text=question)
                    break
                if all(r[1] for r in ran.values()) and offered <= {r[0] for r in ran.values()}:
                    rescue, offer_tools = True, False  # nothing left to call: the answer, from what it found
            if extra := notice_text(notices, reply):
                reply_id = reply_id or await self._open_reply()
                reply += extra
                yield trace.emit(EventType.TEXT, text=extra, notice=True)
            status = "complete"
        except OS1Error as exc:
            status = "error"
            if extra := notice_text(notices, reply):
                reply_id = reply_id or await self._open_reply()
                reply += extra
                yield trace.emit(EventType.TEXT, text=extra, notice=True)
            yield trace.emit(EventType.ERROR, code=exc.code, message=str(exc))
        finally:
            reply += notice_text(notices, reply)  # interrupted: kept in history all the same
            self.offering.end(text, reply, {name for name, _, _ in ran.values()})
            await asyncio.shield(self._finish(trace, user_msg, reply_id, reply, status))
        yield trace.events[-1]

    async def _open_reply(self) -> int:
        reply_id = await self.c.store.add_message(
            self.user, self.session_id, "assistant", "", status="streaming"
        )
        self._stored.append(reply_id)
        return reply_id

    @property
    def retractable(self) -> bool:
        """Can retract() take the last turn back (no tool was called in it)?"""
        return bool(self._stored) and not self._acted

    async def retract(self) -> bool:
        """Take the last turn back as if it had never been: its messages, their memories (row,
        BM25 entry, vector) and its trace. Voice: the user went on speaking before any of the
        answer was heard, so the words it answered were not finished (os1/voice/responding.py).
        Call it once the turn has ended (closed). False, and nothing removed, when a tool was
        called in it: that may have acted on the world, so the turn stays, as interrupted."""
        if not self.retractable:
            return False
        ids = self._stored
        if self.c.memory is not None:  # memories and messages in one transaction
            await self.c.memory.forget_turns(self.user, ids, with_messages=True)
        else:
            await self.c.store.delete_messages(self.user, ids)
        self._stored = []  # only now: a failed retract leaves the turn whole, to be taken back again
        self.offering.undo()
        return True

    async def _finish(
        self, trace: Trace, user_msg: int, reply_id: int | None, reply: str, status: str
    ) -> None:
        if reply_id is None and reply:  # only a notice, after an interruption
            reply_id = await self._open_reply()
        if reply_id is not None:
            await self.c.store.update_message(self.user, reply_id, reply, status)
            if self.c.memory is not None and reply.strip():
                profile = await self.c.store.profile(self.user)
                speaker = profile.get("companion_name", "OS1")
                await self.c.memory.ingest(self.user, reply_id, speaker, reply)
        trace.emit(EventType.TURN_END, status=status, reply_chars=len(reply))
        await self.c.store.save_trace(self.user, reply_id or user_msg, trace.to_list())
        if self.c.memory is not None:
            self.c.memory.learn_soon(self.user)  # facts and reflection, after the reply

    async def _run_tools(
        self, trace: Trace, calls: list[ToolCall], notices: list[Notice]
    ) -> AsyncIterator[Event]:
        store = self.c.store
        self._acted = True
        self._stored.append(await store.add_message(
            self.user, self.session_id, "assistant", "",
            meta={"tool_calls": [c.to_message() for c in calls]},
        ))
        async def ask(request: ConfirmationRequest) -> bool:  # a tool's own question, traced
            approved = await self.confirm(request)
            trace.emit(EventType.CONFIRMATION, tool=request.tool, approved=approved)
            return approved

        ctx = ToolContext(self.user, self.session_id, store, self.c.settings, self.c.llm, ask, notices)
        for call in calls:
            yield trace.emit(EventType.TOOL_CALL, tool=call.name, arguments=call.arguments, id=call.id)
            tool = self.tools.get(call.name)
            must_ask = tool is not None and (tool.confirm or (tool.writes and self._seen_tool_output))
            running = Running(trace, ctx, call, run_call(tool, call, call.name in self.offering.current, must_ask,
                                                         self.confirm, trace, ctx, self._questions))
            async for event in running.events():  # the decision if one was asked; its steps as it runs
                yield event
            result, ok, ran_with = running.result()
            self._seen_tool_output = True
            yield trace.emit(
                EventType.TOOL_RESULT, tool=call.name, ok=ok, result=result[:500], id=call.id
            )
            self._stored.append(await store.add_message(
                self.user, self.session_id, "tool", result,
                meta={"tool_call_id": call.id, "name": call.name, "arguments": ran_with},
            ))
