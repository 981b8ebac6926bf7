"""Where contacts live: a local folder of .vcf files (default) or a CardDAV address book.
The caldav library has no CardDAV API, so CardDAV is spoken with httpx (REPORT/PUT/DELETE with
ETags, RFC 6352); writes are conditional like the calendar's."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from urllib.parse import quote, urljoin
from xml.etree import ElementTree as ET

import httpx

from os1.skills.contacts.errors import ContactsConflict, ContactsUnavailable, StaleCopy, Stored
from os1.skills.contacts.vcard import parse
from os1.storage.files import write_atomic

NS = {"d": "DAV:", "c": "urn:ietf:params:xml:ns:carddav"}
QUERY = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<c:addressbook-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">'
    "<d:prop><d:getetag/><c:address-data/></d:prop></c:addressbook-query>"
)


class LocalContacts:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, uid: str) -> Path:
        return self.folder / (hashlib.sha256(uid.encode()).hexdigest()[:24] + ".vcf")

    async def all(self) -> list[Stored]:
        def read() -> list[Stored]:
            if not self.folder.is_dir():
                return []
            out = []
            for p in sorted(self.folder.glob("*.vcf")):
                with open(p, encoding="utf-8", newline="") as f:
                    text = f.read()
                out.append(Stored(p.stem, text, hashlib.sha256(text.encode()).hexdigest(), str(p)))
            return out

        return await asyncio.to_thread(read)

    async def create(self, uid: str, text: str) -> Stored:
        def write() -> Stored:
            path = self._path(uid)
            if path.exists():
                raise ContactsConflict(f"A contact with UID {uid} already exists.")
            write_atomic(path, text)
            return Stored(uid, text, hashlib.sha256(text.encode()).hexdigest(), str(path))

        return await asyncio.to_thread(write)


class CardDAVContacts:
    def __init__(self, url: str, username: str, password: str, timeout: float = 15.0) -> None:
        self.url = url if url.endswith("/") else url + "/"
        self.auth = (username, password)
        self.timeout = timeout

    async def _request(self, method: str, url: str, **kw: object) -> httpx.Response:
        try:
            async with httpx.AsyncClient(auth=self.auth, timeout=self.timeout) as client:
                r = await client.request(method, url, **kw)  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            raise ContactsUnavailable(
                f"The CardDAV server at {self.url} cannot be reached: {exc}.",
                fix="Check that it is running; nothing was changed.",
            ) from exc
        if r.status_code in (401, 403):
            raise ContactsUnavailable(
                f"The CardDAV server at {self.url} refused the login.", fix="Check the user name and password."
            )
        return r

    async def all(self) -> list[Stored]:
        r = await self._request(
            "REPORT", self.url, content=QUERY,
            headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
        )
        if r.status_code != 207:
            raise ContactsUnavailable(f"The address book answered {r.status_code} to a query.")
        out = []
        for resp in ET.fromstring(r.content).findall("d:response", NS):
            href = resp.findtext("d:href", "", NS)
            data = resp.findtext(".//c:address-data", "", NS)
            etag = resp.findtext(".//d:getetag", "", NS)
            if data:
                uids = [c.uid for c in parse(data)]
                out.append(Stored(uids[0] if uids else href, data, etag, urljoin(self.url, href)))
        return out

    async def create(self, uid: str, text: str) -> Stored:
        href = self.url + quote(uid, safe="") + ".vcf"
        r = await self._request(
            "PUT", href, content=text.encode(),
            headers={"Content-Type": "text/vcard; charset=utf-8", "If-None-Match": "*"},
        )
        if r.status_code == 412:
            raise ContactsConflict(f"A contact with UID {uid} already exists on the server.")
        if r.status_code not in (200, 201, 204):
            raise ContactsUnavailable(f"The server refused the contact ({r.status_code}).")
        return Stored(uid, text, r.headers.get("ETag", ""), href)

    async def update(self, old: Stored, text: str) -> Stored:
        r = await self._request(
            "PUT", old.href, content=text.encode(),
            headers={"Content-Type": "text/vcard; charset=utf-8", "If-Match": old.etag},
        )
        if r.status_code == 412:
            raise StaleCopy(old.uid)
        if r.status_code not in (200, 201, 204):
            raise ContactsUnavailable(f"The server refused the change ({r.status_code}).")
        return Stored(old.uid, text, r.headers.get("ETag", ""), old.href)

    async def delete(self, old: Stored) -> None:
        r = await self._request("DELETE", old.href, headers={"If-Match": old.etag})
        if r.status_code == 412:
            raise StaleCopy(old.uid)
        if r.status_code not in (200, 204, 404):
            raise ContactsUnavailable(f"The server refused to delete the contact ({r.status_code}).")
