"""Robust reading of mail with the stdlib `email` package (policy.default).

Nothing here raises on bad input: malformed MIME, unknown charsets, raw 8-bit headers, missing
Message-ID or Date all give a usable ParsedMail (with `defects` counted), never an exception.
"""

from __future__ import annotations

import binascii
import codecs
import hashlib
import quopri
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import collapse_rfc2231_value, decode_params, getaddresses, parseaddr, parsedate_to_datetime
from typing import Any

from os1.skills.mail.htmltext import html_to_text

MAX_TEXT_CHARS = 20_000  # what a reader or the model ever gets of one message


@dataclass
class ParsedMail:
    message_id: str
    key: str  # Message-ID, or a stable fingerprint when the message has none
    sender_name: str
    sender: str
    to: list[tuple[str, str]]
    cc: list[tuple[str, str]]
    subject: str
    date: datetime | None
    list_unsubscribe: bool = False
    list_id: str = ""
    bulk: bool = False  # Precedence: bulk/list, Auto-Submitted
    spam_flag: bool = False
    auth_failed: bool = False  # the receiving server found SPF/DKIM/DMARC failing for the sender
    in_reply_to: str = ""
    references: str = ""
    text: str = ""
    attachments: list[tuple[str, str, int]] = field(default_factory=list)  # name, type, bytes
    defects: int = 0

    @property
    def from_line(self) -> str:
        return f"{self.sender_name} <{self.sender}>" if self.sender_name else self.sender


def decode_charset(data: bytes, charset: str | None) -> str:
    """Bytes to text in the declared charset; an unknown or lying charset falls back, never fails."""
    for name in (charset, "utf-8"):
        if not name:
            continue
        try:
            codecs.lookup(name)
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def decode_transfer(data: bytes, encoding: str | None) -> bytes:
    enc = (encoding or "").lower()
    try:
        if enc == "base64":
            return binascii.a2b_base64(data)
        if enc == "quoted-printable":
            return quopri.decodestring(data)
    except (binascii.Error, ValueError):
        return data
    return data


def _header(msg: Message, name: str) -> str:
    """One header as text, whatever its encoding: RFC 2047 words, raw UTF-8 or latin-1 bytes."""
    try:
        value = msg.get(name)
    except Exception:  # policy.default can raise on a header too broken to parse
        raw = [v for k, v in msg.raw_items() if k.lower() == name.lower()]
        value = raw[0] if raw else None
    if value is None:
        return ""
    text = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in text):  # raw 8-bit bytes, surrogate-escaped
        text = decode_charset(text.encode("utf-8", "surrogateescape"), "utf-8")
    if "=?" in text:
        try:
            text = str(make_header(decode_header(text)))
        except Exception:
            pass
    return " ".join(text.split())


def _addresses(msg: Message, name: str) -> list[tuple[str, str]]:
    value = _header(msg, name)
    return [(n, a.lower()) for n, a in getaddresses([value]) if a and "@" in a]


def _date(msg: Message) -> datetime | None:
    value = _header(msg, "Date")
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


_AUTH_FAIL = re.compile(r"\b(dmarc|spf)=(fail|softfail)\b|\bdkim=fail\b", re.I)
_AUTH_PASS = re.compile(r"\b(dmarc|dkim)=pass\b", re.I)


def _auth_failed(msg: Message) -> bool:
    """Authentication-Results (RFC 8601) from the user's own server: DMARC or SPF failing, or
    DKIM failing with nothing passing, marks a forged sender. Absent results say nothing."""
    try:
        results = [str(v) for v in msg.get_all("Authentication-Results") or []]
    except Exception:
        return False
    joined = " ".join(results)
    if not _AUTH_FAIL.search(joined):
        return False
    dmarc_fail = re.search(r"\bdmarc=fail\b", joined, re.I)
    return bool(dmarc_fail or re.search(r"\bspf=(fail|softfail)\b", joined, re.I)
                or not _AUTH_PASS.search(joined))


def fingerprint(sender: str, subject: str, date: str, size: int = 0) -> str:
    digest = hashlib.sha256(f"{sender}\0{subject}\0{date}\0{size}".encode()).hexdigest()[:24]
    return f"<os1-{digest}@no-message-id>"


