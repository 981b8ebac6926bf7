"""What the user has said since the last turn: the audio of its VAD segments, when its voice
last ended, and the transcription under way."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from os1.voice.stt import Transcript

# a transcription under way: (the transcript, how many ms it took, perf_counter when done)
SttTask = asyncio.Task[tuple[Transcript, float, float]]


@dataclass
class Utterance:
    """What the user has said since the last turn, possibly over several VAD segments."""

    started_at: float  # seconds of input audio
    audio: list[np.ndarray] = field(default_factory=list)
    speech_s: float = 0.0
    end_audio: float = 0.0  # audio time when speech last ended
    end_wall: float = 0.0  # perf_counter when that audio arrived
    start_wall: float = 0.0
    transcript: Transcript | None = None
    transcript_wall: float = 0.0
    stt_ms: float = 0.0
    stt_task: SttTask | None = None
    wake: dict[str, Any] | None = None  # how the wake phrase was heard, for the turn's trace

    def samples(self) -> np.ndarray:
        return np.concatenate(self.audio) if self.audio else np.zeros(0, np.float32)
