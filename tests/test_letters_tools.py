"""The letters tools in a conversation (a scripted model): proofreading reads and changes
nothing; the book is made only after a yes."""

from datetime import date

import pytest

from os1.core.conversation import Companion
from os1.events import EventType
from os1.models.base import ToolCall
from os1.plugins import tools as registered_tools
from os1.skills.letters.repository import LetterRepository
from os1.skills.letters.tools import year_of
from tests.fakes import ScriptedLLM
from tests.mail_servers import dovecot, mail_svc, smtp_server  # noqa: F401

AMY = "Dear Amy,\n\nIts been to long since I wrote. I recieved you letter.\n\nLove,\nTheo"


@pytest.fixture
def make(settings, store):
    def build(*steps):
        return Companion(settings, ScriptedLLM(*steps), store, registered_tools())
    return build


async def _turn(session, text):
    return [e async for e in session.turn(text)]


def _tool_result(session) -> str:
    return session.last_trace.first(EventType.TOOL_RESULT).data


async def test_proofreading_the_letter_just_written_to_amy_lists_changes_and_changes_nothing(make, store):
    repo = LetterRepository(store)
    await repo.add("tester", "Amy", date(2026, 1, 2), "", "Dear Amy, an older letter.")
    lid = await repo.add("tester", "Amy", date(2026, 3, 3), "", AMY)
    c = make(ToolCall("a", "proofread_letter", {"recipient": "Amy"}), "I found four things to look at.")
    s = await c.session()
    await _turn(s, "Can you proofread the letter I just wrote to Amy?")
    result = [m for m in await store.messages("tester") if m.role == "tool"][0].content
    assert f"Letter #{lid} to Amy" in result and "none made" in result
    assert "'Its' → 'It's'" in result
    assert "'recieved' → 'received'" in result and "'you' → 'your'" in result
    assert (await repo.get("tester", lid)).body == AMY  # nothing rewritten
    assert s.last_trace.first(EventType.CONFIRMATION) is None  # reading needs no yes


async def test_the_book_is_made_only_after_a_yes(make, settings, store):
    await LetterRepository(store).add("tester", "Amy", date.today(), "", AMY)  # "this year"
    call = ToolCall("a", "make_letter_book", {"years": "this year", "title": "My Letters"})

    async def refuse(request):
        return False

    s = await make(call, "All right.").session(confirm=refuse)
    await _turn(s, "Put my letters from this year into a book")
    assert not (settings.data_dir / "books").exists()

    async def approve(request):
        return True

    proposal = {"title": "Ignored", "leave_out": [], "chapter_titles": [], "introduction": "I wrote to Amy."}
    s = await make(call, proposal, "Your book is ready.").session(confirm=approve)
    events = await _turn(s, "Put my letters from this year into a book")
    kinds = [e.type for e in events]
    steps = [e.data["step"] for e in events if e.type == EventType.TOOL_PROGRESS]
    assert steps[0] == f"Choosing the letters of {date.today().year}…" and "Writing the EPUB…" in steps
    assert any(step.startswith("Writing the PDF (") and "pages)" in step for step in steps)
    assert kinds.index(EventType.CONFIRMATION) < kinds.index(EventType.TOOL_PROGRESS)  # after the yes
    assert max(i for i, k in enumerate(kinds) if k == EventType.TOOL_PROGRESS) < kinds.index(EventType.TOOL_RESULT)
    folder = settings.data_dir / "books" / "tester" / "my-letters"
    assert (folder / "my-letters.pdf").read_bytes()[:5] == b"%PDF-"
    assert (folder / "my-letters.epub").exists() and list(folder.glob("preview-*.png"))


def test_the_years_words():
    assert year_of("this year", 2026) == 2026 and year_of("last year", 2026) == 2025
    assert year_of("from 2019", 2026) == 2019 and year_of("all of them", 2026) is None


async def test_the_book_reaches_the_publisher_byte_for_byte_only_after_a_yes(settings, store, mail_svc, smtp_server):
    from os1.skills.letters.book import plan_book
    from os1.skills.letters.bookmaking import compile_book
    from os1.skills.letters.repository import Letter

    folder = settings.data_dir / "books" / "tester" / "my-letters"
    files = compile_book(plan_book([Letter(1, "Amy", date(2026, 3, 3), "", AMY)], "My Letters", "Sam"), folder)
    call = ToolCall("a", "send_book_to_publisher", {
        "to": "submissions@publisher.example", "book": "My Letters",
        "cover_letter": "Dear editors,\n\nPlease find my letters attached.\n\nSam"})
    asked = []

    async def refuse(request):
        asked.append(request)
        return False

    s = await Companion(settings, ScriptedLLM(call, "Not sent."), store, registered_tools()).session(confirm=refuse)
    await _turn(s, "Send my book to the publisher at submissions@publisher.example")
    assert smtp_server.inbox.received == [] and "submissions@publisher.example" in asked[0].summary

    async def approve(request):
        return True

    s = await Companion(settings, ScriptedLLM(call, "Sent."), store, registered_tools()).session(confirm=approve)
    await _turn(s, "Send my book to the publisher at submissions@publisher.example")
    [(_, rcpts, _)] = smtp_server.inbox.received
    assert rcpts == ["submissions@publisher.example"]
    [msg] = smtp_server.inbox.messages()
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == "my-letters.pdf"
    assert attachment.get_content() == files.pdf.read_bytes()  # byte-identical
    assert "Please find my letters attached." in msg.get_body(("plain",)).get_content()
