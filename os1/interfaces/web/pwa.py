"""The installable app (PWA): the manifest, the service worker and the offline page.

These are public (a browser fetches them before anyone logs in) and hold no user data. The
service worker keeps only the app's shell (the offline page, style, script and icons): pages
with a user's words are never cached, so a shared computer keeps nothing of them offline.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from os1.interfaces.web.server import HERE

router = APIRouter()
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
