"""Hands-free voice in the page: the browser's microphone over the WebSocket voice protocol that
`os1 talk` and satellite devices use (os1/voice/transports/websocket.py), on `/ws/voice`.

Nothing of the voice pipeline is repeated here: `VoiceServer.handle` runs the same agent (turn
end, barge-in, echo gate, spoken consent, what is said first) for the logged-in user. This
module only checks the login, adapts Starlette's WebSocket to the interface the protocol reads
and sends with, and loads the voice models once per voice, on the first voice connection (the
page works without them; speech costs seconds and memory only when someone talks).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from os1.interfaces.web.security import same_origin, session_user
from os1.interfaces.web.server import WebState

router = APIRouter()
_loading = asyncio.Lock()


class Connection:
    """Starlette's WebSocket as the protocol sees a connection: send() text or bytes, iterate
    over what arrives, and ConnectionClosed once the page is gone."""

    def __init__(self, ws: WebSocket) -> None:
        from websockets.exceptions import ConnectionClosed

        self.ws = ws
        self.closed_error = ConnectionClosed

    async def send(self, message: str | bytes) -> None:
        try:
            if isinstance(message, bytes):
                await self.ws.send_bytes(message)
            else:
                await self.ws.send_text(message)
        except (WebSocketDisconnect, RuntimeError) as exc:
            raise self.closed_error(None, None) from exc

    def __aiter__(self) -> AsyncIterator[str | bytes]:
        return self._messages()

    async def _messages(self) -> AsyncIterator[str | bytes]:
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            if message.get("bytes") is not None:
                yield message["bytes"]
            elif message.get("text") is not None:
                yield message["text"]


async def voice_models(state: WebState, user: str) -> Any:
    """The voice models of the voice `user` chose in the interview, loaded once per voice."""
    from os1.voice.talk import load_models, voice_plan

    plan = await voice_plan(state.core.store, user)
    async with _loading:
        if plan.voice not in state.voices:
            state.voices[plan.voice] = await load_models(state.settings, "tiny.en", plan.voice)
    return state.voices[plan.voice]


@router.websocket("/ws/voice")
async def voice(ws: WebSocket) -> None:
    state: WebState = ws.app.state.web
    user = session_user(ws, state.accounts)
    if user is None or not same_origin(ws):
        await ws.close(code=4401 if user is None else 4403)
        return
    await ws.accept()
    try:
        from os1.voice.transports.websocket import VoiceServer

        models = await voice_models(state, user)
    except Exception as exc:  # the voice extra or a voice model is missing: say so, not a 500
        message = getattr(exc, "message", str(exc))
        fix = getattr(exc, "fix", "")
        await ws.send_json({"type": "error", "message": f"Voice is not available: {message} {fix}".strip()})
        await ws.close()
        return
    await VoiceServer(state.core, models).handle(Connection(ws), user)
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        await ws.close()
