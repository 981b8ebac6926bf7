"""Tidying in conversation, through the core turn: the plan is read-only and needs no yes; the
apply is asked first and nothing moves on a no."""

from __future__ import annotations

from os1.core.conversation import Companion
from os1.events import EventType
from os1.models.base import ToolCall
from os1.plugins import tools as registered_tools
from tests.fakes import ScriptedLLM
from tests.files_trees import messy, picture


async def test_tidy_up_my_downloads_then_no_then_yes(settings, store, tmp_path) -> None:
    home = tmp_path / "Downloads"
    messy(home)
    before = picture(home)
    asked = []

    async def answer(request):
        asked.append(request)
        return len(asked) > 1  # no the first time, yes the second

    llm = ScriptedLLM(ToolCall("a", "tidy_plan", {"folder": str(home)}),
                      {"places": [{"n": 1, "folder": "Misc/Unknown"}]},  # the model places mystery.bin
                      "Here is my plan.",
                      ToolCall("b", "tidy_apply", {"plan": 1}), "Fine, nothing moved.",
                      ToolCall("c", "tidy_apply", {"plan": 1}), "Done.")
    session = await Companion(settings, llm, store, registered_tools()).session(confirm=answer)
    [e async for e in session.turn("Tidy up my Downloads folder please")]
    assert asked == [] and picture(home) == before  # planning asks nothing and moves nothing
    [result] = [e for e in session.last_trace.events if e.type == EventType.TOOL_RESULT]
    assert result.data["ok"] and result.data["result"].startswith("Plan #1 for ")
    plan = "\n".join(str(m.get("content")) for p in llm.prompts for m in p)  # what the model read
    assert "move 1 invoice into Documents/Finance/Invoices" in plan
    assert "into Misc/Unknown (e.g. mystery.bin)" in plan
    [e async for e in session.turn("go ahead")]
    assert len(asked) == 1 and picture(home) == before
    question = asked[0].summary  # the plan itself, in the words it was shown in
    assert "move 1 invoice into Documents/Finance/Invoices" in question and "plan=1" not in question
    [e async for e in session.turn("yes, go ahead")]
    assert len(asked) == 2
    assert (home / "Documents/Finance/Invoices/invoice_march.txt").exists()


async def test_put_the_file_in_a_folder_is_asked_first_and_then_placed(settings, store, tmp_path) -> None:
    from os1.skills.files import service

    home = tmp_path / "Downloads"
    messy(home)
    await service.make_plan(settings, store, settings.user, [str(home)])
    asked = []

    async def answer(request):
        asked.append(request)
        return True

    llm = ScriptedLLM(ToolCall("a", "tidy_place", {"file": "mystery", "folder": "Documents/Data"}), "Done.")
    session = await Companion(settings, llm, store, registered_tools()).session(confirm=answer)
    [e async for e in session.turn("Put the mystery file in Documents/Data")]
    assert len(asked) == 1 and "'mystery'" in asked[0].summary and "'Documents/Data'" in asked[0].summary
    [result] = [e for e in session.last_trace.events if e.type == EventType.TOOL_RESULT]
    assert result.data["ok"] and "now puts mystery.bin into Documents/Data" in result.data["result"]
    assert "1. put files called mystery.bin in Documents/Data (learned)" in await service.rules(store, settings.user)
