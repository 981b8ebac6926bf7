"""The server-rendered pages: setup, login, the chat page with its history, memory, the diary,
and the installable app's manifest, service worker and offline page (settings, the agenda and
mail have modules of their own, which share `page_user` and `render` from here).

Every page but setup, login and the app's shell needs a logged-in user, and every query is that
user's: the name comes from the signed session, never from the request's own fields.

The chat's history shows what the live page showed: the words, and each piece of music a tool
composed or played again (found in the tool's stored result, as the live page finds it).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from os1.core.context import local_zone
from os1.core.media import media_in
from os1.errors import InputError
from os1.interfaces.web.security import RowId, check_csrf, csrf_token, log_in, session_user
from os1.interfaces.web.server import HERE, WebState
from os1.interfaces.web.tls import tls_dir
from os1.memory.reflection import read_diary
from os1.skills.music.service import named_piece
from os1.storage.base import StoredMessage

router = APIRouter()
HISTORY_SHOWN = 60  # messages of history on the chat page
MEMORIES_SHOWN = 200


def web(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def page_user(request: Request) -> str:
    """The logged-in user; anyone else is sent to the login page."""
    user = session_user(request, web(request).accounts)
    if user is None:
        raise HTTPException(303, headers={"Location": "/login"})
    return user


def render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    values.setdefault("user", session_user(request, web(request).accounts))
    values["csrf"] = csrf_token(request)
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, values, status_code=status
    )
    return response


# -- setup and login ------------------------------------------------------------------------
@router.get("/setup", response_class=HTMLResponse)
async def setup_form(request: Request, token: str = "") -> HTMLResponse:
    if not web(request).accounts.setup_valid(token):
        return render(request, "message.html", 404, title="Link not valid",
                      text="This setup link was used already or has expired. "
                           "Start 'os1 serve --invite' for a new one.")
    return render(request, "setup.html", token=token, name=web(request).settings.user)


@router.post("/setup")
async def setup(
    request: Request, token: str = Form(), name: str = Form(), password: str = Form(),
    again: str = Form(), csrf: str = Form(""),
) -> Response:
    check_csrf(request, csrf)
    accounts = web(request).accounts
    try:
        if password != again:
            raise InputError("The two passwords are not the same.")
        await accounts.create(token, name.strip(), password)
    except InputError as exc:
        return render(request, "setup.html", 400, token=token, name=name, error=str(exc))
    log_in(request, name.strip(), accounts.generation(name.strip()) or 0)
    return RedirectResponse("/", 303)


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request) -> HTMLResponse:
    return render(request, "login.html")


@router.post("/login")
async def login(request: Request, name: str = Form(), password: str = Form(), csrf: str = Form("")) -> Response:
    check_csrf(request, csrf)
    state = web(request)
    address = request.client.host if request.client else "?"
    if wait := state.logins.retry_after("a:" + address, "n:" + name):
        response = render(request, "login.html", 429, error=f"Too many tries. Wait {wait} seconds.")
        response.headers["Retry-After"] = str(wait)
        return response
    if not await state.accounts.check(name, password):
        state.logins.hit("a:" + address, "n:" + name)
        return render(request, "login.html", 401, error="That name and password do not match.")
    log_in(request, name, state.accounts.generation(name) or 0)
    return RedirectResponse("/", 303)


@router.post("/logout")
async def logout(request: Request, user: str = Depends(page_user), csrf: str = Form("")) -> Response:
    check_csrf(request, csrf)
    await web(request).accounts.end_sessions(user)  # every session of the account, not just this one
    request.session.clear()
    return RedirectResponse("/login", 303)


# -- chat -----------------------------------------------------------------------------------
def shown_in_chat(result: str) -> dict[str, str | int] | None:
    """What the chat shows of a piece a tool composed or found again, live or in the history:
    the links it plays and draws it from (by number, served only to its user) and where it is
    listed."""
    named = named_piece(result) if media_in(result) is not None else None
    if named is None:
        return None
    number, moment = named
    return {"number": number, "moment": moment, "audio": f"/music/{number}/ogg",
            "score": f"/music/{number}/svg", "pdf": f"/music/{number}/pdf", "page": f"/music#piece-{number}"}


def history_rows(messages: list[StoredMessage]) -> list[dict[str, Any]]:
    """The stored conversation as the page shows it: the words of both sides, and each piece a
    tool's stored result names, where the turn showed it (before the reply about it)."""
    rows: list[dict[str, Any]] = []
    for m in messages:
        if m.role == "tool":
            if (piece := shown_in_chat(m.content)) is not None:
                rows.append({"role": "piece", "piece": piece})
        elif m.role in ("user", "assistant") and m.content.strip():
            rows.append({"role": m.role, "content": m.content})
    return rows


