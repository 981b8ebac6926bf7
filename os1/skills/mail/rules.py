"""Sorting rules that need no model: the user's own rules, then mailing-list and spam headers.

A rule's answer is final; the model is asked only when no rule applies. Known senders (people the
user has written to) are never sorted as newsletters or junk.
"""

from __future__ import annotations

from os1.skills.mail.parse import ParsedMail
from os1.skills.mail.quoting import ATTACK_SIGNS, mail_signs

Rule = tuple[str, str, str]  # field (from|subject), lower-case pattern, category


def user_rule(mail: ParsedMail, rules: list[Rule]) -> str | None:
    for field, pattern, category in rules:
        value = mail.sender if field == "from" else mail.subject.lower()
        if field == "from" and (value == pattern or value.endswith("@" + pattern.lstrip("@"))
                                or (pattern.startswith("@") and value.endswith(pattern))):
            return category
        if field == "subject" and pattern in value:
            return category
    return None


def rule_category(mail: ParsedMail, rules: list[Rule], known: set[str], own: str = "") -> str | None:
    """The category a rule gives, or None when the model should decide."""
    if (found := user_rule(mail, rules)) is not None:
        return found
    if mail.sender in known:
        return None  # a person the user writes to: never a newsletter or junk by header alone
    if mail.spam_flag or mail.auth_failed:
        return "junk"  # the server's spam filter, or a sender its SPF/DKIM/DMARC check refused
    if any(sign in ATTACK_SIGNS for sign in mail_signs(mail)):
        return "junk"  # it gives orders to an AI assistant
    if mail.list_unsubscribe or mail.list_id or mail.bulk:
        return "newsletters"
    return None


_NO_REPLY = ("noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "mailer-daemon")


def automated(mail: ParsedMail) -> bool:
    """Sent by a machine nobody reads replies to (no-reply address, auto-submitted, a list)."""
    local = mail.sender.partition("@")[0]
    return any(n in local for n in _NO_REPLY) or mail.bulk or bool(mail.list_id)


def guard(category: str, mail: ParsedMail, known: set[str]) -> str:
    """Overrule the model where headers know better: a known correspondent is never junk or a
    newsletter; nobody can answer a no-reply address, so such mail never needs a reply."""
    if mail.sender in known and category in ("junk", "newsletters"):
        return "important"
    if category == "needs_reply" and automated(mail):
        return "important"
    return category
