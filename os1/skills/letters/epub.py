"""The book as EPUB 3, written with zipfile: the mimetype first and stored, the container,
the package document with its metadata, the navigation document, one XHTML file per chapter.
It passes epubcheck (the tests run it)."""

from __future__ import annotations

import uuid
import zipfile
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from os1.skills.letters.book import BookPlan
from os1.skills.letters.typesetting import letter_heading, paragraphs

CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""
CSS = """body { font-family: serif; line-height: 1.4; }
h1, h2 { font-weight: normal; text-align: center; }
h3 { font-weight: normal; font-style: italic; }
p { margin: 0; text-indent: 1.2em; } p.first { text-indent: 0; }
.title { text-align: center; margin-top: 30%; }
"""


def _page(title: str, lang: str, body: str, nav: bool = False) -> str:
    ns = ' xmlns:epub="http://www.idpf.org/2007/ops"' if nav else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="http://www.w3.org/1999/xhtml"{ns} lang="{lang}" xml:lang="{lang}">'
            f'<head><meta charset="utf-8"/><title>{escape(title)}</title>'
            f'<link rel="stylesheet" type="text/css" href="book.css"/></head><body>{body}</body></html>\n')


def book_id(plan: BookPlan) -> str:
    """The same book (title, author, letters) gets the same identifier each time it is made."""
    key = "|".join([plan.title, plan.author, *(str(x.id) for x in plan.letters)])
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'os1-letters:' + key)}"


def write_epub(plan: BookPlan, path: Path) -> Path:
    lang = plan.language
    files: list[tuple[str, str, str]] = []  # (id, href, xhtml)
    files.append(("title", "title.xhtml", _page(plan.title, lang, f'<section class="title">'
                  f'<h1>{escape(plan.title)}</h1><p class="first">{escape(plan.author)}</p></section>')))
    if plan.introduction:
        files.append(("intro", "introduction.xhtml", _page("Introduction", lang,
                      f'<h2 id="introduction">Introduction</h2>{paragraphs(plan.introduction)}')))
    for i, chapter in enumerate(plan.chapters, 1):
        body = [f'<h2 id="ch{i}">{escape(chapter.title)}</h2>']
        for letter in chapter.letters:
            when = f"{letter.written_on:%B} {letter.written_on.day}, {letter.written_on.year}"
            body.append(f'<section id="letter{letter.id}"><h3>{letter_heading(letter.recipient, when)}</h3>'
                        f'{paragraphs(letter.body)}</section>')
        files.append((f"ch{i}", f"chapter{i}.xhtml", _page(chapter.title, lang, "".join(body))))
    entries = [(href, "Introduction" if fid == "intro" else plan.chapters[int(fid[2:]) - 1].title)
               for fid, href, _ in files if fid != "title"]
    nav = _page("Contents", lang, '<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>'
                + "".join(f'<li><a href="{href}">{escape(title)}</a></li>' for href, title in entries)
                + "</ol></nav>", nav=True)
    modified = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    manifest = "".join(f'<item id="{fid}" href="{href}" media-type="application/xhtml+xml"/>' for fid, href, _ in files)
    spine = "".join(f'<itemref idref="{fid}"/>' for fid, _, _ in files)
    opf = (f'<?xml version="1.0" encoding="UTF-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
           f'unique-identifier="bookid" xml:lang="{lang}"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
           f'<dc:identifier id="bookid">{book_id(plan)}</dc:identifier><dc:title>{escape(plan.title)}</dc:title>'
           f'<dc:creator>{escape(plan.author)}</dc:creator><dc:language>{lang}</dc:language>'
           f'<dc:date>{plan.made_on.isoformat()}</dc:date>'
           f'<meta property="dcterms:modified">{modified}</meta></metadata>'
           f'<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
           f'<item id="css" href="book.css" media-type="text/css"/>{manifest}</manifest>'
           f'<spine>{spine}</spine></package>\n')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/content.opf", opf, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/nav.xhtml", nav, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/book.css", CSS, compress_type=zipfile.ZIP_DEFLATED)
        for _, href, xhtml in files:
            z.writestr(f"OEBPS/{href}", xhtml, compress_type=zipfile.ZIP_DEFLATED)
    return path
