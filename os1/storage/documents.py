"""The text of a document file: Word (.docx), OpenDocument (.odt), PDF, and plain text: Markdown,
LaTeX, reStructuredText, CSV… by name, or any file whose start is plain text.

One reader for every skill that reads documents (the files skill tells an invoice from a lease
by its first words; the letters skill imports whole letters). Word and OpenDocument files are
zip files with the text in XML: it is streamed with the standard library's `iterparse`, paragraph
by paragraph, and reading stops at `limit` characters, so a scan of a home folder reads only the
start of a long report. PDF text comes from pypdf, page by page, also stopping at the limit.
The reader blocks: async callers run it with asyncio.to_thread.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, iterparse

from os1.errors import OS1Error

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged PDF is common, and no news

KINDS = (".txt", ".md", ".docx", ".odt", ".pdf")  # what a person saves a document as (letters import these)
# Plain text by name: LaTeX, reStructuredText, Org, AsciiDoc, tables and data in text. A file of
# any other name is read when its start is plain text (UTF-8, no NUL byte): sniffed, as a scan
# meets `notes` or `invoice.text`.
PLAIN = frozenset({".txt", ".md", ".markdown", ".text", ".tex", ".bib", ".rst", ".org", ".adoc",
                   ".csv", ".tsv", ".json", ".xml", ".yaml", ".yml", ".ini", ".log", ".srt", ".vtt"})
SNIFF = 8192  # bytes looked at to tell text from binary
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_XML = {".docx": "word/document.xml", ".odt": "content.xml"}
_PARAGRAPHS = {_W + "p", _T + "p", _T + "h"}
_BREAKS = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _T + "tab": "\t", _T + "line-break": "\n"}
_NOT_TEXT = {_W + "instrText", _W + "delText"}  # field codes and deleted words


class DocumentUnreadable(OS1Error):
    """A file that cannot be read as a document: an unknown kind, damaged, or not what its name says."""

    code = "document_unreadable"


def _paragraph(el: Element) -> str:
    """A paragraph's words in order, with its tabs, line breaks and runs of spaces."""
    parts: list[str] = []

    def walk(e: Element, top: bool) -> None:
        if e.tag in _BREAKS:
            parts.append(_BREAKS[e.tag])
        elif e.tag == _T + "s":
            parts.append(" " * int(e.get(_T + "c", "1")))
        elif e.text and e.tag not in _NOT_TEXT:
            parts.append(e.text)
        for child in e:
            walk(child, False)
        if not top and e.tail:
            parts.append(e.tail)

    walk(el, True)
    return "".join(parts)


def _office(path: Path, member: str, limit: int | None) -> str:
    """The paragraphs of a .docx/.odt, one per line, until `limit` characters."""
    out: list[str] = []
    size = 0
    with zipfile.ZipFile(path) as z, z.open(member) as f:
        for _, el in iterparse(f):
            if el.tag not in _PARAGRAPHS:
                continue
            out.append(_paragraph(el))
            el.clear()  # a paragraph inside another (a text box) is not read twice
            size += len(out[-1]) + 1
            if limit is not None and size >= limit:
                break
    return "\n".join(out)


def _pdf(path: Path, limit: int | None) -> str:
    with open(path, "rb") as f:
        if b"%PDF" not in f.read(1024):
            raise DocumentUnreadable(f"{path.name} is not a PDF.")  # pypdf would search it all
    from pypdf import PdfReader  # only now: a scan of files that only say .pdf never loads it

    out: list[str] = []
    size = 0
    for page in PdfReader(path).pages:
        out.append(page.extract_text() or "")
        size += len(out[-1])
        if limit is not None and size >= limit:
            break
    return "\n".join(out)


def _plain(path: Path, limit: int | None, sniff: bool) -> str:
    """A text file's characters (undecodable bytes replaced). With `sniff`, a file whose start
    is not plain UTF-8 text is refused instead: a name that says nothing may hide a binary."""
    with open(path, "rb") as f:
        data = f.read(max(SNIFF, limit * 4) if limit is not None else -1)
    if sniff:
        start = data[:SNIFF]
        try:
            start.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(start) - 3:  # not only a character cut at the end of the sample
                raise DocumentUnreadable(f"{path.name} is not a document OS1 reads, nor plain text.",
                                         fix=f"Save it as one of {', '.join(KINDS)}.") from exc
        if b"\x00" in start:
            raise DocumentUnreadable(f"{path.name} is not a document OS1 reads, nor plain text.",
                                     fix=f"Save it as one of {', '.join(KINDS)}.")
    return data.decode("utf-8", "replace")


def read_text(path: Path | str, limit: int | None = None) -> str:
    """The text of the document at `path` (about `limit` characters of it, when given):
    Word, OpenDocument, PDF, plain text by name (PLAIN) or, by any other name, when it is
    plain text; DocumentUnreadable says why it cannot be read."""
    path = Path(path)
    kind = path.suffix.lower()
    try:
        if kind not in _XML and kind != ".pdf":
            text = _plain(path, limit, sniff=kind not in PLAIN)
            if kind == ".tex":  # the words begin after LaTeX's preamble of packages and settings
                _, begun, body = text.partition("\\begin{document}")
                text = body.lstrip() if begun else text
        elif kind == ".pdf":
            text = _pdf(path, limit)
        else:
            text = _office(path, _XML[kind], limit)
    except DocumentUnreadable:
        raise
    except (OSError, ValueError, KeyError, ParseError, zipfile.BadZipFile, RecursionError) as exc:
        raise DocumentUnreadable(f"{path.name} could not be read as {kind[1:] or 'text'}: {exc}.",
                                 fix="Open it in its program, save it again, and use that copy.") from exc
    except Exception as exc:  # noqa: BLE001 - pypdf fails in many ways of its own on a damaged file
        raise DocumentUnreadable(f"{path.name} could not be read as {kind[1:]}: {exc}.",
                                 fix="Open it in its program, save it again, and use that copy.") from exc
    return text[:limit] if limit is not None else text
