"""The `openai` backend against a real OpenAI-compatible server: llama.cpp's, started on loopback
by `os1 models serve` with the small model."""

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from os1.config import LLMSettings
from os1.core.conversation import Companion
from os1.events import EventType
from os1.models.openai_compat import OpenAICompatLLM
from os1.plugins import tools as registered_tools
from tests.conftest import TEST_MODEL

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def server_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "os1", "models", "serve", "--port", str(port), "--model", TEST_MODEL],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "COLUMNS": "200"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stdout.read().decode()
            assert time.monotonic() < deadline, "the server did not come up in 120 s"
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        yield f"{url}/v1"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def make_llm(url: str) -> OpenAICompatLLM:
    return OpenAICompatLLM(
        LLMSettings(backend="openai", base_url=url, model=TEST_MODEL, temperature=0, max_reply_tokens=64)
    )


async def test_streams_a_reply(server_url):
    llm = make_llm(server_url)
    try:
        chunks = [c async for c in llm.stream_chat([{"role": "user", "content": "Say hello to Sam."}])]
    finally:
        await llm.aclose()
    text = "".join(c.text for c in chunks)
    assert len(chunks) > 2 and "sam" in text.lower()
    assert chunks[-1].finish_reason in ("stop", "length")


async def test_json_schema_output(server_url):
    llm = make_llm(server_url)
    schema = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    try:
        out = await llm.complete_json(
            [{"role": "user", "content": "Which city is the capital of France? Answer as JSON."}], schema
        )
    finally:
        await llm.aclose()
    assert "paris" in out["city"].lower()


async def test_a_whole_turn_with_a_tool_through_the_server(server_url, settings, store):
    llm = make_llm(server_url)
    asked = []

    async def refuse(request):
        asked.append(request.tool)
        return False

    companion = Companion(settings, llm, store, registered_tools())
    try:
        session = await companion.session(confirm=refuse)
        [e async for e in session.turn("Please save a note titled Groceries with the text: milk and eggs.")]
    finally:
        await llm.aclose()
    assert session.last_trace.first(EventType.TOOL_CALL).data["tool"] == "save_note"
    assert asked == ["save_note"] and not (settings.data_dir / "notes").exists()
    assert session.last_trace.types()[-1] == EventType.TURN_END

