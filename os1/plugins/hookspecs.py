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


@hookspec
def register_preferences(register: Any) -> None:
    """Call register(key, default) for each per-user preference the plugin keeps (read and
    written through os1.core.preferences, next to the core's quiet hours and hourly limit)."""


@hookspec
def register_planners(register: Any) -> None:
    """Call register(factory) for what the plugin wants said first (meeting reminders, birthdays…).

    factory(planning: os1.core.planner.Planning) returns an os1.core.planner.Plan, or None when
    it has nothing to plan for this user; the timekeeper runs the plans while an interface is open."""


@hookspec(firstresult=True)
def open_mailer(settings: Any, store: Any, user: str) -> Any:
    """The user's mail account as an os1.core.mailer.Mailer (send, read calendar parts), or None
    when none is set up. Other skills mail through it, never through the mail skill's internals."""


@hookspec
def known_people(store: Any, user: str) -> Any:
    """A list of (address, name) of people the plugin knows (mail knows its correspondents)."""


@hookspec
def find_people(settings: Any, store: Any, user: str, name: str) -> Any:
    """A list of (name, [addresses]) of the people called `name` (the address book answers)."""
