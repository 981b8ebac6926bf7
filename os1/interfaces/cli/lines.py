"""Read the user's lines on a daemon thread, so the event loop never blocks on the keyboard."""

from __future__ import annotations

import asyncio
import sys
import threading

REPLACEMENT = "\ufffd"


def clean_line(raw: str) -> tuple[str, bool]:
    """Undo surrogate escapes from invalid UTF-8; report whether any bytes were unreadable."""
    bad = any("\udc80" <= ch <= "\udcff" for ch in raw)
    if bad:
        raw = "".join(REPLACEMENT if "\udc80" <= ch <= "\udcff" else ch for ch in raw)
    return raw.rstrip("\r\n"), bad


class LineReader:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.interactive = sys.stdin.isatty()
        self._want = threading.Event()
        self._prompt = ""
        self._eof = False  # once input has ended, every later read says so at once
        if hasattr(sys.stdin, "reconfigure"):
            sys.stdin.reconfigure(encoding="utf-8", errors="surrogateescape")
        threading.Thread(target=self._run, name="os1-stdin", daemon=True).start()

    def _run(self) -> None:
        while True:
            self._want.wait()
            self._want.clear()
            try:
                line: str | None = input(self._prompt) if self.interactive else sys.stdin.readline()
                if line == "" and not self.interactive:
                    line = None  # EOF
            except EOFError:
                line = None
            except Exception:  # a broken terminal must end the session, not hang it
                line = None
            if line is None:
                self._eof = True
            self.loop.call_soon_threadsafe(self.queue.put_nowait, line)
            if line is None:
                return

    async def read(self, prompt: str = "") -> str | None:
        """The next line, or None at end of input or when interrupted."""
        if self._eof and self.queue.empty():
            return None  # the reader thread has ended: nothing more will come
        self._prompt = prompt
        self._want.set()
        return await self.queue.get()

    def interrupt(self) -> None:
        self.loop.call_soon_threadsafe(self.queue.put_nowait, None)
