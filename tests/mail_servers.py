"""Real mail peers for the tests: dovecot (IMAP) and aiosmtpd (SMTP), on 127.0.0.1, free ports,
config in a temp dir, stopped by PID. Imported by the mail test modules as fixtures."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

PASSWORD = "s3cret-pass"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dovecot exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                if s.recv(100).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"dovecot did not answer on port {port} within {timeout} s")


@dataclass
class Dovecot:
    port: int
    root: Path
    proc: subprocess.Popen
    users: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop the master by its PID, then anything left in the process group it leads (its
        imap/log/stats children outlive a stopped master for a while otherwise)."""
        pid = self.proc.pid
        if self.proc.poll() is None:
            os.kill(pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        try:
            os.killpg(pid, signal.SIGKILL)  # the group we created with start_new_session
        except (ProcessLookupError, PermissionError):
            pass


def start_dovecot(root: Path, users: dict[str, str]) -> Dovecot:
    """Start dovecot with a minimal loopback config (see docs: COMPONENTS.md)."""
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)
    port = free_port()
    (root / "users").write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, p in users.items()))
    home = root / "home"
    home.mkdir(exist_ok=True)
    os.chmod(home, 0o777)
    (root / "dovecot.conf").write_text(f"""
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
base_dir = {root}/run
state_dir = {root}/state
log_path = /dev/stderr
info_log_path = /dev/stderr
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/users
}}
userdb {{
  driver = static
  args = uid=65534 gid=65534 home={home}/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
""")
    return Dovecot(port, root, _launch(root, port), dict(users))


def _launch(root: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True, start_new_session=True,
    )
    try:
        _wait_port(port, proc)
    except Exception:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        raise
    return proc


def restart(server: Dovecot) -> None:
    """Start a stopped server again on the same port with the same mail (a server coming back)."""
    server.stop()
    server.proc = _launch(server.root, server.port)


class Inbox:
    """What the SMTP server received: the raw bytes and envelope of each message."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(raw, policy=policy.default) for _, _, raw in self.received]


def _authenticator(users: dict[str, str]):
    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and users.get(
            auth_data.login.decode()) == auth_data.password.decode()
        # A refused login must be handled=False, else the client hangs (COMPONENTS.md).
        return AuthResult(success=ok, handled=False)

    return check


@dataclass
class Smtp:
    port: int
    inbox: Inbox
    controller: Controller


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    # Not under pytest's tmp_path: dovecot's unprivileged processes need +x on every parent.
    root = Path(tempfile.mkdtemp(prefix="os1-dovecot-"))
    os.chmod(root, 0o755)
    server = start_dovecot(root / "d", {"sam": PASSWORD, "eve": "other-pass"})
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def smtp_server() -> Iterator[Smtp]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port,
        authenticator=_authenticator({"sam": PASSWORD}), auth_require_tls=False,
    )
    controller.start()
    try:
        yield Smtp(port, inbox, controller)
    finally:
        controller.stop()


def put(server: Dovecot, *raws: bytes, folder: str = "INBOX", user: str = "sam") -> None:
    """Deliver messages straight into a mailbox (IMAP APPEND), as a mail server would."""
    from imapclient import IMAPClient

    c = IMAPClient("127.0.0.1", port=server.port, ssl=False, timeout=10)
    try:
        c.login(user, server.users[user])
        if not c.folder_exists(folder):
            c.create_folder(folder)
        for raw in raws:
            c.append(folder, raw)
    finally:
        c.logout()


def folder_uids(server: Dovecot, folder: str, user: str = "sam") -> list[int]:
    from imapclient import IMAPClient

    c = IMAPClient("127.0.0.1", port=server.port, ssl=False, timeout=10)
    try:
        c.login(user, server.users[user])
        if not c.folder_exists(folder):
            return []
        c.select_folder(folder, readonly=True)
        return sorted(c.search(["ALL"]))
    finally:
        c.logout()


@pytest.fixture
async def mail_svc(settings, store, dovecot, smtp_server):
    """A MailService for user 'tester' with a real account on both servers."""
    from os1.skills.mail.accounts import AccountInput, add_account
    from os1.skills.mail.service import MailService
    from os1.skills.mail.store import MailStore

    await add_account(settings, MailStore(store), "tester", AccountInput(
        "home", "sam@example.org", "127.0.0.1", "127.0.0.1", "sam", PASSWORD,
        dovecot.port, "none", smtp_server.port, "none", "Sam"))
    return await MailService.open(settings, store, "tester")
