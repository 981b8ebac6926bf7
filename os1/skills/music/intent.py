"""What a piece should be, chosen by the model from the moment: mood, key, tempo, meter, form,
register, a motif idea and dynamics.

The model answers under a JSON schema whose enums and bounds make every answer a playable
intent; an answer that still cannot be read (a missing field, a failed call) falls back to an
intent read from the moment's mood words, so a piece is always written.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any

from os1.errors import ModelError

if TYPE_CHECKING:
    from os1.models.base import LLM

log = logging.getLogger(__name__)

MOODS = ("tender", "joyful", "wistful", "calm", "playful", "solemn", "hopeful", "melancholy")
TONICS = ("C", "G", "D", "A", "E", "F", "Bb", "Eb", "Ab")
MODES = ("major", "minor")
METERS = ("4/4", "3/4")
FORMS = ("AB", "ABA", "AABA")
REGISTERS = ("low", "middle", "high")
MOTIFS = ("rising", "falling", "arch", "valley", "leap", "repeated")
DYNAMICS = ("pp", "p", "mp", "mf", "f")
TEMPO = (48, 144)  # quarter notes a minute
LENGTH = (30, 120)  # seconds


@dataclass(frozen=True)
class Intent:
    mood: str = "tender"
    tonic: str = "D"
    mode: str = "major"
    tempo: int = 76
    meter: str = "3/4"
    form: str = "ABA"
    register: str = "middle"
    motif: str = "arch"
    dynamics: str = "mp"
    seconds: int = 60

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        """In words, for the tool's result and `os1 music list`."""
        return (f"{self.mood}, {self.tonic} {self.mode}, {self.meter}, {self.tempo} bpm, "
                f"form {self.form}, {self.register} register, {self.dynamics}")


SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "mood": {"type": "string", "enum": list(MOODS)},
        "tonic": {"type": "string", "enum": list(TONICS)},
        "mode": {"type": "string", "enum": list(MODES)},
        "tempo": {"type": "integer", "minimum": TEMPO[0], "maximum": TEMPO[1]},
        "meter": {"type": "string", "enum": list(METERS)},
        "form": {"type": "string", "enum": list(FORMS)},
        "register": {"type": "string", "enum": list(REGISTERS)},
        "motif": {"type": "string", "enum": list(MOTIFS)},
        "dynamics": {"type": "string", "enum": list(DYNAMICS)},
    },
    "required": ["mood", "tonic", "mode", "tempo", "meter", "form", "register", "motif", "dynamics"],
    "additionalProperties": False,
}

PROMPT = (
    "You are about to compose a short piano piece as a gift for this moment: \"{moment}\".{memories}\n"
    "Choose its musical intent: the mood, the key (tonic and major or minor), the tempo in beats "
    "a minute, the meter, the form, the register, the shape of the opening motif and the dynamics. "
    "Answer in JSON."
)

# Mood words of a moment, for the fallback: the first mood whose words it says.
MOOD_WORDS: dict[str, str] = {
    "melancholy": r"sad|loss|lost|miss(?:ing)?|grief|griev|funeral|died|cry|tears|lonely|alone",
    "wistful": r"remember|memor|nostalg|used to|old days|goodbye|leav|autumn|fall|rain",
    "solemn": r"solemn|serious|church|anniversary|honou?r|vow|wedding|ceremony",
    "playful": r"play|fun|silly|laugh|joke|dance|game|cat|dog|puppy|kitten",
    "joyful": r"joy|happy|celebrat|party|birthday|beach|sun|summer|won|success|great day",
    "calm": r"calm|sleep|night|quiet|rest|peace|relax|lullaby|evening|sea|lake|snow",
    "hopeful": r"hope|new|start|begin|morning|spring|tomorrow|future|journey",
    "tender": r"love|together|us\b|our|kiss|hold|close|tender|gentle|you and me",
}
# What each mood sounds like when the model does not say.
BY_MOOD: dict[str, Intent] = {
    "tender": Intent("tender", "D", "major", 72, "3/4", "ABA", "middle", "arch", "p"),
    "joyful": Intent("joyful", "G", "major", 120, "4/4", "AABA", "high", "rising", "mf"),
    "wistful": Intent("wistful", "E", "minor", 80, "3/4", "ABA", "middle", "falling", "mp"),
    "calm": Intent("calm", "F", "major", 60, "4/4", "AB", "middle", "valley", "pp"),
    "playful": Intent("playful", "C", "major", 132, "4/4", "AABA", "high", "leap", "mf"),
    "solemn": Intent("solemn", "Eb", "major", 56, "4/4", "AB", "low", "repeated", "mp"),
    "hopeful": Intent("hopeful", "A", "major", 96, "4/4", "ABA", "middle", "rising", "mp"),
    "melancholy": Intent("melancholy", "A", "minor", 64, "3/4", "ABA", "low", "falling", "p"),
}
_MOOD_RES = {mood: re.compile(rf"\b(?:{words})", re.I) for mood, words in MOOD_WORDS.items()}


def from_mood_words(moment: str, seconds: int = 60) -> Intent:
    """The fallback: the intent of the first mood whose words the moment says (tender if none)."""
    mood = next((m for m, pattern in _MOOD_RES.items() if pattern.search(moment)), "tender")
    return replace(BY_MOOD[mood], seconds=clamp_seconds(seconds))


def clamp_seconds(seconds: int) -> int:
    return max(LENGTH[0], min(LENGTH[1], int(seconds)))


def parse(answer: Any, seconds: int = 60) -> Intent | None:
    """The model's answer as an Intent, or None when a field is missing or out of bounds (a
    backend without grammar-constrained output may write anything)."""
    if not isinstance(answer, dict):
        return None
    choices = {"mood": MOODS, "tonic": TONICS, "mode": MODES, "meter": METERS, "form": FORMS,
               "register": REGISTERS, "motif": MOTIFS, "dynamics": DYNAMICS}
    values: dict[str, Any] = {}
    for name, allowed in choices.items():
        value = str(answer.get(name, "")).strip()
        if value not in allowed:
            return None
        values[name] = value
    try:
        tempo = int(answer.get("tempo", ""))
    except (TypeError, ValueError):
        return None
    if not TEMPO[0] <= tempo <= TEMPO[1]:
        return None
    return Intent(**values, tempo=tempo, seconds=clamp_seconds(seconds))


async def choose_intent(llm: LLM | None, moment: str, *, memories: str = "", seconds: int = 60,
                        attempts: int = 2) -> tuple[Intent, bool]:
    """The model's intent for the moment, and whether the model chose it (False: the mood-word
    fallback). Retried once a little warmer: a small model often repeats an unusable answer."""
    if llm is not None:
        said = f"\nWhat you remember of it: {memories}" if memories else ""
        text = PROMPT.format(moment=moment.strip()[:300], memories=said)
        for attempt in range(attempts):
            try:
                answer = await llm.complete_json([{"role": "user", "content": text}], SCHEMA,
                                                 temperature=0.7 + 0.2 * attempt, max_tokens=120)
            except ModelError as exc:
                log.info("no intent from the model: %s", exc)
                continue
            intent = parse(answer, seconds)
            if intent is not None:
                return intent, True
            log.info("the model's intent was not usable: %r", answer)
    return from_mood_words(moment, seconds), False
