"""The files skill on real folders and the real database: scan, the plan's words, apply and
undo (exact), changed files and name clashes, crash recovery of one move, learning."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from os1.errors import InputError
from os1.skills.files import fsops, service
from os1.skills.files.journal import Journal
from os1.skills.files.scan import scan
from tests.fakes import ScriptedLLM
from tests.files_trees import folders, messy, picture, write


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    root = tmp_path / "Downloads"
    messy(root)
    return root


def test_the_scan_leaves_projects_hidden_files_and_symlinks_alone_and_keeps_odd_names(downloads: Path) -> None:
    write(downloads / "private" / "diary.txt", b"dear diary")
    (downloads / ".os1ignore").write_text("private/\n*.bin\n")
    found = scan([str(downloads)])
    names = {os.fsencode(e.name) for e in found.entries}
    assert b"caf\xe9 menu.txt" in names
    assert {b"diary.txt", b"mystery.bin", b".hidden.txt", b"link.txt", b"invoice.txt"}.isdisjoint(names)
    assert found.projects == [str(downloads / "tool")]
    assert found.links == [str(downloads / "link.txt")]
    assert found.ignored >= 3


def test_a_folder_that_cannot_be_read_is_reported_and_skipped(downloads: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.scandir

    def scandir(path: str) -> object:  # root reads everything: the refusal is made here
        if path.endswith("old"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = scan([str(downloads)])
    assert found.errors == [(str(downloads / "old"), "Permission denied")]
    assert any(e.name == "song.mp3" for e in found.entries)


async def test_the_plan_is_words_with_groups_duplicates_kept_and_files_held_back(settings, store, downloads) -> None:
    run_id, text = await service.make_plan(settings, store, settings.user, [str(downloads)])
    assert f"Plan #{run_id}" in text
    assert "move 1 invoice into Documents/Finance/Invoices" in text
    assert "move 1 contract into Documents/Contracts (e.g. flat lease signed.txt)" in text
    assert "put 1 exact duplicate in OS1's trash (copies kept: invoice_march (copy).txt → kept invoice_march.txt)" in text
    assert "held back for you: 1 file I am unsure of (e.g. mystery.bin)" in text
    assert "1 project left whole" in text and "1 symlink" in text
    assert picture(downloads) == picture(downloads)  # nothing moved: planning is read-only
    assert (downloads / "invoice_march.txt").exists()


async def test_apply_then_undo_is_the_identity_with_read_only_files_and_odd_names(settings, store, downloads) -> None:
    write(downloads / "report.pdf", b"%PDF-1.4 statement of account", mode=0o444)
    before, dirs = picture(downloads), folders(downloads)
    run_id, _ = await service.make_plan(settings, store, settings.user, [str(downloads)])
    _, out = await service.apply(store, settings.user, run_id)
    assert out.done == 7 and not out.skipped
    after = picture(downloads)
    assert b"Documents/Finance/Invoices/invoice_march.txt" in after
    assert os.fsencode("Documents/caf\udce9 menu.txt") in after
    assert b"mystery.bin" in after and b"tool/invoice.txt" in after
    assert b"old/invoice_march (copy).txt" not in after  # in OS1's trash, not deleted
    _, back = await service.undo(store, settings.user, run_id)
    assert back.done == 7 and not back.skipped
    assert picture(downloads) == before and folders(downloads) == dirs
    assert not os.path.exists(service.trash_dir(settings))  # the folders the run made are gone too


async def test_one_group_is_put_back_alone(settings, store, downloads) -> None:
    run_id, _ = await service.make_plan(settings, store, settings.user, [str(downloads)])
    await service.apply(store, settings.user, run_id)
    _, out = await service.undo(store, settings.user, run_id, "Invoice")  # as said, singular or not
    assert out.done == 1
    assert (downloads / "invoice_march.txt").exists()
    assert (downloads / "Documents" / "Contracts" / "flat lease signed.txt").exists()
    with pytest.raises(InputError, match="no group 'leases'"):
        await service.undo(store, settings.user, run_id, "leases")


async def test_a_file_changed_since_the_plan_is_skipped_and_a_name_clash_gets_a_suffix(settings, store, downloads) -> None:
    run_id, _ = await service.make_plan(settings, store, settings.user, [str(downloads)])
    mtime = os.stat(downloads / "song.mp3").st_mtime_ns
    write(downloads / "song.mp3", b"ID3 not really a sonG", mtime)  # same size and mtime: the hash tells
    write(downloads / "Documents/Finance/Invoices/invoice_march.txt", b"someone else's")
    _, out = await service.apply(store, settings.user, run_id)
    assert out.skipped == ["song.mp3: changed since the plan"]
    assert (downloads / "song.mp3").exists()
    assert (downloads / "Documents/Finance/Invoices/invoice_march.txt").read_bytes() == b"someone else's"
    assert (downloads / "Documents/Finance/Invoices/invoice_march (2).txt").read_bytes().startswith(b"INVOICE")
    (downloads / "Documents/Contracts/flat lease signed.txt").write_bytes(b"edited after the move")
    _, back = await service.undo(store, settings.user, run_id)
    assert "flat lease signed.txt: changed since it was moved" in back.skipped
    assert (downloads / "invoice_march.txt").exists()


def test_a_move_across_filesystems_copies_verifies_and_keeps_mode_and_mtime(tmp_path: Path, monkeypatch) -> None:
    src, dst = tmp_path / "a" / "f.txt", tmp_path / "b" / "f.txt"
    write(src, b"bytes" * 1000, mode=0o600)
    dst.parent.mkdir()
    was = os.stat(src)
    monkeypatch.setattr(fsops, "_same_fs", lambda s, d: False)
    fsops.move(str(src), str(dst))
    st = os.stat(dst)
    assert not src.exists() and dst.read_bytes() == b"bytes" * 1000
    assert (st.st_mode, st.st_mtime_ns) == (was.st_mode, was.st_mtime_ns)


def test_settle_finishes_or_rolls_back_a_half_made_move(tmp_path: Path) -> None:
    src, dst = tmp_path / "f", tmp_path / "g"
    write(src, b"one")
    os.link(src, dst)  # died after the link, before the unlink
    assert fsops.settle(str(src), str(dst)) == "done" and not src.exists() and dst.read_bytes() == b"one"
    write(src, b"two")
    (tmp_path / ("h" + fsops.PART)).write_bytes(b"tw")  # died during a copy across filesystems
    assert fsops.settle(str(src), str(tmp_path / "h")) == "todo"
    assert src.read_bytes() == b"two" and not (tmp_path / ("h" + fsops.PART)).exists()


async def test_the_next_plan_learns_from_a_file_put_back_a_renamed_folder_and_a_stated_rule(settings, store, downloads) -> None:
    run_id, _ = await service.make_plan(settings, store, settings.user, [str(downloads)])
    await service.apply(store, settings.user, run_id)
    os.rename(downloads / "Music" / "song.mp3", downloads / "song.mp3")  # the user puts it back
    os.rename(downloads / "Documents/Finance/Invoices", downloads / "Documents/Finance/Bills")
    write(downloads / "invoice_april.txt", b"INVOICE 43")
    write(downloads / "tune.mp3", b"ID3 another")
    assert await service.never(store, settings.user, "Photos") == "I will never touch Photos."
    write(downloads / "IMG_0002.jpg", b"\xff\xd8 another photo")
    _, text = await service.make_plan(settings, store, settings.user, [str(downloads)])
    assert "song.mp3 stays where you put it back" in text
    assert "Documents/Finance/Invoices is now Documents/Finance/Bills" in text
    assert "move 1 invoice into Documents/Finance/Bills (e.g. invoice_april.txt)" in text
    assert "song.mp3" not in text.split("Learned")[0] and "tune.mp3" in text
    assert "IMG_0002.jpg" not in text  # nothing goes into Photos any more


async def test_where_did_you_put_the_lease(settings, store, downloads) -> None:
    run_id, _ = await service.make_plan(settings, store, settings.user, [str(downloads)])
    await service.apply(store, settings.user, run_id)
    found = await service.where(store, settings.user, "the lease")
    assert found == [(str(downloads / "flat lease signed.txt"),
                      str(downloads / "Documents/Contracts/flat lease signed.txt"))]


async def test_the_model_places_what_no_rule_could_and_bad_folders_are_refused(settings, store, downloads) -> None:
    write(downloads / "lisbon_notes.xyz", b"tram 28")
    llm = ScriptedLLM({"places": [{"n": 1, "folder": "../etc"}, {"n": 2, "folder": "Travel/Lisbon"}]})
    run_id, text = await service.make_plan(settings, store, settings.user, [str(downloads)], llm=llm)
    ops = {os.path.basename(o.src): o for o in await Journal(store, settings.user).ops(run_id)}
    assert ops["lisbon_notes.xyz"].dst == str(downloads / "Travel/Lisbon/lisbon_notes.xyz")
    assert ops["mystery.bin"].action == "hold"  # "../etc" is no place


async def test_the_whole_disk_and_missing_folders_are_refused(settings, store, tmp_path) -> None:
    with pytest.raises(InputError, match="whole disk"):
        await service.make_plan(settings, store, settings.user, ["/"])
    with pytest.raises(InputError, match="no folder"):
        await service.make_plan(settings, store, settings.user, [str(tmp_path / "nope")])


def test_text_from_word_and_opendocument_files_places_them(tmp_path: Path) -> None:
    import docx
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    from os1.skills.files.rules import place

    word = docx.Document()
    word.add_paragraph("Residential Lease")
    word.save(str(tmp_path / "scan.docx"))
    odt = OpenDocumentText()
    odt.text.addElement(P(text="Residential Lease"))
    odt.save(str(tmp_path / "scan.odt"))
    found = scan([str(tmp_path)])
    assert {e.name: place(e).folder for e in found.entries} == {  # type: ignore[union-attr]
        "scan.docx": "Documents/Contracts", "scan.odt": "Documents/Contracts"}


def test_latex_and_other_plain_text_sources_are_placed_by_what_they_say(tmp_path: Path) -> None:
    """A .tex invoice whose preamble is longer than the words a plan looks at, reST and Org
    notes: the text after the preamble decides, as for a PDF."""
    from os1.skills.files.rules import place

    preamble = "\\documentclass[11pt]{article}\n" + "".join(
        f"\\usepackage{{package{i}}}\n" for i in range(40)) + "\\begin{document}\n"
    write(tmp_path / "scan_0042.tex", (preamble + "\\textbf{INVOICE} No. 2025-07, total 120 EUR\n"
                                       "\\end{document}\n").encode())
    write(tmp_path / "flat.rst", b"Tenancy agreement\n=================\n")
    write(tmp_path / "paper.tex", (preamble + "A note on walking.\\end{document}").encode())
    write(tmp_path / "payslip_notes.org", b"* Notes")  # the name still says it first
    assert len(preamble) > 400
    found = scan([str(tmp_path)])
    assert {e.name: place(e).folder for e in found.entries} == {  # type: ignore[union-attr]
        "scan_0042.tex": "Documents/Finance/Invoices", "flat.rst": "Documents/Contracts",
        "paper.tex": "Documents", "payslip_notes.org": "Documents/Finance/Payslips"}


def test_a_scan_stops_when_cancelled(tmp_path: Path) -> None:
    import threading

    from os1.skills.files.scan import Cancelled

    for i in range(30):
        write(tmp_path / f"d{i}" / "f.txt", b"x")
    cancel = threading.Event()
    with pytest.raises(Cancelled):
        scan([str(tmp_path)], progress=lambda n, path: cancel.set(), cancel=cancel, every=5)
