"""Sending only through a confirmed tool call; the message arrives intact at a real SMTP server."""

from email.utils import getaddresses

import pytest

from os1.core.conversation import Companion
from os1.events import EventType
from os1.models.base import ToolCall
from os1.plugins import tools as registered_tools
from os1.skills.mail import reader
from tests import mail_samples as s
from tests.fakes import ScriptedLLM
from tests.mail_servers import dovecot, folder_uids, mail_svc, put, smtp_server  # noqa: F401

BODY = "Hi Amy,\n\nYes, I'll be there at 3 — see you at the café.\n\nSam"


def send_call(**over):
    args = {"to": "Amy <amy@example.org>, bo@example.org", "subject": "Saturday", "body": BODY, **over}
    return ToolCall("call_1", "mail_send", args)


async def test_confirmed_send_arrives_intact(settings, store, mail_svc, smtp_server, dovecot):
    asked = []

    async def approve(request):
        asked.append(request)
        return True

    c = Companion(settings, ScriptedLLM(send_call(), "Sent."), store, registered_tools())
    session = await c.session(confirm=approve)
    assert "mail_send" in session.tools
    [e async for e in session.turn("reply to Amy and Bo that I'll be there")]
    summary = asked[0].summary
    assert "amy@example.org" in summary and "bo@example.org" in summary and BODY in summary
    [(mail_from, rcpts, raw)] = smtp_server.inbox.received
    assert mail_from == "sam@example.org" and rcpts == ["amy@example.org", "bo@example.org"]
    [msg] = smtp_server.inbox.messages()
    assert msg["Subject"] == "Saturday" and msg.get_content().replace("\r\n", "\n").rstrip("\n") == BODY  # CRLF on the wire
    assert [a for _, a in getaddresses([str(msg["To"])])] == ["amy@example.org", "bo@example.org"]
    assert msg["Message-ID"] and msg["Date"]
    assert len(folder_uids(dovecot, "Sent")) == 1  # a copy kept in Sent
    learned = {c.address: c.sent for c in await mail_svc.mail.contacts("tester")}
    assert learned == {"amy@example.org": 1, "bo@example.org": 1}


async def test_denied_or_unasked_send_sends_nothing(settings, store, mail_svc, smtp_server):
    async def deny(request):
        return False

    for confirm in (deny, None):
        c = Companion(settings, ScriptedLLM(send_call(), "OK, not sent."), store, registered_tools())
        session = await c.session(confirm=confirm)
        [e async for e in session.turn("send it")]
        result = [e for e in session.last_trace.events if e.type == EventType.TOOL_RESULT][0]
        assert result.data["ok"] is False
    assert smtp_server.inbox.received == []


async def test_reply_threads_to_the_original(settings, store, mail_svc, smtp_server, dovecot):
    put(dovecot, s.simple("Amy <amy@example.org>", "The game", "Coming?"))
    [x] = await reader.whats_new(mail_svc)

    async def approve(request):
        return True

    call = send_call(to="amy@example.org", subject="", body="Yes!", reply_to=x.local_id)
    c = Companion(settings, ScriptedLLM(call, "Done."), store, registered_tools())
    session = await c.session(confirm=approve)
    [e async for e in session.turn("reply yes to Amy")]
    [msg] = smtp_server.inbox.messages()
    assert msg["Subject"] == "Re: The game"
    assert msg["In-Reply-To"] == x.mail.message_id


@pytest.mark.parametrize("to", ["sam@example.org", "ari@example.org"])
async def test_a_reply_addressed_to_oneself_goes_to_the_sender_of_the_mail_read(
        settings, store, mail_svc, smtp_server, dovecot, to):
    """"Reply that I'll be there" after reading Amy's mail: the model named the user's own
    address (or none, or one it made up from the companion's name) and no message number; the
    confirmation already shows Amy, who gets it."""
    put(dovecot, s.simple("Ida <ida@example.org>", "Lunch", "Friday?"),
        s.simple("Amy <amy@example.org>", "The game", "Coming on Saturday?"))
    ida, amy = await reader.whats_new(mail_svc)
    asked = []

    async def approve(request):
        asked.append(request)
        return True

    read = ToolCall("r1", "mail_read", {"message": amy.local_id})
    c = Companion(settings, ScriptedLLM(read, "Amy asks if you are coming on Saturday.",
                                        send_call(to=to, subject="", body="I'll be there."),
                                        "Sent."), store, registered_tools())
    session = await c.session(confirm=approve)
    [e async for e in session.turn(f"What does email #{amy.local_id} say?")]
    [e async for e in session.turn("Reply that I'll be there")]
    assert "amy@example.org" in asked[0].summary and to not in asked[0].summary
    [(_, rcpts, _)] = smtp_server.inbox.received
    assert rcpts == ["amy@example.org"]
    [msg] = smtp_server.inbox.messages()
    assert msg["Subject"] == "Re: The game" and msg["In-Reply-To"] == amy.mail.message_id


async def test_a_named_recipient_is_kept_as_the_model_gave_it(settings, store, mail_svc, smtp_server, dovecot):
    put(dovecot, s.simple("Amy <amy@example.org>", "The game", "Coming?"))
    [x] = await reader.whats_new(mail_svc)

    async def approve(request):
        return True

    c = Companion(settings, ScriptedLLM(ToolCall("r1", "mail_read", {"message": x.local_id}), "Read.",
                                        send_call(to="bo@example.org", subject="Hi", body="Hello"), "Sent."),
                  store, registered_tools())
    session = await c.session(confirm=approve)
    [e async for e in session.turn(f"Read email #{x.local_id}")]
    [e async for e in session.turn("Send Bo a hello")]
    [(_, rcpts, _)] = smtp_server.inbox.received
    assert rcpts == ["bo@example.org"]


