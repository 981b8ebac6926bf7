"""The music page: the pieces OS1 composed for the user, each to play (OGG in an <audio>
element) and to read (its engraved SVG score, shown as an image so nothing in it runs).

Files are served by the piece's number and a fixed kind, never by a path from the request, and
only the logged-in user's own pieces are found.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse

from os1.interfaces.web.pages import page_user, render, web
from os1.skills.music.pieces import Pieces
from os1.skills.music.service import score_pdf

router = APIRouter()
KINDS = {"ogg": "audio/ogg", "wav": "audio/wav", "svg": "image/svg+xml", "mid": "audio/midi",
         "musicxml": "application/vnd.recordare.musicxml+xml", "pdf": "application/pdf"}


@router.get("/music", response_class=HTMLResponse)
async def music(request: Request, user: str = Depends(page_user)) -> HTMLResponse:
    pieces = await Pieces(web(request).db).list(user, 50)
    return render(request, "music.html", pieces=pieces)


@router.get("/music/{number}/{kind}")
async def piece_file(number: int, kind: str, request: Request, user: str = Depends(page_user)) -> FileResponse:
    piece = await Pieces(web(request).db).get(user, number)
    if piece is None or kind not in KINDS:
        raise HTTPException(404, "No such piece.")
    if kind == "pdf":
        await score_pdf(piece)  # made the first time it is asked for
    if not piece.file(kind).exists():
        raise HTTPException(404, "No such piece.")
    name = f"piece-{number}.{kind}"
    return FileResponse(piece.file(kind), media_type=KINDS[kind], filename=name,
                        content_disposition_type="inline")
