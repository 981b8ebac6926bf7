"""Transcription: the words of an utterance as a turn takes them, words read ahead at the first
chunk without voice, and drafts while the user still speaks.

A transcription is a task, replaced (not awaited) when more speech comes; whisper asks, from its
thread, whether it is still wanted before going on to its full window (os1/voice/stt.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Protocol

import numpy as np

from os1.voice.audio import STT_RATE
from os1.voice.config import VoiceConfig
from os1.voice.frames import TranscriptFrame
from os1.voice.levels import NOISY_SNR_DB
from os1.voice.listening import Listener
from os1.voice.stt import SURE_LOGPROB, UNSURE_LOGPROB, Transcript
from os1.voice.utterance import SttTask, Utterance
from os1.voice.vad import CHUNK


class Recogniser(Protocol):
    """What the voice loop needs of a speech recogniser (WhisperSTT, or a test's stand-in)."""

    name: str

    async def transcribe(
        self, audio: np.ndarray, prompt: str | None = None, *, draft: bool = False,
        min_logprob: float | None = SURE_LOGPROB, wanted: Callable[[], bool] | None = None,
    ) -> Transcript: ...


class Transcriber:
    """Runs the recogniser for the utterance in progress (`current()`)."""

    def __init__(
        self,
        stt: Recogniser,
        cfg: VoiceConfig,
        listener: Listener,
        current: Callable[[], Utterance | None],
        on_draft: Callable[[TranscriptFrame], None],
        prompt: str | None = None,
    ) -> None:
        self.stt = stt
        self.cfg = cfg
        self.listener = listener
        self.current = current
        self.on_draft = on_draft
        self.prompt = prompt  # whisper's initial prompt (the wake phrase spells the name)
        self.live = False
        # words transcribed at the first chunk without voice, before the VAD calls the segment
        # over: (that voice's end, the task)
        self.ahead: tuple[float, SttTask] | None = None
        self.last_draft = 0.0  # audio time of the last draft (or of the speech's start)
        self.draft_task: asyncio.Task[None] | None = None

    def transcribe(self, utt: Utterance, audio: np.ndarray | None = None) -> SttTask:
        """The utterance's words as a turn would take them: (transcript, its ms, when done)."""
        audio = utt.samples() if audio is None else audio

        def wanted() -> bool:  # not once more speech replaced the task (stt.py: no full window then)
            ahead = self.ahead
            return self.current() is utt and (utt.stt_task is task or (ahead is not None and ahead[1] is task))

        async def run() -> tuple[Transcript, float, float]:
            t0 = time.perf_counter()
            # in noise whisper is unsure of most words in any window, and the full one heard
            # no better (bench/voice/stt_window.py): only nonsense goes on to it there
            noisy = self.listener.levels.snr_db() < NOISY_SNR_DB
            result = await self.stt.transcribe(
                audio, self.prompt, min_logprob=UNSURE_LOGPROB if noisy else SURE_LOGPROB, wanted=wanted
            )
            return result, (time.perf_counter() - t0) * 1000, time.perf_counter()

        task = asyncio.create_task(run())
        return task

    def take_ahead(self, utt: Utterance, at: float) -> None:
        """The segment ended with its voice at `at`: the words read ahead there are the
        utterance's (else it is transcribed again, with these words too)."""
        ahead = self.ahead
        utt.stt_task = ahead[1] if ahead is not None and ahead[0] == at else None
        self.ahead = None  # after: its transcription asks (from a thread) whether it is still wanted

    def maybe_ahead(self, utt: Utterance) -> None:
        """The first chunk without voice may be where the words end: transcribe them now, not
        after the VAD's hangover (3 chunks more). Kept when the segment ends with no voice
        since; the VAD often dips inside an utterance, and then it is of no use."""
        heard = self.listener
        if not (self.live and self.cfg.early_reply):
            return
        since = heard.t - heard.last_voice_at
        if since <= 0 or since > 1.5 * CHUNK / STT_RATE:
            return
        if self.ahead is None or self.ahead[0] != heard.last_voice_at:
            audio = np.concatenate([utt.samples(), *heard.heard_so_far()])
            self.ahead = (heard.last_voice_at, self.transcribe(utt, audio))

    def maybe_draft(self, utt: Utterance) -> None:
        """Every so often while the user speaks (live), a draft of the words so far."""
        heard = self.listener
        if not (self.cfg.partials and self.live):
            return
        if heard.t - self.last_draft < self.cfg.partial_every_s:
            return
        if self.draft_task is not None and not self.draft_task.done():
            return
        if self.ahead is not None and not self.ahead[1].done():
            return  # the words so far are being transcribed already (and would wait behind a draft)
        self.last_draft = heard.t
        audio = np.concatenate([utt.samples(), *heard.heard_so_far()])

        async def draft() -> None:
            t = await self.stt.transcribe(audio, self.prompt, draft=True)
            if t.usable:
                self.on_draft(TranscriptFrame(t.text, final=False))

        self.draft_task = asyncio.create_task(draft())
