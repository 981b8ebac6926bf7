"""Voice sessions for the CLI and servers: load the models once, run one conversation."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from os1.config import Settings
from os1.core.conversation import Companion
from os1.core.interview import Identity
from os1.core.presence import Presence
from os1.events import Event, EventType
from os1.storage.base import Store
from os1.voice.agent import VoiceAgent, VoiceModels
from os1.voice.audio import STT_RATE, VoiceUnavailableError, read_wav, resample, to_float_mono, to_pcm16
from os1.voice.config import VoiceConfig
from os1.voice.frames import AudioFormat, OutputAudioFrame
from os1.voice.stt import WhisperSTT
from os1.voice.transports.file import FileSink, frames_of
from os1.voice.tts import open_voice, synthesize, voice_from_profile

Listen = Callable[[], Awaitable[str]]  # the words of the user's next utterance (EOFError: no more)

if TYPE_CHECKING:
    from rich.console import Console


async def load_models(settings: Settings, stt: str = "tiny.en", voice: str = "hibari") -> VoiceModels:
    """Load STT and TTS in a thread (seconds of disk and ONNX setup off the event loop). A voice
    that is not installed falls back to espeak-ng; `models.note` says so."""

    def load() -> VoiceModels:
        tts, note = open_voice(voice)
        tts.synthesize("Hello.")  # the first synthesis pays one-off costs; not the user's turn
        return VoiceModels(WhisperSTT(stt, settings.models_dir), tts, note)

    return await asyncio.to_thread(load)


@dataclass
class VoicePlan:
    """What the user's profile says about talking: the voice, and the name for the wake phrase."""

    voice: str
    name: str | None


async def voice_plan(store: Store, user: str, voice: str | None = None) -> VoicePlan:
    """The voice chosen in the interview (unless `voice` overrides it) and the companion's name."""
    profile = await store.profile(user)
    name = profile.get("companion_name")
    return VoicePlan(voice or voice_from_profile(profile), str(name) if name else None)


async def open_talk(
    settings: Settings, stt: str = "tiny.en", voice: str | None = None, wake: bool = False
) -> tuple[Companion, VoiceModels, str | None]:
    """Companion, voice models (the profile's voice unless `voice` is given) and, with `wake`,
    the name of the wake phrase. The caller closes the companion."""
    from os1.core.runtime import close_companion, open_companion

    companion = await open_companion(settings)
    try:
        plan = await voice_plan(companion.store, settings.user, voice)
        if wake and not plan.name:
            raise VoiceUnavailableError(
                "The wake phrase is 'Hey' and the companion's name, and it has no name yet.",
                fix="Run 'os1' once: the first conversation is where it chooses its name.",
            )
        models = await load_models(settings, stt, plan.voice)
    except BaseException:
        await close_companion(companion)
        raise
    return companion, models, plan.name if wake else None


async def open_talk_reporting(
    console: Console, settings: Settings, stt: str, voice: str | None, wake: bool
) -> tuple[Companion, VoiceModels, str | None] | None:
    """`open_talk` for the live transports: a missing part is printed with its fix (None is
    returned), and a voice fallback is noted, so each transport does not say it again."""
    from rich.markup import escape

    try:
        companion, models, name = await open_talk(settings, stt, voice, wake)
    except VoiceUnavailableError as exc:
        console.print(f"[yellow]{escape(exc.message)}[/]\n{escape(exc.fix)}")
        return None
    if models.note:
        console.print(f"[yellow]· {escape(models.note)}[/]")
    return companion, models, name


# -- what every voice conversation shares with the text chat (os1.core.presence) ------------------
async def speak(models: VoiceModels, sink: Any, text: str) -> None:
    """Say `text` on `sink` in the companion's voice (words that are not a reply to a turn), at
    the sink's rate: the voice chosen in a live interview may not be the one the sink was opened for."""
    audio = await synthesize(models.tts, text)
    rate = sink.format.rate
    if models.tts.rate != rate:
        audio = resample(audio, models.tts.rate, rate)
    await sink.play(OutputAudioFrame(to_pcm16(audio), AudioFormat(rate)))


async def interview_by_voice(presence: Presence, models: VoiceModels, sink: Any, listen: Listen) -> Identity:
    """The first-run interview, spoken: each question is said, the next utterance answers it."""

    async def ask(question: str) -> str:
        await speak(models, sink, question)
        return await listen()

    identity = await presence.interview(ask)
    await speak(models, sink, identity.intro)
    return identity


