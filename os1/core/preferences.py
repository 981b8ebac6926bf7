"""Per-user preferences of time and of speaking first (quiet hours, the hourly limit, the morning
plan, accounts of calendar servers…), one JSON value per key in the `time_prefs` table.

The core owns the table and the keys its proactive channel and timekeeper read; a skill adds
its own keys and defaults through the `register_preferences` plugin hook, so one
`get_prefs`/`set_prefs` serves them all and an unknown key is refused, not silently stored."""

from __future__ import annotations

import json
from typing import Any

from os1.plugins.manager import preferences as plugin_preferences
from os1.storage.base import Database

CORE_DEFAULTS: dict[str, Any] = {
    "quiet_start": "22:00",  # nothing but alarms between these two times
    "quiet_end": "07:00",
    "max_per_hour": 4,  # unsolicited messages at most this often
    "checkin_days": 3,  # say hello after this many quiet days; 0 = never
    "muted_until": "",  # the user said "not now": hold unsolicited messages until then
}




def defaults() -> dict[str, Any]:
    """The core's defaults and every installed skill's."""
    return CORE_DEFAULTS | plugin_preferences()


class Preferences:
    """The `time_prefs` repository: (user, key) -> a JSON value."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def stored(self, user: str) -> dict[str, Any]:
        rows = await self.db.query("SELECT key, value FROM time_prefs WHERE user_id=?", (user,))
        return {str(k): json.loads(v) for k, v in rows}

    async def put(self, user: str, values: dict[str, Any]) -> None:
        def write(conn: Any) -> None:
            for key, value in values.items():
                conn.execute(
                    "INSERT INTO time_prefs VALUES (?, ?, ?) ON CONFLICT (user_id, key)"
                    " DO UPDATE SET value=excluded.value",
                    (user, key, json.dumps(value)),
                )

        await self.db.transaction(write)


async def get_prefs(db: Database, user: str) -> dict[str, Any]:
    """Every preference: the defaults, overridden by what the user set."""
    return defaults() | await Preferences(db).stored(user)


async def set_prefs(db: Database, user: str, values: dict[str, Any]) -> None:
    unknown = set(values) - set(defaults())
    if unknown:
        raise KeyError(f"Unknown time preference(s): {', '.join(sorted(unknown))}.")
    await Preferences(db).put(user, values)
