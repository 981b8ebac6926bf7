"""Feelings in the user's words, as a friend would notice them (good news, a loss, worry, anger,
a joke), and the user asking how the companion itself is. The companion's mood moves with them
(os1/core/mood.py); they never decide what it says."""

from __future__ import annotations

import re

# Checked in this order: the first that matches names the mood it moves the companion to.
MOVES: list[tuple[str, re.Pattern[str]]] = [
    ("sympathetic", re.compile(
        r"\b(?:sad|lonely|alone|down|depressed|grief|grieving|heartbroken|cry|crying|cried|miss (?:him|her|them)|"
        r"divorce|funeral|passed away|died|lost my|broke up|dumped|hopeless|exhausted|miserable)\b", re.I)),
    ("protective", re.compile(
        r"\b(?:worried|anxious|nervous|scared|afraid|stressed|panic|dreading|overwhelmed)\b", re.I)),
    ("indignant on their behalf", re.compile(
        r"\b(?:angry|furious|annoyed|frustrated|pissed|mad at|unfair|fed up)\b", re.I)),
    ("glad", re.compile(
        r"\b(?:happy|excited|thrilled|proud|great news|good news|got the job|promoted|promotion|engaged|"
        r"married|won|passed|finished|celebrat\w*|wonderful|amazing|can'?t wait)\b", re.I)),
    ("amused", re.compile(r"(?:\b(?:haha\w*|lol|lmao|funny|hilarious|joke)\b|😂|🤣)", re.I)),
]

# "How are you?", "What have you been thinking about?", "How do you feel?"
ABOUT_ME = re.compile(
    r"\b(?:how (?:are|r) (?:you|u)(?: doing| feeling)?|how'?s it going with you|how do you feel|"
    r"how have you been|what(?:'s| is| have you been| are you)? (?:been )?(?:on your mind|thinking about)|"
    r"what have you been up to|are you (?:ok|okay|happy|sad|lonely|bored)|how was your day|"
    r"what'?s new with you|do you (?:ever )?(?:feel|get) (?:sad|lonely|happy|bored))\b",
    re.I,
)


def moved_to(text: str) -> str | None:
    """The mood the user's words move the companion to, or None when they leave it as it is."""
    for mood, words in MOVES:
        if words.search(text):
            return mood
    return None


def asks_about_me(text: str) -> bool:
    return bool(ABOUT_ME.search(text))
