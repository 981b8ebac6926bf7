"""The agenda page: today's and tomorrow's events and the reminders, in the user's time zone.

Everything is the skills' own: the calendar service the `os1 calendar` commands and the
companion use (CalDAV first when connected, then the local calendar), the reminder schedule,
and the reminders skill's date rules (`when_of`), so "sunday 10am" means the same here as when
said in the chat or typed after `os1 reminders add`. Cancelling asks first, like forgetting.
A CalDAV calendar is connected here as `os1 calendar connect` does it: checked, then saved.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from os1.core.accounts import account
from os1.core.context import local_zone
from os1.core.schedule import ReminderSchedule
from os1.core.scheduler import poke_all
from os1.errors import InputError, OS1Error
from os1.interfaces.web.pages import page_user, render, web
from os1.interfaces.web.security import RowId, check_csrf
from os1.skills.calendar.ical import Occurrence
from os1.skills.calendar.service import connect_caldav, day_bounds, open_service
from os1.skills.reminders.tools import STALE, kind_of, when_of

router = APIRouter()
MAX_REMINDER_CHARS = 300  # as the reminder tool allows


async def _days(request: Request, user: str, first: date, days: int) -> dict[str, Any]:
    """The events of `days` days from `first`, by day, and whether a CalDAV calendar is
    connected; a calendar server that cannot be reached is said, not a failed page."""
    state = web(request)
    zone = local_zone(state.settings)
    caldav = await account(state.db, state.settings.data_dir, user, "caldav")
    cal = open_service(state.settings.data_dir, user, zone, caldav)
    by_day: dict[date, list[Occurrence]] = {first + timedelta(days=n): [] for n in range(days)}
    problems: list[str] = []
    try:
        start, _ = day_bounds(first, zone)
        _, end = day_bounds(first + timedelta(days=days - 1), zone)
        for occ in await cal.agenda(start, end):
            shown = occ.start.astimezone(zone).date()
            by_day.setdefault(max(shown, first), []).append(occ)  # one that began earlier: on the first day
        problems = [f"One event could not be read: {s}" for s in cal.skipped]
    except OS1Error as exc:
        problems = [f"The calendar could not be read: {exc}"]
    return {"days": by_day, "problems": problems, "caldav": caldav is not None, "zone": zone}


async def show(request: Request, user: str, status: int = 200, **extra: Any) -> HTMLResponse:
    """The agenda page; `extra` carries an error and the values just typed."""
    zone = local_zone(web(request).settings)
    today = datetime.now(zone).date()
    reminders = await ReminderSchedule(web(request).db).list(user, "pending")
    values: dict[str, Any] = {
        **await _days(request, user, today, 2), "today": today, "reminders": reminders,
        "what": "", "day": "", "time": "", "error": "", "connect_error": "", "url": "", "username": "",
        "calendar": "", "connected": request.query_params.get("connected") == "1",
        "added": request.query_params.get("added", ""), "cancelled": request.query_params.get("cancelled"),
        "event": request.query_params.get("event", ""), "restore": request.query_params.get("restore", ""),
        "title": "", "event_day": "", "event_time": "", "minutes": 60, "event_error": "",
    }
    return render(request, "agenda.html", status, **(values | extra))


@router.get("/agenda", response_class=HTMLResponse)
async def agenda(request: Request, user: str = Depends(page_user)) -> HTMLResponse:
    return await show(request, user)


@router.post("/agenda/reminders", response_class=HTMLResponse)
async def add_reminder(
    request: Request, user: str = Depends(page_user), csrf: str = Form(""),
    what: str = Form(""), day: str = Form(""), time: str = Form(""),
) -> Response:
    """A reminder as `os1 reminders add` makes it: the same date rules, kind and staleness."""
    check_csrf(request, csrf)
    zone = local_zone(web(request).settings)
    try:
        if not what.strip():
            raise InputError("Say what to remind you of.")
        if len(what) > MAX_REMINDER_CHARS:
            raise InputError(f"That is longer than {MAX_REMINDER_CHARS} characters.")
        moment = when_of(day, time, datetime.now(UTC), zone, what)
    except OS1Error as exc:
        return await show(request, user, 400, error=str(exc), what=what, day=day, time=time)
    kind = kind_of(what)
    rid = await ReminderSchedule(web(request).db).add(
        user, kind, what.strip(), moment, zone=str(zone), stale_after_s=STALE[kind])
    poke_all()
    return RedirectResponse(f"/agenda?added={rid}", 303)


async def _pending(request: Request, user: str, rid: int) -> Any:
    found = await ReminderSchedule(web(request).db).get(user, rid)  # only this user's
    return found if found is not None and found.status == "pending" else None


@router.get("/agenda/reminders/{rid}/cancel", response_class=HTMLResponse)
async def cancel_form(request: Request, rid: RowId, user: str = Depends(page_user)) -> HTMLResponse:
    reminder = await _pending(request, user, rid)
    if reminder is None:  # not there, done already, or another user's: the same answer
        return render(request, "message.html", 404, title="Not found", text="There is no such pending reminder.")
    zone = local_zone(web(request).settings)
    return render(request, "cancel.html", reminder=reminder, due=reminder.due_at.astimezone(zone))


@router.post("/agenda/reminders/{rid}/cancel")
async def cancel(request: Request, rid: RowId, user: str = Depends(page_user), csrf: str = Form("")) -> Response:
    check_csrf(request, csrf)
    done = await ReminderSchedule(web(request).db).set_status(user, rid, "cancelled")
    return RedirectResponse(f"/agenda?cancelled={int(done)}", 303)


@router.post("/agenda/calendar", response_class=HTMLResponse)
async def connect(
    request: Request, user: str = Depends(page_user), csrf: str = Form(""), url: str = Form(""),
    username: str = Form(""), password: str = Form(""), calendar: str = Form(""),
) -> Response:
    """Connect a CalDAV calendar: read once to check it, saved only when that worked."""
    check_csrf(request, csrf)
    state = web(request)
    try:
        if not url.strip().startswith(("https://", "http://")):
            raise InputError("Give the calendar server's address, starting with https://.")
        await connect_caldav(state.db, state.settings.data_dir, user, url.strip(), username.strip(),
                             password, calendar.strip())
    except OS1Error as exc:
        return await show(request, user, 400, connect_error=str(exc), url=url, username=username,
                          calendar=calendar)
    return RedirectResponse("/agenda?connected=1", 303)
