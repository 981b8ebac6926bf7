"""Where events live: a local folder of .ics files (the default, one file per event, like a
vdir) or a CalDAV calendar. Both speak the same small interface with ETags, so every change is
conditional: a write based on a stale copy is refused (StaleCopy) instead of overwriting."""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import quote

from os1.skills.calendar.errors import CalendarConflict, CalendarUnavailable, EventNotFound
from os1.storage.files import write_atomic

T = TypeVar("T")


@dataclass(frozen=True)
class Stored:
    """One event object as the backend holds it."""

    uid: str
    text: str
    etag: str
    href: str = ""


class StaleCopy(Exception):
    """The object changed since it was read (HTTP 412, or 409 from some servers): reload and
    decide again."""


class Backend(Protocol):
    name: str
    shared: bool  # changes here are seen by others: they go through confirmation

    async def in_range(self, start: datetime, end: datetime) -> list[Stored]: ...
    async def get(self, uid: str) -> Stored: ...
    async def create(self, uid: str, text: str) -> Stored: ...
    async def update(self, old: Stored, text: str) -> Stored: ...
    async def delete(self, old: Stored) -> None: ...


def _etag(text: str) -> str:
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


_UID_LINE = re.compile(r"^UID:(.+?)\r?$", re.M)


def uid_of(text: str) -> str:
    m = _UID_LINE.search(text)
    return m.group(1).strip() if m else ""


class LocalCalendar:
    """A folder of .ics files. Writes are atomic (temp file, fsync, rename) and conditional on
    the ETag (a hash of the content) under one lock, like a CalDAV server's."""

    shared = False

    def __init__(self, folder: Path, name: str = "local") -> None:
        self.folder = folder
        self.name = name
        self._lock = asyncio.Lock()

    def _path(self, uid: str) -> Path:
        return self.folder / (hashlib.sha256(uid.encode()).hexdigest()[:24] + ".ics")

    def _read(self, path: Path) -> Stored:
        with open(path, encoding="utf-8", newline="") as f:  # keep CRLF: the ETag hashes bytes
            text = f.read()
        return Stored(uid_of(text), text, _etag(text), str(path))

    async def in_range(self, start: datetime, end: datetime) -> list[Stored]:
        def read_all() -> list[Stored]:
            if not self.folder.is_dir():
                return []
            return [self._read(p) for p in sorted(self.folder.glob("*.ics"))]

        return await asyncio.to_thread(read_all)

    async def get(self, uid: str) -> Stored:
        path = self._path(uid)
        if not path.exists():
            raise EventNotFound(f"There is no event with UID {uid} in the {self.name} calendar.")
        return await asyncio.to_thread(self._read, path)

    async def create(self, uid: str, text: str) -> Stored:
        async with self._lock:
            path = self._path(uid)
            if path.exists():
                raise CalendarConflict(f"An event with UID {uid} already exists.")
            await asyncio.to_thread(write_atomic, path, text)
            return Stored(uid, text, _etag(text), str(path))

    async def update(self, old: Stored, text: str) -> Stored:
        async with self._lock:
            path = self._path(old.uid)
            current = await asyncio.to_thread(self._read, path) if path.exists() else None
            if current is None:
                raise EventNotFound(f"The event {old.uid} was deleted meanwhile.")
            if current.etag != old.etag:
                raise StaleCopy(old.uid)
            await asyncio.to_thread(write_atomic, path, text)
            return Stored(old.uid, text, _etag(text), str(path))

    async def delete(self, old: Stored) -> None:
        async with self._lock:
            path = self._path(old.uid)
            if not path.exists():
                return
            if (await asyncio.to_thread(self._read, path)).etag != old.etag:
                raise StaleCopy(old.uid)
            await asyncio.to_thread(path.unlink)


