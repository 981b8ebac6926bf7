"""OS1 speaks first in the real CLI chat: a due reminder is printed while the user is idle,
kept in the conversation, and "not now" quiets it without asking the model."""

from __future__ import annotations

import asyncio
import os
import select
import subprocess
import sys
import time
from datetime import UTC, datetime

from os1.core.schedule import ReminderSchedule
from os1.storage.sqlite import SqliteStore
from tests.cli_helpers import prepare_user, stored_messages


def read_until(proc: subprocess.Popen, needle: str, timeout: float = 120.0) -> str:
    seen = b""
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.2)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            seen += chunk
            if needle.encode() in seen:
                return seen.decode("utf-8", "replace")
    raise AssertionError(f"'{needle}' did not appear within {timeout} s; got {seen!r}")


def test_chat_prints_a_due_reminder_while_idle_and_honours_not_now(settings) -> None:
    prepare_user(settings.db_path)

    async def schedule() -> None:
        store = await SqliteStore.open(settings.db_path)
        from os1.core.preferences import set_prefs

        await set_prefs(store, "tester", {"quiet_start": "", "quiet_end": ""})
        await ReminderSchedule(store).add("tester", "reminder", "Reminder: stretch your legs", datetime.now(UTC))
        await store.close()

    asyncio.run(schedule())
    proc = subprocess.Popen(
        [sys.executable, "-m", "os1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, env={**os.environ, "COLUMNS": "200"},
    )
    try:
        shown = read_until(proc, "Reminder: stretch your legs")
        assert "Ari" in shown  # said by the companion, unasked
        assert proc.stdin is not None
        proc.stdin.write(b"not now\n")
        proc.stdin.flush()
        assert "keep quiet until" in read_until(proc, "keep quiet until")
        proc.stdin.close()
        proc.wait(120)  # it also finishes background work it had started (memory.drain)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    said = [m for m in stored_messages(settings.db_path) if m.role == "assistant"]
    assert [m.content for m in said] == ["Reminder: stretch your legs"]
    assert said[0].meta == {"proactive": "reminder"}
