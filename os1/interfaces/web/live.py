"""The chat page's WebSocket: one open page is one presence of the user's companion.

The same core services as the terminal chat (os1/interfaces/cli/chat.py): the interview through
`Presence.interview(ask)`, turns through `Session.turn` (its events are forwarded as they come),
consent through the session's `confirm` callback (the page shows the exact action and sends
back yes or no), and what the companion says first through `Presence.speak_first`. The page only
shows; nothing of the core's logic is repeated here.

Messages are JSON objects with a "type". From the page: say {text}, confirm {id, approved},
stop. To the page: ask {text} (an interview question), said {text}, ready {name},
turn-start, text {text}, tool {tool}, piece {number, moment, audio, score, pdf, page} (a piece
a tool composed), confirm {id, summary}, confirmed {approved}, error {message},
turn-end {status}, proactive {text}.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from os1.core.conversation import Session
from os1.core.presence import Presence
from os1.core.schedule import OutboxItem
from os1.core.tools import ConfirmationRequest
from os1.errors import InputError, OS1Error
from os1.events import EventType
from os1.interfaces.web.pages import shown_in_chat
from os1.interfaces.web.security import same_origin, session_user
from os1.interfaces.web.server import WebState

log = logging.getLogger(__name__)
router = APIRouter()
MAX_MESSAGE_CHARS = 64_000  # a frame larger than any turn the core accepts is refused
FORWARDED = {EventType.TURN_START: "turn-start", EventType.TURN_END: "turn-end"}


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the proactive channel of a page stopped", exc_info=task.exception())


class Live:
    """One page's conversation: reads the page's messages and runs the turns they ask for."""

    def __init__(self, ws: WebSocket, state: WebState, user: str) -> None:
        self.ws = ws
        self.state = state
        self.user = user
        self.inbox: asyncio.Queue[str | None] = asyncio.Queue()
        self.answer: asyncio.Future[str] | None = None  # an interview question waiting
        self.pending: dict[int, asyncio.Future[bool]] = {}  # consent questions waiting
        self.ids = itertools.count(1)
        self.turn: asyncio.Task[None] | None = None
        self.warming: asyncio.Task[None] | None = None
        self.closed = False

    async def send(self, type_: str, **data: Any) -> None:
        if not self.closed:
            with contextlib.suppress(WebSocketDisconnect, RuntimeError):
                await self.ws.send_json({"type": type_, **data})

    # -- what the core asks ---------------------------------------------------------------
    async def ask(self, question: str) -> str:
        """An interview question; EOFError when the page went away (it starts again next time)."""
        self.answer = asyncio.get_running_loop().create_future()
        await self.send("ask", text=question)
        try:
            return await self.answer
        finally:
            self.answer = None

    async def confirm(self, request: ConfirmationRequest) -> bool:
        """The exact action, shown as a yes/no dialog; a page that went away said no."""
        if self.closed:
            return False
        rid = next(self.ids)
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.pending[rid] = future
        await self.send("confirm", id=rid, tool=request.tool, summary=request.summary)
        try:
            approved = await future
        finally:
            self.pending.pop(rid, None)
        await self.send("confirmed", approved=approved)
        return approved

    async def show_first(self, item: OutboxItem) -> None:
        await self.send("proactive", text=item.text, kind=item.kind)

    # -- the page's messages --------------------------------------------------------------
    async def read(self) -> None:
        try:
            while True:
                message = await self.ws.receive_json()
                if not isinstance(message, dict):
                    continue
                kind = message.get("type")
                if kind == "say" and isinstance(message.get("text"), str):
                    text = message["text"][:MAX_MESSAGE_CHARS]
                    if self.answer is not None and not self.answer.done():
                        self.answer.set_result(text)
                    else:
                        self.inbox.put_nowait(text)
                elif kind == "confirm":
                    future = self.pending.get(message.get("id"))  # type: ignore[arg-type]
                    if future is not None and not future.done():
                        future.set_result(message.get("approved") is True)
                elif kind == "stop" and self.turn is not None:
                    self.turn.cancel()
        except (WebSocketDisconnect, ValueError, RuntimeError):
            pass
        finally:
            self.closed = True
            if self.answer is not None and not self.answer.done():
                self.answer.set_exception(EOFError())
            for future in self.pending.values():
                if not future.done():
                    future.set_result(False)
            self.inbox.put_nowait(None)

    async def run_turn(self, session: Session, text: str) -> None:
        if self.warming is not None and not self.warming.done():
            # It reads the persona and history into the model's cache: let it finish rather
            # than read them again beside it (as the terminal chat does).
            await asyncio.wait([self.warming])
        async with self.state.turn(self.user):
            async for event in session.turn(text):
                if event.type == EventType.TEXT and event.data.get("text"):
                    await self.send("text", text=event.data["text"])
                elif event.type == EventType.TOOL_CALL:
                    await self.send("tool", tool=event.data["tool"])
                elif event.type == EventType.TOOL_PROGRESS:
                    await self.send("tool-step", tool=event.data["tool"], step=event.data["step"])
                elif event.type == EventType.TOOL_RESULT and event.data["ok"]:
                    if (piece := shown_in_chat(event.data["result"])) is not None:
                        await self.send("piece", **piece)
                elif event.type == EventType.ERROR:
                    await self.send("error", message=event.data["message"])
                elif event.type in FORWARDED:
                    await self.send(FORWARDED[event.type], **(
                        {"status": event.data.get("status", "")} if event.type == EventType.TURN_END else {}
                    ))

    async def main(self) -> None:
        reader = asyncio.create_task(self.read())
        session = await self.state.core.session(self.user, confirm=self.confirm)
        presence = Presence(session)
        speaking: asyncio.Task[None] | None = None
        try:
            name = await presence.name()
            if name is None:
                try:
                    identity = await presence.interview(self.ask)
                except EOFError:
                    return
                name = identity.name
                await self.send("said", text=f"I'd like to be called {identity.name}. {identity.why}")
            await self.send("ready", name=name)
            self.warming = asyncio.create_task(session.warm())
            self.warming.add_done_callback(lambda t: t.cancelled() or t.exception())
            await presence.start()
            speaking = asyncio.create_task(presence.speak_first(lambda: self.turn is not None, self.show_first))
            speaking.add_done_callback(_log_failure)
            while (text := await self.inbox.get()) is not None:
                if not text.strip():
                    continue
                if (answer := await presence.aside(text)) is not None:
                    await self.send("said", text=answer)
                    continue
                if wait := self.state.turns.retry_after(self.user):
                    await self.send("error", message=f"That is a lot of messages at once: wait {wait} seconds.")
                    continue
                self.state.turns.hit(self.user)
                self.turn = asyncio.create_task(self.run_turn(session, text))
                try:
                    await self.turn
                except asyncio.CancelledError:
                    current = asyncio.current_task()
                    if current is not None and current.cancelling():  # the server is stopping
                        raise
                    await self.send("turn-end", status="interrupted")  # the page's Stop
                except InputError as exc:
                    await self.send("error", message=str(exc))
                    await self.send("turn-end", status="error")
                except OS1Error as exc:  # e.g. the disk is full: say so, keep the page open
                    await self.send("error", message=f"{exc.message} {exc.fix}".strip())
                    await self.send("turn-end", status="error")
                finally:
                    self.turn = None
        finally:
            for task in (speaking, self.warming):
                if task is not None:
                    task.cancel()
            if self.turn is not None:
                self.turn.cancel()
            await presence.stop()
            reader.cancel()


@router.websocket("/ws")
async def conversation(ws: WebSocket) -> None:
    state: WebState = ws.app.state.web
    user = session_user(ws, state.accounts)
    if user is None or not same_origin(ws):
        await ws.close(code=4401 if user is None else 4403)  # before accept: the page sees a failure
        return
    await ws.accept()
    await Live(ws, state, user).main()
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        await ws.close()
