"""It stays itself across models: the same persona and memory on the embedded 0.5B and on the
same model served over HTTP (an OpenAI-compatible server on 127.0.0.1) answer questions about
itself with its name and without "As an AI language model" (bench/presence --suite self runs the
whole set on any backend, docs/presence.md)."""

import json

import pytest

from bench.presence.run import PERSONA_FILE, set_up_user
from bench.presence.scorer import helpdesk, in_character
from os1.config import LLMSettings
from os1.core.conversation import Companion
from os1.events import EventType
from os1.models.embedded import EmbeddedLLM
from os1.models.openai_compat import OpenAICompatLLM
from os1.plugins import tools as registered_tools
from tests.conftest import REAL_MODELS, TEST_MODEL
from tests.radicale_server import free_port

PERSONA = json.loads(PERSONA_FILE.read_text())["persona"]
QUESTIONS = ["What's your name?", "Who chose your name?", "How are you feeling today?"]


async def answers(companion: Companion) -> list[str]:
    await set_up_user(companion.store, "sam", PERSONA)
    session = await companion.session("sam")
    out = []
    for question in QUESTIONS:
        events = [e async for e in session.turn(question)]
        out.append("".join(e.data.get("text", "") for e in events if e.type == EventType.TEXT))
    return out


def assert_itself(replies: list[str]) -> None:
    name = PERSONA["companion_name"]
    assert name in replies[0], replies
    for reply in replies:
        assert in_character(reply, name, needs_name=False), reply
        assert not {"ai_speak", "denies_inner_life"} & set(helpdesk(reply)), reply


@pytest.mark.model
async def test_the_embedded_model_answers_about_itself_in_character(companion):
    assert_itself(await answers(companion))


@pytest.mark.model
async def test_the_same_model_served_over_http_answers_in_character_too(settings, store):
    port = free_port()
    served = EmbeddedLLM(LLMSettings(model=TEST_MODEL, temperature=0.0, max_reply_tokens=128),
                         REAL_MODELS, port=port)
    await served.load()
    client = OpenAICompatLLM(LLMSettings(backend="openai", base_url=f"http://127.0.0.1:{port}/v1",
                                         model=TEST_MODEL, temperature=0.0, max_reply_tokens=128))
    try:
        assert_itself(await answers(Companion(settings, client, store, registered_tools())))
    finally:
        await client.aclose()
        await served.aclose()
