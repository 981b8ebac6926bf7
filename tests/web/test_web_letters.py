"""The letters page through the real server: a letter imported from an uploaded file, searched,
opened (its text escaped, never markup), proofread change by change; the book planned, edited,
compiled in the background and downloaded with its previews; each user sees only their own."""

from __future__ import annotations

import asyncio
import io
import re
from datetime import date

from conftest import account
from pypdf import PdfReader

from os1.skills.letters.plans import BookPlans
from os1.skills.letters.repository import LetterRepository

AMY = "Dear Amy,\n\nIts been to long since I wrote <script>alert(1)</script>. I recieved you letter.\n\nLove,\nTheo"


async def upload(visitor, name: str, text: str, to: str = ""):
    return await visitor.request("POST", "/letters/import", data={"csrf": visitor.csrf, "to": to},
                                 files={"file": (name, text.encode(), "text/plain")})


async def until(visitor, path: str, done: str, seconds: float = 60) -> str:
    """The page once it says `done` (a background job finished), bounded."""
    for _ in range(int(seconds * 4)):
        page = (await visitor.get(path)).text
        if done in page:
            return page
        await asyncio.sleep(0.25)
    raise AssertionError(f"{done!r} never appeared on {path}: {page}")


async def test_import_search_open_and_proofread_only_the_accepted_changes(served):
    alice, bob = await account(served, "alice"), await account(served, "bob")
    await alice.get("/letters")
    r = await upload(alice, "amy.txt", AMY)
    assert r.status_code == 303 and r.headers["location"].startswith("/letters?added=")
    lid = int(r.headers["location"].split("=")[1])
    bad = await upload(alice, "amy.exe", "hello")
    assert "import-error" in (await alice.get(bad.headers["location"])).text

    page = (await alice.get("/letters?q=recieved")).text
    assert f'href="/letters/{lid}"' in page and f"#{lid} to Amy" in page
    opened = (await alice.get(f"/letters/{lid}")).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in opened and "<script>alert(1)" not in opened

    proof = (await alice.get(f"/letters/{lid}?proofread=1")).text
    shown = dict(re.findall(r'<fieldset id="change-(\d+)">\s*<legend>[^<]*</legend>\s*<p><del>(.*?)</del>', proof))
    recieved = next(i for i, t in shown.items() if "[recieved]" in t)
    its = next(i for i, t in shown.items() if "[Its]" in t)
    assert len(shown) >= 4  # to long, you letter too: left as written
    digest = re.search(r'name="digest" value="(\w+)"', proof).group(1)
    stale = await alice.post(f"/letters/{lid}/proofread", {"digest": "0" * 16, "accept": [recieved]})
    assert stale.status_code == 409
    made = await alice.post(f"/letters/{lid}/proofread", {"digest": digest, "accept": [recieved, its]})
    assert made.headers["location"] == f"/letters/{lid}?made=2"
    body = (await LetterRepository(served["store"]).get("alice", lid)).body
    assert body.startswith("Dear Amy,\n\nIt's been to long") and "I received you letter." in body  # the rest left

    assert f'href="/letters/{lid}"' not in (await bob.get("/letters")).text
    assert (await bob.get(f"/letters/{lid}")).status_code == 404
    await bob.get("/letters")
    assert (await bob.post(f"/letters/{lid}/proofread", {"digest": digest, "accept": ["0"]})).status_code == 404
    assert (await LetterRepository(served["store"]).get("alice", lid)).body == body
    await alice.aclose()
    await bob.aclose()


def _shown(page: str) -> dict[str, str]:
    """The proofreading form's changes: number → the line shown as it is now."""
    return dict(re.findall(r'<fieldset id="change-(\d+)">\s*<legend>[^<]*</legend>\s*<p><del>(.*?)</del>', page))


