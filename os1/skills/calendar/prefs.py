"""Per-user time preferences (CalDAV account, quiet hours, wake-up time, meeting lead time),
kept in the one SQLite database next to everything else the user owns."""

from __future__ import annotations

import json
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
    "caldav": None,  # {"url", "username", "password", "calendar"}
    "carddav": None,  # {"url", "username", "password"}
}


async def get_prefs(store: SqliteStore, user: str) -> dict[str, Any]:
    rows = await store._run(
        store._rows, "SELECT key, value FROM time_prefs WHERE user_id=?", (user,)
    )
    return DEFAULTS | {k: json.loads(v) for k, v in rows}


async def set_prefs(store: SqliteStore, user: str, values: dict[str, Any]) -> None:
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise KeyError(f"Unknown time preference(s): {', '.join(sorted(unknown))}.")

    def write() -> None:
        with store._tx() as conn:
            for key, value in values.items():
                conn.execute(
                    "INSERT INTO time_prefs VALUES (?, ?, ?) ON CONFLICT (user_id, key)"
                    " DO UPDATE SET value=excluded.value",
                    (user, key, json.dumps(value)),
                )

    await store._run(write)
