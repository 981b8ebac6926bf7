"""Words about who the companion is: names that are clearly female or male (so a name chosen
for a female voice is not "Max"), the pronouns that must fit that voice, text in a script other
than the Latin one (a small model's stray Chinese word), and the user's requests to change it
("choose again", "be more playful")."""

from __future__ import annotations

import re
import unicodedata

# Common given names of clearly one gender in English-speaking and European use. A name on
# neither list is taken as it is: these only catch a choice that plainly contradicts the voice.
FEMALE_NAMES = frozenset(
    "ada alice amelia anna ava bella camille chloe clara daisy elena eliza ella ellie emily emma "
    "eva evelyn faye freya grace hannah harper hazel helen ingrid iris isla ivy jane julia juno "
    "lara laura lena lily lucia lucy luna mabel maya mia mila nadia naomi nina nora olivia "
    "penelope rosa rose ruby sara sarah samantha sofia sophia sophie stella tessa vera violet "
    "willow zara zoe abigail amanda aria audrey aurora celeste charlotte claire elizabeth "
    "jennifer jessica kate katie lauren madison maria megan natalie rachel rebecca scarlett "
    "serena sienna victoria".split()
)
MALE_NAMES = frozenset(
    "adam alex alexander arthur ben benjamin caleb charles daniel david eli elias ethan felix "
    "finn gabriel george henry hugo isaac jack jacob james jasper john jonah joseph julian leo "
    "liam lucas luke marcus mark matthew max maxwell michael milo nathan noah oliver oscar owen "
    "patrick paul peter samuel sebastian simon theo thomas tobias victor william aaron adrian "
    "andrew anthony brian chris dylan eric evan ian jake jason josh kevin kyle nick ryan scott "
    "sean shawn steven tim tom".split()
)
# Names the companion falls back on when its own choice did not come out right, by voice.
FALLBACK_NAMES = {
    "female": ["Samantha", "Iris", "Juno", "Clara", "Nora", "Wren"],
    "male": ["Theo", "Milo", "Felix", "Jonah", "Owen", "Jasper"],
    "any": ["Ari", "Robin", "Sasha", "Sage", "Kai", "Rowan"],
}
_PRONOUNS = {
    "female": re.compile(r"\b(?:he|him|his|himself)\b", re.I),  # wrong for a female voice
    "male": re.compile(r"\b(?:she|her|hers|herself)\b", re.I),
}
# Speaking of the person it talks to in the third person ("a good fit for the user").
_THE_USER = re.compile(r"\b(?:the|this|my|our|new) user\b|\buser'?s\b", re.I)

# "choose again", "pick another name", "could you choose a new name?"
REDO = re.compile(
    r"^\W*(?:(?:please|can you|could you|would you|i'?d like you to|i want you to)\s+)*"
    r"(?:choose|pick|find)\s+(?:(?:again|another|a new|a different|yourself)\b\s*)+"
    r"(?:name|persona|identity|personality)?\W*(?:please)?\W*$",
    re.I,
)
# "be more playful", "could you be a bit less formal?", "talk more casually"
CHANGE = re.compile(
    r"^\W*(?:(?:please|can you|could you|would you|i'?d like you to|i want you to)\s+)*"
    r"(?:be|sound|talk|act|speak)\s+(?:a\s+)?(?:(?:little|bit|lot)\s+)?(?:more|less)\s+[a-z][a-z -]{2,40}"
    r"\W*(?:please)?\W*$",
    re.I,
)


def voice_of(answer: str) -> str:
    """'female', 'male' or 'any' from the answer to "female, male, or does it not matter?"."""
    text = answer.lower()
    if re.search(r"\b(male|man|masculine|guy)\b", text) and "female" not in text:
        return "male"
    if re.search(r"\b(female|woman|feminine|girl)\b", text):
        return "female"
    return "any"


def fits_voice(name: str, voice: str) -> bool:
    """False only for a name clearly of the other gender than the voice asked for."""
    key = name.strip().lower()
    if voice == "female":
        return key not in MALE_NAMES
    if voice == "male":
        return key not in FEMALE_NAMES
    return True


def pronouns_fit(text: str, voice: str) -> bool:
    """The companion's words about itself use the pronouns of its voice."""
    wrong = _PRONOUNS.get(voice)
    return wrong is None or not wrong.search(text)


def latin_only(text: str) -> bool:
    """Every letter is a Latin one (accents allowed): no stray word in another script."""
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def speaks_of_the_user(text: str) -> bool:
    """It says "the user" instead of speaking to them as "you"."""
    return bool(_THE_USER.search(text))


def persona_request(text: str) -> str | None:
    """'redo' for "choose again", 'change' for "be more playful", else None."""
    line = " ".join(text.split())
    if REDO.match(line):
        return "redo"
    if CHANGE.match(line):
        return "change"
    return None
