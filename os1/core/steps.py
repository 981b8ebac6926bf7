"""The pieces of a turn that need no session: the check of the user's words, what a later step
shows the model, the prompt for a last try at words, the notices that end a reply, and the
generation's figures for the trace."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Coroutine
from typing import Any

from os1.core.context import FOUND
from os1.core.tools import ConfirmationRequest, Confirmer, Notice, Tool, ToolContext
from os1.errors import InputError, OS1Error, ToolError
from os1.events import Event, EventType, Trace
from os1.models.base import ChatChunk, Message, ToolCall

_YES = r"sure|okay|ok|alright|of course|certainly|absolutely|yes|great|no problem"  # words of assent

# A reply that only announces what it is about to do ("I will summarize email #2 for you."):
# said after a tool returned, the answer is missing; said before, the call is.
_PROMISE_ONLY = re.compile(
    rf"^\W*(?:(?:{_YES}|I see)\b\W*)*"
    # a sentence that only says it sees ("I see the new emails. I'll check them later."), or a
    # clause first ("To find out what's on tomorrow, I'll check…")
    r"(?:I (?:see|have|got|found) (?:the|your|them|it|some|\d+)[^.!?\n,]{0,40}[.!]\s*|[^.!?\n,]{1,80},\s*)?"
    r"(?:I will|I'll|I am going to|I'm going to|let me|I shall|I can)\s+(?:now\s+|just\s+|quickly\s+|first\s+)?"
    r"(?:summari[sz]e|check|read|look|find|search|fetch|get|list|go through|pull up|open|move|"
    r"reschedule|send|reply|draft|write|set|remind|add|put|schedule|cancel|do|take care|see|try)"
    r"\b[^.!?:\n]*[.!?…:]*\W*$", re.I)

# Or only says yes ("Yes!", "Sure."): after a tool returned, the 0.5B answered "Summarize email
# #1" with "Yes!" alone.
_ACK_ONLY = re.compile(rf"^\W*(?:(?:{_YES}|got it)\b\W*)+$", re.I)

# Or refuses in one sentence ("I'm sorry, I can't summarize that email."): right after the mail
# it was asked to summarize came back, the 1.5B said this with its tools still offered; asked
# again without them (ANSWER_NOTE), it wrote the summary.
_REFUSAL = re.compile(r"^\W*(?:(?:I'?m|I am) sorry|sorry|unfortunately)\b[^.!?]{0,20}?\bI (?:can(?:no|')t|cannot|"
                      r"can not|am unable to|'m unable to|am not able to|'m not able to)\b[^.!?:;\d]{0,40}[.!?]*\s*$", re.I)

# Or says it has no tools while tools were offered ("I'm sorry, I don't have any tools to help
# you with that.": the 1.5B, asked "What's on tomorrow?" with the calendar offered).
_NO_TOOLS = re.compile(r"\bI (?:do not|don't) have (?:any |the )?(?:tools?|access|abilit(?:y|ies)|functions?)\b", re.I)

ACT_NOTE = ("You said what you would do but did not do it. Do it now: call the function that "
            "does it, without announcing it.")
ANSWER_NOTE = (
    "No tool can be used now. Answer the user's last message now, in plain words, from what "
    "the tools returned above: give the answer itself, not what you will do. For an email: who "
    "wrote it and what it says or asks, with its dates, times and places. For a calendar: the "
    "events with their days and times. For an action: what was done, or that it was not.")


def with_recall(messages: list[Message], recalled_user: Message) -> list[Message]:
    """Later steps of a turn show the same recalled memories as its first step did."""
    for i in range(len(messages) - 1, -1, -1):
        m = messages[i]
        if m["role"] == "user":
            if recalled_user["content"].endswith(m["content"]):
                messages[i] = recalled_user
            break
    return messages


def words_only(messages: list[Message], ran: dict[str, tuple[str, bool, str]], *,
               as_notes: bool = False) -> list[Message]:
    """The prompt for a last try at words (`ran`: call id -> tool, ok, result): the system
    text, the request, what the calls that worked returned, and a closing note naming the
    calls that did nothing. Shown the whole history too, the 1.5B ended at once (an empty
    reply) or copied an earlier message.

    What was found is shown as tool results (the chat template's own form), or, `as_notes`,
    as the reply's own notes with the calls taken out. Shown its notes, the 1.5B copied them
    whole ("I found:\n6 new message(s):\n<<<MAIL list…"), and said tool results in words;
    the 0.5B refused tool results ("I'm sorry, I can't help with that.") and summarized its
    notes (docs/tasks.md). Either way the output is data: never in a system or user message."""
    out: list[Message] = []
    for m in messages:
        if m["role"] == "tool" and m.get("tool_call_id") in ran and (as_notes or not ran[m["tool_call_id"]][1]):
            continue
        if m["role"] == "assistant" and m.get("tool_calls"):
            kept = [c for c in m["tool_calls"] if c.get("id") not in ran or not as_notes and ran[c["id"]][1]]
            if not kept and not m.get("content"):
                continue
            m = {**m, "tool_calls": kept} if kept else {"role": "assistant", "content": m["content"]}
        out.append(m)
    notes = [f"{FOUND}\n{result}" for _, ok, result in ran.values() if ok]
    if notes:
        asked = max((i for i, m in enumerate(out) if m["role"] == "user"), default=0)
        out = out[:1] + out[asked:] if asked > 1 and out[0]["role"] == "system" else out
        if as_notes:  # not labelled with the tool's name: the models wrote the label as the answer
            out.append({"role": "assistant", "content": "\n\n".join(notes)})
    tried = ", ".join(sorted({name for name, ok, _ in ran.values() if not ok}))
    note = f"Tried on this request and nothing was done: {tried}. " if tried else ""
    out.append({"role": "system", "content": note + (ANSWER_NOTE if notes else (
        "No tool can be used now. Reply to the user's last message in plain words, "
        "without writing any tool call."))})
    return out


def found(ran: dict[str, tuple[str, bool, str]]) -> bool:
    """Whether one of this turn's calls (`ran`: call id -> tool, ok, result) worked."""
    return any(ok for _, ok, _ in ran.values())


def copied(text: str, messages: list[Message]) -> bool:
    """Words that repeat an earlier message of the prompt, or the opening of a tool's result,
    instead of answering: after a tool returned, the 1.5B wrote its own earlier reply again and
    the 0.5B the result's first line."""
    said = " ".join(text.split()).lower()
    if len(said) < 12:
        return False
    for m in messages:
        content = " ".join(str(m.get("content") or "").split()).lower()
        if m["role"] == "tool" and said[:60] in content:
            return True
        if m["role"] in ("user", "assistant") and content.endswith(said):
            return True
    return False


def promise_only(text: str) -> bool:
    """Whether a step's words only promise an action (and so deliver nothing yet)."""
    return bool(_PROMISE_ONLY.match(text.strip()))


def disclaims_tools(text: str) -> bool:
    """Whether a step's words say it has no tool or access for the request (said while tools
    were offered, the call is missing)."""
    return bool(_NO_TOOLS.search(text)) and len(text) < 200


def refuses(text: str) -> bool:
    """Whether a step's words are only a refusal ("I'm sorry, I can't help with that.")."""
    return bool(_REFUSAL.match(text.strip()))


def says_only_yes(text: str) -> bool:
    """Whether a step's words only say yes: no answer after a tool returned (before one, "Yes!"
    may well answer "Can you hear me?")."""
    return bool(_ACK_ONLY.match(text.strip()))


def hollow(said: str, ran: dict[str, tuple[str, bool, str]]) -> bool:
    """After this turn's tools ran (`ran`: call id -> tool, ok, result): words that deliver
    nothing (a promise, a bare yes, or a refusal or "I don't have any tools" though a tool
    returned what was asked)."""
    return bool(ran) and (promise_only(said) or says_only_yes(said) or (
        (refuses(said) or disclaims_tools(said)) and found(ran)))


def non_answer(said: str, ran: dict[str, tuple[str, bool, str]], messages: list[Message]) -> bool:
    """Whether a step without calls needs one more, tool-less step for the answer: it said
    nothing, or, after tools ran, nothing that answers (hollow words, a copy)."""
    return not said.strip() or hollow(said, ran) or (bool(ran) and copied(said, messages))


HOLD_CHARS = 80  # longer than the hollow replies seen ("I'm sorry, I can't summarize that email.")


class Held:
    """The first words of a step after tools ran, held back until they are longer than a
    hollow reply: hollow words are then never shown (or spoken) before the answer that
    follows them. Voice speaks by the sentence, so holding one short sentence costs nothing.
    Words that copy a tool's result are held to the end and never shown: the 1.5B answered
    "Anything new in my mail?" with the notice that ends a mail result, and the answer step
    that follows says it in words.

    `ahead` (tools offered, none run yet): the first sentence is held, and never shown when it
    only promises the call or says there are no tools (`dropped` keeps it, for the step that
    must call next). Shown and kept in the history, "I'm sorry, I don't have any tools to help
    you with that." was what the 1.5B went on to say in every later conversation."""

    def __init__(self, ran: dict[str, tuple[str, bool, str]], shown: list[Message] | None = None,
                 *, ahead: bool = False) -> None:
        """`shown`: the step's prompt, whose earlier tool results count too."""
        self.ran, self.ahead, self.holding, self.text = ran, ahead and not ran, bool(ran) or ahead, ""
        self.dropped = ""
        earlier = [str(m.get("content") or "") for m in shown or [] if m["role"] == "tool"]
        self.results = [_flat(result) for result in [*(r for _, _, r in ran.values()), *earlier]]

    def feed(self, text: str) -> str:
        if not self.holding:
            return text
        self.text += text
        if self.ahead:
            if not _SENTENCE_END.search(self.text) and len(self.text) <= HOLD_CHARS or self._empty():
                return ""
        elif len(self.text) <= HOLD_CHARS or self.copying():
            return ""
        self.holding = False
        return self.text

    def copying(self) -> bool:
        opening = _flat(self.text)[:HOLD_CHARS - 20]
        return len(opening) >= 12 and any(opening in result for result in self.results)

    def _empty(self) -> bool:
        return promise_only(self.text) or disclaims_tools(self.text)

    def end(self, text: str) -> str:
        """The step ended with `text` more: what is shown of the held words (none if hollow)."""
        if not self.holding:
            return text
        self.holding, held = False, self.text + text
        self.text = held
        if self._empty() if self.ahead else hollow(held, self.ran) or self.copying():
            self.dropped = held
            return ""
        return held


_SENTENCE_END = re.compile(r"[.!?…](?:\s|$)|\n")


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


async def run_call(
    tool: Tool | None, call: ToolCall, offered: bool, must_ask: bool, confirm: Confirmer,
    trace: Trace, ctx: ToolContext, questions: list[str],
) -> tuple[str, bool, dict[str, Any]]:
    """Run one call (asking first when `must_ask`): its result for the model, whether it
    worked, and the arguments it ran with (settled: see Tool.settle). A ToolError whose fix is
    a question for the user goes to `questions`."""
    arguments = call.arguments
    if tool is None:
        return f"Error: there is no tool named '{call.name}'.", False, arguments
    if not offered:  # kept for turns with its own words
        return (f"Error: {call.name} is not available for this request, so nothing was done."
                " Answer in words."), False, arguments
    try:
        tool.validate(arguments)
        arguments = await tool.settle(ctx, tool.cleaned(arguments))
        if must_ask:
            request = ConfirmationRequest(tool.name, arguments, await tool.describe(ctx, arguments))
            approved = await confirm(request)
            trace.emit(EventType.CONFIRMATION, tool=tool.name, approved=approved)
            if not approved:
                return "The user did not confirm this action, so nothing was done.", False, arguments
        return await tool.run(ctx, arguments), True, arguments
    except ToolError as exc:
        if exc.fix.rstrip().endswith("?") or exc.message.rstrip().endswith("?"):  # for the user: which day? am or pm?
            questions.append(str(exc))
        return f"Error: {exc}", False, arguments
    except OS1Error:
        raise
    except Exception as exc:  # a tool's own bug must not kill the conversation
        return f"Error: the tool failed ({type(exc).__name__}: {exc}).", False, arguments


def covers(draft: str, text: str) -> bool:
    """Whether memories recalled for `draft` (an earlier partial transcript of a voice turn)
    may stand for `text`: same opening words, and most of its words. Reusing them keeps the
    recalled memories' tokens (a few hundred) in the model's cache across the prefills and
    the turn, instead of reading them again whenever a longer transcript recalls other
    memories."""
    draft_words, words = draft.lower().split(), text.lower().split()
    return bool(draft_words) and draft_words[:3] == words[:3] and len(draft_words) >= 0.6 * len(words)


def call_key(call: ToolCall) -> str:
    return call.name + json.dumps(call.arguments, sort_keys=True, default=str)


def notice_text(notices: list[Notice], reply: str) -> str:
    """The words that end a reply with what tools said the user must hear and the reply does
    not already say; each notice is delivered once. Ends with a newline so that a voice
    interface, which speaks whole sentences, speaks it too."""
    due = [n.text for n in notices if n.needed(reply)]
    notices.clear()
    if not due:
        return ""
    return ("\n\n" if reply.strip() else "") + "\n".join(due) + "\n"


def checked_input(text: str, limit: int) -> str:
    """The user's words, stripped; refused when empty, too long or binary."""
    if not text or not text.strip():
        raise InputError("There is nothing to send: the message is empty.")
    if len(text) > limit:
        raise InputError(
            f"That message has {len(text):,} characters; the limit is {limit:,}.",
            fix="Send a shorter part, or raise max_input_chars in the config.",
        )
    if "\x00" in text:
        raise InputError("The message contains NUL bytes; is it binary data?")
    return text.strip()


def note_usage(trace: Trace, chunk: ChatChunk) -> Event | None:
        if chunk.finish_reason is None:
            return None
        timings = chunk.usage.get("timings", {}) if chunk.usage else {}
        return trace.emit(
            EventType.GENERATION,
            finish=chunk.finish_reason,
            prompt_tokens=timings.get("prompt_n"),
            cached_tokens=timings.get("cache_n"),
            generated_tokens=timings.get("predicted_n"),
            tokens_per_s=timings.get("predicted_per_second"),
        )




class Running:
    """One call running, with its events as they happen: the steps a long tool reports
    (ToolContext.report → TOOL_PROGRESS) while it still works, so the interfaces show a sign of
    life (the terminal and the web chat as steps of the tool, the voice says the first), and
    the confirmation decision, if one was asked."""

    def __init__(self, trace: Trace, ctx: ToolContext, call: ToolCall,
                 work: Coroutine[Any, Any, tuple[str, bool, dict[str, Any]]]) -> None:
        self.trace, self.call, self.seen = trace, call, len(trace.events)
        self.loop = asyncio.get_running_loop()
        self.news = asyncio.Event()
        ctx.progress = self.report
        self.task = asyncio.ensure_future(work)

    def report(self, step: str) -> None:
        """One step, from the tool's own thread or the loop's."""
        if step.strip():
            self.loop.call_soon_threadsafe(self._emit, step.strip()[:200])

    def _emit(self, step: str) -> None:
        self.trace.emit(EventType.TOOL_PROGRESS, tool=self.call.name, id=self.call.id, step=step)
        self.news.set()

    async def events(self) -> AsyncIterator[Event]:
        """The call's events until it is done. Stopped early (the turn cancelled or closed),
        the call is cancelled with it."""
        try:
            while True:
                done = self.task.done()  # a step reported before the end is emitted before it
                while self.seen < len(self.trace.events):
                    self.seen += 1
                    yield self.trace.events[self.seen - 1]
                if done:
                    return
                self.news.clear()
                news = asyncio.ensure_future(self.news.wait())
                await asyncio.wait([news, self.task], return_when=asyncio.FIRST_COMPLETED)
                news.cancel()
        finally:
            if not self.task.done():
                self.task.cancel()
                await asyncio.wait([self.task])

    def result(self) -> tuple[str, bool, dict[str, Any]]:
        """What run_call returned (or raised), once events() is over."""
        return self.task.result()
