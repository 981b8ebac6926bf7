"""Loads plugins from the `os1` entry-point group and answers what they registered."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pluggy

from os1.plugins import hookspecs

if TYPE_CHECKING:
    from os1.core.tools import Tool

_pm: pluggy.PluginManager | None = None


def get_plugin_manager() -> pluggy.PluginManager:
    global _pm
    if _pm is None:
        pm = pluggy.PluginManager("os1")
        pm.add_hookspecs(hookspecs)
        pm.load_setuptools_entrypoints("os1")
        _pm = pm
    return _pm


def reset_plugin_manager() -> None:
    """Forget loaded plugins (tests register their own through the same manager)."""
    global _pm
    _pm = None


def llm_backends() -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    get_plugin_manager().hook.register_llm_backends(
        register=lambda name, factory: found.__setitem__(name, factory)
    )
    return found


def tools() -> dict[str, Tool]:
    found: dict[str, Tool] = {}

    def register(tool: Tool) -> None:
        if tool.name in found:
            raise ValueError(f"Two plugins register a tool named '{tool.name}'.")
        found[tool.name] = tool

    get_plugin_manager().hook.register_tools(register=register)
    return found


def migrations() -> list[tuple[str, str]]:
    """Every plugin's schema migrations (name, sql), in registration order; names are unique."""
    found: list[tuple[str, str]] = []

    def register(name: str, sql: str) -> None:
        if any(n == name for n, _ in found):
            raise ValueError(f"Two migrations are named '{name}'.")
        found.append((name, sql))

    get_plugin_manager().hook.register_migrations(register=register)
    return found


def preferences() -> dict[str, Any]:
    """Every plugin's preference keys and their defaults."""
    found: dict[str, Any] = {}
    get_plugin_manager().hook.register_preferences(register=lambda key, default: found.__setitem__(key, default))
    return found


def planners() -> list[Callable[..., Any]]:
    """Every plugin's planner factories, in registration order."""
    found: list[Callable[..., Any]] = []
    get_plugin_manager().hook.register_planners(register=found.append)
    return found
