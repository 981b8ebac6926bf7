"""Triage against real dovecot: rules then model, journaled moves, undo, idempotent reruns, and
resuming after a crash or a server that goes away mid-run — no message lost or moved twice."""

import pytest

from os1.errors import ModelProtocolError
from os1.skills.mail.errors import MailConnectionError
from os1.skills.mail.triage import triage, undo
from tests import mail_samples as s
from tests.mail_servers import dovecot, folder_uids, mail_svc, put, restart, smtp_server  # noqa: F401


class KeywordLLM:
    """Stands in for the model inside these tests only (the real model is tested elsewhere):
    answers complete_json from a keyword in the quoted mail. Triage runs `by_likeness=False`
    here so that the fake's answers decide."""

    def __init__(self, on_call=None):
        self.calls = 0
        self.on_call = on_call

    async def complete_json(self, messages, schema, **_):
        self.calls += 1
        if self.on_call:
            self.on_call(self.calls)
        text = messages[-1]["content"]
        for word, cat in (("question", "needs_reply"), ("joke", "keep"), ("invoice", "important"),
                          ("WIN", "junk")):
            if word in text:
                return {"folder": cat}
        return {"folder": "not-a-folder"}


def inbox(dovecot):
    put(dovecot,
        s.simple("Amy <amy@example.org>", "A question", "Can you come on Saturday? (question)"),
        s.simple("Bo <bo@example.org>", "Ha", "Best joke ever"),
        s.simple("Shop <news@shop.example>", "Deals", "Sale", headers={"List-Unsubscribe": "<mailto:u@x>"}),
        s.simple("Power Co <bills@power.example>", "Your invoice", "invoice due Dec 1"),
        s.simple("Prize <x@spam.example>", "You WIN", "Claim now", headers={"X-Spam-Flag": "YES"}),
        s.NO_ID_NO_DATE,
        s.simple("Cy <cy@example.org>", "WIN a car", "WIN WIN WIN"))


def counts(dovecot):
    return {f: len(folder_uids(dovecot, f)) for f in
            ("INBOX", "Important", "Needs reply", "Keep", "Newsletters", "Junk")}


async def test_triage_sorts_journals_and_undo_restores(mail_svc, dovecot):
    inbox(dovecot)
    llm = KeywordLLM()
    seen = []
    report = await triage(mail_svc, llm, progress=lambda d, t: seen.append((d, t)), by_likeness=False)
    assert counts(dovecot) == {"INBOX": 0, "Important": 1, "Needs reply": 1, "Keep": 2,
                               "Newsletters": 1, "Junk": 2}
    assert llm.calls == 5  # the newsletter and the X-Spam-Flag one were sorted by rules
    assert report.total_moved == 7 and seen[-1] == (7, 7)
    moves = await mail_svc.mail.moves("tester", mail_svc.account.id, states=("done",))
    assert len(moves) == 7 and all(m.dst_uid for m in moves)

    again = await triage(mail_svc, llm, by_likeness=False)  # idempotent: nothing moved twice
    assert again.total_moved == 0 and llm.calls == 5

    batch, n = await undo(mail_svc)
    assert batch == report.batch and n == 7
    assert counts(dovecot)["INBOX"] == 7 and sum(counts(dovecot).values()) == 7
    # the user moved them back: triage respects that and does not sort them again
    assert (await triage(mail_svc, llm, by_likeness=False)).total_moved == 0
    assert await undo(mail_svc) == (None, 0)


async def test_user_rules_win_and_known_senders_are_never_junk(mail_svc, dovecot):
    await mail_svc.mail.add_rule("tester", "from", "@shop.example", "important")
    await mail_svc.mail.note_contacts("tester", [("cy@example.org", "Cy")], sent=True)
    inbox(dovecot)
    await triage(mail_svc, KeywordLLM(), by_likeness=False)
    c = counts(dovecot)
    assert c["Newsletters"] == 0 and c["Important"] == 3 and c["Junk"] == 1


async def test_resume_after_crash_between_move_and_journal(mail_svc, dovecot):
    inbox(dovecot)
    # a run that planned two moves, did the first on the server, then crashed
    from os1.skills.mail.imap import open_imap
    from os1.skills.mail.repository import PlannedMove

    async with open_imap(mail_svc.account, mail_svc.password()) as imap:
        validity = await imap.select("INBOX")
        items = await imap.fetch_headers("INBOX", [1, 2])
        plans = [PlannedMove(f.mail.key, f.mail.subject, "INBOX", validity, f.uid, "Keep", "keep")
                 for f in items]
        await mail_svc.mail.plan_moves("tester", mail_svc.account.id, "crashed", plans)
        await imap.ensure_folder("Keep")
        await imap.move("INBOX", [1], "Keep")
    report = await triage(mail_svc, KeywordLLM(), by_likeness=False)
    assert report.resumed == 2 and report.batch == "crashed"
    c = counts(dovecot)
    assert sum(c.values()) == 7 and c["INBOX"] == 0
    # the two planned ones (each exactly once: no duplicate from a re-move) + the unclear one
    assert c["Keep"] == 3 and c["Needs reply"] == 0
    states = [m.state for m in await mail_svc.mail.moves("tester", mail_svc.account.id)]
    assert states.count("done") == 7


