"""The letters library: kept per user, imported from every kind of file, searched, edited."""

from datetime import date

import pytest

from os1.skills.letters.errors import LetterNotFound, LetterUnreadable
from os1.skills.letters.importing import parse_letter, read_text
from os1.skills.letters.repository import LetterRepository
from tests.cli_helpers import os1, out

BODY = "March 3, 2026\n\nDear Amy,\n\nThe roses you planted are blooming by the gate.\n\nLove,\nTheodore"


async def test_letters_are_kept_per_user_searched_and_edited(store):
    repo = LetterRepository(store)
    lid = await repo.add("tester", "Amy", date(2026, 3, 3), "spring", BODY)
    await repo.add("tester", "Chris", date(2025, 5, 1), "", "Dear Chris, the bus stop in 1974.")
    await repo.add("other", "Amy", date(2026, 3, 4), "", "Roses for someone else.")
    assert [x.id for x in await repo.search("tester", "roses")] == [lid]  # not the other user's
    assert [x.recipient for x in await repo.select("tester", year=2026)] == ["Amy"]
    assert (await repo.latest_to("tester", "amy")).id == lid
    await repo.update("tester", lid, body="Dear Amy, the tulips came up.", occasion="thanks")
    assert await repo.search("tester", "roses") == []  # the index follows the edit
    assert [x.id for x in await repo.search("tester", "tulips thanks")] == [lid]
    assert await repo.search("tester", 'AND "(') == []  # typed words are searched, not parsed
    with pytest.raises(LetterNotFound):
        await repo.get("other", lid)


def _docx(path, lines):
    import docx
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    d.save(path)


def _odt(path, lines):
    from odf.opendocument import OpenDocumentText
    from odf.text import P
    d = OpenDocumentText()
    for line in lines:
        d.text.addElement(P(text=line))
    d.save(str(path))


def _pdf(path, lines):
    from weasyprint import HTML
    HTML(string="".join(f"<p>{line}</p>" for line in lines)).write_pdf(path)


@pytest.mark.parametrize("kind", ["txt", "md", "docx", "odt", "pdf"])
def test_each_kind_of_file_reads_as_a_letter(tmp_path, kind):
    lines = BODY.split("\n")
    path = tmp_path / f"amy.{kind}"
    if kind in ("txt", "md"):
        path.write_text(BODY)
    else:
        {"docx": _docx, "odt": _odt, "pdf": _pdf}[kind](path, [x for x in lines if x])
    letter = parse_letter(path)
    assert letter.recipient == "Amy" and letter.written_on == date(2026, 3, 3)
    assert "roses you planted" in " ".join(letter.body.split())


def test_a_damaged_or_unknown_file_says_what_to_do(tmp_path):
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    with pytest.raises(LetterUnreadable, match="could not be read as docx"):
        read_text(tmp_path / "bad.docx")
    (tmp_path / "x.rtf").write_text("{\\rtf}")
    with pytest.raises(LetterUnreadable, match="reads letters from"):
        read_text(tmp_path / "x.rtf")


def test_the_cli_imports_lists_searches_shows_and_edits(tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "amy.txt").write_text(BODY)
    _docx(folder / "chris.docx", ["Dear Chris,", "Happy anniversary to you both."])
    r = os1("letters", "import", str(folder))
    assert r.returncode == 0 and "to Amy" in out(r) and "to Chris" in out(r), out(r)
    assert "#1 2026-03-03 to Amy" in out(os1("letters", "list", "--year", "2026"))
    assert "to Chris" in out(os1("letters", "search", "anniversary"))
    new = tmp_path / "new.txt"
    new.write_text("Dear Amy, the tulips came up.")
    assert os1("letters", "edit", "1", "--text-file", str(new), "--occasion", "spring").returncode == 0
    assert "tulips" in out(os1("letters", "show", "1"))
    r = os1("letters", "add", "--to", "Loretta", "--date", "2026-06-01", stdin="Dear Loretta, fifty years!")
    assert "Letter #3 kept" in out(r)
    assert "No letter" in out(os1("letters", "search", "roses"))
