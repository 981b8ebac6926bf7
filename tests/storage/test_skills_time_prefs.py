"""The per-user preferences' contract (os1.core.preferences), for every backend: defaults from
the core and the skills, values kept as JSON per key, unknown keys refused, users apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from os1.core.accounts import account, save_account
from os1.core.preferences import Preferences, get_prefs, set_prefs


async def test_defaults_then_what_the_user_set(db) -> None:
    prefs = await get_prefs(db, "amy")
    assert (prefs["quiet_start"], prefs["max_per_hour"]) == ("22:00", 4)
    assert prefs["meeting_minutes"] == 10 and prefs["carddav"] is None  # the skills' keys
    await set_prefs(db, "amy", {"max_per_hour": 2, "quiet_start": ""})
    await set_prefs(db, "amy", {"max_per_hour": 3})
    prefs = await get_prefs(db, "amy")
    assert (prefs["quiet_start"], prefs["max_per_hour"]) == ("", 3)
    assert (await get_prefs(db, "bob"))["max_per_hour"] == 4
    assert await Preferences(db).stored("amy") == {"max_per_hour": 3, "quiet_start": ""}


async def test_unknown_keys_are_refused_and_nothing_is_kept(db) -> None:
    with pytest.raises(KeyError, match="no_such"):
        await set_prefs(db, "amy", {"max_per_hour": 1, "no_such": 1})
    assert await Preferences(db).stored("amy") == {}


async def test_an_account_round_trips_with_its_password_sealed(db, tmp_path: Path) -> None:
    # A password long enough that random ciphertext cannot contain it by chance.
    secret = "correct horse battery staple"
    await save_account(db, tmp_path, "amy", "caldav", {"url": "http://127.0.0.1:1/", "password": secret})
    stored = (await Preferences(db).stored("amy"))["caldav"]
    assert "password" not in stored and secret not in str(stored)
    assert await account(db, tmp_path, "amy", "caldav") == {"url": "http://127.0.0.1:1/", "password": secret}
    assert await account(db, tmp_path, "bob", "caldav") is None