async def test_a_flagged_word_joins_the_users_own_dictionary_and_no_one_elses(served):
    text = "Dear Amy,\n\nWe ate gribbleberries by the lake. I recieved your letter.\n\nLove,\nTheo"
    alice, bob = await account(served, "alice"), await account(served, "bob")
    await alice.get("/letters")
    lid = int((await upload(alice, "amy.txt", text)).headers["location"].split("=")[1])
    await bob.get("/letters")
    bob_lid = int((await upload(bob, "amy.txt", text)).headers["location"].split("=")[1])

    proof = (await alice.get(f"/letters/{lid}?proofread=1")).text
    shown = _shown(proof)
    berries = next(i for i, t in shown.items() if "[gribbleberries]" in t)
    recieved = next(i for i, t in shown.items() if "[recieved]" in t)
    assert f'name="learn" value="{berries}"' in proof and "Add “gribbleberries” to my dictionary" in proof
    digest = re.search(r'name="digest" value="(\w+)"', proof).group(1)
    form = {"digest": digest, "learn": [berries], "accept": [recieved, berries]}
    refused = await alice.post(f"/letters/{lid}/proofread", {**form, "csrf": "forged"})
    assert refused.status_code == 403 and await LetterRepository(served["store"]).words("alice") == set()

    done = await alice.post(f"/letters/{lid}/proofread", form)
    assert done.status_code == 303
    page = (await alice.get(done.headers["location"])).text
    assert '<span id="learned">gribbleberries</span>' in page and "1 change(s) made." in page
    body = (await LetterRepository(served["store"]).get("alice", lid)).body
    assert "We ate gribbleberries" in body and "I received your letter." in body  # learned, left as written
    assert await LetterRepository(served["store"]).words("alice") == {"gribbleberries"}
    again = (await alice.get(f"/letters/{lid}?proofread=1")).text
    assert not any("gribbleberries" in t for t in _shown(again).values())

    theirs = (await bob.get(f"/letters/{bob_lid}?proofread=1")).text  # bob's own dictionary is his
    assert any("[gribbleberries]" in t for t in _shown(theirs).values())
    assert await LetterRepository(served["store"]).words("bob") == set()
    await alice.aclose()
    await bob.aclose()


async def test_the_book_is_planned_edited_compiled_and_downloaded_by_its_owner_only(served):
    alice, bob = await account(served, "alice"), await account(served, "bob")
    repo = LetterRepository(served["store"])
    ids = [await repo.add("alice", who, date(2026, m, 2), "", f"Dear {who},\n\nThe garden after the rain.\n\nTheo")
           for who, m in (("Amy", 3), ("Paul", 4), ("Loretta", 5))]
    await alice.get("/letters/book")
    assert (await alice.post("/letters/book/plan", {"year": "2026", "title": "Spring"})).status_code == 303
    await until(alice, "/letters/book", f'id="book-letter-{ids[2]}"')
    await alice.post("/letters/book/edit", {"action": "title", "text": "Dear Loretta"})
    await alice.post("/letters/book/edit", {"action": "drop", "letter": str(ids[1])})
    await alice.post("/letters/book/edit", {"action": "up", "letter": str(ids[2])})
    plan = await BookPlans(served["store"]).load("alice")
    assert plan.title == "Dear Loretta" and [x.id for x in plan.letters] == [ids[2], ids[0]]

    assert (await alice.post("/letters/book/compile")).status_code == 303
    page = await until(alice, "/letters/book", 'id="book-files"')
    assert 'src="/letters/book/preview/1"' in page
    pdf = await alice.get("/letters/book/file/pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Dear Loretta" in text and "Dear Paul" not in text
    assert (await alice.get("/letters/book/file/epub")).content[:2] == b"PK"
    assert (await alice.get("/letters/book/preview/1")).content[:4] == b"\x89PNG"

    assert "book-letter" not in (await bob.get("/letters/book")).text
    assert (await bob.get("/letters/book/file/pdf")).status_code == 404
    assert (await bob.get("/letters/book/preview/1")).status_code == 404
    assert (await bob.post("/letters/book/edit", {"action": "drop", "letter": str(ids[0])})).status_code == 303
    assert [x.id for x in (await BookPlans(served["store"]).load("alice")).letters] == [ids[2], ids[0]]
    await alice.aclose()
    await bob.aclose()
