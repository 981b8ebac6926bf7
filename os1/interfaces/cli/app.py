"""The `os1` command line. Global options are the top layer of the one settings object."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from os1.config import settings_from
from os1.errors import OS1Error
from os1.plugins import get_plugin_manager

app = typer.Typer(
    help="OS1: your local-first personal companion. Run with no command to talk.",
    no_args_is_help=False,
    add_completion=False,
)
console = Console(highlight=False)


@app.callback(invoke_without_command=True)
def main_options(
    ctx: typer.Context,
    user: str | None = typer.Option(None, help="Whose companion (default: your login name)."),
    model: str | None = typer.Option(None, help="Embedded model name or server model id."),
    backend: str | None = typer.Option(None, help="LLM backend: embedded, openai, or a plugin's."),
    base_url: str | None = typer.Option(None, help="OpenAI-compatible server URL (openai backend)."),
    data_dir: Path | None = typer.Option(None, help="Where OS1 keeps its database and models."),
) -> None:
    llm = {k: v for k, v in {"model": model, "backend": backend, "base_url": base_url}.items() if v}
    overrides: dict[str, Any] = {"user": user, "data_dir": data_dir}
    if llm:
        overrides["llm"] = llm
    ctx.obj = overrides
    if ctx.invoked_subcommand is None:
        raise typer.Exit(_chat(ctx))


def _chat(ctx: typer.Context) -> int:
    from os1.interfaces.cli.chat import run_chat

    return run_chat(settings_from(ctx))


@app.command()
def chat(ctx: typer.Context) -> None:
    """Talk with your companion (the interview comes first, on the first run)."""
    raise typer.Exit(_chat(ctx))


@app.command()
def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", help="Address to listen on (this machine only by default)."),
    port: int = typer.Option(8000, help="Port to listen on."),
    invite: bool = typer.Option(False, "--invite", help="Print a one-time link to make another account."),
    tls: bool = typer.Option(False, "--tls", help="HTTPS with this machine's own certificate authority (phones)."),
) -> None:
    """Serve your companion in the browser and as an OpenAI-compatible API."""
    from os1.interfaces.web.server import serve as run_server

    raise typer.Exit(run_server(settings_from(ctx), host, port, invite=invite, tls=tls))


def main() -> None:
    get_plugin_manager().hook.register_commands(cli=app)
    try:
        app()
    except OS1Error as exc:
        console.print(f"[red]{escape(exc.message)}[/]")
        if exc.fix:
            console.print(escape(exc.fix))
        raise SystemExit(2) from None
