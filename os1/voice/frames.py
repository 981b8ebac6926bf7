"""Typed frames (the pipecat idea, wyoming's explicit audio formats).

System frames act at once and survive an interruption; data frames are queued in order and an
interruption drops whatever of them is still waiting. Audio always states rate, width and channels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np


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
    def from_float(cls, samples: np.ndarray, rate: int) -> "AudioFrame":
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
    text: str
    final: bool = True


@dataclass(frozen=True)
class SentenceFrame(DataFrame):
    """One sentence of the reply, ready to be spoken."""

    text: str


@dataclass(frozen=True)
class UserStartedSpeaking(SystemFrame):
    at: float  # seconds of input audio


@dataclass(frozen=True)
class UserStoppedSpeaking(SystemFrame):
    at: float


@dataclass(frozen=True)
class Interruption(SystemFrame):
    """The user spoke over the reply: stop playback and generation now."""

    at: float


@dataclass(frozen=True)
class EndFrame(SystemFrame):
    """No more input will come."""

    reason: str = "end"
    data: dict[str, Any] = field(default_factory=dict)
