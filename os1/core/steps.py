"""The pieces of a turn that need no session: the check of the user's words, what a later step
shows the model, the prompt for a last try at words, the notices that end a reply, and the
generation's figures for the trace."""

from __future__ import annotations

import json

from os1.core.tools import Notice
from os1.errors import InputError
from os1.events import Event, EventType, Trace
from os1.models.base import ChatChunk, Message, ToolCall


def with_recall(messages: list[Message], recalled_user: Message) -> list[Message]:
    """Later steps of a turn show the same recalled memories as its first step did."""
    for i in range(len(messages) - 1, -1, -1):
        m = messages[i]
        if m["role"] == "user":
            if recalled_user["content"].endswith(m["content"]):
                messages[i] = recalled_user
            break
    return messages


def words_only(messages: list[Message], ran: dict[str, tuple[str, bool, str]]) -> list[Message]:
    """The prompt for a last try at words. A small model shown its own calls writes them out
    again, so this turn's calls (`ran`: call id -> tool, ok, result) are taken out: what the
    ones that worked returned is kept as the reply's own notes (their output is data, as it
    was in the tool messages; it is never put in a system or user message), and the ones
    that did nothing are named in a closing note."""
    out: list[Message] = []
    for m in messages:
        if m["role"] == "tool" and m.get("tool_call_id") in ran:
            continue
        if m["role"] == "assistant" and m.get("tool_calls"):
            kept = [c for c in m["tool_calls"] if c.get("id") not in ran]
            if not kept and not m.get("content"):
                continue
            m = {**m, "tool_calls": kept} if kept else {"role": "assistant", "content": m["content"]}
        out.append(m)
    found = [f"{name} returned:\n{result}" for name, ok, result in ran.values() if ok]
    if found:
        out.append({"role": "assistant", "content": "\n\n".join(found)})
    tried = ", ".join(sorted({name for name, ok, _ in ran.values() if not ok}))
    note = f"Tried on this request and nothing was done: {tried}. " if tried else ""
    out.append({"role": "system", "content": note + (
        "No tool can be used now. Reply to the user's last message in plain words, "
        "without writing any tool call.")})
    return out


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
