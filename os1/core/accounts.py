"""Accounts of servers a skill talks to (a CalDAV calendar, a CardDAV address book), kept as a
preference with the password sealed by the vault: a copied database, an export or a log never
holds a clear password."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from os1.core import vault
from os1.core.preferences import get_prefs, set_prefs
from os1.storage.base import Database


def seal(data_dir: Path, account: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in account.items() if k not in ("password", "secret")}
    out["secret"] = vault.encrypt(data_dir, str(account.get("password", ""))).decode("ascii")
    return out


async def save_account(db: Database, data_dir: Path, user: str, kind: str, account: dict[str, Any]) -> None:
    """Store a checked account (`kind` is its preference key, e.g. "caldav") with its password sealed."""
    await set_prefs(db, user, {kind: seal(data_dir, account)})


async def account(db: Database, data_dir: Path, user: str, kind: str) -> dict[str, Any] | None:
    """The account with its password, ready to connect. One saved before passwords were sealed
    is sealed now (the migration of old clear rows happens on first use)."""
    saved = (await get_prefs(db, user)).get(kind)
    if not saved:
        return None
    if "password" in saved:
        await set_prefs(db, user, {kind: seal(data_dir, saved)})
        return dict(saved)
    clear = vault.decrypt(data_dir, str(saved.get("secret", "")).encode("ascii"))
    return {**{k: v for k, v in saved.items() if k != "secret"}, "password": clear}
