"""The piece as sound: fluidsynth plays the MIDI on Debian's piano soundfont into a WAV, which
is levelled (peak at -1 dBFS, never clipped) and also written as OGG Vorbis by soundfile.

Every function here blocks (a subprocess, file writes): callers run them in a thread.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import soundfile

from os1.errors import OS1Error

RATE = 44100
PEAK = 10 ** (-1 / 20)  # -1 dBFS
SOUNDFONTS = (
    Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"),
    Path("/usr/share/sounds/sf2/default-GM.sf2"),
    Path("/usr/share/sounds/sf3/default-GM.sf3"),
)


class MusicError(OS1Error):
    """Rendering audio is impossible on this machine (no synthesizer or soundfont)."""


def soundfont() -> Path:
    found = next((p for p in SOUNDFONTS if p.exists()), None)
    if found is None or shutil.which("fluidsynth") is None:
        raise MusicError("No synthesizer to play the piece with.",
                         fix="Install the Debian packages fluidsynth and fluid-soundfont-gm "
                             "(bash scripts/system-deps.sh run).")
    return found


def synthesize(midi: Path, wav: Path) -> np.ndarray:
    """fluidsynth's rendering of `midi` as float samples (frames x 2), written raw to `wav`."""
    # Dynamic sample loading reads only the piano's samples, not the whole 148 MB soundfont:
    # the same audio, a quarter of the memory, sooner.
    cmd = ["fluidsynth", "-n", "-i", "-q", "-o", "synth.dynamic-sample-loading=1", "-g", "0.5",
           "-r", str(RATE), "-O", "float", "-T", "wav",
           "-F", str(wav), str(soundfont()), str(midi)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0 or not wav.exists():
        raise MusicError(f"fluidsynth failed: {done.stderr.strip()[:300]}",
                         fix="Check that fluidsynth runs: fluidsynth --version.")
    audio, _ = soundfile.read(str(wav), dtype="float32", always_2d=True)
    return np.asarray(audio)


def level(audio: np.ndarray) -> np.ndarray:
    """Scaled so the loudest sample peaks at -1 dBFS (never clipped, never too quiet to hear);
    the tail's near-silence trimmed."""
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    if peak > 0:
        audio = audio * (PEAK / peak)
    loud = np.nonzero(np.max(np.abs(audio), axis=1) > 1e-3)[0]
    end = int(loud[-1]) + RATE // 10 if loud.size else len(audio)
    return audio[: min(end, len(audio))]


def render_audio(midi: Path, folder: Path, name: str = "piece") -> dict[str, Path]:
    """`name`.wav (16-bit) and `name`.ogg in `folder`, from `midi`."""
    raw = folder / f"{name}.raw.wav"
    audio = level(synthesize(midi, raw))
    raw.unlink(missing_ok=True)
    wav, ogg = folder / f"{name}.wav", folder / f"{name}.ogg"
    soundfile.write(str(wav), audio, RATE, subtype="PCM_16")
    # In blocks: libsndfile's Vorbis encoder crashes on one large write.
    with soundfile.SoundFile(str(ogg), "w", RATE, audio.shape[1], format="OGG", subtype="VORBIS") as out:
        for i in range(0, len(audio), 16384):
            out.write(audio[i:i + 16384])
    return {"wav": wav, "ogg": ogg}
