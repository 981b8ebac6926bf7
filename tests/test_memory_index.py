"""Long-term memory index on real SQLite (FTS5 + sqlite-vec) with the real embedded embedder."""

from datetime import UTC, datetime, timedelta

import pytest

from os1.memory.index import MemoryIndex, content_words
from os1.models.embedder import MiniLMEmbedder
from os1.storage.sqlite import SqliteStore
from os1.storage.sqlite_memories import fts_query


@pytest.fixture(scope="module")
def embedder():
    return MiniLMEmbedder()


@pytest.fixture
async def index(store, embedder):
    return MemoryIndex(store, embedder)


FACTS = [
    ("My sister Ingrid lives in Oslo.", [11]),
    ("I adopted a grey cat called Miso last spring.", [12]),
    ("Work has been stressful since the merger.", [13]),
    ("I play the cello in a community orchestra on Thursdays.", [14]),
]


async def fill(index, user="amy"):
    ids = [await index.add(user, text, speaker="user", sources=src) for text, src in FACTS]
    assert await index.embed_pending() == len(FACTS)
    return ids


def test_fts_query_is_safe():
    assert fts_query(content_words('What about "Oslo" OR NOT my sister?*')) == '"about" OR "oslo" OR "not" OR "sister"'
    assert fts_query(content_words("the of and")) == ""


async def test_hybrid_search_finds_by_meaning_and_by_words(index):
    await fill(index)
    pet = await index.search("amy", "Do I have any pets?", k=2)
    assert pet[0].content.startswith("I adopted a grey cat") and pet[0].sources == [12]
    assert "semantic" in pet[0].why  # found by meaning: no word in common
    music = await index.search("amy", "cello", k=1)
    assert music[0].why.get("lexical") == 1


async def test_users_are_isolated(index):
    await fill(index, "amy")
    await index.add("bob", "Bob's secret: he is afraid of cats.")
    await index.embed_pending()
    assert all("Bob" not in m.content for m in await index.search("amy", "afraid of cats", k=10))
    assert [m.content for m in await index.search("bob", "cat", k=10)] == ["Bob's secret: he is afraid of cats."]


async def test_forget_removes_row_text_index_and_vector(index, store):
    ids = await fill(index)
    assert await index.forget("bob", [ids[0]]) == 0  # not bob's to forget
    assert await index.forget("amy", [ids[0]]) == 1
    assert all("Ingrid" not in m.content for m in await index.search("amy", "Ingrid sister Oslo", k=10))
    fts = await store.query("SELECT count(*) FROM memories_fts WHERE memories_fts MATCH 'ingrid'")
    vec = await store.query("SELECT count(*) FROM memories_vec WHERE rowid = ?", (ids[0],))
    assert fts[0][0] == 0 and vec[0][0] == 0


async def test_pending_embeddings_survive_a_restart_and_run_once(settings, embedder):
    store = await SqliteStore.open(settings.db_path)
    index = MemoryIndex(store, embedder)
    await index.add("amy", "Remember the blue door.")
    await store.close()  # "crash" before embedding
    store = await SqliteStore.open(settings.db_path)
    index = MemoryIndex(store, embedder)
    assert len(await index.pending()) == 1
    assert await index.embed_pending() == 1
    assert await index.embed_pending() == 0  # nothing twice
    vecs = await store.query("SELECT count(*) FROM memories_vec")
    await store.close()
    assert vecs[0][0] == 1


async def test_recency_breaks_ties(index):
    old = datetime.now(UTC) - timedelta(days=400)
    await index.add("amy", "I live in Portland.", happened_at=old)
    await index.add("amy", "I live in Portland.")
    await index.embed_pending()
    top = await index.search("amy", "where do I live", k=2)
    assert top[0].happened_at > top[1].happened_at


async def test_recent_lists_the_users_newest_first(index):
    await fill(index, "amy")
    await index.add("bob", "not amy's")
    assert [m.content for m in await index.recent("amy", 2)] == [FACTS[3][0], FACTS[2][0]]


