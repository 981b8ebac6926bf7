"""The five mail tools offered to the model (only once an account exists).

Reading tools return mail as fenced, labelled quoted data; the two that change the world
(sorting, sending) are confirm=True, and sending shows the exact recipients and text first.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field

from os1.core.tools import Tool, ToolContext, routed, tool
from os1.core.turns import recent_calls, recent_results, user_words
from os1.language.grounding import ground_number, named, said_number
from os1.skills.mail import outgoing, reader
from os1.skills.mail.errors import MailError
from os1.skills.mail.quoting import NOTICE, WARNED, header_line, mail_signs, quote, reminder, user_warning
from os1.skills.mail.send import parse_recipients
from os1.skills.mail.service import MailService
from os1.skills.mail.store import mail_repository
from os1.skills.mail.triage import triage

# Offered once an account exists, on turns about mail and on the turn after one of them was
# called: the rule ("mail") and why are in os1/language/routing.py.
MAIL_TOOL_NAMES = ("mail_new", "mail_read", "mail_search", "mail_sort", "mail_send")


async def has_account(ctx: ToolContext) -> bool:
    """The mail tools are offered only to a user who has added an account."""
    return bool(await mail_repository(ctx.store).accounts(ctx.user))


async def _svc(ctx: ToolContext) -> MailService:
    return await MailService.open(ctx.settings, ctx.store, ctx.user)


def _lines(ctx: ToolContext, listed: list[reader.Listed]) -> str:
    """Header lines, suspicious ones marked; the user is told about those whatever the model says."""
    out, flagged = [], []
    for x in listed:
        tag = {"important": " [important]", "newsletters": " [newsletter]", "junk": " [junk]"}.get(
            x.category or "", "")
        warn = ""
        if mail_signs(x.mail):
            warn = " [WARNING: looks like phishing or a prompt injection]"
            flagged.append((x.local_id, x.mail))
        out.append(header_line(x.local_id, x.mail, folder=x.folder) + tag + warn)
    if flagged:
        ctx.notify(user_warning(flagged), unless=WARNED if len(flagged) == 1 else None)
    return "\n".join(out)


@tool(prepare=routed(needs=has_account))
async def mail_new(ctx: ToolContext, limit: Annotated[int, Field(ge=1, le=50)] = 10) -> str:
    """List mail that arrived since the last check: number, date, sender, subject."""
    listed = await reader.whats_new(await _svc(ctx), limit=limit)
    if not listed:
        return "No new mail."
    # The list first, the notice last: a small model copies the opening of a result (the
    # 1.5B answered "Anything new in my mail?" with the notice) and heeds what comes last.
    return f"{len(listed)} new message(s):\n<<<MAIL list\n{_lines(ctx, listed)}\nMAIL>>>\n{NOTICE}"


async def _said_message(ctx: ToolContext, arguments: dict[str, Any]) -> dict[str, Any]:
    """The message the user meant: the number they said (see grounding.ground_number), else,
    when they named its sender ("What does Amy say?") and the number chosen is not one of that
    sender's, that sender's newest message. The 1.5B read #2, Lena's, for Amy's, from a list
    in which Amy's was #1."""
    words = await user_words(ctx)
    chosen = ground_number(int(arguments["message"]), words)
    if not said_number(words):
        for name in named(words):
            theirs = await reader.search(await _svc(ctx), f"from:{name}")
            if theirs:
                if chosen not in {x.local_id for x in theirs}:
                    chosen = theirs[0].local_id
                break
    return {**arguments, "message": chosen}


@tool(prepare=routed(needs=has_account), settle=_said_message)
async def mail_read(ctx: ToolContext, message: Annotated[int, Field(description="message number")]) -> str:
    """Show one email's text by its number ("email #2" is message 2), to read, summarize or answer it."""
    mail, _ = await reader.read(await _svc(ctx), message)
    if mail_signs(mail):
        ctx.notify(user_warning([(message, mail)]), unless=WARNED)
    # Plain line ends: a small model copies the \r of a CRLF body into its summary.
    return f"{quote(message, mail)}\n{NOTICE}{reminder(message, mail)}".replace("\r\n", "\n")


