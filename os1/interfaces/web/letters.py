"""The letters page: the library (list, search, open, import a file), proofreading a letter with
each suggestion accepted or rejected, and the book (its plan edited, compiled with progress, the
PDF, the EPUB and page previews).

The page calls the letters skill as the `os1 letters` commands do. A letter's text is data: Jinja
escapes it. Proofreading is shown and applied from the same text: the form carries a digest of
the letter, and a letter changed since the changes were shown is not changed blindly. Planning
(the model writes) and compiling (typesetting takes seconds) run after the request has answered
(jobs.py) and the page shows how far they got. Files are served by a fixed kind from the user's
own book folder, never by a path from the request.
"""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from os1.errors import OS1Error
from os1.interfaces.web.jobs import Job
from os1.interfaces.web.pages import page_user, render, web
from os1.interfaces.web.security import RowId, check_csrf
from os1.language.proofreading.changes import Change, apply, diff
from os1.skills.letters import book_edits
from os1.skills.letters.book import BookPlan
from os1.skills.letters.bookmaking import BookFiles, compile_book, slug
from os1.skills.letters.importing import KINDS, parse_letter
from os1.skills.letters.links import touched_memories
from os1.skills.letters.plans import BookPlans
from os1.skills.letters.proposing import propose
from os1.skills.letters.repository import LetterRepository

router = APIRouter()
PLANNING, COMPILING = "letters-plan", "letters-book"  # the jobs' kinds
COMPILE_STEPS = 5  # the progress messages compile_book sends
MAX_UPLOAD = 10 * 2**20
FILES = {"pdf": "application/pdf", "epub": "application/epub+zip"}


def _message(request: Request, text: str, status: int) -> HTMLResponse:
    return render(request, "message.html", status, title="Letters", text=text)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@router.get("/letters", response_class=HTMLResponse)
async def library(request: Request, user: str = Depends(page_user), q: str = "") -> HTMLResponse:
    repo = LetterRepository(web(request).db)
    letters = await repo.search(user, q, 100) if q.strip() else (await repo.select(user))[::-1]
    p = request.query_params
    return render(request, "letters.html", letters=letters, q=q, kinds=", ".join(KINDS),
                  added=p.get("added", ""), error=p.get("error", ""))


@router.post("/letters/import")
async def import_letter(request: Request, file: UploadFile, user: str = Depends(page_user),
                        csrf: str = Form(""), to: str = Form("")) -> Response:
    """`os1 letters import` for one uploaded file: the greeting gives the recipient, the top its date."""
    check_csrf(request, csrf)
    suffix = Path(file.filename or "").suffix.lower()
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return RedirectResponse("/letters?" + urlencode({"error": "That file is over 10 MB."}), 303)

    def parse() -> Any:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"letter{suffix}"  # the upload's name is never a path here
            path.write_bytes(data)
            return parse_letter(path)

    try:
        parsed = await asyncio.to_thread(parse)
    except OS1Error as exc:
        return RedirectResponse("/letters?" + urlencode({"error": str(exc)}), 303)
    lid = await LetterRepository(web(request).db).add(user, parsed.recipient or to, parsed.written_on, "",
                                                      parsed.body, source=f"upload:{file.filename or ''}"[:200])
    return RedirectResponse(f"/letters?added={lid}", 303)


async def _changes(request: Request, user: str, lid: int) -> tuple[Any, list[Change]]:
    from os1.skills.letters.proofread import proofread  # its rules compile on import: only when used

    letter = await LetterRepository(web(request).db).get(user, lid)
    return letter, await proofread(web(request).db, user, letter.body, letter.recipient)


@router.get("/letters/book", response_class=HTMLResponse)
async def book_page(request: Request, user: str = Depends(page_user)) -> HTMLResponse:
    jobs = web(request).jobs
    planning, compiling = jobs.get(user, PLANNING), jobs.get(user, COMPILING)
    plan = await BookPlans(web(request).db).load(user)
    files = _files(request, user, plan)
    for job in (planning, compiling):
        if job is not None and not job.running and job.error == "":
            jobs.dismiss(user, job.kind)  # a finished one is shown by its plan or its files
    return render(request, "letters_book.html", plan=plan, planning=planning, compiling=compiling,
                  files=files, steps=COMPILE_STEPS, error=request.query_params.get("error", ""))


@router.get("/letters/{lid}", response_class=HTMLResponse)
async def one_letter(request: Request, lid: RowId, user: str = Depends(page_user),
                     proofread: str = "") -> HTMLResponse:
    try:
        letter, changes = (await _changes(request, user, lid)) if proofread else (
            await LetterRepository(web(request).db).get(user, lid), None)
    except OS1Error as exc:
        return _message(request, str(exc), 404)
    memories = await touched_memories(web(request).db, user, letter)
    shown = [(i, c, *diff(letter.body, c)) for i, c in enumerate(changes or [])]
    return render(request, "letter.html", letter=letter, memories=memories, changes=shown,
                  proofread=bool(proofread), digest=digest(letter.body),
                  made=request.query_params.get("made", ""), learned=request.query_params.get("learned", ""))