class CalDAVCalendar:
    """One calendar on a CalDAV server, through the `caldav` library (run in a thread).
    Writes carry If-Match / If-None-Match, so a concurrent change is seen as 412, never lost."""

    shared = True

    def __init__(
        self, url: str, username: str, password: str, calendar: str = "", timeout: float = 15.0
    ) -> None:
        self.url = url
        self.username = username
        self.password = password
        self.calendar_name = calendar
        self.name = f"caldav:{calendar or url}"
        self.timeout = timeout
        self._client: Any = None
        self._cal: Any = None
        self._hrefs: dict[str, str] = {}

    # -- plumbing ---------------------------------------------------------------------------
    def _calendar(self) -> Any:
        from caldav.davclient import DAVClient  # not `caldav.DAVClient`: a lazy attribute typed `object`

        if self._cal is None:
            self._client = DAVClient(
                self.url, username=self.username, password=self.password,
                timeout=self.timeout,  # type: ignore[arg-type]  # typed int, but passed on to niquests as float seconds
            )
            calendars = self._client.principal().calendars()
            if not calendars:
                raise CalendarUnavailable(
                    f"The CalDAV account at {self.url} has no calendar.",
                    fix="Create one on the server (or with 'os1 calendar connect --create').",
                )
            wanted = [c for c in calendars if self.calendar_name in ("", c.get_display_name(), str(c.url))]
            if not wanted:
                names = ", ".join(str(c.get_display_name()) for c in calendars)
                raise CalendarUnavailable(
                    f"No calendar named '{self.calendar_name}' at {self.url}.", fix=f"Known: {names}."
                )
            self._cal = wanted[0]
        return self._cal

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        from caldav.lib import error as dav_error

        try:
            return await asyncio.to_thread(fn, *args)
        except dav_error.AuthorizationError as exc:
            raise CalendarUnavailable(
                f"The CalDAV server at {self.url} refused the login for '{self.username}'.",
                fix="Check the user name and password ('os1 calendar connect').",
            ) from exc
        except (dav_error.DAVError, OSError, ConnectionError) as exc:
            raise CalendarUnavailable(
                f"The CalDAV server at {self.url} cannot be reached or failed: {exc}.",
                fix="Check that it is running; nothing was changed.",
            ) from exc
        except Exception as exc:  # niquests' connection errors are not OSErrors
            if type(exc).__module__.startswith(("niquests", "urllib3", "requests")):
                raise CalendarUnavailable(
                    f"The CalDAV server at {self.url} cannot be reached: {exc}.",
                    fix="Check that it is running; nothing was changed.",
                ) from exc
            raise

    # -- the interface ----------------------------------------------------------------------
    async def in_range(self, start: datetime, end: datetime) -> list[Stored]:
        def search() -> list[Stored]:
            from caldav.elements import dav

            out = []
            for obj in self._calendar().search(start=start, end=end, event=True, expand=False):
                text = obj.data
                etag = str(getattr(obj, "props", {}).get(dav.GetEtag.tag, ""))
                stored = Stored(uid_of(text), text, etag, str(obj.url))
                self._hrefs[stored.uid] = stored.href
                out.append(stored)
            return out

        return await self._call(search)

    def _get_sync(self, uid: str) -> Stored:
        cal = self._calendar()
        href = self._hrefs.get(uid)
        if href is None:
            try:
                href = str(cal.object_by_uid(uid).url)
            except Exception as exc:
                raise EventNotFound(f"There is no event with UID {uid} on the server.") from exc
        r = self._client.request(href)
        if r.status == 404 and uid in self._hrefs:  # another client may have moved it: look again
            del self._hrefs[uid]
            return self._get_sync(uid)
        if r.status == 404:
            raise EventNotFound(f"The event {uid} was deleted on the server.")
        if r.status != 200:
            raise CalendarUnavailable(f"The server answered {r.status} when reading {uid}.")
        self._hrefs[uid] = href
        return Stored(uid, r.raw, r.headers.get("ETag", ""), href)

    async def get(self, uid: str) -> Stored:
        return await self._call(self._get_sync, uid)

    async def create(self, uid: str, text: str) -> Stored:
        def put() -> Stored:
            href = str(self._calendar().url).rstrip("/") + "/" + quote(uid, safe="") + ".ics"
            headers = {"Content-Type": "text/calendar; charset=utf-8", "If-None-Match": "*"}
            r = self._client.put(href, text, headers)
            if r.status in (409, 412):  # 409: the same UID under another name (no-uid-conflict)
                raise CalendarConflict(
                    f"An event with UID {uid} already exists on the server ({r.status}); I did not "
                    "overwrite it.", fix="Look at the calendar: is it the same event?")
            if r.status not in (200, 201, 204):
                raise CalendarUnavailable(f"The server refused the new event ({r.status}).")
            self._hrefs[uid] = href
            return Stored(uid, text, r.headers.get("ETag", ""), href)

        return await self._call(put)

    async def update(self, old: Stored, text: str) -> Stored:
        def put() -> Stored:
            headers = {"Content-Type": "text/calendar; charset=utf-8", "If-Match": old.etag}
            r = self._client.put(old.href, text, headers)
            if r.status in (409, 412):  # changed meanwhile (some servers say 409): reload, decide again
                self._hrefs.pop(old.uid, None)
                raise StaleCopy(old.uid)
            if r.status not in (200, 201, 204):
                raise CalendarUnavailable(f"The server refused the change ({r.status}).")
            return Stored(old.uid, text, r.headers.get("ETag", ""), old.href)

        return await self._call(put)

    async def delete(self, old: Stored) -> None:
        def delete() -> None:
            self._calendar()
            r = self._client.delete(old.href, {"If-Match": old.etag})
            if r.status in (409, 412):
                self._hrefs.pop(old.uid, None)
                raise StaleCopy(old.uid)
            if r.status not in (200, 204, 404):
                raise CalendarUnavailable(f"The server refused to delete the event ({r.status}).")

        await self._call(delete)
