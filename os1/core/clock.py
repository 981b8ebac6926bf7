"""An injectable clock. The scheduler never calls datetime.now() or asyncio.sleep() itself, so
tests can move time by hand and measure what fires when."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Protocol

MAX_NAP_S = 30.0  # re-read the clock at least this often: a wall-clock jump is noticed quickly


class Clock(Protocol):
    def now(self) -> datetime: ...
    async def sleep_until(self, when: datetime, wake: asyncio.Event) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep_until(self, when: datetime, wake: asyncio.Event) -> None:
        """Sleep until `when`, a wake-up call, or MAX_NAP_S, whichever comes first."""
        delay = min(max((when - self.now()).total_seconds(), 0.0), MAX_NAP_S)
        try:
            await asyncio.wait_for(wake.wait(), timeout=delay)
        except TimeoutError:
            pass
        wake.clear()


class ManualClock:
    """Time stands still until a test moves it."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._moved = asyncio.Event()

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when
        self._moved.set()

    def advance(self, **delta: float) -> None:
        self.set(self._now + timedelta(**delta))

    async def sleep_until(self, when: datetime, wake: asyncio.Event) -> None:
        while self._now < when and not wake.is_set():
            self._moved.clear()
            moved = asyncio.create_task(self._moved.wait())
            woken = asyncio.create_task(wake.wait())
            done, pending = await asyncio.wait({moved, woken}, return_when=asyncio.FIRST_COMPLETED)
            for t in pending:
                t.cancel()
        wake.clear()
