"""With the real small model and a real mailbox: "summarize email #1" gets a summary, read from
dovecot through mail_read, that names the sender and what the mail says; no call text shown."""

import re
from email.message import EmailMessage

import pytest

from os1.core.conversation import Companion
from os1.events import EventType
from os1.plugins import tools as registered_tools
from os1.skills.mail import reader
from tests.mail_servers import dovecot, mail_svc, put, smtp_server  # noqa: F401

BODY = ("Hi Sam!\n\nAre you free for dinner on Saturday at 7? I booked a table at Luna, the new Thai "
        "place on Elm Street. Paul might come too.\n\nLet me know!\nAmy")
CALL_TEXT = re.compile(r"<tool_call>|\{\s*\"name\"|\bmail_\w+|\w+\?\w+=")


def amys_mail() -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Amy Chen <amy@example.org>", "sam@example.org", "Dinner on Saturday?"
    msg["Date"] = "Sat, 05 Dec 2026 18:00:00 +0100"
    msg.set_content(BODY)
    return msg.as_bytes()


@pytest.mark.model
async def test_a_summary_is_written_from_a_real_message_fetched_from_dovecot(
        settings, store, mail_svc, dovecot, real_llm):  # noqa: F811
    put(dovecot, amys_mail())
    [listed] = await reader.whats_new(mail_svc)  # numbered as "Anything new?" numbers it
    c = Companion(settings, real_llm, store, registered_tools())
    session = await c.session()
    events = [e async for e in session.turn(f"Summarize email #{listed.local_id} for me.")]
    said = "".join(e.data.get("text", "") for e in events if e.type == EventType.TEXT)
    read = [e.data for e in events if e.type == EventType.TOOL_RESULT and e.data["tool"] == "mail_read"]
    assert read and read[0]["ok"] and "Luna" in read[0]["result"]  # fetched from the server
    assert "Amy" in said, said
    assert re.search(r"dinner|Saturday|Luna", said, re.I), said
    assert not CALL_TEXT.search(said), said
