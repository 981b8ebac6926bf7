"""Drafting in the user's voice: the prompt carries their own sent words (not the quoted
original) and the message to answer as fenced data; nothing is sent."""

from os1.skills.mail import reader
from os1.skills.mail.drafting import _own_words, draft_reply
from tests import mail_samples as s
from tests.cli_helpers import os1, out
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


def test_mail_is_proofread_by_the_one_proofreader_change_by_change():
    draft = "Hi Amy,\n\nthanx for teh invitation, their is nothing I would like more.\n\nSam\n"
    r = os1("mail", "proofread", stdin=draft)
    assert r.returncode == 0, out(r)
    said = out(r)
    assert "- …thanx for [teh] invitation" in said and "+ …thanx for [the] invitation" in said
    assert "[their] is nothing" in said and "[there] is nothing" in said and "[Amy]" not in said
    r = os1("mail", "proofread", "--fixed", stdin=draft)
    assert "for the invitation, there is nothing" in out(r)
    assert os1("mail", "proofread", stdin="   ").returncode == 2
