"""Shared fixtures. Tests that need the real embedded model use the small one (0.5B), which
`make test` installs and verifies before pytest starts."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from os1.config import Settings, load_settings
from os1.core.conversation import Companion
from os1.core.runtime import open_store
from os1.models.catalog import lookup
from os1.models.embedded import EmbeddedLLM
from os1.plugins import tools as registered_tools
from os1.storage.sqlite import SqliteStore
from tests.steady import STEADY_START

TEST_MODEL = os.environ.get("OS1_TEST_MODEL", "qwen2.5-coder-0.5b")
# One sampling seed for every model call of the run, in this process and in the os1 processes
# the CLI tests start: the interview's warmer retries drew a new name each run, and a real-model
# test passed or failed with the draw.
os.environ.setdefault("OS1_LLM__SEED", "7")
# Where `make test` installed the model: the default data dir, before tests redirect it.
REAL_MODELS = Settings(_env_file=None).models_dir if "OS1_DATA_DIR" not in os.environ else Path(
    os.environ["OS1_DATA_DIR"]
) / "models"


def model_installed() -> bool:
    entry = lookup(TEST_MODEL)
    return entry is not None and (REAL_MODELS / entry.filename).exists()


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data dir and config file; the models are shared read-only."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "models").symlink_to(REAL_MODELS, target_is_directory=True)
    for key in list(os.environ):
        if key.startswith("OS1_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("OS1_DATA_DIR", str(data))
    monkeypatch.setenv("OS1_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("OS1_USER", "tester")
    monkeypatch.setenv("OS1_LLM__MODEL", TEST_MODEL)
    monkeypatch.setenv("OS1_LLM__TEMPERATURE", "0")  # repeatable replies from the real model
    monkeypatch.setenv("OS1_LLM__MAX_REPLY_TOKENS", "96")
    return data


@pytest.fixture(autouse=True)
def steady_clock(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real-model tests see the same time stamps in every run of the day.

    Each user message carries its local time, and at temperature 0 the small model's choice of
    tool can change with the minute written there. Stored rows are stamped 09:00 UTC today (one
    microsecond apart, so order is kept); the date stays real, so tests may still compute what
    "next Tuesday" means from today.
    """
    if request.node.get_closest_marker("model") is None and "real_llm" not in request.fixturenames:
        return
    import itertools

    from os1.storage import sqlite

    start = STEADY_START
    ticks = itertools.count()
    monkeypatch.setattr(
        sqlite, "_now", lambda: (start + timedelta(microseconds=next(ticks))).isoformat(timespec="microseconds")
    )
    from os1.core import conversation

    monkeypatch.setattr(conversation, "_now", lambda: start)  # what warm() and prefill() read ahead


@pytest.fixture
def settings(isolated_env: Path) -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
async def real_llm() -> AsyncIterator[EmbeddedLLM]:
    """One loaded embedded model for the whole run (loading costs seconds)."""
    if not model_installed():
        pytest.fail(f"The test model {TEST_MODEL} is not installed: run 'make test'.")
    s = Settings(_env_file=None)
    llm_settings = s.llm.model_copy(
        update={"model": TEST_MODEL, "temperature": 0.0, "max_reply_tokens": 128}
    )
    llm = EmbeddedLLM(llm_settings, REAL_MODELS)
    await llm.load()
    yield llm
    await llm.aclose()


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[SqliteStore]:
    s = await open_store(settings)  # with the skills' tables, as every command opens it
    yield s
    await s.close()


@pytest.fixture
async def companion(settings: Settings, store: SqliteStore, real_llm: EmbeddedLLM) -> Companion:
    return Companion(settings, real_llm, store, registered_tools())


# -- time: a real radicale for CalDAV/CardDAV tests ----------------------------------
@pytest.fixture
def radicale(tmp_path: Path):
    from tests.radicale_server import Radicale, free_port

    server = Radicale(tmp_path / "radicale", free_port(), {"ana": "secret", "bob": "hunter2"})
    server.start()
    try:
        yield server
    finally:
        server.stop()
