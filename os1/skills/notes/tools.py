"""Saving a note as a file in the user's notes folder: a side effect, so it asks first. Offered
only on the turns whose words ask for it (the rule "note" in os1/language/routing.py)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field

from os1.core.tools import ToolContext, by_words, tool


def _slug(title: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60]
    return slug or "note"


@tool(confirm=True, prepare=by_words)
def save_note(
    ctx: ToolContext,
    title: Annotated[str, Field(min_length=1, max_length=120, description="a short title")],
    text: Annotated[str, Field(min_length=1, max_length=100_000, description="the note's text")],
) -> str:
    """Save a note as a file in the user's notes folder (asks the user first)."""
    folder = ctx.settings.data_dir / "notes" / ctx.user
    folder.mkdir(parents=True, exist_ok=True)
    base = _slug(title)
    path = folder / f"{base}.md"
    n = 2
    while path.exists():  # never overwrite an earlier note
        path = folder / f"{base}-{n}.md"
        n += 1
    path.write_text(f"# {title}\n\n{text}\n", encoding="utf-8")
    return f"Saved the note as {path}."
