"""Input conditioning and voice activity: any audio format in, speech segments out.

Each frame is converted to 16 kHz float mono (its format's problems told once), watched for
clipping and, when live, for a rate that is not real time; each 32 ms chunk then passes the echo
gate (OS1's own voice taken out) and the VAD, whose segmenter says where speech starts and ends.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np

from os1.voice.audio import CLIP_LEVEL, STT_RATE, Resampler, format_issues, rate_issue, to_float_mono
from os1.voice.config import VoiceConfig
from os1.voice.echo import EchoGate
from os1.voice.frames import AudioFormat, AudioFrame, UserStartedSpeaking, UserStoppedSpeaking
from os1.voice.levels import Levels
from os1.voice.log import VoiceLog
from os1.voice.vad import CHUNK, Segmenter, SileroVAD

SpeechFrame = UserStartedSpeaking | UserStoppedSpeaking
CLIPPING = 0.005  # the share of samples at full scale over which the input is called clipping


class Listener:
    """Audio frames in; per 32-ms chunk, the speech frames the VAD found in it."""

    def __init__(self, cfg: VoiceConfig, log: VoiceLog) -> None:
        self.cfg = cfg
        self.log = log
        self.live = False  # input paced by a clock: its rate is watched
        self.vad = SileroVAD()
        self.seg = Segmenter(end_ms=cfg.vad_hangover_ms)
        self.gate = EchoGate()
        self.levels = Levels()
        self.speech_seen = False
        self._buf = np.zeros(0, np.float32)
        self._resamplers: dict[AudioFormat, Resampler] = {}
        self._ref_resampler: Resampler | None = None
        self._clip = [0, 0]
        self._audio_s = 0.0
        self._wall0: float | None = None

    @property
    def t(self) -> float:
        """Seconds of input audio heard."""
        return self.seg.t

    @property
    def speaking(self) -> bool:
        return self.seg.speaking

    @property
    def last_voice_at(self) -> float:
        return self.seg.last_voice_at

    def heard_so_far(self) -> list[np.ndarray]:
        """The audio of the segment in progress."""
        return self.seg.segment

    def played(self, samples: np.ndarray, rate: int) -> None:
        """What the speaker actually played: the echo gate's reference."""
        if self._ref_resampler is None or self._ref_resampler.src != rate:
            self._ref_resampler = Resampler(rate, STT_RATE)
        self.gate.played(self._ref_resampler(samples))

    def hear(self, frame: AudioFrame, now: float) -> Iterator[list[SpeechFrame]]:
        """The frame's chunks, one at a time: each is heard only when the caller asks for the
        next, so what it does with one chunk's speech frames comes before the next chunk."""
        if self._wall0 is None:
            self._wall0 = now
        fmt = frame.format
        if fmt not in self._resamplers:
            self._resamplers[fmt] = Resampler(fmt.rate, STT_RATE)
            for code, message in format_issues(fmt):
                self.log.issue(code, message)
        x = to_float_mono(frame)
        self._clip[0] += int(np.sum(np.abs(x) >= CLIP_LEVEL))
        self._clip[1] += len(x)
        if self._clip[1] > STT_RATE and self._clip[0] / self._clip[1] > CLIPPING:
            self.log.issue("clipping", "The input is clipping (too loud); speech may be misheard.")
        self._audio_s += frame.duration
        if self.live and (found := rate_issue(self._audio_s, now - self._wall0)):
            self.log.issue(*found)
        self._buf = np.concatenate([self._buf, self._resamplers[fmt](x)])
        while len(self._buf) >= CHUNK:
            chunk, self._buf = self._buf[:CHUNK], self._buf[CHUNK:]
            yield self._chunk(chunk, now)

    def _chunk(self, chunk: np.ndarray, now: float) -> list[SpeechFrame]:
        if self.cfg.echo_gate:
            chunk, _ = self.gate(chunk)
        prob = self.vad(chunk)
        self.levels.feed(chunk, prob)
        frames: list[SpeechFrame] = []
        for ev in self.seg.feed(chunk, prob):
            wall = now - (self.seg.t - ev.at)  # when it happened: `now`, less the audio since
            if ev.kind == "start":
                self.speech_seen = True
                frames.append(UserStartedSpeaking(ev.at, wall))
            else:
                frames.append(UserStoppedSpeaking(ev.at, wall, self.seg.take()))
        return frames

    def stop(self) -> UserStoppedSpeaking | None:
        """The input ended or paused (push-to-talk released): speech in progress ends where its
        voice last was, and the rate is watched afresh when audio comes again."""
        self._wall0, self._audio_s = None, 0.0
        if not self.seg.speaking:
            return None
        self.seg.speaking = False
        return UserStoppedSpeaking(self.seg.last_voice_at, time.perf_counter(), self.seg.take())

    def drop(self) -> bool:
        """The input broke off: forget speech in progress (True if there was some)."""
        was = self.seg.speaking
        self.seg.speaking = False
        return was
