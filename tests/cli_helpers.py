"""Run the real `os1` program in a subprocess, as a user would (stdin piped)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

from steady import STEADY_START

from os1.memory import blocks
from os1.storage.sqlite import SqliteStore

INTERVIEW = ["Call me Sam", "Social, I love people", "Close, we talk every week",
             "Female please", "Remembering things and planning my days"]


def os1(
    *args: str, stdin: str | bytes = b"", timeout: float = 300, steady: bool = False
) -> subprocess.CompletedProcess:
    """`steady`: the program's clock starts at 09:00 UTC today (libfaketime), as conftest's
    `steady_clock` does in-process: each user message carries its minute, and at temperature
    0 the small model's answer can change with it (a real-model CLI test failed on one minute)."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    command = [sys.executable, "-m", "os1", *args]
    if steady:
        if shutil.which("faketime") is None:
            raise RuntimeError("faketime is missing: run `make test` (it installs the test packages).")
        command = ["faketime", "-f", STEADY_START.strftime("@%Y-%m-%d %H:%M:%S"), *command]
    return subprocess.run(
        command, input=data, capture_output=True, timeout=timeout,
        env={**os.environ, "COLUMNS": "200"},
    )


def out(result: subprocess.CompletedProcess) -> str:
    return result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")


def prepare_user(db: Path, user: str = "tester", name: str = "Ari") -> None:
    """A user who has already done the interview, written through the real store."""

    async def go() -> None:
        store = await SqliteStore.open(db)
        await store.set_profile(user, {"companion_name": name, "preferred_name": "Sam"})
        await blocks.set_value(store, user, "persona", f"My name is {name}. I am warm and curious.")
        await blocks.set_value(store, user, "human", "Prefers to be called: Sam")
        await store.close()

    asyncio.run(go())


def stored_messages(db: Path, user: str = "tester") -> list:
    async def go() -> list:
        store = await SqliteStore.open(db)
        try:
            return await store.messages(user)
        finally:
            await store.close()

    return asyncio.run(go())
