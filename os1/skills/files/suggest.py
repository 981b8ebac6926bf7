"""The model's proposals for files no rule could place: a folder per file, chosen with what OS1
remembers about the user (core memory: "the Lisbon trip", "works at Acme"). Optional: without a
model, or when it answers nothing usable, those files are simply held back for the user."""

from __future__ import annotations

import logging
from typing import Any

from os1.core.identity import answers
from os1.skills.files.journal import shown
from os1.skills.files.rules import Placement, clean
from os1.skills.files.scan import Entry

log = logging.getLogger(__name__)
MAX_FILES = 40  # one short prompt; the rest stay held back
MAX_FOLDERS = 30

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"places": {"type": "array", "items": {
        "type": "object",
        "properties": {"n": {"type": "integer"}, "folder": {"type": "string"}},
        "required": ["n", "folder"]}}},
    "required": ["places"],
}
PROMPT = """You help tidy a folder. For each numbered file below, propose a folder path (at most
three levels) where a person would look for it, or "" if unsure.
What you know about the person:
{memory}

Folders the tidy-up already uses (choose one of these when it fits):
{folders}

Files:
{files}

Answer as JSON: {{"places": [{{"n": 1, "folder": "..."}}]}}"""


def safe_folder(text: str) -> str | None:
    """A relative folder of one to three clean names, or None."""
    parts = [p for p in text.replace("\\", "/").split("/") if p.strip() and p.strip() != "."]
    if not parts or len(parts) > 3 or text.startswith("/") or any(p.strip() == ".." for p in parts):
        return None
    return "/".join(clean(p) for p in parts)


async def suggest(llm: Any, entries: list[Entry], memory: str, folders: list[str] | None = None) -> dict[str, Placement]:
    """path -> the model's place, for the first MAX_FILES of `entries`. `folders` are those the
    rules already fill: a file put beside its kind is found where the user looks."""
    chosen = entries[:MAX_FILES]
    if llm is None or not chosen:
        return {}
    files = "\n".join(f"{i + 1}. {shown(e.rel)} ({e.kind}, {e.size:,} bytes)" for i, e in enumerate(chosen))
    known = "\n".join(f"- {f}" for f in (folders or [])[:MAX_FOLDERS]) or "(none yet)"
    text = PROMPT.format(memory=memory.strip() or "(nothing yet)", folders=known, files=files)
    async for out in answers(llm, text, SCHEMA, attempts=2, temperature=0.2, warmer=0.2, max_tokens=600):
        found: dict[str, Placement] = {}
        items = out.get("places") if isinstance(out, dict) else None
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            n, folder = item.get("n"), safe_folder(str(item.get("folder", "")))
            if isinstance(n, int) and 1 <= n <= len(chosen) and folder:
                e = chosen[n - 1]
                found[e.path] = Placement(folder.split("/")[-1].lower(), folder, "suggested from what I know")
        if found:
            return found
    log.info("the model placed none of %d files", len(chosen))
    return {}


def memory_text(blocks: list[Any]) -> str:
    """Core memory blocks as the prompt's few lines about the user."""
    return "\n".join(f"{b.label}: {b.value}" for b in blocks if getattr(b, "value", ""))[:1500]
