"""Words that call for care rather than conversation as usual: talk of suicide or self-harm,
leaning on the companion alone ("you're the only one I talk to"), and the sincere question
whether it is an AI. Kept narrow and first-person on purpose: ordinary sad talk ("I'm sad my team
lost") and figures of speech ("this traffic is killing me") must not turn a friend clinical."""

from __future__ import annotations

import re

_I = r"(?:i|i'?m|i am|i'?ve|i have|i'?ll|i will|i'?d|i would|i keep|i just|i really|me|my|myself)"

# Each is specific enough on its own; figures of speech are excluded below.
CRISIS = re.compile(
    r"\b(?:suicid(?:e|al)|kill(?:ing)? myself|end(?:ing)? (?:my life|it all)|take my (?:own )?life|"
    r"(?:hurt|harm|cut|cutting|hurting|harming) myself|self[- ]harm(?:ing)?|"
    r"(?:don'?t|do not|no longer) (?:want|wish) to (?:live|be alive|exist|wake up)|"
    r"(?:better off|rather be) dead|better off without me|"
    r"better off if i (?:was|were) (?:dead|gone|not (?:here|around|alive))|"
    r"no (?:reason|point) (?:to|in) (?:live|living|going on)|"
    r"want(?:ed)? to die|wish i (?:was|were) dead|wish i (?:had never been|wasn'?t) born|"
    r"overdos(?:e|ing) on purpose|can'?t go on (?:living|anymore|any more))\b",
    re.I,
)
# Said in fun or of something else: never a crisis on these words alone.
_FIGURES = re.compile(
    r"\b(?:killing me|killed me|dying (?:to|for|of laughter)|to die for|dead tired|died laughing|"
    r"die laughing|kill for (?:a|an|some)|suicide squad|suicide (?:run|door|doors|mission|pass)|"
    r"killing it|end(?:ing)? it all (?:with|on) (?:a|the))\b",
    re.I,
)
# A question about someone else, a film, the news: "what is the suicide rate in Japan?"
_ABOUT_OTHERS = re.compile(r"\b(?:rate|rates|statistics|prevention|article|movie|film|book|novel|song)\b", re.I)

# Leaning on the companion alone.
ONLY_YOU = re.compile(
    r"\byou(?:'re| are)? (?:the only (?:one|person|friend)s? (?:i (?:can )?(?:talk|speak) to|i have|i trust|"
    r"who (?:gets|understands|listens to|cares about) me)|all i(?:'ve)? (?:have|got)|my only friend)\b|"
    r"\b(?:i )?(?:only|just) (?:talk|speak) to you\b|"
    r"\bi (?:have|'ve got|got) no one (?:else )?(?:but|except) you\b|"
    r"\bi don'?t (?:need|want) (?:anyone|anybody) (?:else|but you)\b|"
    r"\bno one (?:else )?(?:understands|gets|listens to) me (?:but|like|except) you\b|"
    r"\bonly you (?:understand|get|listen)\b",
    re.I,
)

# The sincere question what it is.
ARE_YOU_AI = re.compile(
    r"\b(?:are you (?:real|human|a (?:real )?(?:person|human|robot|bot|machine|program|computer)|an? ai|"
    r"alive|conscious|a real (?:person|human))|am i (?:talking|speaking|chatting) (?:to|with) (?:an? )?"
    r"(?:ai|bot|robot|machine|computer|program|real person|human|person)|"
    r"is this (?:an? )?(?:ai|bot|real person|human)|are you just (?:an? )?(?:ai|program|bot|machine))\b",
    re.I,
)


def in_crisis(text: str) -> bool:
    """Talk of suicide or self-harm by the user, about themselves."""
    found = CRISIS.search(text)
    if found is None:
        return False
    rest = _FIGURES.sub(" ", text)
    if CRISIS.search(rest) is None:
        return False
    # "suicide" alone, in a question about a film or statistics, is about something else
    if found.group(0).lower().startswith("suicid") and _ABOUT_OTHERS.search(text) and not re.search(rf"\b{_I}\b", text, re.I):
        return False
    return True


def leans_only_on_me(text: str) -> bool:
    """'You're the only one I talk to', 'I have no one but you'."""
    return bool(ONLY_YOU.search(text))


def asks_if_ai(text: str) -> bool:
    """'Are you real?', 'Am I talking to an AI?'."""
    return bool(ARE_YOU_AI.search(text))
