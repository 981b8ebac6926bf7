"""The voice loop: listen (convert, echo gate, VAD, end of turn, STT), then answer through the
same core turn as text chat (Session.turn), speaking the reply sentence by sentence.

Stage timings (speech start/end, transcript, first token, first audio, interruption) go into
the turn's own trace, so text and voice turns are traced, stored and benchmarked alike.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable

import numpy as np

from os1.core.conversation import Session
from os1.core.tools import ConfirmationRequest
from os1.events import Event, EventType, Trace
from os1.voice import confirm
from os1.voice.audio import CLIP_LEVEL, STT_RATE, Resampler, format_issues, rate_issue, to_float_mono
from os1.voice.config import VoiceConfig
from os1.voice.echo import EchoGate
from os1.voice.frames import AudioFormat, AudioFrame
from os1.voice.levels import NOISY_SNR_DB, Levels
from os1.voice.speaker import AudioSink, Speaker
from os1.voice.stt import SURE_LOGPROB, UNSURE_LOGPROB, Transcript, WhisperSTT
from os1.voice.text import SentenceSplitter, looks_complete
from os1.voice.tts import TTS
from os1.voice.utterance import Utterance
from os1.voice.vad import CHUNK, Segmenter, SileroVAD
from os1.voice.wake import WakePhrase


READ_AHEAD_WAIT_S = 5.0  # how long a turn waits for a read-ahead of its own prompt
ANSWER_HEARD_OUT_S = 15.0  # an answer to a question asked aloud, begun in time, may take this long more


@dataclass
class VoiceModels:
    """The loaded models one process shares between voice sessions."""

    stt: WhisperSTT
    tts: TTS
    note: str | None = None  # e.g. the chosen voice is not installed and espeak-ng speaks instead


class VoiceAgent:
    def __init__(
        self,
        session: Session,
        models: VoiceModels,
        sink: AudioSink,
        config: VoiceConfig | None = None,
        on_event: Callable[[Event], None] | None = None,
    ) -> None:
        self.session = session
        self.models = models
        self.sink = sink
        self.cfg = config or VoiceConfig()
        self.on_event = on_event
        self.trace = Trace()  # voice events outside any turn (issues, partials, dropped speech)
        self.events: list[Event] = []
        self.vad = SileroVAD()
        self.seg = Segmenter(end_ms=self.cfg.vad_hangover_ms)
        self.gate = EchoGate()
        self.speaker = Speaker(models.tts, sink)
        self.speaker.on_first_audio = self._first_audio
        self.utt: Utterance | None = None
        self.reply_task: asyncio.Task[None] | None = None
        self._answering: Utterance | None = None  # what the reply in progress answers
        self._turn_began = False  # ...its turn has begun (stored the user's words)
        self._heard = False  # ...some of it has been played
        self._hold: asyncio.Event | None = None  # ...started early: it may be heard once set
        self.turn_trace: Trace | None = None
        self.turns = 0
        self.interruptions: list[dict[str, Any]] = []
        self._buf = np.zeros(0, np.float32)
        self._resamplers: dict[AudioFormat, Resampler] = {}
        self._ref_resampler: Resampler | None = None
        self._issues: set[str] = set()
        self._pauses: list[float] = []
        self._audio_s = 0.0
        self._wall0: float | None = None
        self._live = False
        self._last_partial = 0.0
        self._partial_task: asyncio.Task[None] | None = None
        # words transcribed at the first chunk without voice, before the VAD calls the segment
        # over: (that voice's end, the task)
        self._ahead: tuple[float, asyncio.Task[tuple[Transcript, float, float]]] | None = None
        self._clip = [0, 0]
        self.levels = Levels()
        self._speech_seen = False
        self._warming: asyncio.Task[None] | None = None
        self._prefilling: asyncio.Task[None] | None = None
        self._prefilled = ""
        self._watched: asyncio.Task[Any] | None = None  # the transcription that decides the turn when done
        self._deciding: asyncio.Task[None] | None = None
        self.wake = WakePhrase(self.cfg.wake) if self.cfg.wake else None
        self._awake_until = float("-inf")  # audio time until which no wake phrase is needed
        self._prompt = self.wake.prompt if self.wake else None
        self._answer: asyncio.Future[str] | None = None  # the words that answer a question asked aloud
        self._ended = False  # the input is over: nobody is left to answer a question
        if self.cfg.confirm_aloud and isinstance(session, Session) and session.c.settings.confirm == "ask":
            session.confirm = self.ask_aloud

    # -- events -----------------------------------------------------------------------------
    def _emit(self, event: Event) -> Event:
        self.events.append(event)
        if self.on_event is not None:
            self.on_event(event)
        return event

    def issue(self, code: str, message: str) -> None:
        """Tell about a problem with the input once, as a clear event."""
        if code not in self._issues:
            self._issues.add(code)
            self._emit(self.trace.emit(EventType.AUDIO_ISSUE, code=code, message=message))

    @property
    def replying(self) -> bool:
        return self.reply_task is not None and not self.reply_task.done()

    def played(self, samples: np.ndarray, rate: int) -> None:
        """The sink reports what the speaker actually played: the echo gate's reference."""
        if self._ref_resampler is None or self._ref_resampler.src != rate:
            self._ref_resampler = Resampler(rate, STT_RATE)
        self.gate.played(self._ref_resampler(samples))

    @property
    def asking(self) -> bool:
        return self._answer is not None and not self._answer.done()

    async def ask_aloud(self, request: ConfirmationRequest) -> bool:
        """The session's confirmer: speak the question; the user's next words answer it."""
        if self._ended:
            return False
        question = confirm.question(request)
        if self.turn_trace is not None:
            self._emit(self.turn_trace.emit(EventType.CONFIRM_ASKED, tool=request.tool, text=question))
        self._answer = asyncio.get_running_loop().create_future()
        if self.speaker.task is None:
            self.speaker.start()
        self.speaker.say(question)
        try:
            return confirm.approves(await self._heard_answer(self._answer))
        finally:
            self._answer = None

    async def _heard_answer(self, answer: asyncio.Future[str]) -> str:
        """The words that answer, or "" when none came within the timeout. An answer begun by
        then is heard out: cut off, its words became a turn of their own and the question a no
        (tests/voice/test_voice_confirm.py, when whisper took long over them)."""
        for wait in (self.cfg.answer_timeout_s, ANSWER_HEARD_OUT_S):
            try:
                return await asyncio.wait_for(asyncio.shield(answer), wait)
            except TimeoutError:
                if self.utt is None:
                    break
        return ""

    # -- input ------------------------------------------------------------------------------
    def start(self, *, live: bool = False) -> None:
        """Before the first frame: `live` input is paced by a clock (rate is watched, partial
        transcripts are made); the persona goes into the prompt cache while the user speaks."""
        self._live = live
        if self.cfg.warm and self._warming is None:
            self._warming = asyncio.create_task(self.session.warm())
            self._warming.add_done_callback(lambda t: t.cancelled() or t.exception())

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
        now = time.perf_counter()
        if self._wall0 is None:
            self._wall0 = now
        fmt = frame.format
        if fmt not in self._resamplers:
            self._resamplers[fmt] = Resampler(fmt.rate, STT_RATE)
            for code, message in format_issues(fmt):
                self.issue(code, message)
        x = to_float_mono(frame)
        self._clip[0] += int(np.sum(np.abs(x) >= CLIP_LEVEL))
        self._clip[1] += len(x)
        if self._clip[1] > STT_RATE and self._clip[0] / self._clip[1] > 0.005:
            self.issue("clipping", "The input is clipping (too loud); speech may be misheard.")
        self._audio_s += frame.duration
        self._watch_rate(now)
        self._buf = np.concatenate([self._buf, self._resamplers[fmt](x)])
        while len(self._buf) >= CHUNK:
            chunk, self._buf = self._buf[:CHUNK], self._buf[CHUNK:]
            await self._chunk(chunk, now)
        await asyncio.sleep(0)  # let replies and transcriptions run between frames

    def _watch_rate(self, now: float) -> None:
        if self._live and self._wall0 is not None and (found := rate_issue(self._audio_s, now - self._wall0)):
            self.issue(*found)

    async def _chunk(self, chunk: np.ndarray, now: float) -> None:
        if self.cfg.echo_gate:
            chunk, _ = self.gate(chunk)
        prob = self.vad(chunk)
        self.levels.feed(chunk, prob)
        for ev in self.seg.feed(chunk, prob):
            lag = self.seg.t - ev.at  # how long ago, in audio, it happened
            if ev.kind == "start":
                await self._speech_started(ev.at, now - lag)
            else:
                self._speech_ended(ev.at, now - lag)
        if self.seg.speaking:
            self._maybe_ahead()
            self._maybe_partial()
        elif self.utt is not None:
            await self._maybe_commit()
        elif self._hold is not None and not self._hold.is_set() and self._answering is not None:
            if self.seg.t - max(self._answering.end_audio, self.seg.last_voice_at) >= self._short_silence():
                self._hold.set()

    async def _speech_started(self, at: float, wall: float) -> None:
        self._speech_seen = True
        self._emit(self.trace.emit(EventType.SPEECH_START, at_s=round(at, 3)))
        if self.asking:  # an answer to the question: quiet the question, keep the turn
            await self.speaker.stop()
            self.speaker.start()
        elif self.replying and not await self._resume(at):
            if self.cfg.barge_in:
                await self.interrupt(at, wall)
        if self.utt is not None:  # not answered yet: the same thought goes on
            self._pauses.append(at - self.utt.end_audio)  # a mid-thought pause
            self.utt.stt_task = None  # more words: the transcript under way is of no use
        else:
            self.utt = Utterance(at, start_wall=wall)
        self._last_partial = at

    def _speech_ended(self, at: float, wall: float) -> None:
        if self.utt is None:
            return
        audio = self.seg.take()
        self.utt.audio.append(audio)
        self.utt.speech_s += len(audio) / STT_RATE
        self.utt.end_audio, self.utt.end_wall = at, wall
        # transcribe again, with these words too, unless that began when their voice ended
        ahead = self._ahead
        self.utt.stt_task = ahead[1] if ahead is not None and ahead[0] == at else None
        self._ahead = None  # after: its transcription asks (from a thread) whether it is still wanted

    def _short_silence(self) -> float:
        """Adaptive: a user who pauses long mid-thought gets a longer wait before the answer."""
        base = self.cfg.short_silence_ms / 1000
        if not self._pauses:
            return base
        typical = float(np.median(self._pauses[-8:]))
        return min(max(base, 1.2 * typical), self.cfg.long_silence_ms / 1000)

    def _maybe_ahead(self) -> None:
        """The first chunk without voice may be where the words end: transcribe them now, not
        after the VAD's hangover (3 chunks more). Kept when the segment ends with no voice
        since; the VAD dips inside an utterance ~0.7 times in the voice bench's."""
        seg, utt = self.seg, self.utt
        if not (self._live and self.cfg.early_reply) or utt is None:
            return
        since = seg.t - seg.last_voice_at
        if since <= 0 or since > 1.5 * CHUNK / STT_RATE:
            return
        if self._ahead is None or self._ahead[0] != seg.last_voice_at:
            self._ahead = (seg.last_voice_at, self._transcribe(utt, np.concatenate([utt.samples(), *seg.segment])))

    def _maybe_partial(self) -> None:
        if not (self.cfg.partials and self._live) or self.utt is None:
            return
        if self.seg.t - self._last_partial < self.cfg.partial_every_s:
            return
        if self._partial_task is not None and not self._partial_task.done():
            return
        if self._ahead is not None and not self._ahead[1].done():
            return  # the words so far are being transcribed already (and would wait behind a draft)
        self._last_partial = self.seg.t
        utt, audio = self.utt, np.concatenate([self.utt.samples(), *self.seg.segment])

        async def partial() -> None:
            t = await self.models.stt.transcribe(audio, self._prompt, draft=True)
            if t.usable:
                self._emit(self.trace.emit(EventType.TRANSCRIPT, text=t.text, final=False))
                self._prefill(t.text)  # the words so far: their prompt is read while more come

        self._partial_task = asyncio.create_task(partial())

    async def _maybe_commit(self, force: bool = False) -> None:
        utt = self.utt
        assert utt is not None
        silence = self.seg.t - utt.end_audio
        # Finished-sounding words wait for silence since the last voiced chunk: speech that
        # resumes is heard a few chunks before the VAD calls it speech. (Not the long wait: a
        # blip of noise now and then must not hold the turn open.)
        quiet = self.seg.t - max(utt.end_audio, self.seg.last_voice_at)
        if utt.stt_task is None:  # the segment ended: transcribe during the pause
            utt.stt_task = self._transcribe(utt)
        pending = utt.stt_task is not None and not utt.stt_task.done()
        if pending and self._live:
            self._decide_when_transcribed(utt)
        if force or (pending and not self._live and quiet >= self._short_silence()):
            # a file is not real time: decide in audio time, as if transcription were instant
            await asyncio.shield(utt.stt_task)  # type: ignore[arg-type]
        if utt.stt_task is None or not utt.stt_task.done():
            return
        transcript, utt.stt_ms, utt.transcript_wall = utt.stt_task.result()
        complete = looks_complete(transcript.text)
        if force or silence >= self.cfg.long_silence_ms / 1000 or (
            complete and quiet >= self._short_silence()
        ):
            await self._commit(utt, transcript)
        elif (
            complete and transcript.usable and self._live and self.cfg.early_reply and not self.asking
            and utt.speech_s * 1000 >= self.cfg.min_speech_ms
        ):
            await self._commit(utt, transcript, early=True)
        elif complete and transcript.usable:
            self._prefill(transcript.text)  # the turn is likely: its prompt is read meanwhile

    def _decide_when_transcribed(self, utt: Utterance) -> None:
        """Decide the turn the moment its words are transcribed, not at the next chunk of
        audio (up to 32 ms later; voice bench: 20-37 ms from transcript to turn)."""
        task = utt.stt_task
        if task is None or task is self._watched:
            return
        self._watched = task

        async def decide() -> None:  # asked when it runs: a chunk may have decided meanwhile
            if self.utt is utt and utt.stt_task is task and not self.seg.speaking:
                await self._maybe_commit()

        def done(t: asyncio.Task[Any]) -> None:
            if not t.cancelled():
                self._deciding = asyncio.create_task(decide())

        task.add_done_callback(done)

    def _prefill(self, text: str) -> None:
        """Start reading a likely turn's prompt into the model (one at a time; nothing stored)."""
        if not self.cfg.prefill or self.wake is not None or self.replying or text == self._prefilled:
            return
        if self._prefilling is not None and not self._prefilling.done():
            return
        self._prefilled = text
        self._prefilling = asyncio.create_task(self.session.prefill(text))
        self._prefilling.add_done_callback(lambda t: t.cancelled() or t.exception())

    def _transcribe(
        self, utt: Utterance, audio: np.ndarray | None = None
    ) -> asyncio.Task[tuple[Transcript, float, float]]:
        """The utterance's words as a turn would take them (a task replaced, not awaited, when
        more speech comes meanwhile)."""
        audio = utt.samples() if audio is None else audio

        def wanted() -> bool:  # not once more speech replaced the task (stt.py: no full window then)
            ahead = self._ahead
            return self.utt is utt and (utt.stt_task is task or (ahead is not None and ahead[1] is task))

        async def run() -> tuple[Transcript, float, float]:
            t0 = time.perf_counter()
            # in noise whisper is unsure of most words in any window, and the full one heard
            # no better (bench/voice/stt_window.py): only nonsense goes on to it there
            noisy = self.levels.snr_db() < NOISY_SNR_DB
            result = await self.models.stt.transcribe(
                audio, self._prompt, min_logprob=UNSURE_LOGPROB if noisy else SURE_LOGPROB, wanted=wanted
            )
            return result, (time.perf_counter() - t0) * 1000, time.perf_counter()

        task = asyncio.create_task(run())
        return task

    async def _commit(self, utt: Utterance, transcript: Transcript, *, early: bool = False) -> None:
        """Answer the utterance. `early`: before the short silence is over; the answer is
        held until it is (released in _chunk)."""
        self.utt = None
        if utt.speech_s * 1000 < self.cfg.min_speech_ms or not transcript.usable:
            self._emit(self.trace.emit(
                EventType.AUDIO_ISSUE, code="not-understood",
                message="Heard a sound but no words; nothing was sent.",
                text=transcript.text, no_speech=round(transcript.no_speech, 2),
            ))
            return
        if self.asking:  # the answer to a question asked aloud needs no wake phrase
            assert self._answer is not None
            self._emit(self.trace.emit(EventType.TRANSCRIPT, text=transcript.text, final=True, answer=True))
            self._answer.set_result(transcript.text)
            return
        if self.wake is not None:
            addressed = self._addressed(utt, transcript)
            if addressed is None:
                return
            transcript = addressed
        if self.replying:  # without barge-in, turns wait for the previous answer
            await asyncio.gather(self.reply_task, return_exceptions=True)  # type: ignore[arg-type]
        utt.transcript = transcript
        self._answering, self._turn_began, self._heard = utt, False, False
        self._hold = asyncio.Event() if early else None
        if early:  # should the input stall (no chunks come to release it), it is heard anyway
            asyncio.get_running_loop().call_later(self.cfg.long_silence_ms / 1000, self._hold.set)
        self.speaker.hold = self._hold
        self.reply_task = asyncio.create_task(self._reply(utt))

    def _addressed(self, utt: Utterance, transcript: Transcript) -> Transcript | None:
        """Wake mode: the words after "Hey <name>" (or any words just after a bare "Hey <name>");
        None when the user was not talking to the companion."""
        assert self.wake is not None
        match = self.wake.match(transcript.text)
        if match is None:
            if utt.started_at <= self._awake_until:
                self._awake_until = float("-inf")
                utt.wake = {"after_phrase": True}
                return transcript
            self._emit(self.trace.emit(
                EventType.AUDIO_ISSUE, code="not-addressed", text=transcript.text,
                message=f"Heard speech without 'Hey {self.wake.name}'; not answered.",
            ))
            return None
        utt.wake = {"heard": match.heard, "score": match.score}
        self._emit(self.trace.emit(EventType.WAKE, heard=match.heard, score=match.score, rest=match.rest))
        if not any(c.isalnum() for c in match.rest):  # "Hey Samantha." and a pause: listen on
            self._awake_until = utt.end_audio + self.cfg.wake_window_s
            return None
        self._awake_until = float("-inf")
        return dataclasses.replace(transcript, text=match.rest)

    # -- output -----------------------------------------------------------------------------
    def _first_audio(self, at: float, tts_ms: float) -> None:
        self._heard = True
        if self.turn_trace is not None and self.turn_trace.first(EventType.FIRST_AUDIO) is None:
            self._emit(self.turn_trace.record(EventType.FIRST_AUDIO, at, tts_ms=round(tts_ms, 1)))

    async def _reply(self, utt: Utterance) -> None:
        assert utt.transcript is not None
        text = utt.transcript.text
        splitter = SentenceSplitter(first_clause_chars=self.cfg.first_clause_chars)
        self.turn_trace = None
        if self._prefilling is not None and not self._prefilling.done():
            if await self.session.offer(self._prefilled) == await self.session.offer(text):
                # it reads this turn's prompt (the same tools before these or nearly these
                # words) into the model's slot: wait, do not start over. Not for ever: left
                # reading, it went on in one slot while the turn read the prompt again in the
                # other (1.5B, voice bench: 11-13 s to the first token); stopped, its slot keeps
                # what it has read, and the turn reads the rest
                await asyncio.wait([self._prefilling], timeout=READ_AHEAD_WAIT_S)
            # still reading after that, or words heard early were offered other tools (their
            # descriptions, hundreds of tokens, are of no use to this turn: 4-6 s waited): stop it
            self._prefilling.cancel()
            await asyncio.gather(self._prefilling, return_exceptions=True)
        self.speaker.start()
        turn = self.session.turn(text)
        first_words_at = 0.0
        try:
            async for event in turn:
                if event.type == EventType.TURN_START:
                    self.turns += 1
                    self._turn_began = True
                    self.turn_trace = trace = self.session.last_trace
                    assert trace is not None
                    self._emit(event)
                    for voice_event in (
                        trace.record(EventType.SPEECH_START, utt.start_wall, at_s=round(utt.started_at, 3)),
                        trace.record(EventType.SPEECH_END, utt.end_wall, speech_ms=round(utt.speech_s * 1000)),
                        trace.record(
                            EventType.TRANSCRIPT, utt.transcript_wall or time.perf_counter(),
                            text=text, final=True, stt_ms=round(utt.stt_ms, 1), stt=self.models.stt.name,
                            **({"wake": utt.wake} if utt.wake else {}),
                        ),
                    ):
                        self._emit(voice_event)
                    continue
                self._emit(event)
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
            await self.speaker.finish()
        finally:
            await turn.aclose()
        self._warm_next()

    def _warm_next(self) -> None:
        """After a reply, while the user listens or thinks: the next turn's window into the
        model's cache (it moves on every so many turns; a cache hit costs one token)."""
        if self.cfg.warm and (self._warming is None or self._warming.done()):
            self._warming = asyncio.create_task(self.session.warm())
            self._warming.add_done_callback(lambda t: t.cancelled() or t.exception())

    async def _resume(self, at: float) -> bool:
        """The user speaks again before any of the answer was heard, within the long pause: the
        words it answers were not finished (a pause between clauses). Take the turn back
        (nothing of it stays stored) and hear the whole thought as one. False when the answer
        has been heard in part, or a tool was called: that is a barge-in."""
        utt, task = self._answering, self.reply_task
        if (
            utt is None or task is None or self._heard or self.asking or self.utt is not None
            or at - utt.end_audio > self.cfg.long_silence_ms / 1000
            or (self._turn_began and not self.session.retractable)
        ):
            return False
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await self.speaker.stop()
        self.turn_trace = None
        if self._turn_began:
            if not await self.session.retract():
                return False  # a tool was called: the turn stays, stored as interrupted
            self.turns -= 1
        self._answering = None
        self.utt = utt  # the same thought goes on (see _speech_started)
        self._emit(self.trace.emit(EventType.TURN_RETRACTED, text=utt.transcript.text if utt.transcript else ""))
        return True

    async def interrupt(self, at: float, wall: float) -> None:
        """Barge-in: silence the speaker, stop generation, keep the partial reply as interrupted.
        `generation_stop_ms`: until the reply's stream is closed and stored; the engine drops
        the step it was computing, and the next request waits for it (os1/models/embedded.py)."""
        detected = time.perf_counter()
        task = self.reply_task
        await self.speaker.stop()
        stopped = time.perf_counter()
        info = {
            "heard_at_s": round(at, 3),
            "detect_ms": round((detected - wall) * 1000, 1),
            "playback_stop_ms": round((stopped - wall) * 1000, 1),
            "spoken": len(self.speaker.spoken),
        }
        if self.turn_trace is not None:
            self._emit(self.turn_trace.record(EventType.INTERRUPTION, stopped, **info))
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        info["generation_stop_ms"] = round((time.perf_counter() - wall) * 1000, 1)
        self.interruptions.append(info)
        self._emit(self.trace.emit(EventType.INTERRUPTION, **info))

    # -- end --------------------------------------------------------------------------------
    async def finish(self) -> None:
        """The input ended: answer the last words, then wait for the answer to be spoken."""
        self._ended = True
        if self._hold is not None:
            self._hold.set()  # no more words can come: what was started early may be heard
        if self.seg.speaking:
            self.seg.speaking = False
            self._speech_ended(self.seg.last_voice_at, time.perf_counter())
        if self.utt is not None:
            if self.utt.audio:
                await self._maybe_commit(force=True)
            else:
                self.utt = None
        if self.asking:
            assert self._answer is not None
            self._answer.set_result("")  # no more words will come: a question unanswered is a no
        if self.reply_task is not None:
            await asyncio.gather(self.reply_task, return_exceptions=True)
        if not self._speech_seen:
            self.issue("no-speech", "No speech was heard in the audio.")

    async def abort(self, reason: str) -> None:
        """The input broke off (a client left): drop half-heard words, stop any reply."""
        if self.utt is not None or self.seg.speaking:
            self._emit(self.trace.emit(
                EventType.AUDIO_ISSUE, code="utterance-dropped",
                message=f"The input ended mid-utterance ({reason}); those words were not sent.",
            ))
        self.utt = None
        self.seg.speaking = False
        if self.reply_task is not None and not self.reply_task.done():
            await self.speaker.stop()
            self.reply_task.cancel()
            await asyncio.gather(self.reply_task, return_exceptions=True)

    async def close(self) -> None:
        if self.replying:
            await self.speaker.stop()
        for task in (self._warming, self._partial_task, self._prefilling, self._deciding, self.reply_task):
            if task is not None and not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
