"""Durable file writes for stores kept as plain files (the local calendar and address book)."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Write `text` so that a crash leaves either the old file or the new one, never half of
    one: a temporary file, fsync, rename over the old, then fsync the folder (the rename
    itself must reach the disk). Newlines are written as given (an ETag hashes the bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
