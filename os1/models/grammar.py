"""How the embedded model is asked for a reply: its tools described late in the prompt (after
the history, so the cached prefix survives a change of tools), and the grammar a reply must
follow (words without a help-desk phrase, or one call to a tool it may call)."""

from __future__ import annotations

import json
import re
from typing import Any

from os1.models.base import HELPDESK_PHRASES, Message

# A reply is words, or one call in the <tool_call> form the tool block describes, to a tool it
# may call. Words may not open with a bracket, a tag, a code fence or a space (a call written
# out, an echoed stamp): the 0.5B spoke '({"name": "add_event", ...' and, once that was in the
# history, wrote it for every turn. Forbidding `{"` anywhere was tried too and dropped
# (docs/decisions/0002-tools-late-in-the-prompt.md).
# "[" stays allowed: the 0.5B often opens by echoing the message's time stamp (StampEcho drops
# it). With "[" forbidden too, it once answered "What is my sister's name?" with "Alice" in CI
# (whether that was the cause is not known; the test passed when rerun).
# Nor may words contain a help-desk phrase (HELPDESK_PHRASES):
# llguidance's `&` and `~` on the lexeme. Told not to in the prompt, the 1.5B still opened with
# "As an AI language model" and closed with "Let me know if you have any other questions"
# (bench/presence, docs/presence.md).


def _phrase(text: str) -> str:
    head, rest = text[0], re.escape(text[1:]).replace("/", "\\/")
    return f"[{head.lower()}{head}]{rest}" if head.isupper() and head != "I" else re.escape(head) + rest


_BANNED = "|".join(_phrase(p) for p in HELPDESK_PHRASES)
_WORDS = f'words: WORDS | ""\nWORDS: /(?s:[^<>{{}}\\]()`\\s].*)/ & ~/(?s:.*(?:{_BANNED}).*)/'

# Qwen2.5's own words for its tools (its chat template puts them in the system message), and
# one line more: this late in the prompt the 1.5B otherwise often explained the call it would
# make ("To schedule the meeting, you can use add_event...": 8 of 14 hard requests right,
# 13 of 14 with the line; with the block after the user's message, 0 of 14).
_TOOL_BLOCK = (
    "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
    "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n{tools}\n"
    "</tools>\n\nFor each function call, return a json object with function name and arguments "
    "within <tool_call></tool_call> XML tags:\n<tool_call>\n"
    '{{"name": <function-name>, "arguments": <args-json-object>}}\n</tool_call>\n\n'
    "When the user's message asks for something one of these functions does, reply with the "
    "call alone, without describing it."
)


# What only bounds a value (lengths, limits, no other keys) is enforced by the grammar, which
# gets the whole schema (reply_grammar). The prompt describes each tool without it and without
# empty defaults: 10-23 % fewer tokens for the tools a voice turn offers (set_reminder 289 ->
# 260, add_event with calendar_agenda 514 -> 420, save_note 243 -> 187), all read before the
# turn's first word (the 1.5B reads ~48 tokens/s here). Tool-call accuracy did not change
# beyond one request in 59 (bench/tool_calls.py). Without the spaces after separators too it
# was 6-14 % fewer still, but that is not the JSON Qwen's template shows; not taken.
_BOUNDS = frozenset({"additionalProperties", "minLength", "maxLength", "minimum", "maximum",
                     "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems"})


def shown_tool(schema: Any) -> Any:
    """A tool as the model reads it: what each argument means, not its bounds."""
    if isinstance(schema, list):
        return [shown_tool(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    shown: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _BOUNDS or (key == "default" and value in ("", None)):
            continue
        if key == "properties" and isinstance(value, dict):  # argument names, not keywords
            shown[key] = {name: shown_tool(arg) for name, arg in value.items()}
        else:
            shown[key] = shown_tool(value)
    return shown


def with_tools_late(messages: list[Message], tools: list[dict[str, Any]]) -> list[Message]:
    """The prompt with the tools described right before the turn's user message, not in the
    system message. llama.cpp's chat template writes them ahead of the history, and OS1
    offers tools by the turn's words (Tool.when): a set that changed from one turn to the
    next made the model read the whole conversation again (12-16 s on the 0.5B,
    bench/voice/prompt_cache.py). Here the system message and the history stay as cached,
    and only the block is read (nothing at all on turns that offer no tool)."""
    if not tools:
        return messages
    described = "\n".join(json.dumps(shown_tool(t)) for t in tools)
    block = {"role": "system", "content": _TOOL_BLOCK.format(tools=described)}
    for i in range(len(messages) - 1, -1, -1):
        if messages[i]["role"] == "user":
            return [*messages[:i], block, *messages[i:]]
    return [*messages, block]


def reply_grammar(tools: list[dict[str, Any]], call_tokens: tuple[int, int], *, must_call: bool = False) -> str:
    """The llguidance grammar for a reply that is words or one call to one of `tools` (only
    the call, with `must_call`). With the tools outside the template, llama.cpp applies no tool
    grammar of its own. Beware: llama.cpp ignores a grammar that does not compile, without a
    word (tests/test_embedded_model.py checks that this one holds)."""
    if not tools:
        return f"%llguidance {{}}\nstart: words\n{_WORDS}\n"
    calls = [
        {"type": "object", "properties": {"name": {"const": t["function"]["name"]},
                                          "arguments": t["function"].get("parameters") or {}},
         "required": ["name", "arguments"]}
        for t in tools
    ]
    # The tags by token id (llguidance knows no name for them); the small models often leave
    # them out and write the bare JSON, which llama.cpp's own tool grammar takes too.
    # One newline at most around the call, as Qwen writes it: with any amount allowed, the 0.5B
    # wrote newlines after its call up to the 512-token limit.
    call = f"(<[{call_tokens[0]}]> /\\n?/)? call (/\\n?/ <[{call_tokens[1]}]>)?"
    start = f"start: {call}\n" if must_call else f"start: words | {call}\n{_WORDS}\n"
    # Compact JSON, for the same reason.
    schema = {"x-guidance": {"whitespace_flexible": False}, "anyOf": calls}
    return f"%llguidance {{}}\n{start}call: %json {json.dumps(schema)}\n"
