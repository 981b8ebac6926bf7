"""A process killed with SIGKILL at any moment of ingestion loses no acknowledged turn: every
memory whose `add` returned is there afterwards, in the text index too, and the embeddings that
were pending are made exactly once on restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from os1.memory.index import MemoryIndex
from os1.models.embedder import MiniLMEmbedder
from os1.storage.sqlite import SqliteStore

WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from os1.memory.index import MemoryIndex
    from os1.models.embedder import MiniLMEmbedder
    from os1.storage.sqlite import SqliteStore

    async def main():
        store = await SqliteStore.open(Path(sys.argv[1]))
        index = MemoryIndex(store, MiniLMEmbedder())
        i = 0
        while True:
            await index.add("amy", f"turn number {i} about the blue door", speaker="user")
            print(f"ack {i}", flush=True)
            if i % 4 == 3:
                await index.embed_pending()  # a kill may land in the middle of this too
            i += 1

    asyncio.run(main())
    """
)


@pytest.mark.parametrize("kill_after", [3, 11, 26])
async def test_sigkill_during_ingestion_loses_no_acknowledged_turn(settings, kill_after):
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(settings.db_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
    )
    acked = []
    try:
        assert child.stdout is not None
        for line in child.stdout:  # bounded: the child writes one line per turn
            acked.append(int(line.split()[1]))
            if len(acked) > kill_after:
                break
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert len(acked) > kill_after, child.stderr.read() if child.stderr else ""

    store = await SqliteStore.open(settings.db_path)
    try:
        index = MemoryIndex(store, MiniLMEmbedder())
        rows = await store.query("SELECT content FROM memories WHERE user_id='amy' ORDER BY id")
        stored = [r[0] for r in rows]
        for i in acked:
            assert f"turn number {i} about the blue door" in stored
        assert len(stored) == len(set(stored))  # nothing written twice
        assert len(stored) <= len(acked) + 1  # at most the one being written when it died
        found = await index.lexical("amy", f"number {acked[-1]}", 50)
        assert found, "the newest acknowledged turn is in the text index"
        assert (await store.query("PRAGMA integrity_check"))[0][0] == "ok"

        await index.embed_pending()
        assert await index.embed_pending() == 0
        vec = await store.query("SELECT rowid FROM memories_vec ORDER BY rowid")
        mem = await store.query("SELECT id FROM memories WHERE embedded=1 ORDER BY id")
        assert [r[0] for r in vec] == [r[0] for r in mem]
        assert len(mem) == len(stored)  # every memory embedded, each once
    finally:
        await store.close()
