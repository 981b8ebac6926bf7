"""Pick the configured LLM backend from the plugin registry."""

from __future__ import annotations

from os1.config import Settings
from os1.errors import ConfigError
from os1.models.base import LLM
from os1.plugins import llm_backends


def create_llm(settings: Settings) -> LLM:
    backends = llm_backends()
    factory = backends.get(settings.llm.backend)
    if factory is None:
        raise ConfigError(
            f"No LLM backend named '{settings.llm.backend}'.",
            fix=f"Set llm.backend to one of: {', '.join(sorted(backends))}.",
        )
    llm: LLM = factory(settings.llm, settings.models_dir)
    return llm
