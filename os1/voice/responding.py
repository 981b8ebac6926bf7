"""Responding: the core turn (Session.turn) for the user's words, spoken sentence by sentence,
with the prompt read ahead while the user speaks (prefill), an answer started early and held
until the pause is long enough, and the two ways the user takes the floor back: a retraction
(nothing of the answer heard yet) and a barge-in (docs/decisions/0010-voice-processors.md).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Callable
from typing import Any, Protocol

from os1.core.media import Media, media_in
from os1.events import Event, EventType, Trace
from os1.models.switch import pinned_turn
from os1.voice.audio import read_sound
from os1.voice.config import VoiceConfig
from os1.voice.frames import Interruption, Retraction
from os1.voice.log import VoiceLog
from os1.voice.speaker import Speaker
from os1.voice.text import SentenceSplitter
from os1.voice.utterance import Utterance

READ_AHEAD_WAIT_S = 5.0  # how long a turn waits for a read-ahead of its own prompt


class Conversation(Protocol):
    """What the voice loop needs of the core session (os1.core.conversation.Session)."""

    last_trace: Trace | None

    @property
    def retractable(self) -> bool: ...

    async def retract(self) -> bool: ...

    async def warm(self) -> None: ...

    async def prefill(self, text: str) -> None: ...

    async def offer(self, text: str) -> set[str]: ...

    def turn(self, text: str) -> AsyncGenerator[Event, None]: ...


def _quietly(task: asyncio.Task[Any]) -> None:
    """A background read into the model's cache: its failure costs only time, so it is not raised."""
    task.add_done_callback(lambda t: t.cancelled() or t.exception())


