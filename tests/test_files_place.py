"""Placing one file of a plan where the user says ("put the lease in Documents/Housing"), before
or after the plan is applied, undoably, learned for the next plan; and the rules listed and
forgotten. Real folders and the real database; the CLI as a user runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from os1.errors import InputError
from os1.skills.files import service
from os1.skills.files.journal import Journal
from tests.cli_helpers import os1, out
from tests.files_trees import messy, picture, write


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    root = tmp_path / "Downloads"
    messy(root)
    return root


async def _held(store, user: str, run: int) -> list[str]:
    return [Path(o.src).name for o in await Journal(store, user).ops(run) if o.action == "hold"]


async def test_a_held_file_is_added_to_the_plan_and_learned_for_the_next(settings, store, downloads, tmp_path):
    user = settings.user
    before = picture(downloads)
    run, _ = await service.make_plan(settings, store, user, [str(downloads)])
    assert "mystery.bin" in await _held(store, user, run)

    _, said = await service.place(store, user, "mystery", "Documents/Data")
    assert said == (f"Plan #{run} now puts mystery.bin into Documents/Data; "
                    "files called mystery.bin go there from now on.")
    assert picture(downloads) == before  # only the plan changed
    assert "mystery.bin" not in await _held(store, user, run)
    assert "you put mystery.bin into Documents/Data" in (await service.plan_of(store, user, run)).summary

    await service.apply(store, user, run)
    assert (downloads / "Documents/Data/mystery.bin").read_bytes() == b"\x00\x01\x02"
    await service.undo(store, user, run)
    assert picture(downloads) == before

    other = tmp_path / "Desktop"
    write(other / "mystery.bin", b"another")
    again, text = await service.make_plan(settings, store, user, [str(other)])
    ops = await Journal(store, user).ops(again)
    assert [(o.action, o.dst) for o in ops] == [("move", str(other / "Documents/Data/mystery.bin"))]
    assert "move 1 data into Documents/Data" in text


async def test_in_an_applied_plan_the_file_moves_at_once_and_can_be_put_back(settings, store, downloads):
    user = settings.user
    run, _ = await service.make_plan(settings, store, user, [str(downloads)])
    await service.apply(store, user, run)
    moved = picture(downloads)

    _, said = await service.place(store, user, str(downloads / "mystery.bin"), str(downloads / "Misc"))
    assert said == f"Moved mystery.bin into Misc. Undo with: os1 files undo {run} --group misc"
    assert (downloads / "Misc/mystery.bin").read_bytes() == b"\x00\x01\x02"
    assert not (downloads / "mystery.bin").exists()
    assert "Misc/mystery.bin" in "\n".join(new for _, new in await service.where(store, user, "mystery"))

    await service.undo(store, user, run, "misc")
    assert picture(downloads) == moved and not (downloads / "Misc").exists()


async def test_what_cannot_be_placed_is_said(settings, store, downloads, tmp_path):
    user = settings.user
    with pytest.raises(InputError, match="no such tidy-up plan"):
        await service.place(store, user, "mystery", "Misc")
    write(downloads / "mystery two.bin", b"\x09")
    run, _ = await service.make_plan(settings, store, user, [str(downloads)])
    with pytest.raises(InputError, match="2 files match 'mystery'"):
        await service.place(store, user, "mystery", "Misc")
    with pytest.raises(InputError, match="No file of the plan"):
        await service.place(store, user, "nothing like it", "Misc")
    for folder in ("../Elsewhere", "Misc/../..", str(tmp_path / "Outside"), " "):
        with pytest.raises(InputError):
            await service.place(store, user, "mystery.bin", folder)
    await service.apply(store, user, run)
    with pytest.raises(InputError, match="already moved"):
        await service.place(store, user, "flat lease", "Documents/Housing")


async def test_rules_are_listed_and_one_is_forgotten(settings, store, downloads):
    user = settings.user
    assert await service.rules(store, user) == []
    await service.never(store, user, "Music")
    await service.make_plan(settings, store, user, [str(downloads)])
    await service.place(store, user, "mystery", "Documents/Data")
    assert await service.rules(store, user) == [
        "1. never touch Music (you said)", "2. put files called mystery.bin in Documents/Data (learned)"]
    assert await service.forget_rule(store, user, 1) == "Forgot: never touch Music."
    assert await service.rules(store, user) == ["1. put files called mystery.bin in Documents/Data (learned)"]
    with pytest.raises(InputError, match="no rule 5"):
        await service.forget_rule(store, user, 5)


def test_the_commands_place_list_and_forget(settings, downloads):
    assert os1("files", "plan", str(downloads)).returncode == 0
    placed = os1("files", "place", "mystery", "Documents/Data")
    assert placed.returncode == 0 and "now puts mystery.bin into Documents/Data" in out(placed), out(placed)
    assert "1. put files called mystery.bin in Documents/Data (learned)" in out(os1("files", "rules"))
    assert "Forgot: put files called mystery.bin" in out(os1("files", "forget-rule", "1"))
    assert "No rules yet." in out(os1("files", "rules"))
    wrong = os1("files", "forget-rule", "3")
    assert wrong.returncode != 0 and "There is no rule 3" in out(wrong)


async def test_a_rule_for_one_file_by_its_exact_name_or_for_a_pattern(settings, store, downloads):
    """"Put flat lease signed.txt in Documents/Housing" before any plan holds it: a stated rule
    the next plan follows for that one file (its look-alikes go by the usual rules), even out
    of a folder of the user's own order; a pattern ("*.bin") places every file it matches."""
    user = settings.user
    write(downloads / "old lease.txt", b"Tenancy agreement, 2019")
    write(downloads / "Documents" / "Misc" / "deposit.txt", b"Tenancy deposit")
    _, said = await service.place(store, user, "flat lease signed.txt", "Documents/Home")
    assert said == "Files called flat lease signed.txt go into Documents/Home from now on: the next tidy-up puts them there."
    _, said = await service.place(store, user, "Flat Lease Signed.txt", "Documents/Housing")  # the newest word counts
    await service.place(store, user, "deposit.txt", "Documents/Housing")
    await service.place(store, user, "*.bin", "Misc/Data")
    assert await service.rules(store, user) == [
        "1. put files called flat lease signed.txt in Documents/Housing (you said)",
        "2. put files called deposit.txt in Documents/Housing (you said)",
        "3. put files matching *.bin in Misc/Data (you said)"]
    with pytest.raises(InputError, match="a rule names a folder inside each tidied one"):
        await service.place(store, user, "lease.pdf", str(downloads / "Documents"))

    run, text = await service.make_plan(settings, store, user, [str(downloads)])
    moved = {Path(o.src).name: str(Path(o.dst).parent.relative_to(downloads))
             for o in await Journal(store, user).ops(run) if o.action == "move"}
    assert moved["flat lease signed.txt"] == "Documents/Housing"
    assert moved["deposit.txt"] == "Documents/Housing"  # out of Documents/Misc: the user named it
    assert moved["old lease.txt"] == "Documents/Contracts"  # only the named file
    assert moved["mystery.bin"] == "Misc/Data" and "mystery.bin" not in await _held(store, user, run)

    write(downloads / "mystery two.bin", b"\x09")  # an exact name picks one file of a plan
    run, _ = await service.make_plan(settings, store, user, [str(downloads)])
    _, said = await service.place(store, user, "mystery.bin", "Misc/Other")
    assert said == f"Plan #{run} now puts mystery.bin into Misc/Other; files called mystery.bin go there from now on."
