"""OS1's own REST API (`/api/…`) with its OpenAPI schema at `/api/openapi.json`: what a script,
a home-automation bridge or another app needs of the companion's state — the memories and where
they were heard, the diary, the conversation, the reminders, the export.

Everything here calls the same services as the pages and the CLI (the memory index, the reminder
schedule with the reminders skill's date rules, the store's export); the API key made on the
settings page says whose data it is, and no endpoint reaches another user's rows. Forgetting
cannot be undone, so it is only done when the request says `confirm=true` — the API's form of
the question the page and the CLI ask first.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from os1 import __version__
from os1.core.context import local_zone
from os1.core.schedule import Reminder, ReminderSchedule
from os1.core.scheduler import poke_all
from os1.errors import OS1Error
from os1.interfaces.web.security import RowId
from os1.interfaces.web.server import WebState
from os1.memory.reflection import read_diary
from os1.skills.reminders.tools import STALE, kind_of, when_of

bearer = HTTPBearer(auto_error=False, description="An API key made on the settings page.")


class Problem(BaseModel):
    detail: str


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "No valid API key."},
    422: {"description": "The request does not match the schema."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "No such item of this user's."}}


def api_user(request: Request, key: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str:
    """The user whose API key this is; a stranger learns nothing, not even whether an id exists."""
    user = request.app.state.web.accounts.user_for_key(key.credentials.strip()) if key else None
    if user is None:
        raise HTTPException(401, "A valid API key is needed (make one on the settings page).",
                            headers={"WWW-Authenticate": "Bearer"})
    return str(user)


router = APIRouter(prefix="/api", tags=["companion"], responses=ERRORS)
User = Annotated[str, Depends(api_user)]


def web(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


# -- memories ---------------------------------------------------------------------------------
class HeardFrom(BaseModel):
    message_id: int
    said: str
    at: datetime


class MemoryOut(BaseModel):
    id: int
    kind: str = Field(description="turn | fact | insight")
    content: str
    happened_at: datetime
    current: bool = Field(description="false for a fact a newer one replaced")
    heard: list[HeardFrom] = Field(description="the user's words it came from (provenance)")


class Forgotten(BaseModel):
    forgotten: int


@router.get("/memories", response_model=list[MemoryOut])
async def memories(
    request: Request, user: User,
    q: Annotated[str, Query(max_length=500, description="words to recall by; empty: the newest")] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[MemoryOut]:
    """The newest memories, or those the companion itself would recall for these words."""
    state = web(request)
    index = state.index()
    if q.strip():
        found = await index.search(user, q.strip(), k=limit, now=datetime.now(local_zone(state.settings)))
    else:
        found = await index.recent(user, limit)
    ids = sorted({s["message"] for m in found for s in m.sources if isinstance(s, dict) and "message" in s})
    said = await index.messages_by_id(user, ids) if ids else {}
    return [MemoryOut(
        id=m.id, kind=m.kind, content=m.content, happened_at=m.happened_at, current=m.valid_to is None,
        heard=[HeardFrom(message_id=s["message"], said=said[s["message"]][0], at=said[s["message"]][1])
               for s in m.sources if isinstance(s, dict) and s.get("message") in said],
    ) for m in found]


@router.delete("/memories/{memory_id}", response_model=Forgotten,
               responses=NOT_FOUND | {409: {"model": Problem, "description": "Not confirmed: nothing forgotten."}})
async def forget(
    request: Request, user: User, memory_id: RowId,
    confirm: Annotated[bool, Query(description="true to forget it: it cannot be undone")] = False,
) -> Forgotten:
    index = web(request).index()
    if memory_id not in await index.get(user, [memory_id]):  # only this user's rows match
        raise HTTPException(404, "There is no such memory.")
    if not confirm:
        raise HTTPException(409, "Forgetting cannot be undone: send confirm=true to forget it.")
    return Forgotten(forgotten=await index.forget(user, [memory_id]))


# -- diary and conversation -------------------------------------------------------------------
class DiaryEntry(BaseModel):
    written_at: datetime
    text: str
    sources: int = Field(description="how many conversations it reflects on")


class MessageOut(BaseModel):
    id: int
    role: str
    content: str
    at: datetime


@router.get("/diary", response_model=list[DiaryEntry])
async def diary(request: Request, user: User, limit: Annotated[int, Query(ge=1, le=200)] = 20) -> list[DiaryEntry]:
    """The companion's own diary, written after reflecting on the conversations."""
    entries = await read_diary(web(request).core.store, user, limit)
    return [DiaryEntry(written_at=when, text=text, sources=len(sources)) for when, text, sources in entries]


