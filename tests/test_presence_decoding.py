"""The embedded backend keeps help-desk words out of replies (llama.cpp's logit_bias), and only
out of replies: background work (fact extraction, reflection) reads and writes freely."""

from pathlib import Path

from os1.config import LLMSettings
from os1.models.base import HELPDESK_WORDS
from os1.models.embedded import EmbeddedLLM


class CapturingServer:
    """Stands in for llama.cpp's engine: records each request, answers with an empty reply."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []

    def handle_chat_completions(self, body: dict, on_chunk) -> None:
        self.bodies.append(body)


async def test_replies_are_biased_against_help_desk_words_and_background_work_is_not(tmp_path: Path):
    llm = EmbeddedLLM(LLMSettings(model="qwen2.5-coder-0.5b"), tmp_path)
    server = llm._server = CapturingServer()
    messages = [{"role": "user", "content": "hi"}]
    [c async for c in llm.stream_chat(messages)]
    [c async for c in llm.stream_chat(messages, background=True)]
    reply, background = server.bodies
    banned = {word for word, bias in reply["logit_bias"] if bias is False}
    assert banned == set(HELPDESK_WORDS) and " assist" in banned
    assert "logit_bias" not in background
