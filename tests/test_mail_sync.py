"""IMAP IDLE against real dovecot: a new message becomes an event, important or not."""

import asyncio

from os1.skills.mail.sync import MailWatcher
from tests import mail_samples as s
from tests.mail_servers import dovecot, mail_svc, put, smtp_server  # noqa: F401


async def wait_for(events, n, timeout=60.0):  # generous: the machine may be very busy
    for _ in range(int(timeout * 10)):
        if len(events) >= n:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"only {len(events)} of {n} events after {timeout} s")


async def test_idle_announces_new_mail(mail_svc, dovecot):
    await mail_svc.mail.note_contacts("tester", [("amy@example.org", "Amy")], sent=True)
    put(dovecot, s.simple("Old <old@example.org>", "Before", "already here"))
    events = []
    # poll_s=600: no safety-net poll within the test, IDLE alone must notice the new mail
    watcher = MailWatcher(mail_svc, events.append, wake_s=1.0, poll_s=600)
    task = asyncio.create_task(watcher.run())
    try:
        await wait_for(events, 1)  # the baseline check reports what was already unread
        for _ in range(300):
            if watcher.mode:
                break
            await asyncio.sleep(0.1)
        assert watcher.mode == "idle"
        await asyncio.sleep(1.0)  # let it enter IDLE
        put(dovecot, s.simple("Amy <amy@example.org>", "Dinner tonight?", "7pm?"))
        await wait_for(events, 2)
        assert events[1].mail.subject == "Dinner tonight?" and events[1].important
        put(dovecot, s.simple("Shop <n@shop.example>", "Sale", "50% off",
                              headers={"List-Unsubscribe": "<mailto:u@shop.example>"}))
        await wait_for(events, 3)
        assert events[2].category == "newsletters" and not events[2].important
        put(dovecot, s.simple("Prize Desk <desk@win.example>", "You won a cash prize, claim it now",
                              "Send your bank details."))  # no spam header: folder likeness
        await wait_for(events, 4)
        assert events[3].category == "junk" and not events[3].important
    finally:
        watcher.stop()
        await asyncio.wait_for(task, timeout=15)
    assert watcher.errors == []


async def test_contacts_are_usable_by_other_skills(mail_svc, store):
    from os1.skills.mail import contacts

    await mail_svc.mail.note_contacts("tester", [("amy@example.org", "Amy")], sent=False)
    await mail_svc.mail.note_contacts("tester", [("amy@example.org", "")], sent=True)
    assert await contacts.note(store, "tester", "AMY@example.org", "sister")
    [amy] = await contacts.lookup(store, "tester", "amy")
    assert (amy.name, amy.received, amy.sent, amy.notes, amy.known) == ("Amy", 1, 1, "sister", True)
    assert await contacts.lookup(store, "someone-else", "amy") == []


async def test_new_mail_announced_while_idle_ends_is_not_dropped(mail_svc):
    """The server may announce a message just as IDLE ends; imapclient hands that to the
    caller of idle_done(); dropped, the message would wait for the safety-net poll. A recorded
    exchange, not a server: the window is a few milliseconds wide."""

    class Client:
        def idle(self) -> None:
            pass

        def idle_check(self, timeout: float) -> list:
            return []  # nothing while idling...

        def idle_done(self) -> tuple:
            return b"Idle completed", [(2, b"EXISTS")]  # ...and the new message as it ended

    watcher = MailWatcher(mail_svc, lambda event: None, wake_s=0.01)
    assert watcher._idle_once(Client()) is True
