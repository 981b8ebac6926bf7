"""The embedded backend: llama.cpp in-process (xllamacpp), running a verified GGUF from the catalogue.

xllamacpp is chosen over llama-cpp-python because it ships prebuilt wheels (2 s to install
instead of an ~11 minute compile on 2 cores) and exposes llama.cpp's own server engine: prompt
caching, JSON-schema grammars and OpenAI-format chat, the same format as the `openai` backend.
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import secrets
import threading
from collections.abc import AsyncIterator, Collection
from pathlib import Path
from typing import Any

from os1.config import LLMSettings
from os1.errors import ModelBusyError, ModelError, ModelMissingError, ModelProtocolError
from os1.models.base import HELPDESK_WORDS, ChatChunk, Message, ModelInfo, callable_tools
from os1.models.catalog import CATALOG, lookup
from os1.models.grammar import reply_grammar, with_tools_late
from os1.models.install import verify
from os1.models.stream import StreamAssembler
from os1.plugins import hookimpl

_DONE = object()
BACKGROUND_CONTEXT = 4096  # extra KV cells for the background slot
# Prompt tokens read per step. A background request reading a long prompt (fact extraction,
# reflection: ~1,000 tokens) is only stopped between steps, so a reply that arrives meanwhile
# waits for the rest of the step: with llama.cpp's default of 2,048 that was the whole prompt
# (voice turns waited 5-20 s for their first token). See bench/memory/slots.py.
PROMPT_STEP_TOKENS = 64
# Cached chunks of at least this many tokens are shifted into place when something earlier in
# the prompt was *removed* (a tool set that shrank: 11.8 s -> 0.44 s on the 0.5B), though not
# after an insertion (bench/voice/prompt_cache.py). The tools are now described after the
# history (with_tools_late), so this is a safety net, e.g. for a memory block that got shorter.
CACHE_REUSE_TOKENS = 64


def resolve_model_path(name: str, models_dir: Path) -> Path:
    """A catalogue name (verified) or a path to the user's own .gguf file (theirs to trust)."""
    entry = lookup(name)
    if entry is not None:
        path = models_dir / entry.filename
        verify(entry, path)
        return path
    path = Path(name).expanduser()
    if path.suffix == ".gguf" and path.exists():
        return path
    raise ModelMissingError(
        f"Unknown embedded model '{name}'.",
        fix=f"Use one of {', '.join(CATALOG)} or the path of a .gguf file.",
    )


