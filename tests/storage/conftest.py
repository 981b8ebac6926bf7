"""The storage contract suites run against every backend named here. Another backend (e.g.
PostgreSQL) joins by adding one param to `backend` and a class like `SqliteBackend`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from os1.plugins import migrations
from os1.storage.base import Store
from os1.storage.sqlite import SqliteStore


class SqliteBackend:
    """Opens the same database file again and again: what one open wrote, the next one reads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.opened: list[Store] = []

    async def open(self) -> Store:
        store = await SqliteStore.open(self.path, migrations())
        self.opened.append(store)
        return store

    async def close_all(self) -> None:
        for store in self.opened:
            await store.close()


@pytest.fixture(params=["sqlite"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqliteBackend]:
    made = SqliteBackend(tmp_path / "contract.db")
    yield made
    await made.close_all()


@pytest.fixture
async def db(backend: SqliteBackend) -> Store:
    """An open store of the backend under test."""
    return await backend.open()
