"""CalDAV/CardDAV passwords are encrypted at rest with the mail vault's key (never clear in the
database, an export or a log); rows saved in clear before are sealed on first use."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

from os1.skills.calendar.prefs import account, get_prefs, save_account, set_prefs
from os1.skills.calendar.service import open_service
from os1.storage.portable import export_user

PASSWORD = "hunter2-very-secret"


def raw_rows(store) -> str:
    return json.dumps(list(store.conn.execute("SELECT * FROM time_prefs")))


async def test_saved_sealed_and_read_back(settings, store) -> None:
    await save_account(store, settings.data_dir, "tester", "caldav",
                       {"url": "http://127.0.0.1:1/", "username": "ana", "password": PASSWORD, "calendar": ""})
    assert PASSWORD not in raw_rows(store)
    assert set((await get_prefs(store, "tester"))["caldav"]) == {"url", "username", "secret", "calendar"}
    got = await account(store, settings.data_dir, "tester", "caldav")
    assert got == {"url": "http://127.0.0.1:1/", "username": "ana", "password": PASSWORD, "calendar": ""}
    assert PASSWORD not in json.dumps(export_user(store.conn, "tester"))
    assert (settings.data_dir / "mail.key").stat().st_mode & 0o077 == 0
    assert await account(store, settings.data_dir, "someone-else", "caldav") is None


async def test_old_clear_row_is_sealed_on_first_use(settings, store, radicale, caplog) -> None:
    radicale.make_calendar("ana")
    await set_prefs(store, "tester", {"caldav": {"url": radicale.url, "username": "ana", "password": "secret",
                                                 "calendar": ""},
                                      "carddav": {"url": radicale.url, "username": "ana", "password": PASSWORD}})
    assert PASSWORD in raw_rows(store)
    caplog.set_level(logging.DEBUG)
    caldav = await account(store, settings.data_dir, "tester", "caldav")
    await account(store, settings.data_dir, "tester", "carddav")
    prefs = await get_prefs(store, "tester")
    assert PASSWORD not in raw_rows(store) and '"password"' not in json.dumps(prefs)
    cal = open_service(settings.data_dir, "tester", UTC, caldav)
    now = datetime.now(UTC)
    occ = await cal.add("Sealed", now + timedelta(days=1), now + timedelta(days=1, hours=1))
    assert occ.calendar.startswith("caldav:")
    again = await account(store, settings.data_dir, "tester", "caldav")
    assert again["password"] == "secret"
    assert PASSWORD not in caplog.text
