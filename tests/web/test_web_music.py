"""The music page through the real server: a piece composed for one user is listed with its
audio and score for that user only, and its files are served by number and kind; a piece
composed in the chat is shown in the chat (with a scripted model choosing it)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from conftest import account
from test_web_live import connect, named, until

from os1.models.base import ToolCall
from os1.skills.music.intent import BY_MOOD
from os1.skills.music.service import make


async def test_a_piece_is_listed_played_and_shown_only_to_its_user(served):
    alice = await account(served, "alice")
    bob = await account(served, "bob")
    intent = replace(BY_MOOD["calm"], seconds=30)
    made = await make(served["settings"], served["store"], "alice", "our <b>quiet</b> evening", seed=2, intent=intent)
    number = made.stored.id

    page = (await alice.get("/music")).text
    assert f'id="piece-{number}"' in page and f'src="/music/{number}/ogg"' in page
    assert "our &lt;b&gt;quiet&lt;/b&gt; evening" in page  # the moment is data, never markup
    audio = await alice.get(f"/music/{number}/ogg")
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/ogg"
    assert audio.content[:4] == b"OggS"
    score = await alice.get(f"/music/{number}/svg")
    assert score.headers["content-type"].startswith("image/svg+xml") and b"<svg" in score.content[:500]
    assert (await alice.get(f"/music/{number}/passwd")).status_code == 404
    assert f'href="/music/{number}/pdf"' in page
    pdf = await alice.get(f"/music/{number}/pdf")  # made when first asked for
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    assert (await bob.get(f"/music/{number}/pdf")).status_code == 404

    assert f'id="piece-{number}"' not in (await bob.get("/music")).text
    assert (await bob.get(f"/music/{number}/ogg")).status_code == 404
    await alice.aclose()
    await bob.aclose()


async def test_a_piece_composed_in_the_chat_is_shown_there_and_varied_there(served):
    """The page receives each piece a turn composed (or found again) with the links it plays
    and draws it from; "play it again" and "make it slower" are turns like any other."""
    beach = {"mood": "joyful", "tonic": "A", "mode": "major", "tempo": 112, "meter": "4/4", "form": "AB",
             "register": "high", "motif": "arch", "dynamics": "mf", "seconds": 30}
    served["llm"].steps[:] = [
        "(warm)", ToolCall("m1", "compose_music", {"moment": "our day at the beach", "seconds": 30}), beach,
        "I wrote you something bright.",
        ToolCall("m2", "vary_music", {"change": "again"}), "Here it is again.",
        ToolCall("m3", "vary_music", {"change": "slower"}), "Slower, then.",
    ]
    alice = await account(served, "alice")
    await named(served, "alice")
    ws = await connect(served, alice.cookie)
    await until(ws, "ready")
    shown = []
    for words in ("Write me a song for our day at the beach", "Play it again", "Can you make it slower?"):
        await ws.send(json.dumps({"type": "say", "text": words}))
        seen: list[dict[str, Any]] = []
        end = await until(ws, "turn-end", seen, timeout=60)
        assert end["status"] == "complete"
        [piece] = [m for m in seen if m["type"] == "piece"]
        kinds = [m["type"] for m in seen]
        assert kinds.index("tool") < kinds.index("piece") < kinds.index("text")  # shown before the words about it
        shown.append(piece)
    assert [p["number"] for p in shown] == [1, 1, 2]  # again: the same piece; slower: a new one
    first = shown[0]
    assert first["moment"] == "our day at the beach" and first["page"] == "/music#piece-1"
    audio = await alice.get(first["audio"])
    assert audio.status_code == 200 and audio.content[:4] == b"OggS"
    score = await alice.get(first["score"])
    assert b"<svg" in score.content[:500]
    assert (await alice.get(first["pdf"])).content[:5] == b"%PDF-"
    assert "variation: slower" in shown[2]["moment"]
    assert (await alice.get(shown[2]["audio"])).status_code == 200
    page = (await alice.get("/music")).text
    assert 'id="piece-1"' in page and 'id="piece-2"' in page
    await ws.close()
    await alice.aclose()


async def test_a_piece_composed_in_the_chat_is_in_its_history_after_a_reload(served):
    """The chat page, rendered again from what is stored, shows the piece where the turn showed
    it (its player and score by number, before the words about it), to its user only."""
    calm = {"mood": "calm", "tonic": "F", "mode": "major", "tempo": 72, "meter": "3/4", "form": "AB",
            "register": "middle", "motif": "valley", "dynamics": "p", "seconds": 30}
    served["llm"].steps[:] = [
        "(warm)", ToolCall("m1", "compose_music", {"moment": "our <i>quiet</i> evening", "seconds": 30}), calm,
        "Something calm for tonight.",
    ]
    alice = await account(served, "alice")
    bob = await account(served, "bob")
    await named(served, "alice")
    await named(served, "bob")
    ws = await connect(served, alice.cookie)
    await until(ws, "ready")
    await ws.send(json.dumps({"type": "say", "text": "Write me a song for our quiet evening"}))
    seen: list[dict[str, Any]] = []
    assert (await until(ws, "turn-end", seen, timeout=60))["status"] == "complete"
    await ws.close()
    [piece] = [m for m in seen if m["type"] == "piece"]
    number = piece["number"]

    page = (await alice.get("/")).text
    figure = page.index(f'data-piece="{number}"')
    assert f'src="/music/{number}/ogg"' in page and f'src="/music/{number}/svg"' in page
    assert f'href="/music/{number}/pdf"' in page and f'href="/music#piece-{number}"' in page
    assert "our &lt;i&gt;quiet&lt;/i&gt; evening" in page  # the moment is data, never markup
    assert page.index("Write me a song") < figure < page.index("Something calm for tonight.")
    assert "Audio: " not in page  # the tool's own words (its files' paths) are not shown

    other = (await bob.get("/")).text
    assert "data-piece=" not in other and "/music/" not in other.replace('href="/music"', "")
    assert "quiet" not in other
    assert (await bob.get(f"/music/{number}/svg")).status_code == 404
    await alice.aclose()
    await bob.aclose()
