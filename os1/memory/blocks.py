"""Core memory: labelled, size-limited blocks (persona, human) rendered into every prompt.

The companion edits them with tools; the user sees and edits them with `os1 memory`.
"""

from __future__ import annotations

from os1.errors import ToolError
from os1.storage.base import Block, Store

DEFAULTS: dict[str, tuple[int, str]] = {
    "persona": (2000, "Who the companion is: its name, personality and way of speaking."),
    "human": (2000, "What the companion knows about the user: name, life, preferences."),
}


async def load_blocks(store: Store, user: str) -> dict[str, Block]:
    """The user's blocks, the default ones first (persona, human), then any others by label."""
    stored = {b.label: b for b in await store.blocks(user)}
    found = {
        label: stored.pop(label, Block(label, "", limit, description))
        for label, (limit, description) in DEFAULTS.items()
    }
    found.update(sorted(stored.items()))
    return found


def render(blocks: dict[str, Block]) -> str:
    parts = []
    order = list(DEFAULTS)
    for label in sorted(blocks, key=lambda lbl: (order.index(lbl) if lbl in order else len(order), lbl)):
        b = blocks[label]
        parts.append(f"<{label} chars=\"{len(b.value)}/{b.limit}\">\n{b.value.strip()}\n</{label}>")
    return "\n".join(parts)


def _checked(block: Block, value: str) -> Block:
    value = value.strip()
    if len(value) > block.limit:
        raise ToolError(
            f"The {block.label} block would hold {len(value)} characters, over its limit of "
            f"{block.limit}. Replace or shorten something in it first."
        )
    return Block(block.label, value, block.limit, block.description)


async def append(store: Store, user: str, label: str, text: str) -> Block:
    blocks = await load_blocks(store, user)
    if label not in blocks:
        raise ToolError(f"There is no memory block named '{label}'; use one of {sorted(blocks)}.")
    current = blocks[label].value.strip()
    if text.strip() and text.strip() in current:
        return blocks[label]  # already known: do not duplicate
    new = _checked(blocks[label], f"{current}\n{text.strip()}" if current else text)
    await store.set_block(user, new)
    return new


async def replace(store: Store, user: str, label: str, old: str, new_text: str) -> Block:
    blocks = await load_blocks(store, user)
    if label not in blocks:
        raise ToolError(f"There is no memory block named '{label}'; use one of {sorted(blocks)}.")
    current = blocks[label].value
    if not old or old not in current:
        raise ToolError(f"The {label} block does not contain {old!r}; quote it exactly.")
    updated = _checked(blocks[label], current.replace(old, new_text, 1))
    await store.set_block(user, updated)
    return updated


async def set_value(store: Store, user: str, label: str, value: str) -> Block:
    """Overwrite a block (the user's own edit, or the interview)."""
    blocks = await load_blocks(store, user)
    base = blocks.get(label) or Block(label, "", 2000, "")
    new = _checked(base, value)
    await store.set_block(user, new)
    return new
