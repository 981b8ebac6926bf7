"""Credentials at rest: Fernet (AES-128-CBC + HMAC) with a key file readable only by its owner.

The database holds only the encrypted token, so a copied database, an export or a trace never
contains a password; the key file (`mail.key`, mode 0600) stays in the data dir. Mail, calendar and
contacts accounts keep their passwords here.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from os1.errors import SecretError

KEY_NAME = "mail.key"


def key_path(data_dir: Path) -> Path:
    return data_dir / KEY_NAME


def _load_or_create_key(data_dir: Path) -> bytes:
    path = key_path(data_dir)
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    try:  # O_EXCL: two processes racing both end up with the one key that won
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as f:
        f.write(key)
        f.flush()
        os.fsync(f.fileno())
    return key


def _check_mode(path: Path) -> None:
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise SecretError(
            f"The mail key file {path} can be read by other users (mode {mode:o}).",
            fix=f"Run: chmod 600 {path}",
        )


def encrypt(data_dir: Path, secret: str) -> bytes:
    key = _load_or_create_key(data_dir)
    _check_mode(key_path(data_dir))
    return Fernet(key).encrypt(secret.encode("utf-8"))


def decrypt(data_dir: Path, token: bytes) -> str:
    path = key_path(data_dir)
    if not path.exists():
        raise SecretError(
            f"The mail key file {path} is missing, so saved mail passwords cannot be read.",
            fix="Add the account again with 'os1 mail add --replace'.",
        )
    _check_mode(path)
    try:
        return Fernet(path.read_bytes().strip()).decrypt(token).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise SecretError(
            "A saved mail password cannot be decrypted with the key in the data dir.",
            fix="Add the account again with 'os1 mail add --replace'.",
        ) from exc
