"""Reading real mail from dovecot: new mail, awkward messages, attachments never downloaded, search."""

import time

import pytest
from imapclient import IMAPClient

from os1.errors import ToolError
from os1.skills.mail import reader
from tests import mail_samples as s
from tests.mail_servers import dovecot, mail_svc, put, smtp_server  # noqa: F401 (fixtures)


async def test_whats_new_then_only_newer(mail_svc, dovecot):
    put(dovecot, s.simple("Amy <amy@example.org>", "The game on Saturday", "Are you coming?"),
        s.simple("News <news@shop.example>", "Deals", "Buy now",
                 headers={"List-Unsubscribe": "<mailto:unsub@shop.example>"}))
    first = await reader.whats_new(mail_svc)
    assert [x.mail.subject for x in first] == ["The game on Saturday", "Deals"]
    assert [x.category for x in first] == [None, "newsletters"]
    assert await reader.whats_new(mail_svc) == []
    put(dovecot, s.simple("Bo <bo@example.org>", "Lunch", "Tomorrow?"))
    second = await reader.whats_new(mail_svc)
    assert [x.mail.subject for x in second] == ["Lunch"]
    assert second[0].local_id not in {x.local_id for x in first}
    names = {c.address: c for c in await mail_svc.mail.contacts("tester")}
    assert names["amy@example.org"].name == "Amy" and names["amy@example.org"].received == 1


async def test_awkward_messages_read_cleanly(mail_svc, dovecot):
    put(dovecot, s.EIGHT_BIT_HEADERS, s.UNKNOWN_CHARSET, s.MALFORMED_MIME, s.NO_ID_NO_DATE,
        s.html_only("shop@example.com", "Only HTML", "<p>Hello <i>there</i></p><p>Second</p>"))
    listed = await reader.whats_new(mail_svc)
    assert len(listed) == 5
    texts = {}
    for x in listed:
        mail, _ = await reader.read(mail_svc, x.local_id)
        texts[x.mail.sender] = mail.text
    assert "caf\xe9" in texts["jose@example.es"]
    assert "Quarterly numbers" in texts["old@example.net"]
    assert "Second part" in texts["broken@example.com"]
    assert "neither a Message-ID" in texts["nobody@example.com"]
    assert texts["shop@example.com"] == "Hello there\n\nSecond"


async def test_huge_attachment_is_never_downloaded(mail_svc, dovecot, monkeypatch):
    put(dovecot, s.with_attachment("Amy <amy@example.org>", "Photos", "Here they are!",
                                   "holiday.zip", 8_000_000))
    fetched_items, received = [], []
    real_fetch = IMAPClient.fetch

    def spy(self, messages, data, modifiers=None):
        fetched_items.append(data)
        result = real_fetch(self, messages, data, modifiers)
        received.append(sum(len(v) for d in result.values() for v in d.values() if isinstance(v, bytes)))
        return result

    monkeypatch.setattr(IMAPClient, "fetch", spy)
    t0 = time.monotonic()
    [x] = await reader.whats_new(mail_svc)
    mail, _ = await reader.read(mail_svc, x.local_id)
    assert mail.text == "Here they are!"
    assert mail.attachments == [("holiday.zip", "application/octet-stream", pytest.approx(10_800_000, rel=0.05))]
    assert max(received) < 100_000  # the 8 MB attachment never came over the wire
    assert not any("BODY[]" in str(d) or "RFC822\'" in str(d) for d in fetched_items)
    assert time.monotonic() - t0 < 30


async def test_search_server_side(mail_svc, dovecot):
    put(dovecot, s.simple("Amy <amy@example.org>", "The game", "Kick-off at 3pm, bring the ball"),
        s.simple("Amy <amy@example.org>", "Dinner", "Pasta?"),
        s.simple("Bo <bo@example.org>", "The game", "I can't make it"))
    found = await reader.search(mail_svc, "from:amy game")
    assert [x.mail.subject for x in found] == ["The game"]
    assert [x.mail.subject for x in await reader.search(mail_svc, "ball")] == ["The game"]
    assert await reader.search(mail_svc, "nothing-like-this") == []


async def test_unknown_message_number_is_a_tool_error(mail_svc):
    with pytest.raises(ToolError, match="no message #999"):
        await reader.read(mail_svc, 999)