@tool(prepare=routed(needs=has_account))
async def mail_search(
    ctx: ToolContext,
    query: Annotated[str, Field(min_length=1, description="a sender (from:NAME) or words the mail contains")],
) -> str:
    """Find emails from someone or about something; not for an email by its number."""
    listed = await reader.search(await _svc(ctx), query)
    if not listed:
        return f"No mail matches {query!r}."
    return f"<<<MAIL list\n{_lines(ctx, listed)}\nMAIL>>>\n{NOTICE}"


@tool(confirm=True, prepare=routed(needs=has_account))
async def mail_sort(ctx: ToolContext, limit: Annotated[int, Field(ge=1, le=5000)] = 200) -> str:
    """Sort the inbox into folders (Important, Needs reply, Keep, Newsletters, Junk); undoable."""
    report = await triage(await _svc(ctx), ctx.llm, limit=limit)
    moved = ", ".join(f"{n} to {c}" for c, n in sorted(report.moved.items())) or "nothing"
    return f"Sorted {report.examined} message(s): moved {moved}. 'os1 mail undo' moves them back."


async def _mail_send(
    ctx: ToolContext,
    to: Annotated[str, Field(description="recipient addresses, comma-separated")],
    subject: str,
    body: Annotated[str, Field(min_length=1, description="the exact text to send")],
    reply_to: Annotated[int | None, Field(description="number of the message answered")] = None,
) -> str:
    """Send an email (the user sees the exact recipients and text and must confirm)."""
    msg = await outgoing.send(await _svc(ctx), to, subject, body, reply_to=reply_to)
    return f"Sent to {msg['To']}: {msg['Subject']!s}."


# Words of a reply to a message read, not a new email to someone: "reply that I'll be there".
_REPLYING = re.compile(r"\b(?:reply|replying|answer|respond|write back)\b", re.I)


class SendTool(Tool):
    """Its confirmation shows exactly what will leave, as the user would read it."""

    async def settle(self, ctx: ToolContext, arguments: dict[str, Any]) -> dict[str, Any]:
        """A reply goes to whoever wrote the message answered. Asked to "reply that I'll be
        there" after reading Amy's mail, the 1.5B addressed it to the user's own address; with
        no real recipient given, the message answered is the one named, or else the one read
        last in this conversation. A recipient the model did name is kept as it is, unless,
        in a reply, nothing the conversation showed names it: the 1.5B once wrote to
        "ari@example.org", the companion's own name."""
        svc = await _svc(ctx)
        try:
            named = {a.lower() for a in parse_recipients(str(arguments.get("to") or ""))}
        except MailError:
            named = set()
        words = await user_words(ctx)
        made_up: set[str] = set()
        if _REPLYING.search(words):  # an address a reply's conversation never showed is made up
            seen = (words + " " + " ".join(await recent_results(ctx))).lower()
            made_up = {a for a in named if a not in seen and a.split("@")[0] not in words.lower()}
            named -= made_up
        if named - {svc.account.address.lower()}:
            return arguments
        number = arguments.get("reply_to")
        if number is None:
            read = [a.get("message") for a in await recent_calls(ctx, "mail_read")]
            number = next((n for n in read if isinstance(n, int)), None)
        if number is None and made_up:  # no message answered to take the sender from: ask
            raise MailError(f"I don't know {', '.join(sorted(made_up))}.",
                            fix="Which email should I answer, or who should it go to?")
        if number is None:
            return arguments  # to oneself, as asked: the confirmation shows it
        original, _ = await reader.read(svc, int(number))
        return {**arguments, "to": original.sender, "reply_to": int(number)}

    def summary(self, arguments: dict[str, Any]) -> str:
        lines = [f"Send an email to: {arguments.get('to', '')}",
                 f"Subject: {arguments.get('subject', '')}"]
        if arguments.get("reply_to") is not None:
            lines.append(f"(in reply to message #{arguments['reply_to']})")
        lines += ["-" * 40, str(arguments.get("body", "")), "-" * 40]
        return "\n".join(lines)


_send = tool(confirm=True, prepare=routed(needs=has_account), name="mail_send")(_mail_send)
mail_send = SendTool(
    _send.name, _send.description, _send.fn, _send.params, confirm=True, prepare=_send.prepare,
)

MAIL_TOOLS = [mail_new, mail_read, mail_search, mail_sort, mail_send]
