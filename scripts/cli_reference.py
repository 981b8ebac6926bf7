"""Write the `os1` command reference (docs/cli.md) from the commands' own --help.

    .venv/bin/python scripts/cli_reference.py > docs/cli.md    # regenerate
    .venv/bin/python scripts/cli_reference.py --check          # fail if docs/cli.md is stale

It walks the click tree that typer builds from `os1.interfaces.cli.app` (with every plugin's
commands registered, as `os1` itself does) and formats each command's help with click's plain
formatter at a fixed width, so the output is the same on every machine and terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

WIDTH = 100
DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def root_command() -> Any:
    """The `os1` command with the plugins' commands, as `os1.interfaces.cli.app.main` builds it."""
    import typer

    from os1.interfaces.cli.app import app
    from os1.plugins import get_plugin_manager

    get_plugin_manager().hook.register_commands(cli=app)
    return typer.main.get_command(app)


def context(command: Any, name: str, parent: Any = None) -> Any:
    """A click context of fixed width (typer ships its own copy of click: use the command's)."""
    return command.context_class(command, info_name=name, parent=parent,
                                 terminal_width=WIDTH, max_content_width=WIDTH)


def plain_help(command: Any, ctx: Any) -> str:
    """The command's help without typer's rich panels: stable, and readable as Markdown code."""
    mode = getattr(command, "rich_markup_mode", None)
    command.rich_markup_mode = None
    try:
        return str(command.get_help(ctx)).rstrip() + "\n"
    finally:
        command.rich_markup_mode = mode


def walk(command: Any, ctx: Any) -> list[tuple[str, str]]:
    """(command path, help) for this command and every visible subcommand, in name order."""
    pages = [(ctx.command_path, plain_help(command, ctx))]
    if hasattr(command, "list_commands"):
        for name in sorted(command.list_commands(ctx)):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            pages += walk(sub, context(sub, name, ctx))
    return pages


def render() -> str:
    """The whole reference as Markdown."""
    os.environ["NO_COLOR"] = "1"
    os.environ["COLUMNS"] = str(WIDTH)
    root = root_command()
    pages = walk(root, context(root, "os1"))
    out = ["# Command reference", "",
           "Generated from `os1 --help` by `scripts/cli_reference.py`; do not edit by hand",
           "(`.venv/bin/python scripts/cli_reference.py > docs/cli.md` regenerates it).", ""]
    out += [f"- [`{path}`](#{path.replace(' ', '-')})" for path, _ in pages]
    for path, text in pages:
        out += ["", f"## {path}", "", "```text", text.rstrip(), "```"]
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if docs/cli.md differs from a fresh generation")
    args = ap.parse_args()
    text = render()
    if args.check:
        if not DOC.exists() or DOC.read_text() != text:
            print(f"{DOC} is stale: run .venv/bin/python scripts/cli_reference.py > docs/cli.md", file=sys.stderr)
            return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
