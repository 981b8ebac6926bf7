"""The remembering skill as an OS1 plugin: its tools (core memory edits, forgetting)."""

from __future__ import annotations

from typing import Any

from os1.plugins import hookimpl


@hookimpl
def register_tools(register: Any) -> None:
    from os1.skills.remembering.core_memory import core_memory_append, core_memory_replace
    from os1.skills.remembering.forgetting import forget_memories

    for t in (core_memory_append, core_memory_replace, forget_memories):
        register(t)
