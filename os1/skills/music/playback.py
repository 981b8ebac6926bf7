"""Playing a piece on this machine's speaker through PortAudio (python-sounddevice).

Playing can begin from the first phrase alone (`Player.start`) and go on seamlessly once the
whole piece is rendered (`Player.extend`): the stream reads from whichever audio is newest at
the same position, so a 60-second piece sounds within a second or two of being asked for.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import soundfile

from os1.skills.music.render import MusicError


def _sounddevice() -> Any:
    try:
        import sounddevice as sd

        if not any(d.get("max_output_channels", 0) > 0 for d in sd.query_devices()):
            raise MusicError("This machine has no speaker.", fix="Export the piece and play it elsewhere: "
                             "os1 music export N DIR.")
        return sd
    except (ImportError, OSError) as exc:
        raise MusicError(f"Playing needs PortAudio and python-sounddevice ({exc}).",
                         fix="Install them: apt-get install libportaudio2; pip install sounddevice==0.5.6.") from exc


class Player:
    """A stereo output stream over audio that may grow while it plays."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.audio = np.zeros((0, 2), np.float32)
        self.pos = 0
        self.complete = False
        self.done = threading.Event()
        self._lock = threading.Lock()
        self._stream: Any = None

    def start(self, wav: Path) -> None:
        self.audio = soundfile.read(str(wav), dtype="float32", always_2d=True)[0]
        sd = _sounddevice()
        self._stream = sd.OutputStream(samplerate=self.rate, channels=2, dtype="float32", callback=self._cb)
        self._stream.start()

    def extend(self, wav: Path) -> None:
        """Go on with the whole piece from where the first phrase has got to."""
        full = soundfile.read(str(wav), dtype="float32", always_2d=True)[0]
        with self._lock:
            # Each rendering is levelled on its own: match the whole to what is already heard.
            n = min(len(self.audio), len(full))
            if n and not self.complete:
                heard, whole = float(np.sqrt(np.mean(self.audio[:n] ** 2))), float(np.sqrt(np.mean(full[:n] ** 2)))
                if heard > 0 and whole > 0:
                    full = np.clip(full * (heard / whole), -1.0, 1.0)
            self.audio, self.complete = full, True

    def _cb(self, out: np.ndarray, frames: int, _t: Any, _s: Any) -> None:
        with self._lock:
            chunk = self.audio[self.pos:self.pos + frames]
            self.pos += len(chunk)
            out[: len(chunk)] = chunk
            out[len(chunk):] = 0
            if self.complete and self.pos >= len(self.audio):
                self.done.set()

    def wait(self, limit_s: float, stop: threading.Event | None = None) -> None:
        """Until the piece has played (or `limit_s` passed, or `stop` is set), then close the stream."""
        deadline = time.monotonic() + limit_s
        while not self.done.wait(0.1) and time.monotonic() < deadline and not (stop and stop.is_set()):
            pass
        if self._stream is not None:
            self._stream.stop()
            self._stream.close()


def play_file(wav: Path, stop: threading.Event | None = None) -> None:
    """Play a rendered piece to its end, or until `stop` is set (blocking)."""
    player = Player(soundfile.info(str(wav)).samplerate)
    player.start(wav)
    player.extend(wav)
    player.wait(soundfile.info(str(wav)).duration + 2, stop)
