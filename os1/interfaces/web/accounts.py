"""Web accounts: who may open the page and the API, kept apart from the companion's own data.

An account is named after the OS1 user whose companion it opens (`Companion.session(user)`), so
two accounts are two separate companions in one database. The file `web/accounts.json` in the
data dir holds only argon2 hashes of passwords and SHA-256 hashes of API keys (a key is 256
random bits, so a fast hash is enough; a password is not, hence argon2). A copied file gives
nobody a way in. The first account is made through a one-time setup link printed by
`os1 serve`: nobody who cannot read the server's console can claim the companion.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from os1.errors import InputError
from os1.storage.files import write_atomic

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MIN_PASSWORD = 8
SETUP_TTL_S = 24 * 3600  # a setup link printed and forgotten stops working
PAIRING_TTL_S = 300  # a phone pairing code shown on a screen: minutes, not hours
KEY_PREFIX = "os1-"

_hasher = PasswordHasher()


@dataclass(frozen=True)
class ApiKey:
    id: str  # the first characters of its hash: enough to name it, useless to use it
    created: str


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class Accounts:
    """The accounts file, read once and written whole (atomically) on every change."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "web" / "accounts.json"
        self._users: dict[str, dict[str, Any]] = {}
        if self.path.exists():
            self._users = json.loads(self.path.read_text("utf-8")).get("users", {})
        self._setup: dict[str, float] = {}  # one-time setup tokens -> when they expire
        self._pairing: dict[str, tuple[str, float]] = {}  # one-time phone logins -> user, expiry
        self._lock = asyncio.Lock()

    def _save(self) -> None:
        write_atomic(self.path, json.dumps({"users": self._users}, indent=1))
        self.path.chmod(0o600)

    # -- setup links ----------------------------------------------------------------------
    def any(self) -> bool:
        return bool(self._users)

    def owner(self) -> str | None:
        """The first account made (through the link `os1 serve` printed at its first start):
        the one who runs this server, and the only one who may change what all accounts share,
        such as the model. The file keeps the accounts in the order they were made."""
        return next(iter(self._users), None)

    def new_setup_token(self) -> str:
        token = secrets.token_urlsafe(24)
        self._setup[token] = time.monotonic() + SETUP_TTL_S
        return token

    def setup_valid(self, token: str) -> bool:
        expires = self._setup.get(token)
        return expires is not None and expires > time.monotonic()

    async def create(self, token: str, name: str, password: str) -> None:
        """Make an account with a setup token, which is used up (a second use fails)."""
        if not self.setup_valid(token):
            raise InputError("This setup link is not valid any more.", fix="Restart 'os1 serve --invite' for a new one.")
        if not NAME_RE.match(name):
            raise InputError("A name is 1 to 64 letters, digits, '.', '_' or '-'.")
        if len(password) < MIN_PASSWORD:
            raise InputError(f"A password needs at least {MIN_PASSWORD} characters.")
        hashed = await asyncio.to_thread(_hasher.hash, password)  # ~50 ms of CPU: off the loop
        async with self._lock:
            if name in self._users:
                raise InputError(f"There is an account called {name} already.")
            if self._setup.pop(token, None) is None:
                raise InputError("This setup link was just used.")
            self._users[name] = {"hash": hashed, "generation": 0, "keys": {}}
            self._save()

    # -- pairing a phone ------------------------------------------------------------------
    def new_pairing(self, name: str) -> str:
        """A one-time login for `name`, shown as a QR code on a page only `name` can open."""
        token = secrets.token_urlsafe(24)
        self._pairing[token] = (name, time.monotonic() + PAIRING_TTL_S)
        return token

    def use_pairing(self, token: str) -> str | None:
        """The user a pairing code logs in (once), or None."""
        name, expires = self._pairing.pop(token, ("", 0.0))
        return name if name in self._users and expires > time.monotonic() else None

    # -- passwords and sessions -----------------------------------------------------------
    async def check(self, name: str, password: str) -> bool:
        account = self._users.get(name)
        # An unknown name costs the same time as a wrong password: names are not revealed.
        hashed = account["hash"] if account else _DUMMY_HASH
        try:
            await asyncio.to_thread(_hasher.verify, hashed, password)
        except (VerificationError, InvalidHashError):
            return False
        return account is not None

    def generation(self, name: str) -> int | None:
        """A session cookie is valid while its generation is the account's (logout ends them all)."""
        account = self._users.get(name)
        return None if account is None else int(account["generation"])

    async def end_sessions(self, name: str) -> None:
        async with self._lock:
            if name in self._users:
                self._users[name]["generation"] += 1
                self._save()

    # -- API keys -------------------------------------------------------------------------
    async def new_key(self, name: str) -> str:
        """A new API key for `name`: shown once, only its hash is kept."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        digest = _key_hash(key)
        async with self._lock:
            self._users[name]["keys"][digest] = datetime.now(UTC).isoformat(timespec="seconds")
            self._save()
        return key

    def keys(self, name: str) -> list[ApiKey]:
        account = self._users.get(name) or {"keys": {}}
        return [ApiKey(digest[:12], created) for digest, created in account["keys"].items()]

    async def revoke_key(self, name: str, key_id: str) -> bool:
        async with self._lock:
            keys = self._users.get(name, {}).get("keys", {})
            gone = [d for d in keys if d[:12] == key_id]
            for digest in gone:
                del keys[digest]
            if gone:
                self._save()
        return bool(gone)

    def api_acts(self, name: str) -> bool:
        """Does the API say yes to side effects for `name`? Off unless the user turned it on."""
        return bool(self._users.get(name, {}).get("api_acts", False))

    async def set_api_acts(self, name: str, on: bool) -> None:
        async with self._lock:
            if name in self._users:
                self._users[name]["api_acts"] = on
                self._save()

    def user_for_key(self, key: str) -> str | None:
        digest = _key_hash(key)
        for name, account in self._users.items():
            for known in account["keys"]:
                if secrets.compare_digest(known, digest):
                    return name
        return None


_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))