@router.post("/letters/{lid}/proofread")
async def accept_changes(request: Request, lid: RowId, user: str = Depends(page_user), csrf: str = Form(""),
                         text_digest: str = Form("", alias="digest"), accept: list[int] = Form([]),
                         learn: list[int] = Form([])) -> Response:
    """Only the changes ticked are made; the rest stay as the user wrote them. A flagged word
    ticked "add to my dictionary" joins the user's own word list (`os1 letters words`, the
    terminal's [a]) and stays as written: the word is taken from the change, never the form."""
    check_csrf(request, csrf)
    try:
        letter, changes = await _changes(request, user, lid)
    except OS1Error as exc:
        return _message(request, str(exc), 404)
    if text_digest != digest(letter.body):
        return _message(request, "The letter changed since these changes were shown. Proofread it again.", 409)
    words = sorted({changes[i].original.strip() for i in set(learn)
                    if 0 <= i < len(changes) and changes[i].kind == "spelling" and changes[i].original.strip()})
    chosen = [changes[i] for i in sorted(set(accept) - set(learn)) if 0 <= i < len(changes)]
    repo = LetterRepository(web(request).db)
    if words:
        await repo.add_words(user, words)
    if chosen:
        await repo.update(user, lid, body=apply(letter.body, chosen))
    learned = {"learned": ", ".join(words)} if words else {}
    return RedirectResponse(f"/letters/{lid}?" + urlencode({"made": len(chosen), **learned}), 303)


# -- the book ----------------------------------------------------------------------------------
def _folder(request: Request, user: str, plan: BookPlan) -> Path:
    return web(request).settings.data_dir / "books" / user / slug(plan.title)


def _files(request: Request, user: str, plan: BookPlan | None) -> dict[str, Any] | None:
    """The planned book's files, if it was compiled under its present title."""
    if plan is None:
        return None
    folder = _folder(request, user, plan)
    pdf = folder / f"{slug(plan.title)}.pdf"
    if not pdf.is_file():
        return None
    return {"previews": len(sorted(folder.glob("preview-*.png")))}


@router.post("/letters/book/plan")
async def plan_book(request: Request, user: str = Depends(page_user), csrf: str = Form(""),
                    year: str = Form(""), to: str = Form(""), title: str = Form("")) -> Response:
    """`os1 letters book plan`: the model proposes (in the background); the page shows the plan."""
    check_csrf(request, csrf)
    state = web(request)
    chosen = await LetterRepository(state.db).select(user, year=int(year) if year.strip().isdigit() else None,
                                                     recipient=to.strip())
    if not chosen:
        return RedirectResponse("/letters/book?" + urlencode({"error": "No letters were chosen."}), 303)
    llm = state.core.llm

    async def work(job: Job) -> None:
        plan = await propose(chosen, user, title=title.strip(), llm=llm)
        await BookPlans(state.db).save(user, plan)

    state.jobs.start(user, PLANNING, work)
    return RedirectResponse("/letters/book", 303)


@router.post("/letters/book/edit")
async def edit_book(request: Request, user: str = Depends(page_user), csrf: str = Form(""),
                    action: str = Form(""), letter: int = Form(0), chapter: int = Form(0),
                    text: str = Form("")) -> Response:
    """One edit of the plan: title, introduction, a chapter's title, a letter up, down or out."""
    check_csrf(request, csrf)
    plans = BookPlans(web(request).db)
    plan = await plans.load(user)
    if plan is None:
        return RedirectResponse("/letters/book", 303)
    try:
        if action == "title":
            plan = book_edits.retitle(plan, text)
        elif action == "intro":
            plan = book_edits.set_introduction(plan, text)
        elif action == "chapter":
            plan = book_edits.rename_chapter(plan, chapter, text)
        elif action == "drop":
            plan = book_edits.drop(plan, letter)
        elif action in ("up", "down"):
            at = book_edits.find(plan, letter)
            place = [x.id for x in plan.chapters[at - 1].letters].index(letter) + 1
            plan = book_edits.move(plan, letter, place - 1 if action == "up" else place + 1)
        else:
            return _message(request, "That is not an edit of the book.", 400)
    except OS1Error as exc:
        return RedirectResponse("/letters/book?" + urlencode({"error": str(exc)}), 303)
    await plans.save(user, plan)
    return RedirectResponse("/letters/book", 303)


@router.post("/letters/book/compile")
async def compile_planned(request: Request, user: str = Depends(page_user), csrf: str = Form("")) -> Response:
    """`os1 letters book compile`, in the background; the page counts its steps."""
    check_csrf(request, csrf)
    plan = await BookPlans(web(request).db).load(user)
    if plan is None or not plan.letters:
        return RedirectResponse("/letters/book", 303)
    folder = _folder(request, user, plan)

    async def work(job: Job) -> BookFiles:
        def step(_: str) -> None:
            job.progress(min(job.done + 1, COMPILE_STEPS), COMPILE_STEPS)

        return await asyncio.to_thread(compile_book, plan, folder, step)

    web(request).jobs.start(user, COMPILING, work)
    return RedirectResponse("/letters/book", 303)


@router.get("/letters/book/file/{kind}")
async def book_file(request: Request, kind: str, user: str = Depends(page_user)) -> FileResponse:
    plan = await BookPlans(web(request).db).load(user)
    if plan is None or kind not in FILES:
        raise HTTPException(404, "No such book.")
    path = _folder(request, user, plan) / f"{slug(plan.title)}.{kind}"
    if not path.is_file():
        raise HTTPException(404, "The book has not been made yet.")
    return FileResponse(path, media_type=FILES[kind], filename=path.name)


@router.get("/letters/book/preview/{number}")
async def book_preview(request: Request, number: RowId, user: str = Depends(page_user)) -> FileResponse:
    plan = await BookPlans(web(request).db).load(user)
    previews = sorted(_folder(request, user, plan).glob("preview-*.png")) if plan else []
    if number > len(previews):
        raise HTTPException(404, "No such page.")
    return FileResponse(previews[number - 1], media_type="image/png")
