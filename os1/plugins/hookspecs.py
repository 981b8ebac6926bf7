"""What a plugin may provide. Each hook receives a `register` callback (the simonw/llm pattern)."""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("os1")
hookimpl = pluggy.HookimplMarker("os1")


@hookspec
def register_llm_backends(register: Any) -> None:
    """Call register(name, factory); factory(llm_settings, models_dir) returns an LLM."""


@hookspec
def register_tools(register: Any) -> None:
    """Call register(tool) for each os1.core.tools.Tool the companion may use."""


@hookspec
def register_commands(cli: Any) -> None:
    """Add typer commands or sub-apps to the `os1` command line."""


@hookspec
def register_migrations(register: Any) -> None:
    """Call register(name, sql) for each schema migration of the plugin's own tables, in order.

    Names are "<plugin>.<NNN_what>" and append-only (never edit one that has shipped); each runs
    once per database, after the core's, recorded in the `_migrations` table."""
