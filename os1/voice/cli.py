"""`os1 talk`: speak with your companion (live with a microphone, or WAV in -> WAV out)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from os1.events import EventType
from os1.plugins import hookimpl

console = Console(highlight=False)


def _settings(ctx: typer.Context):  # type: ignore[no-untyped-def]
    from os1.config import settings_from

    return settings_from(ctx)


def talk(
    ctx: typer.Context,
    wav_in: list[Path] | None = typer.Option(
        None, "--in", metavar="WAV", help="A spoken question (WAV) to answer. Before the first conversation, give one "
        "WAV per interview answer first (--in a1.wav … --in a5.wav --in question.wav)."
    ),
    wav_out: Path | None = typer.Option(None, "--out", help="Where to write the spoken reply (WAV)."),
    stt: str = typer.Option("tiny.en", help="Speech recogniser: tiny.en (fast) or base (more accurate)."),
    voice: str | None = typer.Option(
        None, help="Voice: hibari (female), piper (male, optional extra) or espeak. "
        "Default: the one chosen in the interview."
    ),
    wake: bool = typer.Option(
        False, "--wake", help="Always listening: answer only what starts with 'Hey <its name>'."
    ),
    serve: str | None = typer.Option(
        None, help="Serve the WebSocket audio protocol on HOST:PORT instead (e.g. 127.0.0.1:8765)."
    ),
) -> None:
    """Talk with your companion: live with a microphone, headless with --in/--out."""
    settings = _settings(ctx)
    if serve:
        from os1.voice.transports.websocket import serve_forever

        host, _, port = serve.rpartition(":")
        raise typer.Exit(asyncio.run(serve_forever(settings, host or "127.0.0.1", int(port), stt, voice, wake)))
    if not wav_in:
        from os1.voice.transports.local import run_live

        raise typer.Exit(asyncio.run(run_live(settings, stt, voice, wake)))
    raise typer.Exit(asyncio.run(_talk_file(settings, wav_in, wav_out, stt, voice, wake)))


def show_note(models) -> None:  # type: ignore[no-untyped-def]
    """Say so when the chosen voice is not installed and espeak-ng speaks instead."""
    if models.note:
        console.print(f"[yellow]· {escape(models.note)}[/]")


async def _talk_file(settings, wav_in: list[Path], wav_out: Path | None, stt: str, voice: str | None, wake: bool) -> int:  # type: ignore[no-untyped-def]
    from os1.core.runtime import close_companion
    from os1.voice.talk import open_talk, talk_file

    companion, models, name = await open_talk(settings, stt, voice, wake)
    show_note(models)
    try:
        result = await talk_file(companion, models, wav_in[-1], wav_out, wake=name, interview=wav_in[:-1])
    finally:
        await close_companion(companion)
    if len(wav_in) > 1 and result.interviewed is None and not result.events:
        console.print("[yellow]The interview was not finished (one answer per question); it starts again next time.[/]")
        return 1
    if result.interviewed is not None:
        console.print(f"[bold magenta]{escape(result.interviewed.name)}[/]: I'd like to be called "
                      f"{escape(result.interviewed.name)}. {escape(result.interviewed.why)}")
    for text in result.said_first:
        console.print(f"[bold magenta]said first[/]: {escape(text)}")
    for e in result.events:
        if e.type == EventType.AUDIO_ISSUE:
            console.print(f"[yellow]· {escape(str(e.data['message']))}[/]")
    if not result.transcript and name and any(e.type == EventType.WAKE for e in result.events):
        console.print(f"[yellow]Heard 'Hey {escape(name)}' but nothing after it, so nothing was answered.[/]")
        return 1
    if not result.transcript:
        if name and "not-addressed" in result.issues():
            return 1  # said above: it was not spoken to
        console.print("[yellow]No words were understood, so nothing was answered.[/]")
        return 1
    console.print(f"[bold]you[/]: {escape(result.transcript)}")
    console.print(f"[bold magenta]reply[/]: {escape(result.reply.strip())}")
    at = {e.type: e.at_ms for e in result.events if e.type != EventType.TEXT}
    if EventType.FIRST_AUDIO in at and EventType.SPEECH_END in at:
        console.print(
            f"[dim]end of speech → first audio {at[EventType.FIRST_AUDIO] - at[EventType.SPEECH_END]:.0f} ms "
            f"(file input is read faster than real time)[/]"
        )
    if wav_out is not None:
        console.print(f"[dim]{result.seconds_out:.1f} s of speech written to {escape(str(wav_out))}[/]")
    return 0


@hookimpl
def register_commands(cli: typer.Typer) -> None:
    cli.command("talk")(talk)
