"""The world a task benchmark talks to: real peers on 127.0.0.1, seeded, and read back.

A dovecot mailbox (inbox and Sent), an SMTP sink (aiosmtpd), a radicale calendar and address
book, OS1's own reminders, and a memory with a history told over months. The peers are started
by the same code the tests use (tests/mail_servers.py, tests/radicale_server.py); every date is
counted from the day of the run, so "tomorrow" in a request means the same as in the seed.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from aiosmtpd.controller import Controller

from tests.mail_servers import PASSWORD, Dovecot, Inbox, _authenticator, free_port, put, start_dovecot
from tests.radicale_server import Radicale

ZONE = ZoneInfo("Europe/Berlin")
ME = "sam@example.org"
DAV_USER, DAV_PASSWORD = "sam", "dav-secret"
MKCOL_BOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><mkcol xmlns="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">'
    "<set><prop><resourcetype><collection/><CR:addressbook/></resourcetype>"
    "<displayname>Contacts</displayname></prop></set></mkcol>"
)
PEOPLE = [("Amy Chen", "amy@example.org"), ("Paul Brandt", "paul@example.org"),
          ("Mum", "mum@example.org"), ("Lena Ortiz", "lena@work.example")]


def next_weekday(today: date, weekday: int) -> date:
    """The next such day after today ("Friday" said on a Friday is a week on)."""
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def mail(sender: str, subject: str, body: str, when: datetime, to: str = ME) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = make_msgid(domain="example.org")
    msg.set_content(body)
    return msg.as_bytes()


@dataclass
class World:
    """The running peers and what was seeded, for the answer key."""

    root: Path
    today: date
    dovecot: Dovecot
    smtp: Controller
    sink: Inbox
    radicale: Radicale
    events: dict[str, datetime] = field(default_factory=dict)  # seeded title -> start

    @classmethod
    def start(cls, today: date) -> World:
        root = Path(tempfile.mkdtemp(prefix="os1-tasks-"))
        root.chmod(0o755)  # dovecot's unprivileged processes need +x on every parent
        dovecot = start_dovecot(root / "dovecot", {"sam": PASSWORD})
        sink = Inbox()
        smtp = Controller(sink, hostname="127.0.0.1", port=free_port(),
                          authenticator=_authenticator({"sam": PASSWORD}), auth_require_tls=False)
        smtp.start()
        radicale = Radicale(root / "radicale", free_port(), {DAV_USER: DAV_PASSWORD}).start()
        return cls(root, today, dovecot, smtp, sink, radicale)

    def stop(self) -> None:
        self.smtp.stop()
        self.radicale.stop()
        self.dovecot.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    # -- seeding ------------------------------------------------------------------------------
    def at(self, days: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(self.today + timedelta(days=days), time(hour, minute), tzinfo=ZONE)

    def seed_mail(self, inbox: list[dict[str, Any]], sent: list[dict[str, Any]]) -> None:
        """The inbox in the order it arrived (OS1 numbers it so: #1 is the first) and Sent."""
        put(self.dovecot, *(mail(m["from"], m["subject"], m["body"], self.at(m["days"], m["hour"]))
                            for m in inbox))
        put(self.dovecot, *(mail(f"Sam <{ME}>", m["subject"], m["body"], self.at(m["days"], m["hour"]), m["to"])
                            for m in sent), folder="Sent")

    def seed_calendar(self, events: list[dict[str, Any]]) -> str:
        """Events on the radicale calendar, written by another client (caldav); its URL."""
        import caldav

        from os1.skills.calendar import ical

        with caldav.DAVClient(self.radicale.url, username=DAV_USER, password=DAV_PASSWORD) as client:
            cal = client.principal().make_calendar(name="Home", cal_id="home")
            for e in events:
                start = self.at(e["days"], e["hour"], e.get("minute", 0))
                self.events[e["title"]] = start
                event = ical.build_event(e["title"], start, start + timedelta(minutes=e.get("minutes", 60)))
                cal.save_event(ical.to_text(event))
            return str(cal.url)

    def seed_contacts(self) -> str:
        from os1.skills.contacts import vcard

        url = f"{self.radicale.url}{DAV_USER}/contacts/"
        auth = (DAV_USER, DAV_PASSWORD)
        httpx.request("MKCOL", url, content=MKCOL_BOOK, auth=auth).raise_for_status()
        for name, address in PEOPLE:
            text, uid = vcard.build(name, [address])
            httpx.put(f"{url}{uid}.vcf", content=text, auth=auth,
                      headers={"Content-Type": "text/vcard"}).raise_for_status()
        return url

    # -- reading back -------------------------------------------------------------------------
    def calendar(self) -> dict[str, datetime]:
        """Every event on the server now, by title: what another client would see."""
        import caldav

        from os1.skills.calendar import ical

        out: dict[str, datetime] = {}
        with caldav.DAVClient(self.radicale.url, username=DAV_USER, password=DAV_PASSWORD) as client:
            for cal in client.principal().calendars():
                for obj in cal.events():
                    ev = ical.master(ical.parse(obj.data))
                    start = ev["DTSTART"].dt
                    if not isinstance(start, datetime):
                        start = datetime.combine(start, time(0), tzinfo=ZONE)
                    out[str(ev["SUMMARY"])] = start.astimezone(ZONE)
        return out

    def sent(self) -> list[dict[str, str]]:
        """What left through SMTP: recipients, subject, text."""
        out = []
        for msg in self.sink.messages():
            body = msg.get_body(("plain",))
            out.append({"to": str(msg["To"]), "subject": str(msg["Subject"]),
                        "text": body.get_content() if body is not None else ""})
        return out
