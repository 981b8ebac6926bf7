"""How the voice loop listens and answers: pauses, partial transcripts, read-ahead, barge-in,
wake phrase. One object, passed to VoiceAgent and its processors; the defaults are what a live session runs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class VoiceConfig:
    # Answer after this pause when the words sound finished: longer than a speaker's pause
    # between two clauses, so a fast model's answer to the first is not heard before the user
    # goes on (docs/decisions/0005-end-of-turn-timing.md). A longer pause is still answered
    # early, and taken back when the user goes on before any of it is heard
    # (Responder.retract); a user who pauses longer gets a longer wait (TurnDetector.short_silence).
    short_silence_ms: float = 400.0
    # Live input: once the words sound finished, the answer is started at once (the transcript
    # is ready ~0.2 s into the pause) and held until the short silence is over: it is ready
    # when it may be heard, and words that go on before that take the turn back.
    early_reply: bool = True
    long_silence_ms: float = 1100.0  # ...and after this one in any case
    min_speech_ms: float = 200.0
    barge_in: bool = True
    echo_gate: bool = True
    partials: bool = True  # transcribe while the user speaks (live transports)
    partial_every_s: float = 1.0
    warm: bool = True  # put the persona into the prompt cache while the user speaks
    prefill: bool = True  # read the turn's prompt into the model while the user speaks/pauses
    vad_hangover_ms: float = 96.0  # silence that ends a VAD segment (and starts transcription)
    first_clause_chars: int = 20  # the first words go to TTS at a comma once this long
    # ...and at a word boundary once the reply's first words have waited this long for a comma
    # or sentence end (three words at least; None: never): a slow model's short sentence is
    # not waited for whole before any sound.
    first_words_after_s: float | None = 0.2
    wake: str | None = None  # the companion's name: answer only what starts "Hey <name>"
    wake_window_s: float = 8.0  # after a bare "Hey <name>", the next words are the turn
    confirm_aloud: bool = True  # side effects ask aloud (unless the config says confirm="deny")
    answer_timeout_s: float = 20.0  # no answer to that question is a no
