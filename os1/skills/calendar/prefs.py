"""Per-user time preferences (CalDAV account, quiet hours, wake-up time, meeting lead time),
kept in the one SQLite database next to everything else the user owns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from os1.storage.sqlite import SqliteStore

DEFAULTS: dict[str, Any] = {
    "quiet_start": "22:00",  # nothing but alarms between these two times
    "quiet_end": "07:00",
    "morning_at": "",  # e.g. "08:00": the morning plan; empty = no morning message
    "meeting_minutes": 10,  # remind this long before each meeting; 0 = never
    "max_per_hour": 4,  # unsolicited messages at most this often
    "checkin_days": 3,  # say hello after this many quiet days; 0 = never
    "muted_until": "",  # the user said "not now": hold unsolicited messages until then
    "caldav": None,  # {"url", "username", "secret", "calendar"}: the password sealed (below)
    "carddav": None,  # {"url", "username", "secret"}
}
ACCOUNTS = ("caldav", "carddav")


async def get_prefs(store: SqliteStore, user: str) -> dict[str, Any]:
    return DEFAULTS | await store._run(store._get_json, "time_prefs", user)


async def set_prefs(store: SqliteStore, user: str, values: dict[str, Any]) -> None:
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise KeyError(f"Unknown time preference(s): {', '.join(sorted(unknown))}.")
    await store._run(store._put_json, "time_prefs", user, values)


# -- CalDAV/CardDAV accounts: the password encrypted at rest ---------------------------------------
# With the same Fernet key file and helper as mail passwords (os1/core/vault.py), so a
# copied database, an export or a log never holds a clear password.


def seal(data_dir: Path, account: dict[str, Any]) -> dict[str, Any]:
    from os1.core import vault

    out = {k: v for k, v in account.items() if k not in ("password", "secret")}
    out["secret"] = vault.encrypt(data_dir, str(account.get("password", ""))).decode("ascii")
    return out


async def save_account(store: SqliteStore, data_dir: Path, user: str, kind: str, account: dict[str, Any]) -> None:
    """Store a checked CalDAV/CardDAV account with its password sealed."""
    if kind not in ACCOUNTS:
        raise KeyError(kind)
    await set_prefs(store, user, {kind: seal(data_dir, account)})


async def account(store: SqliteStore, data_dir: Path, user: str, kind: str) -> dict[str, Any] | None:
    """The account with its password, ready to connect. One saved before passwords were sealed
    is sealed now (the migration of old clear rows happens on first use)."""
    from os1.core import vault

    saved = (await get_prefs(store, user))[kind]
    if not saved:
        return None
    if "password" in saved:
        await set_prefs(store, user, {kind: seal(data_dir, saved)})
        return dict(saved)
    clear = vault.decrypt(data_dir, str(saved.get("secret", "")).encode("ascii"))
    return {**{k: v for k, v in saved.items() if k != "secret"}, "password": clear}