async def speak_waiting(presence: Presence, models: VoiceModels, sink: Any) -> list[str]:
    """Say what OS1 has to say first and may say now (a reminder that fired, a meeting soon)."""
    said: list[str] = []
    for item in await presence.waiting():
        await speak(models, sink, item.text)
        await presence.said(item)
        said.append(item.text)
    return said


async def speak_while_idle(presence: Presence, models: VoiceModels, sink: Any, busy: Callable[[], bool]) -> None:
    """For a live conversation (run as a task beside the agent): speak each proactive message
    when no turn is running, as the text chat shows them between turns."""

    async def say(item: Any) -> None:
        await speak(models, sink, item.text)

    await presence.speak_first(busy, say)


async def start_presence(session: Any, models: VoiceModels, sink: Any,
                         busy: Callable[[], bool]) -> tuple[Presence, asyncio.Task[None]]:
    """For a live transport, beside its agent: keep time and speak what OS1 says first between
    turns (`busy`: a turn is running). Stop with `task.cancel()` and `await presence.stop()`."""
    presence = Presence(session)
    await presence.start()
    task = asyncio.create_task(speak_while_idle(presence, models, sink, busy))
    task.add_done_callback(lambda t: t.cancelled() or t.exception())
    return presence, task


def wav_listener(models: VoiceModels, wavs: Sequence[Path]) -> Listen:
    """Answers read from WAV files, one per utterance (headless `os1 talk --in … --in …`)."""
    waiting = list(wavs)

    async def listen() -> str:
        if not waiting:
            raise EOFError
        frame = read_wav(waiting.pop(0)).frame
        heard = await models.stt.transcribe(resample(to_float_mono(frame), frame.format.rate, STT_RATE))
        return heard.text.strip()

    return listen


@dataclass
class TalkResult:
    transcript: str = ""
    reply: str = ""
    seconds_out: float = 0.0
    events: list[Event] = field(default_factory=list)
    said_first: list[str] = field(default_factory=list)  # proactive messages spoken before/after
    interviewed: Identity | None = None

    def issues(self) -> list[str]:
        return [str(e.data.get("code")) for e in self.events if e.type == EventType.AUDIO_ISSUE]


async def talk_file(
    companion: Companion,
    models: VoiceModels,
    wav_in: Path,
    wav_out: Path | None,
    *,
    user: str | None = None,
    speed: float = 0.0,
    wake: str | None = None,
    interview: Sequence[Path] = (),
) -> TalkResult:
    """One spoken question from a WAV, the spoken answer into a WAV; the turn is the core turn.
    Before it, as in the text chat: the interview when the companion has no name yet (answered
    by the `interview` WAVs, one per question), then what OS1 has to say first."""
    wav = read_wav(wav_in)
    session = await companion.session(user)
    sink = FileSink(models.tts.rate)
    presence = Presence(session)
    result = TalkResult()
    if interview and await presence.name() is None:
        try:
            result.interviewed = await interview_by_voice(presence, models, sink, wav_listener(models, interview))
        except EOFError:  # too few answers: it starts again next time, nothing else is said
            result.seconds_out = sink.write(wav_out) if wav_out is not None else 0.0
            return result
    await presence.start()
    try:
        assert presence.keeper is not None
        await presence.keeper.scheduler.tick()  # what fell due while no interface was open
        result.said_first += await speak_waiting(presence, models, sink)
        agent = VoiceAgent(session, models, sink, VoiceConfig(barge_in=False, partials=False, warm=False, wake=wake))
        for code, message in wav.issues:
            agent.issue(code, message)
        await agent.run(frames_of(wav.frame, speed=speed, tail_silence_s=1.5))
        result.said_first += await speak_waiting(presence, models, sink)
    finally:
        await presence.stop()
    result.events = agent.events
    for e in agent.events:
        if e.type == EventType.TRANSCRIPT and e.data.get("final"):
            result.transcript += (" " if result.transcript else "") + e.data["text"]
        elif e.type == EventType.TEXT:
            result.reply += e.data.get("text", "")
    if wav_out is not None:
        result.seconds_out = sink.write(wav_out)
    return result