@router.get("/messages", response_model=list[MessageOut])
async def messages(request: Request, user: User, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[MessageOut]:
    """The newest messages of the conversation, oldest first (what the user and the companion said)."""
    store = web(request).core.store
    total = await store.count_messages(user)
    shown = await store.messages(user, offset=max(0, total - limit), limit=limit)
    return [MessageOut(id=m.id, role=m.role, content=m.content, at=m.created_at)
            for m in shown if m.role in ("user", "assistant") and m.content.strip()]


# -- reminders --------------------------------------------------------------------------------
class ReminderOut(BaseModel):
    id: int
    kind: str
    text: str
    due_at: datetime
    status: str


class NewReminder(BaseModel):
    what: str = Field(min_length=1, max_length=300, pattern=r"\S", description="e.g. 'call my mother'")
    day: str = Field("", max_length=100, description="as a person says it, e.g. 'Sunday'; empty: today")
    time: str = Field("", max_length=100, description="e.g. '7am', 'in 20 minutes'")


def _out(r: Reminder) -> ReminderOut:
    return ReminderOut(id=r.id, kind=r.kind, text=r.text, due_at=r.due_at, status=r.status)


@router.get("/reminders", response_model=list[ReminderOut])
async def reminders(
    request: Request, user: User,
    status: Literal["pending", "fired", "cancelled", "dropped", "all"] = "pending",
) -> list[ReminderOut]:
    found = await ReminderSchedule(web(request).db).list(user, None if status == "all" else status)
    return [_out(r) for r in found]


@router.post("/reminders", response_model=ReminderOut, status_code=201,
             responses={400: {"model": Problem, "description": "The day or time is not understood or past."}})
async def add_reminder(request: Request, user: User, body: NewReminder) -> ReminderOut:
    """A reminder as `os1 reminders add` and the agenda page make it: the same date rules."""
    zone = local_zone(web(request).settings)
    try:
        moment = when_of(body.day, body.time, datetime.now(UTC), zone, body.what)
    except OS1Error as exc:
        raise HTTPException(400, str(exc)) from exc
    kind = kind_of(body.what)
    schedule = ReminderSchedule(web(request).db)
    rid = await schedule.add(user, kind, body.what.strip(), moment, zone=str(zone), stale_after_s=STALE[kind])
    poke_all()
    made = await schedule.get(user, rid) if rid is not None else None  # None only with a source_key
    assert made is not None
    return _out(made)


@router.delete("/reminders/{rid}", response_model=ReminderOut, responses=NOT_FOUND)
async def cancel_reminder(request: Request, user: User, rid: RowId) -> ReminderOut:
    """Cancel a pending reminder of this user's."""
    schedule = ReminderSchedule(web(request).db)
    if not await schedule.set_status(user, rid, "cancelled"):
        raise HTTPException(404, "There is no such pending reminder.")
    cancelled = await schedule.get(user, rid)
    assert cancelled is not None
    return _out(cancelled)


# -- export and the schema --------------------------------------------------------------------
@router.get("/export", response_model=dict[str, Any])
async def export(request: Request, user: User) -> dict[str, Any]:
    """Everything the companion keeps of this user, in the portable form `os1 memory export` writes."""
    return await web(request).core.store.export_user(user)


def schema() -> dict[str, Any]:
    """The OpenAPI document of the endpoints above (the pages and /v1 are documented elsewhere)."""
    return get_openapi(title="OS1", version=__version__, routes=router.routes,
                       description="The companion's own REST API. Authenticate with an API key.")


@router.get("/openapi.json", include_in_schema=False)
async def openapi(user: User) -> JSONResponse:
    return JSONResponse(schema())
