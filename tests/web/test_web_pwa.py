"""The installable app's parts are public, valid and hold no user data."""

from __future__ import annotations

import json

from web_helpers import Visitor


async def test_manifest_worker_icons_and_offline_page(served, visitor: Visitor):
    manifest = await visitor.get("/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    doc = json.loads(manifest.text)
    assert doc["start_url"] == "/" and doc["display"] == "standalone" and doc["name"] == "OS1"
    sizes = {icon["sizes"] for icon in doc["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in doc["icons"]:
        image = await visitor.get(icon["src"])
        assert image.status_code == 200 and image.content[:8] == b"\x89PNG\r\n\x1a\n"
        side = int.from_bytes(image.content[16:20], "big")  # the PNG's own width
        assert f"{side}x{side}" == icon["sizes"]
    worker = await visitor.get("/sw.js")
    assert worker.status_code == 200 and "javascript" in worker.headers["content-type"]
    for cached in ("/offline", "/static/style.css", "/static/chat.js"):
        assert f'"{cached}"' in worker.text
        assert (await visitor.get(cached)).status_code == 200, cached
    assert '"/"' not in worker.text.split("FILES")[1].split(";")[0], "no page with someone's words is cached"
    page = await visitor.get("/login")
    assert 'rel="manifest"' in page.text and "/static/pwa.js" in page.text
