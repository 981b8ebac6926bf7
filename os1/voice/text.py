"""Text stages: the sentence splitter that feeds TTS while the model is still writing, and the
transcript-completeness test used by end-of-turn detection."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?;:])[\"')\]]*\s+|\n+")
# A thought that ends on one of these words is not finished: wait longer before answering.
_DANGLING = {
    "and", "but", "or", "so", "because", "if", "then", "the", "a", "an", "to", "of", "with",
    "for", "in", "on", "at", "my", "your", "is", "are", "was", "um", "uh", "like", "that",
    "which", "when", "about", "from", "also", "maybe",
}
# Words before which a speaker may pause: the first piece of a reply can end there when it has
# no comma, so a long first sentence is not waited for whole before any sound
# (docs/decisions/0005-end-of-turn-timing.md). The word must be whole, so text follows it.
_JOINT = re.compile(
    r"\s(?=(?:because|and|but|so|or|which|while|when|where|although|though|since|unless|before|after|until|if)\s)"
)
# Words a first piece cut at a word boundary must not end on: "The capital of | France" would
# break a phrase a speaker keeps together ("The time is | 14:05" is how people say it).
_CLINGING = {
    "the", "a", "an", "of", "to", "my", "your", "his", "her", "our", "their", "its", "this", "that",
    "in", "on", "at", "for", "with", "from", "by", "and", "or", "but", "not", "very", "i", "i'm",
    "you", "we", "it", "it's", "can", "will", "would", "could", "should", "do", "don't",
}


class SentenceSplitter:
    """Feed streamed text; get whole sentences as soon as each ends. The first piece, which the
    first audio waits for, ends sooner: at its first sentence end or comma once it has
    `first_min_chars` ("Sure," "I'm sorry," "Hello Ari!"; the model writes ~20 tokens a second
    here, and "Sure, I can help you with that." waited ~0.5 s for its end), or before a joining
    word ("because", "and"...) once it is `first_clause_chars` long. Four characters keep
    "Dr." and "Mr." whole; "Yes," and "No," wait for more."""

    def __init__(self, min_chars: int = 12, first_clause_chars: int = 40, first_min_chars: int = 4) -> None:
        self.buf = ""
        self.min_chars = min_chars
        self.first_clause_chars = first_clause_chars
        self.first_min_chars = first_min_chars
        self.emitted = 0

    def feed(self, text: str) -> list[str]:
        self.buf += text
        out = []
        while True:
            cut = None
            least = self.first_min_chars if self.emitted == 0 else self.min_chars
            for m in _BOUNDARY.finditer(self.buf):
                if len(self.buf[: m.start()].strip()) >= least:
                    cut = m
                    break
            if cut is None and self.emitted == 0:
                comma = self.buf.find(", ", self.first_min_chars)
                if comma >= 0:
                    out.append(self.buf[: comma + 1].strip())
                    self.buf = self.buf[comma + 2 :]
                    self.emitted += 1
                    continue
            if cut is None and self.emitted == 0 and len(self.buf) > self.first_clause_chars:
                joint = next((m for m in _JOINT.finditer(self.buf) if m.start() >= self.first_clause_chars), None)
                if joint is not None:
                    out.append(self.buf[: joint.start()].strip())
                    self.buf = self.buf[joint.end() :]
                    self.emitted += 1
                    continue
            if cut is None:
                return out
            sentence = self.buf[: cut.end()].strip()
            self.buf = self.buf[cut.end() :]
            if sentence:
                out.append(sentence)
                self.emitted += 1

    def cut_words(self, min_words: int = 3) -> list[str]:
        """The first piece now, at the last whole word, when the model is slow to end it (the
        voice loop calls this once the first words have waited): "The capital of France | is
        Paris." starts its sound ~4 tokens sooner. Nothing once a piece has gone, nor before
        `min_words` whole words, nor after a word that binds to the next."""
        if self.emitted:
            return []
        end = max(self.buf.rfind(" "), self.buf.rfind("\n"))
        head = self.buf[:end].strip() if end > 0 else ""
        words = re.findall(r"[\w'’:.-]+", head.lower())
        if len(words) < min_words or words[-1].strip(".-:") in _CLINGING:
            return []
        self.buf = self.buf[end:].lstrip()
        self.emitted += 1
        return [head]

    def flush(self) -> list[str]:
        rest, self.buf = self.buf.strip(), ""
        self.emitted += bool(rest)  # what follows (the next step, a notice) is no first piece
        return [rest] if rest else []


def looks_complete(text: str) -> bool:
    """Does the transcript read like a finished thought (not "and...", "I'd like to")? A final
    stop is not asked for: whisper (tiny.en) puts one after fragments as readily (19 of 20
    espeak-spoken fragments: "I need to write a letter.") as after whole commands (18 of 20),
    so it tells nothing, and a bare command ("Turn off the light") would wait for the long
    silence instead of the short one."""
    t = text.strip()
    if not t or t.endswith(("...", "…", ",", "-")):
        return False
    words = re.findall(r"[A-Za-z']+", t.lower())
    return not (words and words[-1] in _DANGLING)
