"""The companion's tools for tidying: a plan in words (read-only: nothing moves), applying it
and undoing it, putting one file in a folder the user names (all asked first: `confirm=True`),
and "where did you put the lease?"."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from os1.core.tools import ToolContext, by_words, tool
from os1.skills.files import service

# Offered only on turns that speak of tidying or of a moved file: the rule ("files") and why
# are in os1/language/routing.py.


@tool(prepare=by_words)
async def tidy_plan(
    ctx: ToolContext,
    folder: Annotated[str, Field(min_length=1, max_length=500, description="the folder to tidy, e.g. '~/Downloads'")],
) -> str:
    """Look at a folder and make a plan to tidy it, in words; nothing moves yet."""
    _, text = await service.make_plan(ctx.settings, ctx.store, ctx.user, [folder], llm=ctx.llm)
    return text


async def _the_plan(ctx: ToolContext, arguments: dict[str, Any]) -> str:
    """The consent question shows the plan itself, as it was shown in words."""
    run = await service.plan_of(ctx.store, ctx.user, int(arguments["plan"]))
    if run is None:
        return f"Carry out tidy-up plan #{arguments['plan']} (there is no such plan: nothing would move)."
    words = run.summary.split("\nNothing has moved yet.")[0].strip()
    return f"Carry out this tidy-up (plan #{run.id}); every move can be undone:\n{words}"


async def _the_undo(ctx: ToolContext, arguments: dict[str, Any]) -> str:
    plan, group = int(arguments.get("plan") or 0), str(arguments.get("group") or "").strip()
    what = f"the {group} of " if group else "every file of "
    return f"Put {what}{f'tidy-up plan #{plan}' if plan else 'the newest tidy-up'} back where it was."


@tool(confirm=True, prepare=by_words, describe=_the_plan)
async def tidy_apply(
    ctx: ToolContext,
    plan: Annotated[int, Field(ge=1, description="the plan's number, from tidy_plan")],
) -> str:
    """Carry out a tidy-up plan the user agreed to."""
    rid, out = await service.apply(ctx.store, ctx.user, plan)
    return f"Plan #{rid}: " + out.words("Moved")


@tool(confirm=True, prepare=by_words, describe=_the_undo)
async def tidy_undo(
    ctx: ToolContext,
    plan: Annotated[int, Field(ge=0, description="the plan's number; 0 for the newest")] = 0,
    group: Annotated[str, Field(max_length=60, description="only this group, e.g. 'invoices'; empty for all")] = "",
) -> str:
    """Put the files of a tidy-up (or one of its groups) back where they were."""
    rid, out = await service.undo(ctx.store, ctx.user, plan or None, group.strip())
    return f"Plan #{rid}: " + out.words("Put back")


@tool(prepare=by_words)
async def find_moved_file(
    ctx: ToolContext,
    name: Annotated[str, Field(min_length=1, max_length=100, description="words of the file's name, e.g. 'lease'")],
) -> str:
    """Where a tidy-up put a file."""
    found = await service.where(ctx.store, ctx.user, name)
    if not found:
        return f"No file I moved has {name!r} in its name."
    return "\n".join(f"{new} (it was {old})" for old, new in found)


async def _the_place(ctx: ToolContext, arguments: dict[str, Any]) -> str:
    plan = int(arguments.get("plan") or 0)
    file, folder = str(arguments.get("file", "")).strip(), str(arguments.get("folder", "")).strip()
    if not plan and await service.only_a_rule(ctx.store, ctx.user, file):
        return f"From now on, put files {'matching' if '*' in file else 'called'} {file!r} into {folder!r} in every tidy-up."
    which = f"tidy-up plan #{plan}" if plan else "the newest tidy-up"
    return (f"Put the file {file!r} of {which} into {folder!r} (moved now if the tidy-up was carried out; "
            "it can be undone), and put files of that name there from now on.")


@tool(confirm=True, prepare=by_words, describe=_the_place)
async def tidy_place(
    ctx: ToolContext,
    file: Annotated[str, Field(min_length=1, max_length=200,
                               description="words of the file's name ('lease'), its exact name ('lease.pdf') or a pattern ('*.pdf')")],
    folder: Annotated[str, Field(min_length=1, max_length=200, description="the folder, e.g. 'Documents/Housing'")],
    plan: Annotated[int, Field(ge=0, description="the plan's number; 0 for the newest")] = 0,
) -> str:
    """Put one file of a tidy-up (one held back, say) into the folder the user names; a file's
    exact name or a pattern of names also makes a rule every later tidy-up follows."""
    _, text = await service.place(ctx.store, ctx.user, file, folder, plan or None)
    return text.split(" Undo with:")[0]


FILES_TOOLS = (tidy_plan, tidy_apply, tidy_undo, tidy_place, find_moved_file)
