"""Turn OpenAI-format stream chunks into ChatChunks; shared by every OpenAI-speaking backend.

Small local models often write a tool call as plain JSON in the reply text instead of the
server's structured `tool_calls`. When tools are offered, a reply that opens like JSON is held
back and parsed as a tool call; anything else streams through at once.
"""

from __future__ import annotations

import html
import json
import re
import uuid
from typing import Any
from urllib.parse import parse_qsl

from os1.errors import ModelProtocolError
from os1.models.base import ChatChunk, ToolCall

_XML_CALL = re.compile(r"<([A-Za-z_][\w.-]*)((?:\s+[\w-]+\s*=\s*\"[^\"]*\")*)\s*/?>")
_XML_ATTR = re.compile(r"([\w-]+)\s*=\s*\"([^\"]*)\"")


def _coerce_args(raw: Any) -> dict[str, Any] | None:
    if raw is None:
        return {}
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str):
        raw = raw.strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, dict) else None
    return None


def _call_from_obj(obj: Any, tool_names: set[str]) -> ToolCall | None:
    if not isinstance(obj, dict):
        return None
    if isinstance(obj.get("function"), dict):  # {"type": "function", "function": {...}}
        obj = obj["function"]
    name = obj.get("name") or obj.get("tool") or obj.get("function")
    if not isinstance(name, str) or name not in tool_names:
        return None
    for key in ("arguments", "parameters", "args", "input"):
        if key in obj:
            args = _coerce_args(obj[key])
            break
    else:
        args = {k: v for k, v in obj.items() if k not in ("name", "tool", "function", "type")}
    if args is None:
        return None
    return ToolCall(id=f"call_{uuid.uuid4().hex[:12]}", name=name, arguments=args)


def _json_values(text: str) -> list[tuple[int, Any]]:
    """Every top-level JSON object or array in the text, with where it starts."""
    decoder = json.JSONDecoder()
    values, i = [], 0
    while i < len(text):
        start = min((j for j in (text.find("{", i), text.find("[", i)) if j >= 0), default=-1)
        if start < 0:
            break
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            i = start + 1
            continue
        values.append((start, value))
        i = end
    return values


def _plain(value: str) -> Any:
    value = value.strip().strip("\"'")
    return int(value) if value.isdigit() else value


def _written_calls(text: str, tool_names: set[str]) -> list[tuple[int, ToolCall]]:
    """Calls a small model writes like a web address or a function in code, to a tool that
    exists: `mail_read?message=1`, `mail_search?query=from:amy` (up to the line's end),
    `mail_read(message=1)`, `mail_read({"message": 1})`."""
    if not tool_names:
        return []
    names = "|".join(re.escape(n) for n in sorted(tool_names, key=len, reverse=True))
    found: list[tuple[int, ToolCall]] = []
    for m in re.finditer(rf"(?<![\w-])({names})\?([^\n]*)", text):
        query = {k: _plain(v) for k, v in parse_qsl(m.group(2).strip().rstrip(".,;`"), keep_blank_values=True)}
        if call := _call_from_obj({"name": m.group(1), "arguments": query}, tool_names):
            found.append((m.start(), call))
    for m in re.finditer(rf"(?<![\w-])({names})\(([^()]*)\)", text):
        inner = m.group(2).strip()
        args = _coerce_args(inner) if inner.startswith("{") else {
            k: _plain(v) for k, v in re.findall(r"(\w+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^,]+)", inner)}
        if args is not None and (call := _call_from_obj({"name": m.group(1), "arguments": args}, tool_names)):
            found.append((m.start(), call))
    return found


def parse_tool_calls(text: str, tool_names: set[str]) -> list[ToolCall]:
    """Find tool calls written as text, in the order written: JSON (bare, fenced, or inside
    <tool_call>/<tools> tags), XML-style tags such as <save_note title="…" text="…"/>, and the
    address and code forms of _written_calls."""
    found: list[tuple[int, ToolCall]] = _written_calls(text, tool_names)
    for pos, value in _json_values(text):
        for item in value if isinstance(value, list) else [value]:
            if call := _call_from_obj(item, tool_names):
                found.append((pos, call))
    for match in _XML_CALL.finditer(text):
        if match.group(1) in tool_names:
            args = {k: html.unescape(v) for k, v in _XML_ATTR.findall(match.group(2))}
            found.append((match.start(), _call_from_obj({"name": match.group(1), "arguments": args}, tool_names)))  # type: ignore[arg-type]
    calls: list[ToolCall] = []
    for _, call in sorted(found, key=lambda pair: pair[0]):
        if all((c.name, c.arguments) != (call.name, call.arguments) for c in calls):
            calls.append(call)
    return calls


