"""Voice activity detection with Silero's ONNX model, run by onnxruntime directly (the
silero-vad package's own API imports torch, which OS1 does not ship)."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from os1.voice.audio import STT_RATE, VoiceUnavailableError

CHUNK = 512  # samples at 16 kHz = 32 ms: the model's window
CONTEXT = 64


def silero_path() -> Path:
    """The ONNX file inside the silero-vad wheel, found without importing the package."""
    spec = importlib.util.find_spec("silero_vad")
    if spec is None or not spec.submodule_search_locations:
        raise VoiceUnavailableError(
            "The voice activity model (silero-vad) is not installed.",
            fix="Run 'pip install --no-deps silero-vad==6.2.3' (or 'make setup-dev').",
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "silero_vad.onnx"
    if not path.exists():
        raise VoiceUnavailableError(f"{path} is missing from the silero-vad package.")
    return path


class SileroVAD:
    """Speech probability per 32 ms chunk of 16 kHz float audio; keeps the model's state."""

    def __init__(self, path: Path | None = None) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.inter_op_num_threads = opts.intra_op_num_threads = 1
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(path or silero_path()), opts, providers=["CPUExecutionProvider"]
        )
        self.reset()

    def reset(self) -> None:
        self._state = np.zeros((2, 1, 128), np.float32)
        self._context = np.zeros((1, CONTEXT), np.float32)

    def __call__(self, chunk: np.ndarray) -> float:
        if len(chunk) != CHUNK:
            raise ValueError(f"VAD chunks are {CHUNK} samples, not {len(chunk)}")
        x = np.concatenate([self._context, chunk.reshape(1, -1).astype(np.float32)], axis=1)
        out, self._state = self.session.run(
            None, {"input": x, "state": self._state, "sr": np.array(STT_RATE, np.int64)}
        )
        self._context = x[:, -CONTEXT:]
        return float(out[0][0])


@dataclass
class VadEvent:
    kind: str  # "start" | "end"
    at: float  # seconds of input audio where it happened


class Segmenter:
    """Turns per-chunk probabilities into speech segments with hysteresis.

    Speech starts after `start_chunks` chunks above `on`; it ends after `end_ms` below `off`.
    Keeps a pre-roll so the first syllable reaches the recogniser.
    """

    def __init__(
        self,
        on: float = 0.5,
        off: float = 0.35,
        start_chunks: int = 3,
        end_ms: float = 160.0,
        preroll_ms: float = 300.0,
        max_s: float = 30.0,
    ) -> None:
        self.on, self.off, self.start_chunks = on, off, start_chunks
        self.end_chunks = max(1, round(end_ms / 32))
        self.preroll = int(preroll_ms / 1000 * STT_RATE)
        self.max_samples = int(max_s * STT_RATE)
        self.speaking = False
        self._above = 0
        self._below = 0
        self._pre: list[np.ndarray] = []
        self.segment: list[np.ndarray] = []
        self.t = 0.0  # seconds of audio seen
        self.last_voice_at = 0.0
        self.silence_s = 0.0  # since the last voiced chunk (while not speaking)

    def feed(self, chunk: np.ndarray, prob: float) -> list[VadEvent]:
        self.t += len(chunk) / STT_RATE
        events: list[VadEvent] = []
        if prob >= self.on:
            self._above += 1
            self._below = 0
            self.last_voice_at = self.t
            self.silence_s = 0.0
        else:
            self._above = 0
            if prob < self.off:
                self._below += 1
        if not self.speaking:
            self._pre.append(chunk)
            while sum(len(c) for c in self._pre) > self.preroll + len(chunk) * self.start_chunks:
                self._pre.pop(0)
            if self._above >= self.start_chunks:
                self.speaking = True
                self.segment = self._pre
                self._pre = []
                events.append(VadEvent("start", self.t - self.start_chunks * len(chunk) / STT_RATE))
            else:
                self.silence_s = self.t - self.last_voice_at
        else:
            self.segment.append(chunk)
            too_long = sum(len(c) for c in self.segment) >= self.max_samples
            if self._below >= self.end_chunks or too_long:
                self.speaking = False
                events.append(VadEvent("end", self.last_voice_at))
        return events

    def take(self) -> np.ndarray:
        """The audio of the segment so far (and forget it)."""
        audio = np.concatenate(self.segment) if self.segment else np.zeros(0, np.float32)
        self.segment = []
        return audio
