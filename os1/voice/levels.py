"""How loud the user is against the room: whether input counts as noisy, which sets how sure
whisper must be of a turn's words (os1/voice/stt.py)."""

from __future__ import annotations

import collections

import numpy as np

NOISY_SNR_DB = 20.0  # speech to background under this is noisy (a busy room is ~15 dB)


class Levels:
    """The input's speech level (running RMS of chunks the VAD is sure are speech) and its
    background: the floor (20th percentile) of the RMS of the last ~5 s of chunks it is sure
    are not. An "s" or a "th" has the VAD probability of noise and the energy of speech (a mean
    over such chunks read clean "Say something nice." as 13 dB); the floor passes over them."""

    def __init__(self, keep: float = 0.95, window: int = 150) -> None:
        self.keep = keep
        self.speech: float | None = None
        self._quiet: collections.deque[float] = collections.deque(maxlen=window)

    def feed(self, chunk: np.ndarray, prob: float) -> None:
        rms = float(np.sqrt(np.mean(chunk**2)))
        if prob >= 0.8:
            self.speech = rms if self.speech is None else self.keep * self.speech + (1 - self.keep) * rms
        elif prob < 0.35:
            self._quiet.append(rms)

    @property
    def noise(self) -> float | None:
        return float(np.percentile(self._quiet, 20)) if len(self._quiet) >= 5 else None

    def snr_db(self) -> float:
        """Infinite until both levels are known, or when the background is digital silence."""
        noise = self.noise
        if self.speech is None or noise is None or noise <= 1e-5:
            return float("inf")
        return 20 * float(np.log10(max(self.speech, 1e-9) / noise))
