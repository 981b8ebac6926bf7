"""Local microphone and speaker through PortAudio (python-sounddevice), when the machine has
them. Without a microphone, say so and point at the other ways to talk."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import numpy as np
from rich.console import Console
from rich.markup import escape

from os1.config import Settings
from os1.events import Event, EventType
from os1.voice.audio import VoiceUnavailableError, to_float_mono
from os1.voice.frames import AudioFormat, AudioFrame, InputAudioFrame, OutputAudioFrame

console = Console(highlight=False)
NO_MIC_FIX = (
    "Use 'os1 talk --in question.wav --out reply.wav', or serve a browser or satellite device "
    "with 'os1 talk --serve 127.0.0.1:8765'."
)


def find_devices() -> Any:
    """The sounddevice module if it can reach an input and an output device."""
    try:
        import sounddevice as sd
    except (ImportError, OSError) as exc:  # OSError: the PortAudio library is missing
        raise VoiceUnavailableError(
            f"Live talk needs PortAudio and python-sounddevice ({exc}).",
            fix="Install them ('apt-get install libportaudio2; pip install sounddevice==0.5.6'). "
            + NO_MIC_FIX,
        ) from exc
    try:
        devices = sd.query_devices()
    except Exception as exc:  # PortAudio errors are plain exceptions
        raise VoiceUnavailableError(f"No audio devices could be listed ({exc}).", fix=NO_MIC_FIX) from exc
    if not any(d.get("max_input_channels", 0) > 0 for d in devices):
        raise VoiceUnavailableError("This machine has no microphone.", fix=NO_MIC_FIX)
    return sd


class SpeakerSink:
    """A PortAudio output stream fed from a small buffer; clear() empties it at once."""

    def __init__(self, sd: Any, rate: int, on_played: Any) -> None:
        self.format = AudioFormat(rate)
        self.buf = np.zeros(0, np.float32)
        self.on_played = on_played
        self.stream = sd.OutputStream(samplerate=rate, channels=1, dtype="float32", callback=self._cb)
        self.stream.start()

    def _cb(self, out: np.ndarray, frames: int, _t: Any, _s: Any) -> None:
        n = min(frames, len(self.buf))
        out[:n, 0] = self.buf[:n]
        out[n:, 0] = 0
        self.buf = self.buf[n:]
        self.on_played(out[:, 0].copy(), self.format.rate)

    async def play(self, frame: OutputAudioFrame) -> None:
        while len(self.buf) > self.format.rate // 4:  # keep at most 250 ms queued
            await asyncio.sleep(0.02)
        self.buf = np.concatenate([self.buf, to_float_mono(frame)])

    async def clear(self) -> None:
        self.buf = np.zeros(0, np.float32)

    async def drain(self) -> None:
        while len(self.buf):
            await asyncio.sleep(0.02)


async def mic_frames(sd: Any, rate: int = 16000) -> AsyncIterator[AudioFrame]:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[bytes] = asyncio.Queue()

    def cb(data: Any, _frames: int, _t: Any, _s: Any) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, bytes(data))

    with sd.RawInputStream(samplerate=rate, channels=1, dtype="int16", blocksize=rate // 50, callback=cb):
        while True:
            yield InputAudioFrame(await queue.get(), AudioFormat(rate))


async def run_live(settings: Settings, stt: str, voice: str | None, wake: bool = False) -> int:
    try:
        sd = find_devices()
    except VoiceUnavailableError as exc:
        console.print(f"[yellow]{escape(exc.message)}[/]\n{escape(exc.fix)}")
        return 1
    from os1.core.runtime import close_companion
    from os1.voice.agent import VoiceAgent
    from os1.voice.config import VoiceConfig
    from os1.voice.live_presence import converse
    from os1.voice.talk import open_talk_reporting

    console.print("[dim]Loading the voice models…[/]")
    opened = await open_talk_reporting(console, settings, stt, voice, wake)
    if opened is None:
        return 1
    companion, models, name = opened
    who = [name or "OS1"]  # the companion's name once it has one (the interview may choose it)

    def show(event: Event) -> None:
        if event.type == EventType.TRANSCRIPT and event.data.get("final"):
            console.print(f"[bold]you[/]: {escape(event.data['text'])}")
        elif event.type == EventType.SAID:  # an interview question, its chosen name, a reminder
            who[0] = str(event.data.get("name") or who[0])
            console.print(f"[bold magenta]{escape(who[0])}[/]: {escape(str(event.data['text']))}")
        elif event.type == EventType.TEXT:
            console.print(event.data.get("text", ""), end="", markup=False)
        elif event.type == EventType.TURN_END:
            console.print()
        elif event.type == EventType.CONFIRM_ASKED:
            console.print(f"\n[bold yellow]{escape(str(event.data['text']))}[/] [dim](say yes or no)[/]")
        elif event.type == EventType.CONFIRMATION:
            console.print("[green] (allowed)[/]" if event.data.get("approved") else "[yellow] (not done)[/]")
        elif event.type == EventType.INTERRUPTION and "generation_stop_ms" in event.data:
            console.print("[yellow] (interrupted)[/]")
        elif event.type == EventType.WAKE:
            console.print(f"[dim]· heard 'Hey {escape(str(name))}'[/]")
        elif event.type == EventType.SOUND:
            console.print(f"[dim]· playing the piece ({event.data['seconds']:.0f} s); speak to stop it[/]")
        elif event.type == EventType.AUDIO_ISSUE and event.data.get("code") == "not-addressed":
            pass  # always listening: speech not meant for the companion is not news
        elif event.type == EventType.AUDIO_ISSUE:
            console.print(f"[yellow]· {escape(str(event.data['message']))}[/]")

    try:
        session = await companion.session()
        who[0] = str((await companion.store.profile(session.user)).get("companion_name") or who[0])
        agent: VoiceAgent | None = None

        def played(samples: Any, rate: int) -> None:
            if agent is not None:
                agent.played(samples, rate)

        sink = SpeakerSink(sd, models.tts.rate, played)
        agent = VoiceAgent(session, models, sink, VoiceConfig(wake=name), on_event=show)
        hint = f"Say 'Hey {name}' first; " if name else "Speak; "
        console.print(f"[dim]Listening. {escape(hint)}interrupt any time; Ctrl-C leaves.[/]")
        # On a first run the interview comes first, spoken; then reminders, the morning plan and
        # the rest are spoken between turns, as the chat shows them.
        await converse(session, agent, mic_frames(sd), voice=voice,
                       on_note=lambda note: console.print(f"[yellow]· {escape(note)}[/]"))
    except (KeyboardInterrupt, asyncio.CancelledError):
        return 0
    finally:
        await close_companion(companion)
    return 0
