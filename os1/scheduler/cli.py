"""`os1 calendar …` and `os1 reminders …`: the same calendar and reminders the companion uses."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional

import typer
from rich.console import Console
from rich.markup import escape

from os1.core.context import local_zone
from os1.errors import OS1Error
from os1.plugins import hookimpl
from os1.scheduler.store import ReminderStore
from os1.skills.calendar import resolve
from os1.skills.calendar.prefs import account, get_prefs, save_account, set_prefs
from os1.storage.sqlite import SqliteStore

calendar_app = typer.Typer(help="Your calendar: local by default, CalDAV when connected.", no_args_is_help=True)
reminders_app = typer.Typer(help="Reminders, alarms and when OS1 may speak first.", no_args_is_help=True)
console = Console(highlight=False)


def _settings(ctx: typer.Context):  # type: ignore[no-untyped-def]
    from os1.config import settings_from

    return settings_from(ctx)


def _with_store(ctx: typer.Context, fn: Callable[[Any, SqliteStore], Awaitable[None]]) -> None:
    s = _settings(ctx)

    async def go() -> None:
        store = await SqliteStore.open(s.db_path)
        try:
            await fn(s, store)
        finally:
            await store.close()

    try:
        asyncio.run(go())
    except OS1Error as exc:
        console.print(f"[red]{escape(exc.message)}[/] {escape(exc.fix)}")
        raise typer.Exit(2) from None


# -- calendar ----------------------------------------------------------------------------------
@calendar_app.command()
def agenda(ctx: typer.Context, when: str = typer.Argument("today", help="today, tomorrow, this week, a day")) -> None:
    """What's on."""
    from os1.skills.calendar.service import day_bounds, open_service
    from os1.skills.calendar.tools import _span

    async def go(s: Any, store: SqliteStore) -> None:
        zone = local_zone(s)
        cal = open_service(s.data_dir, s.user, zone, await account(store, s.data_dir, s.user, "caldav"))
        first, last, label = _span(when, datetime.now(zone).date())
        occs = await cal.agenda(day_bounds(first, zone)[0], day_bounds(last, zone)[1])
        console.print(f"[bold]{escape(label)}[/]")
        for o in occs:
            console.print(f"  {escape(o.describe(zone))}  [dim]{escape(o.uid)}[/]")
        if not occs:
            console.print("  (nothing)")
        for problem in cal.skipped:
            console.print(f"  [yellow]{escape(problem)}[/]")

    _with_store(ctx, go)


@calendar_app.command("add")
def calendar_add(
    ctx: typer.Context,
    title: str,
    day: str = typer.Option(..., "--day", help="e.g. 'next tuesday', '3 december'"),
    time: str = typer.Option("", "--time", help="e.g. '1pm' (empty: all day)"),
    minutes: int = typer.Option(60, "--minutes"),
    repeat: str = typer.Option("", "--repeat", help="e.g. 'every week', 'weekdays'"),
    zone: str = typer.Option("", "--zone", help="a city or IANA zone, if not yours"),
) -> None:
    """Add an event, with the same words the companion understands."""
    from os1.skills.calendar.service import open_service

    async def go(s: Any, store: SqliteStore) -> None:
        tz = local_zone(s)
        cal = open_service(s.data_dir, s.user, tz, await account(store, s.data_dir, s.user, "caldav"))
        start = resolve.resolve_when(day, time, datetime.now(UTC), tz, hint=title, zone_phrase=zone)
        rule = resolve.resolve_repeat(repeat, start)
        start = resolve.align(start, rule)
        end = start + (timedelta(minutes=minutes) if isinstance(start, datetime) else timedelta(days=1))
        occ = await cal.add(title, start, end, rrule=rule)
        console.print(f"Added: {escape(occ.describe(tz))}  [dim]{escape(occ.uid)}[/]")

    _with_store(ctx, go)


@calendar_app.command()
def connect(
    ctx: typer.Context,
    url: str = typer.Argument(..., help="CalDAV server URL"),
    username: str = typer.Option(..., "--username"),
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True),
    calendar: str = typer.Option("", "--calendar", help="calendar name (default: the first)"),
) -> None:
    """Use a CalDAV calendar (checked now); changes to it will always be confirmed."""
    from os1.skills.calendar.backends import CalDAVCalendar

    async def go(s: Any, store: SqliteStore) -> None:
        now = datetime.now(UTC)
        await CalDAVCalendar(url, username, password, calendar).in_range(now, now + timedelta(days=1))
        values = {"url": url, "username": username, "password": password, "calendar": calendar}
        await save_account(store, s.data_dir, s.user, "caldav", values)
        console.print(f"Connected to {escape(url)} as {escape(username)}.")

    _with_store(ctx, go)


