"""Reference-signal echo gate: subtract OS1's own voice from the microphone before VAD.

The speaker's output (the reference) is kept for the last second. For each microphone chunk the
best-matching delay is found by cross-correlation and the scaled reference at that delay is
subtracted (a one-tap least-squares canceller per chunk). What remains is what the user said.
This handles a direct, delayed, attenuated echo (a loopback, a headset, a satellite's own
speaker); a reverberant room needs a full adaptive filter (e.g. speexdsp) in front of it.
"""

from __future__ import annotations

import numpy as np

from os1.voice.audio import STT_RATE


class EchoGate:
    def __init__(self, max_delay_ms: float = 400.0, history_s: float = 1.5) -> None:
        self.max_delay = int(max_delay_ms / 1000 * STT_RATE)
        self.size = int(history_s * STT_RATE)
        self.ref = np.zeros(self.size, np.float32)
        self.active_until = 0  # samples of reference written; nonzero energy lately?
        self._quiet = self.size

    def played(self, x: np.ndarray) -> None:
        """Record what the speaker just played (16 kHz float), in step with the microphone."""
        if len(x) == 0:
            return
        x = x[-self.size:]
        self.ref = np.concatenate([self.ref[len(x):], x.astype(np.float32)])
        self._quiet = 0 if np.any(np.abs(x) > 1e-4) else self._quiet + len(x)

    @property
    def active(self) -> bool:
        """Has OS1 been audible within the echo window?"""
        return self._quiet < self.max_delay + 4096

    def __call__(self, mic: np.ndarray) -> tuple[np.ndarray, float]:
        """The microphone chunk with the echo removed, and how much was removed (dB)."""
        if not self.active or len(mic) == 0:
            return mic, 0.0
        n = len(mic)
        window = self.ref[-(n + self.max_delay):]
        if not np.any(window):
            return mic, 0.0
        # correlation of mic against every delay of the reference, via FFT
        size = 1 << int(np.ceil(np.log2(len(window) + n)))
        corr = np.fft.irfft(np.fft.rfft(window, size) * np.conj(np.fft.rfft(mic, size)), size)
        corr = corr[: len(window) - n + 1]
        energy = np.convolve(np.square(window), np.ones(n, np.float32), mode="valid")
        score = np.where(energy > 1e-8, corr / np.sqrt(energy + 1e-12), 0.0)
        k = int(np.argmax(np.abs(score)))
        ref = window[k : k + n]
        gain = float(np.dot(mic, ref) / (np.dot(ref, ref) + 1e-9))
        residual = (mic - gain * ref).astype(np.float32)
        before = float(np.dot(mic, mic)) + 1e-12
        after = float(np.dot(residual, residual)) + 1e-12
        return residual, 10 * np.log10(before / after)
