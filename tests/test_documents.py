"""The one document reader (os1.storage.documents) on real files of each kind, made with the
libraries that write them: the words in order, the limit honoured, and damaged or unknown
files refused with a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.files.samples import pdf
from os1.storage.documents import DocumentUnreadable, read_text

LINES = ["Dear Amy,", "Thank you for the roses & the tulips.", "Love, Ben"]


def _docx(path: Path) -> None:
    import docx

    d = docx.Document()
    for line in LINES:
        d.add_paragraph(line)
    d.paragraphs[1].add_run(" And\tthe bulbs.").bold = True
    d.save(str(path))


def _odt(path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import P, S, Span

    d = OpenDocumentText()
    for line in LINES:
        d.text.addElement(P(text=line))
    p = d.text.childNodes[1]
    p.addElement(S(c=2))
    p.addElement(Span(text="And the bulbs."))
    d.save(str(path))


@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_office_files_read_paragraph_by_paragraph(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"letter.{kind}"
    {"docx": _docx, "odt": _odt}[kind](path)
    text = read_text(path)
    lines = text.splitlines()
    assert lines[0] == "Dear Amy," and lines[-1] == "Love, Ben"
    assert lines[1].startswith("Thank you for the roses & the tulips.") and "bulbs." in lines[1]
    assert read_text(path, limit=12) == "Dear Amy,\nTh"


def test_text_markdown_and_pdf(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Lease\n\nThe flat at 3 Rua Augusta.", encoding="utf-8")
    assert read_text(tmp_path / "a.md").startswith("# Lease") and read_text(tmp_path / "a.md", 7) == "# Lease"
    (tmp_path / "b.txt").write_bytes(b"caf\xe9 bill")  # not UTF-8: read, not refused
    assert read_text(tmp_path / "b.txt") == "caf\ufffd bill"
    pdf(tmp_path / "c.pdf", "INVOICE No. 42 Acme GmbH")
    assert "INVOICE No. 42" in read_text(tmp_path / "c.pdf")


def test_plain_text_by_name_or_by_its_content(tmp_path: Path) -> None:
    """LaTeX, reStructuredText, Org, CSV, JSON… are read as text by their name; a file of any
    other name when it is UTF-8 text, even cut in the middle of a character by the limit."""
    for name in ("inv.tex", "notes.rst", "todo.org", "t.csv", "d.json", "README", "invoice.text"):
        (tmp_path / name).write_text("Rechnung Nr. 7 — € 12", encoding="utf-8")
        assert read_text(tmp_path / name) == "Rechnung Nr. 7 — € 12", name
    (tmp_path / "long").write_text("x" + "é" * 10000, encoding="utf-8")  # the sample ends inside a character
    assert read_text(tmp_path / "long", 100) == "x" + "é" * 99
    (tmp_path / "latin.tex").write_bytes(b"caf\xe9 \\invoice")  # by its name: read, not refused
    assert read_text(tmp_path / "latin.tex") == "caf\ufffd \\invoice"


def test_damaged_and_unknown_files_are_refused_clearly(tmp_path: Path) -> None:
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    with pytest.raises(DocumentUnreadable, match="could not be read as docx"):
        read_text(tmp_path / "bad.docx")
    (tmp_path / "bad.pdf").write_bytes(b"\x00" * 50)
    with pytest.raises(DocumentUnreadable, match="not a PDF"):
        read_text(tmp_path / "bad.pdf")
    (tmp_path / "x.bin").write_bytes(b"INVOICE\x00\x01\x02")
    with pytest.raises(DocumentUnreadable, match="not a document OS1 reads, nor plain text"):
        read_text(tmp_path / "x.bin")
    (tmp_path / "y.dat").write_bytes(b"\xff\xfe\xfd" + "é".encode() * 5000)  # not UTF-8 at its start
    with pytest.raises(DocumentUnreadable, match="nor plain text"):
        read_text(tmp_path / "y.dat", 100)
    with pytest.raises(DocumentUnreadable, match="could not be read"):
        read_text(tmp_path / "gone.txt")
