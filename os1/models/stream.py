"""Turn OpenAI-format stream chunks into ChatChunks; shared by every OpenAI-speaking backend.

Small local models often write a tool call as plain JSON in the reply text instead of the
server's structured `tool_calls`. When tools are offered, a reply that opens like JSON is held
back and parsed as a tool call; anything else streams through at once.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from os1.errors import ModelProtocolError
from os1.models.base import ChatChunk, ToolCall

_FENCE = re.compile(r"```(?:json|tool_call)?\s*(.*?)```", re.S)
_TAGGED = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.S)


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


def _json_values(text: str) -> list[Any]:
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
        values.append(value)
        i = end
    return values


def parse_tool_calls(text: str, tool_names: set[str]) -> list[ToolCall]:
    """Find tool calls written as text: bare JSON, fenced JSON, or <tool_call> tags."""
    candidates = _TAGGED.findall(text) or _FENCE.findall(text) or [text]
    calls: list[ToolCall] = []
    for chunk in candidates:
        for value in _json_values(chunk):
            items = value if isinstance(value, list) else [value]
            calls.extend(c for c in (_call_from_obj(item, tool_names) for item in items) if c)
    return calls


_CALL_OPENINGS = ("{", "[{", "<tool_call>", "```json", "```tool_call", "```\n{")


def _call_opening(text: str) -> bool | None:
    """True if the reply opens like a tool call, False if it cannot, None if too soon to tell."""
    squeezed = text.replace(" ", "") if text.startswith("[") else text
    for opening in _CALL_OPENINGS:
        if squeezed.startswith(opening):
            return True
    if any(opening.startswith(squeezed) for opening in _CALL_OPENINGS):
        return None
    return False


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
            opening = _call_opening(stripped)
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
        out: list[ChatChunk] = []
        if not calls and self._held and self._mode == "undecided":  # ended while still unsure
            self._mode = "text"
            self.text += self._held
            out.append(ChatChunk(text=self._held))
            self._held = ""
        if not calls and self._held:
            calls = parse_tool_calls(self._held, self.tool_names)
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
