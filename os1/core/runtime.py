"""Build a Companion from settings: the one place that wires store, model and tools together."""

from __future__ import annotations

from os1.config import Settings
from os1.core.conversation import Companion
from os1.models.factory import create_llm
from os1.plugins import tools as registered_tools
from os1.storage.sqlite import SqliteStore


async def open_companion(settings: Settings) -> Companion:
    store = await SqliteStore.open(settings.db_path)
    try:
        llm = create_llm(settings)
    except Exception:
        await store.close()
        raise
    return Companion(settings, llm, store, registered_tools())


async def close_companion(companion: Companion) -> None:
    await companion.llm.aclose()
    await companion.store.close()
