"""The optional wake phrase "Hey <name>" for always-listening setups.

No wake-word model ships offline, so the phrase is found in the transcript: each VAD segment is
transcribed by whisper with the companion's name in the initial prompt (which makes whisper spell
the name as the user's companion spells it), then matched here, forgiving the ways a recogniser
mishears a name ("Hey Samanta", "Hi, Samantha's", "Hey Nava" for Nova). The words after the phrase
are the turn; a bare "Hey <name>" opens a short window in which the next utterance is the turn.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from os1.events import EventType
from os1.voice.log import VoiceLog
from os1.voice.stt import Transcript
from os1.voice.utterance import Utterance

GREETINGS = {"hey", "hi", "hello", "okay", "ok", "hay", "hei", "heh", "a", "eh", "oh", "yo"}
# everyday words a recogniser never writes for a name it was prompted with: never taken for it
COMMON = set(
    "a an the i you we he she it they them me my our your there their here hear is are was were "
    "be do to too two so no now how who why what when where which and or but if then than that "
    "this can will would could should say see yes one on in of at all".split()
)
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_LEAD = re.compile(r"^[\s,.;:!?\-–—…]+")


def _sounds(word: str) -> str:
    """A rough sound key: vowels alike, doubled letters once, silent trailing h/'s dropped."""
    w = word.lower().replace("'s", "")
    w = re.sub(r"ph", "f", w)
    w = re.sub(r"[aeiouy]+", "a", w)
    w = re.sub(r"(.)\1+", r"\1", w)
    return w.rstrip("h") or w


def similarity(heard: str, name: str) -> float:
    """How alike two spellings are, by letters and by rough sound (the better of the two)."""
    a, b = heard.lower().replace("'s", ""), name.lower()
    return max(SequenceMatcher(None, a, b).ratio(), SequenceMatcher(None, _sounds(a), _sounds(b)).ratio())


@dataclass(frozen=True)
class WakeMatch:
    rest: str  # what the user said after the phrase ("" for a bare "Hey Samantha")
    heard: str  # the words taken for the name
    score: float


class WakePhrase:
    """Finds "Hey <name>" (or "<name>," alone) at the start of a transcript."""

    def __init__(self, name: str, threshold: float = 0.7) -> None:
        self.name = name.strip()
        if not _WORD.search(self.name):
            raise ValueError("a wake phrase needs a name with letters")
        self.threshold = threshold
        self._parts = len(_WORD.findall(self.name))

    @property
    def prompt(self) -> str:
        """whisper's initial prompt: it makes the name come out spelled this way."""
        return f"Hey {self.name}."

    def match(self, text: str) -> WakeMatch | None:
        words = list(_WORD.finditer(text))
        if not words:
            return None
        greeted = 1 if words[0].group().lower() in GREETINGS and len(words) > 1 else 0
        # the name as spelled, else split by the recogniser into one more word ("Sam Antha")
        for n in (self._parts, self._parts + 1):
            span = words[greeted : greeted + n]
            if len(span) < n:
                continue
            if span[0].group().lower() in COMMON - {self.name.lower()}:
                continue
            heard = text[span[0].start() : span[-1].end()]
            joined, name = re.sub(r"[\s'-]+", "", heard), re.sub(r"[\s'-]+", "", self.name)
            if n > self._parts and len(joined) > len(name) + 2:
                continue  # a split name is about as long as the name
            score = similarity(joined, name)
            # without "hey", or split in two, only a close match counts: "Nova, ..." yes, "Now" no
            need = self.threshold if greeted and n == self._parts else max(self.threshold, 0.85)
            if score >= need:
                rest = _LEAD.sub("", text[span[-1].end() :])
                return WakeMatch(rest[:1].upper() + rest[1:], heard, round(score, 2))
        return None


class WakeGate:
    """Wake mode: only words addressed to the companion are a turn. A bare "Hey <name>" keeps
    it listening for `window_s`: the next utterance begun in that time is the turn."""

    def __init__(self, name: str, log: VoiceLog, window_s: float) -> None:
        self.phrase = WakePhrase(name)
        self.log = log
        self.window_s = window_s
        self._awake_until = float("-inf")  # audio time until which no wake phrase is needed

    @property
    def prompt(self) -> str:
        return self.phrase.prompt

    def addressed(self, utt: Utterance, transcript: Transcript) -> Transcript | None:
        """The words after "Hey <name>" (or any words just after a bare "Hey <name>"); None
        when the user was not talking to the companion."""
        match = self.phrase.match(transcript.text)
        if match is None:
            if utt.started_at <= self._awake_until:
                self._awake_until = float("-inf")
                utt.wake = {"after_phrase": True}
                return transcript
            self.log.note(
                EventType.AUDIO_ISSUE, code="not-addressed", text=transcript.text,
                message=f"Heard speech without 'Hey {self.phrase.name}'; not answered.",
            )
            return None
        utt.wake = {"heard": match.heard, "score": match.score}
        self.log.note(EventType.WAKE, heard=match.heard, score=match.score, rest=match.rest)
        if not any(c.isalnum() for c in match.rest):  # "Hey Samantha." and a pause: listen on
            self._awake_until = utt.end_audio + self.window_s
            return None
        self._awake_until = float("-inf")
        return dataclasses.replace(transcript, text=match.rest)