class EmbeddedLLM:
    """Loads lazily on first use (or `await load()`); one server engine, thread-safe calls."""

    def __init__(self, settings: LLMSettings, models_dir: Path, *, port: int = 0) -> None:
        self.settings = settings
        self.models_dir = models_dir
        self.port = port
        self.info = ModelInfo("embedded", settings.model)
        entry = lookup(settings.model)
        self.call_tokens = entry.call_tokens if entry else None  # None: the user's own GGUF
        self._server: Any = None
        self._lock = asyncio.Lock()
        self._foreground = 0  # requests the user is waiting for; background work yields to them
        # Engine calls of streams closed early, still finishing the step they were computing
        self._stopping: set[asyncio.Future[None]] = set()

    def params(self) -> Any:
        """llama.cpp's parameters for this model (the benchmark builds its direct run from them)."""
        import xllamacpp as xlc

        path = resolve_model_path(self.settings.model, self.models_dir)
        threads = self.settings.threads or os.cpu_count() or 2
        params = xlc.CommonParams()
        params.model.path = str(path)
        # Two slots sharing one KV cache: background work (memory extraction, reflection) runs
        # in the second, so a reply never queues behind it and can start while it is still
        # reading its prompt; the background request then stops at its next step. The
        # conversation's cached prompt survives background work either way (llama.cpp keeps
        # idle slots' prompts): measured in bench/memory/slots.py.
        params.n_ctx = self.settings.context_tokens + BACKGROUND_CONTEXT
        params.n_parallel = 2
        params.n_batch = params.n_ubatch = PROMPT_STEP_TOKENS
        params.n_cache_reuse = CACHE_REUSE_TOKENS
        params.kv_unified = True
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.use_jinja = True
        params.cache_prompt = True
        params.verbosity = -1
        params.port = self.port
        if not self.port:
            # llama.cpp always listens on loopback; a random key keeps other local users out.
            params.api_keys = [secrets.token_hex(16)]
        return params

    def _build(self) -> Any:
        import xllamacpp as xlc

        params = self.params()
        try:
            return xlc.Server(params)
        except Exception as exc:  # the engine reports load failures as generic errors
            raise ModelError(
                f"llama.cpp could not load {params.model.path}: {exc}.",
                fix="Run 'os1 models check' to verify the file.",
            ) from exc

    async def load(self) -> Any:
        async with self._lock:
            if self._server is None:
                self._server = await asyncio.to_thread(self._build)
        return self._server

    @property
    def loaded(self) -> bool:
        """The model is in memory: a reply starts without loading it first."""
        return self._server is not None

    @property
    def listening_address(self) -> str:
        return str(self._server.listening_address) if self._server else ""

    def _request(self, messages: list[Message], **extra: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "messages": messages,
            "temperature": self.settings.temperature,
            "max_tokens": self.settings.max_reply_tokens,
            "cache_prompt": True,
        }
        if self.settings.seed is not None:
            body["seed"] = self.settings.seed
        body.update({k: v for k, v in extra.items() if v is not None})
        return body

    async def stream_chat(
        self,
        messages: list[Message],
        *,
        tools: list[dict[str, Any]] | None = None,
        allowed: Collection[str] | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        background: bool = False,
        must_call: bool = False,
    ) -> AsyncIterator[ChatChunk]:
        server = await self.load()
        callable_ = callable_tools(tools, allowed)
        callable_names = {t["function"]["name"] for t in callable_}
        extra: dict[str, Any] = {"tools": callable_ or None}  # llama.cpp's own tool grammar
        if must_call and callable_:
            extra["tool_choice"] = "required"
        if tools and self.call_tokens:  # a catalogue model: the tools after the history
            messages = with_tools_late(messages, callable_)
            extra = {"grammar": reply_grammar(callable_, self.call_tokens, must_call=must_call)}
        if not background:  # a reply to the user: never in a help desk's words
            extra["logit_bias"] = [[word, False] for word in HELPDESK_WORDS]
        body = self._request(messages, temperature=temperature, max_tokens=max_tokens, **extra)
        if background:
            async for chunk in self._stream(server, body, callable_names, yield_to_foreground=True):
                yield chunk
            return
        self._foreground += 1
        try:
            async for chunk in self._stream(server, body, callable_names):
                yield chunk
        finally:
            self._foreground -= 1

    async def _stream(
        self, server: Any, body: dict[str, Any], tool_names: set[str],
        *, yield_to_foreground: bool = False,
    ) -> AsyncIterator[ChatChunk]:
        body["stream"] = True
        # A chunk after each prompt step, so that closing the stream stops the read there:
        # background work a reply wants the model for, a read-ahead the turn has no use for
        # (without it, a stopped read-ahead of 400 tokens held the slot for 4 s).
        body["return_progress"] = True
        loop = asyncio.get_running_loop()
        # The engine's thread only appends; the event loop is woken once per batch, not once
        # per token, so Python takes as little CPU as possible from llama.cpp's own threads.
        pending: collections.deque[Any] = collections.deque()
        ready = asyncio.Event()
        stop = threading.Event()
        woken = threading.Event()

        def wake() -> None:
            if not woken.is_set():
                woken.set()
                loop.call_soon_threadsafe(ready.set)

        def on_chunk(chunk: Any) -> bool:
            pending.append(chunk)
            wake()
            if yield_to_foreground and self._foreground:
                stop.set()
            return stop.is_set()

        def run() -> None:
            try:
                server.handle_chat_completions(body, on_chunk)
            except Exception as exc:  # surfaced to the consumer below
                pending.append(exc)
            pending.append(_DONE)
            wake()

        assembler = StreamAssembler(tool_names)
        # Background work does not start while a reply is being written: llama.cpp computes
        # the slots' tokens in one batch, and at temperature 0 a reply's words could change
        # with what happened to be beside it (likely why a CLI test's answer flipped between
        # runs: the second process resumed fact extraction 2 s after start, during its reply).
        # Background work already running stops at its next step; the reply does not wait for
        # that (waiting for the step in flight: first token 0.7-1.1 s against 0.3-0.4 s,
        # bench/memory/slots.py measure_reading).
        await self._settle()
        if yield_to_foreground and self._foreground:
            raise ModelBusyError("Background work waits: the conversation needs the model.")
        worker = loop.run_in_executor(None, run)
        finished = False
        try:
            while not finished:
                await ready.wait()
                ready.clear()
                woken.clear()
                while pending:
                    item = pending.popleft()
                    if item is _DONE:
                        finished = True
                        break
                    if isinstance(item, Exception):
                        raise ModelError(f"The embedded model failed: {item}.") from item
                    if isinstance(item, dict) and "error" in item:
                        raise ModelProtocolError(f"The embedded model refused: {item['error']}.")
                    if isinstance(item, dict) and "prompt_progress" in item and not item.get("choices"):
                        continue
                    for chunk in assembler.feed(item):
                        yield chunk
            if yield_to_foreground and stop.is_set():
                raise ModelBusyError("Background work stopped: the conversation needs the model.")
            for chunk in assembler.close():
                yield chunk
        finally:
            stop.set()
            if finished:
                await asyncio.shield(worker)
            else:
                # Closed early (barge-in, a read-ahead no longer wanted): the engine stops at
                # the end of the step it is computing (a token, or PROMPT_STEP_TOKENS of a
                # prompt) and what it makes is dropped. The caller does not wait for that
                # step: under CPU steal one token took 0.7 s and held the barge-in with it.
                self._stopping.add(worker)
                worker.add_done_callback(self._stopping.discard)

    async def _settle(self) -> None:
        """Wait for the steps of streams closed early: a request issued meanwhile would find
        their slot busy and read its whole prompt in the other one."""
        if self._stopping:
            await asyncio.wait(set(self._stopping))

    async def complete_json(
        self,
        messages: list[Message],
        schema: dict[str, Any],
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
        background: bool = False,
    ) -> dict[str, Any]:
        server = await self.load()
        body = self._request(
            messages,
            temperature=temperature,
            max_tokens=max_tokens,
            # llama.cpp's own `json_schema` field: measured here at 14 tokens/s where the same
            # schema via `response_format` or a `grammar` string crawled at 0.4 tokens/s.
            json_schema=schema,
        )
        if not background:
            self._foreground += 1
        try:
            parts = [
                chunk.text
                async for chunk in self._stream(server, body, set(), yield_to_foreground=background)
            ]
        finally:
            if not background:
                self._foreground -= 1
        try:
            value = json.loads("".join(parts))
        except json.JSONDecodeError as exc:
            raise ModelProtocolError(f"The embedded model returned no valid JSON: {exc}.") from exc
        if not isinstance(value, dict):
            raise ModelProtocolError("The embedded model returned JSON that is not an object.")
        return value

    async def aclose(self) -> None:
        await self._settle()
        # Dropping the last reference stops llama.cpp's loop and frees the model.
        self._server = None


@hookimpl
def register_llm_backends(register: Any) -> None:
    register("embedded", lambda settings, models_dir: EmbeddedLLM(settings, models_dir))
