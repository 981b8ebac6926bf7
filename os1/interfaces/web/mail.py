"""The mail page: adding the account, new mail, one message, moving a message to a triage
folder, sorting the whole inbox, and undo.

The page calls the mail skill as `os1 mail add`, `new`, `read`, `correct`, `triage` and `undo`
do (the account's two logins checked before it is saved; the same
numbers (`reader.whats_new` numbers each message once, for good), the same journaled move, so
that the undo here is the undo of the command line. A message's text is data: Jinja escapes
it, so nothing in a mail is ever markup on the page. Sorting the inbox runs after the request
has answered (jobs.py) and the page shows how far it got; it is resumable and undone as one run.
Sending is not here: it goes through the chat, where the exact message is shown and confirmed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from os1.core.context import local_zone
from os1.errors import OS1Error
from os1.interfaces.web.jobs import Job
from os1.interfaces.web.pages import page_user, render, web
from os1.interfaces.web.security import RowId, check_csrf
from os1.skills.mail import reader
from os1.skills.mail.accounts import AccountInput, add_account
from os1.skills.mail.errors import NoAccountError
from os1.skills.mail.quoting import mail_signs, user_warning
from os1.skills.mail.repository import CATEGORIES
from os1.skills.mail.service import MailService
from os1.skills.mail.store import mail_repository
from os1.skills.mail.triage import TriageReport, correct, triage, undo

router = APIRouter()
SORTING = "mail-sort"  # the job's kind


async def _service(request: Request, user: str) -> MailService | None:
    """The user's mail account (the first, as the commands use by default); None without one."""
    state = web(request)
    try:
        return await MailService.open(state.settings, state.core.store, user)
    except NoAccountError:
        return None


def _no_account(request: Request, status: int = 200, error: str = "", **form: str) -> HTMLResponse:
    """The form to add the account, as `os1 mail add` takes it (the password is never shown back)."""
    return render(request, "mail.html", status, no_account=True, error=error, form=form)


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
    jobs = web(request).jobs
    sorting = jobs.get(user, SORTING)
    try:  # not while the inbox is being sorted: a message moved mid-read fails the read
        listed = [] if sorting is not None and sorting.running else await reader.whats_new(svc, mark=False)
    except OS1Error as exc:
        return _failed(request, exc)
    zone = local_zone(svc.settings)
    q = request.query_params
    if sorting is not None and not sorting.running:
        jobs.dismiss(user, SORTING)  # its result is shown this once
    return render(request, "mail.html", listed=listed, zone=zone, address=svc.account.address,
                  moved=q.get("moved", ""), to=q.get("to", ""), run=q.get("run", ""), undone=q.get("undone"),
                  sorting=sorting, added=q.get("added", ""))


@router.post("/mail/account", response_class=HTMLResponse)
async def add_mail_account(
    request: Request, user: str = Depends(page_user), csrf: str = Form(""),
    address: str = Form(""), password: str = Form(""), imap_host: str = Form(""), smtp_host: str = Form(""),
    imap_port: int = Form(993), imap_tls: str = Form("ssl"), smtp_port: int = Form(587),
    smtp_tls: str = Form("starttls"), username: str = Form(""), display_name: str = Form(""),
) -> Response:
    """`os1 mail add`: both logins are tried first; nothing is saved unless they work."""
    check_csrf(request, csrf)
    form = {"address": address, "imap_host": imap_host, "smtp_host": smtp_host, "imap_port": str(imap_port),
            "imap_tls": imap_tls, "smtp_port": str(smtp_port), "smtp_tls": smtp_tls,
            "username": username, "display_name": display_name}
    if not (address.strip() and password and imap_host.strip() and smtp_host.strip()):
        return _no_account(request, 400, "The address, the password and both servers are needed.", **form)
    state = web(request)
    data = AccountInput("default", address.strip(), imap_host.strip(), smtp_host.strip(),
                        username.strip() or address.strip(), password, imap_port, imap_tls, smtp_port,
                        smtp_tls, display_name.strip())
    try:
        added = await add_account(state.settings, mail_repository(state.core.store), user, data)
    except OS1Error as exc:  # a wrong password, a server that does not answer, a bad address
        return _no_account(request, 400, str(exc), **form)
    return RedirectResponse("/mail?" + urlencode({"added": added.address}), 303)


@router.post("/mail/sort")
async def sort_inbox(request: Request, user: str = Depends(page_user), csrf: str = Form("")) -> Response:
    """`os1 mail triage`: the whole inbox, with the companion's model; the page shows progress."""
    check_csrf(request, csrf)
    svc = await _service(request, user)
    if svc is None:
        return _no_account(request)
    llm = web(request).core.llm

    async def work(job: Job) -> TriageReport:
        return await triage(svc, llm, progress=job.progress)

    web(request).jobs.start(user, SORTING, work)
    return RedirectResponse("/mail", 303)


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
