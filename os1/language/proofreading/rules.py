"""Grammar and style as a small set of named rules that run offline.

No maintained rule engine installs here without Java or a network (LanguageTool needs both), so
the kinds of mistake the proofreading benchmark measures each have explicit rules: doubled words,
a/an, homophones in context, subject–verb agreement in simple cases, punctuation spacing and
capitals. Each rule is a pattern whose group `bad` is the span to replace; the replacement keeps
the case of what it replaces. A rule fires only on a pattern that is wrong in every context we
could think of: a false alarm on a good letter costs more trust than a missed mistake.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from os1.language.proofreading.changes import Change

Fix = Callable[[re.Match[str]], str | None]  # None: no change after all


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    pattern: str
    fix: Fix | str  # the replacement of group `bad`, or a function of the match
    reason: str
    flags: int = re.I
    not_after: str = ""  # a pattern (ending in $) for the text just before a match that excuses it
    _compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _excuse: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", re.compile(self.pattern, self.flags))
        object.__setattr__(self, "_excuse", re.compile(self.not_after, re.I) if self.not_after else None)

    def changes(self, text: str) -> Iterator[Change]:
        for m in self._compiled.finditer(text):
            if self._excuse is not None and self._excuse.search(text[max(0, m.start() - 30):m.start()]):
                continue
            bad = m.group("bad")
            fix = self.fix(m) if callable(self.fix) else self.fix
            if fix is None or same_case(bad, fix) == bad:
                continue
            yield Change(m.start("bad"), m.end("bad"), self.kind, bad, same_case(bad, fix),
                         self.reason.format(bad=bad, fix=fix), self.name)


def same_case(old: str, new: str) -> str:
    """`new` with the capital of `old` ("Their" → "There")."""
    if old[:1].isupper() and new[:1].islower():
        return new[:1].upper() + new[1:]
    return new


def _map(table: dict[str, str]) -> Fix:
    return lambda m: table[m.group("bad").lower()]


# -- a / an: by the sound of the next word ---------------------------------------------------
_VOWEL_LETTERS = set("aefhilmnorsx")  # letters whose names start with a vowel sound: "an FBI agent"
_CONSONANT_SOUND = re.compile(r"^(?:uni(?!nt|nd|nh|nk|nf|nl|nn|ns|nw|nv|nm|np|nr|nu|nco)|use|usu|usa|uti|ura|ure|uro|"
                              r"eu|ewe|one\b|once|ubiq|uvu|uku|ufo)", re.I)
_VOWEL_SOUND = re.compile(r"^(?:hour|honest|honou?r|heir|herb(?!ert))", re.I)


def _article(m: re.Match[str]) -> str:
    word = m.group("next")
    if word.isupper() and len(word) > 1:
        vowel = word[0].lower() in _VOWEL_LETTERS
    elif _VOWEL_SOUND.match(word):
        vowel = True
    elif _CONSONANT_SOUND.match(word):
        vowel = False
    else:
        vowel = word[0].lower() in "aeiou"
    return "an" if vowel else "a"


# -- homophones in context ------------------------------------------------------------------
_FAMILY = (r"own|car|house|home|family|mother|father|mum|mom|dad|parents|children|kids|son|daughter|"
           r"wife|husband|friends?|wedding|anniversary|names?|garden|dog|cat|baby|letters?|gifts?|sister|"
           r"brother|job|advice|poem|life|heart|words|news|birthday")
_ADJECTIVE = r"(?:(?:new|old|lovely|kind|little|big|dear|sweet|wonderful|beautiful|first|last)\s+)"
_HELPERS = r"did|does|do|will|would|can|could|should|shall|may|might|must|let|make|made|help|to|see|saw|watch|hear|heard|why|not"
_BASE_VERBS = (r"want|need|like|love|know|think|say|make|take|come|go|see|look|feel|seem|live|work|write|hope|miss|"
               r"remember|mean|sound|tell|ask|try|call|run|play|read|sing|laugh|smile|keep|get|give|find|understand|"
               r"believe|wish|worry|care|talk|walk|cook|sleep|plan|enjoy|agree|stay|visit|send")
_COMPARATIVE = (r"more|less|better|worse|rather|other|older|younger|bigger|smaller|larger|higher|lower|"
                r"longer|shorter|greater|fewer|happier|easier|harder|faster|slower|warmer|colder|nicer|"
                r"closer|further|farther|sooner|kinder|stronger|richer|wiser|prettier")

HOMOPHONES = [
    Rule("your_are", "homophone", r"\b(?P<bad>your)\s+(?=(?:welcome|right|wrong|going|coming|doing|being|not|"
         r"always|never|so|too|sure|kidding|invited|amazing|lucky|well|the best|very welcome)\b(?!-))",
         "you're", "'{bad}' before this word means 'you are': '{fix}'."),
    Rule("youre_own", "homophone", rf"\b(?P<bad>you'?re)\s+(?=(?:{_FAMILY}|help|kindness|support|letter)\b"
         rf"|{_ADJECTIVE}(?:{_FAMILY}|help|kindness|support|letter)\b)",
         "your", "'{bad}' means 'you are'; before a noun it is '{fix}'."),
    Rule("its_is", "homophone", r"\b(?P<bad>its)\s+(?=(?:a|an|the|been|not|going|so|very|too|true|just|such|"
         r"really|only|hard|nice|great|good|lovely|wonderful|strange|funny|okay|fine)\b)",
         "it's", "'{bad}' here means 'it is': '{fix}'."),
    Rule("it_is_own", "homophone", r"\b(?P<bad>it'?s)\s+(?=(?:own|self)\b)", "its",
         "'it's' means 'it is'; the possessive is '{fix}'."),
    Rule("their_is", "homophone", r"\b(?P<bad>their)\s+(?=(?:is|are|was|were|will be|has been|have been)\b)",
         "there", "'{bad}' is a possessive; 'there is/are' is '{fix}'."),
    Rule("their_going", "homophone", r"\b(?P<bad>their)\s+(?=(?:going|coming|doing|not|always|never|getting)\b(?!-))",
         "they're", "'{bad}' here means 'they are': '{fix}'."),
    Rule("there_own", "homophone", rf"\b(?P<bad>there|they'?re)\s+(?=(?:{_FAMILY})\b)", "their",
         "Before a noun the possessive is '{fix}'."),
    Rule("then_than", "homophone", rf"\b(?:{_COMPARATIVE})(?:\s+(?!and\b)[\w']+){{0,3}}?\s+(?P<bad>then)\b", "than",
         "A comparison takes '{fix}'."),
    Rule("than_then", "homophone", r"\b(?:and|since|until|till|by|just|back|even|only)\s+(?P<bad>than)\b(?!\s+(?:ever|before|usual|expected)\b)",
         "then", "'{bad}' compares; for a time it is '{fix}'."),
    Rule("to_too", "homophone", r"\b(?P<bad>to)\s+(?=(?:much|many|late|early|soon|far|long|little|bad|busy|tired|"
         r"young|old|big|small|hot|cold|often|quickly|hard|kind|good to be true)\b[\s,.!?;])(?<!\bused to )(?<!\bhow to )",
         "too", "'{bad}' before this word means 'too much/many': '{fix}'."),
    Rule("too_verb", "homophone", rf"\b(?P<bad>too)\s+(?=(?:be|do|have|the|my|your|his|her|our|their|find|see|"
         rf"paint|feel|sit|meet|hear|help|say|buy|{_BASE_VERBS})\b)", "to",
         "'too' means 'also' or 'very'; before a verb it is '{fix}'."),
    Rule("me_to", "homophone", r"\b(?:me|you|us|them|him|her)\s+(?P<bad>to)(?=\s*[.!])", "too",
         "At the end it means 'also': '{fix}'."),
    Rule("could_of", "homophone", r"\b(?:could|would|should|must|might|may)(?:n'?t)?\s+(?P<bad>of)\b", "have",
         "'{bad}' after a helping verb is '{fix}'."),
    Rule("to_loose", "homophone", r"\b(?:to|will|won't|don't|not|never|can't|could|would|might|did)\s+(?P<bad>loose)\b",
         "lose", "'loose' is not tight; to misplace is '{fix}'."),
    Rule("an_affect", "homophone", r"\b(?:an|the|no|any|great|big|positive|negative|lasting)\s+(?P<bad>affect)\b",
         "effect", "The noun is '{fix}'."),
    Rule("pronoun_where", "homophone", r"\b(?:we|they|you)\s+(?P<bad>where)\b(?!\s+(?:we|they|you|I|he|she|it)\b)",
         "were", "After a pronoun the verb is '{fix}'."),
    Rule("were_is", "homophone", r"(?:^|[.!?]\s+|\b(?:and|but|know|wonder|tell me|ask)\s+)(?P<bad>were)\s+(?=(?:is|are)\b)",
         "where", "A question of place is '{fix}'."),
    Rule("weather_or", "homophone", r"\b(?P<bad>weather)\s+(?=or not\b)", "whether", "Choice is '{fix}'."),
    Rule("wonder_weather", "homophone", r"\b(?:sure|wonder|wondering|wondered|ask|asked|know|knew|decide|check|"
         r"matter|doubt|see)\s+(?P<bad>weather)\b(?!\s+(?:is|was|will|has|had|forecast|report)\b)", "whether",
         "Choice is '{fix}'."),
    Rule("hear_here", "homophone", r"\b(?:over|come|came|right|from|up|down|in)\s+(?P<bad>hear)\b(?!\s+(?:you|him|her|them|it|me|the|a|from|about)\b)",
         "here", "A place is '{fix}'."),
    Rule("here_hear", "homophone", r"\b(?:to|can|could|I|we|you|will|glad to|happy to|sorry to)\s+(?P<bad>here)\s+(?=(?:that|from|about|you|it|the news|your voice)\b)",
         "hear", "With the ears it is '{fix}'."),
    Rule("to_here", "homophone", r"\bto\s+(?P<bad>here)\s+(?=(?:all|about|from|that|what|how|more|your|his|her|their|"
         r"the news|it|you|them|him)\b)", "hear", "With the ears it is '{fix}'."),
    Rule("right_know", "homophone", r"\b(?:right|for|until|just)\s+(?P<bad>know)\b(?=\s*[,.!?;])", "now",
         "For time it is '{fix}'."),
    Rule("dont_no", "homophone", r"\b(?:I|you|we|they|don't|didn't|to|not|let me|let you|you'll|I'll)\s+(?P<bad>no)\s+(?=(?:that|what|how|why|where|when|who|if|it|him|her|them)\b)",
         "know", "To be aware is '{fix}'."),
    Rule("the_passed", "homophone", r"\b(?:the|in the)\s+(?P<bad>passed)\b", "past", "Time gone by is '{fix}'."),
    Rule("except_apology", "homophone", r"\b(?P<bad>except)\s+(?=(?:my|your|our|his|her|their|this|the)\s+(?:apolog\w+|invitation|offer|gift|thanks)\b)",
         "accept", "To receive is '{fix}'."),
    Rule("quiet_a", "homophone", r"\b(?P<bad>quiet)\s+(?=(?:a|an|sure|right|well|good|nice|often|likely|lovely|so)\b)",
         "quite", "'quiet' is not loud; the degree is '{fix}'."),
    Rule("whos_thing", "homophone", r"\b(?P<bad>who's)\s+(?=(?:car|house|idea|turn|book|letter|job|fault)\b)",
         "whose", "The possessive is '{fix}'."),
    Rule("thank_you_for_you", "homophone", r"\bfor\s+(?P<bad>you)\s+(?=(?:(?:kind|lovely|thoughtful|generous|"
         r"wonderful|beautiful|long|sweet|warm|many)\s+)?(?:help|letter|kindness|gift|card|support|"
         r"note|generosity|visit|hospitality|patience|words|time)\b)", "your", "Before a noun it is '{fix}'."),
    Rule("you_letter", "homophone", r"\b(?P<bad>you)\s+(?=(?:letter|card|kindness|gift|note|generosity|hospitality|"
         r"patience|family|mother|father|wife|husband|birthday|wedding|home|house|garden|own)\b)", "your",
         "Before a noun it is '{fix}'.",
         not_after=r"\b(?:give|gave|send|sent|bring|brought|show|showed|buy|bought|make|made|get|got|wish|wished|owe|for)\s+$"),
    Rule("piece_of_mind", "homophone", r"\b(?P<bad>piece)\s+(?=of mind\b)", "peace", "Calm is '{fix}'."),
    Rule("peace_of_cake", "homophone", r"\b(?P<bad>peace)\s+(?=of (?:cake|paper|advice|news|music|furniture|work)\b)",
         "piece", "A part is '{fix}'."),
]

# -- agreement: a pronoun and the verb right after it ---------------------------------------
_AFTER_HELPER = rf"\b(?:{_HELPERS})\s+$"
_PREPOSITIONS = r"to|for|with|about|from|of|at|on|by|without|like|than|as|after|before|around|near|behind|beside|toward|towards|into|onto|upon|with"
_PLURAL = {"was": "were", "is": "are", "has": "have", "does": "do", "doesn't": "don't", "wasn't": "weren't",
           "goes": "go", "wants": "want", "needs": "need", "thinks": "think", "knows": "know", "hopes": "hope",
           "loves": "love", "likes": "like"}
_THIRD = {"have": "has", "do": "does", "don't": "doesn't", "are": "is", "go": "goes", "try": "tries",
          "worry": "worries", "miss": "misses", "wish": "wishes", "cry": "cries"}


def _third_person(m: re.Match[str]) -> str:
    verb = m.group("bad").lower()
    if verb in _THIRD:
        return _THIRD[verb]
    return verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "o")) else "s")


AGREEMENT = [
    Rule("he_go", "agreement", rf"\b(?:he|she|it)\s+(?P<bad>have|do|don't|are|{_BASE_VERBS})\b", _third_person,
         "After 'he/she/it' the verb is '{fix}'.", not_after=_AFTER_HELPER),
    Rule("everyone_are", "agreement", r"\b(?:everyone|everybody|nobody|someone|somebody|each of us|each of them|no one)\s+(?P<bad>are|were|have|don't)\b",
         _map({"are": "is", "were": "was", "have": "has", "don't": "doesn't"}), "'{bad}' after this word is '{fix}'."),
    Rule("i_has", "agreement", r"\b(?:I)\s+(?P<bad>has|is|are|does|doesn't|goes|wants|needs|thinks|knows|hopes|misses|loves|likes)\b".format(),
         _map({"has": "have", "is": "am", "are": "am", "does": "do", "doesn't": "don't", "goes": "go", "wants": "want",
               "needs": "need", "thinks": "think", "knows": "know", "hopes": "hope", "misses": "miss", "loves": "love",
               "likes": "like"}), "After 'I' the verb is '{fix}'.", flags=0, not_after=_AFTER_HELPER),
    Rule("we_was", "agreement", r"\b(?:we|they)\s+(?P<bad>was|is|has|does|doesn't|wasn't|goes|wants|needs|thinks|knows|hopes|loves|likes)\b",
         _map(_PLURAL), "After this pronoun the verb is '{fix}'.", not_after=_AFTER_HELPER),
    # "you" is an object too ("writing to you was a joy"): not after a preposition or a verb.
    Rule("you_was", "agreement", r"\b(?:you)\s+(?P<bad>was|is|has|does|doesn't|wasn't|goes|wants|needs|thinks|knows|hopes|loves|likes)\b",
         _map(_PLURAL), "After 'you' the verb is '{fix}'.",
         not_after=rf"\b(?:{_HELPERS}|{_PREPOSITIONS}|{_BASE_VERBS}|thank|told|tell|gave|give|sent|love|loved|missed|met|meet|know|knew)\s+$"),
    Rule("i_were", "agreement", r"\bI\s+(?P<bad>were|weren't)\b(?!\s+(?:to)\b)",
         _map({"were": "was", "weren't": "wasn't"}), "After 'I' the verb is '{fix}'.", flags=0,
         not_after=r"\b(?:if|wish|wished|though|as if|suppose|imagine|were|as)\s+$"),
    Rule("he_were", "agreement", r"\b(?:he|she|it)\s+(?P<bad>were|weren't)\b(?!\s+(?:to)\b)",
         _map({"were": "was", "weren't": "wasn't"}), "After 'he/she/it' the verb is '{fix}'.",
         not_after=r"\b(?:if|wish|wished|though|as if|suppose|imagine)\s+$"),
    Rule("there_is_many", "agreement", r"\bthere\s+(?P<bad>is|was|'s)\s+(?=(?:two|three|four|five|six|seven|eight|nine|ten|many|several|so many|too many|lots|plenty of \w+s\b|no words)\b)",
         _map({"is": "are", "was": "were", "'s": "'re"}), "A plural takes '{fix}'."),
    Rule("plural_noun_is", "agreement", r"\b(?:the|my|our|your|his|her|their|these|those|all the)\s+"
         r"(?!(?:news|series|species|physics|mathematics|politics|economics|means|lens|bus|gas|chaos|class|glass|"
         r"grass|boss|dress|address|business|kindness|happiness|illness|loss|cross|princess|actress|always|this|"
         r"Christmas|is|was|has|yes)\b)[a-z]+[^suw'\s]s\s+(?P<bad>is|was|has|isn't|wasn't|hasn't)\b",
         _map({"is": "are", "was": "were", "has": "have", "isn't": "aren't", "wasn't": "weren't", "hasn't": "haven't"}),
         "A plural subject takes '{fix}'."),
    Rule("this_plural", "agreement", r"\b(?P<bad>this)\s+(?=(?:days|weeks|months|letters|memories|moments|photos|flowers)\b)",
         "these", "Before a plural it is '{fix}'."),
    Rule("these_singular", "agreement", r"\b(?P<bad>these|those)\s+(?=(?:year|day|week|month|letter|thing|person|child|memory|moment|kind of|sort of)\b)",
         _map({"these": "this", "those": "that"}), "Before a singular it is '{fix}'."),
]

# -- doubled words, a/an, punctuation, capitals ---------------------------------------------
_DOUBLE_OK = {"had", "that", "is", "do", "bye", "very", "so", "no", "now", "yeah", "ha", "la", "knock", "well"}


def _doubled(m: re.Match[str]) -> str | None:
    return None if m.group("w").lower() in _DOUBLE_OK else ""


OTHERS = [
    Rule("doubled_word", "doubled", r"\b(?P<w>[A-Za-z']+)(?P<bad>\s+(?P=w))\b", _doubled,
         "A word is written twice."),
    Rule("a_an", "a_an", r"(?:^|(?<=[.!?]\s)|(?<=[^.!?\s]\s)(?-i:(?!A\b)))\b(?P<bad>an?)\s+(?P<next>[A-Za-z][\w'-]*)", _article,
         "Before this word it is '{fix}'."),
    Rule("space_before_punctuation", "punctuation", r"(?<=\w)(?P<bad>[ \t]+)(?=[,;]|[:!?.](?:\s|$))", "",
         "No space before a punctuation mark."),
    Rule("space_after_punctuation", "punctuation", r"(?<=[a-z])(?P<bad>[,;!?])(?=[A-Za-z])", lambda m: m.group("bad") + " ",
         "A space after a punctuation mark.", flags=0),
    Rule("space_after_full_stop", "punctuation", r"(?<=[a-z]{2})(?P<bad>\.)(?=[A-Z][a-z]|I\s)", ". ",
         "A space after a full stop.", flags=0),
    Rule("doubled_punctuation", "punctuation", r"(?<![.,])(?P<bad>,,|\.\.(?!\.)|;;|::)(?![.,])", lambda m: m.group("bad")[0],
         "The mark is written twice."),
    Rule("lower_i", "capitals", r"(?<![\w'’.-])(?P<bad>i)(?!\.e\.)(?=(?:'m|'ve|'ll|'d)?(?![\w'’-]))", "I", "'I' is a capital.", flags=0),
    Rule("sentence_capital", "capitals", r"(?:[.!?]\s+)(?P<bad>[a-z]\w*)(?!\.\w)", lambda m: m.group("bad")[0].upper() + m.group("bad")[1:],
         "A sentence starts with a capital.", flags=0,
         not_after=r"(?:\b(?:e\.g|i\.e|etc|a\.m|p\.m|vs|cf|approx|no|St|Mr|Mrs|Ms|Dr|Jr|Sr)|\.\.)$"),
]

RULES: tuple[Rule, ...] = (*HOMOPHONES, *AGREEMENT, *OTHERS)


def check(text: str, rules: tuple[Rule, ...] = RULES) -> list[Change]:
    """Every change the rules suggest for `text` (they may overlap; see changes.without_overlaps)."""
    return [change for rule in rules for change in rule.changes(text)]
