"""Moves the user makes in another mail client teach triage, like `os1 mail correct`: real
dovecot, the other client being a plain IMAP connection of the test's own."""

from imapclient import IMAPClient

from os1.skills.mail import reader
from os1.skills.mail.outside import learn_outside_moves
from os1.skills.mail.sync import MailWatcher
from os1.skills.mail.triage import correct, undo
from tests import mail_samples as s
from tests.mail_servers import dovecot, folder_uids, mail_svc, put, smtp_server  # noqa: F401 (fixtures)


def other_client_moves(server, subject: str, dst: str) -> None:
    """What Thunderbird or a phone does when the user drags a message to a folder."""
    c = IMAPClient("127.0.0.1", port=server.port, ssl=False, timeout=10)
    try:
        c.login("sam", server.users["sam"])
        if not c.folder_exists(dst):
            c.create_folder(dst)
        c.select_folder("INBOX")
        [uid] = c.search(["SUBJECT", subject])
        c.move([uid], dst)
    finally:
        c.logout()


async def test_a_move_made_elsewhere_is_learned_once_as_the_users_correction(mail_svc, dovecot):
    put(dovecot, s.simple("Amy <amy@example.org>", "Contract draft", "Here it is."),
        s.simple("Promo <deals@shop.example>", "Flash sale", "Everything must go."),
        s.simple("Bo <bo@example.org>", "Lunch?", "Tomorrow?"))
    listed = {x.mail.subject: x.local_id for x in await reader.whats_new(mail_svc)}
    assert await learn_outside_moves(mail_svc) == []  # the first look: nothing moved yet
    # mail OS1 never saw, put straight into a folder (a server-side filter): teaches nothing
    put(dovecot, s.simple("Carol <carol@example.org>", "Filtered", "hi"), folder="Important")
    other_client_moves(dovecot, "Contract draft", "Important")
    other_client_moves(dovecot, "Flash sale", "Junk")
    await correct(mail_svc, listed["Lunch?"], "keep", learn=False)  # OS1's own move: not news

    learned = await learn_outside_moves(mail_svc)
    assert {(m.local_id, m.src, m.dst, m.category) for m in learned} == {
        (listed["Contract draft"], "INBOX", "Important", "important"),
        (listed["Flash sale"], "INBOX", "Junk", "junk")}
    corrections = await mail_svc.mail.corrections("tester")
    assert ("Contract draft", "important") in corrections and ("Flash sale", "junk") in corrections
    rules = await mail_svc.mail.rules("tester")
    assert ("from", "amy@example.org", "important") in rules and ("from", "deals@shop.example", "junk") in rules
    assert await learn_outside_moves(mail_svc) == []  # idempotent: nothing learned twice
    # the message is followed to its new place: reading it by its number still works
    mail, folder = await reader.read(mail_svc, listed["Contract draft"])
    assert folder == "Important" and mail.subject == "Contract draft"
    # `os1 mail undo` takes back OS1's own last move, never the user's moves made elsewhere
    batch, n = await undo(mail_svc)
    assert n == 1 and batch.startswith("fix-")
    assert len(folder_uids(dovecot, "Important")) == 2 and len(folder_uids(dovecot, "Junk")) == 1


async def test_the_watcher_learns_from_moves_elsewhere(mail_svc, dovecot):
    put(dovecot, s.simple("Dana <dana@example.org>", "Photos from the lake", "So lovely!"))
    watcher = MailWatcher(mail_svc, lambda e: None)
    await watcher.check()
    other_client_moves(dovecot, "Photos from the lake", "Keep")
    await watcher.check()
    assert [(m.dst, m.category, m.sender) for m in watcher.learned] == [("Keep", "keep", "dana@example.org")]
    # a moved-back message is moved again by the user: from Keep to Important
    c = IMAPClient("127.0.0.1", port=dovecot.port, ssl=False, timeout=10)
    try:
        c.login("sam", dovecot.users["sam"])
        c.create_folder("Important")
        c.select_folder("Keep")
        c.move(c.search(["ALL"]), "Important")
    finally:
        c.logout()
    await watcher.check()
    assert [(m.src, m.dst) for m in watcher.learned[1:]] == [("Keep", "Important")]
