"""The book, checked as a reader would: pypdf and pdfplumber read the PDF (pages, contents and
their page numbers, embedded fonts, nothing outside the margins), epubcheck validates the EPUB,
pdftoppm made the previews."""

import random
import re
import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from os1.skills.letters.book import plan_book
from os1.skills.letters.bookmaking import compile_book
from os1.skills.letters.errors import BookError
from os1.skills.letters.repository import Letter
from os1.skills.letters.typesetting import PAGE
from tests.cli_helpers import os1, out

WORDS = ("the garden was quiet after the rain and we talked about everything that had happened since "
         "the summer when you first came to stay with us by the sea").split()


def _letters(n: int) -> list[Letter]:
    rng = random.Random(3)
    out = []
    for i in range(1, n + 1):
        paras = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90))).capitalize() + "."
                 for _ in range(rng.randint(2, 5))]
        out.append(Letter(i, rng.choice(["Amy", "Chris", "Loretta"]), date(2026, 1 + (i * 5) % 12, 1 + i % 27),
                          "", "Dear friend,\n\n" + "\n\n".join(paras) + "\n\nLove,\nTheo"))
    return out


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    plan = plan_book(_letters(24), "A Year of Letters", "Theodore Twombly",
                     introduction="These are letters I wrote this year.\n\nEach one for someone.")
    said = []
    files = compile_book(plan, tmp_path_factory.mktemp("book"), said.append)
    return plan, files, said


def _text(page) -> str:
    return " ".join(page.extract_text().split())


def test_the_pdf_has_its_pages_contents_and_page_numbers(made):
    plan, files, said = made
    reader = PdfReader(files.pdf)
    assert len(reader.pages) == files.pages > 10
    assert "A Year of Letters" in _text(reader.pages[0]) and "Theodore Twombly" in _text(reader.pages[0])
    contents = _text(reader.pages[1])
    entries = re.findall(r"([A-Z][a-z]+(?: \d{4})?)\s*\.+\s*(\d+)", contents)
    titles = ["Introduction"] + [c.title for c in plan.chapters]
    assert [t for t, _ in entries] == titles, contents
    for title, page in entries:  # each chapter starts on the page the contents give, under its head
        text = _text(reader.pages[int(page) - 1])
        assert text.split()[-1] == page and title in text, (title, page, text[:80])
    n = files.pages // 2
    middle = _text(reader.pages[n])  # the margin boxes come last: the running head, the number
    assert any(middle.endswith(f"{c.title} {n + 1}") for c in plan.chapters), middle[-40:]
    assert said[0].startswith("Setting 24 letters") and said[-1] == "Done."  # progress


def test_the_fonts_are_embedded_and_no_text_leaves_the_margins(made):
    import pdfplumber
    _, files, _ = made
    reader = PdfReader(files.pdf)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts == {"Book-Garamond", "Book-Garamond-Italic"}
    mm = 72 / 25.4
    margin = PAGE["margin_mm"] * mm
    with pdfplumber.open(files.pdf) as pdf:
        for page in pdf.pages:
            for ch in page.chars:
                assert ch["x0"] >= margin - 0.5 and ch["x1"] <= page.width - margin + 0.5, ch["text"]
                assert ch["top"] >= margin - 12 * mm and ch["bottom"] <= page.height - margin + 12 * mm  # heads in the margin boxes
    body = [ch for page in pdfplumber.open(files.pdf).pages[3:6] for ch in page.chars if ch["size"] > 10]
    assert body and all(margin - 0.5 <= ch["top"] and ch["bottom"] <= 210 * mm - margin + 0.5 for ch in body)


def test_the_epub_passes_epubcheck_and_the_previews_are_pngs(made):
    _, files, _ = made
    assert shutil.which("java"), "epubcheck needs Java (Debian's epubcheck installs it)"
    r = subprocess.run(["java", "-jar", "/usr/bin/epubcheck", str(files.epub)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "No errors or warnings detected" in r.stdout, r.stdout + r.stderr
    assert len(files.previews) == 4 and all(p.read_bytes()[:4] == b"\x89PNG" for p in files.previews)


def test_a_book_without_letters_or_font_says_what_to_do(tmp_path, monkeypatch):
    with pytest.raises(BookError, match="No letters"):
        plan_book([], "T", "A")
    from os1.skills.letters import typesetting
    monkeypatch.setattr(typesetting, "FONT_DIR", tmp_path)
    with pytest.raises(BookError, match="fonts-ebgaramond"):
        compile_book(plan_book(_letters(1), "T", "A"), tmp_path / "out")


def test_the_cli_plans_a_book_the_user_edits_and_compiles_it_as_edited(tmp_path):
    for i, (who, day) in enumerate([("Amy", "2026-02-01"), ("Chris", "2026-07-04"), ("Paul", "2026-08-01"),
                                    ("Dora", "2025-12-01")]):
        os1("letters", "add", "--to", who, "--date", day, stdin=f"Dear {who},\n\nLetter number {i}.\n\nTheo")
    r = os1("letters", "book", "plan", "--year", "2026", "--chapters", "recipient", "--plain")
    assert r.returncode == 0, out(r)
    assert "3 letters in 3 chapters" in out(r) and "These are 3 letters I wrote" in out(r)
    assert os1("letters", "book", "title", "Twenty Twenty-Six").returncode == 0
    assert os1("letters", "book", "drop", "3").returncode == 0  # Paul's
    assert os1("letters", "book", "chapter", "1", "For Amy").returncode == 0
    r = os1("letters", "book", "drop", "4")
    assert r.returncode == 2 and "not in the book" in out(r)
    r = os1("letters", "book", "compile", "--out", str(tmp_path / "book"))
    assert r.returncode == 0, out(r)
    assert "Setting 2 letters in 2 chapters" in out(r)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "book" / "twenty-twenty-six.pdf").pages)
    assert "For Amy" in text and "To Chris" in text and "Dear Paul" not in text and "Dora" not in text