class Responder:
    """Answers turns one at a time; keeps what a barge-in or a retraction needs to know."""

    def __init__(self, session: Conversation, speaker: Speaker, cfg: VoiceConfig, log: VoiceLog, stt_name: str,
                 *, prefill: bool, model: object = None) -> None:
        self.session = session
        self.model = model  # the session's model: each turn is pinned to the one it began on
        self.speaker = speaker
        self.speaker.on_first_audio = self._first_audio
        self.cfg = cfg
        self.log = log
        self.stt_name = stt_name
        self.prefill_on = prefill and cfg.prefill
        self.task: asyncio.Task[None] | None = None  # the reply in progress
        self.turn_trace: Trace | None = None
        self.turns = 0
        self.answering: Utterance | None = None  # what the reply in progress answers
        self._turn_began = False  # ...its turn has begun (stored the user's words)
        self._heard = False  # ...some of it has been played
        self.hold: asyncio.Event | None = None  # ...started early: it may be heard once set
        self.prefilling: asyncio.Task[None] | None = None
        self._prefilled = ""
        self.warming: asyncio.Task[None] | None = None

    @property
    def replying(self) -> bool:
        return self.task is not None and not self.task.done()

    # -- before the turn --------------------------------------------------------------------
    def warm(self) -> None:
        """The persona (or, after a reply, the next turn's window) into the model's cache while
        the user speaks, listens or thinks: a cache hit costs one token."""
        if self.cfg.warm and (self.warming is None or self.warming.done()):
            self.warming = asyncio.create_task(self.session.warm())
            _quietly(self.warming)

    def prefill(self, text: str) -> None:
        """Start reading a likely turn's prompt into the model (one at a time; nothing stored)."""
        if not self.prefill_on or self.replying or text == self._prefilled:
            return
        if self.prefilling is not None and not self.prefilling.done():
            return
        self._prefilled = text
        self.prefilling = asyncio.create_task(self.session.prefill(text))
        _quietly(self.prefilling)

    async def _settle_prefill(self, text: str) -> None:
        """A read-ahead of the turn's own prompt (the same tools for these or nearly these
        words) is waited for, not started over, but only so long: left reading, it reads on in
        one slot while the turn reads the same prompt in another. One that was offered other
        tools (hundreds of tokens of no use to this turn) is stopped at once."""
        if self.prefilling is None or self.prefilling.done():
            return
        if await self.session.offer(self._prefilled) == await self.session.offer(text):
            await asyncio.wait([self.prefilling], timeout=READ_AHEAD_WAIT_S)
        self.prefilling.cancel()  # stopped, its slot keeps what it has read
        await asyncio.gather(self.prefilling, return_exceptions=True)

    # -- the turn ---------------------------------------------------------------------------
    async def answer(self, utt: Utterance, *, early: bool) -> None:
        """Start answering the utterance (its transcript set). `early`: before the short
        silence is over; the answer is held until `release` (or the long silence)."""
        if self.replying:  # without barge-in, turns wait for the previous answer
            await asyncio.gather(self.task, return_exceptions=True)  # type: ignore[arg-type]
        self.answering, self._turn_began, self._heard = utt, False, False
        self.hold = hold = asyncio.Event() if early else None
        if hold is not None:  # should the input stall (no chunks come to release it), it is heard anyway
            asyncio.get_running_loop().call_later(self.cfg.long_silence_ms / 1000, hold.set)
        self.speaker.hold = hold
        self.task = asyncio.create_task(self.reply(utt))

    def release(self, t: float, last_voice_at: float, short_silence: Callable[[], float]) -> None:
        """A chunk of silence (audio time `t`): an answer started early may be heard once the
        pause after the words it answers is the short silence."""
        if self.hold is None or self.hold.is_set() or self.answering is None:
            return
        if t - max(self.answering.end_audio, last_voice_at) >= short_silence():
            self.hold.set()

    def release_all(self) -> None:
        """No more words can come: what was started early may be heard."""
        if self.hold is not None:
            self.hold.set()

    def _first_audio(self, at: float, tts_ms: float) -> None:
        self._heard = True
        if self.turn_trace is not None and self.turn_trace.first(EventType.FIRST_AUDIO) is None:
            self.log.emit(self.turn_trace.record(EventType.FIRST_AUDIO, at, tts_ms=round(tts_ms, 1)))

    def _began(self, event: Event, utt: Utterance, text: str) -> None:
        """The turn has begun: its trace gets the voice stages that led to it."""
        self.turns += 1
        self._turn_began = True
        self.turn_trace = trace = self.session.last_trace
        assert trace is not None
        self.log.emit(event)
        for voice_event in (
            trace.record(EventType.SPEECH_START, utt.start_wall, at_s=round(utt.started_at, 3)),
            trace.record(EventType.SPEECH_END, utt.end_wall, speech_ms=round(utt.speech_s * 1000)),
            trace.record(
                EventType.TRANSCRIPT, utt.transcript_wall or time.perf_counter(),
                text=text, final=True, stt_ms=round(utt.stt_ms, 1), stt=self.stt_name,
                **({"wake": utt.wake} if utt.wake else {}),
            ),
        ):
            self.log.emit(voice_event)

    async def reply(self, utt: Utterance) -> None:
        """The core turn for the utterance's words, its text spoken as it comes: the first
        words at a comma or a joining word, or at a word boundary once they have waited
        `first_words_after_s`; later ones sentence by sentence."""
        assert utt.transcript is not None
        text = utt.transcript.text
        splitter = SentenceSplitter(first_clause_chars=self.cfg.first_clause_chars)
        self.turn_trace = None
        await self._settle_prefill(text)
        self.speaker.start()
        async with pinned_turn(self.model):  # a model changed meanwhile answers the next turn
            sound = await self._spoken_turn(utt, text, splitter)
        if sound is not None:
            await self.play(sound)
        self.warm()

    async def _spoken_turn(self, utt: Utterance, text: str, splitter: SentenceSplitter) -> Media | None:
        """The turn's words spoken as they come; the piece a tool made, if one did."""
        turn = self.session.turn(text)
        first_words_at = 0.0
        sound: Media | None = None  # a piece a tool made: it plays after the words
        told: set[str] = set()  # the calls whose first step was said
        try:
            async for event in turn:
                if event.type == EventType.TURN_START:
                    self._began(event, utt, text)
                    continue
                self.log.emit(event)
                if event.type == EventType.TEXT:
                    now = time.perf_counter()
                    first_words_at = first_words_at or now
                    pieces = splitter.feed(event.data.get("text", ""))
                    wait = self.cfg.first_words_after_s
                    if not pieces and wait is not None and now - first_words_at >= wait:
                        pieces = splitter.cut_words()
                    for sentence in pieces:
                        self.speaker.say(sentence)
                elif event.type == EventType.GENERATION:
                    for sentence in splitter.flush():
                        self.speaker.say(sentence)
                    # The turn stays open until its words are heard: an interruption now still
                    # stores the reply as interrupted.
                    await self.speaker.finish()
                    self.speaker.start()
                elif event.type == EventType.TOOL_PROGRESS and event.data["id"] not in told:
                    told.add(event.data["id"])  # a long tool's first step: a sign of life, not all
                    self.speaker.say(event.data["step"])
                elif event.type == EventType.TOOL_RESULT and event.data.get("ok"):
                    sound = media_in(event.data.get("result", "")) or sound
            await self.speaker.finish()
        finally:
            await turn.aclose()
        return sound

    async def play(self, media: Media) -> None:
        """The piece plays as part of the reply: OS1 is still "replying", so the user's words
        over it are a barge-in that stops it (not a turn of their own), and what OS1 has to say
        first waits until it is over."""
        path = media.playable
        try:
            audio = await asyncio.to_thread(read_sound, path, self.speaker.sink.format.rate)
        except (OSError, RuntimeError) as exc:  # soundfile's errors are RuntimeErrors
            self.log.issue("sound-unplayable", f"The piece could not be played ({exc}).")
            return
        self.log.note(EventType.SOUND, path=str(path), seconds=round(len(audio) / self.speaker.sink.format.rate, 2))
        await self.speaker.play_sound(audio)

    # -- the user takes the floor -----------------------------------------------------------
    async def retract(self, at: float, *, hearing: bool, asking: bool) -> Retraction | None:
        """The user speaks again (audio time `at`) before any of the answer was heard, within
        the long pause: the words it answers were not finished (a pause between clauses). Take
        the turn back (nothing of it stays stored) and hear the whole thought as one. None when
        the answer has been heard in part, or a tool was called: that is a barge-in."""
        utt, task = self.answering, self.task
        if (
            utt is None or task is None or self._heard or asking or hearing
            or at - utt.end_audio > self.cfg.long_silence_ms / 1000
            or (self._turn_began and not self.session.retractable)
        ):
            return None
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await self.speaker.stop()
        self.turn_trace = None
        if self._turn_began:
            if not await self.session.retract():
                return None  # a tool was called: the turn stays, stored as interrupted
            self.turns -= 1
        self.answering = None
        retraction = Retraction(utt.transcript.text if utt.transcript else "", utt)
        self.log.note(EventType.TURN_RETRACTED, text=retraction.text)
        return retraction

    async def interrupt(self, at: float, wall: float) -> Interruption:
        """Barge-in: silence the speaker, stop generation, keep the partial reply as
        interrupted. The playback stops first; the generation does not wait for the engine's
        step in flight: it is dropped, and the next request waits for it (os1/models/embedded.py)."""
        detected = time.perf_counter()
        task = self.task
        await self.speaker.stop()
        stopped = time.perf_counter()
        info = Interruption(
            heard_at_s=round(at, 3),
            detect_ms=round((detected - wall) * 1000, 1),
            playback_stop_ms=round((stopped - wall) * 1000, 1),
            spoken=len(self.speaker.spoken),
        )
        if self.turn_trace is not None:
            self.log.emit(self.turn_trace.record(EventType.INTERRUPTION, stopped, **info.to_dict()))
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        info = Interruption(**(info.to_dict() | {"generation_stop_ms": round((time.perf_counter() - wall) * 1000, 1)}))
        self.log.note(EventType.INTERRUPTION, **info.to_dict())
        return info

    async def stop(self) -> None:
        """The input broke off: stop the reply in progress (stored as interrupted)."""
        if self.task is not None and not self.task.done():
            await self.speaker.stop()
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)

