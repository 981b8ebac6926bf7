"""`os1 config show|path|set`: the settings in effect and the file that holds yours."""

from __future__ import annotations

import tomllib
from typing import Any

import tomli_w
import typer
from rich.console import Console

from os1.config import config_path, load_settings
from os1.errors import ConfigError
from os1.plugins import hookimpl

app = typer.Typer(help="Show or change OS1's settings.", no_args_is_help=True)
console = Console(highlight=False)


@app.command()
def show(ctx: typer.Context) -> None:
    """Print the settings in effect (defaults < config file < OS1_* environment < options)."""
    from os1.config import settings_from

    s = settings_from(ctx)
    data = s.model_dump(mode="json", exclude_none=True)  # TOML has no null: an unset value is left out
    if data["llm"].get("api_key"):
        data["llm"]["api_key"] = "***"
    typer.echo(f"# config file: {config_path()}")
    typer.echo(tomli_w.dumps(data))


@app.command()
def path() -> None:
    """Print where the config file is."""
    typer.echo(str(config_path()))


@app.command("set")
def set_(key: str = typer.Argument(..., help="e.g. llm.model"), value: str = typer.Argument(...)) -> None:
    """Set a value in the config file, checked before it is written."""
    file = config_path()
    data: dict[str, Any] = tomllib.loads(file.read_text("utf-8")) if file.exists() else {}
    node = data
    parts = key.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    parsed: Any = value
    for conv in (int, float):
        try:
            parsed = conv(value)
            break
        except ValueError:
            continue
    if value.lower() in ("true", "false"):
        parsed = value.lower() == "true"
    node[parts[-1]] = parsed
    candidate = tomli_w.dumps(data)
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_suffix(".tmp")
    tmp.write_text(candidate, "utf-8")
    previous = file.read_text("utf-8") if file.exists() else None
    tmp.replace(file)
    try:
        load_settings()
    except ConfigError:
        if previous is None:
            file.unlink()
        else:
            file.write_text(previous, "utf-8")
        raise
    console.print(f"Set {key} = {parsed!r} in {file}.")


@hookimpl
def register_commands(cli: typer.Typer) -> None:
    cli.add_typer(app, name="config")