_CALL_OPENINGS = ("{", "[{", "<tool_call>", "<tools>", "```json", "```tool_call", "```\n{")


def _call_opening(text: str, tool_names: set[str]) -> bool | None:
    """True if the reply opens like a tool call, False if it cannot, None if too soon to tell.
    Punctuation before it does not make it words: the embedded model's grammar lets a reply
    open with anything but a bracket, and the 0.5B wrote `,{"name": "calendar_agenda", …`."""
    text = text.lstrip(" ,.;:-\n")
    if not text:
        return None
    squeezed = text.replace(" ", "") if text.startswith("[") else text
    openings = _CALL_OPENINGS + tuple(
        form.format(name) for name in tool_names for form in ("<{}", "{}?", "{}("))
    for opening in openings:
        if squeezed.startswith(opening):
            return True
    if any(opening.startswith(squeezed) for opening in openings):
        return None
    return False


# `{"name": "get_time", "arguments": …`: the shape of a call, naming a tool nobody offered.
_INVENTED_CALL = re.compile(
    r'\s*(?:<tool_call>\s*|```(?:json)?\s*)?\{\s*"name"\s*:\s*"([a-z_][a-z0-9_]*)"\s*,\s*"(?:arguments|parameters)"'
)


def _garbled_call(text: str, tool_names: set[str]) -> list[ToolCall]:
    """A reply that opens like a tool call and names a tool, but is not readable JSON (the 0.5B
    writes `{"name": "core_memory_append", "arguments: {block: ...`), or has the shape of a call
    to a tool that does not exist. It is a failed call, not words to show or speak: once such
    text is in the history the model copies it every turn."""
    head = text[:300]
    for name in sorted(tool_names, key=len, reverse=True):
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", head):
            return [ToolCall(id=f"call_{uuid.uuid4().hex[:12]}", name=name,
                             arguments={"_unparsed": text[:2000]})]
    if invented := _INVENTED_CALL.match(head):  # a call to a tool that does not exist
        return [ToolCall(id=f"call_{uuid.uuid4().hex[:12]}", name=invented.group(1),
                         arguments={"_unparsed": text[:2000]})]
    return []


class StreamAssembler:
    """Feed raw chunk dicts in order; get ChatChunks out."""

    def __init__(self, tool_names: set[str] | None = None) -> None:
        self.tool_names = tool_names or set()
        self._mode = "undecided" if self.tool_names else "text"
        self._held = ""
        self._native: dict[int, dict[str, Any]] = {}
        self.text = ""

    def feed(self, raw: Any) -> list[ChatChunk]:
        if not isinstance(raw, dict) or not isinstance(raw.get("choices"), list):
            raise ModelProtocolError(
                f"The model server sent something that is not a chat chunk: {str(raw)[:200]!r}.",
                fix="Check that the base URL points at an OpenAI-compatible /v1 endpoint.",
            )
        out: list[ChatChunk] = []
        usage = raw.get("usage") or {}
        if raw.get("timings"):
            usage = {**usage, "timings": raw["timings"]}
        for choice in raw["choices"]:
            delta = choice.get("delta") or choice.get("message") or {}
            if not isinstance(delta, dict):
                raise ModelProtocolError(f"Malformed delta from the model server: {delta!r:.200}.")
            content = delta.get("content")
            if isinstance(content, str) and content:
                out.extend(self._on_text(content))
            for tc in delta.get("tool_calls") or []:
                slot = self._native.setdefault(tc.get("index", len(self._native)), {"args": ""})
                fn = tc.get("function") or {}
                slot["id"] = tc.get("id") or slot.get("id")
                slot["name"] = fn.get("name") or slot.get("name")
                args = fn.get("arguments")
                if isinstance(args, dict):
                    slot["args"] = json.dumps(args)
                elif isinstance(args, str):
                    slot["args"] += args
            if choice.get("finish_reason"):
                out.extend(self._finish(choice["finish_reason"], usage))
        if usage and not out:
            out.append(ChatChunk(usage=usage))
        return out

    def _on_text(self, content: str) -> list[ChatChunk]:
        if self._mode == "text":
            self.text += content
            return [ChatChunk(text=content)]
        self._held += content
        if self._mode == "undecided":
            stripped = self._held.lstrip()
            if not stripped:
                return []
            opening = _call_opening(stripped, self.tool_names)
            if opening is None:
                return []
            if opening:
                self._mode = "held"
                return []
            self._mode = "text"
            text, self._held = self._held, ""
            self.text += text
            return [ChatChunk(text=text)]
        return []

    def _finish(self, reason: str, usage: dict[str, Any]) -> list[ChatChunk]:
        calls = [
            ToolCall(
                id=s.get("id") or f"call_{uuid.uuid4().hex[:12]}",
                name=s.get("name") or "",
                arguments=_coerce_args(s["args"]) or {"_unparsed": s["args"]},
            )
            for _, s in sorted(self._native.items())
        ]
        self._native = {}  # delivered: the end of the stream (close) must not deliver them again
        out: list[ChatChunk] = []
        if not calls and self._held and self._mode == "undecided":  # ended while still unsure
            self._mode = "text"
            self.text += self._held
            out.append(ChatChunk(text=self._held))
            self._held = ""
        if not calls and self._held:
            calls = parse_tool_calls(self._held, self.tool_names) or _garbled_call(
                self._held, self.tool_names
            )
            if not calls:  # it only looked like JSON: it is the reply after all
                self.text += self._held
                out.append(ChatChunk(text=self._held))
        self._held = ""
        if calls:
            reason = "tool_calls"
        out.append(ChatChunk(tool_calls=calls, finish_reason=reason, usage=usage))
        return out

    def close(self) -> list[ChatChunk]:
        """End of stream without a finish_reason (a server that just stops)."""
        if self._held or self._native:
            return self._finish("stop", {})
        return []


