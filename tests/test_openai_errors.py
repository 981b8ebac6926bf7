"""The OpenAI-compatible backend facing a dead or broken server (real sockets on loopback)."""

import asyncio
import socket

import pytest

from os1.config import LLMSettings
from os1.errors import ModelError, ModelProtocolError, ModelUnavailableError
from os1.models.openai_compat import OpenAICompatLLM


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def collect(llm):
    return [c async for c in llm.stream_chat([{"role": "user", "content": "hi"}])]


async def test_unreachable_server():
    llm = OpenAICompatLLM(LLMSettings(backend="openai", base_url=f"http://127.0.0.1:{free_port()}/v1"))
    with pytest.raises(ModelUnavailableError) as err:
        await collect(llm)
    assert "Cannot reach" in err.value.message and "base_url" in err.value.fix
    with pytest.raises(ModelUnavailableError):
        await llm.complete_json([{"role": "user", "content": "hi"}], {"type": "object"})
    await llm.aclose()


async def serve_once(body: bytes, status: str = "200 OK", ctype: str = "text/event-stream"):
    async def handle(reader, writer):
        await reader.readuntil(b"\r\n\r\n")
        writer.write(f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                     "Connection: close\r\n\r\n".encode() + body)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


@pytest.mark.parametrize(
    "body, status, expected",
    [
        (b"<html>not an API</html>", "200 OK", ModelProtocolError),
        (b"data: {not json\n\n", "200 OK", ModelProtocolError),
        (b'data: {"object": "something else"}\n\n', "200 OK", ModelProtocolError),
        (b'{"error": "model not found"}', "404 Not Found", ModelError),
    ],
)
async def test_junk_answers_are_clear_errors(body, status, expected):
    server, port = await serve_once(body, status)
    llm = OpenAICompatLLM(LLMSettings(backend="openai", base_url=f"http://127.0.0.1:{port}/v1"))
    try:
        with pytest.raises(expected) as err:
            await collect(llm)
        assert err.value.message
    finally:
        await llm.aclose()
        server.close()
        await server.wait_closed()


async def test_junk_json_reply():
    server, port = await serve_once(b'{"choices": []}', ctype="application/json")
    llm = OpenAICompatLLM(LLMSettings(backend="openai", base_url=f"http://127.0.0.1:{port}/v1"))
    try:
        with pytest.raises(ModelProtocolError):
            await llm.complete_json([{"role": "user", "content": "hi"}], {"type": "object"})
    finally:
        await llm.aclose()
        server.close()
        await server.wait_closed()


async def test_a_required_call_is_asked_for_as_openai_names_it():
    """`must_call` is sent as tool_choice "required" (vLLM, Ollama and llama.cpp's own server
    with --jinja honour it; the embedded model's grammar does it itself)."""
    seen: list[bytes] = []
    call = (b'data: {"choices": [{"index": 0, "delta": {"tool_calls": [{"index": 0, "id": "c1", "type": '
            b'"function", "function": {"name": "calendar_agenda", "arguments": "{}"}}]}, '
            b'"finish_reason": "tool_calls"}]}\n\ndata: [DONE]\n\n')

    async def handle(reader, writer):
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
        seen.append(await reader.readexactly(length))
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: "
                     + str(len(call)).encode() + b"\r\nConnection: close\r\n\r\n" + call)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    llm = OpenAICompatLLM(LLMSettings(backend="openai", base_url=f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1"))
    tools = [{"type": "function", "function": {"name": "calendar_agenda", "parameters": {"type": "object"}}}]
    try:
        for must_call in (True, False):
            chunks = [c async for c in llm.stream_chat([{"role": "user", "content": "hi"}], tools=tools,
                                                       must_call=must_call)]
            assert [c.name for ch in chunks for c in ch.tool_calls] == ["calendar_agenda"]
    finally:
        await llm.aclose()
        server.close()
    import json
    assert [json.loads(body).get("tool_choice") for body in seen] == ["required", None]
