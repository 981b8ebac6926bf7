"""Turn detection: when what the user has said is a turn to answer.

Finished-sounding words are answered after a short silence (longer for a user who pauses long
mid-thought), anything after a long one; live, a turn that sounds finished is started at once
and held until the short silence is over (docs/decisions/0005-end-of-turn-timing.md).
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

import numpy as np

from os1.voice.audio import STT_RATE
from os1.voice.config import VoiceConfig
from os1.voice.frames import UserStartedSpeaking, UserStoppedSpeaking
from os1.voice.listening import Listener
from os1.voice.stt import Transcript
from os1.voice.text import looks_complete
from os1.voice.transcribing import Transcriber
from os1.voice.utterance import Utterance

PAUSES_KEPT = 8  # the mid-thought pauses the adaptive short silence looks at


class TurnHandler(Protocol):
    """Where a decided turn goes (the pipeline), and what it says back."""

    @property
    def asking(self) -> bool:
        """A question was asked aloud: the next words answer it (never started early)."""
        ...

    async def on_turn(self, utt: Utterance, transcript: Transcript, *, early: bool) -> None: ...

    def on_likely(self, text: str) -> None:
        """Words that sound finished, not yet a turn: it is likely, its prompt may be read."""
        ...


class TurnDetector:
    """Holds the utterance in progress and decides, chunk by chunk, when it is a turn."""

    def __init__(self, cfg: VoiceConfig, listener: Listener, transcriber: Transcriber, handler: TurnHandler) -> None:
        self.cfg = cfg
        self.listener = listener
        self.transcriber = transcriber
        self.handler = handler
        self.live = False  # decide in wall time as transcripts come (else in audio time)
        # Push-to-talk: the user says when the turn ends (`end`); no pause ends it meanwhile.
        self.manual = False
        self.utt: Utterance | None = None
        self.deciding: asyncio.Task[None] | None = None
        self._pauses: list[float] = []
        self._watched: asyncio.Task[Any] | None = None  # the transcription that decides the turn when done

    def speech_started(self, frame: UserStartedSpeaking) -> None:
        if self.utt is not None:  # not answered yet: the same thought goes on
            self._pauses.append(frame.at - self.utt.end_audio)  # a mid-thought pause
            self.utt.stt_task = None  # more words: the transcript under way is of no use
        else:
            self.utt = Utterance(frame.at, start_wall=frame.wall)

    def speech_ended(self, frame: UserStoppedSpeaking) -> None:
        utt = self.utt
        if utt is None:
            return
        utt.audio.append(frame.audio)
        utt.speech_s += len(frame.audio) / STT_RATE
        utt.end_audio, utt.end_wall = frame.at, frame.wall
        self.transcriber.take_ahead(utt, frame.at)

    def resume(self, utt: Utterance) -> None:
        """A turn was taken back: its words are the utterance in progress again."""
        self.utt = utt

    def short_silence(self) -> float:
        """Adaptive: a user who pauses long mid-thought gets a longer wait before the answer."""
        base = self.cfg.short_silence_ms / 1000
        if not self._pauses:
            return base
        typical = float(np.median(self._pauses[-PAUSES_KEPT:]))
        return min(max(base, 1.2 * typical), self.cfg.long_silence_ms / 1000)

    async def maybe_commit(self, force: bool = False) -> None:
        """A chunk without speech (or the end of input, `force`): is the utterance a turn?"""
        utt = self.utt
        assert utt is not None
        heard = self.listener
        silence = heard.t - utt.end_audio
        # Finished-sounding words wait for silence since the last voiced chunk: speech that
        # resumes is heard a few chunks before the VAD calls it speech. (Not the long wait: a
        # blip of noise now and then must not hold the turn open.)
        quiet = heard.t - max(utt.end_audio, heard.last_voice_at)
        if utt.stt_task is None:  # the segment ended: transcribe during the pause
            utt.stt_task = self.transcriber.transcribe(utt)
        pending = utt.stt_task is not None and not utt.stt_task.done()
        if pending and self.live:
            self.decide_when_transcribed(utt)
        if force or (pending and not self.live and quiet >= self.short_silence()):
            # a file is not real time: decide in audio time, as if transcription were instant
            await asyncio.shield(utt.stt_task)
        if utt.stt_task is None or not utt.stt_task.done():
            return
        transcript, utt.stt_ms, utt.transcript_wall = utt.stt_task.result()
        complete = looks_complete(transcript.text)
        if force or not self.manual and (
            silence >= self.cfg.long_silence_ms / 1000 or complete and quiet >= self.short_silence()
        ):
            await self._commit(utt, transcript)
        elif (
            complete and transcript.usable and self.live and self.cfg.early_reply and not self.handler.asking
            and not self.manual
            and utt.speech_s * 1000 >= self.cfg.min_speech_ms
        ):
            await self._commit(utt, transcript, early=True)
        elif complete and transcript.usable:
            self.handler.on_likely(transcript.text)  # the turn is likely: its prompt is read meanwhile

    async def _commit(self, utt: Utterance, transcript: Transcript, *, early: bool = False) -> None:
        self.utt = None
        await self.handler.on_turn(utt, transcript, early=early)

    def decide_when_transcribed(self, utt: Utterance) -> None:
        """Decide the turn the moment its words are transcribed, not at the next chunk of
        audio (up to 32 ms later), which may be long in coming when the input stops."""
        task = utt.stt_task
        if task is None or task is self._watched:
            return
        self._watched = task

        async def decide() -> None:  # asked when it runs: a chunk may have decided meanwhile
            if self.utt is utt and utt.stt_task is task and not self.listener.speaking:
                await self.maybe_commit()

        def done(t: asyncio.Task[Any]) -> None:
            if not t.cancelled():
                self.deciding = asyncio.create_task(decide())

        task.add_done_callback(done)

    async def finish(self) -> None:
        """No more words will come: what was said is a turn, if anything was."""
        if self.utt is None:
            return
        if self.utt.audio:
            await self.maybe_commit(force=True)
        else:
            self.utt = None
