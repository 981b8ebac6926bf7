import pytest

from os1.errors import ToolError
from os1.memory import blocks


async def test_defaults_append_dedupe_and_replace(store):
    found = await blocks.load_blocks(store, "u")
    assert set(found) == {"persona", "human"} and found["human"].value == ""
    await blocks.append(store, "u", "human", "Lives in Portland.")
    await blocks.append(store, "u", "human", "Lives in Portland.")  # no duplicate
    await blocks.append(store, "u", "human", "Has a sister, Ingrid.")
    await blocks.replace(store, "u", "human", "Portland", "Los Angeles")
    value = (await blocks.load_blocks(store, "u"))["human"].value
    assert value == "Lives in Los Angeles.\nHas a sister, Ingrid."


async def test_limits_are_enforced_with_a_usable_message(store):
    with pytest.raises(ToolError, match="over its limit of 2000"):
        await blocks.append(store, "u", "human", "x" * 2001)
    with pytest.raises(ToolError, match="does not contain"):
        await blocks.replace(store, "u", "human", "nothing", "x")
    with pytest.raises(ToolError, match="no memory block"):
        await blocks.append(store, "u", "diary", "x")


def test_render_shows_labels_and_sizes():
    from os1.storage.base import Block

    text = blocks.render({"human": Block("human", "Likes tea", 100), "persona": Block("persona", "I am Iris", 50)})
    assert text.index("<persona") < text.index("<human")
    assert '<human chars="9/100">\nLikes tea\n</human>' in text
