"""Durable storage behind small per-domain contracts (SQLite now; PostgreSQL implements the same)."""

from os1.storage.base import (
    Block,
    ConversationRepository,
    ProfileRepository,
    Store,
    StoredMessage,
    Trace,
    TraceRepository,
)
from os1.storage.memories import Memory, MemoryRepository, NewMemory, Pending, Progress
from os1.storage.sqlite import SqliteStore

__all__ = [
    "Block",
    "ConversationRepository",
    "Memory",
    "MemoryRepository",
    "NewMemory",
    "Pending",
    "ProfileRepository",
    "Progress",
    "SqliteStore",
    "Store",
    "StoredMessage",
    "Trace",
    "TraceRepository",
]
