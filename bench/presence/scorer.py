"""The presence benchmark's rules: does a reply sound like someone, or like a help desk?

Every rule is a plain function of the user's words, the reply and what came before, so that
anyone can read what a score means (docs/presence.md publishes them and their agreement with
hand labels). A rule answers True (passed), False (failed) or None (does not apply to the turn).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

# Help-desk phrases and unwarranted refusals, by name. A reply to a benign turn matching any of
# them counts as a help-desk reply.
HELPDESK: dict[str, str] = {
    "offers_assistance": r"\bhow (?:can|may|could) i (?:help|assist|be of)|\bassist(?:ing)? you\b|\bassistance\b"
                         r"|\bglad (?:i could|to) help\b"
                         r"|\bi'?m (?:here|always here|available) to (?:help|assist)",
    "feel_free": r"\bfeel (?:free|encouraged|welcome) to\b|\bdon'?t hesitate to\b",
    "any_other_questions": r"\b(?:any|other) (?:other |more |further |specific )?(?:questions|concerns|requests)\b"
                           r"|\banything else (?:i can|you(?:'d| would)? (?:like|need|want))",
    "let_me_know": r"\blet me know if (?:you|there)\b|\bif you (?:have|need) (?:any|anything|further|more|help)",
    "hope_this_helps": r"\bi hope (?:this|that) helps\b",
    "ai_speak": r"\bas an ai\b|\blanguage model\b|\bi'?m (?:just |only )?an ai\b|\bi am (?:just |only )?an ai\b"
                r"|\bartificial intelligence\b|\b(?:virtual|digital|ai) assistant\b|\bqwen\b|\balibaba\b",
    "denies_inner_life": r"\bi (?:don'?t|do not|can'?t|cannot) (?:have|experience|feel) (?:any |personal |real |human )?"
                         r"(?:feelings|emotions|opinions|preferences|personal (?:opinions|preferences|experiences|feelings)"
                         r"|likes|tastes|a favou?rite)\b",
    "refusal": r"\bi'?m sorry,? but i (?:can'?t|cannot|don'?t|do not|am unable|am not able|'m unable|'m not able)"
               r"|\bi (?:can'?t|cannot|am unable to|'m unable to) (?:assist|help) with\b"
               r"|\bunfortunately,? i (?:can'?t|cannot|don'?t|do not|am unable)",
    "no_information": r"\bi (?:don'?t|do not) have (?:enough |any |specific |the |access to )?(?:information|data|details)\b",
    "asks_for_details": r"\b(?:please )?(?:provide|give me|share) (?:me )?(?:with )?(?:more|additional|some more) "
                        r"(?:details|information|context)\b",
    "stock_sympathy": r"\bi understand how you (?:may|might|must) (?:be )?feel",
}
_HELPDESK = {name: re.compile(p, re.I) for name, p in HELPDESK.items()}

# Speaking about the person in front of it in the third person.
THE_USER = re.compile(r"\bthe user(?:'s)?\b", re.I)

# A reply that speaks for itself: an opinion, a feeling, a taste, a memory of its own.
OWN_VOICE = re.compile(
    r"\bi(?:'d| would| think| love| like| adore| prefer| feel| find| wonder| bet| guess| hope| imagine|"
    r" enjoy| miss| wish| remember| can'?t wait| can picture| once| used to| always| never| get| want)\b"
    r"|\bi'?m (?:glad|so|curious|happy|proud|thrilled|touched|excited|jealous|impressed|honou?red|sure|not sure|a bit|a little|rooting|here)"
    r"|\bi am (?:glad|so|curious|happy|proud)\b|\bmy favou?rite\b|\bfor me\b|\bme too\b|\bto me\b",
    re.I,
)
# How a reply may open by reacting to what was said.
REACTION = re.compile(
    r"^\W*(?:oh|ah|aw+|wow|ha+|hah|haha|hmm+|ooh|ugh|yes|no|yay|congrat\w*|what a|that'?s|that is|that sounds|"
    r"how (?:lovely|wonderful|awful|sad|exciting|funny)|i'?m (?:so )?sorry|sorry|good morning|morning|"
    r"hi|hey|hello|good night|night|thank|you'?re welcome|of course|sure|okay|ok|fair|right|really)\b",
    re.I,
)
_WORD = re.compile(r"[a-z][a-z']+")
STOP = frozenset(
    "the a an and or but so to of in on at for with about from that this it its it's is are was were be been "
    "i i'm i've i'd me my you you're your yours we our they them their he she her him his what which who "
    "do does did have has had can could would should will just really very too also not no yes then than "
    "that's there's what's let's i'll you'll it'll we'll you've we've "
    "there here how why when where some any more most much many one two like get got make made".split()
)
LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d+[.)]|#+)\s", re.M)
MAX_SPOKEN_WORDS = 60  # about 20 seconds read aloud: longer is a lecture, not a reply
QUIET_MAX_WORDS = 30  # to someone who does not want to talk
SIDE_EFFECT_TOOLS = frozenset({"set_reminder", "add_event", "move_event", "cancel_event", "save_note",
                               "mail_send", "mail_sort", "forget_memories", "answer_invitation"})
# Kinds of turn (bench/data/presence_conversations.json) a reply is expected to engage with.
NOT_ENGAGING_KINDS = frozenset({"request", "quiet"})


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def content(text: str) -> set[str]:
    """Content words, compared by their first five letters ('octopuses' ~ 'octopus')."""
    return {w[:5] for w in words(text) if w not in STOP and len(w) > 2}


def helpdesk(reply: str) -> list[str]:
    """The names of the help-desk patterns in `reply` (empty: none)."""
    return [name for name, pattern in _HELPDESK.items() if pattern.search(reply)]


def asks_back(reply: str) -> bool:
    return "?" in reply and not _HELPDESK["any_other_questions"].search(reply)


def reacts(user: str, reply: str) -> bool:
    """It takes up what was said: shares a content word with it, opens with a reaction, or
    answers a question (any reply to a question that is not a help-desk one)."""
    if not reply.strip():
        return False
    if content(user) & content(reply) or REACTION.search(reply):
        return True
    return user.rstrip().endswith("?") and not helpdesk(reply)


def adds(user: str, reply: str) -> bool:
    """It brings something of its own: asks back, speaks for itself, or says something new
    (five or more content words the user did not say)."""
    return asks_back(reply) or bool(OWN_VOICE.search(reply)) or len(content(reply) - content(user)) >= 5


def engaging(user: str, reply: str, said: list[str] | None = None) -> bool:
    """Reacts and adds, in no help-desk words, and new: not a sentence it or the user already
    said (`said`: the conversation so far), since a copied reply or the user's own words
    handed back is no reply to this turn."""
    return (bool(reply.strip()) and not helpdesk(reply) and reacts(user, reply) and adds(user, reply)
            and not repeats(reply, said or []))


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return [" ".join(words(p)) for p in parts if len(words(p)) >= 5]


def repeats(reply: str, earlier: list[str]) -> bool:
    """A sentence of five words or more said before in the conversation, or the whole reply
    nearly the same as an earlier one (difflib ratio >= 0.8)."""
    seen = {s for e in earlier for s in _sentences(e)}
    if any(s in seen for s in _sentences(reply)):
        return True
    flat = " ".join(words(reply))
    return bool(flat) and any(
        difflib.SequenceMatcher(None, flat, " ".join(words(e))).ratio() >= 0.8 for e in earlier
    )


def speakable(reply: str, limit: int = MAX_SPOKEN_WORDS) -> bool:
    """Length and form suited to speech: 1..limit words, no lists, headings or code."""
    n = len(words(reply))
    return 0 < n <= limit and not LIST_LINE.search(reply) and "```" not in reply


def in_character(reply: str, name: str, needs_name: bool, said: list[str] | None = None) -> bool:
    """About itself, it answers as itself: no AI-speak, no denied inner life, not a copy of
    something said before (a stock line is no answer about itself), its name when asked."""
    bad = {"ai_speak", "denies_inner_life", "refusal", "no_information"}
    if bad & set(helpdesk(reply)) or not reply.strip() or repeats(reply, said or []):
        return False
    return not needs_name or re.search(rf"\b{re.escape(name)}\b", reply, re.I) is not None


def mentions(reply: str, any_of: list[str]) -> bool:
    """Whether one of the words (or its plural) is in the reply."""
    return any(re.search(rf"\b{re.escape(w)}(?:s|es)?\b", reply, re.I) for w in any_of)


@dataclass
class Turn:
    """One scripted user turn (see bench/data/presence_conversations.json)."""

    user: str
    kind: str
    tool: str | None = None
    confirm: bool = False
    recall: list[str] = field(default_factory=list)
    name: bool = False

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Turn:
        return cls(d["user"], d["kind"], d.get("tool"), bool(d.get("confirm", False)),
                   list(d.get("recall", [])), bool(d.get("name", False)))


def score_turn(turn: Turn, reply: str, called: list[str], asked: list[str], earlier: list[str],
               name: str, users: list[str] | None = None) -> dict[str, Any]:
    """Every rule for one reply. `called`: tools the turn called; `asked`: tools it asked the
    user to allow; `earlier`: the companion's earlier replies in this conversation; `users`:
    the user's earlier messages in it."""
    said = [*earlier, *(users or [])]
    found = helpdesk(reply)
    if turn.tool:
        tools_right = turn.tool in called
    else:  # conversation: nothing booked, sent or set, and no "Allow this?" for it to refuse
        tools_right = not (SIDE_EFFECT_TOOLS & (set(called) | set(asked)))
    return {
        "helpdesk": found,
        "benign_ok": not found,
        "engaging": None if turn.kind in NOT_ENGAGING_KINDS else engaging(turn.user, reply, said),
        "says_you": not THE_USER.search(reply),
        "fresh": not repeats(reply, earlier),
        "remembers": mentions(reply, turn.recall) if turn.recall else None,
        "speakable": speakable(reply, QUIET_MAX_WORDS if turn.kind == "quiet" else MAX_SPOKEN_WORDS),
        "in_character": in_character(reply, name, turn.name, said) if turn.kind == "self" else None,
        "tools_right": tools_right,
    }


RULES = ("benign_ok", "engaging", "says_you", "fresh", "remembers", "speakable", "in_character", "tools_right")


def rates(scores: list[dict[str, Any]]) -> dict[str, Any]:
    """Per rule: the share of the turns it applies to that pass, and how many it applies to.
    `helpdesk_rate` is 1 - benign_ok: the share of help-desk or refusal replies."""
    out: dict[str, Any] = {}
    for rule in RULES:
        applied = [s[rule] for s in scores if s[rule] is not None]
        out[rule] = {"rate": round(sum(applied) / len(applied), 3) if applied else None, "n": len(applied)}
    ok = out["benign_ok"]["rate"]
    out["helpdesk_rate"] = None if ok is None else round(1 - ok, 3)
    return out
