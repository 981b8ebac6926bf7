"""One typed settings object, layered: defaults < config file < OS1_* environment < command line."""

from __future__ import annotations

import getpass
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

import platformdirs
import tomli_w
from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from os1.errors import ConfigError

DEFAULT_MODEL = "qwen2.5-coder-1.5b"


def config_path() -> Path:
    """Where the config file lives; OS1_CONFIG overrides it."""
    explicit = os.environ.get("OS1_CONFIG")
    if explicit:
        return Path(explicit)
    return Path(platformdirs.user_config_dir("os1")) / "config.toml"


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("os1"))


def _default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "me"


class LLMSettings(BaseModel):
    backend: str = Field(default="embedded", description="embedded, openai, or a plugin's backend name")
    model: str = Field(default=DEFAULT_MODEL, description="embedded catalogue name or the server's model id")
    base_url: str = Field(default="http://127.0.0.1:8080/v1", description="OpenAI-compatible server URL")
    api_key: str = Field(default="", description="key for the OpenAI-compatible server, if it needs one")
    context_tokens: int = Field(default=8192, ge=1024, le=131072)
    threads: int = Field(default=0, ge=0, description="0 = one per CPU core")
    temperature: float = Field(default=0.6, ge=0.0, le=2.0)
    seed: int | None = Field(default=None, ge=0, description="fixed sampling seed: the same prompt gets the "
                             "same reply (tests, benchmarks); unset, each reply is drawn afresh")
    max_reply_tokens: int = Field(default=512, ge=16, le=8192)
    timeout_s: float = Field(default=120.0, gt=0)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="OS1_", env_nested_delimiter="__", extra="forbid", validate_assignment=True
    )

    data_dir: Path = Field(default_factory=_default_data_dir)
    user: str = Field(default_factory=_default_user, min_length=1, max_length=64)
    timezone: str = Field("", description="IANA zone such as Europe/Berlin; empty = the machine's")
    llm: LLMSettings = Field(default_factory=LLMSettings)
    max_input_chars: int = Field(16000, ge=100, description="longer messages are refused")
    history_min_messages: int = Field(16, ge=2)
    history_max_messages: int = Field(40, ge=4)
    tool_max_steps: int = Field(4, ge=1, le=16)
    confirm: Literal["ask", "deny"] = Field("ask", description="what happens to side effects")
    files_folders: list[Path] = Field(
        default_factory=list, description="folders outside the home folder that the web page may tidy"
    )
    care_country: str = Field(
        "", pattern=r"^([A-Za-z]{2})?$", description="country code (US, GB, DE…) whose crisis lines "
        "to give; empty = the time zone's country (docs/care.md)"
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_path())
        return (init_settings, env_settings, toml)

    @property
    def db_path(self) -> Path:
        return self.data_dir / "os1.db"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"


def settings_from(ctx: Any) -> Settings:
    """The settings of a running `os1` command (a typer/click context): the root command's
    options (--data-dir, --user, ...) on top of the file and environment. Every command of every
    plugin reads its settings this way."""
    root = ctx.find_root()
    return load_settings(**(root.obj or {}))


def load_settings(**overrides: Any) -> Settings:
    """Read the settings once, with command-line overrides on top; fail loudly and helpfully."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**clean)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(
            f"The settings are invalid ({problems}).",
            fix=f"Check {config_path()} and your OS1_* environment variables.",
        ) from exc
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"Could not read the config file {config_path()}: {exc}.",
            fix="Fix or remove the file; 'os1 config show' prints the settings in effect.",
        ) from exc


def update_config(values: dict[str, Any]) -> Settings:
    """Write `values` (dotted keys such as "llm.model") into the config file, checked before it
    is kept: if the file no longer loads, the old one is put back and ConfigError raised. The
    one writer of the file (`os1 config set`, the web app's settings page). It may hold a model
    server's API key, so only its owner may read it. Returns the settings the file now gives."""
    file = config_path()
    previous = file.read_text("utf-8") if file.exists() else None
    data: dict[str, Any] = tomllib.loads(previous) if previous is not None else {}
    for key, value in values.items():
        node = data
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(tomli_w.dumps(data))
    os.chmod(tmp, 0o600)  # an older file of another mode, left by a crash
    tmp.replace(file)
    try:
        return load_settings()
    except ConfigError:
        if previous is None:
            file.unlink()
        else:
            file.write_text(previous, "utf-8")
        raise
