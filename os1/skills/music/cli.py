"""`os1 music …`: compose a piece for a moment, list the pieces, play one, export one."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from os1.core.commands import with_store
from os1.errors import OS1Error

console = Console(highlight=False)
music_app = typer.Typer(help="Piano pieces OS1 composes for a moment.", no_args_is_help=True)


def _missing(n: int) -> OS1Error:
    return OS1Error(f"There is no piece #{n}.", fix="See the pieces with: os1 music list.")


@music_app.command("compose")
def compose_(
    ctx: typer.Context,
    moment: str = typer.Argument(..., help="what the piece is for, e.g. 'our day at the beach'"),
    seed: int | None = typer.Option(None, help="the same seed and moment give the same piece"),
    seconds: int = typer.Option(60, min=30, max=120, help="how long"),
    model: bool = typer.Option(False, "--model", help="let the model choose the intent (else the mood words do)"),
    play: bool = typer.Option(False, "--play", help="play it here as soon as its first phrase is ready"),
) -> None:
    """Compose a piano piece: os1 music compose "for our day at the beach" --play."""
    from os1.skills.music.intent import choose_intent, from_mood_words
    from os1.skills.music.service import make

    async def go(s: Any, store: Any) -> None:
        chosen, intent = False, from_mood_words(moment, seconds)
        if model:
            from os1.models.factory import create_llm

            llm = create_llm(s)
            try:
                intent, chosen = await choose_intent(llm, moment, seconds=seconds)
            finally:
                await llm.aclose()
        if play:
            await _compose_and_play(s, store, moment, intent, chosen, seed)
            return
        made = await make(s, store, s.user, moment, seed=seed, intent=intent, chosen=chosen)
        console.print(escape(made.summary()))

    with_store(ctx, go, console)


async def _compose_and_play(s: Any, store: Any, moment: str, intent: Any, chosen: bool, seed: int | None) -> None:
    """The first phrase sounds while the whole piece is rendered and stored, then it goes on."""
    import random
    import tempfile

    from os1.skills.music.compose import compose
    from os1.skills.music.playback import Player
    from os1.skills.music.render import RATE
    from os1.skills.music.service import make, render_first

    seed = random.randrange(1, 1_000_000) if seed is None else seed
    scratch = Path(tempfile.mkdtemp(prefix="os1-music-"))
    first = await asyncio.to_thread(render_first, compose(intent, seed), scratch)
    player = Player(RATE)
    player.start(first)
    made = await make(s, store, s.user, moment, seed=seed, intent=intent, chosen=chosen)
    player.extend(made.stored.file("wav"))
    shutil.rmtree(scratch, ignore_errors=True)
    console.print(escape(made.summary()))
    await asyncio.to_thread(player.wait, made.stored.seconds + 5)


@music_app.command("list")
def list_(ctx: typer.Context) -> None:
    """The pieces, newest first."""
    from os1.skills.music.pieces import Pieces

    async def go(s: Any, store: Any) -> None:
        pieces = await Pieces(store).list(s.user)
        if not pieces:
            console.print('No pieces yet. Compose one: os1 music compose "for our day at the beach".')
        for p in pieces:
            console.print(escape(p.line()))

    with_store(ctx, go, console)


@music_app.command()
def play(ctx: typer.Context, number: int = typer.Argument(..., help="the piece's number (os1 music list)")) -> None:
    """Play a piece on this machine's speaker."""
    from os1.skills.music.pieces import Pieces
    from os1.skills.music.playback import play_file

    async def go(s: Any, store: Any) -> None:
        piece = await Pieces(store).get(s.user, number)
        if piece is None:
            raise _missing(number)
        console.print(escape(piece.line()))
        await asyncio.to_thread(play_file, piece.file("wav"))

    with_store(ctx, go, console)


@music_app.command()
def score(
    ctx: typer.Context,
    number: int = typer.Argument(..., help="the piece's number (os1 music list)"),
    pdf: bool = typer.Option(False, "--pdf", help="as a PDF to print (made the first time it is asked for)"),
) -> None:
    """Where a piece's engraved score is: its SVG pages, or with --pdf a PDF."""
    from os1.skills.music.pieces import Pieces
    from os1.skills.music.service import score_pdf

    async def go(s: Any, store: Any) -> None:
        piece = await Pieces(store).get(s.user, number)
        if piece is None:
            raise _missing(number)
        if pdf:
            console.print(escape(str(await score_pdf(piece))))
            return
        for page in sorted(piece.folder.glob("score-*.svg")):
            console.print(escape(str(page)))

    with_store(ctx, go, console)


@music_app.command()
def export(
    ctx: typer.Context,
    number: int = typer.Argument(..., help="the piece's number (os1 music list)"),
    folder: Path = typer.Argument(..., help="where to copy its files"),
) -> None:
    """Copy a piece's files (MIDI, WAV, OGG, MusicXML, SVG, and the PDF if made) into a folder."""
    from os1.skills.music.pieces import Pieces

    async def go(s: Any, store: Any) -> None:
        piece = await Pieces(store).get(s.user, number)
        if piece is None:
            raise _missing(number)

        def copy() -> list[Path]:
            folder.mkdir(parents=True, exist_ok=True)
            files = [f for f in sorted(piece.folder.iterdir()) if f.suffix in {".mid", ".wav", ".ogg", ".musicxml", ".svg", ".pdf"}]
            return [Path(shutil.copy2(f, folder / f"piece-{number}-{f.name}")) for f in files]

        for path in await asyncio.to_thread(copy):
            console.print(escape(str(path)))

    with_store(ctx, go, console)
