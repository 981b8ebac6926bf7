"""Raw test messages, including the awkward ones real inboxes contain."""

from __future__ import annotations

import base64
import os
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


def simple(sender: str, subject: str, body: str, *, to: str = "sam@example.org",
           headers: dict[str, str] | None = None, msgid: bool = True, date: bool = True) -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = sender, to, subject
    if date:
        m["Date"] = format_datetime(datetime(2026, 11, 20, 9, 30, tzinfo=UTC))
    if msgid:
        m["Message-ID"] = make_msgid(domain="test.example")
    for k, v in (headers or {}).items():
        m[k] = v
    m.set_content(body)
    return m.as_bytes()


def html_only(sender: str, subject: str, html: str) -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = sender, "sam@example.org", subject
    m["Message-ID"] = make_msgid(domain="test.example")
    m.set_content(html, subtype="html")
    return m.as_bytes()


def with_attachment(sender: str, subject: str, body: str, filename: str, size: int) -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = sender, "sam@example.org", subject
    m["Message-ID"] = make_msgid(domain="test.example")
    m.set_content(body)
    m.add_attachment(os.urandom(size), maintype="application", subtype="octet-stream", filename=filename)
    return m.as_bytes()


EIGHT_BIT_HEADERS = (
    "From: Jos\xe9 M\xfcller <jose@example.es>\r\n"
    "To: sam@example.org\r\n"
    "Subject: Caf\xe9 ma\xf1ana?\r\n"
    "Message-ID: <8bit@test.example>\r\n"
    "Content-Type: text/plain; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: 8bit\r\n\r\n"
    "Nos vemos en el caf\xe9 a las diez.\r\n"
).encode("latin-1")

UNKNOWN_CHARSET = (
    b"From: Old System <old@example.net>\r\n"
    b"To: sam@example.org\r\n"
    b"Subject: =?x-unknown-9?Q?Report?=\r\n"
    b"Message-ID: <charset@test.example>\r\n"
    b"Content-Type: text/plain; charset=x-klingon-42\r\n\r\n"
    b"Quarterly numbers are attached \xe2\x80\x94 all good.\r\n"
)

MALFORMED_MIME = (
    b"From: Broken <broken@example.com>\r\n"
    b"To: sam@example.org\r\n"
    b"Subject: broken multipart\r\n"
    b"Message-ID: <broken@test.example>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="XYZ"\r\n\r\n'
    b"--XYZ\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: base64\r\n\r\n"
    b"SGVsbG8gZnJvbSBhIGJyb2tlbiBtZXNzYWdl!!!not-base64\r\n"
    b"--XYZ\r\n"
    b"Content-Type: text/plain\r\n\r\n"
    b"Second part without a closing boundary\r\n"
)

NO_ID_NO_DATE = (
    b"From: Nobody <nobody@example.com>\r\n"
    b"To: sam@example.org\r\n"
    b"Subject: no id, no date\r\n\r\n"
    b"This message has neither a Message-ID nor a Date.\r\n"
)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()
