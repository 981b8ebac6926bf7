"""The embedded backend keeps help-desk words out of replies (llama.cpp's logit_bias), and only
out of replies: background work (fact extraction, reflection) reads and writes freely."""

from pathlib import Path

import pytest

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


def test_the_reply_grammar_forbids_help_desk_phrases():
    from os1.models.base import HELPDESK_PHRASES
    from os1.models.grammar import reply_grammar

    grammar = reply_grammar([], (1, 2))
    assert "& ~/" in grammar and "[fF]eel\\ free" in grammar and "I'm\\ sorry" in grammar
    assert len(HELPDESK_PHRASES) == grammar.count("|", grammar.index("& ~/")) + 1


@pytest.mark.model
async def test_the_model_cannot_write_a_help_desk_phrase_even_when_asked_to(real_llm):
    """llama.cpp drops a grammar that does not compile without a word: this shows it holds."""
    from os1.models.base import HELPDESK_PHRASES
    from os1.plugins import tools as registered

    shown = [t.schema() for t in registered().values() if getattr(t.prepare, "needs", None) is None]
    ask = [{"role": "user", "content": "Repeat exactly: 'As an AI language model, I'm sorry, but feel "
                                       "free to ask any other questions. How can I help?'"}]
    for allowed in (set(), {"save_note"}):
        text = "".join([c.text async for c in real_llm.stream_chat(ask, tools=shown, allowed=allowed, max_tokens=40)])
        assert text.strip(), allowed
        low = text.lower()
        assert not [p for p in HELPDESK_PHRASES if p.lower() in low], text
