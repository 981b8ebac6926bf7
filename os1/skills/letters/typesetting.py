"""The book as HTML and CSS for WeasyPrint: a title page, the contents with page numbers
(target-counter), the introduction, chapters with running heads (string-set), page numbers,
hyphenation in the book's language, and no widows or orphans.

The font is EB Garamond from Debian's fonts-ebgaramond; a missing font is an error, not a
silent fallback to whatever the machine has.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from os1.skills.letters.book import BookPlan
from os1.skills.letters.errors import BookError

FONT_DIR = Path("/usr/share/fonts/opentype/ebgaramond")
FONTS = {("normal", "normal"): "EBGaramond12-Regular.otf", ("italic", "normal"): "EBGaramond12-Italic.otf",
         ("normal", "bold"): "EBGaramond12-Bold.otf"}
PAGE = {"width_mm": 148, "height_mm": 210, "margin_mm": 20}  # A5 with 2 cm margins

CSS = """
@page {{ size: {width_mm}mm {height_mm}mm; margin: {margin_mm}mm;
  @top-center {{ content: string(chapter); font-style: italic; font-size: 9pt; }}
  @bottom-center {{ content: counter(page); font-size: 9pt; }} }}
@page front {{ @top-center {{ content: none; }} @bottom-center {{ content: none; }} }}
@page :blank {{ @top-center {{ content: none; }} }}
html {{ font-family: "Book Garamond", serif; font-size: 11pt; line-height: 1.35; }}
body {{ hyphens: auto; text-align: justify; widows: 3; orphans: 3; }}
.title-page {{ page: front; text-align: center; padding-top: 45mm; break-after: page; }}
.title-page h1 {{ font-size: 26pt; font-weight: normal; margin: 0 0 8mm; }}
.title-page .author {{ font-size: 14pt; font-style: italic; }}
nav.contents {{ page: front; break-after: page; }}
nav.contents ol {{ list-style: none; padding: 0; }}
nav.contents li {{ margin: 1.5mm 0; text-align: left; }}
nav.contents a {{ color: black; text-decoration: none; }}
nav.contents a::after {{ content: leader('.') target-counter(attr(href), page); }}
h2 {{ string-set: chapter content(); font-weight: normal; font-size: 18pt; break-before: page;
  text-align: center; margin: 20mm 0 10mm; bookmark-level: 1; }}
h3 {{ font-weight: normal; font-style: italic; font-size: 11pt; margin: 8mm 0 3mm; bookmark-level: 2;
  break-after: avoid; }}
section.letter {{ margin-bottom: 6mm; }}
p {{ margin: 0; text-indent: 1.2em; }}
p.first, .introduction p:first-child {{ text-indent: 0; }}
.introduction {{ break-after: page; }}
"""


def font_faces() -> str:
    """@font-face rules for the book's font, or BookError naming the package to install."""
    missing = [name for name in FONTS.values() if not (FONT_DIR / name).exists()]
    if missing:
        raise BookError(f"The book's font is missing ({', '.join(missing)}).",
                        fix="Install the Debian package fonts-ebgaramond.")
    return "\n".join(
        f'@font-face {{ font-family: "Book Garamond"; font-style: {style}; font-weight: {weight}; '
        f'src: url("{(FONT_DIR / name).as_uri()}"); }}' for (style, weight), name in FONTS.items())


def paragraphs(text: str, first_class: str = "first") -> str:
    """A letter's text as paragraphs: blank lines part them, single line breaks are kept."""
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f'<p{" class=" + chr(34) + first_class + chr(34) if i == 0 else ""}>'
                   f'{"<br/>".join(escape(line) for line in part.splitlines())}</p>' for i, part in enumerate(parts))


def letter_heading(recipient: str, written_on: str) -> str:
    return f"To {escape(recipient)}, {escape(written_on)}" if recipient else escape(written_on)


def book_html(plan: BookPlan) -> str:
    """The whole book as one HTML document (its CSS inside)."""
    css = font_faces() + CSS.format(**PAGE)
    toc = [f'<li><a href="#ch{i}">{escape(ch.title)}</a></li>' for i, ch in enumerate(plan.chapters, 1)]
    if plan.introduction:
        toc.insert(0, '<li><a href="#introduction">Introduction</a></li>')
    body = [f'<section class="title-page"><h1>{escape(plan.title)}</h1>'
            f'<div class="author">{escape(plan.author)}</div></section>',
            f'<nav class="contents"><h1 style="font-weight:normal">Contents</h1><ol>{"".join(toc)}</ol></nav>']
    if plan.introduction:
        body.append(f'<section class="introduction"><h2 id="introduction">Introduction</h2>'
                    f'{paragraphs(plan.introduction)}</section>')
    for i, chapter in enumerate(plan.chapters, 1):
        body.append(f'<h2 id="ch{i}">{escape(chapter.title)}</h2>')
        for letter in chapter.letters:
            when = f"{letter.written_on:%B} {letter.written_on.day}, {letter.written_on.year}"
            body.append(f'<section class="letter" id="letter{letter.id}"><h3>'
                        f'{letter_heading(letter.recipient, when)}</h3>{paragraphs(letter.body)}</section>')
    return (f'<!DOCTYPE html><html lang="{escape(plan.language)}"><head><meta charset="utf-8"/>'
            f'<title>{escape(plan.title)}</title><meta name="author" content="{escape(plan.author)}"/>'
            f'<style>{css}</style></head><body>{"".join(body)}</body></html>')
