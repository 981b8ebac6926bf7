"""The notes skill as an OS1 plugin: one tool, save_note."""

from __future__ import annotations

from typing import Any

from os1.plugins import hookimpl


@hookimpl
def register_tools(register: Any) -> None:
    from os1.skills.notes.tools import save_note

    register(save_note)
