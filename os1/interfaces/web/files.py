"""The files page: tidy a folder as `os1 files plan|apply|undo|history` do, on a page.

The user names a folder (inside the home folder, or one the settings name: service.allowed_folder);
the scan and plan run after the request has answered (jobs.py) and the page follows them. The
plan is shown grouped, with examples and the files held back; applying it goes through a page
that lists what will move and needs an explicit yes; the history undoes a whole run or one
group. All of it is the files skill's own service and journal, so an undo here is the undo of
the command line. One job at a time per user: looking, moving or putting back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from os1.errors import OS1Error
from os1.interfaces.web.jobs import Job
from os1.interfaces.web.pages import page_user, render, web
from os1.interfaces.web.security import RowId, check_csrf
from os1.skills.files import service
from os1.skills.files.apply import Outcome, Progress
from os1.skills.files.journal import Journal
from os1.skills.files.view import counts, plan_view, runs_view

router = APIRouter()
TIDYING = "files"  # the job's kind: one piece of tidying work at a time per user
CONFIRM_LISTED = 200  # files listed per group on the page that asks for the yes


@dataclass(frozen=True)
class Done:
    """A finished job: which step, which plan, and its words."""

    step: str  # plan | apply | undo
    run: int
    words: str


async def show(request: Request, user: str, status: int = 200, **extra: object) -> HTMLResponse:
    """The page: the job under way or just done, the chosen (else newest) plan, the history."""
    state = web(request)
    journal = Journal(state.db, user)
    job = state.jobs.get(user, TIDYING)
    busy = job is not None and job.running  # read once: the job may end while the page is made
    if job is not None and not busy:
        state.jobs.dismiss(user, TIDYING)  # its result is shown this once
    wanted = request.query_params.get("plan", "")
    chosen = int(wanted) if wanted.isdigit() else None
    if chosen is None and job is not None and isinstance(job.result, Done):
        chosen = job.result.run
    plan = await plan_view(journal, chosen, listed=5)
    history = await runs_view(journal, 10)
    return render(request, "files.html", status, job=job, busy=busy, plan=plan, history=history,
                  counts=counts, **extra)


@router.get("/files", response_class=HTMLResponse)
async def files_page(request: Request, user: str = Depends(page_user)) -> HTMLResponse:
    return await show(request, user)


def _busy(request: Request, user: str) -> bool:
    job = web(request).jobs.get(user, TIDYING)
    return job is not None and job.running


@router.post("/files/plan")
async def make_plan(request: Request, user: str = Depends(page_user), csrf: str = Form(""),
                    folder: str = Form(""), model: str = Form("")) -> Response:
    """`os1 files plan <folder>` (with `--model` when asked): look, then plan; nothing moves."""
    check_csrf(request, csrf)
    state = web(request)
    try:
        path = service.allowed_folder(state.settings, folder)
    except OS1Error as exc:
        return await show(request, user, 400, error=str(exc), folder=folder)
    if _busy(request, user):
        return RedirectResponse("/files", 303)
    llm = state.core.llm if model == "yes" else None

    async def work(job: Job) -> Done:
        job.doing = "Looking"
        run, text = await service.make_plan(state.settings, state.db, user, [path], llm=llm,
                                            progress=lambda n, _: job.progress(n, 0))
        return Done("plan", run, text)

    state.jobs.start(user, TIDYING, work)
    return RedirectResponse("/files", 303)


@router.post("/files/stop")
async def stop(request: Request, user: str = Depends(page_user), csrf: str = Form("")) -> Response:
    """Stop a scan under way (nothing was planned yet, so nothing is left half-done)."""
    check_csrf(request, csrf)
    job = web(request).jobs.get(user, TIDYING)
    if job is not None and job.running and job.doing == "Looking" and job.task is not None:
        job.task.cancel()
        job.error = "Stopped: nothing was planned."
    return RedirectResponse("/files", 303)


@router.get("/files/{run}/apply", response_class=HTMLResponse)
async def confirm_apply(request: Request, run: RowId, user: str = Depends(page_user)) -> HTMLResponse:
    """What applying plan `run` will do, every file listed (up to CONFIRM_LISTED a group)."""
    plan = await plan_view(Journal(web(request).db, user), run, listed=CONFIRM_LISTED)
    if plan is None:
        return _no_plan(request)
    return render(request, "files_apply.html", plan=plan)


@router.post("/files/{run}/apply")
async def apply(request: Request, run: RowId, user: str = Depends(page_user), csrf: str = Form(""),
                confirm: str = Form("")) -> Response:
    """`os1 files apply <run>`, only after the yes of the page above; a rerun finishes an interrupted one."""
    check_csrf(request, csrf)
    if not await _known(request, user, run):
        return _no_plan(request)
    if confirm != "yes":
        return render(request, "message.html", 400, title="Files",
                      text="Nothing moved: applying a plan needs your yes on the page that lists its moves.")
    db = web(request).db
    return _start(request, user, run, "apply", "Moving", lambda p: service.apply(db, user, run, p))


@router.post("/files/{run}/undo")
async def undo(request: Request, run: RowId, user: str = Depends(page_user), csrf: str = Form(""),
               group: str = Form("")) -> Response:
    """`os1 files undo <run> [--group g]`: the files go back where they were."""
    check_csrf(request, csrf)
    if not await _known(request, user, run):
        return _no_plan(request)
    db = web(request).db
    return _start(request, user, run, "undo", "Putting back",
                  lambda p: service.undo(db, user, run, group.strip(), p))


async def _known(request: Request, user: str, run: int) -> bool:
    """Whether `run` is one of this user's plans (another's is as unknown as a missing one)."""
    return await plan_view(Journal(web(request).db, user), run) is not None


def _no_plan(request: Request) -> HTMLResponse:
    return render(request, "message.html", 404, title="Files", text="There is no such plan.")


def _start(request: Request, user: str, run: int, step: str, doing: str,
           go: Callable[[Progress], Awaitable[tuple[int, Outcome]]]) -> Response:
    """Apply or put back plan `run` as the user's one tidying job (unless one runs already: a
    second press joins it) and send the page to that plan, which follows the job."""
    if not _busy(request, user):
        async def work(job: Job) -> Done:
            job.doing = doing
            rid, out = await go(job.progress)
            return Done(step, rid, out.words("Moved" if step == "apply" else "Put back"))

        web(request).jobs.start(user, TIDYING, work)
    return RedirectResponse("/files?" + urlencode({"plan": run}), 303)