@calendar_app.command("import")
def import_(ctx: typer.Context, file: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Add the events of an .ics file (a bad file is refused whole)."""

    from os1.skills.calendar.service import open_service

    async def go(s: Any, store: SqliteStore) -> None:
        cal = open_service(s.data_dir, s.user, local_zone(s), await account(store, s.data_dir, s.user, "caldav"))
        uids = await cal.import_ics(file.read_text(encoding="utf-8", errors="replace"))
        console.print(f"Imported {len(uids)} event(s).")

    _with_store(ctx, go)


@calendar_app.command()
def restore(ctx: typer.Context, uid: str) -> None:
    """Bring back a cancelled event."""

    from os1.skills.calendar.service import open_service

    async def go(s: Any, store: SqliteStore) -> None:
        cal = open_service(s.data_dir, s.user, local_zone(s), await account(store, s.data_dir, s.user, "caldav"))
        await cal.restore(uid)
        console.print(f"Restored {escape(uid)}.")

    _with_store(ctx, go)


@calendar_app.command()
def invitations(ctx: typer.Context) -> None:
    """Read invitations and replies that came by mail; list those waiting for your answer."""
    from os1.skills.calendar import invites
    from os1.skills.calendar.service import open_service

    async def go(s: Any, store: SqliteStore) -> None:
        cal = open_service(s.data_dir, s.user, local_zone(s), await account(store, s.data_dir, s.user, "caldav"))
        report = await invites.check_mail(s, store, s.user, cal)
        for line in report.replies_applied:
            console.print(f"Reply applied: {escape(line)}")
        for line in report.skipped:
            console.print(f"[yellow]Skipped:[/] {escape(line)}")
        waiting = await invites.pending(store, s.user)
        for inv in waiting:
            console.print(escape(inv.describe()))
        if not waiting:
            console.print("No invitation is waiting for an answer.")

    _with_store(ctx, go)


@calendar_app.command()
def answer(
    ctx: typer.Context,
    number: int = typer.Argument(..., help="the invitation's # from 'os1 calendar invitations'"),
    decline: bool = typer.Option(False, "--decline", help="decline instead of accepting"),
    yes: bool = typer.Option(False, "--yes", help="do not ask before mailing the reply"),
) -> None:
    """Accept (or --decline) an invitation; the organizer gets an iCalendar REPLY by mail."""
    from os1.core.tools import ConfirmationRequest
    from os1.skills.calendar import invites
    from os1.skills.calendar.errors import EventNotFound
    from os1.skills.calendar.service import open_service

    async def ask(request: ConfirmationRequest) -> bool:
        console.print(escape(request.summary))
        return yes or typer.confirm("Send it?", default=False)

    async def go(s: Any, store: SqliteStore) -> None:
        cal = open_service(s.data_dir, s.user, local_zone(s), await account(store, s.data_dir, s.user, "caldav"))
        found = [i for i in await invites.pending(store, s.user) if i.id == number]
        if not found:
            raise EventNotFound(f"No invitation #{number} is waiting.", fix="See 'os1 calendar invitations'.")
        console.print(await invites.answer(s, store, s.user, cal, found[0], not decline, ask))

    _with_store(ctx, go)


# -- reminders ---------------------------------------------------------------------------------
@reminders_app.command("list")
def list_(ctx: typer.Context, all_: bool = typer.Option(False, "--all", help="fired and dropped too")) -> None:
    """Reminders, soonest first."""

    async def go(s: Any, store: SqliteStore) -> None:
        zone = local_zone(s)
        for r in await ReminderStore(store).list(s.user, None if all_ else "pending"):
            late = f" late {r.late_s:.0f}s" if r.late_s and r.late_s > 1 else ""
            console.print(f"#{r.id} {r.due_at.astimezone(zone):%a %d %b %H:%M} {escape('[' + r.kind + ']')} "
                          f"{escape(r.text)} ({r.status}{late})")

    _with_store(ctx, go)


@reminders_app.command()
def add(ctx: typer.Context, what: str, day: str = typer.Option("", "--day"), time: str = typer.Option("", "--time")) -> None:
    """Add a reminder: os1 reminders add "call mum" --day sunday --time 10am."""
    from os1.scheduler.tools import STALE, kind_of, when_of

    async def go(s: Any, store: SqliteStore) -> None:
        zone = local_zone(s)
        moment = when_of(day, time, datetime.now(UTC), zone, what)
        kind = kind_of(what)
        rid = await ReminderStore(store).add(s.user, kind, what, moment, zone=str(zone), stale_after_s=STALE[kind])
        console.print(f"#{rid} {moment:%a %d %b %H:%M} {escape(what)}")

    _with_store(ctx, go)


@reminders_app.command()
def cancel(ctx: typer.Context, rid: int) -> None:
    """Cancel a pending reminder."""

    async def go(s: Any, store: SqliteStore) -> None:
        ok = await ReminderStore(store).set_status(s.user, rid, "cancelled")
        console.print("Cancelled." if ok else "No pending reminder with that number.")

    _with_store(ctx, go)


@reminders_app.command()
def settings(
    ctx: typer.Context,
    quiet: Optional[str] = typer.Option(None, help="quiet hours, e.g. 22:00-07:00 (empty: none)"),
    morning: Optional[str] = typer.Option(None, help="morning plan at HH:MM (empty: none)"),
    meetings: Optional[int] = typer.Option(None, help="remind N minutes before meetings (0: never)"),
    per_hour: Optional[int] = typer.Option(None, help="at most this many unsolicited messages an hour"),
) -> None:
    """Show or change quiet hours, the morning plan, meeting reminders, the rate limit."""

    async def go(s: Any, store: SqliteStore) -> None:
        values: dict[str, Any] = {}
        if quiet is not None:
            start, _, end = quiet.partition("-")
            for t in (start, end):
                if t:
                    resolve._parse_clock(t.strip())
            values |= {"quiet_start": start.strip(), "quiet_end": end.strip()}
        if morning is not None:
            values["morning_at"] = morning
        if meetings is not None:
            values["meeting_minutes"] = meetings
        if per_hour is not None:
            values["max_per_hour"] = per_hour
        if values:
            await set_prefs(store, s.user, values)
        prefs = await get_prefs(store, s.user)
        for key in ("quiet_start", "quiet_end", "morning_at", "meeting_minutes", "max_per_hour", "checkin_days"):
            console.print(f"{key} = {prefs[key]!r}")

    _with_store(ctx, go)


@reminders_app.command()
def run(ctx: typer.Context) -> None:
    """Keep time without chatting: fire reminders and print what OS1 would say (Ctrl-C stops)."""
    from os1.scheduler.live import start_timekeeper

    async def go(s: Any, store: SqliteStore) -> None:
        keeper = await start_timekeeper(s, store, s.user)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_signal_handler(signal.SIGINT, stop.set)
        console.print("keeping time", markup=False)
        try:
            while not stop.is_set():
                nxt = asyncio.create_task(keeper.channel.next())
                halt = asyncio.create_task(stop.wait())
                done, _ = await asyncio.wait({nxt, halt}, return_when=asyncio.FIRST_COMPLETED)
                if nxt in done:
                    item = nxt.result()
                    console.print(f"[{item.kind}] {item.text}", markup=False)
                    console.file.flush()
                    await keeper.channel.delivered(item)
                else:
                    nxt.cancel()
        finally:
            await keeper.stop()

    _with_store(ctx, go)


contacts_app = typer.Typer(help="Contacts: local vCards, and a CardDAV address book when connected.", no_args_is_help=True)


@contacts_app.command("list")
def contacts_list(ctx: typer.Context) -> None:
    """Everyone, merged from every address book and from mail (one entry per address)."""
    from os1.skills.contacts.service import people

    async def go(s: Any, store: SqliteStore) -> None:
        for p in await people(s, store, s.user):
            bday = f"  birthday {p.birthday:%d %b}" if p.birthday else ""
            known = "" if p.sources == ("contacts",) else f"  ({' + '.join(p.sources)})"
            console.print(f"{escape(p.name)}  {escape(', '.join(p.emails))}{bday}{known}")

    _with_store(ctx, go)


@contacts_app.command("add")
def contacts_add(
    ctx: typer.Context,
    name: str,
    email: list[str] = typer.Option([], "--email"),
    phone: list[str] = typer.Option([], "--phone"),
    birthday: str = typer.Option("", "--birthday", help="YYYY-MM-DD"),
) -> None:
    """Add a contact to the local address book (birthdays become reminders)."""
    from datetime import date as date_

    from os1.skills.contacts.backends import LocalContacts
    from os1.skills.contacts.vcard import build

    async def go(s: Any, store: SqliteStore) -> None:
        try:
            born = date_.fromisoformat(birthday) if birthday else None
        except ValueError:
            raise typer.BadParameter("--birthday must be YYYY-MM-DD") from None
        text, uid = build(name, email, phone, born)
        await LocalContacts(s.data_dir / "contacts" / s.user).create(uid, text)
        console.print(f"Added {escape(name)}.")

    _with_store(ctx, go)


@contacts_app.command("connect")
def contacts_connect(
    ctx: typer.Context,
    url: str = typer.Argument(..., help="CardDAV address book URL"),
    username: str = typer.Option(..., "--username"),
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True),
) -> None:
    """Use a CardDAV address book (checked now)."""
    from os1.skills.contacts.backends import CardDAVContacts

    async def go(s: Any, store: SqliteStore) -> None:
        await CardDAVContacts(url, username, password).all()
        await save_account(store, s.data_dir, s.user, "carddav", {"url": url, "username": username, "password": password})
        console.print(f"Connected to {escape(url)}.")

    _with_store(ctx, go)


@hookimpl
def register_commands(cli: typer.Typer) -> None:
    cli.add_typer(calendar_app, name="calendar")
    cli.add_typer(reminders_app, name="reminders")
    cli.add_typer(contacts_app, name="contacts")
