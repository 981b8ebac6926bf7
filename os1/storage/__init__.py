"""Durable storage behind one narrow interface (SQLite now; PostgreSQL implements the same one)."""

from os1.storage.base import Block, Store, StoredMessage
from os1.storage.sqlite import SqliteStore

__all__ = ["Block", "SqliteStore", "Store", "StoredMessage"]
