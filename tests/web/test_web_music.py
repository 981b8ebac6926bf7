"""The music page through the real server: a piece composed for one user is listed with its
audio and score for that user only, and its files are served by number and kind."""

from __future__ import annotations

from dataclasses import replace

from conftest import account

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

    assert f'id="piece-{number}"' not in (await bob.get("/music")).text
    assert (await bob.get(f"/music/{number}/ogg")).status_code == 404
    await alice.aclose()
    await bob.aclose()