async def test_the_in_memory_vectors_follow_every_write(store, embedder, settings, monkeypatch):
    """kNN runs on a per-user matrix in memory; it must never serve a forgotten or stale row."""
    from os1.memory import vectors

    monkeypatch.setattr(vectors, "RECHECK_S", 0.0)  # look for other processes' writes every time
    index = MemoryIndex(store, embedder)
    ids = await fill(index)
    assert (await index.semantic("amy", "a pet kitten", 1)) == [ids[1]]
    await MemoryIndex(store, embedder).forget("amy", [ids[1]])  # through another index
    assert ids[1] not in await index.semantic("amy", "a pet kitten", 4)
    # Another process writes to the same database: the cache notices and reloads.
    other = await SqliteStore.open(settings.db_path)
    try:
        other_index = MemoryIndex(other, embedder)
        new = await other_index.add("amy", "We got a tabby kitten named Pixel.", speaker="user")
        await other_index.embed_pending()
        await other_index.forget("amy", [ids[0]])
    finally:
        await other.close()
    found = await index.semantic("amy", "a pet kitten", 4)
    assert found[0] == new and ids[0] not in found
    assert await index.semantic("bob", "a pet kitten", 4) == []  # never another user's rows


async def test_an_answer_is_found_by_the_words_of_its_question(index):
    """Turns are indexed with their neighbours' words (a lighter second column)."""
    await index.add("amy", "Did you ever go to the Lofoten islands?", speaker="Iris")
    answer = await index.add("amy", "Yes! Last summer, with my brother.", speaker="user")
    await index.add("amy", "How lovely.", speaker="Iris")
    assert answer in await index.lexical("amy", "Lofoten", 3)
    # Forgetting the question removes its words from the answer's context too: really gone.
    question = (await index.lexical("amy", "Lofoten", 3))[0]
    assert question != answer
    await index.forget("amy", [question])
    assert await index.lexical("amy", "Lofoten", 3) == []
    rows = await index.store.query("SELECT context FROM memories WHERE id=?", (answer,))
    assert "Lofoten" not in rows[0][0]


async def test_forget_about_does_not_take_the_neighbours(index):
    await index.add("amy", "My ex Jamie called.", speaker="user")
    await index.add("amy", "How did that feel?", speaker="Iris")
    gone = await index.forget_about("amy", "Jamie")
    assert gone.memories == 1
    assert [m.content for m in await index.recent("amy")] == ["How did that feel?"]
    assert await index.lexical("amy", "Jamie", 3) == []


async def test_words_find_a_users_memory_among_many_of_another_users(index):
    for i in range(30):
        await index.add("crowd", f"apple apple {i}", speaker="user")
    mine = await index.add("amy", "We baked an apple pie with grandma on a rainy Sunday.", speaker="user")
    assert await index.lexical("amy", "apple", 2) == [mine]
    assert len(await index.lexical("crowd", "apple", 5)) == 5


async def test_other_languages_are_stored_and_found(index, store):
    said = [
        "Meine Schwester wohnt jetzt in München, über dem Bäcker.",
        "Mi gato se llama Señor Bigotes 🐱",
        "東京 に 住んでいます",
        "أحب القهوة في الصباح",
    ]
    ids = [await index.add("amy", text, speaker="user") for text in said]
    assert await index.embed_pending() == len(said)
    assert (await index.search("amy", "Wo wohnt meine Schwester? München", k=1))[0].id == ids[0]
    assert (await index.search("amy", "señor bigotes", k=1))[0].id == ids[1]
    assert (await index.search("amy", "東京", k=1))[0].id == ids[2]
    assert (await index.search("amy", "القهوة", k=1))[0].id == ids[3]
    rows = await store.query("SELECT content FROM memories ORDER BY id")
    assert [r[0] for r in rows] == said  # stored exactly as written


async def test_what_a_named_speaker_said_comes_first(index):
    await index.add("amy", "Caroline: I went hiking in the hills and loved the quiet.", speaker="Caroline")
    await index.add("amy", "Melanie: I went hiking in the hills last weekend too.", speaker="Melanie")
    await index.embed_pending()
    for who in ("Caroline", "Melanie"):
        top = await index.search("amy", f"Where did {who} go hiking?", k=2)
        assert top[0].speaker == who and top[1].speaker != who
    plain = {m.id: m.score for m in await index.search("amy", "Where did they go hiking?", k=2)}
    both = await index.search("amy", "Where did Caroline and Melanie go hiking?", k=2)
    assert all(m.score < plain[m.id] + 0.1 for m in both)  # naming both favours neither