async def test_server_gone_mid_run_then_resume(mail_svc, dovecot):
    inbox(dovecot)

    def kill_on_third(n):
        if n == 3:
            dovecot.stop()

    with pytest.raises(MailConnectionError, match="127.0.0.1"):
        await triage(mail_svc, KeywordLLM(on_call=kill_on_third), by_likeness=False)
    restart(dovecot)
    before = counts(dovecot)
    assert sum(before.values()) == 7  # nothing lost
    report = await triage(mail_svc, KeywordLLM(), by_likeness=False)
    after = counts(dovecot)
    assert sum(after.values()) == 7 and after["INBOX"] == 0
    moves = await mail_svc.mail.moves("tester", mail_svc.account.id)
    assert sorted(m.state for m in moves) == ["done"] * 7
    assert len({m.message_key for m in moves}) == 7
    assert report.total_moved + (7 - before["INBOX"]) == 7


async def test_model_failure_falls_back_without_losing_mail(mail_svc, dovecot):
    class Broken:
        async def complete_json(self, *a, **k):
            raise ModelProtocolError("junk from the model")

    inbox(dovecot)
    await triage(mail_svc, Broken(), by_likeness=False)
    assert sum(counts(dovecot).values()) == 7


async def test_correction_moves_and_is_learned(mail_svc, dovecot):
    from os1.skills.mail import reader
    from os1.skills.mail.triage import correct

    put(dovecot, s.simple("Bo <bo@example.org>", "Ha", "Best joke ever"))
    await triage(mail_svc, KeywordLLM(), by_likeness=False)
    assert counts(dovecot)["Keep"] == 1
    [found] = await reader.search(mail_svc, "from:bo")
    assert await correct(mail_svc, found.local_id, "important") == "Important"
    assert counts(dovecot)["Important"] == 1 and counts(dovecot)["Keep"] == 0
    put(dovecot, s.simple("Bo <bo@example.org>", "Another", "another joke"))
    await triage(mail_svc, KeywordLLM(), by_likeness=False)  # the learned rule wins over the model
    assert counts(dovecot)["Important"] == 2
    mail, folder = await reader.read(mail_svc, found.local_id)  # the number still works
    assert folder == "Important" and mail.text == "Best joke ever"


async def test_likeness_sorts_clear_mail_without_the_model(mail_svc, dovecot):
    """The real sentence embedder, no model: clear cases land in the right folder; mail from a
    no-reply address never needs a reply."""
    put(dovecot,
        s.simple("Zoe <zoe@friends.example>", "Saturday?", "Hey! Are you free on Saturday afternoon "
                 "to help me paint the kitchen? Let me know."),
        s.simple("Gear Outlet <hello@gear.example>", "Winter sale", "Jackets and boots 40% off this "
                 "week only. Shop now, free shipping on orders over $60."),
        s.simple("Claims Dept <agent@win-now.example>", "Prize waiting", "You have been selected to "
                 "receive $2,500,000. Send your bank account number to claim your prize."),
        s.simple("Zoe <zoe@friends.example>", "Look!", "Our puppy fell asleep in the shoe box, "
                 "photo attached. Cutest thing ever, made my day!"))
    report = await triage(mail_svc, None)
    assert report.total_moved == 4
    assert counts(dovecot) == {"INBOX": 0, "Important": 0, "Needs reply": 1, "Keep": 1,
                               "Newsletters": 1, "Junk": 1}


@pytest.mark.parametrize("where", ["_fetch_text", "_move"])
async def test_connection_dropped_mid_fetch_or_mid_move_resumes(mail_svc, dovecot, monkeypatch, where):
    """The server goes away while a body is being fetched or while a MOVE is sent: an error
    naming the server; after it comes back a rerun finishes the job, nothing lost or doubled."""
    from os1.skills.mail import imap as imap_mod
    from os1.skills.mail import triage as triage_mod

    monkeypatch.setattr(triage_mod, "CHUNK", 3)  # several chunks: some moved before the drop
    inbox(dovecot)
    original = getattr(imap_mod.Imap, where)
    calls = {"n": 0}

    def dropping(self, *args):
        calls["n"] += 1
        if calls["n"] == 2:
            dovecot.stop()
        return original(self, *args)

    monkeypatch.setattr(imap_mod.Imap, where, dropping)
    with pytest.raises(MailConnectionError, match="127.0.0.1"):
        await triage(mail_svc, KeywordLLM(), by_likeness=False)
    monkeypatch.setattr(imap_mod.Imap, where, original)
    restart(dovecot)
    assert sum(counts(dovecot).values()) == 7  # nothing lost
    await triage(mail_svc, KeywordLLM(), by_likeness=False)
    assert counts(dovecot) == {"INBOX": 0, "Important": 1, "Needs reply": 1, "Keep": 2,
                               "Newsletters": 1, "Junk": 2}
    moves = await mail_svc.mail.moves("tester", mail_svc.account.id)
    assert sorted(m.state for m in moves) == ["done"] * 7  # each message moved exactly once
    assert len({m.message_key for m in moves}) == 7


