"""Changing the companion's model from the settings page: an embedded model of the catalogue
that is installed, or an OpenAI-compatible server.

A choice is checked before anything is kept (the model's file is in place; the server answers
its /models within seconds and lists the model), then written to the configuration file the
way `os1 config set` writes it, and swapped into the running companion: the next turn uses
it, a turn under way finishes on the old one (os1/models/switch.py). An embedded model then
starts loading at once, in the background (a job of the server's, jobs.py), so that its first
reply does not wait seconds for it; the page shows "loading…", then "ready".
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from os1.config import LLMSettings, update_config
from os1.errors import ConfigError, InputError, ModelError
from os1.interfaces.web.jobs import Job
from os1.interfaces.web.server import WebState
from os1.models.catalog import CATALOG, installed
from os1.models.embedded import EmbeddedLLM
from os1.models.factory import create_llm
from os1.models.openai_compat import server_models

CHECK_TIMEOUT_S = 5.0  # a server on this machine or the network answers /models in far less
# The model is the server's, not an account's: its loading is one job under no user's name.
LOADING = ("", "model")


@dataclass(frozen=True)
class Choice:
    """An embedded model of the catalogue, and whether it can be used now."""

    name: str
    description: str
    installed: bool


def embedded_choices(state: WebState) -> list[Choice]:
    models_dir = state.settings.models_dir
    return [Choice(m.name, m.description, installed(m, models_dir)) for m in CATALOG.values()]


def wanted_settings(
    state: WebState, backend: str, model: str, base_url: str, api_key: str, forget_key: bool,
) -> LLMSettings:
    """What the form asks for, on top of the settings in use (temperature, context, ... stay).
    An empty key keeps the saved one, but only for the same server: a key is never sent to
    another address than the one it was given for."""
    now = state.settings.llm
    if backend == "embedded":
        entry = CATALOG.get(model)
        if entry is None:
            raise InputError("Choose one of the models listed.")
        if not installed(entry, state.settings.models_dir):
            raise InputError(f"The model {model} is not installed on this computer.",
                             fix=f"Install it with 'os1 models install {model}', then choose it again.")
        return now.model_copy(update={"backend": "embedded", "model": model})
    if backend != "openai":
        raise InputError("Choose an embedded model or an OpenAI-compatible server.")
    base_url, model = base_url.strip().rstrip("/"), model.strip()
    if not base_url.startswith(("http://", "https://")) or len(base_url) < 10:
        raise InputError("Give the server's address, starting with http:// or https:// "
                         "(for example http://127.0.0.1:8080/v1).")
    if not model:
        raise InputError("Give the name of the server's model.")
    key = api_key.strip()
    if not key and not forget_key and base_url == now.base_url.rstrip("/"):
        key = now.api_key
    return now.model_copy(update={"backend": "openai", "model": model, "base_url": base_url, "api_key": key})


async def check_server(wanted: LLMSettings) -> None:
    """The server answers and lists the model; else an InputError that says which is wrong."""
    try:
        ids = await server_models(wanted.base_url, wanted.api_key, CHECK_TIMEOUT_S)
    except ModelError as exc:
        raise InputError(f"Nothing was changed. {exc.message}", fix=exc.fix) from None
    if wanted.model not in ids:
        listed = ", ".join(ids[:10]) or "none"
        raise InputError(f"Nothing was changed: the server at {wanted.base_url} has no model "
                         f"named '{wanted.model}'. It lists: {listed}.")


async def switch_model(state: WebState, wanted: LLMSettings) -> bool:
    """Check `wanted`, keep it in the configuration file, and swap it in. Returns whether an
    OS1_LLM__* environment variable overrides the file (then the next start uses another)."""
    async with state.model_lock:
        if wanted.backend == "openai":
            await check_server(wanted)
        fields = ("backend", "model") + (("base_url", "api_key") if wanted.backend == "openai" else ())
        values = {f"llm.{k}": getattr(wanted, k) for k in fields}
        try:
            from_file = await asyncio.to_thread(update_config, values)
        except ConfigError as exc:
            raise InputError(f"Nothing was changed: {exc.message}", fix=exc.fix) from None
        for settings in {id(s): s for s in (state.settings, state.core.settings)}.values():
            settings.llm = wanted
        await stop_loading(state)
        llm = create_llm(state.core.settings)
        state.model.swap(llm)
        if isinstance(llm, EmbeddedLLM):
            state.jobs.start(*LOADING, lambda _: _load(llm))
    return any(getattr(from_file.llm, k) != getattr(wanted, k) for k in fields)


async def _load(llm: EmbeddedLLM) -> None:
    """Into memory, in a thread (EmbeddedLLM.load); the job keeps no reference to the engine,
    which goes when the model is replaced."""
    await llm.load()


async def stop_loading(state: WebState) -> None:
    """A model still loading when another is chosen is not loaded for nothing (its engine,
    once built, is dropped)."""
    job = state.jobs.get(*LOADING)
    if job is not None and job.task is not None and job.running:
        job.task.cancel()
        await asyncio.gather(job.task, return_exceptions=True)
    state.jobs.dismiss(*LOADING)


def model_state(state: WebState) -> str:
    """How the model in use is, in words for the settings page: an embedded model is "ready"
    once in memory; a server's model has nothing to load ("")."""
    llm = state.model.current
    if not isinstance(llm, EmbeddedLLM):
        return ""
    if llm.loaded:
        return "ready"
    job: Job | None = state.jobs.get(*LOADING)
    if job is not None and job.running:
        return "loading…"
    if job is not None and job.error:
        return f"not loaded: {job.error}"
    return "loads with its first reply"
