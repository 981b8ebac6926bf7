"""Mail accounts: added only after a real login to both servers; the password stored encrypted."""

from __future__ import annotations

from dataclasses import dataclass

from os1.config import Settings
from os1.core import vault
from os1.errors import InputError
from os1.skills.mail.errors import NoAccountError
from os1.skills.mail.imap import open_imap
from os1.skills.mail.repository import DEFAULT_FOLDERS, Account, MailRepository
from os1.skills.mail.send import check_smtp

TLS_MODES = ("ssl", "starttls", "none")


@dataclass
class AccountInput:
    name: str
    address: str
    imap_host: str
    smtp_host: str
    username: str
    password: str
    imap_port: int = 993
    imap_tls: str = "ssl"
    smtp_port: int = 587
    smtp_tls: str = "starttls"
    display_name: str = ""


def _validate(a: AccountInput) -> None:
    if "@" not in a.address:
        raise InputError(f"'{a.address}' is not an email address.", fix="Use the form you@example.org.")
    for mode in (a.imap_tls, a.smtp_tls):
        if mode not in TLS_MODES:
            raise InputError(f"Unknown TLS mode '{mode}'.", fix=f"Use one of {', '.join(TLS_MODES)}.")
    for port in (a.imap_port, a.smtp_port):
        if not 0 < port < 65536:
            raise InputError(f"Port {port} is not a valid port number.")
    if not a.password:
        raise InputError("The password (or app token) is empty.")


async def add_account(settings: Settings, mail: MailRepository, user: str, a: AccountInput,
                      *, replace: bool = False) -> Account:
    """Check IMAP and SMTP logins for real, then save (the password encrypted)."""
    _validate(a)
    existing = {x.name for x in await mail.accounts(user)}
    if a.name in existing and not replace:
        raise InputError(f"There is already a mail account named '{a.name}'.",
                         fix="Choose another --name, or pass --replace.")
    account = Account(
        0, user, a.name, a.address.strip().lower(), a.display_name, a.imap_host, a.imap_port,
        a.imap_tls, a.smtp_host, a.smtp_port, a.smtp_tls, a.username, b"", dict(DEFAULT_FOLDERS),
    )
    async with open_imap(account, a.password) as imap:
        await imap.select("INBOX")
    await check_smtp(account, a.password)
    account.secret = vault.encrypt(settings.data_dir, a.password)
    account.id = await mail.save_account(account, replace=replace)
    return account


async def get_account(mail: MailRepository, user: str, name: str | None = None) -> Account:
    accounts = await mail.accounts(user)
    if name:
        accounts = [a for a in accounts if a.name == name]
    if not accounts:
        raise NoAccountError(name)
    return accounts[0]


def password(settings: Settings, account: Account) -> str:
    return vault.decrypt(settings.data_dir, account.secret)
