"""Drafting in the user's voice: the prompt carries their own sent words (not the quoted
original) and the message to answer as fenced data; nothing is sent."""

from os1.skills.mail import reader
from os1.skills.mail.drafting import _own_words, draft_reply, proofread
from tests import mail_samples as s
from tests.fakes import ScriptedLLM
from tests.mail_servers import dovecot, mail_svc, put, smtp_server  # noqa: F401


def test_own_words_drop_the_quoted_part():
    text = "Sounds great, see you then!\nx\n\nOn Mon, Amy wrote:\n> are you coming?"
    assert _own_words(text) == "Sounds great, see you then!\nx"


async def test_draft_uses_sent_mail_as_voice_and_sends_nothing(mail_svc, dovecot, smtp_server):
    put(dovecot, s.simple("Sam <sam@example.org>", "Re: hike", "yo! count me in :) -S\n\n> hike?",
                          to="bo@example.org"), folder="Sent")
    put(dovecot, s.simple("Amy <amy@example.org>", "The game", "Are you coming on Saturday?"))
    [x] = await reader.whats_new(mail_svc)
    llm = ScriptedLLM("yo Amy! count me in :) -S")
    text = await draft_reply(mail_svc, llm, x.local_id, "say yes")
    assert text == "yo Amy! count me in :) -S"
    system, user = llm.prompts[0]
    assert "yo! count me in :) -S" in system["content"] and "hike?" not in system["content"]
    assert "<<<MAIL" in user["content"] and "Are you coming on Saturday?" in user["content"]
    assert "say yes" in user["content"]
    assert smtp_server.inbox.received == []


async def test_proofread_returns_the_models_text():
    llm = ScriptedLLM("Thank you for the invitation.")
    assert await proofread(llm, "thanx for teh invitation") == "Thank you for the invitation."
    assert llm.prompts[0][-1]["content"] == "thanx for teh invitation"