@router.get("/", response_class=HTMLResponse)
async def chat(request: Request, user: str = Depends(page_user)) -> HTMLResponse:
    store = web(request).core.store
    name = (await store.profile(user)).get("companion_name")
    shown = []
    if name:  # before, an unfinished interview starts again: its old questions are not shown
        total = await store.count_messages(user)
        shown = history_rows(await store.messages(user, offset=max(0, total - HISTORY_SHOWN)))
    return render(request, "chat.html", history=shown, name=name or "OS1")


# -- memory ---------------------------------------------------------------------------------
@router.get("/memory", response_class=HTMLResponse)
async def memory(request: Request, user: str = Depends(page_user), forgot: int = 0, q: str = "") -> HTMLResponse:
    """The newest memories, or with `q` those the companion itself would recall for these words."""
    state = web(request)
    index = state.index()
    if q.strip():
        memories = await index.search(user, q.strip()[:500], k=20, now=datetime.now(local_zone(state.settings)))
    else:
        memories = await index.recent(user, MEMORIES_SHOWN)
    ids = sorted({s["message"] for m in memories for s in m.sources if isinstance(s, dict) and "message" in s})
    heard = await index.messages_by_id(user, ids) if ids else {}
    rows = []
    for m in memories:
        said = [heard[s["message"]] for s in m.sources
                if isinstance(s, dict) and s.get("message") in heard]
        rows.append({"memory": m, "said": said})
    return render(request, "memory.html", rows=rows, forgot=forgot, q=q)


@router.get("/diary", response_class=HTMLResponse)
async def diary(request: Request, user: str = Depends(page_user)) -> HTMLResponse:
    """The companion's own diary, written after reflecting on the conversations."""
    state = web(request)
    zone = local_zone(state.settings)
    entries = [(when.astimezone(zone), text, len(sources))
               for when, text, sources in await read_diary(state.core.store, user, 20)]
    return render(request, "diary.html", entries=entries)


@router.get("/memory/export")
async def export(request: Request, user: str = Depends(page_user)) -> Response:
    doc = await web(request).core.store.export_user(user)
    return Response(
        json.dumps(doc, indent=2, ensure_ascii=False, default=str), media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="os1-{user}.json"'},
    )


@router.get("/memory/{memory_id}/forget", response_class=HTMLResponse)
async def forget_form(request: Request, memory_id: RowId, user: str = Depends(page_user)) -> HTMLResponse:
    found = [m for m in await web(request).index().recent(user, 100_000) if m.id == memory_id]
    if not found:  # not there, or another user's: the same answer
        return render(request, "message.html", 404, title="Not found", text="There is no such memory.")
    return render(request, "forget.html", memory=found[0])


@router.post("/memory/{memory_id}/forget")
async def forget(request: Request, memory_id: RowId, user: str = Depends(page_user), csrf: str = Form("")) -> Response:
    check_csrf(request, csrf)
    gone = await web(request).index().forget(user, [memory_id])  # only this user's rows match
    return RedirectResponse(f"/memory?forgot={gone}", 303)


# -- the installable app (PWA): public, and holding no user data ---------------------------
# The service worker keeps only the app's shell (the offline page, style, script and icons):
# pages with a user's words are never cached, so a shared computer keeps nothing of them.
THEME = "#b3263a"


@router.get("/manifest.webmanifest")
async def manifest() -> JSONResponse:
    return JSONResponse({
        "name": "OS1",
        "short_name": "OS1",
        "description": "Your local-first companion.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#fdf8f4",
        "theme_color": THEME,
        "icons": [
            {"src": "/static/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png"},
            {"src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }, media_type="application/manifest+json")


@router.get("/sw.js")
async def service_worker() -> FileResponse:
    """Served from the root, so that it may control every page of the app (its scope is "/")."""
    return FileResponse(HERE / "static" / "sw.js", media_type="text/javascript")


@router.get("/offline", response_class=HTMLResponse)
async def offline(request: Request) -> HTMLResponse:
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, "offline.html", {"user": None, "csrf": ""})
    return response


@router.get("/tls/ca.pem")
async def tls_authority(request: Request) -> Response:
    """The certificate of this machine's own authority (`os1 serve --tls`), to install on a
    phone once. A certificate is public; the console prints its fingerprint to compare."""
    path = tls_dir(web(request).settings.data_dir) / "ca.pem"
    if not path.exists():
        return Response("This server has no certificate authority (start it with --tls).", 404)
    return FileResponse(path, media_type="application/x-x509-ca-cert", filename="os1-ca.pem")
