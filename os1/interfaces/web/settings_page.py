"""The settings page: pairing a phone, API keys, quiet hours, the companion's voice, and which
model answers (chosen by the server's owner only: every account shares it; model_switch.py).

Quiet hours are the proactive channel's own preferences (os1/core/preferences.py), read by the
channel each time it decides what may be said, so a change counts from the next message on.
The voice is the profile entry the interview writes (os1/core/interview.py `set_voice`).
"""

from __future__ import annotations

from typing import Any

import segno
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from os1.core.interview import VOICE_CHOICES, set_voice
from os1.core.preferences import get_prefs, set_prefs
from os1.core.proactive import parse_hhmm
from os1.errors import InputError
from os1.interfaces.web.model_switch import embedded_choices, model_state, switch_model, wanted_settings
from os1.interfaces.web.pages import page_user, render, web
from os1.interfaces.web.security import check_csrf, log_in

router = APIRouter()
VOICES = {"female": "Female", "male": "Male", "any": "No preference"}
SAVED = {
    "quiet": "Quiet hours saved.", "voice": "Voice saved.",
    "model": "Model saved: it answers from the next message on.",
    "model-env": "Model saved: it answers from the next message on. An OS1_LLM__… environment "
                 "variable names another model, which will be used again when OS1 next starts.",
}


async def show(request: Request, user: str, status: int = 200, **extra: Any) -> HTMLResponse:
    """The settings page with everything it shows; `extra` adds a new key, a pairing code, an
    error or the values just typed."""
    state = web(request)
    prefs = await get_prefs(state.db, user)
    profile = await state.core.store.profile(user)
    values: dict[str, Any] = {
        "keys": state.accounts.keys(user), "new_key": None, "acts": state.accounts.api_acts(user),
        "quiet_start": prefs["quiet_start"], "quiet_end": prefs["quiet_end"],
        "voice": profile.get("voice", "any"), "voices": VOICES, "llm": state.settings.llm,
        "saved": SAVED.get(request.query_params.get("saved", ""), ""),
        "owner": state.accounts.owner(), "choices": embedded_choices(state), "model_state": model_state(state),
        "server_url": state.settings.llm.base_url, "server_model": state.settings.llm.model if state.settings.llm.backend == "openai" else "",
    }
    return render(request, "settings.html", status, **(values | extra))


@router.get("/settings", response_class=HTMLResponse)
async def settings_page(request: Request, user: str = Depends(page_user)) -> HTMLResponse:
    return await show(request, user)


@router.post("/settings/keys", response_class=HTMLResponse)
async def new_key(request: Request, user: str = Depends(page_user), csrf: str = Form("")) -> HTMLResponse:
    check_csrf(request, csrf)
    return await show(request, user, new_key=await web(request).accounts.new_key(user))


@router.post("/settings/keys/{key_id}/revoke")
async def revoke_key(request: Request, key_id: str, user: str = Depends(page_user), csrf: str = Form("")) -> Response:
    check_csrf(request, csrf)
    await web(request).accounts.revoke_key(user, key_id)
    return RedirectResponse("/settings", 303)


@router.post("/settings/pair", response_class=HTMLResponse)
async def pair(request: Request, user: str = Depends(page_user), csrf: str = Form("")) -> HTMLResponse:
    """A QR code that logs a phone in as this user, once, within minutes: no password typed on
    a phone keyboard, and nothing to remember."""
    check_csrf(request, csrf)
    state = web(request)
    link = f"{state.base_url}/pair?token={state.accounts.new_pairing(user)}"
    qr = segno.make(link, error="m").svg_data_uri(scale=5, border=2)
    return await show(request, user, pairing=link, qr=qr,
                      reachable=state.base_url.startswith("https://") and "127.0.0.1" not in state.base_url)


@router.get("/pair")
async def paired(request: Request, token: str = "") -> Response:
    """The phone's side of pairing: a valid code logs it in."""
    state = web(request)
    user = state.accounts.use_pairing(token)
    if user is None:
        return render(request, "message.html", 404, title="Code not valid",
                      text="This pairing code was used already or has expired. Make a new one in Settings.")
    log_in(request, user, state.accounts.generation(user) or 0)
    return RedirectResponse("/", 303)


@router.post("/settings/api-acts")
async def api_acts(request: Request, user: str = Depends(page_user), csrf: str = Form(""), on: str = Form("")) -> Response:
    """Whether the API may act (notes, mail, calendar) without asking: off unless turned on."""
    check_csrf(request, csrf)
    await web(request).accounts.set_api_acts(user, on == "yes")
    return RedirectResponse("/settings", 303)


def _time_of_day(text: str, which: str) -> str:
    """HH:MM as the proactive channel reads it back ("7:30" becomes "07:30")."""
    try:
        return f"{parse_hhmm(text.strip()):%H:%M}"
    except ValueError:
        raise InputError(f"The {which} '{text.strip()}' is not a time of day: give it as HH:MM, "
                         "for example 22:00.") from None


@router.post("/settings/quiet", response_class=HTMLResponse)
async def quiet_hours(
    request: Request, user: str = Depends(page_user), csrf: str = Form(""),
    start: str = Form(""), end: str = Form(""),
) -> Response:
    """When OS1 does not speak first (alarms and the user's own reminders still come). Both
    empty: no quiet hours."""
    check_csrf(request, csrf)
    try:
        if bool(start.strip()) != bool(end.strip()):
            raise InputError("Give both the start and the end of the quiet hours, or leave both empty.")
        values = {"quiet_start": "", "quiet_end": ""}
        if start.strip():
            values = {"quiet_start": _time_of_day(start, "start"), "quiet_end": _time_of_day(end, "end")}
    except InputError as exc:
        return await show(request, user, 400, quiet_error=str(exc), quiet_start=start, quiet_end=end)
    await set_prefs(web(request).db, user, values)
    return RedirectResponse("/settings?saved=quiet", 303)


@router.post("/settings/voice", response_class=HTMLResponse)
async def voice(request: Request, user: str = Depends(page_user), csrf: str = Form(""), voice: str = Form("")) -> Response:
    check_csrf(request, csrf)
    if voice not in VOICE_CHOICES:
        return await show(request, user, 400, voice_error="Choose one of the voices listed.")
    await set_voice(web(request).core.store, user, voice)
    return RedirectResponse("/settings?saved=voice", 303)


@router.post("/settings/model", response_class=HTMLResponse)
async def model(
    request: Request, user: str = Depends(page_user), csrf: str = Form(""), pick: str = Form(""),
    server_url: str = Form(""), server_model: str = Form(""), api_key: str = Form(""),
    forget_key: str = Form(""),
) -> Response:
    """Which model answers, for every account: only the owner may change it. `pick` is
    "embedded:<catalogue name>" or "openai" (the server in the other fields)."""
    check_csrf(request, csrf)
    state = web(request)
    if user != state.accounts.owner():
        return await show(request, user, 403, model_error=f"Only {state.accounts.owner()}, who set up "
                          "this server, can change the model: every account shares it.")
    try:
        backend, _, name = pick.partition(":")
        wanted = wanted_settings(state, backend, name if backend == "embedded" else server_model,
                                 server_url, api_key, forget_key == "yes")
        overridden = await switch_model(state, wanted)
    except InputError as exc:  # what was typed stays, the key excepted
        return await show(request, user, 400, model_error=str(exc), server_url=server_url,
                          server_model=server_model, backend_chosen=pick.partition(":")[0])
    return RedirectResponse(f"/settings?saved={'model-env' if overridden else 'model'}#model", 303)