def parse_headers(raw: bytes, *, size: int = 0) -> ParsedMail:
    """The headers of a message (from FETCH BODY.PEEK[HEADER] or a whole message)."""
    msg = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    name, sender = parseaddr(_header(msg, "From"))
    subject = _header(msg, "Subject")
    message_id = _header(msg, "Message-ID").strip()
    if message_id and not message_id.startswith("<"):
        message_id = f"<{message_id}>"
    precedence = _header(msg, "Precedence").lower()
    auto = _header(msg, "Auto-Submitted").lower()
    return ParsedMail(
        message_id=message_id,
        key=message_id or fingerprint(sender.lower(), subject, _header(msg, "Date"), size),
        sender_name=name,
        sender=sender.lower(),
        to=_addresses(msg, "To"),
        cc=_addresses(msg, "Cc"),
        subject=subject,
        date=_date(msg),
        list_unsubscribe=bool(_header(msg, "List-Unsubscribe")),
        list_id=_header(msg, "List-Id"),
        bulk=precedence in ("bulk", "list", "junk") or (auto not in ("", "no")),
        spam_flag=_header(msg, "X-Spam-Flag").upper().startswith("YES")
        or _header(msg, "X-Spam-Status").upper().startswith("YES"),
        auth_failed=_auth_failed(msg),
        in_reply_to=_header(msg, "In-Reply-To"),
        references=_header(msg, "References"),
        defects=len(getattr(msg, "defects", [])),
    )


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    return decode_charset(payload, part.get_content_charset())


def parse_message(raw: bytes) -> ParsedMail:
    """A whole message: headers, readable text (plain preferred, else HTML converted), attachments."""
    parsed = parse_headers(raw, size=len(raw))
    try:
        msg: EmailMessage = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception:
        parsed.text = decode_charset(raw.partition(b"\r\n\r\n")[2] or raw, "utf-8")[:MAX_TEXT_CHARS]
        parsed.defects += 1
        return parsed
    plain: list[str] = []
    html: list[str] = []
    for part in msg.walk():
        parsed.defects += len(getattr(part, "defects", []))
        if part.is_multipart():
            continue
        try:
            filename = part.get_filename()
        except Exception:
            filename = None
        ctype = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        if filename or disposition == "attachment" or not ctype.startswith("text/"):
            payload = part.get_payload(decode=True) or b""
            parsed.attachments.append((_clean_name(filename or ""), ctype, len(payload)))
            continue
        (html if ctype == "text/html" else plain).append(_part_text(part))
    text = "\n\n".join(t for t in plain if t.strip())
    if not text.strip() and html:
        text = "\n\n".join(html_to_text(h) for h in html)
    parsed.text = text.strip()[:MAX_TEXT_CHARS]
    return parsed


def _clean_name(name: str) -> str:
    return " ".join(str(name).split())[:200]


# -- BODYSTRUCTURE: choose what to fetch, so attachments are never downloaded -----------------


@dataclass
class PartInfo:
    number: str  # IMAP part number, "1", "1.2", ...
    ctype: str
    charset: str | None
    encoding: str | None
    size: int
    filename: str


def _s(v: object) -> str:
    if isinstance(v, bytes):
        return decode_charset(v, "utf-8")
    return "" if v is None else str(v)


def _params(v: object) -> dict[str, str]:
    """BODYSTRUCTURE parameters; RFC 2231 ones (filename*0*=us-ascii''Ignore%20...;
    filename*1*=...: what Python writes for a long file name) are joined and decoded."""
    if not isinstance(v, (tuple, list)):
        return {}
    items = list(v)
    pairs = [(_s(items[i]).lower(), _s(items[i + 1])) for i in range(0, len(items) - 1, 2)]
    if not any("*" in k for k, _ in pairs):
        return dict(pairs)
    try:
        decoded = decode_params([("", ""), *((k, f'"{v}"' if "*" not in k else v) for k, v in pairs)])[1:]
        return {k: collapse_rfc2231_value(v).strip('"') for k, v in decoded}
    except Exception:  # malformed: keep what was there rather than fail the message
        return dict(pairs)


def _disposition_name(fields: tuple[Any, ...]) -> str:
    for f in fields:
        if isinstance(f, (tuple, list)) and f and isinstance(f[0], bytes) and \
                f[0].lower() in (b"attachment", b"inline") and len(f) > 1:
            name = _params(f[1]).get("filename", "")
            if name:
                return name
    return ""


def walk_structure(bs: object, prefix: str = "") -> list[PartInfo]:
    """Leaf parts of an imapclient BODYSTRUCTURE, with their IMAP part numbers."""
    if not isinstance(bs, (tuple, list)) or not bs:
        return []
    if isinstance(bs[0], list):  # imapclient's multipart: ([child, ...], subtype, ...)
        parts: list[PartInfo] = []
        for n, child in enumerate(bs[0], start=1):
            parts.extend(walk_structure(child, f"{prefix}{n}."))
        return parts
    number = prefix[:-1] if prefix else "1"
    ctype = f"{_s(bs[0]).lower()}/{_s(bs[1]).lower()}" if len(bs) > 1 else "application/octet-stream"
    params = _params(bs[2]) if len(bs) > 2 else {}
    encoding = _s(bs[5]).lower() if len(bs) > 5 else None
    try:
        size = int(bs[6]) if len(bs) > 6 else 0
    except (TypeError, ValueError):
        size = 0
    name = _disposition_name(tuple(bs[7:])) or params.get("name", "")
    if "=?" in name:
        try:
            name = str(make_header(decode_header(name)))
        except Exception:
            pass
    return [PartInfo(number, ctype, params.get("charset"), encoding, size, _clean_name(name))]
