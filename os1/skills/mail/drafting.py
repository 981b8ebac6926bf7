"""Drafting replies in the user's own voice (learned from their Sent mail). Proofreading is the
one proofreader's (os1/language/proofreading), shared with the letters.

A draft is only text for the user to read; sending stays behind the confirmed `mail_send`
tool or `os1 mail send`.
"""

from __future__ import annotations

from os1.models.base import LLM, Message
from os1.skills.mail import reader
from os1.skills.mail.outgoing import SENT_FOLDER
from os1.skills.mail.quoting import NOTICE, quote
from os1.skills.mail.service import MailService

SAMPLE_CHARS = 400


def own_words(text: str) -> str:
    """What the user wrote, without the quoted message below it."""
    lines = []
    for line in text.splitlines():
        if line.startswith(">") or (line.startswith("On ") and line.rstrip().endswith("wrote:")):
            break
        lines.append(line)
    return "\n".join(lines).strip()


def _own_words(text: str) -> str:
    """The start of what the user wrote: a sample of their voice."""
    return own_words(text)[:SAMPLE_CHARS]


async def voice_samples(svc: MailService, n: int = 3) -> list[str]:
    """The user's newest sent messages (their own words only): how they write."""
    async with svc.imap() as imap:
        try:
            uids = await imap.search(["ALL"], SENT_FOLDER)
        except Exception:
            return []
        samples = []
        for item in await imap.fetch_headers(SENT_FOLDER, uids[-n:][::-1]):
            text = _own_words(await imap.fetch_text(SENT_FOLDER, item, cap=4096))
            if text:
                samples.append(text)
    return samples


def draft_prompt(local_id: int, original_quote: str, samples: list[str], wish: str) -> list[Message]:
    style = "\n---\n".join(samples) or "(no sent mail yet: write plainly and warmly)"
    return [
        {"role": "system", "content": (
            "You draft an email reply for the user, in the user's own voice. Match the tone, "
            "length, greeting and sign-off of their own messages below. Write only the reply "
            "text. " + NOTICE + "\nThe user's own recent messages:\n" + style)},
        {"role": "user", "content": f"{original_quote}\n\nDraft my reply to #{local_id}. {wish}".strip()},
    ]


async def _complete(llm: LLM, messages: list[Message], max_tokens: int) -> str:
    out = []
    async for chunk in llm.stream_chat(messages, max_tokens=max_tokens):
        out.append(chunk.text)
    return "".join(out).strip()


async def draft_reply(svc: MailService, llm: LLM, local_id: int, wish: str = "",
                      *, max_tokens: int = 300) -> str:
    original, _ = await reader.read(svc, local_id)
    samples = await voice_samples(svc)
    return await _complete(llm, draft_prompt(local_id, quote(local_id, original, limit=3000), samples, wish),
                           max_tokens)
