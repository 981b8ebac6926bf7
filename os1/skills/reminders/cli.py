"""`os1 reminders …`: the reminders the companion sets, when OS1 may speak first, and keeping
time without chatting."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from os1.core.commands import with_store
from os1.core.context import local_zone
from os1.core.preferences import get_prefs, set_prefs
from os1.core.proactive import parse_hhmm
from os1.core.schedule import ReminderSchedule
from os1.core.scheduler import poke_all
from os1.errors import OS1Error

console = Console(highlight=False)


def _with_store(ctx: typer.Context, fn: Callable[[Any, Any], Awaitable[None]]) -> None:
    """Run `fn(settings, store)` on the user's database (opened with every skill's tables)."""
    with_store(ctx, fn, console)


reminders_app = typer.Typer(help="Reminders, alarms and when OS1 may speak first.", no_args_is_help=True)


@reminders_app.command("list")
def list_(ctx: typer.Context, all_: bool = typer.Option(False, "--all", help="fired and dropped too")) -> None:
    """Reminders, soonest first."""

    async def go(s: Any, store: Any) -> None:
        zone = local_zone(s)
        for r in await ReminderSchedule(store).list(s.user, None if all_ else "pending"):
            late = f" late {r.late_s:.0f}s" if r.late_s and r.late_s > 1 else ""
            console.print(f"#{r.id} {r.due_at.astimezone(zone):%a %d %b %H:%M} {escape('[' + r.kind + ']')} "
                          f"{escape(r.text)} ({r.status}{late})")

    _with_store(ctx, go)


@reminders_app.command()
def add(ctx: typer.Context, what: str, day: str = typer.Option("", "--day"), time: str = typer.Option("", "--time")) -> None:
    """Add a reminder: os1 reminders add "call mum" --day sunday --time 10am."""
    from os1.skills.reminders.tools import STALE, kind_of, when_of

    async def go(s: Any, store: Any) -> None:
        zone = local_zone(s)
        moment = when_of(day, time, datetime.now(UTC), zone, what)
        kind = kind_of(what)
        rid = await ReminderSchedule(store).add(s.user, kind, what, moment, zone=str(zone), stale_after_s=STALE[kind])
        poke_all()
        console.print(f"#{rid} {moment:%a %d %b %H:%M} {escape(what)}")

    _with_store(ctx, go)


@reminders_app.command()
def cancel(ctx: typer.Context, rid: int) -> None:
    """Cancel a pending reminder."""

    async def go(s: Any, store: Any) -> None:
        ok = await ReminderSchedule(store).set_status(s.user, rid, "cancelled")
        console.print("Cancelled." if ok else "No pending reminder with that number.")

    _with_store(ctx, go)


def _check_hhmm(text: str) -> None:
    """Quiet hours are stored as HH:MM and read back by the proactive channel: refuse others."""
    try:
        parse_hhmm(text)
    except ValueError:
        raise OS1Error(f"'{text}' is not a time of day.", fix="Give it as HH:MM, e.g. 22:00-07:00.") from None


@reminders_app.command()
def settings(
    ctx: typer.Context,
    quiet: str | None = typer.Option(None, help="quiet hours, e.g. 22:00-07:00 (empty: none)"),
    morning: str | None = typer.Option(None, help="morning plan at HH:MM (empty: none)"),
    meetings: int | None = typer.Option(None, help="remind N minutes before meetings (0: never)"),
    per_hour: int | None = typer.Option(None, help="at most this many unsolicited messages an hour"),
) -> None:
    """Show or change quiet hours, the morning plan, meeting reminders, the rate limit."""

    async def go(s: Any, store: Any) -> None:
        values: dict[str, Any] = {}
        if quiet is not None:
            start, _, end = quiet.partition("-")
            for t in (start, end):
                if t:
                    _check_hhmm(t.strip())
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
    from os1.core.timekeeper import start_timekeeper

    async def go(s: Any, store: Any) -> None:
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
