"""Composing and sending through SMTP (aiosmtplib: asyncio-native, no thread needed).

Sending is only ever reached through the `mail_send` tool, which the core runs after the user has
seen the exact recipients and text and said yes (confirm=True), or through `os1 mail send`.
"""

from __future__ import annotations

import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, getaddresses, make_msgid

import aiosmtplib

from os1.skills.mail.errors import MailAuthError, MailConnectionError, MailError, MailTLSError
from os1.skills.mail.repository import Account

TIMEOUT_S = 20.0


def parse_recipients(value: str | list[str]) -> list[str]:
    """'Amy <amy@x.org>, bo@y.net' -> ['amy@x.org', 'bo@y.net']; refuses anything unclear."""
    items = value if isinstance(value, list) else [value]
    found = [a.strip() for _, a in getaddresses(items) if a.strip()]
    bad = [a for a in found if a.count("@") != 1 or " " in a or a.startswith("@") or a.endswith("@")]
    if not found or bad:
        raise MailError(f"These are not valid email addresses: {bad or items}.",
                        fix="Give plain addresses such as amy@example.org.")
    return found


def compose(account: Account, to: list[str], subject: str, body: str, *,
            cc: list[str] | None = None, in_reply_to: str = "", references: str = "") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((account.display_name, account.address)) if account.display_name else account.address
    msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.now(UTC))
    domain = account.address.rpartition("@")[2] or None
    msg["Message-ID"] = make_msgid(domain=domain)
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = f"{references} {in_reply_to}".strip()
    msg.set_content(body)
    return msg


def _client(account: Account, timeout: float) -> aiosmtplib.SMTP:
    return aiosmtplib.SMTP(
        hostname=account.smtp_host, port=account.smtp_port, timeout=timeout,
        use_tls=account.smtp_tls == "ssl", start_tls=account.smtp_tls == "starttls",
        tls_context=ssl.create_default_context(),
    )


def _map(exc: BaseException, account: Account) -> MailError:
    where = f"{account.smtp_host}:{account.smtp_port}"
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return MailAuthError(f"The SMTP server {where} refused the user name or password.",
                             fix="Check them (many providers need an app password), then add the account again.")
    if isinstance(exc, ssl.SSLError) or "SSL" in type(exc).__name__:
        return MailTLSError(f"TLS with {where} failed: {exc}.",
                            fix="Check the port and the TLS mode (ssl, starttls or none).")
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return MailError(f"The SMTP server {where} refused the recipients: {exc}.")
    if isinstance(exc, (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPServerDisconnected,
                        aiosmtplib.SMTPTimeoutError, OSError)):
        return MailConnectionError(f"Could not reach the SMTP server {where}: {exc}.",
                                   fix="Check the host and port, and your network.")
    return MailError(f"Sending through {where} failed: {type(exc).__name__}: {exc}.")


async def _login_and(account: Account, password: str, msg: EmailMessage | None, timeout: float) -> None:
    """Connect, log in, send `msg` if there is one, and always leave the connection closed."""
    smtp = _client(account, timeout)
    try:
        await smtp.connect()
        await smtp.login(account.username, password)
        if msg is not None:
            await smtp.send_message(msg)
    except Exception as exc:
        raise _map(exc, account) from exc
    finally:
        if smtp.is_connected:
            try:
                await smtp.quit()
            except Exception:
                smtp.close()


async def check_smtp(account: Account, password: str, *, timeout: float = TIMEOUT_S) -> None:
    """Connect and log in, send nothing: used when an account is added."""
    await _login_and(account, password, None, timeout)


async def deliver(account: Account, password: str, msg: EmailMessage, *,
                  timeout: float = TIMEOUT_S) -> None:
    await _login_and(account, password, msg, timeout)

