"""Changing the model from the settings page, against a real OpenAI-compatible server on
127.0.0.1: a second OS1 server's own /v1 API, with a key (its scripted model records what it
was asked). The choice is checked before anything is kept, written to the config file,
and the running companion answers with it from the next message on."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import openai
import pytest
from conftest import PASSWORD, account
from web_helpers import free_port, running

from os1.config import Settings, config_path, load_settings
from os1.core.conversation import Companion
from os1.core.runtime import open_store
from os1.interfaces.web.server import create_app
from os1.models.embedded import EmbeddedLLM
from os1.models.openai_compat import OpenAICompatLLM
from os1.plugins import tools as registered_tools
from tests.fakes import ScriptedLLM

EMBEDDED = "qwen2.5-coder-0.5b"


@pytest.fixture
async def peer(tmp_path: Path) -> AsyncIterator[dict[str, Any]]:
    """Another OS1 server, its own data dir and model: an OpenAI-compatible peer with a key."""
    settings = load_settings(data_dir=tmp_path / "peer")
    store = await open_store(settings)
    llm = ScriptedLLM("Hello from the peer server.")
    port = free_port()
    app = create_app(settings, base_url=f"http://127.0.0.1:{port}",
                     companion=Companion(settings, llm, store, registered_tools()))
    accounts = app.state.web.accounts
    await accounts.create(accounts.new_setup_token(), "peer", PASSWORD)
    key = await accounts.new_key("peer")
    async with running(app, port) as base:
        yield {"url": f"{base}/v1", "key": key, "llm": llm, "store": store}
    await store.close()


def config_llm() -> dict[str, Any]:
    path = config_path()
    return tomllib.loads(path.read_text("utf-8")).get("llm", {}) if path.exists() else {}


async def test_switch_to_a_server_it_answers_then_back(served, peer):
    alice = await account(served, "alice")  # the first account: the owner
    state = served["app"].state.web
    page = (await alice.get("/settings")).text
    assert 'id="model-form"' in page and f'value="embedded:{EMBEDDED}"' in page
    radio = re.search(rf'<input type="radio" name="pick" value="embedded:{EMBEDDED}"[^>]*>', page)
    assert radio is not None and "disabled" not in radio.group(0)  # installed: it may be chosen

    switched = await alice.post("/settings/model", {
        "pick": "openai", "server_url": peer["url"], "server_model": "os1", "api_key": peer["key"]})
    assert switched.status_code == 303, switched.text[-800:]
    # the tests' environment names a model (OS1_LLM__MODEL): the page says it wins at the next start
    assert switched.headers["location"] == "/settings?saved=model-env#model"
    assert config_llm() == {"backend": "openai", "model": "os1", "base_url": peer["url"], "api_key": peer["key"]}
    assert os.stat(config_path()).st_mode & 0o077 == 0  # it holds a key: the owner's alone
    page = (await alice.get("/settings")).text
    assert "<dd>openai</dd>" in page and "<dd>os1</dd>" in page and peer["key"] not in page
    assert isinstance(state.model.current, OpenAICompatLLM)

    # a turn through the running server is answered by the peer, which saw the words
    key = await state.accounts.new_key("alice")
    client = openai.AsyncOpenAI(base_url=served["base"] + "/v1", api_key=key, max_retries=0)
    reply = await client.chat.completions.create(model="os1", messages=[{"role": "user", "content": "Who is there?"}])
    assert reply.choices[0].message.content == "Hello from the peer server."
    assert served["llm"].prompts == []  # the first model was not asked
    assert any("Who is there?" in str(m.get("content")) for m in peer["llm"].prompts[-1])
    stored = [(m.role, m.content) for m in await served["store"].messages("alice")]
    assert stored == [("user", "Who is there?"), ("assistant", "Hello from the peer server.")]

    back = await alice.post("/settings/model", {"pick": f"embedded:{EMBEDDED}"})
    assert back.status_code == 303
    assert (config_llm()["backend"], config_llm()["model"]) == ("embedded", EMBEDDED)
    assert (served["settings"].llm.backend, served["settings"].llm.model) == ("embedded", EMBEDDED)
    assert isinstance(state.model.current, EmbeddedLLM) and state.model.info.name == EMBEDDED
    await state.model.settled()  # the server's client is closed once nothing uses it
    await client.close()
    await alice.aclose()


async def test_a_bad_choice_is_said_and_changes_nothing(served, peer):
    alice = await account(served, "alice")
    state = served["app"].state.web
    before = served["settings"].llm.model_copy()
    dead = f"http://127.0.0.1:{free_port()}/v1"
    cases = [
        ({"pick": "openai", "server_url": dead, "server_model": "os1"}, "Cannot reach the model server"),
        ({"pick": "openai", "server_url": peer["url"], "server_model": "gpt-9", "api_key": peer["key"]},
         "has no model named &#39;gpt-9&#39;. It lists: os1."),
        ({"pick": "openai", "server_url": peer["url"], "server_model": "os1", "api_key": "os1-wrong"},
         "refused the API key"),
        ({"pick": "openai", "server_url": "127.0.0.1:8080", "server_model": "os1"}, "starting with http://"),
        ({"pick": "embedded:no-such-model"}, "Choose one of the models listed."),
    ]
    for form, words in cases:
        refused = await alice.post("/settings/model", form)
        assert refused.status_code == 400 and words in refused.text, (form, refused.text[-1500:])
        if form.get("server_url"):
            assert f'value="{form["server_url"]}"' in refused.text  # what was typed stays
        assert "os1-wrong" not in refused.text and peer["key"] not in refused.text  # a key is never shown
    assert not config_path().exists()
    assert served["settings"].llm == before and state.model.current is served["llm"]
    assert peer["llm"].prompts == []
    await alice.aclose()


async def test_only_the_owner_may_change_it(served, peer):
    alice = await account(served, "alice")
    bob = await account(served, "bob")
    page = (await bob.get("/settings")).text
    assert 'id="model-form"' not in page and "Only alice" in page
    refused = await bob.post("/settings/model", {
        "pick": "openai", "server_url": peer["url"], "server_model": "os1", "api_key": peer["key"]})
    assert refused.status_code == 403 and "Only alice" in refused.text
    assert not config_path().exists() and served["settings"].llm.backend == "embedded"
    assert peer["llm"].prompts == []
    await alice.aclose()
    await bob.aclose()


def test_the_cli_writes_the_same_file(tmp_path: Path) -> None:
    """`os1 config set` and the page share one writer: what one writes, the other reads."""
    from os1.config import update_config

    update_config({"llm.backend": "openai", "llm.model": "m"})
    update_config({"llm.api_key": "k"})
    assert config_llm() == {"backend": "openai", "model": "m", "api_key": "k"}
    s = Settings()
    assert (s.llm.backend, s.llm.api_key) == ("openai", "k")


def test_models_not_installed_are_shown_but_refused(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from os1.errors import InputError
    from os1.interfaces.web.model_switch import embedded_choices, wanted_settings

    state: Any = SimpleNamespace(settings=SimpleNamespace(models_dir=tmp_path, llm=load_settings().llm))
    assert [(c.name, c.installed) for c in embedded_choices(state)] == [
        ("qwen2.5-coder-1.5b", False), (EMBEDDED, False)]
    with pytest.raises(InputError, match="not installed") as err:
        wanted_settings(state, "embedded", EMBEDDED, "", "", False)
    assert f"os1 models install {EMBEDDED}" in err.value.fix


def test_a_saved_key_goes_only_to_its_own_server(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from os1.interfaces.web.model_switch import wanted_settings

    llm = load_settings().llm.model_copy(update={"backend": "openai", "base_url": "http://10.0.0.2:8080/v1",
                                                 "api_key": "secret"})
    state: Any = SimpleNamespace(settings=SimpleNamespace(models_dir=tmp_path, llm=llm))
    same = wanted_settings(state, "openai", "m", "http://10.0.0.2:8080/v1/", "", False)
    assert same.api_key == "secret" and same.base_url == "http://10.0.0.2:8080/v1"
    assert wanted_settings(state, "openai", "m", "http://evil.example/v1", "", False).api_key == ""
    assert wanted_settings(state, "openai", "m", "http://10.0.0.2:8080/v1", "", True).api_key == ""
    assert wanted_settings(state, "openai", "m", "http://10.0.0.2:8080/v1", "new", False).api_key == "new"
