"""The mail skill owns its tables: a new database gets them through the plugin's migration, and
a database that already has them (made when they were a core migration) opens with nothing lost."""

from os1.core.runtime import open_store
from os1.plugins import migrations as registered_migrations
from os1.skills.mail.repository import Account
from os1.skills.mail.schema import TABLES
from os1.skills.mail.store import MailStore
from os1.storage.sqlite import SqliteStore

MAIL_TABLES = {"mail_accounts", "mail_sync", "mail_messages", "mail_moves", "mail_rules", "mail_contacts"}
MAIL_INDEXES = {"mail_messages_key", "mail_moves_batch", "mail_moves_key"}


async def _schema(store: SqliteStore) -> dict[str, str]:
    rows = await store.query("SELECT name, sql FROM sqlite_master WHERE name LIKE 'mail_%' AND sql IS NOT NULL")
    return {name: sql for name, sql in rows}


async def _migrations(store: SqliteStore) -> set[str]:
    return {r[0] for r in await store.query("SELECT name FROM _migrations")}


def _account(user: str = "tester") -> Account:
    return Account(0, user, "home", "sam@example.org", "Sam", "imap.example.org", 993, "ssl",
                   "smtp.example.org", 587, "starttls", "sam", b"token")


async def test_a_new_database_gets_the_mail_tables(settings):
    store = await open_store(settings)
    try:
        schema = await _schema(store)
        assert MAIL_TABLES | MAIL_INDEXES <= set(schema)
        assert "mail.001_tables" in await _migrations(store)
        assert await MailStore(store).accounts("tester") == []
    finally:
        await store.close()


async def test_a_database_with_the_old_core_mail_tables_opens_with_nothing_lost(settings, tmp_path):
    old = await SqliteStore.open(settings.db_path)  # the core's tables only

    def old_mail_migration(conn) -> None:  # what the core's "004_mail" created
        conn.execute(TABLES.replace(" IF NOT EXISTS", ""))
        conn.execute("INSERT INTO _migrations VALUES ('004_mail', '2026-01-01T00:00:00+00:00')")

    await old.transaction(old_mail_migration)
    before = await _schema(old)
    account_id = await MailStore(old).save_account(_account())
    await MailStore(old).note_contacts("tester", [("amy@example.org", "Amy")], sent=True)
    await old.close()

    fresh = await SqliteStore.open(tmp_path / "fresh.db", registered_migrations())
    assert await _schema(fresh) == before  # the skill's migration makes exactly the old tables
    await fresh.close()

    store = await open_store(settings)
    try:
        assert await _schema(store) == before  # untouched
        assert {"004_mail", "mail.001_tables"} <= await _migrations(store)
        mail = MailStore(store)
        assert [a.id for a in await mail.accounts("tester")] == [account_id]
        assert await mail.known_addresses("tester") == {"amy@example.org"}
    finally:
        await store.close()
    again = await open_store(settings)  # and opening once more applies nothing twice
    await again.close()
