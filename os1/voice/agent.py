"""The voice loop: a thin pipeline of small processors around the same core turn as text chat
(Session.turn), exchanging the typed frames of os1/voice/frames.py.

    audio frames -> Listener (convert, echo gate, VAD) -> UserStarted/StoppedSpeaking
      -> TurnDetector (end of turn) <-> Transcriber (words, drafts)
      -> SpokenConsent (an answer to a question asked aloud) | WakeGate (addressed?)
         (during the first-run interview, `interviewing`, nothing goes further)
      -> Responder (prefill, the turn spoken sentence by sentence; Retraction, Interruption)

Stage timings (speech start/end, transcript, first token, first audio, interruption) go into
the turn's own trace, so text and voice turns are traced, stored and benchmarked alike.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import numpy as np

from os1.core.conversation import Session
from os1.core.tools import ConfirmationRequest
from os1.events import Event, EventType, Trace
from os1.voice.config import VoiceConfig
from os1.voice.confirm import SpokenConsent
from os1.voice.frames import AudioFrame, Interruption, Retraction, TranscriptFrame, UserStartedSpeaking
from os1.voice.listening import Listener
from os1.voice.log import VoiceLog
from os1.voice.responding import Conversation, Responder
from os1.voice.speaker import AudioSink, Speaker
from os1.voice.stt import Transcript
from os1.voice.transcribing import Recogniser, Transcriber
from os1.voice.tts import TTS
from os1.voice.turns import TurnDetector
from os1.voice.utterance import Utterance
from os1.voice.vad import Segmenter
from os1.voice.wake import WakeGate


@dataclass
class VoiceModels:
    """The loaded models one process shares between voice sessions."""

    stt: Recogniser
    tts: TTS
    note: str | None = None  # e.g. the chosen voice is not installed and espeak-ng speaks instead


class VoiceAgent:
    """One voice conversation: wires the processors, routes the frames between them."""

    def __init__(
        self,
        session: Conversation,
        models: VoiceModels,
        sink: AudioSink,
        config: VoiceConfig | None = None,
        on_event: Callable[[Event], None] | None = None,
    ) -> None:
        self.session = session
        self.models = models
        self.sink = sink
        self.cfg = cfg = config or VoiceConfig()
        self.log = VoiceLog(on_event)
        self.speaker = Speaker(models.tts, sink)
        self.listener = Listener(cfg, self.log)
        self.wake = WakeGate(cfg.wake, self.log, cfg.wake_window_s) if cfg.wake else None
        self.transcriber = Transcriber(  # it transcribes the utterance the detector holds
            models.stt, cfg, self.listener, lambda: self.detector.utt, self._drafted,
            self.wake.prompt if self.wake else None,
        )
        self.detector = TurnDetector(cfg, self.listener, self.transcriber, self)
        self.responder = Responder(session, self.speaker, cfg, self.log, models.stt.name, prefill=self.wake is None,
                                   model=session.c.llm if isinstance(session, Session) else None)
        self.consent = SpokenConsent(
            self.speaker, self.log, cfg.answer_timeout_s, lambda: self.responder.turn_trace,
            lambda: self.detector.utt is not None,
        )
        # The first-run interview is under way (os1/voice/live_presence.py): the user's words
        # answer its questions, and no turn reaches the conversation until it is over.
        self.interviewing = False
        self.interruptions: list[Interruption] = []
        self.retractions: list[Retraction] = []
        if cfg.confirm_aloud and isinstance(session, Session) and session.c.settings.confirm == "ask":
            session.confirm = self.ask_aloud

    # -- what transports, `os1 talk` and the bench read ---------------------------------------
    @property
    def events(self) -> list[Event]:
        return self.log.events

    @property
    def trace(self) -> Trace:
        return self.log.trace

    def issue(self, code: str, message: str) -> None:
        """Tell about a problem with the input once, as a clear event."""
        self.log.issue(code, message)

    @property
    def turns(self) -> int:
        return self.responder.turns

    @property
    def replying(self) -> bool:
        return self.responder.replying

    @property
    def reply_task(self) -> asyncio.Task[None] | None:
        return self.responder.task

    @property
    def asking(self) -> bool:
        return self.consent.asking

    @property
    def busy(self) -> bool:
        """A turn is under way (the user speaking, a reply, a spoken question): what OS1 says
        first waits until it is over."""
        return self.replying or self.asking or self.utt is not None

    @property
    def utt(self) -> Utterance | None:
        """What the user has said since the last turn."""
        return self.detector.utt

    @property
    def seg(self) -> Segmenter:
        return self.listener.seg

    def use_models(self, models: VoiceModels) -> None:
        """Speak with other models from the next sentence on (the voice chosen in the interview)."""
        self.models = models
        self.speaker.tts = models.tts

    def played(self, samples: np.ndarray, rate: int) -> None:
        """The sink reports what the speaker actually played: the echo gate's reference."""
        self.listener.played(samples, rate)

    async def ask_aloud(self, request: ConfirmationRequest) -> bool:
        """The session's confirmer: speak the question; the user's next words answer it."""
        return await self.consent.ask(request)

    # -- input ------------------------------------------------------------------------------
    def start(self, *, live: bool = False) -> None:
        """Before the first frame: `live` input is paced by a clock (rate is watched, partial
        transcripts are made); the persona goes into the prompt cache while the user speaks."""
        self.listener.live = self.transcriber.live = self.detector.live = live
        if not self.interviewing:  # the persona is chosen at its end (and warmed then)
            self.responder.warm()

    async def run(self, source: AsyncIterator[AudioFrame], *, live: bool = False) -> None:
        """Consume the source until it ends, then answer what is still pending."""
        self.start(live=live)
        try:
            async for frame in source:
                await self.feed(frame)
            await self.finish()
        finally:
            await self.close()

    async def feed(self, frame: AudioFrame) -> None:
        for speech in self.listener.hear(frame, time.perf_counter()):
            for heard in speech:
                if isinstance(heard, UserStartedSpeaking):
                    await self._speech_started(heard)
                else:
                    self.detector.speech_ended(heard)
            await self._chunk_heard()
        await asyncio.sleep(0)  # let replies and transcriptions run between frames

    async def _chunk_heard(self) -> None:
        utt = self.detector.utt
        if self.listener.speaking:
            if utt is not None:
                self.transcriber.maybe_ahead(utt)
                self.transcriber.maybe_draft(utt)
        elif utt is not None:
            await self.detector.maybe_commit()
        else:
            heard = self.listener
            self.responder.release(heard.t, heard.last_voice_at, self.detector.short_silence)

    async def _speech_started(self, frame: UserStartedSpeaking) -> None:
        self.log.note(EventType.SPEECH_START, at_s=round(frame.at, 3))
        if self.consent.asking:  # an answer to the question: quiet the question, keep the turn
            await self.consent.listen()
        elif self.responder.replying:
            retraction = await self.responder.retract(
                frame.at, hearing=self.detector.utt is not None, asking=self.consent.asking
            )
            if retraction is not None:
                self.retractions.append(retraction)
                self.detector.resume(retraction.utterance)  # the same thought goes on
            elif self.cfg.barge_in:
                self.interruptions.append(await self.responder.interrupt(frame.at, frame.wall))
        self.detector.speech_started(frame)
        self.transcriber.last_draft = frame.at

    def _drafted(self, draft: TranscriptFrame) -> None:
        """Words heard while the user speaks: told, and their prompt is read meanwhile."""
        self.log.note(EventType.TRANSCRIPT, text=draft.text, final=False)
        if not self.interviewing:  # an answer to the interview is no turn: nothing to read ahead
            self.responder.prefill(draft.text)

    # -- the turn (TurnHandler) ---------------------------------------------------------------
    def on_likely(self, text: str) -> None:
        if not self.interviewing:
            self.responder.prefill(text)

    async def on_turn(self, utt: Utterance, transcript: Transcript, *, early: bool) -> None:
        """The detector decided a turn: to the question asked aloud, through the wake gate,
        to the responder. `early`: before the short silence is over (held until it is)."""
        if utt.speech_s * 1000 < self.cfg.min_speech_ms or not transcript.usable:
            self.log.note(
                EventType.AUDIO_ISSUE, code="not-understood",
                message="Heard a sound but no words; nothing was sent.",
                text=transcript.text, no_speech=round(transcript.no_speech, 2),
            )
            return
        if self.consent.asking:  # the answer to a question asked aloud needs no wake phrase
            self.consent.answered(transcript.text)
            return
        if self.interviewing:  # between its questions (the name being chosen): no turn yet
            self.log.note(
                EventType.AUDIO_ISSUE, code="interviewing", text=transcript.text,
                message="Heard words while the interview was not asking; they were not sent.",
            )
            return
        if self.wake is not None:
            addressed = self.wake.addressed(utt, transcript)
            if addressed is None:
                return
            transcript = addressed
        utt.transcript = transcript
        await self.responder.answer(utt, early=early)

    def push_to_talk(self, on: bool) -> None:
        """Turns end only when the user says so (`end_turn`), not after a pause: the client
        sends audio only while a button is held."""
        self.detector.manual = on

    async def end_turn(self) -> None:
        """The user ended the turn (released the push-to-talk button): what was said is a turn
        now, whatever the pause; the connection stays open for the next."""
        if (stopped := self.listener.stop()) is not None:
            self.detector.speech_ended(stopped)
        await self.detector.finish()

    # -- end --------------------------------------------------------------------------------
    async def finish(self) -> None:
        """The input ended: answer the last words, then wait for the answer to be spoken."""
        self.consent.ended = True
        self.responder.release_all()  # no more words can come
        await self.end_turn()
        self.consent.unanswered()
        if self.responder.task is not None:
            await asyncio.gather(self.responder.task, return_exceptions=True)
        if not self.listener.speech_seen:
            self.log.issue("no-speech", "No speech was heard in the audio.")

    async def abort(self, reason: str) -> None:
        """The input broke off (a client left): drop half-heard words, stop any reply."""
        speaking = self.listener.drop()
        if self.detector.utt is not None or speaking:
            self.log.note(
                EventType.AUDIO_ISSUE, code="utterance-dropped",
                message=f"The input ended mid-utterance ({reason}); those words were not sent.",
            )
        self.detector.utt = None
        await self.responder.stop()

    async def close(self) -> None:
        if self.responder.replying:
            await self.speaker.stop()
        r = self.responder
        for task in (r.warming, self.transcriber.draft_task, r.prefilling, self.detector.deciding, r.task):
            if task is not None and not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
