"""The mail page: new mail, one message, and moving a message to a triage folder with undo.

The page calls the mail skill as `os1 mail new`, `read`, `correct` and `undo` do: the same
numbers (`reader.whats_new` numbers each message once, for good), the same journaled move, so
that the undo here is the undo of the command line. A message's text is data: Jinja escapes
it, so nothing in a mail is ever markup on the page. Sending is not here: it goes through the
chat, where the exact message is shown and confirmed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from os1.core.context import local_zone
from os1.errors import OS1Error
from os1.interfaces.web.pages import page_user, render, web
from os1.interfaces.web.security import RowId, check_csrf
from os1.skills.mail import reader
from os1.skills.mail.errors import NoAccountError
from os1.skills.mail.quoting import mail_signs, user_warning
from os1.skills.mail.repository import CATEGORIES
from os1.skills.mail.service import MailService
from os1.skills.mail.triage import correct, undo

router = APIRouter()


async def _service(request: Request, user: str) -> MailService | None:
    """The user's mail account (the first, as the commands use by default); None without one."""
    state = web(request)
    try:
        return await MailService.open(state.settings, state.core.store, user)
    except NoAccountError:
        return None


def _no_account(request: Request) -> HTMLResponse:
    return render(request, "mail.html", no_account=True)


def _failed(request: Request, exc: OS1Error, status: int = 502) -> HTMLResponse:
    """The server could not be reached, refused the login, or the message is gone: said plainly."""
    return render(request, "message.html", status, title="Mail", text=str(exc))


@router.get("/mail", response_class=HTMLResponse)
async def mail_list(request: Request, user: str = Depends(page_user)) -> HTMLResponse:
    """Mail that came since the last check. Looking does not count as checking (the companion
    still tells of it); "Mark these as seen" does."""
    svc = await _service(request, user)
    if svc is None:
        return _no_account(request)
    try:
        listed = await reader.whats_new(svc, mark=False)
    except OS1Error as exc:
        return _failed(request, exc)
    zone = local_zone(svc.settings)
    q = request.query_params
    return render(request, "mail.html", listed=listed, zone=zone, address=svc.account.address,
                  moved=q.get("moved", ""), to=q.get("to", ""), run=q.get("run", ""), undone=q.get("undone"))


@router.post("/mail/seen")
async def mark_seen(request: Request, user: str = Depends(page_user), csrf: str = Form("")) -> Response:
    check_csrf(request, csrf)
    svc = await _service(request, user)
    if svc is None:
        return _no_account(request)
    try:
        await reader.whats_new(svc, mark=True)
    except OS1Error as exc:
        return _failed(request, exc)
    return RedirectResponse("/mail", 303)


@router.get("/mail/{local_id}", response_class=HTMLResponse)
async def read_one(request: Request, local_id: RowId, user: str = Depends(page_user)) -> HTMLResponse:
    svc = await _service(request, user)
    if svc is None:
        return _no_account(request)
    try:
        mail, folder = await reader.read(svc, local_id)  # only this user's numbers are found
    except OS1Error as exc:
        return _failed(request, exc, 404)
    categories = {c: svc.account.folder(c) for c in CATEGORIES}
    return render(request, "mail_message.html", id=local_id, mail=mail, folder=folder,
                  zone=local_zone(svc.settings), categories=categories,
                  warning=user_warning([(local_id, mail)]) if mail_signs(mail) else "")


@router.post("/mail/{local_id}/move")
async def move(
    request: Request, local_id: RowId, user: str = Depends(page_user), csrf: str = Form(""),
    category: str = Form(""), learn: str = Form(""),
) -> Response:
    """`os1 mail correct`: into the folder, journaled for undo; with `learn`, the sender's mail
    goes there from now on."""
    check_csrf(request, csrf)
    svc = await _service(request, user)
    if svc is None:
        return _no_account(request)
    if category not in CATEGORIES:
        return render(request, "message.html", 400, title="Mail", text="Choose one of the folders listed.")
    try:
        before = await svc.mail.last_batch(user, svc.account.id)
        folder = await correct(svc, local_id, category, learn=learn == "yes")
        run = await svc.mail.last_batch(user, svc.account.id)
    except OS1Error as exc:
        return _failed(request, exc, 404)
    undo_run = run if run and run != before else ""  # already there: nothing moved, nothing to undo
    return RedirectResponse("/mail?" + urlencode({"moved": local_id, "to": folder, "run": undo_run}), 303)


@router.post("/mail/undo")
async def undo_move(request: Request, user: str = Depends(page_user), csrf: str = Form(""), run: str = Form("")) -> Response:
    """`os1 mail undo --run`: every message of that run moves back where it was."""
    check_csrf(request, csrf)
    svc = await _service(request, user)
    if svc is None:
        return _no_account(request)
    if not run:
        return render(request, "message.html", 400, title="Mail", text="There is nothing to undo.")
    try:
        _, back = await undo(svc, run)  # the run's moves are looked up among this user's only
    except OS1Error as exc:
        return _failed(request, exc)
    return RedirectResponse(f"/mail?undone={back}", 303)
