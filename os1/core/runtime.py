"""Build a Companion from settings: the one place that wires store, model and tools together."""

from __future__ import annotations

from os1.config import Settings
from os1.core.context import local_zone
from os1.core.conversation import Companion
from os1.memory.index import MemoryIndex
from os1.memory.learning import Learner
from os1.memory.recall import Remembering
from os1.memory.reflection import Reflector
from os1.models.embedder import shared_embedder
from os1.models.factory import create_llm
from os1.models.switch import SwitchableLLM
from os1.plugins import migrations as registered_migrations
from os1.plugins import tools as registered_tools
from os1.storage.sqlite import SqliteStore


async def open_store(settings: Settings) -> SqliteStore:
    """The user's database with every table: the core's and those the skills register. Every
    command and interface opens it here, so no table is ever missing."""
    return await SqliteStore.open(settings.db_path, registered_migrations())


async def open_companion(settings: Settings) -> Companion:
    store = await open_store(settings)
    try:
        llm = SwitchableLLM(create_llm(settings))  # one object everywhere: the web app may swap the model
    except Exception:
        await store.close()
        raise
    index = MemoryIndex(store, shared_embedder())
    zone = local_zone(settings)
    learner = Learner(index, llm, zone)
    learner.after = Reflector(index, learner, llm, zone).maybe
    memory = Remembering(index, learner)
    memory.embed_soon()  # resume whatever a previous process left unembedded
    memory.learn_soon(settings.user)  # and whatever it left unread
    return Companion(settings, llm, store, registered_tools(), memory)


async def close_companion(companion: Companion) -> None:
    if companion.memory is not None:
        await companion.memory.drain()
    await companion.llm.aclose()
    await companion.store.close()
