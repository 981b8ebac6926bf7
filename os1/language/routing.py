"""Which tools a turn is offered, as named rules in one table.

Each offered tool costs its description, read by the model on that turn, and is one more that a
small model may call by mistake: given every tool on every turn, it answers "What is the capital
of France?" with the agenda and "move my lunch" with a memory write. So a tool is offered only on
turns whose words ask for it (docs/decisions/0003-tools-offered-by-words.md). A rule says:

- `words`: the pattern a turn's words must match;
- `tools`: the tools it offers;
- `after`: it also offers them on the turn after one of these tools was called, since the next
  words go on with the task without naming it ("what does Amy say?" after reading mail);
- `answers`: the previous user message counts too when the reply to it asked a question and
  this turn is no question itself ("Wednesday at 2" after "move my lunch" and "To when?");
- `unless`: words on which it never offers them (one email by its number is read, not searched).

tests/test_routing.py is the specification: small talk gets no tool, a request gets its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from os1.language.words import WEEKDAY

# Words that ask for something to happen at a time. Memory writes are not offered on them, or a
# small model files "lunch with Amy next Tuesday at one" in core memory; lasting facts said in
# such turns are still learned in the background (os1/memory/learning.py).
NOT_A_REQUEST_FOR_TIME = (
    r"^(?![\s\S]*\?\s*$)"  # nor on questions: "What is the capital of France?" is no fact to keep
    r"(?![\s\S]*\b(?:remind(?:er)?s?|wake|alarms?|schedule|reschedule|calendar|meetings?|"
    r"appointments?|invit\w*|book|cancel|move|push|postpone|today|tonight|tomorrow|"
    rf"{WEEKDAY}s?|weekend|next (?:week|month|year)|"
    r"every (?:day|week|month|year|morning|evening|night)|at \d|\d\s*(?:am|pm|a\.m\.|p\.m\.)|"
    r"o'?clock|noon|midnight|in \d+ (?:minutes?|hours?|days?))\b)"
)

# Something lasting about the user or the companion, or a request to keep it. Offered on any "I"
# or "you", a small model writes "please say hi" into the user's block; what else is said is
# still learned in the background (os1/memory/learning.py).
ABOUT_US = (
    r"^(?=[\s\S]*\b(?:remember(?!\s+(?:it|to)\b)|(?:don'?t|do not|never) forget|keep in mind|for the record|"
    r"from now on|(?:you should|so you|you'?ll want to) know|fyi|call me|my name|(?:i'?m|i am) (?:called|named)|"
    r"your name|call you|call yourself|you(?:'re| are) (?:now )?(?:called|named)|be (?:more|less)|"
    r"my \w+(?:'s name)? (?:is|are|was|were)|i (?:live|moved|grew up|was born|work (?:at|as|for|in))|"
    r"i (?:just )?(?:started|quit|joined|retired|got (?:married|engaged|divorced|a new))|"
    r"(?:i'?m|i am) (?:a|an|\d+|allergic|vegetarian|vegan|married|single|divorced|retired|from)|"
    r"i(?: have|'ve got| got) (?:a|an|two|three|four|\d+) \w+ (?:called|named)|"
    r"i (?:really )?(?:like|love|hate|prefer|enjoy|can'?t stand|don'?t (?:like|eat|drink))|"
    r"(?:no longer|not anymore|any ?more|actually)\b))"
)
MEMORY_WORTHY = ABOUT_US + NOT_A_REQUEST_FOR_TIME[1:]

# A note only on turns that speak of one: offered more widely, a small model saves "Paris" for
# "What is the capital of France?" and "wake me at 7" as notes.
NOTE_WORDS = r"\b(?:notes?|jot|write (?:\w+ )?down|save (?:it|that|this)|keep track|(?:to-?do|shopping|grocery) list)\b"

# Not on "I keep forgetting…" nor "don't forget to buy milk" (a reminder).
FORGET_WORDS = r"(?<!n't )(?<!not )(?<!let me )\bforget\b|\bforgotten\b|\bdelete\b.*\b(memor|remember)"

# To be reminded or woken. Not "tell me a joke", "remind me what we talked about" or "I keep
# forgetting…"; offered on every turn, it is a small model's pick for "Schedule a call…".
REMIND_WORDS = (r"\b(?:remind(?:ers?)?(?!(?: me)?,? (?:what|who|which|why|how|of what)\b)|wake|waking|alarms?|"
                r"alert|ping|nudge|notify|(?:tell me|let me know) (?:to|when|at|in|on|if|before)\b|"
                r"(?:don'?t|do not|never) (?:let me )?forget|before i forget|get up)")

# A turn that asks to be reminded is about a reminder ("remind me to move the car"), not an event.
_NOT_A_REMINDER = r"^(?![\s\S]*\bremind)[\s\S]*"
# A day, a time or the calendar (a digit is enough).
TIME_WORDS = (
    r"\d|\b(?:calendar|agenda|diary|schedul\w*|appointments?|meetings?|events?|plans?|planned|"
    r"busy|(?:am i|are (?:we|you)|i'?m|is \w+|be) free|free (?:on|at|in|this|tomorrow|today|tonight|next|time|slots?)|book(?:ed|ing)? (?:a|an|the|me|us|my|it|for|in)|add|put|today|tonight|tomorrow|(?:this|next|the|on|at|over) weekends?|weekdays?|weeks?|"
    rf"months?|years?|fortnight|{WEEKDAY}s?|jan(?:uary)?|feb(?:ruary)?|"
    r"march|april|(?:in|of|next|last|early|late|mid) may|may \d|june|july|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|daily|weekly|monthly|"
    r"yearly|annually|every(?! time)|noon|midnight|this (?:morning|afternoon|evening)|o'?clock|"
    r"lunch|dinner|breakfast|brunch|party|birthday|my day|what'?s on|what is on|anything on)\b"
)
# One email named by its number, as the mail list numbers them ("Summarize email #2", "reply to
# message 3"): it is read or answered, not searched for. Offered a search as well, the 1.5B
# searched for "subject:summary" or "from:<the user>" instead of reading message 1.
MAIL_NUMBER = (r"(?:#\s?\d+\b|\b(?:e-?mail|mail|message|letter)\s+(?:number\s+|no\.?\s*)?\d+\b"
               r"|\b(?:first|second|third|fourth|fifth) (?:e-?mail|mail|message)\b)")
# The agenda and new events: nor on small talk and stories that merely name a time ("How are
# you today?", "a good book for a rainy weekend"), nor on sums ("What is 2 plus 2?" has a digit).
# "Yesterday" is more often about what was said than about the agenda; recalled memories answer.
CALENDAR_WORDS = (r"^(?!\s*how (?:are|r) (?:you|u)\b[^.!?]*[.!?]*\s*$)"
                  rf"(?![\s\S]*{MAIL_NUMBER})"  # "email #2" is no time
                  r"(?![\s\S]*\d\s*(?:plus|minus|times|divided by|multiplied by|x|[+*×÷])\s*\d)"
                  r"(?=[\s\S]*(?:" + TIME_WORDS + "))")


# A question about what the user did ("When did I move to Bristol?") asks memory, not the
# calendar: offered a change, the 1.5B answered it with a move_event call.
ABOUT_THE_PAST = r"^(?![\s\S]*\b(?:(?:when|where|why|how|what|who)\s+(?:did|had)|did)\s+(?:I|we)\b)"


def _changes(plain: str, weak: str) -> str:
    """Words that change an event: `plain` ones alone, `weak` ones ("change", "drop", "later")
    only beside a time or an "it": "my sister is moving to a new city" moves no event."""
    near = r"(?:" + TIME_WORDS + r"|\b(?:it|that|hours?|minutes?)\b)"
    return (ABOUT_THE_PAST + _NOT_A_REMINDER[1:] + r"(?:\b(?:" + plain + r")\b|(?=[\s\S]*\b(?:" + weak + r")\b)(?=[\s\S]*" + near + "))")


# Not "When do I move?", "we move in on the 1st": a move to a new home, not an event's.
MOVE_WORDS = _changes(r"move(?!\s*[?.!,]|\s*$|\s+(?:on|in|out|house|home|away|abroad)\b)|resched\w*|postpone",
                      r"moving|push|shift|change|delay|put (?:it )?off|earlier|later|instead|switch|swap|make it|bring")
CANCEL_WORDS = _changes(r"cancel\w*|call(?:ed)? off|not going|can'?t make|won'?t make|unschedule",
                        r"delete|remove|drop|scrap|clear|skip")
INVITATION_WORDS = r"invit|accept|decline|rsvp"

# A statement about one's own life ("I move on May 1st", "We spent the day at the beach", "My first
# day is March 3rd"): it opens with who it is about, asks nothing and names no request. Such a
# turn is conversation: the time tools are not offered on it, nor carried over to it from a
# question the reply asked (after "Done! Anything else?" the 1.5B set the reminder again for
# "My sister Lena lives in Lisbon"). A lasting fact in it is still remembered (rule "remember").
LIFE_STATEMENT = (
    r"^\s*(?:(?:anyway|so|well|oh|and|but|actually|honestly|also)\b,?\s*)?(?:i|we|my|our|i'?m|we'?re|i'?ve|we'?ve|i'?ll|we'?ll|i'?d|she|he|they|she'?s|he'?s|they'?re|"
    r"it'?s|it (?:is|was))\b"
    r"(?![\s\S]*\?)"
    r"(?![\s\S]*\b(?:can|could|would|will) (?:you|we)\b|[\s\S]*\b(?:please|remind\w*|remember|calendar|"
    r"diary|agenda|schedul\w*|book|put|add|set|make sure|let me know|don'?t let me|tell me|wake me|alarm|"
    r"note|write (?:it|that|this) down|need you|want you|help me|for me)\b|[\s\S]*\bi'?d like\b)"
)

# A piece of music to write or hear again. Not "I love this song" or "what music do you like?":
# it asks for one to be made or played ("write me a song", "play it again", "compose something").
MUSIC_WORDS = (r"\b(?:compos\w*|(?:write|make|play|sing)\b[^.?!]{0,30}\b(?:song|piece|music|melody|tune|lullaby|waltz)s?"
               r"|(?:song|piece|melody|tune) (?:for|about) (?:me|us|our|my|the|this|that)"
               r"|play (?:it|that|the \w+) again)\b")
# A change to a piece: "make it slower"; right after one was made or played, the change alone
# ("in a major key") is enough, and other words there are no change ("What is two plus two?").
MUSIC_CHANGE = (r"\b(?:again|slower|faster|quicker|longer|shorter|in (?:a )?(?:major|minor)(?: key)?|"
                r"(?:more|less) (?:happy|sad|calm|lively)|different one|another one)\b")
MUSIC_TOOLS = frozenset({"compose_music", "vary_music"})

# Not "letter": a letter is the letters skill's ("leave out the letter to Paul" is the book's).
MAIL_WORDS = (r"\b(?:e-?mails?|mail(?:s|box)?|inbox|unread|newsletters?|junk|spam|phishing|messages?"
              r"|repl(?:y|ies|ied)|forward|send|sent|subject|cc|bcc|anything new|wr(?:ote|ites?) back)\b")
# Tidying folders: the plan on words of tidying a folder; applying it only on the turn after the
# plan was shown (the user's "yes" carries no such words) or when a plan is named, never on the
# turn that asks for one: the user must read the plan before the consent question comes.
FILES_TOOLS = frozenset({"tidy_plan", "tidy_apply", "tidy_undo", "tidy_place"})
TIDY_WORDS = (r"\b(?:tidy|tidying|clean ?up|declutter|organi[sz]e|sort(?: out)?)\b[\s\S]*"
              r"\b(?:folders?|files|downloads|documents|desktop|photos|pictures|hard ?drive|disk|home|~/\S*)")
UNDO_TIDY_WORDS = (r"^(?=[\s\S]*\b(?:undo|put (?:\w+ )*back|restore|revert)\b)"
                   r"(?=[\s\S]*\b(?:tid\w*|files?|folders?|invoices|photos|documents|downloads|music)\b)")
APPLY_TIDY_WORDS = r"\b(?:apply|carry out|go ahead with|do)\b[\s\S]*\bplan\b"
# One file put where the user says: "put the lease in Documents/Housing". The place must look
# like a folder (a path, or one of the tidy's top folders), not "put the milk in the fridge".
PLACE_FILE_WORDS = (r"\b(?:put|move|file|place)\b[\s\S]*\b(?:in|into|under)\s+(?:the\s+|my\s+)?"
                    r"(?:~?[\w.-]+/[\w./-]*|(?:documents|photos|pictures|music|videos|archives|books)\b)")
WHERE_MOVED_WORDS = r"\bwhere (?:did|have) (?:you|os1) (?:put|move|moved|file|filed)\b"
# A letter of the user's to proofread, or their letters gathered into a book. Not "book a table"
# nor "a good book to read": a book of letters is asked for with the word "letters".
PROOFREAD_WORDS = r"\b(?:proof-?read\w*|spell-?check\w*|check (?:the |my )?(?:spelling|grammar)|typos?)\b"
LETTER_BOOK_WORDS = (r"\bletters\b[\s\S]*\b(?:into|in|as) an? (?:book|ebook|e-book|collection)\b|"
                     r"\b(?:book|collection) of (?:my |our )?letters\b")
# The planned book changed: "call the book 'Dear Loretta'", "leave out the letter to Paul",
# "put letter 5 back in the book", "change the book's introduction".
BOOK_EDIT_WORDS = (r"\b(?:call|name|title|rename|retitle)\s+(?:the|my|our)\s+book\b|"
                   r"\b(?:leave|take|keep)\b[\s\S]*\bletters?\b[\s\S]*\bout\b|"
                   r"\b(?:leave|take|keep)\s+out\b[\s\S]*\bletters?\b|"
                   r"\b(?:put|add)\b[\s\S]*\bletters?\b[\s\S]*\b(?:in|into|back)\b[\s\S]*\bbook\b|"
                   r"\b(?:book's|the book|of the book)\b[\s\S]*\b(?:introduction|title|chapters?)\b|"
                   r"\b(?:introduction|title|chapters?)\b[\s\S]*\b(?:of|in|for) the book\b|"
                   r"\bshow\b[\s\S]*\bbook\b[\s\S]*\bplan|\bbook plan\b")
# A letter written from notes: "write a letter for Chris to Loretta…". Not "I wrote a letter".
WRITE_LETTER_WORDS = r"\b(?:write|draft|compose)\b[\s\S]*\b(?:letter|note of thanks|condolence note)\b"
# The book sent on: "send my book to Penguin", "submit the manuscript to a publisher".
SUBMIT_WORDS = (r"\b(?:send|submit|mail|email)\b[\s\S]*\b(?:book|manuscript)\b[\s\S]*\b(?:to|publishers?)\b|"
                r"\bpublishers?\b[\s\S]*\b(?:send|submit)\b")

MAIL_TOOLS = frozenset({"mail_new", "mail_read", "mail_search", "mail_sort", "mail_send"})
CALENDAR_TOOLS = frozenset({"calendar_agenda", "add_event", "move_event", "cancel_event"})
# A question that goes on from the calendar turn before it ("And the day after?", "Is the
# haircut still on?"): its own words name no day the calendar rule knows, so it was answered
# from nothing ("The day after is December 8th.").
CALENDAR_FOLLOW_UP = (r"^\s*(?:and|or|what about|how about)\b|\b(?:still on|day after|day before|that day|"
                      r"the next day|then)\b")
# A question about the user's own past, without a word of mail ("What did I tell you about
# Paul?", "Where did we meet?"), asks memory: right after a reply to Paul's mail, the 1.5B
# answered both with mail_search.
# So does one about the user's own life now ("Where do I live now?", "What's my job these
# days?", "How good am I at the piano?"): after a summary, the 1.5B read Amy's mail for the first.
ABOUT_OUR_PAST = (rf"^(?![\s\S]*{MAIL_WORDS})(?:[\s\S]*\b(?:(?:when|where|why|how|what|who)\s+)?"
                  r"(?:did|had|have)\s+(?:I|we)\b|[\s\S]*\bdo you remember\b"
                  r"|[\s\S]*\b(?:where|how|who|what)\b[^.?!]*\b(?:do|am)\s+I\s+(?!have\b)|\s*do\s+I\s+have\s+any\b"
                  r"|[\s\S]*\bmy\s+(?:job|work|home|niece|nephew|sister|brother|siblings?|partner|wife|husband)\b)")


# Thanks or an okay and nothing more, not answering a question: no request, so no tool, not even
# one the last turn called (after a reply was sent, "Thanks" was answered with mail_new).
THANKS_ONLY = (r"\s*(?:(?:thanks?|thank you(?: (?:so|very) much)?|thx|cheers|great|perfect|cool|nice|lovely|"
               r"awesome|wonderful|good|ok(?:ay)?|got it|sounds good|that'?s (?:great|perfect|fine))[\s,.!]*)+")


@dataclass(frozen=True)
class Turn:
    """What a turn said, as the rules see it."""

    text: str
    previous: str = ""  # the user's words a turn ago, when the reply to them asked a question
    called: frozenset[str] = frozenset()  # the tools the last turn called

    @property
    def answers(self) -> bool:
        """Whether this turn answers the question the last reply asked (it is none itself)."""
        return bool(self.previous) and not self.text.rstrip().endswith("?")


@dataclass(frozen=True)
class Rule:
    name: str
    words: str  # a pattern, matched without regard to case
    tools: frozenset[str]
    after: frozenset[str] = frozenset()
    answers: bool = True
    statements: bool = True  # offered on a statement about one's life (LIFE_STATEMENT) too
    unless: str = ""  # never on words that match this, not even after `after` (another rule's)
    # The turn's own words need one of its tools: the first step calls one (an email named by
    # its number is read; the 1.5B asked to "summarize email #6" summarized #3 from memory).
    must: bool = False
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _unless: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_pattern", re.compile(self.words, re.I))
        object.__setattr__(self, "_unless", re.compile(self.unless, re.I) if self.unless else None)

    def fits(self, turn: Turn) -> bool:
        """Whether this rule offers its tools on `turn`."""
        if self._unless is not None and self._unless.search(turn.text):
            return False
        if _THANKS_ONLY.fullmatch(turn.text) and not turn.answers:  # "Okay!" may accept an offer
            return False
        if not self.after.isdisjoint(turn.called):
            return True
        if not self.statements and _STATEMENT.search(turn.text):
            return False
        # A statement a turn ago asked for nothing, so there is no request to go on with.
        carry = self.answers and turn.answers and (self.statements or not _STATEMENT.search(turn.previous))
        said = f"{turn.previous}\n{turn.text}" if carry else turn.text
        return bool(self._pattern.search(said))


_STATEMENT = re.compile(LIFE_STATEMENT, re.I)
_THANKS_ONLY = re.compile(THANKS_ONLY, re.I)


def _rule(name: str, words: str, *tools: str, after: frozenset[str] = frozenset(),
          statements: bool = True, unless: str = "", must: bool = False) -> Rule:
    return Rule(name, words, frozenset(tools), after, statements=statements, unless=unless, must=must)


RULES: tuple[Rule, ...] = (
    _rule("remember", MEMORY_WORTHY, "core_memory_append", "core_memory_replace"),
    _rule("note", NOTE_WORDS, "save_note"),
    _rule("forget", FORGET_WORDS, "forget_memories"),
    _rule("remind", REMIND_WORDS, "set_reminder", statements=False),
    _rule("calendar", CALENDAR_WORDS, "calendar_agenda", "add_event", statements=False),
    _rule("move", MOVE_WORDS, "move_event", statements=False,
          unless=r"\b(?:slower|faster|quicker|major|minor|songs?|pieces?|tunes?|melod(?:y|ies))\b"),
    _rule("cancel", CANCEL_WORDS, "cancel_event", statements=False),
    _rule("invitation", INVITATION_WORDS, "answer_invitation"),
    _rule("music", MUSIC_WORDS, *sorted(MUSIC_TOOLS)),
    _rule("music change", rf"(?=[\s\S]*{MUSIC_CHANGE})[\s\S]*\b(?:it|that|this one|the (?:song|piece|tune|melody))\b",
          "vary_music", after=MUSIC_TOOLS, unless=rf"^(?![\s\S]*{MUSIC_CHANGE})"),
    _rule("tidy", TIDY_WORDS, "tidy_plan", statements=False,
          unless=r"\b(?:e-?mails?|mail|inbox)\b"),  # "sort my mail into folders" is mail_sort
    _rule("apply tidy", APPLY_TIDY_WORDS, "tidy_apply", after=frozenset({"tidy_plan", "tidy_apply"}),
          statements=False),
    _rule("undo tidy", UNDO_TIDY_WORDS, "tidy_undo", after=FILES_TOOLS, statements=False),
    _rule("place file", PLACE_FILE_WORDS, "tidy_place", statements=False,
          unless=r"\b(?:e-?mails?|mail|inbox|messages?)\b"),  # "move that email into Receipts" is mail
    _rule("where moved", WHERE_MOVED_WORDS, "find_moved_file"),
    _rule("calendar follow-up", r"(?!)", "calendar_agenda", after=CALENDAR_TOOLS,
          unless=rf"^(?![\s\S]*(?:{CALENDAR_FOLLOW_UP})[\s\S]*\?\s*$)|{ABOUT_OUR_PAST}|{MAIL_WORDS}"),
    _rule("mail", MAIL_WORDS, *sorted(MAIL_TOOLS), after=MAIL_TOOLS, unless=f"{MAIL_NUMBER}|{ABOUT_OUR_PAST}"),
    _rule("one mail", MAIL_NUMBER, "mail_read", must=True),
    _rule("proofread", PROOFREAD_WORDS, "proofread_letter"),
    _rule("letter book", LETTER_BOOK_WORDS, "make_letter_book"),
    _rule("edit book", BOOK_EDIT_WORDS, "change_letter_book"),
    # The planned book made: "make the book now", or anything right after the plan was changed.
    _rule("make book", r"\b(?:make|compile|typeset|print)\s+(?:the|my|our)\s+book\b", "make_letter_book",
          after=frozenset({"change_letter_book"})),
    _rule("submit book", SUBMIT_WORDS, "send_book_to_publisher"),
    _rule("write letter", WRITE_LETTER_WORDS, "write_letter"),
    # Offered with "summarize email #1" too, the 0.5B sent a "summary" to an invented address.
    _rule("answer one mail", rf"(?=[\s\S]*{MAIL_NUMBER})[\s\S]*\b(?:repl(?:y|ies)|answer|send|"
          r"write back|respond|forward)\b", "mail_read", "mail_send"),
)


class Routes:
    """The rules by the tools they offer."""

    def __init__(self, rules: tuple[Rule, ...] = RULES) -> None:
        self.rules = rules

    @cached_property
    def _by_tool(self) -> dict[str, tuple[Rule, ...]]:
        out: dict[str, list[Rule]] = {}
        for rule in self.rules:
            for name in rule.tools:
                out.setdefault(name, []).append(rule)
        return {name: tuple(rules) for name, rules in out.items()}

    def routed(self, tool: str) -> bool:
        """Whether some rule names `tool` (a tool no rule names is never offered by words)."""
        return tool in self._by_tool

    def offers(self, tool: str, turn: Turn) -> bool:
        """Whether a rule offers `tool` on `turn`."""
        return any(rule.fits(turn) for rule in self._by_tool.get(tool, ()))

    def offered(self, turn: Turn) -> set[str]:
        """Every tool some rule offers on `turn`."""
        return {name for rule in self.rules if rule.fits(turn) for name in rule.tools}

    def required(self, text: str) -> set[str]:
        """The tools of the `must` rules that the words `text` themselves fit (never carried
        over from a turn before): the turn's first step calls one of them."""
        return {name for rule in self.rules if rule.must and rule.fits(Turn(text)) for name in rule.tools}


ROUTES = Routes()


def offered(text: str, previous: str = "", called: frozenset[str] = frozenset()) -> set[str]:
    """The tools the rules offer on a turn that says `text` (see Turn for the other two)."""
    return ROUTES.offered(Turn(text, previous, called))


def required(text: str) -> set[str]:
    """The tools a turn that says `text` must call first (see Rule.must)."""
    return ROUTES.required(text)
