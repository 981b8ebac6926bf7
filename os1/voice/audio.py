"""Audio conversion: any PCM format to float mono at a target rate, WAV in/out, quality checks.

Everything downstream (VAD, echo gate, STT) works on float32 mono 16 kHz; this is the one place
that knows about widths, channels and rates.
"""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from os1.errors import OS1Error
from os1.voice.frames import AudioFormat, AudioFrame

STT_RATE = 16000
CLIP_LEVEL = 0.985  # |sample| at or above this counts as clipped


class AudioError(OS1Error):
    """Audio that cannot be used as it is."""

    code = "audio_invalid"


class VoiceUnavailableError(OS1Error):
    """A voice part (model package, device) is not installed or not present."""

    code = "voice_unavailable"


def to_float_mono(frame: AudioFrame) -> np.ndarray:
    """PCM bytes of any supported format -> float32 mono in [-1, 1]."""
    fmt = frame.format
    usable = len(frame.audio) - len(frame.audio) % fmt.frame_bytes  # a torn last frame is dropped
    raw = frame.audio[:usable]
    if fmt.width == 1:
        x = (np.frombuffer(raw, np.uint8).astype(np.float32) - 128.0) / 128.0
    elif fmt.width == 2:
        x = np.frombuffer(raw, "<i2").astype(np.float32) / 32768.0
    else:
        x = np.frombuffer(raw, "<i4").astype(np.float32) / 2147483648.0
    if fmt.channels > 1:
        x = x.reshape(-1, fmt.channels).mean(axis=1)
    return x


def _lowpass_taps(cutoff: float, n: int = 63) -> np.ndarray:
    """Windowed-sinc FIR; cutoff as a fraction of the sample rate (0..0.5)."""
    t = np.arange(n) - (n - 1) / 2
    taps = 2 * cutoff * np.sinc(2 * cutoff * t) * np.hamming(n)
    result: np.ndarray = (taps / taps.sum()).astype(np.float32)
    return result


class Resampler:
    """Streaming resampler (anti-alias FIR + linear interpolation) that keeps state between
    chunks, so chunk boundaries do not click."""

    def __init__(self, src: int, dst: int) -> None:
        self.src, self.dst = src, dst
        self.step = src / dst
        self.taps = _lowpass_taps(0.45 * min(1.0, dst / src)) if dst < src else None
        self._hist = np.zeros(0 if self.taps is None else len(self.taps) - 1, np.float32)
        self._buf = np.zeros(0, np.float32)
        self._pos = 0.0  # next output position, in input samples relative to _buf[0]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        if self.src == self.dst:
            return x.astype(np.float32, copy=False)
        if self.taps is not None:
            padded = np.concatenate([self._hist, x])
            self._hist = padded[len(padded) - len(self._hist):] if len(self._hist) else self._hist
            x = np.convolve(padded, self.taps, mode="valid").astype(np.float32)
        self._buf = np.concatenate([self._buf, x])
        last = len(self._buf) - 1
        if last < 1:
            return np.zeros(0, np.float32)
        n = int(np.floor((last - self._pos) / self.step)) + 1 if self._pos <= last else 0
        idx = self._pos + self.step * np.arange(n)
        out: np.ndarray = np.interp(idx, np.arange(len(self._buf)), self._buf).astype(np.float32)
        self._pos += self.step * n
        keep = int(np.floor(self._pos))
        self._buf = self._buf[keep:]
        self._pos -= keep
        return out


def resample(x: np.ndarray, src: int, dst: int) -> np.ndarray:
    return Resampler(src, dst)(x) if src != dst else x.astype(np.float32, copy=False)


def read_sound(path: Path, rate: int) -> np.ndarray:
    """A sound file (WAV, OGG, FLAC; any channels) as float mono at `rate` (blocking: seconds
    of decoding and resampling for a long piece, so callers run it in a thread)."""
    import soundfile

    data, src = soundfile.read(str(path), dtype="float32", always_2d=True)
    return resample(data.mean(axis=1), int(src), rate)


def audible(x: np.ndarray, rate: int, floor_db: float = -60.0, margin_s: float = 0.01) -> np.ndarray:
    """The part of a synthesized piece that can be heard, with a little margin each side.
    hibari starts every piece with ~0.3 s of digital silence and ends it with ~0.3-0.5 s: played
    as it is, the first sound of a reply came ~0.3 s after its "first audio", and sentences
    were ~0.8 s apart."""
    loud = np.flatnonzero(np.abs(x) >= 10 ** (floor_db / 20))
    if not len(loud):
        return x[:0]
    margin = int(margin_s * rate)
    return x[max(0, int(loud[0]) - margin) : int(loud[-1]) + 1 + margin]


def to_pcm16(x: np.ndarray) -> bytes:
    data: bytes = (np.clip(x, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
    return data


@dataclass
class WavInput:
    frame: AudioFrame
    issues: list[tuple[str, str]] = field(default_factory=list)  # (code, message)


def read_wav(path: Path) -> WavInput:
    """Read a PCM WAV; a truncated file yields what it holds plus an issue, not an exception."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise AudioError(f"Cannot read {path}: {exc.strerror or exc}.", fix="Check the path.") from exc
    if len(data) < 44 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioError(
            f"{path} is not a WAV file (or is cut off before its header ends).",
            fix="Record or convert it as PCM WAV, e.g. 'sox in.mp3 -b 16 out.wav'.",
        )
    issues: list[tuple[str, str]] = []
    try:
        with wave.open(io.BytesIO(data)) as w:
            fmt = AudioFormat(w.getframerate(), w.getsampwidth(), w.getnchannels())
            declared = w.getnframes()
            audio = w.readframes(declared)
    except (wave.Error, EOFError, ValueError) as exc:
        raise AudioError(
            f"{path} cannot be read as PCM audio ({exc}).",
            fix="Convert it to 16-bit PCM WAV, e.g. 'sox in.wav -b 16 -e signed out.wav'.",
        ) from exc
    got = len(audio) // fmt.frame_bytes
    if got < declared:
        issues.append(
            ("truncated", f"The WAV header promises {declared} frames but only {got} are there.")
        )
    return WavInput(AudioFrame(audio, fmt), issues)


def write_wav(path: Path, x: np.ndarray, rate: int) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(to_pcm16(x))


def format_issues(fmt: AudioFormat) -> list[tuple[str, str]]:
    """What the conversion to 16 kHz mono does to this format, worth one event each."""
    issues = []
    if fmt.rate != STT_RATE:
        issues.append(("resampled", f"Audio at {fmt.rate} Hz was resampled to {STT_RATE} Hz."))
    if fmt.channels > 1:
        issues.append(("downmixed", f"{fmt.channels} channels were mixed down to one."))
    return issues


def rate_issue(audio_s: float, wall_s: float) -> tuple[str, str] | None:
    """Live input arriving much faster or slower than real time (judged after 2 s): a clear
    event, since the turn's timing and partial transcripts assume real time."""
    if wall_s < 2.0:
        return None
    ratio = audio_s / wall_s
    if ratio > 1.5:
        return "input-fast", f"Audio arrives {ratio:.1f}x faster than real time; it is queued."
    if ratio < 0.6:
        return "input-slow", f"Audio arrives at {ratio:.1f}x real time; expect gaps."
    return None
