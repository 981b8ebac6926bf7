"""The chat REPL: interview on first run, then streaming conversation with rich formatting."""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from os1.config import Settings
from os1.core.conversation import Session
from os1.core.identity import current_identity
from os1.core.presence import Presence
from os1.core.runtime import close_companion, open_companion
from os1.core.schedule import OutboxItem
from os1.core.tools import ConfirmationRequest
from os1.errors import InputError, OS1Error
from os1.events import EventType
from os1.interfaces.cli.lines import LineReader, clean_line
from os1.interfaces.cli.persona_cmd import show_identity
from os1.language.consent import approves, new_message

console = Console(highlight=False)


class Chat:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.reader: LineReader | None = None
        self.turn_task: asyncio.Task[None] | None = None
        self.name = "OS1"
        self.moved_on: str | None = None  # words typed at "Allow this?" that are the next message
        self.playing: threading.Event | None = None  # set: stop the piece playing meanwhile
        self._tasks: set[asyncio.Task[None]] = set()

    async def read(self, prompt: str) -> str | None:
        assert self.reader is not None
        raw = await self.reader.read(prompt)
        if raw is None:
            return None
        line, bad = clean_line(raw)
        if bad:
            console.print(
                "[yellow]That line was not valid UTF-8; unreadable bytes were replaced with �.[/]"
            )
        return line

    def say(self, text: str) -> None:
        console.print(f"[bold magenta]{escape(self.name)}[/]: {escape(text)}")

    async def ask(self, question: str) -> str:
        self.say(question)
        answer = await self.read("you> ")
        if answer is None:
            raise EOFError
        return answer

    async def confirm(self, request: ConfirmationRequest) -> bool:
        console.print(f"\n[bold yellow]{escape(self.name)} wants to:[/] {escape(request.summary)}")
        answer = await self.read("Allow this? [y/N] ")
        ok = approves(answer)
        console.print("[green]Allowed.[/]" if ok else "[yellow]Not done.[/]")
        if not ok and new_message(answer):  # the user moved on: a no, and their next message
            self.moved_on = answer
        return ok

    async def next_line(self) -> str | None:
        """The user's next message: words typed at a consent question, else a new line."""
        line, self.moved_on = self.moved_on, None
        return line if line is not None else await self.read("you> ")

    async def show_identity(self, presence: Presence) -> None:
        """Who it became, and how to change it."""
        identity = await current_identity(presence.store, presence.session.user)
        if identity is None:
            return
        profile = await presence.store.profile(presence.session.user)
        show_identity(identity, str(profile.get("tts_voice", "")))
        console.print("[dim]Not quite right? Say 'choose again', or what to change ('be more playful'); "
                      "later: os1 persona show | redo | change.[/]")

    async def show_first(self, item: OutboxItem) -> None:
        """What OS1 says first, shown between turns."""
        console.print()
        self.say(item.text)

    def on_sigint(self) -> None:
        if self.turn_task is not None and not self.turn_task.done():
            self.turn_task.cancel()
        elif self.reader is not None:
            self.reader.interrupt()

    async def run_turn(self, session: Session, text: str, warming: asyncio.Task[None] | None = None) -> None:
        if warming is not None and not warming.done():
            # It reads this turn's persona and history into the model's cache: let it finish
            # rather than read them again beside it (piped input comes at once). The turn is
            # then computed alone, as when typed, so its words do not depend on the timing.
            await asyncio.wait([warming])
        started = False
        async for event in session.turn(text):
            if event.type == EventType.TEXT and event.data.get("text"):
                if not started:
                    console.print(f"[bold magenta]{escape(self.name)}[/]: ", end="")
                    started = True
                console.print(event.data["text"], end="", markup=False)
                console.file.flush()
            elif event.type == EventType.TOOL_CALL:
                console.print(f"[dim]· using {escape(event.data['tool'])}[/]")
            elif event.type == EventType.TOOL_PROGRESS:
                console.print(f"[dim]  {escape(event.data['step'])}[/]")
            elif event.type == EventType.TOOL_RESULT and event.data["ok"]:
                self.listen(event.data["result"])
            elif event.type == EventType.ERROR:
                console.print(f"\n[red]{escape(event.data['message'])}[/]")
        if started:
            console.print()

    def listen(self, result: str) -> None:
        """A piece a tool just composed (or found again) plays while the conversation goes on."""
        from os1.core.media import media_in

        media = media_in(result)
        if media is None or not media.playable.exists():
            return
        wav = media.playable
        if self.playing is not None:  # one piece at a time: the new one replaces it
            self.playing.set()
        self.playing = threading.Event()
        self._tasks.add(task := asyncio.create_task(self._play(wav, self.playing)))
        task.add_done_callback(self._tasks.discard)

    async def _play(self, wav: Path, stop: threading.Event) -> None:
        from os1.skills.music.playback import play_file

        try:
            await asyncio.to_thread(play_file, wav, stop)
        except Exception as exc:  # no speaker, no PortAudio: say so, keep talking
            console.print(f"[dim]The piece could not be played here: {escape(str(exc))}[/]")

    async def main(self) -> int:
        loop = asyncio.get_running_loop()
        self.reader = LineReader(loop)
        companion = await open_companion(self.settings)
        loop.add_signal_handler(signal.SIGINT, self.on_sigint)
        try:
            session = await companion.session(confirm=self.confirm)
            presence = Presence(session)
            name = await presence.name()
            if name is None:
                console.print("[dim]First run: a few questions so I can become someone for you.[/]")
                try:
                    # follow-up questions only for a person at a terminal, not piped answers
                    identity = await presence.interview(self.ask, follow_ups=self.reader.interactive)
                except EOFError:
                    console.print("\n[yellow]The interview was not finished; it starts again next time.[/]")
                    return 0
                self.name = identity.name
                self.say(identity.intro)
                await self.show_identity(presence)
            else:
                self.name = name
                if self.reader.interactive:
                    console.print(f"[dim]{escape(self.name)} is here. Ctrl-C stops a reply, Ctrl-D leaves.[/]")
            warming = asyncio.create_task(session.warm())
            warming.add_done_callback(lambda t: t.cancelled() or t.exception())
            # OS1 speaks first (reminders, meetings, the morning plan) while the user is idle
            await presence.start()
            speaking = asyncio.create_task(presence.speak_first(lambda: self.turn_task is not None, self.show_first))
            speaking.add_done_callback(lambda t: t.cancelled() or t.exception())
            while True:
                line = await self.next_line()
                if line is None:
                    break
                if not line.strip():
                    continue
                if (answer := await presence.aside(line)) is not None:
                    self.name = await presence.name() or self.name  # it may have chosen again
                    self.say(answer)
                    continue
                self.turn_task = asyncio.create_task(self.run_turn(session, line, warming))
                try:
                    await self.turn_task
                except asyncio.CancelledError:
                    console.print("\n[yellow](interrupted: the partial reply was saved as such)[/]")
                except InputError as exc:
                    console.print(f"[yellow]{escape(str(exc))}[/]")
                except OS1Error as exc:  # e.g. disk full: say so, keep the conversation open
                    console.print(f"[red]{escape(exc.message)}[/] {escape(exc.fix)}")
                finally:
                    self.turn_task = None
            speaking.cancel()
            warming.cancel()  # leaving: a prompt still being read into the cache is not needed
            await presence.stop()
            return 0
        finally:
            loop.remove_signal_handler(signal.SIGINT)
            if self.playing is not None:  # leaving: the piece stops with the conversation
                self.playing.set()
            await close_companion(companion)


def run_chat(settings: Settings) -> int:
    try:
        return asyncio.run(Chat(settings).main())
    except OS1Error as exc:
        console.print(f"[red]{escape(exc.message)}[/]")
        if exc.fix:
            console.print(escape(exc.fix))
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        sys.stdout.flush()
