"""`os1 config show|path|set`: the settings in effect and the file that holds yours."""

from __future__ import annotations

from typing import Any

import tomli_w
import typer
from rich.console import Console

from os1.config import config_path, update_config
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
    parsed: Any = value
    for conv in (int, float):
        try:
            parsed = conv(value)
            break
        except ValueError:
            continue
    if value.lower() in ("true", "false"):
        parsed = value.lower() == "true"
    update_config({key: parsed})
    file = config_path()
    console.print(f"Set {key} = {parsed!r} in {file}.")


@hookimpl
def register_commands(cli: typer.Typer) -> None:
    cli.add_typer(app, name="config")
