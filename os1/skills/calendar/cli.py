"""`os1 calendar …`: the same calendar the companion uses."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from os1.core.accounts import account
from os1.core.commands import with_store
from os1.core.context import local_zone
from os1.skills.calendar import resolve

calendar_app = typer.Typer(help="Your calendar: local by default, CalDAV when connected.", no_args_is_help=True)
console = Console(highlight=False)


def _with_store(ctx: typer.Context, fn: Callable[[Any, Any], Awaitable[None]]) -> None:
    """Run `fn(settings, store)` on the user's database (opened with every skill's tables)."""
    with_store(ctx, fn, console)


@calendar_app.command()
def agenda(ctx: typer.Context, when: str = typer.Argument("today", help="today, tomorrow, this week, a day")) -> None:
    """What's on."""
    from os1.skills.calendar.service import day_bounds, open_service
    from os1.skills.calendar.tools import _span

    async def go(s: Any, store: Any) -> None:
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

    async def go(s: Any, store: Any) -> None:
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
    from os1.skills.calendar.service import connect_caldav

    async def go(s: Any, store: Any) -> None:
        await connect_caldav(store, s.data_dir, s.user, url, username, password, calendar)
        console.print(f"Connected to {escape(url)} as {escape(username)}.")

    _with_store(ctx, go)


@calendar_app.command("import")
def import_(ctx: typer.Context, file: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Add the events of an .ics file (a bad file is refused whole)."""

    from os1.skills.calendar.service import open_service

    async def go(s: Any, store: Any) -> None:
        cal = open_service(s.data_dir, s.user, local_zone(s), await account(store, s.data_dir, s.user, "caldav"))
        uids = await cal.import_ics(file.read_text(encoding="utf-8", errors="replace"))
        console.print(f"Imported {len(uids)} event(s).")

    _with_store(ctx, go)


@calendar_app.command()
def restore(ctx: typer.Context, uid: str) -> None:
    """Bring back a cancelled event."""

    from os1.skills.calendar.service import open_service

    async def go(s: Any, store: Any) -> None:
        cal = open_service(s.data_dir, s.user, local_zone(s), await account(store, s.data_dir, s.user, "caldav"))
        await cal.restore(uid)
        console.print(f"Restored {escape(uid)}.")

    _with_store(ctx, go)


@calendar_app.command()
def invitations(ctx: typer.Context) -> None:
    """Read invitations and replies that came by mail; list those waiting for your answer."""
    from os1.skills.calendar import invites
    from os1.skills.calendar.service import open_service

    async def go(s: Any, store: Any) -> None:
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

    async def go(s: Any, store: Any) -> None:
        cal = open_service(s.data_dir, s.user, local_zone(s), await account(store, s.data_dir, s.user, "caldav"))
        found = [i for i in await invites.pending(store, s.user) if i.id == number]
        if not found:
            raise EventNotFound(f"No invitation #{number} is waiting.", fix="See 'os1 calendar invitations'.")
        console.print(await invites.answer(s, store, s.user, cal, found[0], not decline, ask))

    _with_store(ctx, go)
