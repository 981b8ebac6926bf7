"""Long work started from a page (sorting a whole inbox…): it runs in the server's event loop
after the request has answered, one at a time per user and kind, and the page shows how far it
got. A page that starts it again while it runs gets the running one, never a second copy."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from os1.errors import OS1Error

log = logging.getLogger(__name__)


@dataclass
class Job:
    """How far one piece of work got: `done` of `total`, then its `result` or `error`."""

    kind: str
    doing: str = ""  # what the work is at, in words, when one kind of job has several steps
    done: int = 0
    total: int = 0
    result: Any = None
    error: str = ""
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def progress(self, done: int, total: int) -> None:
        """The callback the work reports through (the same shape as the commands' progress)."""
        self.done, self.total = done, total


class Jobs:
    """The server's jobs, by (user, kind): a user sees only their own."""

    def __init__(self) -> None:
        self._jobs: dict[tuple[str, str], Job] = {}

    def get(self, user: str, kind: str) -> Job | None:
        return self._jobs.get((user, kind))

    def start(self, user: str, kind: str, work: Callable[[Job], Awaitable[Any]]) -> Job:
        """Run `work(job)` in the background; its return value becomes `job.result`. An error the
        user can act on (OS1Error) is kept as its words; anything else as a short failure note."""
        running = self.get(user, kind)
        if running is not None and running.running:
            return running
        job = Job(kind)

        async def run() -> None:
            try:
                job.result = await work(job)
            except OS1Error as exc:
                job.error = str(exc)
            except Exception as exc:  # the server stays up; the page says it failed
                log.exception("%s for %s failed", kind, user)
                job.error = f"It stopped with an error: {type(exc).__name__}."

        job.task = asyncio.create_task(run(), name=f"{kind}:{user}")
        self._jobs[(user, kind)] = job
        return job

    def dismiss(self, user: str, kind: str) -> None:
        """Forget a finished job (its result was shown); a running one stays."""
        job = self.get(user, kind)
        if job is not None and not job.running:
            del self._jobs[(user, kind)]

    async def close(self) -> None:
        """At shutdown: stop what still runs (the work itself is resumable, as triage is)."""
        tasks = [j.task for j in self._jobs.values() if j.task is not None and not j.task.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
