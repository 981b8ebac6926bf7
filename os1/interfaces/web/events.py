"""Calendar events from the agenda page: add, move and cancel, with the words a person uses for a
day and a time ("friday", "4pm"), exactly as `os1 calendar add` and the companion's tools read
them (the calendar skill's date rules and its `move_to`). Cancelling asks first, like forgetting,
and a cancelled event can be brought back from the page (the skill keeps its text in the trash).

An event is named in a URL by its uid and the start of the occurrence, so a repeating event's
"this Tuesday" is never confused with next week's; the occurrence is looked up again in this
user's own calendar before anything changes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from os1.core.accounts import account
from os1.core.context import local_zone
from os1.errors import InputError, OS1Error
from os1.interfaces.web.agenda import show
from os1.interfaces.web.pages import page_user, render, web
from os1.interfaces.web.security import check_csrf
from os1.skills.calendar import resolve
from os1.skills.calendar.ical import Occurrence
from os1.skills.calendar.service import CalendarService, open_service

router = APIRouter()
MAX_TITLE_CHARS = 200  # as the add_event tool allows


async def _calendar(request: Request, user: str) -> CalendarService:
    state = web(request)
    caldav = await account(state.db, state.settings.data_dir, user, "caldav")
    return open_service(state.settings.data_dir, user, local_zone(state.settings), caldav)


async def _occurrence(cal: CalendarService, uid: str, at: str) -> Occurrence | None:
    """The occurrence of event `uid` that starts at `at` (ISO), if this user's calendar has it."""
    try:
        start = datetime.fromisoformat(at)
    except ValueError:
        return None
    if start.tzinfo is None:
        return None
    found = await cal.agenda(start - timedelta(minutes=1), start + timedelta(minutes=1))
    return next((o for o in found if o.uid == uid and o.start == start.astimezone(UTC)), None)


async def _event(request: Request, user: str, uid: str, at: str) -> tuple[CalendarService, Occurrence] | None:
    """This user's calendar and the occurrence a page names, or None when it has none such."""
    cal = await _calendar(request, user)
    occ = await _occurrence(cal, uid, at)
    return None if occ is None else (cal, occ)


def _move_page(request: Request, cal: CalendarService, occ: Occurrence, at: str, status: int = 200,
               error: str = "", day: str = "", time: str = "") -> HTMLResponse:
    return render(request, "event_move.html", status, occ=occ, described=occ.describe(cal.zone), at=at,
                  error=error, day=day, time=time)


def _not_found(request: Request) -> HTMLResponse:
    return render(request, "message.html", 404, title="Not found", text="There is no such event in your calendar.")


@router.post("/agenda/events", response_class=HTMLResponse)
async def add(
    request: Request, user: str = Depends(page_user), csrf: str = Form(""), title: str = Form(""),
    day: str = Form(""), time: str = Form(""), minutes: int = Form(60),
) -> Response:
    """An event as `os1 calendar add` makes it; the form filled in and sent is the user's yes."""
    check_csrf(request, csrf)
    cal = await _calendar(request, user)
    typed: dict[str, Any] = {"title": title, "event_day": day, "event_time": time, "minutes": minutes}
    try:
        if not title.strip():
            raise InputError("Say what the event is.")
        if len(title) > MAX_TITLE_CHARS or not 5 <= minutes <= 24 * 60:
            raise InputError(f"A title of at most {MAX_TITLE_CHARS} characters, 5 minutes to a day long.")
        if not day.strip():
            raise InputError("Say which day.")
        start = resolve.resolve_when(day, time, datetime.now(UTC), cal.zone, hint=title)
        end = start + (timedelta(minutes=minutes) if isinstance(start, datetime) else timedelta(days=1))
        occ = await cal.add(title.strip(), start, end)
    except OS1Error as exc:
        return await show(request, user, 400, event_error=str(exc), **typed)
    return RedirectResponse("/agenda?" + urlencode({"event": occ.describe(cal.zone)}), 303)


@router.get("/agenda/events/move", response_class=HTMLResponse)
async def move_form(request: Request, uid: str = Query(max_length=500), at: str = Query(max_length=64),
                    user: str = Depends(page_user)) -> HTMLResponse:
    if (found := await _event(request, user, uid, at)) is None:
        return _not_found(request)
    cal, occ = found
    return _move_page(request, cal, occ, at)


@router.post("/agenda/events/move", response_class=HTMLResponse)
async def move(
    request: Request, user: str = Depends(page_user), csrf: str = Form(""), uid: str = Form(""),
    at: str = Form(""), day: str = Form(""), time: str = Form(""),
) -> Response:
    """To the day and time given; an empty one keeps the event's own."""
    check_csrf(request, csrf)
    if (found := await _event(request, user, uid, at)) is None:
        return _not_found(request)
    cal, occ = found
    try:
        if not (day.strip() or time.strip()):
            raise InputError("Say the new day, the new time, or both.")
        moved = await cal.move_to(occ, day, time, datetime.now(UTC))
    except OS1Error as exc:
        return _move_page(request, cal, occ, at, 400, str(exc), day, time)
    return RedirectResponse("/agenda?" + urlencode({"event": moved.describe(cal.zone)}), 303)


@router.get("/agenda/events/cancel", response_class=HTMLResponse)
async def cancel_form(request: Request, uid: str = Query(max_length=500), at: str = Query(max_length=64),
                      user: str = Depends(page_user)) -> HTMLResponse:
    if (found := await _event(request, user, uid, at)) is None:
        return _not_found(request)
    cal, occ = found
    return render(request, "event_cancel.html", occ=occ, described=occ.describe(cal.zone), at=at)


@router.post("/agenda/events/cancel")
async def cancel(request: Request, user: str = Depends(page_user), csrf: str = Form(""),
                 uid: str = Form(""), at: str = Form("")) -> Response:
    """One occurrence of a repeating event, or the whole of a single one (kept for undo)."""
    check_csrf(request, csrf)
    if (found := await _event(request, user, uid, at)) is None:
        return _not_found(request)
    cal, occ = found
    try:
        said = await cal.cancel(occ)
    except OS1Error as exc:
        return render(request, "message.html", 409, title="Not cancelled", text=str(exc))
    undo = {} if occ.recurring else {"restore": occ.uid}  # one occurrence is not kept whole
    return RedirectResponse("/agenda?" + urlencode({"event": said} | undo), 303)


@router.post("/agenda/events/restore")
async def restore(request: Request, user: str = Depends(page_user), csrf: str = Form(""),
                  uid: str = Form("")) -> Response:
    """Undo a cancel: the event's kept text goes back into the calendar."""
    check_csrf(request, csrf)
    cal = await _calendar(request, user)  # this user's own trash folder
    try:
        await cal.restore(uid)
    except OS1Error as exc:
        return render(request, "message.html", 404, title="Not restored", text=str(exc))
    return RedirectResponse("/agenda?" + urlencode({"event": "The event is back in your calendar."}), 303)
