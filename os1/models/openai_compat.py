"""The `openai` backend: any OpenAI-compatible chat server (vLLM, llama.cpp server, Ollama, hosted)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Collection
from typing import Any

import httpx

from os1.config import LLMSettings
from os1.errors import ModelError, ModelProtocolError, ModelUnavailableError
from os1.models.base import ChatChunk, Message, ModelInfo, callable_tools
from os1.models.stream import StreamAssembler
from os1.plugins import hookimpl


class OpenAICompatLLM:
    def __init__(self, settings: LLMSettings) -> None:
        self.settings = settings
        self.base_url = settings.base_url.rstrip("/")
        self.info = ModelInfo("openai", settings.model, self.base_url)
        headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(settings.timeout_s, connect=10.0),
        )

    def _body(self, messages: list[Message], **extra: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.settings.model,
            "messages": messages,
            "temperature": self.settings.temperature,
            "max_tokens": self.settings.max_reply_tokens,
        }
        if self.settings.seed is not None:
            body["seed"] = self.settings.seed
        body.update({k: v for k, v in extra.items() if v is not None})
        return body

    def _unreachable(self, exc: Exception) -> ModelUnavailableError:
        return ModelUnavailableError(
            f"Cannot reach the model server at {self.base_url} ({type(exc).__name__}).",
            fix="Is it running? Check llm.base_url with 'os1 config show'.",
        )

    @staticmethod
    def _http_error(status: int, body: str) -> ModelError:
        return ModelError(
            f"The model server answered HTTP {status}: {body[:300]!r}.",
            fix="Check llm.model and llm.api_key with 'os1 config show'.",
        )

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
        # Only the tools it may call, the usual way: a server on a GPU reads a changed prompt
        # quickly (the embedded model describes them after the history, see with_tools_late).
        tools = callable_tools(tools, allowed)
        body = self._body(
            messages, tools=tools or None, temperature=temperature, max_tokens=max_tokens
        )
        if must_call and tools:
            body["tool_choice"] = "required"
        body["stream"] = True
        assembler = StreamAssembler({t["function"]["name"] for t in tools})
        try:
            async with self._client.stream("POST", "/chat/completions", json=body) as resp:
                if resp.status_code >= 400:
                    text = (await resp.aread()).decode("utf-8", "replace")
                    raise self._http_error(resp.status_code, text)
                async for line in resp.aiter_lines():
                    line = line.strip()
                    if not line or line.startswith(":"):
                        continue
                    if not line.startswith("data:"):
                        raise ModelProtocolError(
                            f"The model server sent a non-SSE line: {line[:200]!r}.",
                            fix="Check that llm.base_url is an OpenAI-compatible /v1 endpoint.",
                        )
                    data = line[5:].strip()
                    if data == "[DONE]":
                        break
                    try:
                        raw = json.loads(data)
                    except json.JSONDecodeError as exc:
                        raise ModelProtocolError(
                            f"The model server sent invalid JSON: {data[:200]!r}."
                        ) from exc
                    for chunk in assembler.feed(raw):
                        yield chunk
            for chunk in assembler.close():
                yield chunk
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise self._unreachable(exc) from exc
        except (httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise ModelUnavailableError(
                f"The model server at {self.base_url} stopped answering ({type(exc).__name__}).",
                fix="Check the server's health and try again.",
            ) from exc

    async def complete_json(
        self,
        messages: list[Message],
        schema: dict[str, Any],
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
        background: bool = False,  # a server schedules concurrent requests itself
    ) -> dict[str, Any]:
        body = self._body(
            messages,
            temperature=temperature,
            max_tokens=max_tokens,
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "reply", "schema": schema},
            },
        )
        try:
            resp = await self._client.post("/chat/completions", json=body)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise self._unreachable(exc) from exc
        except httpx.HTTPError as exc:
            raise ModelUnavailableError(f"The model server failed: {type(exc).__name__}.") from exc
        if resp.status_code >= 400:
            raise self._http_error(resp.status_code, resp.text)
        try:
            content = resp.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ModelProtocolError(
                f"The model server's reply is not a chat completion: {resp.text[:200]!r}."
            ) from exc
        return _parse_json_object(content)

    async def aclose(self) -> None:
        await self._client.aclose()


async def server_models(base_url: str, api_key: str = "", timeout_s: float = 5.0) -> list[str]:
    """The model ids an OpenAI-compatible server lists at /models: asked before the companion
    is switched to it, so that a wrong address or model name is said at once, not at the
    next turn. Raises ModelUnavailableError (no answer) or ModelError (a refusal or not the API)."""
    url = base_url.rstrip("/") + "/models"
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    try:
        async with httpx.AsyncClient(timeout=timeout_s) as client:
            resp = await client.get(url, headers=headers)
    except httpx.HTTPError as exc:
        raise ModelUnavailableError(
            f"Cannot reach the model server at {base_url} ({type(exc).__name__}).",
            fix="Is it running, and is the address right (it usually ends in /v1)?",
        ) from exc
    if resp.status_code in (401, 403):
        raise ModelError(f"The model server at {base_url} refused the API key (HTTP {resp.status_code}).",
                         fix="Check the key.")
    if resp.status_code >= 400:
        raise OpenAICompatLLM._http_error(resp.status_code, resp.text)
    try:
        return [str(m["id"]) for m in resp.json()["data"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelProtocolError(
            f"{url} did not answer with a list of models: {resp.text[:200]!r}.",
            fix="Check that the address is an OpenAI-compatible /v1 endpoint.",
        ) from exc


def _parse_json_object(content: Any) -> dict[str, Any]:
    """Servers without grammar support may wrap JSON in a code fence; accept that, nothing looser."""
    if not isinstance(content, str):
        raise ModelProtocolError("The model returned no text where JSON was expected.")
    fenced = re.search(r"```(?:json)?\s*(.*?)```", content, re.S)
    text = fenced.group(1) if fenced else content
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelProtocolError(f"The model returned invalid JSON: {content[:200]!r}.") from exc
    if not isinstance(value, dict):
        raise ModelProtocolError("The model returned JSON that is not an object.")
    return value


@hookimpl
def register_llm_backends(register: Any) -> None:
    register("openai", lambda settings, models_dir: OpenAICompatLLM(settings))
