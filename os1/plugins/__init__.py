"""The plugin contract: hookspecs in one file, one manager that loads the `os1` entry-point group.

Built-in backends and skills are plugins too, listed in pyproject.toml's entry points.
"""

from os1.plugins.hookspecs import hookimpl, hookspec
from os1.plugins.manager import (
    get_plugin_manager,
    llm_backends,
    migrations,
    reset_plugin_manager,
    tools,
)

__all__ = [
    "get_plugin_manager",
    "hookimpl",
    "hookspec",
    "llm_backends",
    "migrations",
    "reset_plugin_manager",
    "tools",
]
