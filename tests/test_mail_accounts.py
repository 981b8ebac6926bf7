"""Accounts against real dovecot + aiosmtpd: a real login check, encrypted password, clear errors."""

import json
import os

import pytest

from os1.core import vault
from os1.core.runtime import open_store
from os1.skills.mail.accounts import AccountInput, add_account, get_account, password
from os1.skills.mail.errors import MailAuthError, MailConnectionError, NoAccountError
from os1.skills.mail.store import MailStore
from tests.mail_servers import PASSWORD, dovecot, free_port, smtp_server  # noqa: F401 (fixtures)


def account_input(dovecot, smtp_server, **over):
    values = dict(
        name="home", address="sam@example.org", imap_host="127.0.0.1", imap_port=dovecot.port,
        imap_tls="none", smtp_host="127.0.0.1", smtp_port=smtp_server.port, smtp_tls="none",
        username="sam", password=PASSWORD, display_name="Sam",
    )
    return AccountInput(**{**values, **over})


async def test_add_account_checks_logins_and_encrypts(settings, store, dovecot, smtp_server):
    mail = MailStore(store)
    account = await add_account(settings, mail, "tester", account_input(dovecot, smtp_server))
    again = await get_account(mail, "tester")
    assert again.id == account.id and again.imap_port == dovecot.port
    assert password(settings, again) == PASSWORD
    assert PASSWORD.encode() not in again.secret
    key = vault.key_path(settings.data_dir)
    assert os.stat(key).st_mode & 0o777 == 0o600
    # neither the database file nor the user's export holds the password in clear
    await store.close()
    for f in settings.data_dir.glob("os1.db*"):
        assert PASSWORD.encode() not in f.read_bytes()
    reopened = await open_store(settings)
    try:
        assert PASSWORD not in json.dumps(await reopened.export_user("tester"))
        with pytest.raises(NoAccountError):  # another user sees nothing
            await get_account(MailStore(reopened), "someone-else")
    finally:
        await reopened.close()


async def test_wrong_imap_password_is_clear(settings, store, dovecot, smtp_server):
    with pytest.raises(MailAuthError) as err:
        await add_account(settings, MailStore(store), "tester",
                          account_input(dovecot, smtp_server, password="wrong"))
    assert "refused the user name or password" in str(err.value) and "wrong" not in str(err.value)
    assert await MailStore(store).accounts("tester") == []


async def test_wrong_smtp_password_is_clear(settings, store, dovecot, smtp_server):
    dovecot_users = {"sam": "imap-only"}  # IMAP accepts, SMTP does not know this password
    (dovecot.root / "users").write_text(f"sam:{{PLAIN}}{dovecot_users['sam']}\n")
    with pytest.raises(MailAuthError, match="SMTP server"):
        await add_account(settings, MailStore(store), "tester",
                          account_input(dovecot, smtp_server, password="imap-only"))


async def test_unreachable_server_is_clear(settings, store, dovecot, smtp_server):
    with pytest.raises(MailConnectionError, match="127.0.0.1"):
        await add_account(settings, MailStore(store), "tester",
                          account_input(dovecot, smtp_server, imap_port=free_port()))


def test_tampered_key_is_a_clear_error(settings):
    token = vault.encrypt(settings.data_dir, "pw")
    vault.key_path(settings.data_dir).chmod(0o644)
    with pytest.raises(Exception, match="chmod 600"):
        vault.decrypt(settings.data_dir, token)


async def test_password_never_reaches_logs(settings, store, dovecot, smtp_server, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    await add_account(settings, MailStore(store), "tester", account_input(dovecot, smtp_server))
    with pytest.raises(MailAuthError):
        await add_account(settings, MailStore(store), "tester",
                          account_input(dovecot, smtp_server, name="b", password="Wr0ng-" + PASSWORD))
    assert caplog.records  # the libraries did log at debug level
    assert PASSWORD not in caplog.text and "Wr0ng-" not in caplog.text


@pytest.mark.parametrize("mode", ["ssl", "starttls"])
async def test_tls_failure_is_clear(settings, store, dovecot, smtp_server, mode):
    from os1.skills.mail.errors import MailTLSError

    with pytest.raises(MailTLSError, match="TLS with 127.0.0.1"):
        await add_account(settings, MailStore(store), "tester",
                          account_input(dovecot, smtp_server, imap_tls=mode))
