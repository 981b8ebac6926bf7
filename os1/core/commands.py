"""What a plugin's `os1 …` command needs to act on the user's data: the command's settings and
the user's database, opened with every skill's tables, and OS1's errors shown as one clear line
(its message and the fix) with exit code 2 instead of a traceback."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from rich.console import Console
from rich.markup import escape

from os1.config import Settings, settings_from
from os1.errors import OS1Error
from os1.storage.sqlite import SqliteStore

T = TypeVar("T")


class CommandFailed(SystemExit):
    """Raised after the error was shown: the command ends with exit code 2."""

    def __init__(self) -> None:
        super().__init__(2)


def with_store(ctx: Any, fn: Callable[[Settings, SqliteStore], Awaitable[T]], console: Console) -> T:
    """Run `fn(settings, store)` for the command whose (typer/click) context is `ctx`."""
    from os1.core.runtime import open_store  # the runtime loads the models' code: only when run

    settings = settings_from(ctx)

    async def go() -> T:
        store = await open_store(settings)
        try:
            return await fn(settings, store)
        finally:
            await store.close()

    try:
        return asyncio.run(go())
    except OS1Error as exc:
        console.print(f"[red]{escape(exc.message)}[/] {escape(exc.fix)}")
        raise CommandFailed() from None