def test_named_speaker_needs_exactly_one_name():
    from os1.memory.index import named_speaker

    speakers = {"Caroline Smith", "Melanie", "user", ""}
    assert named_speaker("what did caroline say?", speakers) == "Caroline Smith"
    assert named_speaker("Caroline and Melanie?", speakers) is None
    assert named_speaker("Carolines?", speakers) is None


async def test_a_turn_of_the_day_its_question_was_asked_comes_first(index):
    """The day's best word match lifts that day's other memories (LoCoMo: an answer often
    shares no word with the question, but was said the same day as words that do)."""
    monday, friday = datetime(2026, 3, 2, 18, tzinfo=UTC), datetime(2026, 3, 6, 18, tzinfo=UTC)
    await index.add("amy", "I finally booked the Lisbon trip for my sister's birthday.", happened_at=monday)
    same_day = await index.add("amy", "We will take the old tram up to the castle.", happened_at=monday)
    for text in ("The printer at work is broken again.", "I made soup with lentils tonight."):
        await index.add("amy", text, happened_at=monday)  # Friday is out of Lisbon's context
    other_day = await index.add("amy", "We will take the old tram up to the museum.", happened_at=friday)
    await index.add("amy", "I watered the plants on the balcony.", happened_at=friday)
    await index.embed_pending()
    query = "What is Amy doing in Lisbon?"  # no word of either tram turn
    ranked = [m.id for m in await index.search("amy", query, k=5)]
    assert ranked.index(same_day) < ranked.index(other_day)
    flat = {m.id: m.score for m in await index.search("amy", query, k=5, weights={"day": 0.0})}
    ranked_day = {m.id: m.score for m in await index.search("amy", query, k=5)}
    assert ranked_day[same_day] - flat[same_day] > ranked_day[other_day] - flat[other_day] + 0.4


async def test_longer_memories_get_a_little_more(index):
    short = await index.add("amy", "I like jazz.")
    long = await index.add("amy", "I like jazz, mostly old records from the fifties that my dad left me.")
    await index.embed_pending()
    plain = {m.id: m.score for m in await index.search("amy", "jazz", k=2, weights={"length": 0.0})}
    scored = {m.id: m.score for m in await index.search("amy", "jazz", k=2)}
    assert scored[long] - plain[long] > scored[short] - plain[short] + 0.2


async def test_a_time_the_question_names_finds_the_memories_of_that_time(index):
    """'What did we talk about yesterday?' shares no word with yesterday's memories; a memory
    of another day that has the words ('talk') comes after them, and another user's memory of
    that day never comes at all."""
    now = datetime(2026, 3, 6, 12, tzinfo=UTC)
    yesterday = now - timedelta(days=1)
    older = await index.add("amy", "We should talk about the garden plans soon.", happened_at=now - timedelta(days=9))
    said = await index.add("amy", "My brother is moving to Vienna for a new job.", happened_at=yesterday)
    await index.add("bob", "I am selling my car next month.", happened_at=yesterday)
    await index.embed_pending()
    found = await index.search("amy", "What did we talk about yesterday?", k=5, now=now)
    ids = [m.id for m in found]
    assert ids[0] == said and found[0].why.get("date") == 1
    assert ids.index(older) > ids.index(said)
    assert all("car" not in m.content for m in found)
    undated = [m.id for m in await index.search("amy", "What did we talk about?", k=5, now=now)]
    assert undated[0] == older  # without the time, the words decide


async def test_a_date_in_the_question_lifts_that_days_memories_over_better_word_matches(index):
    july_12 = datetime(2022, 7, 12, 15, tzinfo=UTC)
    await index.add("amy", "Toronto was lovely in spring, I want to go back to Toronto.",
                    happened_at=datetime(2022, 4, 2, 10, tzinfo=UTC))
    there = await index.add("amy", "Landed in Toronto this morning, the lake is huge.", happened_at=july_12)
    await index.embed_pending()
    query = "Where was Amy on July 12, 2022?"
    assert (await index.search("amy", query, k=1))[0].id == there
    plain = {m.id: m.score for m in await index.search("amy", query, k=2, weights={"date": 0.0})}
    lifted = {m.id: m.score for m in await index.search("amy", query, k=2)}
    assert lifted[there] - plain[there] == pytest.approx(0.7, abs=0.05)
