"""What the `os1 letters` commands share: the console and the user's database."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import typer
from rich.console import Console

from os1.core.commands import with_store

console = Console(highlight=False)


def _with_store(ctx: typer.Context, fn: Callable[[Any, Any], Awaitable[Any]]) -> Any:
    """Run `fn(settings, store)` on the user's database (opened with every skill's tables)."""
    return with_store(ctx, fn, console)