class CallTextGuard:
    """Call text never reaches the user. A small model writes calls as text: at the opening of
    a reply (the 1.5B answered "What time is it?" with `<core_memory_append>`), and in the
    middle of one (`Sure! mail_read?message=1`, shown 15 times in 16 turns before this guard
    looked there). The reply's opening is held until it is clearly words, and so is a word that
    may be the start of a call (a tool's name, `<tool_call>`, `{"name"`); from a call on, the
    rest of the step is withheld (`calls` says which, to run or to refuse). Text streams on
    at once otherwise."""

    def __init__(self, tool_names: set[str]) -> None:
        self.tool_names = tool_names
        self._mode = "undecided" if tool_names else "text"
        self._held = ""
        self._tail = ""  # the end of the text, held while it may grow into a call
        self._shown = False  # some words were let through
        self.calls: list[ToolCall] = []
        names = "|".join(re.escape(n) for n in sorted(tool_names, key=len, reverse=True))
        self._call = re.compile(
            r"<tool_call>|<tools>|\{\s*\"(?:name|function)\"\s*:" + (rf"|(?<![\w-])(?:{names})\s*[?(]" if names else ""))
        self._starts = (*tool_names, "<tool_call>", "<tools>", '{"name"', '{"function"')

    @property
    def withheld(self) -> bool:
        return bool(self.calls)

    @property
    def complete(self) -> bool:
        """A whole call is held: generating more only writes it again (the 0.5B repeats it
        until the token limit, ~5 s here), so the step may stop now."""
        return (self._mode == "held" and self._held.rstrip().endswith(("}", ">", "]", ")"))
                and bool(parse_tool_calls(self._held, self.tool_names)))

    def feed(self, text: str) -> str:
        """The text that may be shown now."""
        if self._mode == "text":
            return self._scan(text)
        self._held += text
        if self._mode == "undecided":
            stripped = self._held.lstrip()
            opening = _call_opening(stripped, self.tool_names) if stripped else None
            if opening is False:
                self._mode = "text"
                text, self._held = self._held, ""
                return self._scan(text)
            if opening:
                self._mode = "held"
        return ""

    def _scan(self, text: str) -> str:
        """Words so far, up to a call or to a last word that may still become one."""
        if not self.tool_names:
            return text
        buf, self._tail = self._tail + text, ""
        self._shown = self._shown or bool(buf.strip())
        if found := self._call.search(buf):
            self._mode, self._held = "held", buf[found.start():]
            return buf[:found.start()]
        word = max(buf.rfind(" "), buf.rfind("\n"), buf.rfind("\t")) + 1
        for i in range(word, len(buf)):
            if (i == 0 or not (buf[i - 1].isalnum() or buf[i - 1] in "_-")) and any(
                    start.startswith(buf[i:]) or buf[i:].rstrip() == start for start in self._starts):
                self._tail = buf[i:]
                return buf[:i]
        return buf

    def flush(self) -> str:
        """At the end of the step: held text that turned out to be words, else nothing."""
        held, self._held = self._held, ""
        tail, self._tail = self._tail, ""
        if self._mode != "held" and not self._shown and (name := (held + tail).strip()) in self.tool_names:
            # a tool's bare name (the 1.5B wrote "mail_new" for "Anything new in my mail?"): a
            # call without arguments, never words; one whose arguments are needed is refused
            self.calls = [ToolCall(id=f"call_{uuid.uuid4().hex[:12]}", name=name, arguments={})]
            return ""
        if self._mode == "held":
            self.calls = parse_tool_calls(held, self.tool_names) or _garbled_call(held, self.tool_names)
            if self.calls:
                return ""
        return held + tail
