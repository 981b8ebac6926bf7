"""Security from the first line: the one-time setup link, argon2 passwords, secure cookies,
CSRF on every state-changing request, login rate limits, closed CORS, auth everywhere."""

from __future__ import annotations

import json
import re

import pytest
import websockets
from conftest import PASSWORD, account
from web_helpers import Visitor

from os1.interfaces.web.security import COOKIE

PAGES = ["/", "/memory", "/memory?q=x", "/memory/export", "/memory/1/forget", "/diary", "/settings"]
POSTS = ["/logout", "/memory/1/forget", "/settings/keys", "/settings/keys/abc/revoke", "/settings/api-acts",
         "/settings/pair"]


async def test_setup_link_makes_one_account_once(served, visitor):
    response = await visitor.setup(served["link"], "tester", PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/"
    stored = (served["settings"].data_dir / "web" / "accounts.json").read_text()
    assert PASSWORD not in stored and "$argon2id$" in stored
    other = Visitor(served["base"])
    assert (await other.get("/setup?token=" + served["link"].split("token=")[1])).status_code == 404
    await other.get("/login")  # a CSRF token, so the link itself is what is refused
    token = served["link"].split("token=")[1]
    again = await other.post("/setup", {"token": token, "name": "intruder", "password": PASSWORD, "again": PASSWORD})
    assert again.status_code == 400 and "not valid" in again.text
    assert "intruder" not in (served["settings"].data_dir / "web" / "accounts.json").read_text()
    await other.aclose()
    page = await visitor.get("/")
    assert page.status_code == 200 and 'role="log"' in page.text


async def test_cookie_is_secure_http_only_strict_and_headers_protect(served, visitor):
    response = await visitor.setup(served["link"], "tester", PASSWORD)
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith(COOKIE))
    flags = cookie.lower()
    assert "httponly" in flags and "secure" in flags and "samesite=strict" in flags
    page = await visitor.get("/login")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    cross = await visitor.request("OPTIONS", "/v1/chat/completions", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in cross.headers


async def test_every_page_and_post_needs_a_login(served, visitor):
    for path in PAGES:
        response = await visitor.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/login", path
    await visitor.get("/login")  # a CSRF token of an anonymous session
    for path in POSTS:
        response = await visitor.post(path)
        assert response.status_code in (303, 403), path
        assert response.headers.get("location") in (None, "/login"), path
    for path in ("/v1/models",):
        assert (await visitor.get(path)).status_code == 401


async def test_state_changes_need_the_csrf_token(served):
    alice = await account(served, "alice")
    made = await alice.post("/settings/keys", csrf=False)
    assert made.status_code == 403
    forged = await alice.post("/settings/keys", {"csrf": "not-the-token"})
    assert forged.status_code == 403
    assert served["app"].state.web.accounts.keys("alice") == []
    ok = await alice.post("/settings/keys")
    assert ok.status_code == 200 and len(served["app"].state.web.accounts.keys("alice")) == 1
    login_without = Visitor(served["base"])
    refused = await login_without.post("/login", {"name": "alice", "password": PASSWORD}, csrf=False)
    assert refused.status_code == 403
    await login_without.aclose()
    await alice.aclose()


async def test_wrong_passwords_are_rate_limited(served, visitor):
    await (await account(served, "alice")).aclose()
    for _ in range(5):
        assert (await visitor.login("alice", "wrong password")).status_code == 401
    limited = await visitor.login("alice", PASSWORD)  # even the right one waits now
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert (await visitor.get("/")).status_code == 303


async def test_logout_ends_the_session_everywhere(served):
    alice = await account(served, "alice")
    kept = alice.cookie
    assert (await alice.post("/logout")).status_code == 303
    thief = Visitor(served["base"])
    thief.cookie = kept  # the old cookie, replayed
    assert (await thief.get("/")).status_code == 303
    again = await thief.login("alice", PASSWORD)
    assert again.status_code == 303 and (await thief.get("/")).status_code == 200
    await thief.aclose()
    await alice.aclose()


async def test_websocket_needs_a_session_and_this_sites_origin(served):
    ws_url = served["base"].replace("http", "ws") + "/ws"
    alice = await account(served, "alice")
    cookie = {"Cookie": f"{COOKIE}={alice.cookie}"}
    for url in (ws_url, ws_url + "/voice"):
        with pytest.raises(websockets.exceptions.InvalidStatus):
            async with websockets.connect(url, origin=served["base"]):
                pass
        with pytest.raises(websockets.exceptions.InvalidStatus):
            async with websockets.connect(url, origin="http://evil.example", additional_headers=cookie):
                pass
    async with websockets.connect(ws_url, origin=served["base"], additional_headers=cookie) as ws:
        first = json.loads(await ws.recv())
        assert first["type"] == "ask"  # no companion name yet: the interview begins
    await alice.aclose()


PUBLIC = {"/login", "/setup", "/pair", "/static", "/manifest.webmanifest", "/sw.js", "/offline", "/tls/ca.pem"}


async def test_every_route_of_the_app_needs_a_login_but_the_public_few(served, visitor):
    """Walks the web layer's routers, so a route added to one later is checked too."""
    from starlette.routing import WebSocketRoute

    from os1.interfaces.web import agenda, live, mail, openai_api, pages, settings_page, voice

    await visitor.get("/login")  # an anonymous session with its CSRF token: only the login is missing
    checked = 0
    routes = [r for module in (pages, settings_page, agenda, mail, live, openai_api, voice) for r in module.router.routes]
    for route in routes:
        path = getattr(route, "path", "")
        if path in PUBLIC or isinstance(route, WebSocketRoute):  # the WebSocket: its own test
            continue
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method in sorted(getattr(route, "methods", set()) - {"HEAD"}):
            response = await (visitor.get(url) if method == "GET" else visitor.post(url))
            if path.startswith("/v1/"):
                assert response.status_code == 401, (method, path)
            else:
                assert response.status_code == 303 and response.headers["location"] == "/login", (method, path)
            checked += 1
    assert checked >= 25  # the pages, their forms, two API routes
