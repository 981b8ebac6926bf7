"""The command line, run as a real program."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.cli_helpers import INTERVIEW, os1, out, prepare_user, stored_messages


def test_config_show_set_and_refuse_invalid(isolated_env, tmp_path, monkeypatch):
    monkeypatch.delenv("OS1_LLM__TEMPERATURE")
    r = os1("config", "set", "llm.temperature", "0.3")
    assert r.returncode == 0, out(r)
    assert "temperature = 0.3" in out(os1("config", "show"))
    before = (tmp_path / "config.toml").read_text()
    r = os1("config", "set", "llm.temperature", "9")
    assert r.returncode == 2 and "llm.temperature" in out(r)
    assert (tmp_path / "config.toml").read_text() == before  # the bad value was not kept
    r = os1("--model", "qwen2.5-coder-1.5b", "config", "show")
    assert 'model = "qwen2.5-coder-1.5b"' in out(r)  # command line beats environment


def test_models_list_and_check(isolated_env):
    r = os1("models", "list")
    assert r.returncode == 0 and "qwen2.5-coder-0.5b" in out(r) and "embedded, openai" in out(r)
    r = os1("models", "check")
    assert r.returncode == 0 and "sha256 matches" in out(r)


def test_memory_show_edit_export(settings):
    prepare_user(settings.db_path)
    assert "My name is Ari" in out(os1("memory", "show"))
    r = os1("memory", "edit", "human", "--text", "Prefers to be called: Sam. Loves sailing.")
    assert r.returncode == 0, out(r)
    assert "Loves sailing" in out(os1("memory", "show"))
    r = os1("memory", "edit", "human", "--text", "x" * 3000)
    assert r.returncode == 2 and "limit" in out(r)
    r = os1("memory", "edit", "diary", "--text", "x")
    assert r.returncode == 2 and "no block" in out(r)
    data = json.loads(os1("memory", "export").stdout)
    assert data["user"] == "tester" and data["profile"]["companion_name"] == "Ari"
    assert any("Loves sailing" in b["value"] for b in data["blocks"])


def test_corrupted_model_is_refused_with_a_fix(isolated_env):
    models = isolated_env / "models"
    models.unlink()
    models.mkdir()
    with open(models / "qwen2.5-coder-0.5b.Q4_K_M.gguf", "wb") as fh:
        fh.truncate(491_400_064)  # right size, wrong bytes
    prepare_user(isolated_env / "os1.db")
    r = os1(stdin="hello\n")
    assert "failed its sha256 check" in out(r)
    assert "os1 models install qwen2.5-coder-0.5b --force" in out(r)
    (models / "qwen2.5-coder-0.5b.Q4_K_M.gguf").unlink()
    r = os1("models", "check")
    assert r.returncode == 2 and "is not installed" in out(r)


@pytest.mark.model
def test_first_run_interview_then_recall_after_restart(settings):
    first = os1(stdin="\n".join([*INTERVIEW, "My sister's name is Ingrid and she lives in Oslo."]) + "\n",
                steady=True)
    assert first.returncode == 0, out(first)
    text = out(first)
    assert "how would you like me to address you" in text and "I'd like to be called" in text
    # Facts are read in the background, and a process that ends first leaves the rest to the
    # next start, where the reading would race the first reply (and change its prompt): read
    # them now, so the second process starts from the same memory every run.
    caught_up = os1("diary", "--reflect", steady=True)
    assert caught_up.returncode == 0, out(caught_up)
    # a new process: it must remember through the stored log and core memory
    second = os1(stdin="What is my sister's name?\n", steady=True)
    assert second.returncode == 0, out(second)
    assert "Ingrid" in out(second).split("What is my sister's name?")[-1]


@pytest.mark.model
def test_bad_stdin_gets_clear_messages_and_the_conversation_goes_on(settings, monkeypatch):
    # Side effects are denied without asking: a confirmation question would read the next piped
    # line as its answer (the 0.5B sometimes answers "please say hi" with memory writes, which
    # ask once tool output is in the window), and this test is about the lines themselves.
    monkeypatch.setenv("OS1_CONFIRM", "deny")
    prepare_user(settings.db_path)
    payload = b"caf\xe9 \xff\xfe please say hi\n" + b"y" * 1_000_000 + b"\n\n" + b"Say the word ok.\n"
    r = os1(stdin=payload, steady=True)
    text = out(r)
    assert r.returncode == 0, text
    assert "not valid UTF-8" in text
    assert "1,000,000 characters; the limit is 16,000" in text
    assert "Ari:" in text  # replies kept coming

    users = [m.content for m in stored_messages(settings.db_path) if m.role == "user"]
    assert users[0].startswith("caf\ufffd") and len(users) == 2  # the 1 MB line was not stored


@pytest.mark.model
def test_ctrl_c_stops_the_reply_and_stores_it_as_interrupted(settings):
    prepare_user(settings.db_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "os1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, env={**os.environ, "COLUMNS": "200"},
    )
    os.set_blocking(proc.stdout.fileno(), False)
    proc.stdin.write(b"Write a very long story about a lighthouse keeper and her cat.\n")
    proc.stdin.flush()
    seen, deadline = b"", time.monotonic() + 120
    while b"Ari:" not in seen or len(seen.split(b"Ari:")[-1]) < 20:
        assert time.monotonic() < deadline, seen
        seen += proc.stdout.read() or b""
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    time.sleep(1.0)
    rest, _ = proc.communicate(timeout=60)  # closes stdin: end of input
    text = (seen + (rest or b"")).decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert "interrupted" in text
    assert "lighthouse" not in text.split("interrupted")[-1].lower()  # the reply really stopped

    reply = [m for m in stored_messages(settings.db_path) if m.role == "assistant"][-1]
    assert reply.status == "interrupted" and len(reply.content) >= 10


def test_memory_list_search_forget(settings):
    import asyncio

    from os1.memory.index import MemoryIndex
    from os1.models.embedder import MiniLMEmbedder
    from os1.storage.sqlite import SqliteStore

    async def seed():
        store = await SqliteStore.open(settings.db_path)
        index = MemoryIndex(store, MiniLMEmbedder())
        ids = [await index.add("tester", t, speaker="user", sources=[{"message": n}])
               for n, t in enumerate(["I adopted a grey cat called Miso.", "My sister Ingrid lives in Oslo."], 1)]
        await index.add("someone-else", "Someone else's cat secret.")
        await store.close()
        return ids

    cat, sister = asyncio.run(seed())
    listed = out(os1("memory", "list"))
    assert "Miso" in listed and "Ingrid" in listed and "secret" not in listed
    found = out(os1("memory", "search", "Do I have pets?", "--k", "1"))
    assert "Miso" in found and "message 1" in found and "semantic" in found
    assert os1("memory", "forget", str(cat), stdin="n\n").returncode == 1
    assert "Miso" in out(os1("memory", "list"))
    r = os1("memory", "forget", str(cat), "--yes")
    assert r.returncode == 0 and "Forgot 1 of 1" in out(r)
    assert "Miso" not in out(os1("memory", "search", "cat"))
