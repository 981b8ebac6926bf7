"""Compiling a book plan into files: the PDF (WeasyPrint), the EPUB and PNG previews of the
first pages (pdftoppm from Debian's poppler-utils), reporting progress as it goes.

Everything here blocks (typesetting a 200-page book takes seconds): callers run `compile_book`
with asyncio.to_thread.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from os1.skills.letters.book import BookPlan
from os1.skills.letters.epub import write_epub
from os1.skills.letters.errors import BookError
from os1.skills.letters.typesetting import book_html

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BookFiles:
    pdf: Path
    epub: Path
    previews: list[Path]
    pages: int


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "book"


def previews(pdf: Path, out: Path, pages: int, dpi: int = 40) -> list[Path]:
    """PNG images of the first `pages` pages (for the terminal and the web app)."""
    if shutil.which("pdftoppm") is None:
        raise BookError("pdftoppm is missing, so no previews could be made.",
                        fix="Install the Debian package poppler-utils.")
    prefix = out / "preview"
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", str(pages), str(pdf), str(prefix)],
                   check=True, capture_output=True, timeout=120)
    return sorted(out.glob("preview-*.png"))


def compile_book(plan: BookPlan, out: Path, progress: Progress = lambda _: None,
                 preview_pages: int = 4) -> BookFiles:
    """Write <slug>.pdf, <slug>.epub and preview PNGs into `out`."""
    from weasyprint import HTML

    out.mkdir(parents=True, exist_ok=True)
    name = slug(plan.title)
    letters, chapters = len(plan.letters), len(plan.chapters)
    progress(f"Setting {letters} letter{'s' * (letters != 1)} in {chapters} chapter{'s' * (chapters != 1)}…")
    document = HTML(string=book_html(plan), base_url=str(out)).render()
    pages = len(document.pages)
    progress(f"Writing the PDF ({pages} pages)…")
    pdf = out / f"{name}.pdf"
    document.write_pdf(pdf)
    progress("Writing the EPUB…")
    epub = write_epub(plan, out / f"{name}.epub")
    progress("Making page previews…")
    for old in out.glob("preview-*.png"):
        old.unlink()
    images = previews(pdf, out, min(preview_pages, pages))
    progress("Done.")
    return BookFiles(pdf, epub, images, pages)
