"""The book sent to a publisher: the query letter written before the user is asked (so the mail
shown is the mail sent), the submission remembered with a follow-up reminder, and the publisher's
answer, arriving in a real dovecot inbox, said through the proactive channel."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from os1.core.clock import ManualClock
from os1.core.conversation import Companion
from os1.core.preferences import set_prefs
from os1.core.schedule import ReminderSchedule
from os1.core.timekeeper import start_timekeeper
from os1.events import EventType
from os1.models.base import ToolCall
from os1.plugins import tools as registered_tools
from os1.skills.letters.bookmaking import compile_book
from os1.skills.letters.plans import BookPlans
from os1.skills.letters.proposing import propose
from os1.skills.letters.publishers import Submissions
from os1.skills.letters.repository import LetterRepository
from os1.skills.letters.submission import plain_query_letter
from tests.fakes import ScriptedLLM
from tests.mail_servers import dovecot, mail_svc, put, smtp_server  # noqa: F401

QUERY = ("Dear editors,\n\nI would like you to read Dear Loretta, the letters I wrote to Loretta and Amy "
         "this year from our house on Elm Street.\n\nYours,\nTheo")


async def _planned_book(settings, store) -> None:
    repo = LetterRepository(store)
    for who, day in (("Loretta", date(2026, 3, 1)), ("Amy", date(2026, 5, 2))):
        await repo.add("tester", who, day, "", f"Dear {who},\n\nThe garden was quiet after the rain.\n\nTheo")
    plan = await propose(await repo.select("tester"), "Theo", title="Dear Loretta")
    await BookPlans(store).save("tester", plan)
    await asyncio.to_thread(compile_book, plan, settings.data_dir / "books" / "tester" / "dear-loretta")


async def test_the_query_letter_is_shown_sent_remembered_followed_up_and_the_answer_told(
        settings, store, mail_svc, smtp_server, dovecot):  # noqa: F811
    await _planned_book(settings, store)
    pdf = settings.data_dir / "books" / "tester" / "dear-loretta" / "dear-loretta.pdf"
    asked = []

    async def approve(request):
        asked.append(request)
        return True

    llm = ScriptedLLM(ToolCall("a", "send_book_to_publisher", {"to": "submissions@penguin.example"}), QUERY, "Sent.")
    session = await Companion(settings, llm, store, registered_tools()).session(confirm=approve)
    [e async for e in session.turn("Send my book to Penguin at submissions@penguin.example")]
    shown = asked[0].summary
    assert "To: submissions@penguin.example\nSubject: Submission: Dear Loretta\nAttachment: dear-loretta.pdf" in shown
    assert "our house on [Elm?] [Street?]." in shown  # the model's guess, marked for the user
    assert "Theo" in llm.prompts[1][0]["content"] and "The garden was quiet" in llm.prompts[1][0]["content"]

    [msg] = smtp_server.inbox.messages()
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_content() == pdf.read_bytes()  # byte-identical
    body = msg.get_body(("plain",)).get_content()
    assert "Dear editors," in body and "[Elm?] [Street?]" in body  # what was shown is what was sent
    assert "reminder to follow up" in session.last_trace.first(EventType.TOOL_RESULT).data["result"]

    [sub] = await Submissions(store).list("tester")
    assert (sub.address, sub.title, sub.message_id) == ("submissions@penguin.example", "Dear Loretta", msg["Message-ID"])
    [fact] = await store.memories.facts("tester", 5)
    assert "“Dear Loretta” to the publisher at submissions@penguin.example" in fact.content
    [follow] = await ReminderSchedule(store).list("tester", "pending")
    zone = ZoneInfo(str(follow.zone))
    assert follow.due_at.astimezone(zone) == datetime.combine(
        (sub.sent_at + timedelta(weeks=8)).astimezone(zone).date(), time(10), tzinfo=zone)
    assert "follow up on “Dear Loretta”" in follow.text

    answer = EmailMessage()
    answer["From"], answer["To"] = "Maxwell Perkins <max@penguin.example>", "sam@example.org"
    answer["Subject"], answer["In-Reply-To"] = "Re: Submission: Dear Loretta", msg["Message-ID"]
    answer["Date"] = format_datetime(datetime.now(UTC) + timedelta(hours=1))
    answer.set_content("We would love to publish it.")
    older = EmailMessage()  # from the publisher, but before the book was sent: not its answer
    older["From"], older["To"], older["Subject"] = "news@penguin.example", "sam@example.org", "Our autumn books"
    older["Date"] = format_datetime(datetime.now(UTC) - timedelta(days=3))
    older.set_content("New books.")
    put(dovecot, older.as_bytes(), answer.as_bytes())
    await set_prefs(store, "tester", {"quiet_start": "", "quiet_end": ""})
    clock = ManualClock(datetime.now(UTC) + timedelta(hours=2))
    keeper = await start_timekeeper(settings, store, "tester", clock=clock, zone=ZoneInfo("Europe/Berlin"))
    try:
        item = await asyncio.wait_for(keeper.channel.next(), timeout=60)
        assert item.kind == "publisher"
        assert item.text == ("Maxwell Perkins has answered about your book “Dear Loretta”: "
                             "“Re: Submission: Dear Loretta”. It is in your inbox.")
        await keeper.channel.delivered(item)
    finally:
        await keeper.stop()
    [sub] = await Submissions(store).list("tester")
    assert sub.answer_key and await Submissions(store).list("tester", waiting=True) == []
    assert await ReminderSchedule(store).list("tester", "pending") == []  # answered: no follow-up


async def test_nothing_is_sent_without_a_yes_and_the_plain_letter_says_what_the_book_is(
        settings, store, mail_svc, smtp_server):  # noqa: F811
    await _planned_book(settings, store)

    async def refuse(request):
        return False

    llm = ScriptedLLM(ToolCall("a", "send_book_to_publisher", {"to": "submissions@penguin.example"}), QUERY, "No.")
    session = await Companion(settings, llm, store, registered_tools()).session(confirm=refuse)
    [e async for e in session.turn("Send my book to Penguin at submissions@penguin.example")]
    assert smtp_server.inbox.received == [] and await Submissions(store).list("tester") == []
    plan = await BookPlans(store).load("tester")
    assert plan is not None
    assert plain_query_letter(plan, "x@y.example").startswith(
        "Dear editors,\n\nI would like to submit “Dear Loretta”, a book of 2 of my letters, written in 2026, in one chapter")


def _mail(sender: str, subject: str, when: datetime, **headers: str) -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"], m["Date"] = sender, "sam@example.org", subject, format_datetime(when)
    for name, value in headers.items():
        m[name.replace("_", "-")] = value
    m.set_content("…")
    return m.as_bytes()


async def test_a_newsletter_from_the_publishers_domain_is_not_its_answer(settings, store, mail_svc, dovecot):  # noqa: F811
    from os1.core.mailer import open_mailer
    from os1.skills.letters.publishers import answers, check_answers

    sent = datetime.now(UTC) - timedelta(days=1)
    sid = "<dear-loretta.1@example.org>"
    await Submissions(store).add("tester", "submissions@penguin.example", "Dear Loretta", sid, sent)
    later = sent + timedelta(hours=5)
    news = {"List_Id": "Penguin news <news.penguin.example>",
            "List_Unsubscribe": "<mailto:unsubscribe@penguin.example>"}
    put(dovecot,
        _mail("Penguin <news@penguin.example>", "Our autumn books", later, **news),
        _mail("Penguin <offers@penguin.example>", "20% off", later, List_Unsubscribe="<https://penguin.example/u>"),
        _mail("Penguin <news@penguin.example>", "Before you sent it", sent - timedelta(days=2)),
        _mail("Maxwell Perkins <max@penguin.example>", "Your letters", later),  # an editor, no reply headers
        _mail("Penguin <submissions@penguin.example>", "We have your manuscript", later, **news),  # the address itself
        _mail("An Agent <agent@elsewhere.example>", "Re: Submission: Dear Loretta", later,
              In_Reply_To=sid, List_Id="agents <agents.elsewhere.example>"),  # replies to the submission
        _mail("Penguin <news@penguin.example>", "Re: your book", later, **news, References=f"<x@y> {sid}"))
    headers = await (await open_mailer(settings, store, "tester")).inbox_headers()
    [sub] = await Submissions(store).list("tester")
    told = {h.subject: answers(sub, h) for h in headers}
    assert told == {"Our autumn books": False, "20% off": False, "Before you sent it": False,
                    "Your letters": True, "We have your manuscript": True,
                    "Re: Submission: Dear Loretta": True, "Re: your book": True}
    assert [h.bulk for h in headers] == [True, True, False, False, True, True, True]
    [(_, header)] = await check_answers(store, "tester", headers)  # the first answer, not the newsletter before it
    assert header.subject == "Your letters"
