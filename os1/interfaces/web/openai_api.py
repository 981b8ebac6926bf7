"""An OpenAI-compatible API to the companion itself: `/v1/models` and `/v1/chat/completions`.

Any OpenAI client talks to the user's own companion (persona, memory, tools), not to a bare
model: the companion keeps its own history, so only the newest user message of a request is
taken as the user's words (the rest is what the client remembers, and the companion has it
already). The API key (made on the settings page) says whose companion it is. Nobody is there
to answer a consent question, so side effects are declined unless the user let the API do them
(`WebState.api_session`), and the reply says nothing was done.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, ValidationError

from os1.errors import InputError, OS1Error
from os1.events import EventType
from os1.interfaces.web.server import WebState

router = APIRouter(prefix="/v1")
MODEL_ID = "os1"  # the companion, whatever model it runs on


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens…: the companion's own apply

    model: str = MODEL_ID
    messages: list[dict[str, Any]]
    stream: bool = False


def error(status: int, message: str, kind: str = "invalid_request_error") -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "code": None}}, status)


def api_user(request: Request) -> str | None:
    state: WebState = request.app.state.web
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key:
        return None
    return state.accounts.user_for_key(key.strip())


def last_user_text(messages: list[dict[str, Any]]) -> str | None:
    for message in reversed(messages):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content
        if isinstance(content, list):  # content parts: the text ones
            return "".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return None


def _chunk(cid: str, created: int, delta: dict[str, str], finish: str | None = None) -> str:
    body = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(body)}\n\n"


@router.get("/models", response_model=None)
async def models(request: Request) -> Response:
    if api_user(request) is None:
        return error(401, "A valid API key is needed (make one on the settings page).", "authentication_error")
    return JSONResponse({"object": "list", "data": [
        {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "os1"},
    ]})


@router.post("/chat/completions", response_model=None)
async def chat_completions(request: Request) -> Response:
    user = api_user(request)
    if user is None:  # before the body is read: a stranger learns nothing, not even its schema
        return error(401, "A valid API key is needed (make one on the settings page).", "authentication_error")
    try:
        body = ChatRequest.model_validate_json(await request.body())
    except ValidationError as exc:
        return error(400, f"The request is not a chat completion request: {exc.errors()[0]['msg']}.")
    text = last_user_text(body.messages)
    if not text or not text.strip():
        return error(400, "The request has no user message with text.")
    state: WebState = request.app.state.web
    if wait := state.turns.retry_after(user):
        response = error(429, f"Too many requests: wait {wait} seconds.", "rate_limit_error")
        response.headers["Retry-After"] = str(wait)
        return response
    state.turns.hit(user)
    session = await state.api_session(user)
    cid, created = "chatcmpl-" + secrets.token_hex(12), int(time.time())

    async def deltas() -> AsyncIterator[str]:
        """The reply's words as the core yields them; an error ends it with its message."""
        async with state.turn(user):
            async for event in session.turn(text):
                if event.type == EventType.TEXT and event.data.get("text"):
                    yield event.data["text"]
                elif event.type == EventType.ERROR:
                    raise OS1Error(event.data["message"])

    if body.stream:
        async def events() -> AsyncIterator[str]:
            yield _chunk(cid, created, {"role": "assistant", "content": ""})
            try:
                async for piece in deltas():
                    yield _chunk(cid, created, {"content": piece})
            except OS1Error as exc:  # the status is sent already: the error is the last words
                yield _chunk(cid, created, {"content": f"\n[error: {exc}]"})
            yield _chunk(cid, created, {}, "stop")
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")
    try:
        reply = "".join([piece async for piece in deltas()])
    except InputError as exc:
        return error(400, str(exc))
    except OS1Error as exc:
        return error(503, str(exc), "server_error")
    return JSONResponse({
        "id": cid, "object": "chat.completion", "created": created, "model": MODEL_ID,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    })
