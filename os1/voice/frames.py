"""Typed frames (the pipecat idea, wyoming's explicit audio formats).

System frames act at once and survive an interruption; data frames are queued in order and an
interruption drops whatever of them is still waiting. Audio always states rate, width and channels.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

if TYPE_CHECKING:
    from os1.voice.utterance import Utterance


@dataclass(frozen=True)
class AudioFormat:
    rate: int
    width: int = 2  # bytes per sample: 1 (unsigned 8-bit), 2 (PCM16), 4 (PCM32)
    channels: int = 1

    def __post_init__(self) -> None:
        if not 1000 <= self.rate <= 384000:
            raise ValueError(f"sample rate {self.rate} Hz is out of range")
        if self.width not in (1, 2, 4):
            raise ValueError(f"sample width {self.width} bytes is not supported")
        if not 1 <= self.channels <= 8:
            raise ValueError(f"{self.channels} channels is not supported")

    @property
    def frame_bytes(self) -> int:
        return self.width * self.channels

    def seconds(self, nbytes: int) -> float:
        return nbytes / (self.frame_bytes * self.rate)

    def to_dict(self) -> dict[str, int]:
        return {"rate": self.rate, "width": self.width, "channels": self.channels}


PCM16_16K = AudioFormat(16000)  # what VAD and STT work on


class Frame:
    """Base of every frame."""

    system: ClassVar[bool] = False


class SystemFrame(Frame):
    """Handled at once, ahead of queued data; never dropped by an interruption."""

    system = True


class DataFrame(Frame):
    """Queued and handled in order; dropped if still waiting when the user interrupts."""


@dataclass(frozen=True)
class AudioFrame(DataFrame):
    audio: bytes
    format: AudioFormat

    @property
    def duration(self) -> float:
        return self.format.seconds(len(self.audio))

    @classmethod
    def from_float(cls, samples: np.ndarray, rate: int) -> AudioFrame:
        pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
        return cls(pcm.tobytes(), AudioFormat(rate))


@dataclass(frozen=True)
class InputAudioFrame(AudioFrame):
    """Microphone audio: a system frame, since listening never stops, even mid-interruption."""

    system: ClassVar[bool] = True


@dataclass(frozen=True)
class OutputAudioFrame(AudioFrame):
    """Speech for the speaker: dropped when the user interrupts."""


@dataclass(frozen=True)
class TranscriptFrame(DataFrame):
    """Words heard: a draft while the user still speaks (`final` False), or a turn's words."""

    text: str
    final: bool = True


@dataclass(frozen=True)
class SentenceFrame(DataFrame):
    """One sentence of the reply, ready to be spoken."""

    text: str


@dataclass(frozen=True)
class UserStartedSpeaking(SystemFrame):
    """The VAD heard speech begin."""

    at: float  # seconds of input audio
    wall: float  # perf_counter when that audio arrived


@dataclass(frozen=True, eq=False)
class UserStoppedSpeaking(SystemFrame):
    """The VAD heard speech end; `audio` is the segment's (16 kHz float, with its pre-roll)."""

    at: float
    wall: float
    audio: np.ndarray


@dataclass(frozen=True)
class Interruption(SystemFrame):
    """The user spoke over the reply (barge-in): playback and generation were stopped. The
    times count from when the user's voice arrived; the generation's, until the reply's stream
    was closed and stored."""

    heard_at_s: float  # seconds of input audio
    detect_ms: float
    playback_stop_ms: float
    spoken: int  # how many pieces of the reply had begun to play
    generation_stop_ms: float | None = None  # None until the reply's stream is closed

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Retraction(SystemFrame):
    """The user went on before any of the answer was heard: the turn was taken back (nothing
    of it stays stored) and its words are heard on as one thought."""

    text: str
    utterance: Utterance = dataclasses.field(compare=False)