async def test_invalid_recipient_is_refused_before_sending(settings, store, mail_svc, smtp_server):
    async def approve(request):
        return True

    c = Companion(settings, ScriptedLLM(send_call(to="not an address"), "Sorry."), store, registered_tools())
    session = await c.session(confirm=approve)
    [e async for e in session.turn("send")]
    result = [e for e in session.last_trace.events if e.type == EventType.TOOL_RESULT][0]
    assert result.data["ok"] is False and "not valid email addresses" in result.data["result"]
    assert smtp_server.inbox.received == []


async def test_mail_tools_are_offered_on_mail_words_and_the_turn_after_a_mail_call(settings, store, mail_svc):
    """Not on every turn once an account exists (their descriptions are long and a small model
    calls what it is offered), but on words about mail, and on the turn after a mail tool was
    called, whose words go on with the task without naming it; a new session goes on too."""
    from os1.skills.mail.tools import MAIL_TOOL_NAMES

    mail = set(MAIL_TOOL_NAMES)
    c = Companion(settings, ScriptedLLM("Four.", ToolCall("a", "mail_new", {}), "No new mail.", "Sure."),
                  store, registered_tools())
    session = await c.session()
    assert mail <= set(session.tools)  # the account exists
    assert not await session.offer("What is two plus two?") & mail
    [e async for e in session.turn("What is two plus two?")]
    assert mail <= await session.offer("anything new in my inbox?")
    [e async for e in session.turn("anything new in my inbox?")]
    assert any(e.type == EventType.TOOL_RESULT and e.data["ok"] for e in session.last_trace.events)
    assert mail <= await session.offer("tell her I'll be there")  # goes on with the task
    assert mail <= await (await c.session()).offer("what does she say?")
    [e async for e in session.turn("thanks")]  # no mail tool called: the task is over
    assert not await session.offer("tell her I'll be there") & mail


async def test_an_email_named_by_its_number_is_read_first_and_it_is_that_one(settings, store, mail_svc, dovecot):
    """"Summarize email #N": the first step may only call mail_read (must_call), and the number
    read is the one the user said, whatever number the model wrote."""
    put(dovecot, s.simple("Ida <ida@example.org>", "Lunch", "Friday?"),
        s.simple("Amy <amy@example.org>", "The game", "Coming on Saturday?"))
    ida, amy = await reader.whats_new(mail_svc)
    llm = ScriptedLLM(ToolCall("r1", "mail_read", {"message": ida.local_id}), "Amy asks about Saturday.")
    c = Companion(settings, llm, store, registered_tools())
    session = await c.session()
    events = [e async for e in session.turn(f"Summarize email #{amy.local_id} for me.")]
    assert llm.must_call[0] is True
    assert [t["function"]["name"] for t in llm.tools_offered[0]] == ["mail_read"]
    [result] = [e.data for e in events if e.type == EventType.TOOL_RESULT]
    assert result["ok"] and "The game" in result["result"] and "Lunch" not in result["result"]
    [ran] = [m.meta for m in await store.messages(c.settings.user) if m.role == "tool"]
    assert ran["arguments"] == {"message": amy.local_id}  # what ran, for the turns after


async def test_an_email_named_by_its_sender_is_that_senders(settings, store, mail_svc, dovecot):
    """"What does Amy say?": the model's number is kept when it is one of Amy's, else Amy's
    newest message is read (the 1.5B read Lena's #2 for Amy's #1)."""
    put(dovecot, s.simple("Ida <ida@example.org>", "Lunch", "Friday?"),
        s.simple("Amy <amy@example.org>", "The game", "Coming on Saturday?"))
    ida, amy = await reader.whats_new(mail_svc)
    llm = ScriptedLLM(ToolCall("r1", "mail_read", {"message": ida.local_id}), "Amy asks about Saturday.",
                      ToolCall("r2", "mail_read", {"message": ida.local_id}), "Ida asks about lunch.")
    c = Companion(settings, llm, store, registered_tools())
    session = await c.session()
    events = [e async for e in session.turn("What does Amy say in her email?")]
    [result] = [e.data for e in events if e.type == EventType.TOOL_RESULT]
    assert result["ok"] and "The game" in result["result"] and "Lunch" not in result["result"]
    events = [e async for e in session.turn("What does Ida say in her email?")]  # the number was hers
    [result] = [e.data for e in events if e.type == EventType.TOOL_RESULT]
    assert "Lunch" in result["result"]


async def test_a_reply_to_a_made_up_address_with_no_email_read_asks_which(
        settings, store, mail_svc, smtp_server, dovecot):
    """Mum's mail was found by a search, none read: the 1.5B replied to an address it made up."""
    asked = []

    async def approve(request):
        asked.append(request)
        return True

    c = Companion(settings, ScriptedLLM(send_call(to="samortiz@example.org", subject="Lunch", body="I'd love to come."),
                                        "Done."), store, registered_tools())
    session = await c.session(confirm=approve)
    events = [e async for e in session.turn("Reply that I'd love to come")]
    said = "".join(e.data.get("text", "") for e in events if e.type == EventType.TEXT)
    assert not asked and not smtp_server.inbox.received  # nothing asked, nothing sent
    assert "Which email should I answer" in said
