"""The calendar's own preferences (its CalDAV account, the morning plan, how early a meeting is
announced), kept through the core's per-user preferences next to quiet hours and the hourly
limit; the account's password is sealed by the vault (os1.core.accounts)."""

from __future__ import annotations

from typing import Any

from os1.core.accounts import account, save_account, seal
from os1.core.preferences import get_prefs, set_prefs

DEFAULTS: dict[str, Any] = {
    "morning_at": "",  # e.g. "08:00": the morning plan; empty = no morning message
    "meeting_minutes": 10,  # remind this long before each meeting; 0 = never
    "caldav": None,  # {"url", "username", "secret", "calendar"}: the password sealed
}

__all__ = ["DEFAULTS", "account", "get_prefs", "save_account", "seal", "set_prefs"]