async def test_mail_without_message_id_subject_or_date_moves_and_comes_back(mail_svc, dovecot):
    """Two messages with no Message-ID, no Date and the same (empty) subject: each is found by
    its own fingerprint, so both are sorted once and both come back on undo."""
    twins = [b"From: Nobody <nobody@example.com>\r\nTo: sam@example.org\r\n\r\nfirst body\r\n",
             b"From: Nobody <nobody@example.com>\r\nTo: sam@example.org\r\n\r\nsecond, longer body\r\n"]
    put(dovecot, *twins, s.simple("Amy <amy@example.org>", "", "a joke"))
    report = await triage(mail_svc, KeywordLLM(), by_likeness=False)
    assert report.total_moved == 3 and counts(dovecot)["Keep"] == 3
    moves = await mail_svc.mail.moves("tester", mail_svc.account.id, states=("done",))
    assert len({m.dst_uid for m in moves}) == 3 and all(m.dst_uid for m in moves)
    assert await undo(mail_svc) == (report.batch, 3)
    assert counts(dovecot)["INBOX"] == 3 and counts(dovecot)["Keep"] == 0


async def test_without_move_or_uidplus_only_our_messages_are_expunged(mail_svc, dovecot, monkeypatch):
    """A server without MOVE and UIDPLUS: COPY, flag, EXPUNGE, but a message the user marked
    deleted in another client is neither expunged nor unmarked."""
    from imapclient import IMAPClient

    from os1.skills.mail import imap as imap_mod

    put(dovecot, s.simple("Bo <bo@example.org>", "Ha", "Best joke ever"),
        s.simple("Old <old@example.org>", "Marked deleted elsewhere", "keep me in the inbox"))
    c = IMAPClient("127.0.0.1", port=dovecot.port, ssl=False, timeout=10)
    c.login("sam", dovecot.users["sam"])
    c.select_folder("INBOX")
    marked = c.search(["SUBJECT", "Marked deleted"])
    c.add_flags(marked, [b"\\Deleted"])
    c.logout()
    real_init = imap_mod.Imap.__init__

    def old_server(self, *a):
        real_init(self, *a)
        self.caps -= {b"MOVE", b"UIDPLUS"}

    monkeypatch.setattr(imap_mod.Imap, "__init__", old_server)
    await triage(mail_svc, KeywordLLM(), by_likeness=False)
    assert counts(dovecot)["Keep"] == 1 and folder_uids(dovecot, "INBOX") == marked
    c = IMAPClient("127.0.0.1", port=dovecot.port, ssl=False, timeout=10)
    c.login("sam", dovecot.users["sam"])
    c.select_folder("INBOX", readonly=True)
    assert c.search(["DELETED"]) == marked  # still marked, as the user left it
    c.logout()


async def test_a_correction_teaches_likeness_beyond_the_sender(mail_svc, dovecot):
    """After the user files one disk report under Important, a similar report from another
    sender goes there too (the sender rule alone would not catch it)."""
    from os1.skills.mail import reader
    from os1.skills.mail.parse import parse_message
    from os1.skills.mail.triage import correct, folder_examples

    second = s.simple("Monitor <alerts@other.example>", "Weekly disk usage report",
                      "Disk usage on build-7 is at 88 percent. Largest folders: /var/log, /home.")
    before = await folder_examples().rank(parse_message(second))
    assert before.best != "important"
    put(dovecot, s.simple("Ops <ops@corp.example>", "Weekly disk usage report for the build servers",
                          "Disk usage on build-3 is at 91 percent."))
    [first] = await reader.search(mail_svc, "from:ops")
    await correct(mail_svc, first.local_id, "important")
    assert await mail_svc.mail.corrections("tester") == [
        ("Weekly disk usage report for the build servers", "important")]
    assert await mail_svc.mail.corrections("someone-else") == []
    put(dovecot, second)
    await triage(mail_svc, None)
    assert counts(dovecot)["Important"] == 2 and counts(dovecot)["INBOX"] == 0


async def test_triage_and_memory_share_one_embedder(settings):
    """One MiniLM in the process: memory's index and triage's folder examples use the same."""
    from os1.core.runtime import close_companion, open_companion
    from os1.skills.mail.triage import folder_examples

    companion = await open_companion(settings)
    try:
        assert folder_examples().embedder is companion.memory.index.embedder
    finally:
        await close_companion(companion)
