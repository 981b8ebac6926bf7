"""Who the user knows, asked of whichever skills know people, through plugin hooks: the address
book answers "who is Amy?" (`find_people`), mail names the user's correspondents
(`known_people`). No skill imports another to ask."""

from __future__ import annotations

import inspect
from typing import Any

from os1.plugins.manager import get_plugin_manager


async def known_people(store: Any, user: str) -> list[tuple[str, str]]:
    """(address, name) of everyone any skill knows of (mail's correspondents)."""
    out: list[tuple[str, str]] = []
    for answer in get_plugin_manager().hook.known_people(store=store, user=user):
        out += await answer if inspect.isawaitable(answer) else answer
    return out


async def find_people(settings: Any, store: Any, user: str, name: str) -> list[tuple[str, list[str]]]:
    """(name, addresses) of each person called `name` (the address book's answer)."""
    out: list[tuple[str, list[str]]] = []
    for answer in get_plugin_manager().hook.find_people(settings=settings, store=store, user=user, name=name):
        out += await answer if inspect.isawaitable(answer) else answer
    return out
